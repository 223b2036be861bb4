"""The exercise catalogue: reads ``assets/catalogue.json`` into the typed, frozen values of
:mod:`sciatica_coach.core.model`, checking every field on the way in.

Qt-free and stdlib-only. Every problem is reported in plain words that name the file, the entry and the
field, e.g. ``catalogue.json: exercise "bridge": field "hold_s" must be a whole number from 0 to 600
(got -5)``; validation collects *all* problems, not just the first, so a hand-edited file can be fixed in
one go. The dose bounds and :func:`validate_dose` / :func:`dose_problems` are shared with the routine editor
and the prescription import, so one set of limits applies everywhere.

The file format is described in ``docs/catalogue-format.md``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Final, TypeVar

from sciatica_coach import i18n
from sciatica_coach.assets import asset_path
from sciatica_coach.core.model import (
    Direction,
    Dose,
    Exercise,
    ExerciseKind,
    ExerciseStep,
    Moment,
    Phase,
    Position,
    Routine,
    RoutineItem,
    SideMode,
)
from sciatica_coach.i18n import N_

_log = logging.getLogger(__name__)

CATALOGUE_FILE_NAME: Final = "catalogue.json"
CATALOGUE_VERSION: Final = 1  # the newest catalogue format this code reads

# Dose bounds, inclusive. The routine editor and the prescription import use these too.
HOLD_S_MIN: Final = 0  # 0 = a moving exercise with no hold
HOLD_S_MAX: Final = 600
REPS_MIN: Final = 1  # counted per side for one-sided exercises
REPS_MAX: Final = 50
SETS_MIN: Final = 1
SETS_MAX: Final = 10
REST_S_MIN: Final = 0
REST_S_MAX: Final = 300

DOSE_BOUNDS: Final[Mapping[str, tuple[int, int]]] = MappingProxyType(
    {
        "hold_s": (HOLD_S_MIN, HOLD_S_MAX),
        "reps": (REPS_MIN, REPS_MAX),
        "sets": (SETS_MIN, SETS_MAX),
        "rest_between_reps_s": (REST_S_MIN, REST_S_MAX),
        "rest_between_sets_s": (REST_S_MIN, REST_S_MAX),
    }
)
DOSE_FIELDS: Final[tuple[str, ...]] = tuple(DOSE_BOUNDS)

# A to-and-fro movement (ExerciseKind.MOVEMENT) is timed as "hold" = the move out and "rest between reps" =
# the move back: both stay a few seconds, so a glide can never become a sustained stretch at end range.
MOVE_S_MIN: Final = 1
MOVE_S_MAX: Final = 5
MOVEMENT_DOSE_BOUNDS: Final[Mapping[str, tuple[int, int]]] = MappingProxyType(
    {**DOSE_BOUNDS, "hold_s": (MOVE_S_MIN, MOVE_S_MAX), "rest_between_reps_s": (MOVE_S_MIN, MOVE_S_MAX)}
)


def dose_bounds(kind: ExerciseKind = ExerciseKind.HOLD) -> Mapping[str, tuple[int, int]]:
    """The inclusive bounds of each dose field for an exercise of this kind."""
    return MOVEMENT_DOSE_BOUNDS if kind is ExerciseKind.MOVEMENT else DOSE_BOUNDS


# Words shown to the person: steps must stay short enough to read from the floor, about 2 m away.
STEPS_MIN: Final = 2
STEPS_MAX: Final = 5
STEP_MAX_CHARS: Final = 70
NAME_MAX_CHARS: Final = 40
CAUTIONS_MAX: Final = 4
TEXT_MAX_CHARS: Final = 200  # summary, feel, stop_if, each caution
_STEP_FIELDS: Final[tuple[str, ...]] = ("text", "at")

_ID_PATTERN: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_START_SUFFIX: Final = "-start"
_HOLD_SUFFIX: Final = "-hold"

_EXERCISE_REQUIRED: Final[tuple[str, ...]] = (
    "id",
    "name",
    "summary",
    "phase",
    "position",
    "side_mode",
    "direction",
    *DOSE_FIELDS,
    "steps",
    "feel",
    "stop_if",
    "cautions",
    "start_illustration",
    "hold_illustration",
)
_EXERCISE_OPTIONAL: Final[tuple[str, ...]] = (
    "gentler",
    "kind",
    "affected_side_only",
    "not_soon_after_waking",
)
_TOP_LEVEL_FIELDS: Final[tuple[str, ...]] = ("version", "exercises", "routines")
_ROUTINE_ITEM_FIELDS: Final[tuple[str, ...]] = ("exercise", *DOSE_FIELDS, "side_mode")

_E = TypeVar("_E", bound=Enum)


class CatalogueError(ValueError):
    """The catalogue (or a dose) is not valid. ``problems`` lists every problem found, one sentence each;
    ``str(error)`` is those sentences, one per line."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__("\n".join(self.problems))


class UnknownExerciseError(KeyError):
    """No exercise with this id is in the catalogue."""

    def __init__(self, exercise_id: str) -> None:
        super().__init__(exercise_id)
        self.exercise_id = exercise_id

    def __str__(self) -> str:
        return f'there is no exercise "{self.exercise_id}" in the catalogue'


@dataclass(frozen=True)
class Catalogue:
    """Every exercise (in file order) and the default routine for each phase. Immutable."""

    version: int
    exercises: Mapping[str, Exercise]
    routines: Mapping[Phase, Routine]

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id; :class:`UnknownExerciseError` (a KeyError) when there is none."""
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise UnknownExerciseError(exercise_id) from None

    def by_phase(self, phase: Phase) -> list[Exercise]:
        """The exercises introduced in ``phase``, in file order."""
        return [exercise for exercise in self.exercises.values() if exercise.phase == phase]

    def default_item(self, exercise_id: str) -> RoutineItem:
        """A routine item for the exercise at its catalogue dose and side mode."""
        exercise = self.get(exercise_id)
        return RoutineItem(exercise_id=exercise.id, dose=exercise.dose, side_mode=exercise.side_mode)

    def default_routine(self, phase: Phase, avoid: Direction | None = None) -> Routine:
        """The default routine for ``phase``. With ``avoid`` (flexion or extension), exercises that move the
        low back that way are left out, for people whose leg symptoms worsen with that direction. Exercises
        that move it both ways (cat-camel, ball pelvic tilt) are left out whichever way is avoided."""
        if avoid in (Direction.NEUTRAL, Direction.BOTH):
            raise ValueError(f"only flexion or extension can be avoided, not {avoid}")
        routine = self.routines[Phase(phase)]
        if avoid is None:
            return routine
        kept = (item for item in routine.items if not self.get(item.exercise_id).direction.includes(avoid))
        items = tuple(kept)
        return Routine(phase=routine.phase, items=items)


# --- plain-words helpers ---------------------------------------------------------------------------------


def _describe(value: object) -> str:
    """A value as a person editing the JSON would recognise it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        return i18n._("an object")
    if isinstance(value, list | tuple):
        return i18n._("a list") if value else i18n._("an empty list")
    return type(value).__name__


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib  # only when an entry is wrong

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return i18n._(' (did you mean "{name}"?)').format(name=close[0]) if close else ""


class _Fields:
    """Reads the fields of one JSON object, noting each problem as a sentence that names the entry
    (``where``) and the field. Every reader returns None when the field is missing or wrong."""

    def __init__(self, obj: Mapping[str, object], where: str, problems: list[str]) -> None:
        self.obj = obj
        self.where = where
        self.problems = problems

    def note(self, name: str, message: str) -> None:
        """A problem with the catalogue file itself (for its authors; English)."""
        self.problems.append(f'{self.where}: field "{name}" {message}')

    def say(self, name: str, sentence: str, **params: object) -> None:
        """A problem as a whole translatable sentence with {where} and {field} (routine and prescription
        files are read by people in their own language)."""
        self.problems.append(i18n._(sentence).format(where=self.where, field=name, **params))

    def only(self, allowed: Iterable[str]) -> None:
        """Note every field not in ``allowed`` (a typo, most likely)."""
        allowed = tuple(allowed)
        for key in self.obj:
            if key not in allowed:
                self.say(
                    key,
                    N_('{where}: field "{field}" is not a known field{hint}'),
                    hint=_suggest(key, allowed),
                )

    def _present(self, name: str) -> bool:
        if name in self.obj:
            return True
        self.say(name, N_('{where}: field "{field}" is missing'))
        return False

    def whole_number(self, name: str, low: int, high: int) -> int | None:
        if not self._present(name):
            return None
        value = self.obj[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.say(
                name,
                N_('{where}: field "{field}" must be a whole number from {low} to {high} (got {got})'),
                low=low, high=high, got=_describe(value),
            )  # fmt: skip
            return None
        return value

    def text(self, name: str, max_chars: int) -> str | None:
        if not self._present(name):
            return None
        return self.text_value(self.obj[name], name, max_chars)

    def text_value(self, value: object, name: str, max_chars: int) -> str | None:
        """``value`` as one line of text (``name`` says where it came from, e.g. ``steps[2]``)."""
        if not isinstance(value, str):
            self.say(name, N_('{where}: field "{field}" must be text (got {got})'), got=_describe(value))
            return None
        text = value.strip()
        if not text:
            self.say(name, N_('{where}: field "{field}" must not be empty'))
        elif "\n" in text:
            self.say(name, N_('{where}: field "{field}" must be a single line'))
        elif len(text) > max_chars:
            self.say(
                name, N_('{where}: field "{field}" must be at most {most} characters (got {count})'),
                most=max_chars, count=len(text),
            )  # fmt: skip
        else:
            return text
        return None

    def text_list(
        self, name: str, *, min_items: int, max_items: int, max_chars: int
    ) -> tuple[str, ...] | None:
        if not self._present(name):
            return None
        value = self.obj[name]
        if not isinstance(value, list) or not min_items <= len(value) <= max_items:
            got = _count(len(value), "item") if isinstance(value, list) else _describe(value)
            self.note(name, f"must be a list of {min_items} to {max_items} lines of text (got {got})")
            return None
        texts = [self.text_value(text, f"{name}[{n}]", max_chars) for n, text in enumerate(value, 1)]
        return tuple(text for text in texts if text is not None) if None not in texts else None

    def choice(self, name: str, kind: type[_E]) -> _E | None:
        if not self._present(name):
            return None
        value = self.obj[name]
        for member in kind:
            if member.value == value and type(member.value) is type(value):
                return member
        choices = [str(member.value) for member in kind]
        hint = _suggest(value, choices) if isinstance(value, str) else ""
        self.say(
            name, N_('{where}: field "{field}" must be one of {choices} (got {got}){hint}'),
            choices=", ".join(choices), got=_describe(value), hint=hint,
        )  # fmt: skip
        return None

    def dose(self, base: Dose | None = None, kind: ExerciseKind = ExerciseKind.HOLD) -> Dose | None:
        """The dose fields; with ``base``, missing ones are taken from it (a partial override). The base is
        checked against ``kind``'s bounds too: a movement stays short whoever set its timing."""
        values: dict[str, int] = {}
        for name, (low, high) in dose_bounds(kind).items():
            if base is not None and name not in self.obj:
                value: object = getattr(base, name)
            elif self._present(name):
                value = self.obj[name]
            else:
                continue
            if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                values[name] = value
            elif (low, high) != DOSE_BOUNDS[name]:
                self._movement_problem(name, low, high, value)
            else:
                self.say(
                    name,
                    N_('{where}: field "{field}" must be a whole number from {low} to {high} (got {got})'),
                    low=low, high=high, got=_describe(value),
                )  # fmt: skip
        return Dose(**values) if len(values) == len(DOSE_BOUNDS) else None

    def _movement_problem(self, name: str, low: int, high: int, value: object) -> None:
        self.say(
            name,
            N_('{where}: field "{field}" must be a whole number from {low} to {high} seconds: this is a '
               "smooth to-and-fro movement, never a long hold (got {got})"),
            low=low, high=high, got=_describe(value),
        )  # fmt: skip

    def steps(self) -> tuple[ExerciseStep, ...] | None:
        """The instruction lines, each ``{"text": …, "at": "setup" | "hold" | "return"}``, in the order they
        happen: setup first, then the hold, then the return (see :class:`Moment`)."""
        if not self._present("steps"):
            return None
        value = self.obj["steps"]
        if not isinstance(value, list) or not STEPS_MIN <= len(value) <= STEPS_MAX:
            got = _count(len(value), "item") if isinstance(value, list) else _describe(value)
            self.note("steps", f"must be a list of {STEPS_MIN} to {STEPS_MAX} steps (got {got})")
            return None
        steps: list[ExerciseStep] = []
        for n, raw in enumerate(value, 1):
            if not isinstance(raw, Mapping):
                self.note(
                    f"steps[{n}]",
                    f'must be an object like {{"text": "…", "at": "hold"}} (got {_describe(raw)})',
                )
                continue
            step = _Fields(raw, f"{self.where}, step {n}", self.problems)
            step.only(_STEP_FIELDS)
            text, moment = step.text("text", STEP_MAX_CHARS), step.choice("at", Moment)
            if text is not None and moment is not None:
                steps.append(ExerciseStep(text, moment))
        if len(steps) != len(value):
            return None
        order = list(Moment)
        moments = [step.moment for step in steps]
        if moments != sorted(moments, key=order.index):
            self.note("steps", 'must go in order: the "setup" steps, then "hold", then "return"')
        for needed in (Moment.SETUP, Moment.HOLD):
            if needed not in moments:
                self.note("steps", f'needs at least one "{needed.value}" step')
        return tuple(steps)


# --- doses -----------------------------------------------------------------------------------------------


def dose_problems(
    data: object,
    where: str,
    *,
    base: Dose | None = None,
    other_fields: Iterable[str] = (),
    kind: ExerciseKind = ExerciseKind.HOLD,
) -> list[str]:
    """Every problem with a dose given as a JSON-like mapping, one plain sentence each ([] if none).

    ``where`` starts each sentence (e.g. ``'prescription.json: item 3 ("bridge")'``). With ``base``, the
    mapping is a partial override and missing fields come from ``base``. Fields other than the dose fields
    are reported as unknown unless listed in ``other_fields``. A ``kind`` of MOVEMENT keeps the move out
    (``hold_s``) and the move back (``rest_between_reps_s``) within MOVE_S_MIN..MOVE_S_MAX seconds."""
    problems: list[str] = []
    _dose_from_data(data, where, problems, base=base, other_fields=other_fields, kind=kind)
    return problems


def validate_dose(
    data: object,
    where: str,
    *,
    base: Dose | None = None,
    other_fields: Iterable[str] = (),
    kind: ExerciseKind = ExerciseKind.HOLD,
) -> Dose:
    """The :class:`Dose` in ``data`` (see :func:`dose_problems`); :class:`CatalogueError` listing every
    problem if it is not valid."""
    problems: list[str] = []
    dose = _dose_from_data(data, where, problems, base=base, other_fields=other_fields, kind=kind)
    if problems or dose is None:
        raise CatalogueError(problems)
    return dose


def _dose_from_data(
    data: object,
    where: str,
    problems: list[str],
    *,
    base: Dose | None,
    other_fields: Iterable[str],
    kind: ExerciseKind = ExerciseKind.HOLD,
) -> Dose | None:
    if not isinstance(data, Mapping):
        problems.append(
            f"{where}: the dose must be an object with {', '.join(DOSE_FIELDS)} (got {_describe(data)})"
        )
        return None
    fields = _Fields(data, where, problems)
    fields.only((*DOSE_FIELDS, *other_fields))
    return fields.dose(base, kind)


# --- exercises -------------------------------------------------------------------------------------------


def _exercise_where(source: str, index: int, obj: Mapping[str, object]) -> str:
    exercise_id = obj.get("id")
    if isinstance(exercise_id, str) and _ID_PATTERN.fullmatch(exercise_id):
        return f'{source}: exercise "{exercise_id}"'
    return f"{source}: exercise #{index + 1}"


def _parse_exercise(obj: Mapping[str, object], where: str, problems: list[str]) -> Exercise | None:
    before = len(problems)
    fields = _Fields(obj, where, problems)
    fields.only((*_EXERCISE_REQUIRED, *_EXERCISE_OPTIONAL))

    exercise_id = fields.text("id", NAME_MAX_CHARS)
    if exercise_id is not None and not _ID_PATTERN.fullmatch(exercise_id):
        fields.note(
            "id",
            "must be lower-case letters and digits joined by hyphens, like bird-dog "
            f"(got {_describe(exercise_id)})",
        )
        exercise_id = None
    name = fields.text("name", NAME_MAX_CHARS)
    summary = fields.text("summary", TEXT_MAX_CHARS)
    phase_number = fields.whole_number("phase", int(min(Phase)), int(max(Phase)))
    position = fields.choice("position", Position)
    side_mode = fields.choice("side_mode", SideMode)
    direction = fields.choice("direction", Direction)
    kind = fields.choice("kind", ExerciseKind) if "kind" in obj else ExerciseKind.HOLD
    dose = fields.dose(kind=kind or ExerciseKind.HOLD)
    steps = fields.steps()
    if (
        kind is ExerciseKind.MOVEMENT
        and steps is not None
        and all(s.moment is not Moment.RETURN for s in steps)
    ):
        fields.note("steps", 'needs a "return" step: the move back of a to-and-fro movement')
    feel = fields.text("feel", TEXT_MAX_CHARS)
    stop_if = fields.text("stop_if", TEXT_MAX_CHARS)
    cautions = fields.text_list("cautions", min_items=0, max_items=CAUTIONS_MAX, max_chars=TEXT_MAX_CHARS)
    start_illustration = _illustration(fields, "start_illustration", exercise_id, _START_SUFFIX)
    hold_illustration = _illustration(fields, "hold_illustration", exercise_id, _HOLD_SUFFIX)
    gentler = obj.get("gentler")
    if gentler is not None:
        gentler = fields.text_value(gentler, "gentler", NAME_MAX_CHARS)
    affected_side_only = _optional_flag(fields, obj, "affected_side_only")
    if affected_side_only and side_mode is SideMode.BOTH:
        fields.note(
            "affected_side_only", 'is only for a one-sided exercise (a "side_mode" other than "both")'
        )
    not_soon_after_waking = _optional_flag(fields, obj, "not_soon_after_waking")

    if len(problems) > before:
        return None
    # Every value was checked above and found good; the asserts only inform the type checker.
    assert exercise_id is not None and name is not None and summary is not None
    assert phase_number is not None and position is not None and side_mode is not None
    assert direction is not None and dose is not None and steps is not None
    assert feel is not None and stop_if is not None and cautions is not None and kind is not None
    assert start_illustration is not None and hold_illustration is not None
    assert gentler is None or isinstance(gentler, str)
    return Exercise(
        id=exercise_id,
        name=name,
        phase=Phase(phase_number),
        position=position,
        side_mode=side_mode,
        dose=dose,
        steps=steps,
        feel=feel,
        stop_if=stop_if,
        cautions=cautions,
        direction=direction,
        start_illustration=start_illustration,
        hold_illustration=hold_illustration,
        gentler=gentler,
        summary=summary,
        kind=kind,
        affected_side_only=affected_side_only,
        not_soon_after_waking=not_soon_after_waking,
    )


def _optional_flag(fields: _Fields, obj: Mapping[str, object], name: str) -> bool:
    """An optional true/false field (false when left out); anything else is noted as a problem."""
    value = obj.get(name, False)
    if not isinstance(value, bool):
        fields.note(name, f"must be true or false (got {_describe(value)})")
        return False
    return value


def _illustration(fields: _Fields, name: str, exercise_id: str | None, suffix: str) -> str | None:
    """An illustration id must be the exercise id plus ``-start`` or ``-hold``: the drawings are
    ``assets/illustrations/<id>-start.svg`` and ``<id>-hold.svg``."""
    value = fields.text(name, NAME_MAX_CHARS + len(suffix))
    if value is None or exercise_id is None:
        return value
    expected = exercise_id + suffix
    if value != expected:
        fields.note(name, f'must be "{expected}" (got {_describe(value)})')
        return None
    return value


def _check_gentler(exercises: Mapping[str, Exercise], source: str, problems: list[str]) -> None:
    """``gentler`` names another exercise of the same or an earlier phase, and following it ends."""
    before = len(problems)
    for exercise in exercises.values():
        fields = _Fields({}, f'{source}: exercise "{exercise.id}"', problems)
        target = exercises.get(exercise.gentler) if exercise.gentler is not None else None
        if exercise.gentler is None:
            continue
        if exercise.gentler == exercise.id:
            fields.note("gentler", "must name a different exercise, not itself")
        elif target is None:
            fields.note(
                "gentler",
                f'names an unknown exercise "{exercise.gentler}"' + _suggest(exercise.gentler, exercises),
            )
        elif target.phase > exercise.phase:
            fields.note(
                "gentler",
                f"must name an exercise of phase {exercise.phase.value} or earlier "
                f'("{target.id}" is phase {target.phase.value})',
            )
    if len(problems) > before:
        return
    reported: set[frozenset[str]] = set()
    for exercise in exercises.values():
        chain = [exercise.id]
        current = exercise.gentler
        while current is not None and current not in chain:
            chain.append(current)
            current = exercises[current].gentler
        # Report each circle once, at the first of its exercises in the file.
        if current == exercise.id and frozenset(chain) not in reported:
            reported.add(frozenset(chain))
            fields = _Fields({}, f'{source}: exercise "{exercise.id}"', problems)
            fields.note("gentler", f"goes round in a circle ({' -> '.join([*chain, current])})")


# --- routines --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """The exercises a routine may name: those that parsed, and every id seen (some had problems).
    When the exercise list itself could not be read, routines are checked for shape only."""

    exercises: Mapping[str, Exercise]
    ids: frozenset[str]
    readable: bool = True


def _parse_routines(value: object, known: _Known, source: str, problems: list[str]) -> dict[Phase, Routine]:
    top = _Fields({}, source, problems)
    phase_keys = [str(phase.value) for phase in Phase]
    if not isinstance(value, Mapping):
        top.note(
            "routines",
            f"must be an object with a list for each phase {', '.join(phase_keys)} (got {_describe(value)})",
        )
        return {}
    for key in value:
        if key not in phase_keys:
            top.note(
                "routines", f"has an unknown phase {_describe(key)} (phases are {', '.join(phase_keys)})"
            )
    routines: dict[Phase, Routine] = {}
    for phase in Phase:
        key = str(phase.value)
        if key not in value:
            top.note("routines", f"has no routine for phase {key}")
            continue
        raw_items = value[key]
        routine_where = f"{source}: routine for phase {key}"
        if not isinstance(raw_items, list) or not raw_items:
            problems.append(
                f"{routine_where}: must be a non-empty list of items (got {_describe(raw_items)})"
            )
            continue
        items: list[RoutineItem] = []
        for index, raw_item in enumerate(raw_items):
            where = f"{routine_where}, item {index + 1}"
            item = _parse_routine_item(raw_item, phase, known, where, problems)
            if item is not None:
                items.append(item)
        _check_repeats(raw_items, routine_where, problems)
        routines[phase] = Routine(phase=phase, items=tuple(items))
    return routines


def _parse_routine_item(
    raw_item: object, phase: Phase, known: _Known, where: str, problems: list[str]
) -> RoutineItem | None:
    if not isinstance(raw_item, Mapping):
        problems.append(
            i18n._("{where}: must be an object like {example} (got {got})").format(
                where=where, example='{"exercise": "bridge"}', got=_describe(raw_item)
            )
        )
        return None
    if isinstance(raw_item.get("exercise"), str):
        where = f'{where} ("{raw_item["exercise"]}")'
    before = len(problems)
    fields = _Fields(raw_item, where, problems)
    fields.only(_ROUTINE_ITEM_FIELDS)
    exercise_id = fields.text("exercise", NAME_MAX_CHARS)
    if exercise_id is None:
        return None
    exercise = known.exercises.get(exercise_id)
    if exercise is None:
        if known.readable and exercise_id not in known.ids:  # else its problems were reported already
            fields.say(
                "exercise", N_('{where}: field "{field}" names an unknown exercise "{exercise}"{hint}'),
                exercise=exercise_id, hint=_suggest(exercise_id, known.ids),
            )  # fmt: skip
        return None
    if exercise.phase > phase:
        fields.say(
            "exercise",
            N_('{where}: field "{field}" names "{exercise}" from phase {phase}; '
               "a routine uses exercises of its own phase or earlier"),
            exercise=exercise_id, phase=exercise.phase.value,
        )  # fmt: skip
    dose = fields.dose(base=exercise.dose, kind=exercise.kind)
    side_mode = fields.choice("side_mode", SideMode) if "side_mode" in raw_item else exercise.side_mode
    if len(problems) > before or dose is None or side_mode is None:
        return None
    return RoutineItem(exercise_id=exercise_id, dose=dose, side_mode=side_mode)


def parse_routine_items(
    raw_items: object, phase: Phase, catalogue: Catalogue, where: str
) -> tuple[Routine | None, list[str]]:
    """A routine of ``phase`` from a JSON-like list of items (``{"exercise": "bridge", "reps": 8, ...}``),
    checked exactly as the catalogue's own routines are: known exercises of ``phase`` or earlier, dose
    fields within the bounds (missing ones taken from the catalogue), a known side mode, no repeats and no
    unknown fields. Returns ``(routine, [])`` or ``(None, problems)`` listing every problem, each sentence
    starting with ``where`` and naming the item and field. Used by the stored routine and the prescription
    import, so one set of rules applies everywhere."""
    problems: list[str] = []
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(
            i18n._("{where}: must be a non-empty list of exercises (got {got})").format(
                where=where, got=_describe(raw_items)
            )
        )
        return None, problems
    known = _Known(catalogue.exercises, frozenset(catalogue.exercises))
    items: list[RoutineItem] = []
    for index, raw_item in enumerate(raw_items):
        item_where = i18n._("{where}, item {n}").format(where=where, n=index + 1)
        item = _parse_routine_item(raw_item, Phase(phase), known, item_where, problems)
        if item is not None:
            items.append(item)
    _check_repeats(raw_items, where, problems)
    if problems:
        return None, problems
    return Routine(phase=Phase(phase), items=tuple(items)), problems


def _check_repeats(raw_items: Sequence[object], routine_where: str, problems: list[str]) -> None:
    first_item: dict[str, int] = {}
    for index, raw_item in enumerate(raw_items):
        if not isinstance(raw_item, Mapping) or not isinstance(exercise_id := raw_item.get("exercise"), str):
            continue
        if exercise_id in first_item:
            item_where = i18n._("{where}, item {n}").format(where=routine_where, n=index + 1)
            fields = _Fields({}, f'{item_where} ("{exercise_id}")', problems)
            fields.say(
                "exercise", N_('{where}: field "{field}" repeats "{exercise}", already item {first}'),
                exercise=exercise_id, first=first_item[exercise_id] + 1,
            )  # fmt: skip
        else:
            first_item[exercise_id] = index


# --- the whole file --------------------------------------------------------------------------------------


def catalogue_problems(data: object, source: str = CATALOGUE_FILE_NAME) -> list[str]:
    """Every problem with already-decoded catalogue JSON, one plain sentence each ([] when it is valid)."""
    return _parse(data, source)[1]


def parse_catalogue(data: object, source: str = CATALOGUE_FILE_NAME) -> Catalogue:
    """A :class:`Catalogue` from already-decoded JSON; :class:`CatalogueError` listing every problem."""
    catalogue, problems = _parse(data, source)
    if problems or catalogue is None:
        raise CatalogueError(problems)
    return catalogue


def _parse(data: object, source: str) -> tuple[Catalogue | None, list[str]]:
    problems: list[str] = []
    if not isinstance(data, Mapping):
        problems.append(
            f"{source}: the top level must be an object with {', '.join(_TOP_LEVEL_FIELDS)} "
            f"(got {_describe(data)})"
        )
        return None, problems
    top = _Fields(data, source, problems)
    top.only(_TOP_LEVEL_FIELDS)
    version = _parse_version(top)
    known = _parse_exercises(top, source)
    routines = _parse_routines(data["routines"], known, source, problems) if "routines" in data else {}
    if "routines" not in data:
        top.note("routines", "is missing")
    if problems or version is None:
        return None, problems
    catalogue = Catalogue(
        version=version,
        exercises=MappingProxyType(dict(known.exercises)),
        routines=MappingProxyType(routines),
    )
    return catalogue, problems


def _parse_version(top: _Fields) -> int | None:
    value = top.obj.get("version")
    if isinstance(value, int) and not isinstance(value, bool) and value > CATALOGUE_VERSION:
        top.note(
            "version",
            f"is {value}, newer than this version of Sciatica Coach understands ({CATALOGUE_VERSION}); "
            "please update the app",
        )
        return None
    return top.whole_number("version", 1, CATALOGUE_VERSION)


def _parse_exercises(top: _Fields, source: str) -> _Known:
    problems = top.problems
    exercises: dict[str, Exercise] = {}
    first_index: dict[str, int] = {}
    raw_exercises = top.obj.get("exercises")
    if "exercises" not in top.obj:
        top.note("exercises", "is missing")
        return _Known(exercises, frozenset(), readable=False)
    if not isinstance(raw_exercises, list) or not raw_exercises:
        top.note("exercises", f"must be a non-empty list (got {_describe(raw_exercises)})")
        return _Known(exercises, frozenset(), readable=False)
    for index, raw in enumerate(raw_exercises):
        if not isinstance(raw, Mapping):
            problems.append(f"{source}: exercise #{index + 1}: must be an object (got {_describe(raw)})")
            continue
        raw_id = raw.get("id")
        if isinstance(raw_id, str) and raw_id in first_index:
            repeat = _Fields(raw, f"{source}: exercise #{index + 1}", problems)
            repeat.note("id", f'repeats "{raw_id}", already used by exercise #{first_index[raw_id] + 1}')
            continue
        if isinstance(raw_id, str):
            first_index[raw_id] = index
        exercise = _parse_exercise(raw, _exercise_where(source, index, raw), problems)
        if exercise is not None:
            exercises[exercise.id] = exercise
    if len(exercises) == len(raw_exercises):
        _check_gentler(exercises, source, problems)
    return _Known(exercises, frozenset(first_index))


# --- loading ---------------------------------------------------------------------------------------------


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check the catalogue file; the bundled ``catalogue.json`` when ``path`` is None (read once
    and cached, its texts in the current language: see :func:`translated`). :class:`CatalogueError` if the
    file cannot be read, is not JSON or is not valid."""
    if path is None:
        return _load_translated(i18n.current_language())
    return _load_file(path)


def translated(catalogue: Catalogue) -> Catalogue:
    """The catalogue with each exercise's name, summary, steps, feel, stop_if and cautions in the current
    language, from the translation's overlay keyed by exercise id and field; untranslated fields stay English.
    Each step keeps its moment (setup, hold, return) from the English catalogue."""
    if i18n.current_language() == i18n.SOURCE_LANGUAGE:
        return catalogue
    exercises = {
        exercise_id: replace(
            exercise,
            name=i18n.exercise_text(exercise_id, "name", exercise.name),
            summary=i18n.exercise_text(exercise_id, "summary", exercise.summary),
            steps=tuple(
                replace(step, text=text)
                for step, text in zip(
                    exercise.steps,
                    i18n.exercise_steps(exercise_id, [step.text for step in exercise.steps]),
                    strict=True,
                )
            ),
            cautions=i18n.exercise_steps(exercise_id, exercise.cautions, "cautions"),
            feel=i18n.exercise_text(exercise_id, "feel", exercise.feel),
            stop_if=i18n.exercise_text(exercise_id, "stop_if", exercise.stop_if),
        )
        for exercise_id, exercise in catalogue.exercises.items()
    }
    return replace(catalogue, exercises=MappingProxyType(exercises))


@cache
def _load_translated(language: str) -> Catalogue:
    return translated(_load_bundled()) if language != i18n.SOURCE_LANGUAGE else _load_bundled()


def clear_catalogue_cache() -> None:
    """Forget the cached bundled catalogue (for tests, or after the assets folder changes)."""
    _load_bundled.cache_clear()
    _load_translated.cache_clear()


@cache
def _load_bundled() -> Catalogue:
    return _load_file(asset_path(CATALOGUE_FILE_NAME))


def _load_file(path: Path) -> Catalogue:
    source = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(f"{source}: the file is missing (looked in {path.parent})") from None
    except UnicodeDecodeError:
        raise CatalogueError(f"{source}: the file is not UTF-8 text") from None
    except OSError as error:
        raise CatalogueError(f"{source}: the file could not be read ({error.strerror or error})") from None
    try:
        data = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise CatalogueError(
            f"{source}: is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except DuplicateKeyError as error:
        raise CatalogueError(f'{source}: the key "{error.key}" appears twice in one object') from None
    catalogue = parse_catalogue(data, source)
    _log.debug("Loaded %d exercises from %s", len(catalogue.exercises), path)
    return catalogue


class DuplicateKeyError(ValueError):
    """A JSON object names the same key twice (the second would silently win)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """`object_pairs_hook` for json.loads that refuses a key given twice in one object."""
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result
