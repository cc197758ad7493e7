"""The functions graded-quiz test cells call: visible 'answered?' and hidden 'correct?'."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course import answers, bank, grading
from course.checks import CheckFailed

BANK = yaml.safe_load((Path(__file__).parent / "fixtures" / "mini_bank.yaml").read_text())


@pytest.fixture
def in_notebook_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bank, "available", lambda: ["mini"])
    monkeypatch.setattr(bank, "load", lambda domain: BANK)
    return tmp_path


def test_unanswered_fails_visibly(in_notebook_folder):
    """Does the visible check fail with a hint when nothing was saved?"""
    with pytest.raises(CheckFailed, match="has no saved answer"):
        grading.require_answer("m-g1")


def test_right_answer_passes_both_checks(in_notebook_folder):
    """Does a saved right answer pass the visible and hidden checks?"""
    answers.save("m-g1", "b")
    grading.require_answer("m-g1")
    grading.check_answer("m-g1", "b", why={"a": "Rotation changes key material."})


def test_wrong_answer_fails_hidden_check_with_explanation(in_notebook_folder):
    """Does a wrong saved answer fail and explain the chosen option?"""
    answers.save("m-g1", "a")
    grading.require_answer("m-g1")
    with pytest.raises(CheckFailed, match="not correct") as info:
        grading.check_answer("m-g1", "b", why={"a": "Rotation changes key material, not binding."})
    assert "Rotation changes key material" in str(info.value)


def test_corrupt_file_fails_with_clear_message(in_notebook_folder):
    """Does a damaged answers file fail the question with a message, not a crash?"""
    (in_notebook_folder / answers.FILENAME).write_text("{{{")
    with pytest.raises(CheckFailed, match="no usable answer"):
        grading.require_answer("m-g1")


def test_hand_edited_wrong_type_is_just_wrong(in_notebook_folder):
    """Is a hand-edited answer of the wrong type scored wrong rather than crashing?"""
    answers.save("m-g1", {"weird": 1})
    with pytest.raises(CheckFailed):
        grading.require_answer("m-g1")
    with pytest.raises(CheckFailed, match="not correct"):
        grading.check_answer("m-g1", "b")
