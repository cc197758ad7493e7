"""Fixture chain as in moto's own suite: isolated environment -> mock -> clients."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT.parent / "shared" / "notes"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def aws():
    """A running sandbox, emptied after each test."""
    from course import sandbox

    box = sandbox.start()
    yield box
    box.reset()


@pytest.fixture
def course_home(tmp_path, monkeypatch):
    """A private progress folder so tests never touch the learner's own."""
    monkeypatch.setenv("AIP_COURSE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"
