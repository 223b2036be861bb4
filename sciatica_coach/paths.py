"""Where the user's data lives: --data-dir, then SCIATICA_COACH_DATA_DIR, then the platform's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATA_DIR = "SCIATICA_COACH_DATA_DIR"
APP_FOLDER = "sciatica-coach"


def platform_data_dir(platform: str = sys.platform, env: dict[str, str] | None = None) -> Path:
    """The per-user data folder the platform expects (the same places platformdirs picks):
    Linux and other Unix: $XDG_DATA_HOME or ~/.local/share; macOS: ~/Library/Application Support;
    Windows: %LOCALAPPDATA%."""
    env = dict(os.environ) if env is None else env
    home = Path(env.get("HOME") or Path.home())
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP_FOLDER
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP_FOLDER
    xdg = env.get("XDG_DATA_HOME", "")
    base_path = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base_path / APP_FOLDER


def resolve_data_dir(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return platform_data_dir()
