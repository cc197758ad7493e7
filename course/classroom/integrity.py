"""Inside a grading kernel: notice student code that tampers with what the tests rely on.

The grading start-up file calls ``snapshot()`` before any student code runs; after every
cell the grader evaluates ``verdict()`` (as a user expression, outside the cell). A verdict
lists what changed: a check helper replaced, a builtin swapped, IPython's error reporting or
cell execution patched, a custom exception handler, a trace function, or the simulated AWS
stopped (which the verdict starts again, so later exercises still have it).

This catches the tampering a student might try or do by accident; it is not a security
boundary against someone who has read this file (the jail is: network, files, credentials).
"""

from __future__ import annotations

import builtins
import sys

BUILTINS = (
    "AssertionError",
    "BaseException",
    "Exception",
    "isinstance",
    "issubclass",
    "len",
    "type",
    "repr",
    "str",
    "print",
    "__import__",
    "__build_class__",
)
SHELL_METHODS = ("run_cell", "run_cell_async", "run_code", "run_ast_nodes", "showtraceback", "_showtraceback")
GUARDED_MODULES = ("course.checks", "course.grading", "course.scoring", "course.answers", "course.paging")

_saved: dict[str, object] = {}


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _state() -> dict[str, object]:
    import importlib

    state: dict[str, object] = {f"builtins.{n}": getattr(builtins, n, None) for n in BUILTINS}
    for name in GUARDED_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if callable(value) and not attr.startswith("__"):
                state[f"{name}.{attr}"] = value
                code = getattr(value, "__code__", None)
                if code is not None:
                    state[f"{name}.{attr}.__code__"] = code
    shell = _shell()
    if shell is not None:
        for method in SHELL_METHODS:
            # Bound methods are new objects on every access: compare the functions.
            state[f"IPython shell.{method} (instance)"] = vars(shell).get(method)
            state[f"IPython shell.{method}"] = getattr(type(shell), method, None)
    return state


def snapshot() -> None:
    _saved.clear()
    _saved.update(_state())


def verdict() -> str:
    """JSON: {"tampered": [what the tests rely on and was changed], "notes": [other findings]}."""
    import json

    problems, notes = [], []
    if _saved:
        now = _state()
        problems += [f"{key} was replaced" for key, value in _saved.items() if now.get(key) is not value]
    shell = _shell()
    if shell is not None and getattr(shell, "custom_exceptions", ()):
        problems.append("a custom exception handler was installed (set_custom_exc)")
    if sys.gettrace() is not None or sys.getprofile() is not None:
        problems.append("a trace or profile function was installed (sys.settrace / sys.setprofile)")
    from course import sandbox

    if sandbox.active() is None:
        sandbox.start()
        notes.append("the simulated AWS (moto) was stopped; the grader started a fresh, empty one")
    return json.dumps({"tampered": problems, "notes": notes})
