"""Choices are shown in a per-learner (self-check, graded) or per-attempt (practice exam) order
that survives a restart; answers stay option ids, and feedback letters follow the display."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from course import answers, bank, quiz, shuffle
from course.quiz_widgets import LETTERS

BANK = yaml.safe_load((Path(__file__).parent / "fixtures" / "mini_bank.yaml").read_text())
Q = {q["id"]: q for q in bank.iter_questions(BANK)}


@pytest.fixture(autouse=True)
def _private_home(course_home):
    return course_home


def ids(q: dict, part: str) -> list[str]:
    return [c["id"] for c in q[part]]


def part_of(q: dict) -> str:
    return {"single": "options", "multi": "options", "ordering": "items", "matching": "responses"}[q["type"]]


@pytest.mark.parametrize("qid", ["m-single", "m-multi", "m-order", "m-match"])
def test_same_seed_same_order_and_nothing_lost(qid):
    """Does one seed always give one order, with every choice kept and the question left unchanged?"""
    q = Q[qid]
    before = yaml.safe_dump(q)
    part = part_of(q)
    first = shuffle.displayed(q, "seed-1")
    assert ids(first, part) == ids(shuffle.displayed(q, "seed-1"), part)
    assert sorted(ids(first, part)) == sorted(ids(q, part))
    assert yaml.safe_dump(q) == before
    assert first["answer"] == q["answer"]
    orders = {tuple(ids(shuffle.displayed(q, f"seed-{n}"), part)) for n in range(40)}
    assert len(orders) > 1


def test_key_letter_is_spread_over_seeds():
    """Across learners, does the key of a single-answer question land on every letter?"""
    q = Q["m-single"]
    letters = Counter(ids(shuffle.displayed(q, f"learner-{n}"), "options").index(q["answer"]) for n in range(200))
    assert set(letters) == {0, 1, 2, 3}
    assert min(letters.values()) > 25


def test_ordering_and_matching_never_give_the_answer_away():
    """Is an ordering never shown in answer order, nor matching responses in the prompts' order?"""
    for n in range(100):
        assert ids(shuffle.displayed(Q["m-order"], f"s{n}"), "items") != Q["m-order"]["answer"]
        shown = ids(shuffle.displayed(Q["m-match"], f"s{n}"), "responses")
        keyed = [shown.index(Q["m-match"]["answer"][p]) for p in ("p1", "p2", "p3")]
        assert keyed != sorted(keyed)


def test_learner_id_is_kept_in_the_course_home(course_home, tmp_path, monkeypatch):
    """Is the learner id created once in AIP_COURSE_HOME, reused after a restart, and other learners' differ?"""
    first = shuffle.learner_id()
    assert (course_home / shuffle.LEARNER_FILE).is_file()
    shuffle._learner_id.cache_clear()  # a new kernel
    assert shuffle.learner_id() == first
    monkeypatch.setenv("AIP_COURSE_HOME", str(tmp_path / "someone-else"))
    assert shuffle.learner_id() != first


def test_damaged_learner_file_is_replaced(course_home):
    """Does a damaged learner file give way to a fresh id instead of an error?"""
    course_home.mkdir(parents=True, exist_ok=True)
    (course_home / shuffle.LEARNER_FILE).write_text("not json")
    shuffle._learner_id.cache_clear()
    assert re.fullmatch(r"[0-9a-f]{32}", shuffle.learner_id())


def displayed_letter(q: dict, cid: str) -> str:
    shown = shuffle.for_learner(q)
    return LETTERS[ids(shown, part_of(q)).index(cid)]


def test_self_check_shows_the_learner_order_and_explains_with_its_letters():
    """Does a self-check card list the options in this learner's order, and name the key by its shown letter?"""
    q = Q["m-single"]
    card = quiz.self_check_card(q, BANK["notebook"])
    shown = shuffle.for_learner(q)
    assert ids(card.input.q, "options") == ids(shown, "options")
    card.input._radio.value = q["answer"]
    card.check()
    html = card.children[-1].value
    key = displayed_letter(q, q["answer"])
    assert f"<b>{key}</b> (✔️ correct — <i>your choice</i>)" in html
    texts = re.findall(r"<li><b>[A-D]\.</b> ([^<]+)</li>", card.input.box.children[1].value)
    assert texts == [o["text"] for o in shown["options"]]


def test_graded_card_keeps_its_order_after_a_restart(tmp_path):
    """Is a graded question shown in the same order after a restart, and its answer saved as an option id?"""
    path = tmp_path / answers.FILENAME
    public = {k: v for k, v in Q["m-multi"].items() if k != "answer"} | {"choose": 2}
    public["options"] = [{"id": o["id"], "text": o["text"]} for o in Q["m-multi"]["options"]]
    card = quiz.graded_card(public, None, path)
    order = ids(card.input.q, "options")
    card.input._boxes[0].value = True  # the first box shown
    assert answers.read(path).responses["m-multi"] == [order[0]]
    shuffle._learner_id.cache_clear()  # a new kernel, same learner
    again = quiz.graded_card(public, answers.read(path).responses["m-multi"], path)
    assert ids(again.input.q, "options") == order
    assert [b.value for b in again.input._boxes][0] is True


def test_the_order_differs_between_learners(tmp_path, monkeypatch):
    """Do two learners see at least some questions in different orders?"""
    mine = {qid: ids(shuffle.for_learner(q), part_of(q)) for qid, q in Q.items()}
    monkeypatch.setenv("AIP_COURSE_HOME", str(tmp_path / "other"))
    theirs = {qid: ids(shuffle.for_learner(q), part_of(q)) for qid, q in Q.items()}
    assert mine != theirs
