"""The large kill -9 run: 1,000 kills while sessions are recorded or history is imported.

Prints `kill -9 crash test: <N> kills, <M> corrupt files, <K> lost acknowledged writes (goal 0 and 0)`, then a
line on where the kills landed. The machinery (a forked worker per round, killed after a seeded random number
of acknowledged writes, then every file parsed and every acknowledged write looked for) is the test suite's,
tests/storage/test_crash_safety.py; the test runs 200 kills (CRASH_KILLS), this runs more.

    python benchmarks/crash_bench.py                 # 1,000 kills (about two minutes on 2 cores)
    python benchmarks/crash_bench.py --kills 100     # a quick run
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_KILLS = 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=DEFAULT_KILLS)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    from tests.storage.test_crash_safety import run_crash_suite

    with tempfile.TemporaryDirectory(prefix="crash-bench-") as folder:
        stats = run_crash_suite(Path(folder), args.kills, seed=args.seed)
    corrupt = stats.corrupt_files + stats.notices + stats.torn_states
    print(
        f"kill -9 crash test: {stats.kills} kills, {corrupt} corrupt files, "
        f"{stats.lost_writes} lost acknowledged writes (goal 0 and 0)"
    )
    print(
        f"# {stats.acknowledged} acknowledged writes in {stats.seconds:.0f} s; kills inside a file write: "
        f"{stats.temp_files_left}, after a write landed but before it was reported: "
        f"{stats.landed_unacknowledged}, between the per-year writes of an import: {stats.partial_imports}"
    )
    for problem in stats.problems[:10]:
        print(f"# {problem}")
    return 0 if corrupt == 0 and stats.lost_writes == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
