"""Starting Sciatica Coach at login, as a setting.

Linux (and other XDG desktops): a .desktop file in $XDG_CONFIG_HOME/autostart, really written and removed.
Windows: a value under the per-user Run key; macOS: a LaunchAgent plist. For those two, pure functions
produce exactly what would be written (unit-tested); the small writers that apply them run only on their
own platform. One interface, `Autostart`, with `enabled()` and `set_enabled(on)`; `NullAutostart` where
nothing is known to work."""

from __future__ import annotations

import contextlib
import logging
import os
import plistlib
import sys
from pathlib import Path
from typing import Protocol

from sciatica_coach import APP_ID, APP_NAME

log = logging.getLogger(__name__)

DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = "SciaticaCoach"
LAUNCH_AGENT_LABEL = APP_ID
AUTOSTART_ARGS: tuple[str, ...] = ("--background",)  # wait in the tray; build the window when needed


class Autostart(Protocol):
    available: bool

    def enabled(self) -> bool: ...

    def set_enabled(self, on: bool) -> None: ...


def program() -> list[str]:
    """How to start the very program that is running now: the bundle's own executable; else the
    `sciatica-coach` script installed beside this Python (a venv or a wheel install); else this Python with
    `-m`. Never a different install found on PATH."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its executable takes no `-m`
        return [sys.executable]
    script = Path(sys.executable).with_name("sciatica-coach.exe" if os.name == "nt" else "sciatica-coach")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "sciatica_coach"]


def launch_command(data_dir: Path | None = None) -> list[str]:
    """The login start: this program, waiting in the background, with the data folder in use now (so a
    `--data-dir` or SCIATICA_COACH_DATA_DIR start keeps its folder after the next login)."""
    folder = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return [*program(), *folder, *AUTOSTART_ARGS]


# ---- Linux / XDG -----------------------------------------------------------------------------------


def xdg_autostart_dir() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart"


def desktop_entry(command: list[str]) -> str:
    """The autostart .desktop file's text (freedesktop Desktop Entry spec; Exec quoted per the spec)."""

    def quote(arg: str) -> str:
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            return arg
        escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
        return f'"{escaped}"'

    exec_line = " ".join(quote(a) for a in command).replace("%", "%%")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Gentle reminders for your sciatica exercises\n"
        f"Exec={exec_line}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "X-GNOME-Autostart-Delay=10\n"
        "X-KDE-autostart-after=panel\n"
    )


class XdgAutostart:
    available = True

    def __init__(self, folder: Path | None = None, command: list[str] | None = None) -> None:
        self.folder = folder or xdg_autostart_dir()
        self.command = command or launch_command()

    @property
    def path(self) -> Path:
        return self.folder / DESKTOP_FILE_NAME

    def enabled(self) -> bool:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return False
        return "Hidden=true" not in text and "X-GNOME-Autostart-enabled=false" not in text

    def set_enabled(self, on: bool) -> None:
        """Write or remove the file. Raises OSError with the system's reason when that fails."""
        if on:
            from sciatica_coach.storage.atomic import atomic_write

            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, desktop_entry(self.command).encode("utf-8"), mode=0o644)
            log.info("Start at login: wrote %s", self.path)
        else:
            try:
                self.path.unlink()
                log.info("Start at login: removed %s", self.path)
            except FileNotFoundError:
                pass


# ---- Windows -----------------------------------------------------------------------------------------


def windows_run_value(command: list[str]) -> tuple[str, str, str]:
    """(key under HKEY_CURRENT_USER, value name, value data) for the per-user Run key."""
    return RUN_KEY, RUN_VALUE_NAME, " ".join(f'"{a}"' if " " in a or not a else a for a in command)


class WindowsAutostart:  # pragma: no cover - Windows only; what it writes is tested via windows_run_value
    available = True

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or launch_command()

    def enabled(self) -> bool:
        import winreg  # type: ignore[import-not-found,unused-ignore]

        key, name, _ = windows_run_value(self.command)
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:  # type: ignore[attr-defined,unused-ignore]
                winreg.QueryValueEx(handle, name)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return False
        return True

    def set_enabled(self, on: bool) -> None:
        import winreg  # type: ignore[import-not-found,unused-ignore]

        key, name, data = windows_run_value(self.command)
        access = winreg.KEY_SET_VALUE  # type: ignore[attr-defined,unused-ignore]
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, access) as handle:  # type: ignore[attr-defined,unused-ignore]
            if on:
                winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, data)  # type: ignore[attr-defined,unused-ignore]
            else:
                with contextlib.suppress(FileNotFoundError):
                    winreg.DeleteValue(handle, name)  # type: ignore[attr-defined,unused-ignore]


# ---- macOS ---------------------------------------------------------------------------------------------


def launch_agent_path(home: Path | None = None) -> Path:
    return (home or Path.home()) / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def launch_agent_plist(command: list[str]) -> bytes:
    """The LaunchAgent property list: run the app once at login, never restart it when it quits."""
    return plistlib.dumps(
        {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "KeepAlive": False,
            "ProcessType": "Interactive",
        }
    )


class MacAutostart:  # pragma: no cover - macOS only; what it writes is tested via launch_agent_plist
    available = True

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or launch_command()

    def enabled(self) -> bool:
        return launch_agent_path().is_file()

    def set_enabled(self, on: bool) -> None:
        path = launch_agent_path()
        if on:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(launch_agent_plist(self.command))
        else:
            path.unlink(missing_ok=True)


class NullAutostart:
    available = False

    def enabled(self) -> bool:
        return False

    def set_enabled(self, on: bool) -> None:
        log.info("Starting at login is not supported here")


def create_autostart(data_dir: Path | None = None) -> Autostart:
    """Starting at login on this system, for the data folder `data_dir` (the one in use)."""
    command = launch_command(data_dir)
    if sys.platform == "win32":
        return WindowsAutostart(command)
    if sys.platform == "darwin":
        return MacAutostart(command)
    if os.name == "posix":
        return XdgAutostart(command=command)
    return NullAutostart()


__all__ = ["Autostart", "create_autostart", "desktop_entry", "launch_agent_plist", "windows_run_value"]
