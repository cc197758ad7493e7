"""Fixtures of the study-tool tests."""

from __future__ import annotations

import pytest

from tests.exam.synthetic import make_bank


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private $AIP_COURSE_HOME."""
    monkeypatch.setenv("AIP_COURSE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def big_banks() -> dict[str, dict]:
    """Enough questions for several full exams, with case studies (some spanning domains)."""
    return {
        "alpha": make_bank("alpha", {1: 30, 2: 12, 3: 10}, cases=[["1.2", "1.3"], ["2.1", "3.1", "3.2"]]),
        "beta": make_bank("beta", {2: 20, 4: 14, 5: 12}, cases=[["4.1", "5.1"], ["2.2", "2.3"]]),
        "gamma": make_bank("gamma", {3: 15, 1: 6}, cases=[["3.3", "1.1", "3.4"]]),
    }


@pytest.fixture
def small_banks() -> dict[str, dict]:
    """A pool too small for a full exam (domain 5 has 1 question)."""
    return {"tiny": make_bank("tiny", {1: 6, 2: 5, 3: 4, 4: 3, 5: 1})}
