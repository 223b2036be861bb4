"""Argument types shared by the subcommands (kept tiny: every command's parser is built at each start)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

# ASCII digits only, as times are read: int() alone would also take "١٢", "１２", "1_2" and " 12 ".
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def whole_number(option: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type for `option`: a whole number from low to high written in the digits 0-9, else one
    plain error line."""

    def parse(text: str) -> int:
        if not _WHOLE_NUMBER.fullmatch(text):
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise argparse.ArgumentTypeError(
                f"{option} needs a whole number written with the digits 0-9, not {shown!r}"
            )
        value = int(text) if len(text) <= 18 else None  # longer is out of any range (and slow to convert)
        if value is None or not low <= value <= high:
            got = str(value) if value is not None else text[:18] + "…"
            raise argparse.ArgumentTypeError(f"{option} must be from {low} to {high} (got {got})")
        return value

    return parse


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """--force: an -o FILE that already exists is replaced only with it."""
    parser.add_argument("--force", action="store_true", help="replace the output file if it already exists")
