"""One instance per data folder: the second launch wakes the first; a stale socket never blocks a start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir
from pytestqt.qtbot import QtBot

from sciatica_coach.platform.single_instance import SingleInstance, server_name


def test_second_instance_is_refused_and_raises_the_first(qtbot: QtBot, data_dir: Path) -> None:
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.listen()
    second = SingleInstance(data_dir)
    try:
        assert not second.acquire()
        with qtbot.waitSignal(first.activated, timeout=5000) as raised:
            assert second.notify_running()
        assert raised.args == ["raise"]
        with qtbot.waitSignal(first.activated, timeout=5000) as started:
            assert second.notify_running("start-session")
        assert started.args == ["start-session"]
    finally:
        first.release()


def test_lock_is_free_again_after_release(data_dir: Path) -> None:
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.release()
    again = SingleInstance(data_dir)
    assert again.acquire()
    again.release()


def test_different_folders_do_not_block_each_other(tmp_path: Path) -> None:
    a, b = SingleInstance(tmp_path / "a"), SingleInstance(tmp_path / "b")
    assert a.acquire() and b.acquire()
    a.release()
    b.release()


def test_stale_socket_from_a_crash_does_not_block_start(qtbot: QtBot, data_dir: Path) -> None:
    stale = Path(QDir.tempPath()) / server_name(data_dir)
    stale.write_text("left behind by a crashed run")
    try:
        instance = SingleInstance(data_dir)
        assert instance.acquire()
        instance.listen()
        other = SingleInstance(data_dir)
        with qtbot.waitSignal(instance.activated, timeout=5000):
            assert other.notify_running()
        instance.release()
    finally:
        stale.unlink(missing_ok=True)


def test_nobody_listening_is_reported_once_patience_runs_out(data_dir: Path) -> None:
    lonely = SingleInstance(data_dir)
    pauses: list[int] = []
    assert not lonely.notify_running(patience_ms=0, pause=pauses.append)
    assert pauses == []


def test_a_launch_while_the_first_is_still_starting_waits_for_it(qtbot: QtBot, data_dir: Path) -> None:
    """The first instance listens only once its window is up; a second launch just before keeps trying."""
    first = SingleInstance(data_dir)
    assert first.acquire()
    second = SingleInstance(data_dir)
    pauses: list[int] = []

    def pause(ms: int) -> None:  # instead of sleeping: the first finishes starting during the second pause
        pauses.append(ms)
        if len(pauses) == 2:
            first.listen()

    try:
        with qtbot.waitSignal(first.activated, timeout=5000) as raised:
            assert second.notify_running("start-session", pause=pause)
        assert raised.args == ["start-session"]
        assert len(pauses) == 2
    finally:
        first.release()
