"""Issue 20 follow-up: Progress names the leg with the sciatica in its safety card, as the report does, and
follows a change made in Settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.services.report_data import gather
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.progress_page import ProgressPage
from tests.helpers import FakeClock

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def page_over(qtbot: QtBot, repo: Repository) -> ProgressPage:
    page = ProgressPage(AppContext(repo, FakeClock(NOW)))
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()
    return page


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("left", "Leg with sciatica: left"),
        ("right", "Leg with sciatica: right"),
        ("both", "Leg with sciatica: both"),
        (None, "Leg with sciatica: not set yet (you can say which in Settings)"),
    ],
)
def test_progress_names_the_leg_as_the_report_does(
    qtbot: QtBot, data_dir: Path, stored: str | None, shown: str
) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("affected_side", stored)
    page = page_over(qtbot, repo)
    assert page.side_line.isVisible() and page.side_line.text() == shown
    if stored is not None:
        assert shown.endswith(gather(repo, FakeClock(NOW)).affected_side), "the same side as the report"


def test_progress_follows_a_change_in_settings(qtbot: QtBot, data_dir: Path) -> None:
    repo = Repository.open(data_dir)
    page = page_over(qtbot, repo)
    page.ctx.set_setting("affected_side", "right")  # as Settings saves it
    assert page.side_line.text() == "Leg with sciatica: right"


def test_the_line_is_in_german(qtbot: QtBot, data_dir: Path) -> None:
    i18n.set_language("de")
    repo = Repository.open(data_dir)
    repo.set_setting("affected_side", "left")
    assert page_over(qtbot, repo).side_line.text() == "Bein mit Ischias: links"
