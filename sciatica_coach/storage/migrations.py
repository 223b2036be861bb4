"""Schema migrations for the data file: one small function per step, applied in order.

Each function takes the raw file contents (TinyDB's dict of tables) at version N and returns version N+1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 2

RawData = dict[str, Any]


def _v1_to_v2(raw: RawData) -> RawData:
    """Version 1 (the first preview) stored sessions without a reminder slot or an end reason."""
    for doc in raw.get("sessions", {}).values():
        if isinstance(doc, dict):
            doc.setdefault("slot", "")
            doc.setdefault("reason", "")
    return raw


MIGRATIONS: dict[int, Callable[[RawData], RawData]] = {
    1: _v1_to_v2,
}


def migrate(raw: RawData, from_version: int) -> RawData:
    """Bring `raw` from `from_version` up to SCHEMA_VERSION."""
    version = from_version
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
    return raw
