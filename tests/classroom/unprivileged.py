"""Run the grader as an ordinary user, as on a grading hub (the tests themselves run as root in CI).

``grader_account()`` makes a throw-away system account and removes it afterwards;
``run_as()`` runs a command as that account. The Python environment may sit below a folder
only root can enter (``/root/.pyenv``, say): the command then runs in a private mount
namespace in which each such folder is covered by an empty one holding only the way to the
environment, so the account can start Python but sees nothing else of root's files.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from tests import needs
from tests.course_files import ROOT


def usable() -> str | None:
    """None when this machine can run commands as a throw-away account, else why not."""
    if os.geteuid() != 0:
        return "creating a grader account needs root (the tests run as root in CI)"
    for tool in ("useradd", "userdel", "runuser", "unshare", "mount"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    return None


@contextlib.contextmanager
def grader_account() -> Iterator[str]:
    why = usable()
    if why:
        needs.missing(why)
    name = f"aipgrader{uuid.uuid4().hex[:8]}"
    made = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        needs.missing(f"useradd failed: {made.stderr.strip()}")
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], capture_output=True, check=False)


def _closed(folder: Path) -> bool:
    return not folder.stat().st_mode & stat.S_IXOTH


def reach_script(paths: list[Path]) -> str:
    """Shell lines that make every folder on the way to ``paths`` enterable (see the module docstring)."""
    needed: dict[Path, set[str]] = {}  # closed folder -> the children to put back
    for path in paths:
        path = path.resolve()
        for parent in reversed(path.parents):
            if parent != Path("/") and _closed(parent):
                child = path.relative_to(parent).parts[0]
                needed.setdefault(parent, set()).add(child)
    lines = ["set -e"]
    for folder in sorted(needed, key=lambda p: len(p.parts)):  # outer folders first
        q = shlex.quote(str(folder))
        lines += [
            "saved=$(mktemp -d /tmp/aip-reach-XXXXXX)",
            f'mount --bind {q} "$saved"',
            f"mount -t tmpfs -o mode=755,size=64k tmpfs {q}",
        ]
        for child in sorted(needed[folder]):
            c = shlex.quote(child)
            lines += [f"mkdir -p {q}/{c}", f'mount --bind "$saved"/{c} {q}/{c}']
        lines += ['umount "$saved"', 'rmdir "$saved"']
    return "\n".join(lines)


def run_as(
    user: str, argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 3600
) -> subprocess.CompletedProcess:
    """``argv`` run as ``user`` with exactly ``env``, in ``cwd``."""
    reach = reach_script([Path(sys.executable), Path(sys.prefix), ROOT])
    assignments = [f"{k}={v}" for k, v in env.items()]
    command = ["runuser", "-u", user, "--", "env", "-i", *assignments, *argv]
    script = f"{reach}\ncd {shlex.quote(str(cwd))}\nexec {shlex.join(command)}"
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def give(folder: Path, user: str) -> None:
    """Hand ``folder`` and everything in it to ``user``."""
    subprocess.run(["chown", "-R", f"{user}:", str(folder)], check=True)
