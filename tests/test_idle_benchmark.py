"""benchmarks/idle_cpu.py: the side-by-side sitting-break run's pieces (wake-ups counted thread by thread, the
figures, the verdict, Safe Eyes' private settings, the app's break settings) and the default run kept as it was.
The real measurement runs for minutes on a private Xvfb; it is not run here."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "idle_cpu.py"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The benchmark module, its additions to sys.path and sys.modules undone after the test."""
    monkeypatch.syspath_prepend(str(BENCHMARK.parent))  # restores all of sys.path afterwards
    spec = importlib.util.spec_from_file_location("idle_cpu_under_test", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_wakeups_keep_the_count_of_a_thread_that_ended_and_count_a_new_one_from_zero(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    looks = iter([{1: 10, 2: 5}, {1: 12, 2: 9, 3: 4}, {1: 15, 3: 6}])  # thread 2 ends, thread 3 starts
    monkeypatch.setattr(bench, "thread_wakeups", lambda pid: next(looks))
    counter = bench.WakeupCounter(4242)
    for _ in range(3):
        counter.look()
    assert counter.total == (15 - 10) + (9 - 5) + 6


def test_every_live_thread_of_a_process_is_read(bench: ModuleType) -> None:
    release = threading.Event()
    helper = threading.Thread(target=release.wait)
    helper.start()
    try:
        counts = bench.thread_wakeups(os.getpid())
        assert helper.native_id in counts and threading.main_thread().native_id in counts
        assert all(count >= 0 for count in counts.values())
    finally:
        release.set()
        helper.join()


def test_figures_are_percent_of_one_core_and_wakeups_per_minute(bench: ModuleType) -> None:
    before = bench.Sample(cpu_s=1.0, children_s=0.5, at_s=100.0)
    after = bench.Sample(cpu_s=1.06, children_s=0.62, at_s=160.0)
    figures = bench.Figures.between(before, after, 30)
    assert figures.cpu_percent == pytest.approx(0.1)
    assert figures.with_children_percent == pytest.approx(0.3)
    assert figures.wakeups_per_min == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("app_on", "safe_eyes", "status", "word"),
    [(0.002, 0.030, 0, "ok"), (0.030, 0.030, 0, "ok"), (0.031, 0.030, 1, "OVER")],
)
def test_the_run_fails_only_when_breaks_on_use_more_cpu_than_safe_eyes(
    bench: ModuleType, app_on: float, safe_eyes: float, status: int, word: str
) -> None:
    line, code = bench.verdict(bench.Figures(app_on, app_on, 2.0), bench.Figures(safe_eyes, 0.2, 30.0))
    assert code == status and line.endswith(word)


def test_without_safe_eyes_the_app_alone_passes_and_says_so(bench: ModuleType) -> None:
    line, code = bench.verdict(bench.Figures(0.5, 0.5, 2.0), None)
    assert code == 0 and "Safe Eyes not measured" in line


def test_safe_eyes_gets_its_stock_settings_without_its_rpc_server_in_a_private_home(
    bench: ModuleType, tmp_path: Path
) -> None:
    package = tmp_path / "safeeyes"
    (package / "config" / "style").mkdir(parents=True)
    stock = {"use_rpc_server": True, "rpc_port": 7200, "short_break_interval": 15}
    (package / "config" / "safeeyes.json").write_text(json.dumps(stock))
    (package / "config" / "style" / "safeeyes_style.css").write_text("window {}")
    home = tmp_path / "safe-eyes-home"
    env = bench.prepare_safe_eyes_home(home, package)
    assert env == {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    written = json.loads((home / ".config" / "safeeyes" / "safeeyes.json").read_text())
    assert written == {**stock, "use_rpc_server": False}
    assert (home / ".config" / "safeeyes" / "style" / "safeeyes_style.css").read_text() == "window {}"


def test_safe_eyes_makes_its_own_settings_when_the_stock_ones_are_elsewhere(
    bench: ModuleType, tmp_path: Path
) -> None:
    home = tmp_path / "safe-eyes-home"
    env = bench.prepare_safe_eyes_home(home, tmp_path / "nowhere")
    assert env["HOME"] == str(home) and not home.exists()


def test_the_idle_backend_is_read_from_the_apps_log(bench: ModuleType, tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(
        "INFO sciatica_coach.platform.idle: Idle time: X11 (MIT-SCREEN-SAVER) (not: ...)\n"
        "INFO sciatica_coach.services.sitting_breaks: Sitting breaks count computer use through: "
        "X11 (MIT-SCREEN-SAVER)\n"
    )
    assert bench.idle_backend(log) == "X11 (MIT-SCREEN-SAVER)"
    log.write_text("INFO sciatica_coach.app: Reminders armed\n")
    assert bench.idle_backend(log) is None
    assert bench.idle_backend(tmp_path / "missing.log") is None


@pytest.mark.parametrize("on", [True, False])
def test_the_apps_break_settings_hold_every_day_all_day(bench: ModuleType, tmp_path: Path, on: bool) -> None:
    from sciatica_coach.services.sitting_breaks import break_settings
    from sciatica_coach.storage.repository import Repository

    bench.write_break_settings(tmp_path / "data", on)
    repo = Repository.open(tmp_path / "data")
    try:
        settings = break_settings(repo)
        assert repo.state("sitting_intro_answered") is True
    finally:
        repo.close()
    assert settings.on is on
    monday = datetime(2026, 11, 30, 0, 0)
    assert all(settings.at_work(monday + timedelta(hours=5 * step)) for step in range(7 * 24 // 5 + 1))


def test_the_side_by_side_run_says_what_it_lacks(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    assert bench.main(["--sitting-breaks", "--beside-safe-eyes", "--seconds", "1"]) == 2
    assert "needs Xvfb and dbus-daemon" in capsys.readouterr().err


def test_the_default_run_is_the_offscreen_app_with_reminders_as_before(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[tuple[float, float]] = []

    def fake_measure(seconds: float, settle_s: float) -> tuple[float, int]:
        asked.append((seconds, settle_s))
        return 0.002, 4

    monkeypatch.setattr(bench, "measure", fake_measure)
    monkeypatch.setattr(bench, "side_by_side", lambda *args: pytest.fail("not asked for"))
    assert bench.main(["--seconds", "10"]) == 0
    assert asked == [(10.0, bench.SETTLE_S)]
    assert "idle CPU with reminders armed: 0.002 %" in capsys.readouterr().out
