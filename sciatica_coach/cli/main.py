"""Entry point and argument parsing. Each subcommand lives in its own module with `register` and `run`.

Contract: exit 0 on success, 2 on bad input with one plain line naming the problem (no traceback).
Subcommand modules are imported only when their command runs, and never import Qt widgets."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from sciatica_coach import __version__

PROG = "sciatica-coach"
EXIT_CLOSED_PIPE = 128 + 13  # what a shell reports for a program ended by SIGPIPE (13)

# name -> (module, one-line help). Later issues add entries here.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "export": ("sciatica_coach.cli.export_cmd", "export your session history as JSON or CSV"),
    "import": ("sciatica_coach.cli.import_cmd", "import history from a JSON export"),
    "stats": ("sciatica_coach.cli.stats_cmd", "print the weekly adherence and pain table"),
    "demo-data": (
        "sciatica_coach.cli.demo_cmd",
        "fill a fresh data folder with a demo history to try the app",
    ),
    "report": ("sciatica_coach.cli.report_cmd", "make a one-page PDF report for your physiotherapist"),
    "reminders": ("sciatica_coach.cli.reminders_cmd", "list, set or preview your reminder times"),
    "routine": ("sciatica_coach.cli.routine_cmd", "show your routine, or export/import a routine file"),
    "backup": ("sciatica_coach.cli.backup_cmd", "save a backup of everything (history, routine, reminders…)"),
    "restore": ("sciatica_coach.cli.backup_cmd", "replace your data with a backup (asks first)"),
}


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{PROG} --help')\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Given the command line, only the subcommand named on it gets its own options (the others
    are listed with their help): starting the app imports no subcommand module."""
    parser = _Parser(prog=PROG, description="A calm coach for your home sciatica exercises.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="where your data lives (default: your user data folder)"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="log more detail to the terminal, start-up timings too"
    )
    parser.add_argument("--start-session", action="store_true", help="open straight into today's session")
    parser.add_argument(
        "--background", action="store_true", help="start quietly for reminders (used when starting at login)"
    )
    parser.add_argument(
        "--quit-after-shown", action="store_true", help=argparse.SUPPRESS
    )  # benchmarks, smoke test
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        subparser = sub.add_parser(name, help=help_text, description=help_text)
        if argv is None or name in argv:
            importlib.import_module(module_name).register(subparser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["--platform-worker"]:  # the bundle's speech or sound process (platform.worker)
        from sciatica_coach.platform.worker import main as platform_worker

        return platform_worker(arguments[1:])
    if arguments[:1] == ["--check-recogniser"]:  # the bundle's smoke tests: PocketSphinx and its model work
        from sciatica_coach.cli.check_recogniser import main as check_recogniser

        return check_recogniser(arguments[1:])
    args = build_parser(arguments).parse_args(arguments)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    from sciatica_coach.paths import resolve_data_dir
    from sciatica_coach.storage.repository import DataError

    data_dir = resolve_data_dir(args.data_dir)
    try:
        if args.command is None:
            from sciatica_coach.qt_loading import load_pyside

            load_pyside()  # before the app's modules are imported
            from sciatica_coach.app import run_gui

            return run_gui(
                data_dir,
                sys.argv[:1],
                start_session=args.start_session,
                quit_after_shown=args.quit_after_shown,
                background=args.background,
                verbose=args.verbose,
            )
        module = importlib.import_module(SUBCOMMANDS[args.command][0])
        code = int(module.run(args, data_dir))
        if sys.stdout is not None:
            sys.stdout.flush()  # a reader that went away (`| head`) shows here, not as a traceback at exit
        return code
    except BrokenPipeError:
        # Whoever read our output stopped reading (`routine show | head`): stop quietly, as `cat` does.
        # Point stdout at /dev/null so Python's own flush at exit does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_CLOSED_PIPE
    except (UsageError, DataError) as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
