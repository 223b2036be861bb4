"""`sciatica-coach routine show | export -o FILE [--force] | import FILE`: your routine, and routine files from a physio.

The file format is described in ``docs/prescription-format.md``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sciatica_coach.cli.args import add_force_option

if TYPE_CHECKING:
    from sciatica_coach.core.catalogue import Catalogue
    from sciatica_coach.core.model import Routine


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="routine_action", metavar="ACTION", required=True)
    sub.add_parser(
        "show",
        help="print your routine with doses and the total time",
        description="print your "
        "routine: each exercise with its hold, repetitions, sets and rests, and the session length",
    )
    export = sub.add_parser(
        "export",
        help="save your routine as a routine file",
        description="save your routine as a routine file to share with your physiotherapist",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="the file to write ('-' for the screen)"
    )
    add_force_option(export)
    imp = sub.add_parser(
        "import",
        help="use a routine file from your physiotherapist",
        description="check a "
        "routine file and make it your routine from the next session; nothing changes if the "
        "file has a problem",
    )
    imp.add_argument("file", metavar="FILE", help="the routine file (.json)")  # fmt: skip


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository, output_target, write_output
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.core.catalogue import CatalogueError, load_catalogue
    from sciatica_coach.core.prescription import PrescriptionError, dumps_prescription
    from sciatica_coach.services.plans import active_routine, avoided_direction
    from sciatica_coach.services.routines import avoided_items, import_prescription

    try:
        catalogue = load_catalogue()
    except CatalogueError as err:
        raise UsageError(f"the exercise catalogue can't be read: {err}") from None

    action = args.routine_action
    if action == "import":
        path = Path(args.file).expanduser()
        with open_repository(data_dir, write=True) as repo:
            try:
                routine = import_prescription(repo, path, catalogue)
            except PrescriptionError as err:
                raise UsageError(str(err)) from None
            avoid = avoided_direction(repo)
            get_ready_s = repo.setting("get_ready_s")
        print(f"Imported {path.name}: your routine now has {len(routine.items)} exercises; it applies from "
              "your next session.")  # fmt: skip
        print()
        print(format_routine(routine, catalogue, first_get_ready_s=get_ready_s))
        flagged = avoided_items(routine, catalogue, avoid)
        if flagged and avoid is not None:
            names = ", ".join(catalogue.get(eid).name for eid in flagged)
            print(f"\nNote: {names} move{'s' if len(flagged) == 1 else ''} your back in the direction you chose "
                  f"to avoid ({avoid.value}). They are kept because they are in the file; if they make your leg "
                  "symptoms worse, please check with whoever gave you the file.")  # fmt: skip
        return 0

    if action == "export" and args.output != "-":  # checked first: a refused -o reads nothing
        output_target(args.output, data_dir, force=args.force)
    from sciatica_coach.services.routines import on_the_affected_side

    with open_repository(data_dir) as repo:
        routine = active_routine(repo, catalogue)
        as_done = on_the_affected_side(repo, catalogue, routine)  # the nerve glide on the affected leg only
        get_ready_s = repo.setting("get_ready_s")
    if action == "export":  # the routine as stored: the file may go to another person
        write_output(dumps_prescription(routine), args.output, data_dir, force=args.force)
        if args.output not in (None, "-"):
            print(f"Saved your routine ({len(routine.items)} exercises) to {args.output}.")
        return 0
    print(format_routine(as_done, catalogue, first_get_ready_s=get_ready_s))
    return 0


def format_routine(routine: Routine, catalogue: Catalogue, *, first_get_ready_s: int | None = None) -> str:
    """The routine as plain text: one line per exercise with its dose, then the total session length (with
    `first_get_ready_s`, the "get_ready_s" setting, before the first exercise)."""
    from sciatica_coach.core.engine import planned_duration_s
    from sciatica_coach.core.model import Side, SideMode
    from sciatica_coach.services.routines import duration_words

    side_words = {
        SideMode.BOTH: "",
        SideMode.LEFT_THEN_RIGHT: " each side (left, then right)",
        SideMode.ALTERNATING: " each side (alternating)",
    }
    lines = [f"Phase {int(routine.phase)} routine, {len(routine.items)} exercises:"]
    width = max((len(catalogue.get(i.exercise_id).name) for i in routine.items), default=0)
    for number, item in enumerate(routine.items, 1):
        dose = item.dose
        hold = f", hold {dose.hold_s} s" if dose.hold_s else ""
        sets = f" x {dose.sets} sets" if dose.sets > 1 else ""
        rests = []
        if dose.reps > 1 and dose.rest_between_reps_s:
            rests.append(f"{dose.rest_between_reps_s} s between reps")
        if dose.sets > 1 and dose.rest_between_sets_s:
            rests.append(f"{dose.rest_between_sets_s} s between sets")
        rest = f"; rest {', '.join(rests)}" if rests else ""
        reps = f"{dose.reps} rep{'s' if dose.reps != 1 else ''}"
        name = catalogue.get(item.exercise_id).name.ljust(width)
        sides = side_words[item.side_mode]
        if item.only_side is not Side.NONE and item.side_mode is not SideMode.BOTH:
            sides = f" on the {item.only_side.value} side only"
        lines.append(f"{number:>2}. {name}  {reps}{sides}{sets}{hold}{rest}")
    total = planned_duration_s(routine, first_get_ready_s=first_get_ready_s)
    lines.append(f"Total: about {duration_words(total)} per session.")
    return "\n".join(lines)
