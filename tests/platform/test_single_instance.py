"""One instance per data folder: the second launch wakes the first; a stale channel never blocks a start.

Each test runs with both channels: the named pipe (Linux, macOS) and Qt's local socket (Windows)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QObject
from pytestqt.qtbot import QtBot

from sciatica_coach.platform.single_instance import (
    PIPE_NAME,
    Channel,
    LocalSocketChannel,
    PipeChannel,
    SingleInstance,
    pipe_path,
    server_name,
)


class Maker:
    """Makes SingleInstance objects that talk over one kind of channel."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.owner = QObject()

    def __call__(self, data_dir: Path) -> SingleInstance:
        channel: Channel
        if self.kind == "pipe":
            channel = PipeChannel(pipe_path(data_dir), self.owner)
        else:
            channel = LocalSocketChannel(server_name(data_dir), self.owner)
        return SingleInstance(data_dir, channel=channel)


@pytest.fixture(params=["pipe", "local socket"])
def make(request: pytest.FixtureRequest) -> Maker:
    return Maker(request.param)


def test_second_instance_is_refused_and_raises_the_first(qtbot: QtBot, data_dir: Path, make: Maker) -> None:
    first = make(data_dir)
    assert first.acquire()
    first.listen()
    second = make(data_dir)
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


def test_lock_is_free_again_after_release(data_dir: Path, make: Maker) -> None:
    first = make(data_dir)
    assert first.acquire()
    first.listen()
    first.release()
    again = make(data_dir)
    assert again.acquire()
    again.release()


def test_different_folders_do_not_block_each_other(tmp_path: Path, make: Maker) -> None:
    a, b = make(tmp_path / "a"), make(tmp_path / "b")
    assert a.acquire() and b.acquire()
    a.release()
    b.release()


def test_a_channel_left_by_a_crash_does_not_block_start(qtbot: QtBot, data_dir: Path, make: Maker) -> None:
    if make.kind == "pipe":
        stale = pipe_path(data_dir)
        os.mkfifo(stale, 0o600)  # what a crashed run leaves behind
    else:
        stale = Path(QDir.tempPath()) / server_name(data_dir)
        stale.write_text("left behind by a crashed run")
    try:
        instance = make(data_dir)
        assert instance.acquire()
        other = make(data_dir)
        assert not other.notify_running(patience_ms=0), "nobody listens on a stale channel"
        instance.listen()
        with qtbot.waitSignal(instance.activated, timeout=5000):
            assert other.notify_running()
        instance.release()
    finally:
        if make.kind != "pipe":
            stale.unlink(missing_ok=True)


def test_something_else_where_the_pipe_goes_is_replaced(qtbot: QtBot, data_dir: Path) -> None:
    pipe = pipe_path(data_dir)
    pipe.write_text("not a pipe")
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.listen()
    try:
        assert stat.S_ISFIFO(pipe.lstat().st_mode)
        assert stat.S_IMODE(pipe.lstat().st_mode) == 0o600
        with qtbot.waitSignal(first.activated, timeout=5000) as raised:
            assert SingleInstance(data_dir).notify_running()
        assert raised.args == ["raise"]
    finally:
        first.release()


def test_unknown_messages_are_ignored(qtbot: QtBot, data_dir: Path) -> None:
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.listen()
    seen: list[str] = []
    first.activated.connect(seen.append)
    try:
        pipe = PipeChannel(pipe_path(data_dir), first)
        assert pipe.send("format-disk")
        assert pipe.send("start-session")
        qtbot.waitUntil(lambda: seen == ["start-session"], timeout=5000)
    finally:
        first.release()


def test_nobody_listening_is_reported_once_patience_runs_out(data_dir: Path, make: Maker) -> None:
    lonely = make(data_dir)
    pauses: list[int] = []
    assert not lonely.notify_running(patience_ms=0, pause=pauses.append)
    assert pauses == []


def test_a_launch_while_the_first_is_still_starting_waits_for_it(
    qtbot: QtBot, data_dir: Path, make: Maker
) -> None:
    """The first instance listens only once its window is up; a second launch just before keeps trying."""
    first = make(data_dir)
    assert first.acquire()
    second = make(data_dir)
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


def test_the_pipe_lives_in_the_runtime_folder_when_there_is_one(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not in the data folder, where backup tools would meet a named pipe; named after the data folder."""
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])
    assert pipe_path(data_dir).parent == runtime
    assert pipe_path(data_dir) != pipe_path(tmp_path / "other data")
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.listen()
    try:
        assert stat.S_ISFIFO(pipe_path(data_dir).lstat().st_mode)
        assert not (data_dir / PIPE_NAME).exists()
    finally:
        first.release()
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert pipe_path(data_dir) == data_dir / PIPE_NAME  # no runtime folder (some containers): the data folder


def test_a_user_without_a_login_name_still_gets_a_private_channel_name(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    def no_name() -> str:
        raise KeyError("getpwuid(): uid not found")

    monkeypatch.setattr(getpass, "getuser", no_name)
    assert server_name(data_dir).startswith("sciatica-coach-")
    first = SingleInstance(data_dir)  # the channel's name needs no login name
    assert first.acquire()
    first.release()
