"""Tests that share an expensive fixture run on one worker: xdist's groups hold with the locked pytest.

pytest 9.2 keeps node ids in a structure that pytest-xdist 3.8 cannot tag with a group, so every
group was split over the workers and each graded class was built on both (the suite took twice
as long). This runs a small suite in parallel and counts where each group's fixture was built.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROBE = """
import os
import pytest


@pytest.fixture(scope="module", params=[pytest.param(n, marks=pytest.mark.xdist_group(f"g-{n}")) for n in "abcd"])
def built(request):
    with open(os.environ["PROBE_LOG"], "a") as fh:
        fh.write(f"{request.param} {os.environ['PYTEST_XDIST_WORKER']}\\n")
    return request.param


def test_one(built):
    pass


def test_two(built):
    pass


def test_three(built):
    pass


@pytest.fixture(scope="module")
def shared():  # no group mark: tests/conftest.py groups the tests that use it
    with open(os.environ["PROBE_LOG"], "a") as fh:
        fh.write(f"shared {os.environ['PYTEST_XDIST_WORKER']}\\n")


@pytest.mark.parametrize("n", range(6))
def test_shared(shared, n):
    pass
"""


def test_a_group_runs_on_one_worker_and_builds_its_fixture_once(tmp_path):
    """With -n 2 --dist loadgroup, is each group's module fixture (marked, or grouped by conftest) built once?"""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_probe.py").write_text(PROBE)
    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path / "tests" / "conftest.py")
    log = tmp_path / "built.log"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env={**os.environ, "PROBE_LOG": str(log)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = sorted(line.split()[0] for line in log.read_text().splitlines())
    assert built == ["a", "b", "c", "d", "shared"], f"fixtures built (once per group expected): {built}"
