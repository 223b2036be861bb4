"""Loading PySide6 for the desktop app, without the cost of its optional `__feature__` switches.

PySide6 replaces Python's import function with its own: for every module imported after PySide6, it reads the
module's whole source to see whether it asks for `from __feature__ import snake_case` (or true_property), and
Python keeps those lines in its traceback cache. The app never uses those switches, and for the ~150 modules it
imports the reading costs some 15-20 ms of start-up and a few MB that stay with the process. `load_pyside()`
imports PySide6 and puts Python's own import function back."""

from __future__ import annotations

import builtins


def load_pyside() -> bool:
    """Import PySide6 and switch its import hook off again. True when the hook was found and removed."""
    import PySide6.QtCore  # noqa: F401 - installs PySide6's import hook

    original = getattr(builtins, "__orig_import__", None)
    if original is None or builtins.__import__ is not getattr(builtins, "__feature_import__", None):
        return False  # a PySide6 without the hook, or someone else's import function: leave it be
    builtins.__import__ = original
    return True
