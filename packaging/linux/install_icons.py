#!/usr/bin/env python3
"""Lay out the app icon as a freedesktop hicolor theme (and, with --desktop-files, the .desktop and metainfo).

    python packaging/linux/install_icons.py ~/.local/share                  # icons for your user
    python packaging/linux/install_icons.py ~/.local/share --desktop-files  # plus the menu entry and metainfo
    sudo python3 packaging/linux/install_icons.py /usr/share --desktop-files

Icons go to SHARE/icons/hicolor/<N>x<N>/apps/<APP_ID>.png and SHARE/icons/hicolor/scalable/apps/<APP_ID>.svg,
the menu entry to SHARE/applications/<APP_ID>.desktop, the AppStream file to SHARE/metainfo/<APP_ID>.metainfo.xml.
Only the standard library is used, so a packager's build root works the same (pass $DESTDIR/usr/share)."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

LINUX_DIR = Path(__file__).resolve().parent
ROOT = LINUX_DIR.parent.parent
ICONS_DIR = ROOT / "assets" / "icons"
SOURCE_ICON = "sciatica-coach"
PNG_NAME = re.compile(rf"^{SOURCE_ICON}-(\d+)\.png$")


def app_id() -> str:
    text = (ROOT / "sciatica_coach" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^APP_ID = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("install_icons.py: no APP_ID in sciatica_coach/__init__.py")
    return match.group(1)


def icon_layout(share: Path, identifier: str) -> list[tuple[Path, Path]]:
    """(source, destination) pairs for every icon size found in assets/icons."""
    hicolor = share / "icons" / "hicolor"
    pairs = []
    for png in sorted((ICONS_DIR / "png").glob(f"{SOURCE_ICON}-*.png")):
        match = PNG_NAME.match(png.name)
        if match:
            size = int(match.group(1))
            pairs.append((png, hicolor / f"{size}x{size}" / "apps" / f"{identifier}.png"))
    svg = ICONS_DIR / f"{SOURCE_ICON}.svg"
    if svg.is_file():
        pairs.append((svg, hicolor / "scalable" / "apps" / f"{identifier}.svg"))
    return pairs


def desktop_layout(share: Path, identifier: str) -> list[tuple[Path, Path]]:
    return [
        (LINUX_DIR / f"{identifier}.desktop", share / "applications" / f"{identifier}.desktop"),
        (LINUX_DIR / f"{identifier}.metainfo.xml", share / "metainfo" / f"{identifier}.metainfo.xml"),
    ]


def install(pairs: list[tuple[Path, Path]]) -> None:
    for source, destination in pairs:
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        destination.chmod(0o644)
        print(destination)


def refresh_caches(share: Path) -> None:
    """Tell the desktop about new icons and menu entries, where the tools exist (best effort)."""
    for command in (
        ["gtk-update-icon-cache", "--quiet", "--ignore-theme-index", str(share / "icons" / "hicolor")],
        ["update-desktop-database", "--quiet", str(share / "applications")],
    ):
        if shutil.which(command[0]) and Path(command[-1]).is_dir():
            subprocess.call(command)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "share", type=Path, help="the share folder, e.g. ~/.local/share or $DESTDIR/usr/share"
    )
    parser.add_argument("--desktop-files", action="store_true", help="also install the .desktop and metainfo")
    parser.add_argument("--no-cache-update", action="store_true", help="don't run gtk-update-icon-cache etc.")
    args = parser.parse_args(argv)
    share = args.share.expanduser()
    identifier = app_id()
    pairs = icon_layout(share, identifier)
    if not pairs:
        print(f"install_icons.py: no icons found in {ICONS_DIR}", file=sys.stderr)
        return 1
    if args.desktop_files:
        pairs += desktop_layout(share, identifier)
    install(pairs)
    if not args.no_cache_update:
        refresh_caches(share)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
