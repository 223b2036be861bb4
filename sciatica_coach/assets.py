"""Where the bundled assets live: inside the installed package, beside a source checkout, or in a bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def assets_dir() -> Path:
    """The folder holding catalogue.json, illustrations/, icons/ and sounds/."""
    here = Path(__file__).resolve().parent
    candidates = [
        here / "_assets",  # installed wheel: the top-level assets/ ships as sciatica_coach/_assets
        here.parent / "assets",  # source checkout or editable install
    ]
    bundle_root = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle
    if bundle_root:
        candidates.insert(0, Path(bundle_root) / "sciatica_coach" / "_assets")
    for candidate in candidates:
        if (candidate / "catalogue.json").is_file() or (candidate / "illustrations").is_dir():
            return candidate
    return candidates[-1]


def asset_path(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)
