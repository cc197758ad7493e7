"""No test-wise giveaways: the key is not the longest option, letters are balanced, multiple-response
keys are spread, matching responses are not in the prompts' order (course/bank_quality.py)."""

from __future__ import annotations

import copy

import pytest

from course import bank, bank_quality
from tests.course_files import graded_key

DOMAINS = bank.available()
# Banks written before the question-style rules whose items are still being rewritten. Remove
# a bank as soon as it passes (the test below says when); new banks are never added here.
PENDING_BANKS: set[str] = set()

WHY = "An explanation long enough."


def single(qid: str, texts: list[str], answer: str) -> dict:
    options = [{"id": k, "text": t, "why": WHY} for k, t in zip("abcd", texts)]
    return {"id": qid, "type": "single", "options": options, "answer": answer}


def multi(qid: str, answer: list[str]) -> dict:
    options = [{"id": k, "text": f"Option {k}", "why": WHY} for k in "abcde"]
    return {"id": qid, "type": "multi", "options": options, "answer": answer}


def matching(qid: str, answer: dict[str, str], responses: str = "xyzw") -> dict:
    return {
        "id": qid,
        "type": "matching",
        "prompts": [{"id": p, "text": p, "why": WHY} for p in ("p1", "p2", "p3")],
        "responses": [{"id": r, "text": r, "why": WHY} for r in responses],
        "answer": answer,
    }


@pytest.mark.parametrize("domain", DOMAINS)
def test_bank_has_no_giveaways(domain):
    """Does the bank keep every giveaway under its limit (self-check and graded questions together)?"""
    found = bank_quality.problems(bank_quality.measure(bank_quality.keyed_items(bank.load(domain), graded_key(domain))))
    if domain in PENDING_BANKS:
        assert found, (
            f"{domain} passes every giveaway check: remove it from PENDING_BANKS in tests/test_bank_quality.py"
        )
    else:
        assert not found, f"{domain}:\n  " + "\n  ".join(found)


def test_pending_banks_are_banks():
    assert not PENDING_BANKS - set(DOMAINS), sorted(PENDING_BANKS - set(DOMAINS))


def test_longest_key_is_measured_strictly():
    """Is a key counted only when strictly longer than every other option, and lengths within 20 % noticed?"""
    longest = single("q1", ["short", "a much longer key", "tiny", "small"], "b")
    tie = single("q2", ["same length!", "same length?", "x", "y"], "b")
    near = single("q3", ["abcdefghij", "abcdefghi", "abcdefghijk", "abcdefghij"], "a")
    m = bank_quality.measure([longest, tie, near])
    assert m.key_longest.hits == ("q1",) and m.key_longest.total == 3
    assert m.near_lengths.hits == ("q3",)
    assert m.letters == {"a": 1, "b": 2, "c": 0, "d": 0}


def test_key_longest_limit_is_30_percent():
    """Do 3 of 10 longest keys pass and 4 of 10 fail, naming the items?"""
    items = [single(f"s{k}", ["aaaa", "bbbb", "cccc", "dddd"], "abcd"[k % 4]) for k in range(10)]
    for k in range(3):
        items[k]["options"][k % 4]["text"] = "a much longer key"
    assert not [p for p in bank_quality.problems(bank_quality.measure(items)) if "longest" in p]
    items[3]["options"][3]["text"] = "a much longer key"
    found = [p for p in bank_quality.problems(bank_quality.measure(items)) if "longest" in p]
    assert found and "s3" in found[0] and "4/10" in found[0]


def test_letter_balance():
    """Is a letter with too many or too few single-answer keys reported, with rounding for small counts?"""
    assert bank_quality.letter_bounds(20) == (3, 7)
    assert bank_quality.letter_bounds(5) == (0, 2)
    balanced = [single(f"s{k}", ["aa", "bb", "cc", "dd"], "abcd"[k % 4]) for k in range(20)]
    assert bank_quality.problems(bank_quality.measure(balanced)) == []
    skewed = [single(f"s{k}", ["aa", "bb", "cc", "dd"], "b" if k < 8 else "acd"[k % 3]) for k in range(20)]
    found = bank_quality.problems(bank_quality.measure(skewed))
    assert any("unbalanced" in p and "'b': 8" in p for p in found)


def test_multiple_response_spread():
    """Are 'option a is a key' (over 60 %) and 'keys are the first N options' (over 25 %) reported?"""
    spread = [multi("m1", ["b", "d"]), multi("m2", ["a", "e"]), multi("m3", ["c", "e"]), multi("m4", ["b", "c"])]
    assert bank_quality.problems(bank_quality.measure(spread)) == []
    first = [multi("m1", ["a", "b"]), multi("m2", ["a", "c"]), multi("m3", ["a", "d"]), multi("m4", ["b", "e"])]
    found = bank_quality.problems(bank_quality.measure(first))
    assert any("option a among the keys: 3/4" in p for p in found)
    assert not any("first N options" in p for p in found)  # 1 of 4 is exactly 25 %: allowed
    more_first = [*first, multi("m5", ["a", "b", "c"])]
    assert any("first N options: 2/5" in p for p in bank_quality.problems(bank_quality.measure(more_first)))


def test_matching_and_ordering_order():
    """Are matching responses in the prompts' order, and ordering items stored in answer order, reported?"""
    in_order = matching("x1", {"p1": "x", "p2": "z", "p3": "w"})  # positions 0 < 2 < 3
    mixed = matching("x2", {"p1": "z", "p2": "x", "p3": "w"})
    m = bank_quality.measure([in_order, mixed, copy.deepcopy(mixed) | {"id": "x3"}, mixed | {"id": "x4"}])
    assert m.matching_prompt_order.hits == ("x1",)
    assert any("x1" in p for p in bank_quality.problems(m))  # 1 of 4 is over 20 %
    ordering = {
        "id": "o1",
        "type": "ordering",
        "items": [{"id": i, "text": i, "why": WHY} for i in "abc"],
        "answer": ["a", "b", "c"],
    }
    assert any("o1" in p for p in bank_quality.problems(bank_quality.measure([ordering])))


def test_explanations_must_not_name_letters():
    """Is an explanation that points at 'option B' reported (the display order is shuffled)?"""
    q = single("s1", ["aa", "bb", "cc", "dd"], "a")
    q["options"][1]["why"] = "Wrong: unlike option B, this one ..."
    assert bank_quality.measure([q]).letter_references == ("s1",)
    q["options"][1]["why"] = "Wrong: a B-tree index is not the point; Option Group settings aside."
    assert bank_quality.measure([q]).letter_references == ()


def test_graded_questions_are_measured_with_their_key():
    """Are graded questions measured with the answer and explanations from the instructor's key?"""
    data = {
        "questions": [],
        "graded": [
            {
                "id": "g1",
                "type": "single",
                "options": [{"id": k, "text": t} for k, t in zip("abcd", ["a", "bb", "c", "d"])],
            }
        ],
    }
    key = {"g1": {"answer": "b", "why": {k: "Correct: see option A." for k in "abcd"}}}
    items = bank_quality.keyed_items(data, key)
    m = bank_quality.measure(items)
    assert m.key_longest.hits == ("g1",) and m.letter_references == ("g1",)
    assert bank_quality.keyed_items(data, {}) == []
