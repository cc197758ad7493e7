"""The README's set-up commands as a learner types them: ./course.sh setup, setup --dev and open.

They run on a copy of the files course.sh reads, with the course's installed environment
(COURSE_VENV): a fresh install is what CI's own clean run does, so here setup must find that
environment current and install nothing, and open must lay out the learner's workspace and
start JupyterLab on COURSE_PORT.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests import needs
from tests.course_files import ROOT

pytestmark = pytest.mark.slow

NEEDED = ("course.sh", "pyproject.toml", "requirements", "jupyter", "release", "study")
VENV = Path(sys.executable).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def installed_stamp_problem() -> str | None:
    """Why course.sh would reinstall the shared environment from the copy, or None.

    The stamp is what course.sh writes after installing (sha256 of the lock and pyproject.toml).
    A stale environment would be reinstalled, its editable install pointing at the temporary
    copy, which breaks it once the copy is gone: refuse to run instead.
    """
    stamp = VENV / ".installed-dev"
    if not stamp.exists():
        return None
    want = hashlib.sha256((ROOT / "requirements" / "dev.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    if stamp.read_text().strip() != want.hexdigest():
        return (
            f"{VENV} was installed from other locks or another pyproject.toml than this checkout's: "
            "run ./course.sh setup --dev, then the tests again"
        )
    return None


@pytest.fixture
def checkout(tmp_path) -> Path:
    problem = installed_stamp_problem()
    assert problem is None, problem
    for name in NEEDED:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, tmp_path / name)
    return tmp_path


def env(**extra: str) -> dict[str, str]:
    # BROWSER=true: JupyterLab "opens" the page with the no-op command `true`.
    return {**os.environ, "COURSE_VENV": str(VENV), "BROWSER": "true", **extra}


@pytest.mark.parametrize("command", ["./course.sh setup", "./course.sh setup --dev"])
def test_setup_finds_the_installed_environment_current(checkout, command):
    """Does setup on an environment installed from the same locks finish without installing anything?"""
    if not (VENV / ".installed-dev").exists():
        needs.missing("the test environment was not installed by ./course.sh (no .installed-dev stamp)")
    result = subprocess.run(command.split(), cwd=checkout, env=env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stdout, f"{command} reinstalled a current environment:\n{result.stdout}"


def test_open_lays_out_the_workspace_and_serves_jupyterlab(checkout):
    """Does ./course.sh open copy every student notebook into workspace/ and answer on COURSE_PORT?"""
    if not (VENV / ".installed-dev").exists():
        needs.missing("the test environment was not installed by ./course.sh (no .installed-dev stamp)")
    port = free_port()
    (checkout / "workspace" / "security").mkdir(parents=True)
    (checkout / "workspace" / "security" / "security.ipynb").write_text("my own work")
    log = (checkout / "open.log").open("w")
    proc = subprocess.Popen(
        ["./course.sh", "open"],
        cwd=checkout,
        env=env(COURSE_PORT=str(port), JUPYTER_RUNTIME_DIR=str(checkout / "runtime")),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status = None
        for _ in range(240):
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).status
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None:
                    break
                time.sleep(0.25)
        assert status == 200, f"JupyterLab did not answer on port {port}:\n{(checkout / 'open.log').read_text()}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    workspace = checkout / "workspace"
    for notebook in (ROOT / "release").glob("*/*.ipynb"):
        assert (workspace / notebook.parent.name / notebook.name).exists(), f"{notebook.name} not in workspace/"
    for notebook in (ROOT / "study").glob("*.ipynb"):
        assert (workspace / "study" / notebook.name).exists()
    assert (workspace / "security" / "security.ipynb").read_text() == "my own work", "a learner's work was overwritten"


def test_a_run_ends_with_the_set_up_time():
    """Does a test run print ./course.sh test's set-up summary near its last line, after the durations?"""
    summary = "set-up and lint before the tests: 41 s (Python packages: installed from requirements/dev.txt, 12 s)"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_shuffle.py", "-q", "-p", "no:cacheprovider", "--durations=3"],
        cwd=ROOT,
        env={**os.environ, "COURSE_SETUP_SUMMARY": summary},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    tail = result.stdout.splitlines()[-2:]
    assert tail[0] == summary, (
        f"expected the set-up summary just before the result line, found:\n{result.stdout[-1500:]}"
    )
