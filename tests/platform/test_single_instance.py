"""One instance per data folder: the second launch wakes the first; a stale channel never blocks a start; the
pipe file goes when the app stops.

Each test runs with both channels: the named pipe (Linux, macOS) and Qt's local socket (Windows). The slow
ones at the end start the real app in a process of its own and stop it each way a person or the system does."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QObject
from PySide6.QtWidgets import QApplication
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


@pytest.fixture(autouse=True)
def application(qapp: QApplication) -> QApplication:
    """Listening takes a socket notifier, which needs the application's event loop: every test here has the
    application, whichever test runs first (a test without qtbot failed when it ran before any other)."""
    return qapp


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


@pytest.mark.parametrize("runtime_folder", [True, False], ids=["runtime folder", "data folder"])
def test_release_removes_the_pipe_file(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, runtime_folder: bool
) -> None:
    if not runtime_folder:
        monkeypatch.delenv("XDG_RUNTIME_DIR")
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.listen()
    assert stat.S_ISFIFO(pipe_path(data_dir).lstat().st_mode)
    first.release()
    assert not pipe_path(data_dir).exists()
    assert not os.path.lexists(pipe_path(data_dir))


def test_release_leaves_a_pipe_that_is_not_its_own(qtbot: QtBot, data_dir: Path) -> None:
    """Something (another run, by hand) replaced the pipe file meanwhile: that file is not ours to remove."""
    first = SingleInstance(data_dir)
    assert first.acquire()
    first.listen()
    pipe = pipe_path(data_dir)
    pipe.unlink()
    os.mkfifo(pipe, 0o600)
    try:
        first.release()
        assert stat.S_ISFIFO(pipe.lstat().st_mode)
    finally:
        pipe.unlink()


# --- The real app in a process of its own -------------------------------------------------------------------

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
POLL_S = 0.05  # waiting for another process, never for our own clock

# Closes the main window once start-up is done, as a person does with the window's close button (offscreen
# there is no tray, so the last window closing quits the app).
CLOSE_THE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication
from sciatica_coach import app
from sciatica_coach.cli.main import main

started = app._FirstPaint.report_ready

def close_instead(self):
    started(self)
    for window in QApplication.topLevelWidgets():
        if window.isVisible():
            window.close()

app._FirstPaint.report_ready = close_instead
sys.exit(main(sys.argv[1:]))
"""


def start_app(data_dir: Path, *args: str, code: str | None = None) -> subprocess.Popen[str]:
    program = ["-c", code] if code else ["-m", "sciatica_coach"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, *program, "--data-dir", str(data_dir), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(what: str, ready: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not ready():
        if process.poll() is not None:
            pytest.fail(f"the app stopped before {what}: {process.communicate()[1][-2000:]}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the app did not get to {what} within {START_TIMEOUT_S:.0f} s")
        time.sleep(POLL_S)


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _out, err = process.communicate(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
        pytest.fail(f"the app did not stop within {STOP_TIMEOUT_S:.0f} s: {err[-2000:]}")
    return process.returncode, err


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals and named pipes")
@pytest.mark.parametrize("way_out", ["quit", "window closed", "SIGTERM"])
def test_the_app_removes_its_pipe_file_when_it_stops(data_dir: Path, way_out: str) -> None:
    pipe = pipe_path(data_dir)
    if way_out == "quit":
        app = start_app(data_dir, "--quit-after-shown")  # quits once start-up is done (listening by then)
    elif way_out == "window closed":
        app = start_app(data_dir, code=CLOSE_THE_WINDOW)
    else:
        app = start_app(data_dir)
        wait_for("listening on its pipe", pipe.exists, app)
        app.send_signal(signal.SIGTERM)
    code, err = finish(app)
    assert code == 0, err[-2000:]
    assert (data_dir / "sciatica-coach.json").exists(), "the app opened its data folder"
    assert "Traceback" not in err, err[-2000:]
    assert not os.path.lexists(pipe), f"{pipe} left behind after '{way_out}'"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals and named pipes")
def test_a_pipe_left_by_kill_9_does_not_block_the_next_start(data_dir: Path) -> None:
    pipe = pipe_path(data_dir)
    killed = start_app(data_dir)
    wait_for("listening on its pipe", pipe.exists, killed)
    killed.kill()  # SIGKILL: no chance to clean up
    finish(killed)
    assert stat.S_ISFIFO(pipe.lstat().st_mode), "kill -9 leaves the pipe file behind"

    nobody = SingleInstance(data_dir)
    assert not nobody.notify_running(patience_ms=0), "a left pipe must not look like a running app"

    app = start_app(data_dir)
    try:
        wait_for("listening again", lambda: SingleInstance(data_dir).notify_running(patience_ms=0), app)
        second = start_app(data_dir)  # a second start finds this one through the reused pipe
        out, err = second.communicate(timeout=START_TIMEOUT_S)
        assert second.returncode == 0 and "already open" in out, err[-2000:]
    finally:
        app.terminate()
        finish(app)
    assert not os.path.lexists(pipe)
