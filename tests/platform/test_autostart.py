"""Start at login: the XDG .desktop file is really written and removed (in the test's own config folder);
the Windows Run key and the macOS LaunchAgent are checked as the data that would be written."""

from __future__ import annotations

import configparser
import os
import plistlib
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sciatica_coach import APP_ID
from sciatica_coach.platform.autostart import (
    RUN_KEY,
    XdgAutostart,
    create_autostart,
    desktop_entry,
    launch_agent_path,
    launch_agent_plist,
    launch_command,
    program,
    windows_run_value,
    xdg_autostart_dir,
)


def test_xdg_folder_follows_xdg_config_home(private_profile: Path) -> None:
    assert xdg_autostart_dir() == Path(os.environ["XDG_CONFIG_HOME"]) / "autostart"


def test_xdg_write_and_remove_for_real() -> None:
    auto = XdgAutostart(command=["/opt/sc/bin/sciatica-coach"])
    assert not auto.enabled()
    auto.set_enabled(True)
    assert auto.enabled()
    assert auto.path == xdg_autostart_dir() / f"{APP_ID}.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.read_string(auto.path.read_text())
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "/opt/sc/bin/sciatica-coach"
    assert section["Name"] == "Sciatica Coach"
    assert oct(auto.path.stat().st_mode & 0o777) == "0o644"
    auto.set_enabled(True)  # idempotent
    auto.set_enabled(False)
    assert not auto.path.exists() and not auto.enabled()
    auto.set_enabled(False)  # removing twice is fine


def test_a_user_disabled_entry_counts_as_off() -> None:
    auto = XdgAutostart(command=["sciatica-coach"])
    auto.set_enabled(True)
    auto.path.write_text(auto.path.read_text() + "Hidden=true\n")
    assert not auto.enabled()


def test_exec_line_quotes_paths_with_spaces_and_percent() -> None:
    text = desktop_entry(["/home/a b/venv/bin/python", "-m", "sciatica_coach", "100%"])
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/home/a b/venv/bin/python" -m sciatica_coach 100%%'
    assert shlex.split(exec_line[5:].replace("%%", "%"))[0] == "/home/a b/venv/bin/python"


def test_windows_run_key_value() -> None:
    key, name, data = windows_run_value([r"C:\Program Files\Sciatica Coach\sciatica-coach.exe"])
    assert key == RUN_KEY == r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert name == "SciaticaCoach"
    assert data == r'"C:\Program Files\Sciatica Coach\sciatica-coach.exe"'
    assert windows_run_value([r"C:\sc\sc.exe", "--x"])[2] == r"C:\sc\sc.exe --x"


def test_macos_launch_agent(tmp_path: Path) -> None:
    data = plistlib.loads(launch_agent_plist(["/Applications/Sciatica Coach.app/Contents/MacOS/sc"]))
    assert data == {
        "Label": APP_ID,
        "ProgramArguments": ["/Applications/Sciatica Coach.app/Contents/MacOS/sc"],
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
    }
    assert launch_agent_path(tmp_path) == tmp_path / "Library/LaunchAgents" / f"{APP_ID}.plist"


def test_the_bundle_starts_itself_without_minus_m(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PyInstaller bundle's executable takes no `-m sciatica_coach`: the login start once failed there
    with "invalid choice"."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/sciatica-coach/sciatica-coach")
    command = launch_command(Path("/home/a b/my data"))
    assert command == [
        "/opt/sciatica-coach/sciatica-coach",
        "--data-dir",
        "/home/a b/my data",
        "--background",
    ]


def test_the_login_start_keeps_the_data_folder_in_use(tmp_path: Path) -> None:
    auto = create_autostart(tmp_path / "my data")
    assert isinstance(auto, XdgAutostart)
    assert auto.command[-3:] == ["--data-dir", str(tmp_path / "my data"), "--background"]
    assert auto.command[:-3] == program()


@pytest.mark.slow
def test_the_written_login_line_really_starts_the_app(tmp_path: Path, private_profile: Path) -> None:
    """Run the Exec line written to the autostart file, as the desktop would at login: the app opens the data
    folder it was enabled from and keeps running in the background (it is stopped here)."""
    data = tmp_path / "data with space"
    auto = create_autostart(data)
    assert isinstance(auto, XdgAutostart)
    auto.set_enabled(True)
    entry = configparser.ConfigParser(interpolation=None)
    entry.read_string(auto.path.read_text(encoding="utf-8"))
    command = shlex.split(entry["Desktop Entry"]["Exec"].replace("%%", "%"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (data / "sciatica-coach.json").exists() and process.poll() is None:
            assert time.monotonic() < deadline, "the app did not open its data folder within a minute"
            time.sleep(0.05)  # waiting for another process, not for our own clock
        settled = time.monotonic() + 2  # past opening: the reminders armed, the single-instance server up
        while process.poll() is None and time.monotonic() < settled:
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()[1]  # still running: waiting in the background
    finally:
        process.terminate()
        process.communicate(timeout=30)
