"""Guards for the PySide6/pyqtgraph pairing pinned in pyproject.toml."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

EMITS = 500


class _Emitter(QObject):
    text = Signal(str)
    flag = Signal(bool)


def test_emitting_signals_does_not_leak_references_to_true_or_false(qtbot: QtBot) -> None:
    """PySide6 6.12.0 dropped a reference to True on every emit; the app emits several times a second during
    a session, so such a release would crash it (and the test run) with a 'bool_dealloc' fatal error."""
    emitter = _Emitter()
    received: list[object] = []
    emitter.text.connect(received.append)
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(EMITS):
        emitter.text.emit("x")
        emitter.flag.emit(False)
    received.clear()
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert after[0] > before[0] - EMITS // 2 and after[1] > before[1] - EMITS // 2, (before, after)


def test_pyqtgraph_loads_with_this_qt(qtbot: QtBot) -> None:
    import pyqtgraph

    plot = pyqtgraph.PlotWidget()
    qtbot.addWidget(plot)
    plot.plot([0, 1, 2], [1, 3, 2])
    (line,) = plot.getPlotItem().listDataItems()  # the line holds the data given, as numbers to draw
    xs, ys = line.getData()
    assert list(xs) == [0, 1, 2] and list(ys) == [1, 3, 2]
