"""Quiz widgets for all five formats: instant feedback in self-check, saved clicks in graded mode."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest
import yaml

from course import answers, bank, quiz

BANK = yaml.safe_load((Path(__file__).parent / "fixtures" / "mini_bank.yaml").read_text())
Q = {q["id"]: q for q in bank.iter_questions(BANK)}


@pytest.fixture(autouse=True)
def _private_home(course_home):
    return course_home


def answer_with(card, response):
    qi = card.input
    kind = qi.q["type"]
    if kind == "single":
        qi._radio.value = response
    elif kind == "multi":
        for option, box in zip(qi.q["options"], qi._boxes):
            box.value = option["id"] in response
    elif kind == "ordering":
        for slot, value in zip(qi._slots, response):
            slot.value = value
    else:
        for pid, dd in qi._pairs.items():
            dd.value = response.get(pid)


def feedback_of(card) -> str:
    return card.children[-1].value


@pytest.mark.parametrize("qid", ["m-single", "m-multi", "m-order", "m-match"])
def test_right_answer_gets_correct_and_every_explanation(qid):
    """Does checking the right answer say so and explain every choice, with where it is taught?"""
    q = Q[qid]
    card = quiz.self_check_card(q, BANK["notebook"])
    answer_with(card, q["answer"])
    card.check()
    html = feedback_of(card)
    assert "Correct" in html
    for choice in bank.choices(q):
        assert quiz.text_html(choice["why"]) in html or q["type"] == "matching"
    assert q["taught_in"].split("#")[1] in html


@pytest.mark.parametrize(
    ("qid", "wrong"),
    [
        ("m-single", "a"),
        ("m-multi", ["a"]),
        ("m-order", ["a", "b", "c"]),
        ("m-match", {"p1": "r2", "p2": "r1", "p3": "r3"}),
    ],
)
def test_wrong_answer_gets_not_quite(qid, wrong):
    """Does a wrong answer get 'Not quite' and the explanations?"""
    card = quiz.self_check_card(Q[qid], BANK["notebook"])
    answer_with(card, wrong)
    card.check()
    assert "Not quite" in feedback_of(card)


def test_incomplete_answer_is_asked_to_finish():
    """Is an ordering with empty slots asked to be completed rather than marked wrong?"""
    card = quiz.self_check_card(Q["m-order"], BANK["notebook"])
    card.check()
    assert "Answer every part" in feedback_of(card)


def test_self_check_results_are_recorded(course_home):
    """Does a checked answer land in the learner's progress file?"""
    from course import progress

    card = quiz.self_check_card(Q["m-single"], BANK["notebook"])
    answer_with(card, "b")
    card.check()
    assert progress.self_check_results()[-1]["id"] == "m-single"
    assert progress.self_check_results()[-1]["correct"] is True


def test_controls_are_keyboard_usable_widgets():
    """Are answers given with standard focusable controls (radio, checkbox, dropdown) and buttons?"""
    kinds = {
        "m-single": w.RadioButtons,
        "m-multi": w.Checkbox,
        "m-order": w.Dropdown,
        "m-match": w.Dropdown,
    }
    for qid, kind in kinds.items():
        card = quiz.self_check_card(Q[qid], BANK["notebook"])
        assert card.input.controls and all(isinstance(c, kind) for c in card.input.controls)
        assert isinstance(card.children[1], w.Button)


def test_case_study_renders_scenario_and_each_question():
    """Does a case study show its scenario and one card per sub-question?"""
    case = BANK["questions"][-1]
    box = quiz.case_card(case, BANK["notebook"])
    assert case["scenario"] in box.children[0].value
    assert len(box.children) == 1 + len(case["questions"])


def public(qid):
    q = dict(Q[qid])
    del q["answer"]
    for field in ("options", "items", "prompts", "responses"):
        if field in q:
            q[field] = [{"id": c["id"], "text": c["text"]} for c in q[field]]
    return q


@pytest.mark.parametrize("qid", ["m-single", "m-multi", "m-order", "m-match"])
def test_graded_click_is_saved_and_restored(tmp_path, qid):
    """Is each graded change saved at once, and shown again by a new widget (kernel restart)?"""
    path = tmp_path / answers.FILENAME
    q = public(qid)
    card = quiz.graded_card(q, None, path)
    assert "Not answered" in card.status.value
    answer_with(card, Q[qid]["answer"])
    assert answers.read(path).responses[qid] == Q[qid]["answer"]
    assert "Saved" in card.status.value
    again = quiz.graded_card(q, answers.read(path).responses[qid], path)
    assert again.input.response == Q[qid]["answer"]
    assert "feedback" not in card.status.value.lower() and "correct" not in card.status.value.lower()


def test_graded_quiz_warns_about_a_damaged_file(tmp_path, monkeypatch):
    """Does the graded quiz show a clear warning (not a traceback) when the answers file is damaged?"""
    path = tmp_path / answers.FILENAME
    path.write_text("garbage")
    monkeypatch.setattr(bank, "load", lambda domain: BANK)
    box = quiz.build_graded("mini", path)
    assert "not valid JSON" in box.children[1].value


def test_section_without_questions_says_so(monkeypatch):
    """Does a section with no questions render a short note instead of failing?"""
    monkeypatch.setattr(bank, "load", lambda domain: BANK)
    assert "No self-check questions" in quiz.build_section("mini", "nothing-here").value
    assert len(quiz.build_section("mini", "kms").children) == 1 + 3  # title, 2 questions + the case


def test_graded_multi_status_counts_the_choices(tmp_path):
    """Does a graded multiple-response card say how many it asks for until that many are chosen?"""
    q = public("m-multi")
    q["choose"] = 2
    card = quiz.graded_card(q, None, tmp_path / answers.FILENAME)
    assert "choose TWO" in card.input.box.children[0].value
    answer_with(card, ["a"])
    assert "asks for 2" in card.status.value
    answer_with(card, ["a", "b"])
    assert "✔ Saved." in card.status.value
