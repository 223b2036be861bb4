"""The Routine page offers both knees to the chest after comfortable single hugs, as any suggestion: the card,
"Yes" swapping the exercise in place, the line under "Changes you've said yes to"; in English and German."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.model import Phase
from sciatica_coach.core.progression import ChangeKind
from sciatica_coach.services import plans
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.routine_page import RoutinePage
from tests.helpers import FakeClock, fake_services
from tests.views.test_routine_page import comfortable_sessions

TZ = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 16)
SHOTS = os.environ.get("SCIATICA_COACH_SHOTS")  # a folder: save what the card looks like, to look at


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_card_offers_both_knees_and_yes_swaps_them_in(
    qtbot: QtBot, data_dir: Path, language: str
) -> None:
    i18n.set_language(language)
    catalogue = load_catalogue()
    routine = catalogue.default_routine(Phase.MOBILITY)
    repo = Repository.open(data_dir)
    plans.save_routine(repo, routine)
    repo.add_sessions(comfortable_sessions(routine))
    repo.close()
    page = RoutinePage(
        AppContext(
            Repository.open(data_dir),
            FakeClock(datetime.combine(TODAY, time(20), tzinfo=TZ)),
            fake_services(),
        )
    )
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()

    proposal = page.current_suggestion()
    assert proposal is not None and proposal.kind is ChangeKind.NEXT_EXERCISE
    assert page.proposal_card.isVisibleTo(page)
    title = {"en": "Try hugging both knees to your chest?", "de": "Beide Knie zur Brust probieren?"}[language]
    assert page.proposal_title.text() == title
    assert (
        "staying with one knee" if language == "en" else "bei einem Knie zu bleiben"
    ) in page.proposal_text.text()
    if SHOTS:
        page.suggestion.grab().save(str(Path(SHOTS) / f"double-knee-card-{language}.png"))

    position = [i.exercise_id for i in routine.items].index("knee-to-chest")
    with qtbot.waitSignal(page.ctx.routine_changed, timeout=1000):
        qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    exercise_ids = [item.exercise_id for item in page.draft().items]
    assert exercise_ids[position] == "double-knee-to-chest" and "knee-to-chest" not in exercise_ids
    assert plans.active_routine(page.ctx.repo, catalogue) == page.draft()
    single, double = catalogue.get("knee-to-chest").name, catalogue.get("double-knee-to-chest").name
    expected = {"en": f"{double} in place of {single}", "de": f"„{double}“ statt „{single}“"}[language]
    assert expected in page.history_label.text()
    assert not page.proposal_card.isVisibleTo(page)
