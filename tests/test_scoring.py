"""Exam rules: credit only when entirely right, for every format."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course import bank, scoring

BANK = yaml.safe_load((Path(__file__).parent / "fixtures" / "mini_bank.yaml").read_text())
Q = {q["id"]: q for q in bank.iter_questions(BANK)}


@pytest.mark.parametrize(
    ("qid", "response", "expected"),
    [
        ("m-single", "b", True),
        ("m-single", "a", False),
        ("m-single", None, False),
        ("m-multi", ["b", "a"], True),
        ("m-multi", ["a"], False),  # partly right earns nothing
        ("m-multi", ["a", "b", "c"], False),  # one extra wrong option earns nothing
        ("m-order", ["b", "a", "c"], True),
        ("m-order", ["a", "b", "c"], False),
        ("m-order", ["b", "a"], False),
        ("m-match", {"p1": "r1", "p2": "r2", "p3": "r3"}, True),
        ("m-match", {"p1": "r1", "p2": "r3", "p3": "r2"}, False),
        ("m-match", {"p1": "r1", "p2": "r2"}, False),
        ("m-single", ["b"], False),  # wrong shape (hand-edited file) is simply wrong
        ("m-match", "r1", False),
    ],
)
def test_all_or_nothing(qid, response, expected):
    """Is a response scored right only when it matches the whole answer?"""
    q = Q[qid]
    assert scoring.is_correct(q, response, q["answer"]) is expected


def test_completeness():
    """Does an ordering with an empty slot or a matching with an unpaired prompt count as incomplete?"""
    assert not scoring.is_complete(Q["m-order"], ["b", None, "c"])
    assert scoring.is_complete(Q["m-order"], ["b", "a", "c"])
    assert not scoring.is_complete(Q["m-match"], {"p1": "r1"})
    assert not scoring.is_complete(Q["m-multi"], [])
