"""Where the user's data lives: --data-dir, then SCIATICA_COACH_DATA_DIR, then the platform's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

ENV_DATA_DIR = "SCIATICA_COACH_DATA_DIR"


def resolve_data_dir(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return user_data_path("sciatica-coach", appauthor=False)
