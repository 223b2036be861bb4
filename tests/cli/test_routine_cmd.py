"""`sciatica-coach routine show | export | import`: doses and total time, lossless files, exit 2 with every
problem listed and the routine unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sciatica_coach.cli.main import main
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import FIRST_GET_READY_S, planned_duration_s
from sciatica_coach.core.model import Direction, Phase
from sciatica_coach.core.prescription import dumps_prescription
from sciatica_coach.services.plans import active_routine, save_routine
from sciatica_coach.services.routines import duration_words
from sciatica_coach.storage.lock import FolderLock
from sciatica_coach.storage.repository import Repository


def routine_in(data_dir: Path):  # type: ignore[no-untyped-def]
    repo = Repository.open(data_dir)
    try:
        return active_routine(repo, load_catalogue())
    finally:
        repo.close()


def cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "routine", *args])


def test_show_prints_doses_and_the_total(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(data_dir, "show") == 0
    out = capsys.readouterr().out
    routine = load_catalogue().default_routine(Phase.MOBILITY)
    assert "Phase 1 routine, 5 exercises:" in out
    assert " 1. Pelvic tilt" in out and "10 reps x 2 sets, hold 5 s" in out
    assert "3 reps each side (left, then right), hold 20 s" in out
    assert "1 rep, hold 120 s" in out
    total = planned_duration_s(routine, first_get_ready_s=FIRST_GET_READY_S)  # the setting's default
    assert f"Total: about {duration_words(total)} per session." in out


def test_show_honours_the_avoided_direction(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("avoid_direction", Direction.EXTENSION.value)
    repo.close()
    assert cli(data_dir, "show") == 0
    out = capsys.readouterr().out
    assert "Lying face down" not in out and "Lying on elbows" not in out
    assert "Pelvic tilt" in out


def test_show_does_the_nerve_glide_on_the_affected_leg_only(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue = load_catalogue()
    repo = Repository.open(data_dir)
    save_routine(repo, catalogue.default_routine(Phase.STRENGTH))  # phase 2 holds the nerve glide
    assert cli(data_dir, "show") == 0
    both = capsys.readouterr().out
    repo.set_setting("affected_side", "left")
    repo.close()
    assert cli(data_dir, "show") == 0
    left = capsys.readouterr().out
    glide = catalogue.get("nerve-glide").name
    assert any(glide in line and "each side" in line for line in both.splitlines())
    assert any(glide in line and "on the left side only" in line for line in left.splitlines())
    shorter = [line for line in (both, left) for line in line.splitlines() if line.startswith("Total")]
    assert shorter[0] != shorter[1]  # the total counts one side
    assert cli(data_dir, "export", "-o", "-") == 0
    exported = capsys.readouterr().out  # the file keeps the routine as stored: it may go to someone else
    assert exported.strip() == dumps_prescription(catalogue.default_routine(Phase.STRENGTH)).strip()


def test_export_import_round_trip(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = load_catalogue()
    repo = Repository.open(data_dir)
    mine = catalogue.default_routine(Phase.STRENGTH)
    save_routine(repo, mine)
    repo.close()
    path = tmp_path / "mine.json"
    assert cli(data_dir, "export", "-o", str(path)) == 0
    assert "Saved your routine (7 exercises)" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == dumps_prescription(mine)

    other = tmp_path / "other-home"
    assert cli(other, "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "applies from your next session" in out and "Bridge" in out
    assert routine_in(other) == mine


def test_export_to_the_screen(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(data_dir, "export", "-o", "-") == 0
    assert json.loads(capsys.readouterr().out)["format"] == "sciatica-coach-routine"


def test_a_bad_file_exits_2_listing_every_problem(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = routine_in(data_dir)
    path = tmp_path / "physio.json"
    path.write_text(
        json.dumps(
            {
                "format": "sciatica-coach-routine",
                "version": 1,
                "phase": 1,
                "exercises": [{"exercise": "pelvic-tilt", "reps": 60}, {"exercise": "brige"}],
            }
        ),
        encoding="utf-8",
    )
    assert cli(data_dir, "import", str(path)) == 2
    err = capsys.readouterr().err
    assert "can't be used, so your routine has not been changed. There are 2 problems:" in err
    assert 'field "reps" must be a whole number from 1 to 50 (got 60)' in err
    assert '"brige"' in err and 'did you mean "bridge"?' in err
    assert "Traceback" not in err
    assert routine_in(data_dir) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "not a text file"),
        (b"{oops", "is not valid JSON"),
        (b'{"format": "sciatica-coach-routine", "version": 5, "phase": 1, "exercises": []}', "newer than"),
    ],
)
def test_other_bad_files(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert cli(data_dir, "import", str(path)) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(data_dir, "import", str(tmp_path / "nope.json")) == 2
    assert "does not exist" in capsys.readouterr().err


def test_import_notes_exercises_in_the_avoided_direction(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repository.open(data_dir)
    repo.set_setting("avoid_direction", Direction.EXTENSION.value)
    repo.close()
    path = tmp_path / "physio.json"
    path.write_text(dumps_prescription(load_catalogue().default_routine(Phase.MOBILITY)), encoding="utf-8")
    assert cli(data_dir, "import", str(path)) == 0
    out = capsys.readouterr().out
    # Cat and camel moves the back both ways, so it is named for either avoided direction
    assert (
        "Note: Lying face down, Lying on elbows, Cat and camel move your back in the direction you chose to avoid"
        in out
    )


def test_import_waits_for_the_open_app(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.json"
    path.write_text(dumps_prescription(load_catalogue().default_routine(Phase.STRENGTH)), encoding="utf-8")
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FolderLock(data_dir)
    assert lock.acquire()
    try:
        assert cli(data_dir, "import", str(path)) == 2
        assert "is open with this data folder" in capsys.readouterr().err
    finally:
        lock.release()
    assert routine_in(data_dir) == load_catalogue().default_routine(Phase.MOBILITY)


def test_an_action_is_required(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli(data_dir)
    assert info.value.code == 2
