"""Schema migrations for the data file: one small function per step, applied in order.

Each function takes the raw file contents (TinyDB's dict of tables) at version N and returns version N+1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 3

RawData = dict[str, Any]


def _v1_to_v2(raw: RawData) -> RawData:
    """Version 1 (the first preview) stored sessions without a reminder slot or an end reason."""
    for doc in raw.get("sessions", {}).values():
        if isinstance(doc, dict):
            doc.setdefault("slot", "")
            doc.setdefault("reason", "")
    return raw


def _v2_to_v3(raw: RawData) -> RawData:
    """Version 3 keeps sessions in a file per year (see Repository.open, which moves any "sessions" table
    it finds in the main file there). Nothing else in the main file changes."""
    return raw


MIGRATIONS: dict[int, Callable[[RawData], RawData]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
}


FIRST_VERSION = 1  # the first file this app wrote; there is no version 0 or below


def known_version(version: object) -> bool:
    """A schema version this app can read or migrate: a whole number from FIRST_VERSION up to SCHEMA_VERSION
    (True is not a version, though Python counts it as 1)."""
    return (
        isinstance(version, int)
        and not isinstance(version, bool)
        and FIRST_VERSION <= version <= SCHEMA_VERSION
    )


def migrate(raw: RawData, from_version: int) -> RawData:
    """Bring `raw` from `from_version` up to SCHEMA_VERSION. ValueError for a version below the first (a
    version mark of 0 or -1 is damage, not an older file)."""
    if isinstance(from_version, bool) or from_version < FIRST_VERSION:
        raise ValueError(f"there is no data version {from_version}")
    version = from_version
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
    return raw
