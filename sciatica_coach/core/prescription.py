"""Prescription files: a routine as a small JSON file a physiotherapist can write, edit by hand and hand over.

Qt-free and stdlib-only. The format is documented in ``docs/prescription-format.md``::

    {
      "format": "sciatica-coach-routine",
      "version": 1,
      "phase": 1,
      "exercises": [
        {"exercise": "pelvic-tilt", "hold_s": 5, "reps": 10, "sets": 2},
        {"exercise": "knee-to-chest", "side_mode": "left-then-right"}
      ]
    }

Each exercise entry takes the same fields as a routine in the catalogue; missing dose fields and the side
mode come from the catalogue. Reading checks everything and raises ONE :class:`PrescriptionError` listing
every problem (with the field), so the person's current routine is never touched by a bad file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Final

from sciatica_coach.core.catalogue import (
    Catalogue,
    DuplicateKeyError,
    no_duplicate_keys,
    parse_routine_items,
)
from sciatica_coach.core.chosen_files import KB, ChosenFileError, TooLargeError, read_chosen_file, size_words
from sciatica_coach.core.model import Phase, Routine
from sciatica_coach.i18n import _, ngettext

log = logging.getLogger(__name__)

FORMAT_NAME: Final = "sciatica-coach-routine"
PRESCRIPTION_VERSION: Final = 1  # the newest format this code reads and the one it writes
MAX_FILE_BYTES: Final = 64 * KB  # a routine of 40 exercises is about 8 KB
MAX_EXERCISES: Final = 40
FILE_SUFFIX: Final = ".json"

_TOP_LEVEL_FIELDS: Final = ("format", "version", "phase", "exercises")


class PrescriptionError(ValueError):
    """A prescription file that cannot be used. ``problems`` lists each one; ``str()`` is one message."""

    def __init__(self, source: str, problems: list[str] | tuple[str, ...]) -> None:
        self.source = source
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        heading = ngettext(
            "The routine file {source} can't be used, so your routine has not been changed. There is {n} problem:",
            "The routine file {source} can't be used, so your routine has not been changed. "
            "There are {n} problems:",
            count,
        ).format(source=source, n=count)
        super().__init__("\n".join([heading, *(f"  - {problem}" for problem in self.problems)]))


# --- Writing -------------------------------------------------------------------------------------------------


def prescription_to_dict(routine: Routine) -> dict[str, Any]:
    """The routine as a prescription, every field written out so a person can see and edit it."""
    return {
        "format": FORMAT_NAME,
        "version": PRESCRIPTION_VERSION,
        "phase": int(routine.phase),
        "exercises": [
            {
                "exercise": item.exercise_id,
                "hold_s": item.dose.hold_s,
                "reps": item.dose.reps,
                "sets": item.dose.sets,
                "rest_between_reps_s": item.dose.rest_between_reps_s,
                "rest_between_sets_s": item.dose.rest_between_sets_s,
                "side_mode": item.side_mode.value,
            }
            for item in routine.items
        ],
    }


def dumps_prescription(routine: Routine) -> str:
    """The file's text: indented JSON, one exercise per line, ending with a newline."""
    data = prescription_to_dict(routine)
    exercises = ",\n".join("    " + json.dumps(entry) for entry in data["exercises"])
    head = {key: value for key, value in data.items() if key != "exercises"}
    header = ",\n".join(f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in head.items())
    return "{\n" + header + ',\n  "exercises": [\n' + exercises + "\n  ]\n}\n"


# --- Reading -------------------------------------------------------------------------------------------------


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def prescription_problems(
    data: object, catalogue: Catalogue, source: str
) -> tuple[Routine | None, list[str]]:
    """Check decoded JSON; ``(routine, [])`` when it is good, else ``(None, every problem)``."""
    problems: list[str] = []
    if not isinstance(data, dict):
        problems.append(
            _(
                '{source}: the file must hold one object starting with "format": "{format}" (got {got})'
            ).format(source=source, format=FORMAT_NAME, got=_describe(data))
        )
        return None, problems

    def note(message: str, **values: object) -> None:
        """``message`` is a whole sentence with a {source} placeholder and the field named in it."""
        problems.append(message.format(source=source, **values))

    if data.get("format") != FORMAT_NAME:
        if "format" not in data:
            note(
                _('{source}: field "format" is missing; a routine file starts with "format": "{format}"'),
                format=FORMAT_NAME,
            )
        else:
            note(
                _(
                    '{source}: field "format" must be "{format}" (got {got}); is this a Sciatica Coach '
                    "routine file?"
                ),
                format=FORMAT_NAME,
                got=_describe(data["format"]),
            )
        return None, problems  # some other file: the rest would only be noise
    for key in data:
        if key not in _TOP_LEVEL_FIELDS:
            note(
                _('{source}: field "{field}" is not a known field (the fields are {fields})'),
                field=key,
                fields=", ".join(_TOP_LEVEL_FIELDS),
            )

    version = data.get("version")
    version_ok = False
    if "version" not in data:
        note(_('{source}: field "version" is missing'))
    elif isinstance(version, bool) or not isinstance(version, int) or version < 1:
        note(_('{source}: field "version" must be a whole number (got {got})'), got=_describe(version))
    elif version > PRESCRIPTION_VERSION:
        note(
            _(
                '{source}: field "version" is {version}, newer than this version of Sciatica Coach '
                "understands ({supported}); please update the app"
            ),
            version=version,
            supported=PRESCRIPTION_VERSION,
        )
    else:
        version_ok = True

    phase_value = data.get("phase")
    phase: Phase | None = None
    phases = [int(p) for p in Phase]
    if "phase" not in data:
        note(_('{source}: field "phase" is missing (one of {phases})'), phases=", ".join(map(str, phases)))
    elif isinstance(phase_value, bool) or not isinstance(phase_value, int) or phase_value not in phases:
        note(
            _('{source}: field "phase" must be one of {phases} (got {got})'),
            phases=", ".join(map(str, phases)),
            got=_describe(phase_value),
        )
    else:
        phase = Phase(phase_value)

    raw_items = data.get("exercises")
    routine: Routine | None = None
    if "exercises" not in data:
        note(_('{source}: field "exercises" is missing'))
    elif isinstance(raw_items, list) and len(raw_items) > MAX_EXERCISES:
        note(
            _('{source}: field "exercises" has {count} entries; at most {limit} are allowed'),
            count=len(raw_items),
            limit=MAX_EXERCISES,
        )
    else:
        # With an unreadable phase, still check the entries (as phase 3, so only the phase rule is skipped).
        routine, item_problems = parse_routine_items(
            raw_items, phase or Phase.BALL, catalogue, f'{source}: "exercises"'
        )
        problems.extend(item_problems)

    if problems or routine is None or phase is None or not version_ok:
        return None, problems
    return routine, problems


def parse_prescription(data: object, catalogue: Catalogue, source: str = "prescription") -> Routine:
    """The routine in already-decoded JSON; :class:`PrescriptionError` listing every problem."""
    routine, problems = prescription_problems(data, catalogue, source)
    if routine is None:
        raise PrescriptionError(source, problems)
    return routine


def _too_large(source: str, size: int) -> str:
    return _("{source}: the file is {size} KB; a routine file is at most {limit} KB").format(
        source=source, size=size_words(size, KB), limit=MAX_FILE_BYTES // KB
    )


def loads_prescription(raw: bytes, catalogue: Catalogue, source: str = "prescription") -> Routine:
    """The routine in a file's bytes; :class:`PrescriptionError` for a huge, binary, non-JSON or invalid
    file."""
    if len(raw) > MAX_FILE_BYTES:
        raise PrescriptionError(source, [_too_large(source, len(raw))])
    if b"\x00" in raw:
        raise PrescriptionError(
            source, [_("{source}: this is not a text file (it holds binary data)").format(source=source)]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PrescriptionError(
            source, [_("{source}: the file is not UTF-8 text").format(source=source)]
        ) from None
    if not text.strip():
        raise PrescriptionError(source, [_("{source}: the file is empty").format(source=source)])
    try:
        data = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as err:
        raise PrescriptionError(
            source,
            [
                _("{source}: is not valid JSON (line {line}, column {column}: {error})").format(
                    source=source, line=err.lineno, column=err.colno, error=err.msg
                )
            ],
        ) from None
    except DuplicateKeyError as err:
        raise PrescriptionError(
            source,
            [
                _('{source}: the field "{field}" appears twice in one object').format(
                    source=source, field=err.key
                )
            ],
        ) from None
    except RecursionError:
        raise PrescriptionError(
            source, [_("{source}: the file is nested too deeply to be a routine").format(source=source)]
        ) from None
    return parse_prescription(data, catalogue, source)


def read_prescription(path: Path, catalogue: Catalogue) -> Routine:
    """Read and check a prescription file: an ordinary file only (a pipe or a device is refused, never waited
    on), and never more than MAX_FILE_BYTES + 1 bytes are read."""
    source = path.name or str(path)
    try:
        raw = read_chosen_file(path, MAX_FILE_BYTES)
    except TooLargeError as err:
        raise PrescriptionError(source, [_too_large(source, err.size)]) from None
    except ChosenFileError as err:
        raise PrescriptionError(source, [str(err)]) from None
    routine = loads_prescription(raw, catalogue, source)
    log.info("Read a routine of %d exercises from %s", len(routine.items), path)
    return routine
