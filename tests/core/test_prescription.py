"""Prescription files: every bad variant gives one message naming each problem and its field; a good file
round-trips losslessly; the stored routine is untouched by a bad import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_coach.core.catalogue import Catalogue, dose_bounds, load_catalogue
from sciatica_coach.core.model import Dose, Phase, Routine, RoutineItem, SideMode
from sciatica_coach.core.prescription import (
    FORMAT_NAME,
    MAX_EXERCISES,
    MAX_FILE_BYTES,
    PrescriptionError,
    dumps_prescription,
    loads_prescription,
    read_prescription,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def good(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "format": FORMAT_NAME,
        "version": 1,
        "phase": 2,
        "exercises": [{"exercise": "bridge", "reps": 8}, {"exercise": "pelvic-tilt"}],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def problems_of(catalogue: Catalogue, raw: bytes) -> tuple[str, ...]:
    with pytest.raises(PrescriptionError) as info:
        loads_prescription(raw, catalogue, "physio.json")
    error = info.value
    assert str(error).startswith(
        "The routine file physio.json can't be used, so your routine has not been changed."
    )
    for problem in error.problems:
        assert problem in str(error)
    return error.problems


def encode(data: object) -> bytes:
    return json.dumps(data).encode()


def test_a_minimal_file_takes_the_rest_from_the_catalogue(catalogue: Catalogue) -> None:
    routine = loads_prescription(encode(good()), catalogue)
    assert routine.phase is Phase.STRENGTH
    bridge, tilt = routine.items
    assert bridge.dose == catalogue.get("bridge").dose.with_changes(reps=8)
    assert tilt == catalogue.default_item("pelvic-tilt")


BAD_CASES = [
    # id, file bytes, fragments expected (one per problem, in order)
    ("not JSON", b'{"format": "sciatica-coach-routine",', ["is not valid JSON (line 1"]),
    ("empty", b"  \n", ["the file is empty"]),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", ["not a text file"]),
    ("not UTF-8", b'{"format": "\xff"}', ["not UTF-8"]),
    ("huge", b" " * (MAX_FILE_BYTES + 1), ["a routine file is at most 64 KB"]),
    ("a list at the top", b"[]", ['must hold one object starting with "format"']),
    ("another app's file", encode({"sessions": []}), ['field "format" is missing']),
    ("wrong format", encode(good(format="history")), ['field "format" must be "sciatica-coach-routine"']),
    ("newer version", encode(good(version=2)), ['field "version" is 2, newer than this version']),
    ("version as text", encode(good(version="1")), ['field "version" must be a whole number (got "1")']),
    ("missing version", encode(good(version=...)), ['field "version" is missing']),
    ("bad phase", encode(good(phase=4)), ['field "phase" must be one of 1, 2, 3 (got 4)']),
    ("phase true", encode(good(phase=True)), ['field "phase" must be one of 1, 2, 3 (got true)']),
    ("unknown top field", encode(good(note="hi")), ['field "note" is not a known field']),
    ("duplicate key", b'{"format": "sciatica-coach-routine", "version": 1, "version": 1}',
     ['the field "version" appears twice']),
    ("no exercises", encode(good(exercises=...)), ['field "exercises" is missing']),
    ("empty exercises", encode(good(exercises=[])), ['"exercises": must be a non-empty list']),
    ("exercises not a list", encode(good(exercises={"bridge": 1})), ['"exercises": must be a non-empty list']),
    ("too many", encode(good(exercises=[{"exercise": "bridge"}] * (MAX_EXERCISES + 1))),
     [f"at most {MAX_EXERCISES} are allowed"]),
    ("unknown exercise", encode(good(exercises=[{"exercise": "brige"}])),
     ['item 1 ("brige"): field "exercise" names an unknown exercise "brige" (did you mean "bridge"?)']),
    ("entry not an object", encode(good(exercises=["bridge"])), ['item 1: must be an object like']),
    ("reps out of bounds", encode(good(exercises=[{"exercise": "bridge", "reps": 51}])),
     ['item 1 ("bridge"): field "reps" must be a whole number from 1 to 50 (got 51)']),
    ("hold negative", encode(good(exercises=[{"exercise": "bridge", "hold_s": -5}])),
     ['field "hold_s" must be a whole number from 0 to 600 (got -5)']),
    ("sets as text", encode(good(exercises=[{"exercise": "bridge", "sets": "2"}])),
     ['field "sets" must be a whole number from 1 to 10 (got "2")']),
    ("rest as a fraction", encode(good(exercises=[{"exercise": "bridge", "rest_between_sets_s": 2.5}])),
     ['field "rest_between_sets_s" must be a whole number from 0 to 300 (got 2.5)']),
    ("bad side mode", encode(good(exercises=[{"exercise": "bridge", "side_mode": "left"}])),
     ['field "side_mode" must be one of both, left-then-right, alternating (got "left")']),
    ("typo in a field", encode(good(exercises=[{"exercise": "bridge", "reps_": 3}])),
     ['field "reps_" is not a known field (did you mean "reps"?)']),
    ("a later phase's exercise", encode(good(phase=1, exercises=[{"exercise": "bridge"}])),
     ['names "bridge" from phase 2; a routine uses exercises of its own phase or earlier']),
    ("repeated exercise", encode(good(exercises=[{"exercise": "bridge"}, {"exercise": "bridge"}])),
     ['item 2 ("bridge"): field "exercise" repeats "bridge", already item 1']),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "fragments"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_each_bad_variant_is_named(catalogue: Catalogue, raw: bytes, fragments: list[str]) -> None:
    problems = problems_of(catalogue, raw)
    assert len(problems) == len(fragments)
    for problem, fragment in zip(problems, fragments, strict=True):
        assert fragment in problem
        assert problem.startswith("physio.json")


def test_every_problem_is_listed_at_once(catalogue: Catalogue) -> None:
    data = good(
        version=9,
        phase="two",
        extra=1,
        exercises=[{"exercise": "bridge", "reps": 0, "sets": 99}, {"exercise": "nope"}, 7],
    )
    problems = problems_of(catalogue, encode(data))
    joined = "\n".join(problems)
    for fragment in ('"extra"', '"version" is 9', '"phase"', '"reps"', '"sets"', '"nope"', "item 3"):
        assert fragment in joined
    assert len(problems) == 7


def test_export_then_import_is_lossless(catalogue: Catalogue) -> None:
    for phase in Phase:
        routine = catalogue.default_routine(phase)
        text = dumps_prescription(routine)
        assert json.loads(text)["format"] == FORMAT_NAME
        again = loads_prescription(text.encode(), catalogue)
        assert again == routine
        assert dumps_prescription(again) == text


@st.composite
def routines(draw: st.DrawFn, catalogue: Catalogue) -> Routine:
    phase = draw(st.sampled_from(list(Phase)))
    allowed = [e.id for e in catalogue.exercises.values() if e.phase <= phase]
    ids = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=len(allowed), unique=True))
    items = []
    for exercise_id in ids:
        bounds = dose_bounds(catalogue.get(exercise_id).kind)  # a glide's timing stays short
        dose = Dose(**{name: draw(st.integers(low, high)) for name, (low, high) in bounds.items()})
        items.append(RoutineItem(exercise_id, dose, draw(st.sampled_from(list(SideMode)))))
    return Routine(phase, tuple(items))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_valid_routine_round_trips(catalogue: Catalogue, data: st.DataObject) -> None:
    routine = data.draw(routines(catalogue))
    assert loads_prescription(dumps_prescription(routine).encode(), catalogue) == routine


def test_read_from_a_file(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "from-my-physio.json"
    path.write_text(dumps_prescription(catalogue.default_routine(Phase.MOBILITY)), encoding="utf-8")
    assert read_prescription(path, catalogue) == catalogue.default_routine(Phase.MOBILITY)
    with pytest.raises(PrescriptionError, match="does not exist"):
        read_prescription(tmp_path / "missing.json", catalogue)
    with pytest.raises(PrescriptionError, match="is a folder"):
        read_prescription(tmp_path, catalogue)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (5 * MAX_FILE_BYTES))
    with pytest.raises(PrescriptionError, match="the file is 320 KB"):
        read_prescription(big, catalogue)


def test_a_bad_import_leaves_the_stored_routine_alone(
    catalogue: Catalogue, tmp_path: Path, data_dir: Path
) -> None:
    from sciatica_coach.services import plans
    from sciatica_coach.services import routines as glue
    from sciatica_coach.storage.repository import Repository

    repo = Repository.open(data_dir)
    mine = catalogue.default_routine(Phase.MOBILITY)
    plans.save_routine(repo, mine)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(good(exercises=[{"exercise": "bridge", "reps": 500}])), encoding="utf-8")
    with pytest.raises(PrescriptionError):
        glue.import_prescription(repo, bad, catalogue)
    assert plans.active_routine(repo, catalogue) == mine

    fine = tmp_path / "fine.json"
    glue.export_prescription(fine, catalogue.default_routine(Phase.STRENGTH))
    assert glue.import_prescription(repo, fine, catalogue) == catalogue.default_routine(Phase.STRENGTH)
    assert plans.active_routine(repo, catalogue) == catalogue.default_routine(Phase.STRENGTH)
    repo.close()


def test_a_damaged_stored_routine_lists_every_problem(catalogue: Catalogue) -> None:
    from sciatica_coach.core.catalogue import CatalogueError
    from sciatica_coach.services.plans import routine_from_dict

    with pytest.raises(CatalogueError) as info:
        routine_from_dict(
            {"phase": 1, "items": [{"exercise": "nope"}, {"exercise": "pelvic-tilt", "reps": 0}]}, catalogue
        )
    assert len(info.value.problems) == 2
    with pytest.raises(CatalogueError, match="unknown phase"):
        routine_from_dict({"phase": 7, "items": []}, catalogue)


def test_the_documented_example_is_valid(catalogue: Catalogue) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "prescription-format.md").read_text(encoding="utf-8")
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    routine = loads_prescription(example.encode(), catalogue, "example.json")
    assert [i.exercise_id for i in routine.items] == [
        "cat-camel",
        "nerve-glide",
        "bridge",
        "bird-dog",
        "prone-lying",
    ]
    assert routine.items[2].dose.rest_between_sets_s == 45
    for exercise in catalogue.exercises.values():  # every id is in the table
        assert f"`{exercise.id}` | {exercise.name} |" in doc
