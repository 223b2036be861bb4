"""The posture lessons' file and loader (core/lessons.py), Today's tip rule, their drawings and their German.

No Qt: the drawings are checked as files (they exist, parse as SVG, and are what the generator makes now)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from sciatica_coach import i18n
from sciatica_coach.assets import asset_path
from sciatica_coach.core.lessons import (
    MAX_STEPS,
    TIP_WINDOW,
    Lesson,
    LessonsError,
    app_lessons,
    load_lessons,
    parse_lessons,
    suggested_lesson,
    translated,
)

FIRST_DAY = date(2026, 3, 2)
TOPICS = ("sitting", "standing", "lifting", "bed", "sleeping", "driving", "desk")


def good_lesson(**fields: object) -> dict[str, object]:
    lesson: dict[str, object] = {
        "id": "bed",
        "title": "Getting in and out of bed",
        "steps": ["One.", "Two.", "Three."],
        "drawing": "lesson-bed",
        "drawing_description": "A person on a bed.",
    }
    lesson.update(fields)
    return lesson


def test_the_app_has_the_seven_lessons_each_short() -> None:
    lessons = app_lessons()
    assert sorted(lesson.id for lesson in lessons) == sorted(TOPICS)
    for lesson in lessons:
        assert 3 <= len(lesson.steps) <= MAX_STEPS
        assert sum(len(text.split()) for text in lesson.texts()) < 150  # readable in about a minute


def test_lifting_says_no_heavy_lifting_during_a_flare() -> None:
    lifting = next(lesson for lesson in app_lessons() if lesson.id == "lifting")
    assert lifting.take_care is not None and "flare" in lifting.take_care
    assert "heavy lifting" in lifting.take_care


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "lessons.json"
    path.write_text(
        json.dumps({"format": 1, "lessons": [good_lesson(take_care="Gently.")]}), encoding="utf-8"
    )
    (lesson,) = load_lessons(path)
    assert lesson == Lesson(
        "bed",
        "Getting in and out of bed",
        ("One.", "Two.", "Three."),
        "Gently.",
        "lesson-bed",
        "A person on a bed.",
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "lessons.json: not valid JSON at line 1"),
        ("[]", "must hold an object"),
        (json.dumps({"format": 1, "lessons": []}), '"lessons" must be a list with at least one lesson'),
        (json.dumps({"format": 2, "lessons": [good_lesson()]}), "lessons of format 1"),
        (json.dumps({"format": 1, "lessons": [good_lesson(steps=["Only one."])]}), "a list of 3 to 5 short"),
        (json.dumps({"format": 1, "lessons": [good_lesson(steps=["x."] * 6)]}), "a list of 3 to 5 short"),
        (json.dumps({"format": 1, "lessons": [good_lesson(title="")]}), '"bed": "title" must be some text'),
        (json.dumps({"format": 1, "lessons": [good_lesson(colour="red")]}), "unknown field(s) colour"),
        (json.dumps({"format": 1, "lessons": [good_lesson(drawing="../x")]}), '"drawing" must name a lesson'),
        (json.dumps({"format": 1, "lessons": [good_lesson(take_care="y" * 400)]}), "keep it to 140"),
        (json.dumps({"format": 1, "lessons": [good_lesson(), good_lesson()]}), 'the id "bed" is used twice'),
    ],
)
def test_a_bad_file_is_refused_in_plain_words(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "lessons.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LessonsError) as caught:
        load_lessons(path)
    assert words in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_every_problem_is_listed_at_once() -> None:
    data = {"format": 1, "lessons": [good_lesson(title=""), good_lesson(id="x", steps=[])]}
    with pytest.raises(LessonsError) as caught:
        parse_lessons(data)
    assert len(caught.value.problems) == 2


def test_a_missing_file_is_a_plain_message(tmp_path: Path) -> None:
    with pytest.raises(LessonsError, match=r"lessons\.json: the lessons could not be read"):
        load_lessons(tmp_path / "lessons.json")


@pytest.mark.parametrize("lesson", app_lessons(), ids=lambda lesson: lesson.id)
def test_every_lesson_has_its_own_drawing_that_exists_parses_and_is_up_to_date(lesson: Lesson) -> None:
    from sciatica_coach.views import illustration_sources as src  # geometry only: no QApplication

    path = asset_path("illustrations", f"{lesson.drawing}.svg")
    assert path.is_file(), f"no drawing {path}"
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    assert root.get("viewBox") == f"0 0 {src.VIEW_W} {src.VIEW_H}"  # the house canvas
    assert path.read_text(encoding="utf-8") == src.LESSON_DRAWINGS[lesson.drawing]().svg(), (
        "regenerate with: python -m sciatica_coach.views.illustration_sources"
    )
    others = [other.drawing for other in app_lessons() if other.id != lesson.id]
    assert lesson.drawing not in others


def test_every_lesson_word_has_german() -> None:
    german = i18n.load_translation("de")
    missing = [text for lesson in app_lessons() for text in lesson.texts() if not german.messages.get(text)]
    assert missing == []


def test_a_lesson_reads_in_german() -> None:
    lifting = next(lesson for lesson in app_lessons() if lesson.id == "lifting")
    with i18n.source_language():
        i18n.set_language("de")
        shown = translated(lifting)
    assert shown.title == "Bücken und Heben"
    assert shown.take_care is not None and "Schub" in shown.take_care
    assert shown.drawing == lifting.drawing


# --- Today's tip -------------------------------------------------------------------------------------------


def tip(day: int, opened: set[str] | None = None, not_now: date | None = None) -> str | None:
    lesson = suggested_lesson(
        app_lessons(), opened or set(), FIRST_DAY, FIRST_DAY + timedelta(days=day), not_now
    )
    return lesson.id if lesson else None


def test_the_tip_rotates_one_lesson_a_day_through_all_of_them() -> None:
    seen = [tip(day) for day in range(len(TOPICS))]
    assert sorted(t for t in seen if t) == sorted(TOPICS)


def test_the_tip_never_suggests_a_lesson_already_opened() -> None:
    opened = {"bed", "sitting", "lifting"}
    for day in range(TIP_WINDOW.days):
        assert tip(day, opened) not in opened
    assert tip(3, set(TOPICS)) is None  # all read: no tip


def test_not_now_hides_the_tip_for_that_day_only() -> None:
    today = FIRST_DAY + timedelta(days=5)
    assert tip(5, not_now=today) is None
    assert tip(6, not_now=today) is not None


def test_the_tip_is_offered_only_in_the_first_four_weeks() -> None:
    assert tip(0) is not None
    assert tip(27) is not None
    assert tip(28) is None
    assert tip(90) is None
    assert tip(-1) is None  # a clock set back before the first day
