"""Run the nbgrader command on a course folder, from this Python environment.

nbgrader's gradebook runs the ``alembic`` command by name, so this interpreter's bin folder
goes first on PATH: the commands work without an activated virtual environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def env(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with this interpreter's bin folder first on PATH."""
    env = dict(os.environ if base is None else base)
    bindir = str(Path(sys.executable).parent)
    if bindir not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = os.pathsep.join([bindir, env.get("PATH", "")])
    return env


def put_on_path() -> None:
    """The same for this process (and the processes it starts), where nbgrader runs in-process."""
    os.environ["PATH"] = env()["PATH"]


def run(course: Path, *args: str, extra_env: dict[str, str] | None = None, timeout: float | None = None):
    """``nbgrader ARGS`` on ``course`` with its own gradebook.db; the CompletedProcess (text output)."""
    cmd = [
        sys.executable,
        "-m",
        "nbgrader",
        *args,
        f"--CourseDirectory.root={course}",
        f"--db=sqlite:///{course}/gradebook.db",
    ]
    return subprocess.run(
        cmd, cwd=course, capture_output=True, text=True, env=env({**os.environ, **(extra_env or {})}), timeout=timeout
    )
