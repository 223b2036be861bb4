"""The exercise catalogue: the shipped file, the default routines, and a clear error for every bad variant."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core.catalogue import (
    CATALOGUE_VERSION,
    DOSE_FIELDS,
    HOLD_S_MAX,
    MOVE_S_MAX,
    MOVE_S_MIN,
    REPS_MAX,
    STEP_MAX_CHARS,
    Catalogue,
    CatalogueError,
    UnknownExerciseError,
    catalogue_problems,
    clear_catalogue_cache,
    dose_problems,
    load_catalogue,
    parse_catalogue,
    parse_routine_items,
    validate_dose,
)
from sciatica_coach.core.engine import planned_duration_s
from sciatica_coach.core.model import Direction, Dose, ExerciseKind, Phase, Position, RoutineItem, SideMode

EXPECTED_IDS = {
    Phase.MOBILITY: [
        "pelvic-tilt",
        "knee-to-chest",
        "double-knee-to-chest",
        "prone-lying",
        "prone-on-elbows",
        "cat-camel",
    ],
    Phase.STRENGTH: ["prone-press-up", "nerve-glide", "figure-four", "bridge", "bird-dog", "dead-bug"],
    Phase.BALL: ["ball-pelvic-tilt", "ball-marching", "ball-bridge", "ball-wall-squat"],
}
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "catalogue.json"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(SHIPPED)


def exercise_in(data: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(e for e in data["exercises"] if e["id"] == exercise_id)
    return entry


# --- the shipped catalogue -------------------------------------------------------------------------------


def test_shipped_catalogue_validates(raw: dict[str, Any], catalogue: Catalogue) -> None:
    assert catalogue_problems(raw) == []
    assert catalogue.version == CATALOGUE_VERSION


def test_default_path_is_the_bundled_file_and_is_cached() -> None:
    clear_catalogue_cache()
    first = load_catalogue()
    assert load_catalogue() is first
    assert first == load_catalogue(SHIPPED)


def test_sixteen_exercises_in_file_order_by_phase(catalogue: Catalogue) -> None:
    assert len(catalogue.exercises) == 16
    assert list(catalogue.exercises) == [i for ids in EXPECTED_IDS.values() for i in ids]
    for phase, ids in EXPECTED_IDS.items():
        assert [e.id for e in catalogue.by_phase(phase)] == ids


@pytest.mark.parametrize(
    ("exercise_id", "side_mode"),
    [
        ("knee-to-chest", SideMode.LEFT_THEN_RIGHT),
        ("figure-four", SideMode.LEFT_THEN_RIGHT),
        ("nerve-glide", SideMode.LEFT_THEN_RIGHT),
        ("bird-dog", SideMode.ALTERNATING),
        ("dead-bug", SideMode.ALTERNATING),
        ("ball-marching", SideMode.ALTERNATING),
        ("pelvic-tilt", SideMode.BOTH),
        ("bridge", SideMode.BOTH),
    ],
)
def test_side_modes(catalogue: Catalogue, exercise_id: str, side_mode: SideMode) -> None:
    assert catalogue.get(exercise_id).side_mode is side_mode


@pytest.mark.parametrize(
    ("exercise_id", "dose"),
    [
        ("pelvic-tilt", (5, 10, 1)),
        ("knee-to-chest", (20, 3, 1)),
        ("prone-lying", (120, 1, 1)),
        ("prone-on-elbows", (5, 8, 1)),
        ("prone-press-up", (2, 10, 1)),
        ("nerve-glide", (3, 10, 1)),  # a to-and-fro movement: 3 s out, then back
        ("figure-four", (30, 3, 1)),
        ("bridge", (5, 5, 2)),
        ("ball-bridge", (5, 8, 2)),
    ],
)
def test_doses_follow_the_guidance(
    catalogue: Catalogue, exercise_id: str, dose: tuple[int, int, int]
) -> None:
    d = catalogue.get(exercise_id).dose
    assert (d.hold_s, d.reps, d.sets) == dose


def test_words_and_pictures(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        assert 2 <= len(exercise.steps) <= 5, exercise.id
        assert all(len(step.text) <= STEP_MAX_CHARS for step in exercise.steps), exercise.id
        assert exercise.feel and exercise.stop_if and exercise.summary and exercise.name
        assert exercise.start_illustration == f"{exercise.id}-start"
        assert exercise.hold_illustration == f"{exercise.id}-hold"
        assert exercise.dose.hold_s >= 1, "a hold of 0-2 s is written as at least 1 s"
    positions = {e.position for e in catalogue.exercises.values()}
    assert positions == set(Position)


def test_safety_facts(catalogue: Catalogue) -> None:
    def cautions(exercise_id: str) -> str:
        return " ".join(catalogue.get(exercise_id).cautions).lower()

    assert "osteoporosis" in cautions("knee-to-chest")
    assert "hip replacement" in cautions("knee-to-chest") and "hip replacement" in cautions("figure-four")
    for extension in ("prone-press-up", "prone-on-elbows"):
        assert "spinal stenosis" in cautions(extension) and "bend forward" in cautions(extension)
    glide = cautions("nerve-glide")
    assert "never hold" in glide and "light pull" in glide and "two hours of getting up" in glide
    assert "sciatica" in glide  # the affected side
    assert "sags" in cautions("bird-dog") and "arches" in cautions("dead-bug")
    assert "knees behind your toes" in cautions("ball-wall-squat") and "small knee bend" in cautions(
        "ball-wall-squat"
    )
    for stretch in ("knee-to-chest", "figure-four"):
        assert "mild stretch" in cautions(stretch) and "pins and needles" in cautions(stretch)
    assert catalogue.get("prone-on-elbows").gentler == "prone-lying"
    assert catalogue.get("prone-press-up").gentler == "prone-on-elbows"
    extension = {e.id for e in catalogue.exercises.values() if e.direction is Direction.EXTENSION}
    flexion = {e.id for e in catalogue.exercises.values() if e.direction is Direction.FLEXION}
    assert extension == {"prone-lying", "prone-on-elbows", "prone-press-up"}
    assert flexion == {"pelvic-tilt", "knee-to-chest", "double-knee-to-chest"}


def test_no_text_pushes_through_pain(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        texts = [*(step.text for step in exercise.steps), *exercise.cautions, exercise.feel, exercise.stop_if]
        text = " ".join([*texts, exercise.summary]).lower()
        for phrase in ("push through", "no pain no gain", "as far as you can", "diagnos"):
            assert phrase not in text, (exercise.id, phrase)
        assert exercise.stop_if.lower().startswith("stop"), exercise.id


def test_get_unknown_id_is_a_clear_key_error(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError) as caught:
        catalogue.get("plank")
    assert isinstance(caught.value, UnknownExerciseError)
    assert str(caught.value) == 'there is no exercise "plank" in the catalogue'


# --- default routines ------------------------------------------------------------------------------------


def test_every_routine_refers_to_real_exercises_of_its_phase_or_earlier(catalogue: Catalogue) -> None:
    assert set(catalogue.routines) == set(Phase)
    for phase, routine in catalogue.routines.items():
        assert routine.phase is phase
        assert routine.items
        for item in routine.items:
            assert catalogue.get(item.exercise_id).phase <= phase


def test_phase_1_routine_is_the_five_mobility_exercises(catalogue: Catalogue) -> None:
    routine = catalogue.default_routine(Phase.MOBILITY)
    offered_later = "double-knee-to-chest"  # a suggested next step after the single hug, not a default
    assert [i.exercise_id for i in routine.items] == [
        i for i in EXPECTED_IDS[Phase.MOBILITY] if i != offered_later
    ]


def test_phase_1_routine_takes_8_to_12_minutes(catalogue: Catalogue) -> None:
    duration_s = planned_duration_s(catalogue.default_routine(Phase.MOBILITY))
    assert 8 * 60 <= duration_s <= 12 * 60, f"{duration_s / 60:.1f} min"


def test_phase_2_and_3_contents(catalogue: Catalogue) -> None:
    phase_2 = [i.exercise_id for i in catalogue.default_routine(Phase.STRENGTH).items]
    assert set(EXPECTED_IDS[Phase.STRENGTH]) <= set(phase_2)
    assert set(phase_2) & set(EXPECTED_IDS[Phase.MOBILITY]), "keeps some phase-1 mobility"
    phase_3 = [i.exercise_id for i in catalogue.default_routine(Phase.BALL).items]
    assert set(EXPECTED_IDS[Phase.BALL]) <= set(phase_3)
    assert set(phase_3) & set(EXPECTED_IDS[Phase.STRENGTH])


def test_routine_overrides_apply_over_the_catalogue_dose(catalogue: Catalogue) -> None:
    items = {i.exercise_id: i for i in catalogue.default_routine(Phase.BALL).items}
    base = catalogue.get("bird-dog").dose
    assert items["bird-dog"].dose == base.with_changes(hold_s=8, reps=8)
    assert items["bird-dog"].side_mode is SideMode.ALTERNATING
    assert items["ball-bridge"].dose == catalogue.get("ball-bridge").dose


@pytest.mark.parametrize(
    ("avoid", "dropped"),
    [
        # cat-camel and ball pelvic tilt move the back both ways: left out whichever way is avoided
        (
            Direction.EXTENSION,
            {"prone-lying", "prone-on-elbows", "prone-press-up", "cat-camel", "ball-pelvic-tilt"},
        ),
        (Direction.FLEXION, {"pelvic-tilt", "knee-to-chest", "cat-camel", "ball-pelvic-tilt"}),
    ],
)
def test_avoiding_a_direction_drops_those_exercises(
    catalogue: Catalogue, avoid: Direction, dropped: set[str]
) -> None:
    for phase in Phase:
        full = [i.exercise_id for i in catalogue.default_routine(phase).items]
        kept = [i.exercise_id for i in catalogue.default_routine(phase, avoid=avoid).items]
        assert kept == [i for i in full if i not in dropped]
    assert "prone-press-up" not in [
        i.exercise_id for i in catalogue.default_routine(Phase.STRENGTH, Direction.EXTENSION).items
    ]


def test_avoiding_neutral_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="flexion or extension"):
        catalogue.default_routine(Phase.MOBILITY, avoid=Direction.NEUTRAL)


def test_default_item_uses_the_catalogue_dose(catalogue: Catalogue) -> None:
    item = catalogue.default_item("figure-four")
    assert item == RoutineItem("figure-four", catalogue.get("figure-four").dose, SideMode.LEFT_THEN_RIGHT)


# --- bad catalogues give a clear error naming the entry and the field -----------------------------------

Mutation = Callable[[dict[str, Any]], object]


def _set(exercise_id: str, field: str, value: object) -> Mutation:
    return lambda data: exercise_in(data, exercise_id).__setitem__(field, value)


def _drop(exercise_id: str, field: str) -> Mutation:
    return lambda data: exercise_in(data, exercise_id).pop(field)


def _duplicate_bridge(data: dict[str, Any]) -> None:
    data["exercises"].append(copy.deepcopy(exercise_in(data, "bridge")))


def _routine_item(phase: str, item: object) -> Mutation:
    return lambda data: data["routines"][phase].append(item)


BAD_VARIANTS: list[tuple[str, Mutation, list[str]]] = [
    ("missing field", _drop("bridge", "hold_s"), ['exercise "bridge"', 'field "hold_s" is missing']),
    (
        "negative hold",
        _set("bridge", "hold_s", -5),
        ['catalogue.json: exercise "bridge": field "hold_s" must be a whole number from 0 to 600 (got -5)'],
    ),
    ("zero reps", _set("bridge", "reps", 0), ['exercise "bridge"', 'field "reps"', "from 1 to", "(got 0)"]),
    ("zero sets", _set("bird-dog", "sets", 0), ['exercise "bird-dog"', 'field "sets"', "(got 0)"]),
    (
        "hold too long",
        _set("bridge", "hold_s", HOLD_S_MAX + 1),
        ['field "hold_s"', f"(got {HOLD_S_MAX + 1})"],
    ),
    ("reps too many", _set("bridge", "reps", REPS_MAX + 1), ['field "reps"']),
    (
        "wrong type: text for number",
        _set("bridge", "reps", "ten"),
        ['exercise "bridge"', 'field "reps"', '(got "ten")'],
    ),
    ("wrong type: fraction", _set("bridge", "hold_s", 5.5), ['field "hold_s"', "whole number", "(got 5.5)"]),
    ("wrong type: boolean", _set("bridge", "sets", True), ['field "sets"', "(got true)"]),
    (
        "wrong type: number for text",
        _set("bridge", "feel", 3),
        ['exercise "bridge"', 'field "feel" must be text'],
    ),
    ("empty text", _set("bridge", "stop_if", "  "), ['field "stop_if" must not be empty']),
    (
        "unknown position",
        _set("bridge", "position", "sitting"),
        ['exercise "bridge"', 'field "position" must be one of supine, prone', '(got "sitting")'],
    ),
    (
        "unknown side mode",
        _set("bird-dog", "side_mode", "alternate"),
        ['field "side_mode"', 'did you mean "alternating"'],
    ),
    (
        "unknown direction",
        _set("bridge", "direction", "rotation"),
        ['field "direction"', "flexion, extension, neutral"],
    ),
    (
        "phase out of range",
        _set("bridge", "phase", 4),
        ['field "phase" must be a whole number from 1 to 3 (got 4)'],
    ),
    (
        "one step",
        _set("bridge", "steps", [{"text": "Lift.", "at": "hold"}]),
        ['field "steps"', "2 to 5", "(got 1 item)"],
    ),
    (
        "six steps",
        _set("bridge", "steps", [{"text": t, "at": "hold"} for t in "abcdef"]),
        ['field "steps"', "(got 6 items)"],
    ),
    (
        "a step as plain text",
        _set("bridge", "steps", ["Lie down.", "Lift."]),
        ['field "steps[1]" must be an object like {"text": "…", "at": "hold"}'],
    ),
    (
        "a step with an unknown moment",
        _set("bridge", "steps", [{"text": "Lie down.", "at": "setup"}, {"text": "Lift.", "at": "during"}]),
        ['exercise "bridge", step 2: field "at" must be one of setup, hold, return (got "during")'],
    ),
    (
        "steps out of order",
        _set("bridge", "steps", [{"text": "Lift.", "at": "hold"}, {"text": "Lie down.", "at": "setup"}]),
        ['field "steps" must go in order'],
    ),
    (
        "no hold step",
        _set("bridge", "steps", [{"text": "Lie.", "at": "setup"}, {"text": "Lower.", "at": "return"}]),
        ['field "steps" needs at least one "hold" step'],
    ),
    (
        "a movement without its move back",
        _set("cat-camel", "steps", [{"text": "Kneel.", "at": "setup"}, {"text": "Round up.", "at": "hold"}]),
        ['exercise "cat-camel": field "steps" needs a "return" step'],
    ),
    (
        "a movement held like a stretch",
        _set("nerve-glide", "hold_s", 30),
        ['exercise "nerve-glide": field "hold_s" must be a whole number from 1 to 5 seconds', "(got 30)"],
    ),
    (
        "a movement with no time to come back",
        _set("cat-camel", "rest_between_reps_s", 0),
        ['field "rest_between_reps_s" must be a whole number from 1 to 5 seconds', "never a long hold"],
    ),
    ("unknown kind", _set("bridge", "kind", "stretch"), ['field "kind" must be one of hold, movement']),
    (
        "steps not a list",
        _set("bridge", "steps", "Lift your hips."),
        ['field "steps"', '(got "Lift your hips.")'],
    ),
    (
        "step too long",
        _set(
            "bridge",
            "steps",
            [{"text": "Lie down.", "at": "setup"}, {"text": "x" * (STEP_MAX_CHARS + 1), "at": "hold"}],
        ),
        ['exercise "bridge", step 2: field "text" must be at most 70 characters'],
    ),
    (
        "step with a line break",
        _set(
            "bridge", "steps", [{"text": "Lie down.", "at": "setup"}, {"text": "Lift\nhips.", "at": "hold"}]
        ),
        ['step 2: field "text" must be a single line'],
    ),
    (
        "cautions not a list",
        _set("bridge", "cautions", "none"),
        ['field "cautions"'],
    ),
    (
        "unknown illustration pattern",
        _set("bridge", "start_illustration", "bridge-begin"),
        ['exercise "bridge"', 'field "start_illustration" must be "bridge-start" (got "bridge-begin")'],
    ),
    (
        "illustration of another exercise",
        _set("ball-bridge", "hold_illustration", "bridge-hold"),
        ['field "hold_illustration"'],
    ),
    ("bad id", _set("bridge", "id", "Bridge Lift"), ["exercise #10", 'field "id"', "lower-case"]),
    (
        "unknown extra field (typo)",
        _set("bridge", "hold", 5),
        ['exercise "bridge"', 'field "hold" is not a known field'],
    ),
    ("typo gets a suggestion", _set("bridge", "stop_iff", "x"), ['did you mean "stop_if"?']),
    (
        "duplicate id",
        _duplicate_bridge,
        ["exercise #17", 'field "id" repeats "bridge", already used by exercise #10'],
    ),
    (
        "unknown gentler id",
        _set("bridge", "gentler", "pelvic-tlt"),
        [
            'exercise "bridge"',
            'field "gentler" names an unknown exercise "pelvic-tlt"',
            'did you mean "pelvic-tilt"',
        ],
    ),
    (
        "gentler is itself",
        _set("bridge", "gentler", "bridge"),
        ['field "gentler" must name a different exercise'],
    ),
    (
        "gentler from a later phase",
        _set("pelvic-tilt", "gentler", "bridge"),
        ['exercise "pelvic-tilt"', 'field "gentler"', "phase 2"],
    ),
    (
        "gentler in a circle",
        _set("pelvic-tilt", "gentler", "knee-to-chest"),
        ['field "gentler" goes round in a circle'],
    ),
    (
        "routine with unknown exercise",
        _routine_item("2", {"exercise": "plank"}),
        ['routine for phase 2, item 8 ("plank")', 'field "exercise" names an unknown exercise "plank"'],
    ),
    (
        "routine with a later-phase exercise",
        _routine_item("1", {"exercise": "ball-bridge"}),
        ['routine for phase 1, item 6 ("ball-bridge")', 'names "ball-bridge" from phase 3'],
    ),
    (
        "routine repeats an exercise",
        _routine_item("1", {"exercise": "cat-camel"}),
        ['item 6 ("cat-camel")', "repeats"],
    ),
    (
        "routine override out of range",
        _routine_item("3", {"exercise": "bridge", "reps": 0}),
        ['item 8 ("bridge")', 'field "reps"'],
    ),
    (
        "routine override typo",
        _routine_item("3", {"exercise": "bridge", "rep": 3}),
        ['field "rep" is not a known field'],
    ),
    (
        "routine side mode",
        _routine_item("3", {"exercise": "bridge", "side_mode": "left"}),
        ['field "side_mode" must be one of'],
    ),
    (
        "routine item not an object",
        _routine_item("3", "bridge"),
        ["routine for phase 3, item 8: must be an object"],
    ),
    (
        "routine for an unknown phase",
        lambda d: d["routines"].__setitem__("4", []),
        ['field "routines" has an unknown phase "4"'],
    ),
    (
        "routine for a phase missing",
        lambda d: d["routines"].pop("3"),
        ['field "routines" has no routine for phase 3'],
    ),
    (
        "empty routine",
        lambda d: d["routines"].__setitem__("2", []),
        ["routine for phase 2: must be a non-empty list of items (got an empty list)"],
    ),
    ("routines missing", lambda d: d.pop("routines"), ['catalogue.json: field "routines" is missing']),
    (
        "exercises not a list",
        lambda d: d.__setitem__("exercises", {}),
        ['field "exercises" must be a non-empty list'],
    ),
    (
        "exercise not an object",
        lambda d: d["exercises"].append(3),
        ["exercise #17: must be an object (got 3)"],
    ),
    (
        "unknown top-level field",
        lambda d: d.__setitem__("exercise", []),
        ['field "exercise" is not a known field'],
    ),
    ("version missing", lambda d: d.pop("version"), ['field "version" is missing']),
    (
        "version too new",
        lambda d: d.__setitem__("version", CATALOGUE_VERSION + 1),
        ['field "version"', "newer", "update"],
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [pytest.param(m, e, id=name) for name, m, e in BAD_VARIANTS])
def test_bad_variant_names_entry_and_field(
    raw: dict[str, Any], mutate: Mutation, expected: list[str]
) -> None:
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data)
    message = str(caught.value)
    for part in expected:
        assert part in message
    assert message.startswith("catalogue.json: ")
    assert catalogue_problems(data) == list(caught.value.problems)


def test_every_problem_is_listed_not_just_the_first(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    exercise_in(data, "bridge")["hold_s"] = -1
    exercise_in(data, "bird-dog")["position"] = "kneeling"
    data["routines"]["1"].append({"exercise": "plank"})
    problems = catalogue_problems(data)
    assert len(problems) == 3
    assert [p.split(":")[1].strip() for p in problems] == [
        'exercise "bridge"',
        'exercise "bird-dog"',
        'routine for phase 1, item 6 ("plank")',
    ]


def test_a_broken_exercise_is_not_also_reported_as_unknown_by_routines(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    exercise_in(data, "bridge")["reps"] = -1
    assert catalogue_problems(data) == [
        'catalogue.json: exercise "bridge": field "reps" must be a whole number from 1 to 50 (got -1)'
    ]


@pytest.mark.parametrize("top_level", [[], "catalogue", 3, None])
def test_top_level_must_be_an_object(top_level: object) -> None:
    with pytest.raises(CatalogueError, match=r"^catalogue.json: the top level must be an object"):
        parse_catalogue(top_level)


def test_source_name_starts_messages() -> None:
    with pytest.raises(CatalogueError, match=r"^custom.json: "):
        parse_catalogue([], source="custom.json")


# --- files on disk ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"version": 1,, }', r"^catalogue.json: is not valid JSON \(line 1, column 15: "),
        ("", r"^catalogue.json: is not valid JSON \(line 1, column 1"),
        ('{"version": 1, "version": 1}', r'^catalogue.json: the key "version" appears twice'),
        ("[1, 2]", r"^catalogue.json: the top level must be an object"),
    ],
)
def test_bad_file_on_disk(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError, match=expected):
        load_catalogue(path)


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_bytes(b'{"version": "\xff"}')
    with pytest.raises(CatalogueError, match="not UTF-8"):
        load_catalogue(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"^catalogue.json: the file is missing"):
        load_catalogue(tmp_path / "catalogue.json")


def test_valid_copy_on_disk_loads(tmp_path: Path, raw: dict[str, Any]) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert list(load_catalogue(path).exercises) == list(parse_catalogue(raw).exercises)


# --- the shared dose helpers -----------------------------------------------------------------------------

GOOD_DOSE = {"hold_s": 5, "reps": 10, "sets": 2, "rest_between_reps_s": 3, "rest_between_sets_s": 30}


def test_validate_dose_accepts_a_full_dose() -> None:
    assert validate_dose(GOOD_DOSE, "editor") == Dose(5, 10, 2, 3, 30)
    assert set(DOSE_FIELDS) == set(GOOD_DOSE)


def test_validate_dose_fills_an_override_from_its_base() -> None:
    base = Dose(5, 10, 2, 3, 30)
    assert validate_dose({"reps": 12}, "import", base=base) == base.with_changes(reps=12)


def test_dose_problems_lists_every_problem() -> None:
    problems = dose_problems(
        {"hold_s": -1, "reps": 0, "sets": "two", "rest_between_reps_s": 3, "colour": "red"},
        'prescription.json: item 3 ("bridge")',
    )
    assert problems == [
        'prescription.json: item 3 ("bridge"): field "colour" is not a known field',
        'prescription.json: item 3 ("bridge"): field "hold_s" must be a whole number from 0 to 600 (got -1)',
        'prescription.json: item 3 ("bridge"): field "reps" must be a whole number from 1 to 50 (got 0)',
        'prescription.json: item 3 ("bridge"): field "sets" must be a whole number from 1 to 10 (got "two")',
        'prescription.json: item 3 ("bridge"): field "rest_between_sets_s" is missing',
    ]


def test_dose_other_fields_are_allowed_when_named() -> None:
    assert dose_problems({**GOOD_DOSE, "exercise": "bridge"}, "x", other_fields=["exercise"]) == []


def test_validate_dose_raises_with_all_problems() -> None:
    with pytest.raises(CatalogueError) as caught:
        validate_dose({"hold_s": -1, "reps": 0}, "editor", base=Dose(5, 10, 2, 3, 30))
    assert len(caught.value.problems) == 2
    assert str(caught.value).splitlines() == list(caught.value.problems)


def test_a_movement_dose_stays_a_short_to_and_fro() -> None:
    """A glide timed as a long hold becomes a sustained stretch: the editor and the import refuse it."""
    move = ExerciseKind.MOVEMENT
    assert validate_dose({**GOOD_DOSE, "hold_s": 3, "rest_between_reps_s": 2}, "editor", kind=move)
    problems = dose_problems({**GOOD_DOSE, "hold_s": 20, "rest_between_reps_s": 0}, "editor", kind=move)
    assert [p.split(":")[1].strip() for p in problems] == [
        'field "hold_s" must be a whole number from 1 to 5 seconds',
        'field "rest_between_reps_s" must be a whole number from 1 to 5 seconds',
    ]
    assert dose_problems({**GOOD_DOSE, "hold_s": 20}, "editor") == []  # a held exercise may hold longer


@given(hold_s=st.integers(0, HOLD_S_MAX), back_s=st.integers(0, 300))
def test_a_movement_never_passes_with_a_long_move(hold_s: int, back_s: int) -> None:
    dose = {**GOOD_DOSE, "hold_s": hold_s, "rest_between_reps_s": back_s}
    ok = not dose_problems(dose, "x", kind=ExerciseKind.MOVEMENT)
    assert ok == (MOVE_S_MIN <= hold_s <= MOVE_S_MAX and MOVE_S_MIN <= back_s <= MOVE_S_MAX)


def test_a_routine_item_or_prescription_cannot_turn_the_glide_into_a_hold(catalogue: Catalogue) -> None:
    routine, problems = parse_routine_items(
        [{"exercise": "nerve-glide", "hold_s": 30}], Phase.STRENGTH, catalogue, "prescription.json"
    )
    assert routine is None
    assert 'field "hold_s" must be a whole number from 1 to 5 seconds' in problems[0]
    assert (
        parse_routine_items([{"exercise": "nerve-glide", "reps": 8}], Phase.STRENGTH, catalogue, "x")[1] == []
    )


def test_validate_dose_rejects_a_non_object() -> None:
    with pytest.raises(CatalogueError, match=r"^editor: the dose must be an object"):
        validate_dose([5, 10], "editor")


def test_a_gentler_circle_is_reported_once(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    exercise_in(data, "pelvic-tilt")["gentler"] = "knee-to-chest"
    assert catalogue_problems(data) == [
        'catalogue.json: exercise "pelvic-tilt": field "gentler" goes round in a circle '
        "(pelvic-tilt -> knee-to-chest -> pelvic-tilt)"
    ]


def test_unreadable_exercise_list_is_one_problem_not_one_per_routine_item(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["exercises"] = "all of them"
    assert catalogue_problems(data) == [
        'catalogue.json: field "exercises" must be a non-empty list (got "all of them")'
    ]
