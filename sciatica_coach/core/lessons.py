"""The posture and body-mechanics lessons (issue 20, point 2): read from ``assets/lessons.json`` and checked
on the way in, and the rule for Today's tip (one lesson a day in the first weeks, never one already read).

Qt-free. A lesson is a title, three to five short steps, at most one "take care" line and the id of its
drawing (generated in ``views/illustration_sources.py``). The words in the file are English; each is a key of
``messages`` in the translations, so :func:`translated` gives them in the current language. A bad file is
reported in plain words that name the file, the lesson and the field (:class:`LessonsError`)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Final

from sciatica_coach import i18n
from sciatica_coach.assets import asset_path

log = logging.getLogger(__name__)

LESSONS_FILE_NAME: Final = "lessons.json"
FORMAT: Final = 1
MIN_STEPS: Final = 3
MAX_STEPS: Final = 5
MAX_TITLE_CHARS: Final = 60
MAX_LINE_CHARS: Final = 140  # one short sentence: readable from the floor at a glance
READ_MINUTES: Final = 1  # each lesson is written to be read in about a minute
TIP_WINDOW: Final = timedelta(weeks=4)  # Today suggests a lesson a day only in the first four weeks
ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
DRAWING_PATTERN: Final = re.compile(r"^lesson-[a-z0-9-]{1,40}$")
_FIELDS: Final = frozenset({"id", "title", "steps", "take_care", "drawing", "drawing_description"})


class LessonsError(ValueError):
    """The lessons file is not valid; ``problems`` lists every problem found, one plain sentence each."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    steps: tuple[str, ...]
    take_care: str | None
    drawing: str  # an illustration id: assets/illustrations/<drawing>.svg
    drawing_description: str  # what the drawing shows, for a screen reader

    def texts(self) -> tuple[str, ...]:
        """Every word shown to the person, in English (each needs a translation)."""
        extra = (self.take_care,) if self.take_care else ()
        return (self.title, *self.steps, *extra, self.drawing_description)


def translated(lesson: Lesson) -> Lesson:
    """The lesson in the current language (English where a line has no translation)."""
    return replace(
        lesson,
        title=i18n._(lesson.title),
        steps=tuple(i18n._(s) for s in lesson.steps),
        take_care=i18n._(lesson.take_care) if lesson.take_care else None,
        drawing_description=i18n._(lesson.drawing_description),
    )


def _line(value: object, where: str, name: str, longest: int, problems: list[str]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f'{where}: "{name}" must be some text (got {value!r:.40})')
        return None
    if len(value) > longest:
        problems.append(f'{where}: "{name}" is {len(value)} characters long; keep it to {longest}')
        return None
    return value.strip()


def _parse_lesson(obj: object, where: str, problems: list[str]) -> Lesson | None:
    if not isinstance(obj, Mapping):
        problems.append(f"{where}: each lesson must be an object with a title and steps")
        return None
    before = len(problems)
    unknown = sorted(str(k) for k in obj if k not in _FIELDS)
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
    lesson_id = obj.get("id")
    if not isinstance(lesson_id, str) or not ID_PATTERN.match(lesson_id):
        problems.append(
            f'{where}: "id" must be a short name in lower case, like "bed" (got {lesson_id!r:.40})'
        )
    title = _line(obj.get("title"), where, "title", MAX_TITLE_CHARS, problems)
    raw_steps = obj.get("steps")
    steps: list[str] = []
    if not isinstance(raw_steps, list) or not MIN_STEPS <= len(raw_steps) <= MAX_STEPS:
        problems.append(f'{where}: "steps" must be a list of {MIN_STEPS} to {MAX_STEPS} short sentences')
    else:
        for n, step in enumerate(raw_steps, start=1):
            text = _line(step, where, f"steps {n}", MAX_LINE_CHARS, problems)
            if text is not None:
                steps.append(text)
    take_care = None
    if "take_care" in obj:
        take_care = _line(obj.get("take_care"), where, "take_care", MAX_LINE_CHARS, problems)
    drawing = obj.get("drawing")
    if not isinstance(drawing, str) or not DRAWING_PATTERN.match(drawing):
        problems.append(
            f'{where}: "drawing" must name a lesson drawing, like "lesson-bed" (got {drawing!r:.40})'
        )
    description = _line(
        obj.get("drawing_description"), where, "drawing_description", MAX_LINE_CHARS, problems
    )
    if len(problems) > before:
        return None
    assert isinstance(lesson_id, str) and isinstance(drawing, str) and title and description
    return Lesson(lesson_id, title, tuple(steps), take_care, drawing, description)


def parse_lessons(data: object, source: str = LESSONS_FILE_NAME) -> tuple[Lesson, ...]:
    """The lessons in `data` (the file's parsed JSON), in the file's order; LessonsError lists all problems."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise LessonsError(f"{source}: the file must hold an object with a list of lessons")
    if data.get("format") != FORMAT:
        problems.append(
            f"{source}: this app reads lessons of format {FORMAT} (got {data.get('format')!r:.20})"
        )
    raw = data.get("lessons")
    if not isinstance(raw, list) or not raw:
        raise LessonsError([*problems, f'{source}: "lessons" must be a list with at least one lesson'])
    lessons: list[Lesson] = []
    seen: set[str] = set()
    for index, obj in enumerate(raw, start=1):
        name = obj.get("id") if isinstance(obj, Mapping) else None
        where = f"{source}: lesson {index}" + (f' "{name}"' if isinstance(name, str) else "")
        lesson = _parse_lesson(obj, where, problems)
        if lesson is None:
            continue
        if lesson.id in seen:
            problems.append(f'{where}: the id "{lesson.id}" is used twice')
            continue
        seen.add(lesson.id)
        lessons.append(lesson)
    if problems:
        raise LessonsError(problems)
    return tuple(lessons)


def load_lessons(path: Path | None = None) -> tuple[Lesson, ...]:
    """Read and check a lessons file (by default the app's own). Raises LessonsError in plain words."""
    path = path if path is not None else asset_path(LESSONS_FILE_NAME)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise LessonsError(f"{path.name}: the lessons could not be read ({err.strerror or err})") from err
    except UnicodeDecodeError as err:
        raise LessonsError(f"{path.name}: the file is not UTF-8 text") from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise LessonsError(f"{path.name}: not valid JSON at line {err.lineno}, column {err.colno}") from err
    return parse_lessons(data, path.name)


@cache
def app_lessons() -> tuple[Lesson, ...]:
    """The app's own lessons, read once (in English: translate with :func:`translated` where shown)."""
    return load_lessons()


def suggested_lesson(
    lessons: Sequence[Lesson],
    opened: frozenset[str] | set[str],
    first_day: date,
    today: date,
    not_now_day: date | None = None,
) -> Lesson | None:
    """Today's tip: None after the first four weeks (TIP_WINDOW from `first_day`), on a day the person said
    "Not now", or when every lesson has been opened. Otherwise one lesson not yet opened, a different one
    each day: the days since `first_day` step through the unopened lessons in the file's order."""
    if not_now_day == today:
        return None
    days = (today - first_day).days
    if days < 0 or days >= TIP_WINDOW.days:
        return None
    unopened = [lesson for lesson in lessons if lesson.id not in opened]
    if not unopened:
        return None
    return unopened[days % len(unopened)]
