"""How a JupyterHub student gets the course: copy ``release/`` into their home before their server starts.

New files are copied; files already there are kept, so a student's work is never overwritten
and assignments added later reach them on their next spawn. Used from deploy/jupyterhub_config.py::

    c.Spawner.pre_spawn_hook = hub.course_copier(Path("/srv/aip-c01/course/release"))
"""

from __future__ import annotations

import os
import pwd
import shutil
from collections.abc import Callable
from pathlib import Path


def copy_release(release: Path, home: Path, owner: str | None = None) -> list[Path]:
    """Copy every file of ``release/<assignment>/`` to ``home/<assignment>/`` unless it exists; returns new files."""
    copied = []
    for source in sorted(release.rglob("*")):
        rel = source.relative_to(release)
        if not source.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        target = home / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied.append(target)
    if owner and os.geteuid() == 0:
        _give_to(owner, copied)
    return copied


def _give_to(owner: str, paths: list[Path]) -> None:
    """As root with real OS accounts (LocalProcessSpawner), hand the new files and folders to the student."""
    try:
        user = pwd.getpwnam(owner)
    except KeyError:
        return
    for item in [*paths, *{p.parent for p in paths}]:
        os.chown(item, user.pw_uid, user.pw_gid)


def home_of(spawner) -> Path:
    """The spawner's home folder (SimpleLocalProcessSpawner), else the OS account's."""
    home = getattr(spawner, "home_dir", None)
    return Path(home) if home else Path(pwd.getpwnam(spawner.user.name).pw_dir)


def course_copier(release: Path) -> Callable:
    """A ``pre_spawn_hook`` that copies the course's student notebooks into the user's home."""

    def hook(spawner) -> None:
        home = home_of(spawner)
        home.mkdir(parents=True, exist_ok=True)
        copied = copy_release(release, home, owner=spawner.user.name)
        spawner.log.info("course: %d new file(s) from %s for %s", len(copied), release, spawner.user.name)

    return hook


def private_course_problems(course: Path, student_env: Path | None) -> list[str]:
    """Why students with their own OS accounts could still read the course directory (empty: they cannot).

    The course directory holds ``source/`` (solutions, hidden tests), every ``graded_key.yaml``
    and the gradebook: only the instructors and the grader may enter it. Students run their
    servers from ``student_env`` (``course.classroom.student_env``), outside it."""
    problems = []
    mode = course.stat().st_mode & 0o777
    if mode & 0o007:
        problems.append(
            f"{course} is open to every account (mode {mode:o}): run `chmod -R o-rwx {course}` and give the "
            "instructors and the grader access through a group (deploy/README.md, 'Production')"
        )
    if student_env is None:
        problems.append(
            "AIP_STUDENT_ENV is not set: build the students' environment (python -m course.classroom.student_env)"
        )
    elif student_env.resolve().is_relative_to(course.resolve()):
        problems.append(f"the students' environment {student_env} is inside the course directory {course}")
    elif not (student_env / "bin" / "python").exists():
        problems.append(f"{student_env} is not a Python environment (no bin/python)")
    return problems
