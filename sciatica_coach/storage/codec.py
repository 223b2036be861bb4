"""Turning core values into plain JSON-ready dicts and back, for the data file and for exports."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sciatica_coach.core.model import (
    ExerciseRecord,
    LegReach,
    Outcome,
    PainReport,
    Phase,
    SafetyEvent,
    SafetyEventKind,
    SessionRecord,
    SymptomChange,
)
from sciatica_coach.core.plausible import clean_text, plausible_moment, unwritable_part
from sciatica_coach.core.sitting import BreakOutcome, Movement, SittingBreak
from sciatica_coach.i18n import _

# The longest values a real record has (this app writes far shorter ones); anything longer is set aside.
LONGEST_ID = 200  # a session id, an exercise id, a flag name
LONGEST_TEXT = 2000  # a reason, a slot, a detail
MOST_ITEMS = 200  # exercises in a session, flags in an event
LONGEST_SESSION = timedelta(days=2)


class RecordError(ValueError):
    """A stored or imported record does not have the expected shape; the message says which field."""


def pain_to_dict(report: PainReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "back": report.back,
        "leg": report.leg,
        "reach": report.reach.value,
        "new_numbness_or_weakness": report.new_numbness_or_weakness,
    }


def session_to_dict(record: SessionRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat(),
        "phase": int(record.phase),
        "outcome": record.outcome.value,
        "reason": record.reason,
        "slot": record.slot,
        "pain_before": pain_to_dict(record.pain_before),
        "pain_after": pain_to_dict(record.pain_after),
        "exercises": [
            {
                "exercise_id": ex.exercise_id,
                "reps_done": ex.reps_done,
                "reps_planned": ex.reps_planned,
                "sets_done": ex.sets_done,
                "sets_planned": ex.sets_planned,
                "hold_s": ex.hold_s,
                "skipped": ex.skipped,
                "symptom": ex.symptom.value if ex.symptom else None,
            }
            for ex in record.exercises
        ],
    }


def _field(doc: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in doc:
        raise RecordError(_("{where}: the field '{key}' is missing").format(where=where, key=key))
    value = doc[key]
    if isinstance(value, bool) and kind is int:
        raise RecordError(_("{where}: the field '{key}' should be a number").format(where=where, key=key))
    if not isinstance(value, kind):
        raise RecordError(_("{where}: the field '{key}' has the wrong type").format(where=where, key=key))
    return value


def _int(doc: dict[str, Any], key: str, where: str, low: int = 0, high: int = 100_000) -> int:
    value: int = _field(doc, key, int, where)
    if not low <= value <= high:
        raise RecordError(
            _("{where}: '{key}' must be between {low} and {high} (got {value})").format(
                where=where, key=key, low=low, high=high, value=value
            )
        )
    return value


def _time(doc: dict[str, Any], key: str, where: str) -> datetime:
    text: str = _field(doc, key, str, where)
    try:
        if not text.isascii():
            raise ValueError(text)
        value = datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(
            _("{where}: '{key}' is not a date and time ({text})").format(
                where=where, key=key, text=repr(text)
            )
        ) from None
    if value.tzinfo is None:
        raise RecordError(
            _("{where}: '{key}' has no time zone ({text})").format(where=where, key=key, text=repr(text))
        )
    if not plausible_moment(value):
        raise RecordError(
            _("{where}: '{key}' is not a time a real record can have ({text})").format(
                where=where, key=key, text=repr(text)
            )
        )
    return value


# Decoded records outlive the parsed JSON they are read from (the repository lets a year's parsed file go once
# it is decoded), so they hold texts and parts of their own: a copy, shared by every record with the same
# exercise, slot, reason or pain answers, instead of pieces of the parsed file that would keep its memory in
# use (issue 18, point 7). The tables are emptied when they grow past SHARED_MOST (a history of made-up ids).
SHARED_MOST = 4096
_shared_texts: dict[str, str] = {}
_shared_parts: dict[object, Any] = {}
Part = TypeVar("Part")


def _own_text(text: str) -> str:
    """`text`, as a string of the decoder's own, the same one for every equal text."""
    shared = _shared_texts.get(text)
    if shared is None:
        if len(_shared_texts) >= SHARED_MOST:
            _shared_texts.clear()
        shared = text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")  # a copy
        _shared_texts[shared] = shared
    return shared


def _shared(part: Part) -> Part:
    """An equal (frozen, so interchangeable) pain answer or exercise record decoded before, else `part`."""
    shared = _shared_parts.get(part)
    if shared is None:
        if len(_shared_parts) >= SHARED_MOST:
            _shared_parts.clear()
        shared = _shared_parts[part] = part
    return shared


def _text(doc: dict[str, Any], key: str, where: str, longest: int = LONGEST_ID) -> str:
    """A required text field that can be written and shown, of at most `longest` characters."""
    value = clean_text(_field(doc, key, str, where), longest)
    if value is None:
        raise RecordError(
            _("{where}: '{key}' is not usable text (too long, or not valid Unicode)").format(
                where=where, key=key
            )
        )
    return _own_text(value)


def _writable(doc: dict[str, Any], where: str) -> None:
    """Refuse a record holding what no file can keep as it is (a lone surrogate, NaN, absurd nesting)."""
    why = unwritable_part(doc)
    if why is not None:
        raise RecordError(_("{where}: it holds {what}").format(where=where, what=_(why)))


def _label(value: object) -> str:
    """A record's id as it can be shown in a message, whatever it is (long, not text, not valid Unicode)."""
    return ascii(value)[:40] if clean_text(value, 40) is None else str(value)


def _optional_text(doc: dict[str, Any], key: str, where: str) -> str:
    value = doc.get(key, "")
    if not isinstance(value, str):
        raise RecordError(_("{where}: '{key}' should be text").format(where=where, key=key))
    if clean_text(value, LONGEST_TEXT) is None:
        raise RecordError(
            _("{where}: '{key}' is not usable text (too long, or not valid Unicode)").format(
                where=where, key=key
            )
        )
    return _own_text(value)


def pain_from_dict(doc: object, where: str) -> PainReport | None:
    if doc is None:
        return None
    if not isinstance(doc, dict):
        raise RecordError(_("{where}: should be an object").format(where=where))
    try:
        reach = LegReach(doc.get("reach", "none"))
    except ValueError:
        raise RecordError(
            _("{where}: 'reach' is not one of {values}").format(
                where=where, values=[r.value for r in LegReach]
            )
        ) from None
    numb = doc.get("new_numbness_or_weakness", False)
    if not isinstance(numb, bool):
        raise RecordError(
            _("{where}: 'new_numbness_or_weakness' should be true or false").format(where=where)
        )
    return _shared(
        PainReport(
            back=_int(doc, "back", where, 0, 10),
            leg=_int(doc, "leg", where, 0, 10),
            reach=reach,
            new_numbness_or_weakness=numb,
        )
    )


def session_from_dict(doc: object, where: str | None = None) -> SessionRecord:
    if where is None:
        where = _("session")
    if not isinstance(doc, dict):
        raise RecordError(_("{where}: should be an object").format(where=where))
    where = f"{where} {_label(doc.get('id', '?'))}"
    _writable(doc, where)
    outcome_text = _field(doc, "outcome", str, where)  # a RecordError here already names `where`
    try:
        outcome = Outcome(outcome_text)
    except ValueError:
        raise RecordError(
            _("{where}: 'outcome' is not one of {values}").format(
                where=where, values=[o.value for o in Outcome]
            )
        ) from None
    phase = Phase(_int(doc, "phase", where, 1, 3))  # 1 to 3 are all phases
    exercises_raw = _field(doc, "exercises", list, where)
    if len(exercises_raw) > MOST_ITEMS:
        raise RecordError(_("{where}: it has more exercises than a session can have").format(where=where))
    exercises = []
    for i, ex in enumerate(exercises_raw):
        ex_where = _("{where}, exercise {n}").format(where=where, n=i + 1)
        if not isinstance(ex, dict):
            raise RecordError(_("{where}: should be an object").format(where=ex_where))
        symptom_raw = ex.get("symptom")
        try:
            symptom = SymptomChange(symptom_raw) if symptom_raw is not None else None
        except ValueError:
            raise RecordError(
                _("{where}: 'symptom' must be up, same or down").format(where=ex_where)
            ) from None
        skipped = ex.get("skipped", False)
        if not isinstance(skipped, bool):
            raise RecordError(_("{where}: 'skipped' should be true or false").format(where=ex_where))
        exercises.append(
            _shared(
                ExerciseRecord(
                    exercise_id=_text(ex, "exercise_id", ex_where),
                    reps_done=_int(ex, "reps_done", ex_where),
                    reps_planned=_int(ex, "reps_planned", ex_where),
                    sets_done=_int(ex, "sets_done", ex_where),
                    sets_planned=_int(ex, "sets_planned", ex_where),
                    hold_s=_int(ex, "hold_s", ex_where),
                    skipped=skipped,
                    symptom=symptom,
                )
            )
        )
    started, ended = _time(doc, "started_at", where), _time(doc, "ended_at", where)
    if ended < started:
        raise RecordError(_("{where}: it ends before it starts").format(where=where))
    if ended - started > LONGEST_SESSION:
        raise RecordError(_("{where}: it lasts longer than a session can").format(where=where))
    return SessionRecord(
        id=_text(doc, "id", where),
        started_at=started,
        ended_at=ended,
        phase=phase,
        exercises=tuple(exercises),
        outcome=outcome,
        pain_before=pain_from_dict(doc.get("pain_before"), _("{where}, pain before").format(where=where)),
        pain_after=pain_from_dict(doc.get("pain_after"), _("{where}, pain after").format(where=where)),
        reason=_optional_text(doc, "reason", where),
        slot=_optional_text(doc, "slot", where),
    )


def event_to_dict(event: SafetyEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "kind": event.kind.value,
        "detail": event.detail,
        "exercise_id": event.exercise_id,
        "session_id": event.session_id,
        "flags": list(event.flags),
    }


def event_key(event: SafetyEvent) -> tuple[str, str, str, str]:
    """What identifies a safety event, so importing the same one twice adds it once: time, kind, exercise
    and session."""
    return (event.at.isoformat(), event.kind.value, event.exercise_id, event.session_id)


def event_from_dict(doc: object, where: str | None = None) -> SafetyEvent:
    if where is None:
        where = _("safety event")
    if not isinstance(doc, dict):
        raise RecordError(_("{where}: should be an object").format(where=where))
    _writable(doc, where)
    try:
        kind = SafetyEventKind(_field(doc, "kind", str, where))
    except ValueError:
        raise RecordError(
            _("{where}: 'kind' is not one of {values}").format(
                where=where, values=[k.value for k in SafetyEventKind]
            )
        ) from None
    flags = doc.get("flags", [])
    if (
        not isinstance(flags, list)
        or len(flags) > MOST_ITEMS
        or not all(clean_text(flag, LONGEST_ID) is not None for flag in flags)
    ):
        raise RecordError(_("{where}: 'flags' should be a list of names").format(where=where))
    return SafetyEvent(
        at=_time(doc, "at", where),
        kind=kind,
        detail=_optional_text(doc, "detail", where),
        exercise_id=_optional_text(doc, "exercise_id", where),
        session_id=_optional_text(doc, "session_id", where),
        flags=tuple(flags),
    )


def sitting_break_to_dict(record: SittingBreak) -> dict[str, Any]:
    return {"at": record.at.isoformat(), "outcome": record.outcome.value, "movement": record.movement.value}


def sitting_break_key(record: SittingBreak) -> tuple[str, str, str]:
    """What identifies an answer to a break card, so importing the same one twice adds it once."""
    return (record.at.isoformat(), record.outcome.value, record.movement.value)


def sitting_break_from_dict(doc: object, where: str | None = None) -> SittingBreak:
    """One answer to a break card, or RecordError saying in plain words what is wrong with it."""
    if where is None:
        where = _("sitting break")
    if not isinstance(doc, dict):
        raise RecordError(_("{where}: should be an object").format(where=where))
    _writable(doc, where)
    outcome_text = _field(doc, "outcome", str, where)  # (its own RecordError, not reworded below)
    movement_text = _field(doc, "movement", str, where)
    try:
        outcome = BreakOutcome(outcome_text)
    except ValueError:
        raise RecordError(
            _("{where}: 'outcome' is not one of {values}").format(
                where=where, values=[o.value for o in BreakOutcome]
            )
        ) from None
    try:
        movement = Movement(movement_text)
    except ValueError:
        raise RecordError(
            _("{where}: 'movement' is not one of {values}").format(
                where=where, values=[m.value for m in Movement]
            )
        ) from None
    return SittingBreak(at=_time(doc, "at", where), outcome=outcome, movement=movement)
