"""Today's "see your doctor" card when only the weekly SBI check-ins show no improvement (issue 20, point 6
with point 4): no pain ratings to compare, two check-ins two weeks apart with the total not falling. The card
names the check-ins, "Got it" records the SBI figures, and German has the words."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from sciatica_coach.core.model import SafetyEventKind
from sciatica_coach.core.outcomes import make_checkin
from sciatica_coach.i18n import set_language
from sciatica_coach.services import outcomes
from sciatica_coach.storage.repository import Repository
from tests.core.test_progression import TODAY
from tests.views.test_today_page import make


def with_check_ins(data_dir: Path, first: int, last: int) -> Repository:
    repo = Repository.open(data_dir)
    repo.set_setting("country", "GB")
    for days_ago, total in ((14, first), (7, first), (0, last)):
        answers = [total // 4 + (1 if i < total % 4 else 0) for i in range(4)]
        outcomes.save(repo, make_checkin(TODAY - timedelta(days=days_ago), sbi=answers))
    return repo


def test_a_stuck_sbi_without_pain_ratings_shows_the_card_and_records_it(qtbot: QtBot, data_dir: Path) -> None:
    repo = with_check_ins(data_dir, 12, 11)  # one point lower: 8 %, not a meaningful fall
    _window, page = make(qtbot, data_dir, repo)
    assert not page.doctor_card.isHidden()
    text = page.doctor_text.text()
    assert text.startswith("Your weekly check-ins show") and "pain hasn't eased" not in text
    assert "comfortable" in text and "999" not in text
    page.doctor_button.click()
    assert page.doctor_card.isHidden()
    [event] = [e for e in repo.safety_events() if e.kind is SafetyEventKind.NOT_IMPROVING]
    assert event.detail == (
        "Sciatica bothersomeness (SBI) not easing. Sciatica Bothersomeness Index 12 (2026-03-02) → 11 "
        "(2026-03-16) (0-24)."
    )
    page.refresh()
    assert page.doctor_card.isHidden(), "not shown again for this episode"


def test_a_falling_sbi_shows_no_card(qtbot: QtBot, data_dir: Path) -> None:
    _window, page = make(qtbot, data_dir, with_check_ins(data_dir, 12, 8))  # 33 % lower
    assert page.doctor_card.isHidden()


def test_a_rising_sbi_is_firmer_in_german(qtbot: QtBot, data_dir: Path) -> None:
    set_language("de")
    _window, page = make(qtbot, data_dir, with_check_ins(data_dir, 8, 12))
    assert not page.doctor_card.isHidden()
    assert page.doctor_card.property("role") == "banner"
    assert page.doctor_text.text().startswith("Ihre wöchentlichen Einschätzungen zeigen")
    assert "111" in page.doctor_text.text()  # the UK's same-day route, never the emergency number
