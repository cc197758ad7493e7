"""Local JSON files written atomically, and read without ever crashing on a damaged one.

A write goes to a temporary file in the same folder, is flushed to disk, then renamed over
the old file (``os.replace``), so a crash or a kernel restart never leaves half a file.
A file that cannot be understood is renamed aside (``<name>.corrupt-<time>.json``) and the
caller starts afresh with a message saying where the old file is.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course import progress


def folder() -> Path:
    """Where the study tools keep their files: ``$AIP_COURSE_HOME`` (see :mod:`course.progress`)."""
    return progress.home()


@dataclass
class Loaded:
    data: Any = None
    problem: str | None = None


def write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_aside(path: Path) -> Path:
    """Rename a damaged file out of the way (never overwriting an earlier one); return its new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.stem}.corrupt-{stamp}-{n}{path.suffix}")
    os.replace(path, aside)
    return aside


def read_json(path: Path, what: str, valid: Callable[[Any], bool] = lambda _d: True) -> Loaded:
    """The file's data, ``Loaded(None)`` when missing, or ``Loaded(None, problem)`` when damaged
    (the damaged file is renamed aside so the next write starts a fresh one)."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Loaded()
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"could not be read ({exc})"
        data, ok = None, False
    else:
        try:
            data = json.loads(text)
            ok = valid(data)
            reason = "does not have the expected layout"
        except ValueError:
            data, ok = None, False
            reason = "is not valid JSON"
    if ok:
        return Loaded(data)
    try:
        aside = set_aside(path)
        kept = f"It was kept as {aside} "
    except OSError as exc:
        kept = f"It could not be renamed ({exc}) "
    return Loaded(None, f"Your {what} file {path} {reason}. {kept}and a fresh start was made.")
