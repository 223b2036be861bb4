"""Issue 17, classes 4 and 5 in the window: the files a person saves from Progress (history export, report,
chart picture), from Routine (routine export) and from Settings (a backup of everything) are never written
inside the data folder, nor onto a pipe or device; an existing file is replaced only after a question; an
import that a full disk stops part-way says what was imported instead of "Your data is unchanged"."""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from sciatica_coach.storage import atomic
from sciatica_coach.storage.exchange import export_json
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.progress_page import ProgressPage
from tests.helpers import progress_page
from tests.storage.test_repository import make_session
from tests.views.test_routine_page import make_page

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 6, 12, 0, tzinfo=TZ)
SCREENSHOT = os.environ.get("SAVE_PATHS_SHOT")  # set to a path to look at the refusal as shown


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _progress_saves(page: ProgressPage) -> dict[str, Any]:
    return {
        "history (CSV)": lambda path: page.export_to(path, "csv"),
        "history (JSON)": lambda path: page.export_to(path, "json"),
        "chart picture": page.save_chart_png,
        "report": page.make_report,
    }


@pytest.fixture
def repo(data_dir: Path) -> Repository:
    repo = Repository.open(data_dir)
    repo.save_session(make_session(1))
    return repo


def test_progress_never_saves_into_the_data_folder(qtbot: QtBot, repo: Repository, tmp_path: Path) -> None:
    page = progress_page(qtbot, repo, NOW)
    own_file = next(p for p in sorted(repo.folder.iterdir()) if p.suffix == ".json")
    link = tmp_path / "looks-innocent.json"
    link.symlink_to(own_file)
    for what, save in _progress_saves(page).items():
        for target in (own_file, repo.folder / "new.csv", link):
            before = _snapshot(repo.folder)
            assert not save(target), (what, target)
            assert "inside Sciatica Coach's data folder" in page.message.text(), what
            assert page.message.text().startswith("Nothing was saved")
            assert _snapshot(repo.folder) == before, (what, target)
    if SCREENSHOT:
        page.message_frame.grab().save(SCREENSHOT)


def test_progress_refuses_a_pipe(qtbot: QtBot, repo: Repository, tmp_path: Path) -> None:
    page = progress_page(qtbot, repo, NOW)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert not page.export_to(fifo, "csv")
    assert "not an ordinary file" in page.message.text()
    assert not fifo.is_file()


def test_progress_saves_elsewhere_as_before(qtbot: QtBot, repo: Repository, tmp_path: Path) -> None:
    page = progress_page(qtbot, repo, NOW)
    for what, save in _progress_saves(page).items():
        target = tmp_path / f"out-{len(what)}-{what[:3]}"
        assert save(target), what
        assert target.stat().st_size > 0


def test_the_save_dialogs_ask_before_replacing(
    qtbot: QtBot, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file dialogs keep Qt's question before replacing a file (DontConfirmOverwrite is never set)."""
    seen: list[Any] = []

    def fake_dialog(*args: Any, **kwargs: Any) -> tuple[str, str]:
        seen.append(kwargs.get("options", args[4] if len(args) > 4 else None))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    page = progress_page(qtbot, repo, NOW)
    page._ask_export("csv")
    page._ask_png()
    page._ask_report()
    routine = make_page(qtbot, repo.folder)
    routine.ask_save_path()
    assert len(seen) == 4
    for options in seen:
        assert options is None or not (options & QFileDialog.Option.DontConfirmOverwrite)


def test_routine_export_never_into_the_data_folder(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    page = make_page(qtbot, data_dir)
    folder = page.ctx.repo.folder
    before = _snapshot(folder)
    for target in (folder / "my-routine.json", next(p for p in folder.iterdir() if p.suffix == ".json")):
        assert not page.export_file(target)
        assert "inside Sciatica Coach's data folder" in page.file_message.text()
    assert _snapshot(folder) == before
    assert page.export_file(tmp_path / "my-routine.json")


def test_routine_export_asks_when_the_added_suffix_names_an_existing_file(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog checked "my-routine"; ".json" is added afterwards, so the page asks about that file."""
    page = make_page(qtbot, data_dir)
    existing = tmp_path / "my-routine.json"
    existing.write_text("keep")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "my-routine"), ""))
    asked: list[Path] = []

    def refuse(path: Path) -> bool:
        asked.append(path)
        return False

    monkeypatch.setattr(page, "confirm_replace", refuse)
    assert page.ask_save_path() is None and asked == [existing]
    monkeypatch.setattr(page, "confirm_replace", lambda path: True)
    assert page.ask_save_path() == existing
    existing.unlink()
    monkeypatch.setattr(page, "confirm_replace", lambda path: pytest.fail("asked about a new file"))
    assert page.ask_save_path() == existing


def test_a_full_disk_part_way_through_an_import_is_told_truthfully(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Repository.open(tmp_path / "source")
    first = make_session(1)
    later = first.__class__(**{**{f: getattr(first, f) for f in first.__slots__}, "id": "next-year",
                               "started_at": first.started_at + timedelta(days=365),
                               "ended_at": first.ended_at + timedelta(days=365)})  # fmt: skip
    source.add_sessions([first, later])
    export = tmp_path / "history.json"
    export.write_text(export_json(source, NOW), encoding="utf-8")
    page = progress_page(qtbot, Repository.open(data_dir), NOW)
    real = atomic.atomic_write
    writes = {"n": 0}

    def fills_up(path: Path, data: bytes, *args: Any, **kwargs: Any) -> None:
        writes["n"] += 1
        if writes["n"] > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data, *args, **kwargs)

    monkeypatch.setattr("sciatica_coach.storage.repository.atomic_write", fills_up)
    assert not page.import_from(export)
    text = page.message.text()
    assert "Before that, 1 of the file's 2 new sessions were imported." in text, text
    assert "unchanged" not in text


def test_settings_never_backs_up_into_the_data_folder(qtbot: QtBot, repo: Repository, tmp_path: Path) -> None:
    from tests.views.test_settings_backup import settings

    repo.close()
    _window, page = settings(qtbot, repo.folder)
    before = _snapshot(repo.folder)
    for target in (repo.folder / "backup.json", repo.folder / "backups" / "mine.json"):
        assert not page.back_up_to(target)
        assert "inside Sciatica Coach's data folder" in page.data_note.text()
    assert _snapshot(repo.folder) == before
    assert page.back_up_to(tmp_path / "backup.json")
