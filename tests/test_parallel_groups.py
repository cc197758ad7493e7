"""Tests that share an expensive fixture run on one worker: xdist's groups hold with the locked pytest.

pytest 9.2 keeps node ids in a structure that pytest-xdist 3.8 cannot tag with a group, so every
group was split over the workers and each graded class was built on both (the suite took twice
as long). This runs a small suite in parallel and counts where each group's fixture was built.
"""

from __future__ import annotations

import os
import subprocess
import sys

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
"""


def test_a_group_runs_on_one_worker_and_builds_its_fixture_once(tmp_path):
    """With -n 2 --dist loadgroup, is each group's module fixture built exactly once?"""
    (tmp_path / "test_probe.py").write_text(PROBE)
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
    assert built == ["a", "b", "c", "d"], f"fixtures built (once per group expected): {built}"
