"""Today's card that suggests seeing a doctor or physiotherapist when the pain is not getting better (issue 20,
point 6): shown in a real window, dismissed with "Got it", recorded, not shown again for that episode, listed
on Progress and in the clinician report, and in German."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import SafetyEventKind
from sciatica_coach.platform import locale_support
from sciatica_coach.services.plans import active_routine
from sciatica_coach.services.progress_data import safety_overview
from sciatica_coach.services.progress_text import safety_event_text
from sciatica_coach.services.report import render_report_pdf
from sciatica_coach.services.report_data import gather
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.today_page import TodayPage
from tests.core.test_progression import TODAY, TZ, session
from tests.test_report import _pdf_to_text
from tests.views.test_today_page import make


def with_pain(data_dir: Path, first: int, last: int, days: int = 15) -> Repository:
    """Two sessions a day for `days` days up to today: pain `first` before them in the first week, then `last`."""
    repo = Repository.open(data_dir)
    repo.set_setting("country", "GB")  # the route named below is the UK's, whatever LANG says
    routine = active_routine(repo, load_catalogue())
    for days_ago in range(days - 1, -1, -1):
        pain = first if days_ago >= days - 7 else last
        for hour in (8, 10):  # both before noon: today's are in the past of the window's clock
            repo.save_session(session(routine, days_ago, hour, before=pain))
    return repo


def open_today(qtbot: QtBot, data_dir: Path, repo: Repository) -> tuple[MainWindow, TodayPage]:
    window, page = make(qtbot, data_dir, repo)
    assert window.ctx.clock.now().date() == TODAY
    return window, page


def test_card_shown_and_dismissed_once(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    repo = with_pain(data_dir, 6, 6)
    window, page = open_today(qtbot, data_dir, repo)
    assert not page.doctor_card.isHidden()
    assert "hasn't eased much" in page.doctor_text.text()
    assert "comfortable" in page.doctor_text.text()
    assert "999" not in page.doctor_text.text() and "111" not in page.doctor_text.text()
    page.doctor_button.click()
    assert page.doctor_card.isHidden()
    events = [e for e in repo.safety_events() if e.kind is SafetyEventKind.NOT_IMPROVING]
    assert len(events) == 1 and events[0].at == window.ctx.clock.now()
    assert events[0].detail.startswith("Pain not easing. Median pain before sessions")
    page.refresh()
    assert page.doctor_card.isHidden(), "not shown again for this episode"
    # Recorded: on Progress's safety overview and in the report.
    overview = safety_overview(repo, date(2026, 3, 1), TODAY, TZ)
    assert [e.kind for e in overview.events] == [SafetyEventKind.NOT_IMPROVING]
    assert safety_event_text(overview.events[0]).startswith("Advised to see a doctor or physiotherapist")
    data = gather(repo, window.ctx.clock)
    assert any(e.kind is SafetyEventKind.NOT_IMPROVING for e in data.safety.events)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report_pdf(repo, window.ctx.clock, weeks=4))
    text = _pdf_to_text(pdf)
    assert (
        "Advised to see a doctor or physiotherapist as the pain or the weekly check-ins were not getting better: 16 Mar"
        in text
    )
    assert "Pain not easing. Median pain before sessions" in text


def test_no_card_when_the_pain_eases(qtbot: QtBot, data_dir: Path) -> None:
    _window, page = open_today(qtbot, data_dir, with_pain(data_dir, 6, 4))
    assert page.doctor_card.isHidden()


def test_no_card_before_two_weeks(qtbot: QtBot, data_dir: Path) -> None:
    _window, page = open_today(qtbot, data_dir, with_pain(data_dir, 6, 6, days=14))
    assert page.doctor_card.isHidden()


def test_worsening_names_the_same_day_route_not_the_emergency_number(qtbot: QtBot, data_dir: Path) -> None:
    _window, page = open_today(qtbot, data_dir, with_pain(data_dir, 4, 7, days=10))
    assert not page.doctor_card.isHidden()
    text = page.doctor_text.text()
    assert "higher lately" in text and "NHS 111" in text and "999" not in text


def test_card_in_german(qtbot: QtBot, data_dir: Path) -> None:
    locale_support.apply_language("de")
    _window, page = open_today(qtbot, data_dir, with_pain(data_dir, 4, 7, days=10))
    QApplication.processEvents()
    assert page.doctor_heading.text() == "Bitte lassen Sie Ihre Schmerzen ansehen"
    assert "NHS 111" in page.doctor_text.text() and "Physiotherapie" in page.doctor_text.text()
    assert page.doctor_button.text() == "Verstanden"
