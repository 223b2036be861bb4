"""Argument types shared by the subcommands (kept tiny: every command's parser is built at each start)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(option: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type for `option`: a whole number from low to high, else one plain error line."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} needs a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{option} must be from {low} to {high} (got {value})")
        return value

    return parse
