"""The graded answers file: atomic, restart-proof, and harmless when damaged."""

from __future__ import annotations

import json
import os

import pytest

from course import answers


def test_missing_file_means_nothing_answered(tmp_path):
    """Does a notebook with no answers file read as unanswered, without error?"""
    result = answers.read(tmp_path / answers.FILENAME)
    assert result.responses == {} and result.problem is None


def test_saved_answers_survive_a_new_reader(tmp_path):
    """After saving, does a fresh read (as after a kernel restart) see every answer?"""
    path = tmp_path / answers.FILENAME
    answers.save("q1", "b", path)
    answers.save("q2", ["a", "c"], path)
    answers.save("q1", "d", path)
    assert answers.read(path).responses == {"q1": "d", "q2": ["a", "c"]}
    assert json.loads(path.read_text())["format"] == answers.FORMAT


def test_write_is_atomic(tmp_path, monkeypatch):
    """If writing fails half-way, is the previous file left whole and no temp file left?"""
    path = tmp_path / answers.FILENAME
    answers.save("q1", "a", path)

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        answers.save("q1", "b", path)
    monkeypatch.undo()
    assert answers.read(path).responses == {"q1": "a"}
    assert [p.name for p in tmp_path.iterdir()] == [answers.FILENAME]


def test_corrupt_file_reads_as_unanswered_with_a_message(tmp_path):
    """Does a hand-broken file give a clear message instead of a crash?"""
    path = tmp_path / answers.FILENAME
    path.write_text("{not json")
    result = answers.read(path)
    assert result.responses == {} and "not valid JSON" in result.problem


def test_wrong_layout_is_reported(tmp_path):
    """Is valid JSON of the wrong shape reported too?"""
    path = tmp_path / answers.FILENAME
    path.write_text("[1, 2, 3]")
    assert "expected layout" in answers.read(path).problem


def test_saving_over_a_corrupt_file_keeps_the_old_one(tmp_path):
    """When a damaged file is replaced, is it kept aside rather than lost?"""
    path = tmp_path / answers.FILENAME
    path.write_text("{not json")
    notice = answers.save("q1", "a", path)
    assert "kept as" in notice
    kept = [p for p in tmp_path.iterdir() if "corrupt" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "{not json"
    assert answers.read(path).responses == {"q1": "a"}
