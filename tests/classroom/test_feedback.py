"""What students receive: feedback without hidden tests or the quiz key, and a wheel without secrets."""

from __future__ import annotations

import html
import json
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course import answers, grading
from course.checks import CheckFailed
from course.classroom import feedback, student_env

BANK = yaml.safe_load((Path(__file__).parent.parent / "fixtures" / "mini_bank.yaml").read_text())
QUESTIONS = {q["id"]: q for q in BANK["questions"]}

HIDDEN_EXERCISE = 'checks.expect_equal(_table["KeySchema"][0]["AttributeName"], "pk", "the partition key")'
QUIZ = "\n".join(
    [
        '"""Graded question m-multi: is your saved answer complete and correct?"""',
        "from course import grading",
        "",
        "grading.require_answer('m-multi')",
        "### BEGIN HIDDEN TESTS",
        "grading.check_answer(",
        "    'm-multi',",
        "    ['a', 'b'],",
        "    why={'a': 'Correct: replication works on object versions.',",
        "         'b': 'Correct: the destination stores the replicated versions.',",
        "         'c': 'Wrong: same-Region buckets use SRR, not CRR.'},",
        ")",
        "### END HIDDEN TESTS",
    ]
)


def graded_cell(source: str, grade_id: str, score: float | None, points: float = 1.0):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": grade_id,
        "locked": True,
        "points": points,
        "score": score,
        "solution": False,
        "checksum": "0123abcd",
    }
    return cell


def error(evalue: str, *frames: str):
    return new_output("error", ename="CheckFailed", evalue=evalue, traceback=[*frames, f"CheckFailed: {evalue}"])


@pytest.fixture
def notebook():
    exercise = graded_cell(
        '"""Does the table have the right key?"""\nprint("Visible checks passed.")\n'
        f"### BEGIN HIDDEN TESTS\n{HIDDEN_EXERCISE}\n### END HIDDEN TESTS",
        "ddb-tests",
        0.0,
        2.0,
    )
    exercise.outputs = [
        new_output("stream", name="stdout", text="Visible checks passed.\n"),
        error(
            "the partition key\n  expected: 'pk'\n  found:    'id'",
            "\x1b[31m---------------------------------------------------------------------------\x1b[39m",
            "\x1b[31mCheckFailed\x1b[39m                               Traceback (most recent call last)",
            f"\x1b[36mCell\x1b[39m \x1b[32mIn[7]\x1b[39m, line 4\n      3 print('Visible')\n----> 4 \x1b[33m{HIDDEN_EXERCISE}\x1b[39m\n",
            "File /course/checks.py:45, in expect_equal(found, expected, what, hint)\n---> 45     fail(what)\n",
        ),
    ]
    quiz = graded_cell(QUIZ, "quiz-m-multi", 0.0)
    # The grader's own message on a test cell (course.classroom.limits.error_output): no frames, kept whole.
    quiz.outputs = [new_output("error", ename="CellTimeLimit", evalue="Stopped", traceback=stopped_traceback())]
    passed = graded_cell(QUIZ.replace("m-multi", "m-other"), "quiz-m-other", 1.0)
    # A submission that prints what it saw while it was graded (IPython keeps every cell's code in In).
    snoop = new_code_cell("print(In)")
    snoop.outputs = [
        new_output("stream", name="stdout", text=f"['', {QUIZ!r}]\nmy own line\n"),
        new_output("display_data", data={"text/html": "<pre>" + html.escape(HIDDEN_EXERCISE) + "</pre>"}),
        error("boom", f"Cell In[9], line 1\n----> 1 raise ValueError({HIDDEN_EXERCISE!r})\n", "ValueError: mine"),
    ]
    return new_notebook(cells=[exercise, snoop, quiz, passed])


def everything(nb) -> str:
    return json.dumps(nb)


def test_hidden_blocks_become_a_verdict_and_leave_nothing_behind(notebook):
    """Is each hidden block replaced by passed/failed, with no hidden line left in sources or outputs?"""
    nb, _ = feedback.StudentFeedback().preprocess(notebook, {})
    exercise, snoop, quiz, passed = nb.cells
    assert exercise.source.endswith("# hidden checks: failed") and "BEGIN" not in exercise.source
    assert quiz.source.endswith("# hidden checks: failed")
    assert passed.source.endswith("# hidden checks: passed")
    text = everything(nb)
    for line in [HIDDEN_EXERCISE, "grading.check_answer(", "Correct: replication works on object versions."]:
        assert line not in text and json.dumps(line)[1:-1] not in text
    # What stays: the course's message, the student's own output, library frames.
    assert exercise.outputs[1]["traceback"] == ["CheckFailed: the partition key\n  expected: 'pk'\n  found:    'id'"]
    assert snoop.outputs[2]["traceback"] == [feedback.REMOVED_FRAME, "ValueError: mine", "CheckFailed: boom"]
    assert quiz.outputs[0]["traceback"] == stopped_traceback()
    assert "my own line" in snoop.outputs[0]["text"] and feedback.REMOVED_LINE in snoop.outputs[0]["text"]
    assert snoop.outputs[1]["text"] == feedback.REMOVED_OUTPUT
    assert all("checksum" not in c.metadata.get("nbgrader", {}) for c in nb.cells)
    assert not [c for c in nb.cells if c.cell_type == "markdown"]


def test_verdict_without_grades_comes_from_the_outputs(notebook):
    """Without GetGrades' scores (a notebook filtered on its own), is an error a failure?"""
    for cell in notebook.cells:
        cell.metadata.get("nbgrader", {}).pop("score", None)
    nb, _ = feedback.StudentFeedback().preprocess(notebook, {})
    assert nb.cells[0].source.endswith(feedback.FAILED) and nb.cells[3].source.endswith(feedback.PASSED)


def test_a_block_without_end_hides_the_rest(notebook):
    """Does a hidden block that never ends hide everything after it rather than show it?"""
    source, hidden = feedback.split_hidden("a = 1\n### BEGIN HIDDEN TESTS\nsecret = 2\nmore = 3", ["# x"])
    assert source == "a = 1\n# x" and hidden == ["secret = 2", "more = 3"]


def test_reveal_answers_adds_the_key_after_each_quiz_cell(notebook, monkeypatch):
    """With reveal_answers on, does each graded question get its key and every explanation?"""
    monkeypatch.setattr(grading, "_question", lambda qid: QUESTIONS["m-multi"])
    nb, _ = feedback.StudentFeedback(reveal_answers=True).preprocess(notebook, {})
    keys = [c for c in nb.cells if c.cell_type == "markdown"]
    assert [c.id for c in keys] == ["aip-answer-key-m-multi", "aip-answer-key-m-other"]
    text = keys[0].source
    assert "Right answer: **a** (Versioning on the source bucket), **b** (Versioning on the destination bucket)" in text
    for why in ("Correct: replication works", "Correct: the destination stores", "Wrong: same-Region buckets"):
        assert why in text
    assert "grading.check_answer(" not in everything(nb)


def test_quiz_key_reads_every_answer_shape():
    """Is the key read back from the hidden test for single, multiple, ordering and matching answers?"""
    for answer in ("c", ["a", "b"], ["i2", "i1"], {"p1": "r2", "p2": "r1"}):
        hidden = ["grading.check_answer(", "    'q-1',", f"    {answer!r},", "    why={'a': 'A.'},", ")"]
        assert feedback.quiz_key(hidden) == {"qid": "q-1", "answer": answer, "why": {"a": "A."}}
    assert feedback.quiz_key(["checks.expect(True, 'x')"]) is None


# -- the failure message of a wrong graded answer ----------------------------------------------


@pytest.fixture
def saved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def save(qid: str, response):
        monkeypatch.setattr(grading, "_question", lambda q: QUESTIONS[qid])
        answers.save(qid, response)

    return save


def why_of(qid: str) -> dict[str, str]:
    return {c["id"]: c["why"] for c in (QUESTIONS[qid].get("options") or [])} or {
        c["id"]: c["why"] for key in ("items", "prompts", "responses") for c in QUESTIONS[qid].get(key, [])
    }


def message(qid: str, answer) -> str:
    with pytest.raises(CheckFailed) as info:
        grading.check_answer(qid, answer, why=why_of(qid))
    return str(info.value)


def test_wrong_multiple_response_explains_only_the_wrong_choices(saved):
    """Does the message explain the wrongly chosen option, and say nothing of the right ones?"""
    saved("m-multi", ["a", "c"])
    text = message("m-multi", ["a", "b"])
    why = why_of("m-multi")
    assert why["c"] in text
    assert why["a"] not in text and why["b"] not in text


def test_wrong_single_answer_explains_the_choice(saved):
    """Does a wrong single answer get its own option's explanation, and not the key's?"""
    saved("m-single", "a")
    text = message("m-single", "b")
    assert why_of("m-single")["a"] in text and why_of("m-single")["b"] not in text


@pytest.mark.parametrize(
    ("qid", "response", "key"),
    [("m-order", ["a", "b", "c"], ["b", "a", "c"]), ("m-match", {"p1": "r2", "p2": "r1", "p3": "r3"}, None)],
)
def test_wrong_ordering_or_matching_gives_no_explanation(saved, qid, response, key):
    """Is an ordering or matching answer only told where to review (every explanation would place an item)?"""
    key = key or {"p1": "r1", "p2": "r2", "p3": "r3"}
    saved(qid, response)
    text = message(qid, key)
    assert "review the section named above" in text
    assert not [w for w in why_of(qid).values() if w in text]


# -- the wheel students get ------------------------------------------------------------------


def make_wheel(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    return path


def test_wheel_check_refuses_instructor_files(tmp_path):
    """Does the wheel check name a key file, a notebook, a foreign folder and a bank holding a key?"""
    bank = {"graded": [{"id": "g1", "options": [{"id": "a", "text": "x"}], "answer": "a"}]}
    bad = make_wheel(
        tmp_path / "bad.whl",
        {
            "course/__init__.py": "",
            "course/banks/x.yaml": yaml.safe_dump(bank),
            "source/security/graded_key.yaml": "sec-g1: {answer: c}",
            "course/data/lab.ipynb": "{}",
        },
    )
    problems = "\n".join(student_env.wheel_problems(bad))
    for expected in ("graded_key.yaml: instructor-only", "source/security", "lab.ipynb", "g1 carries its key"):
        assert expected in problems
    good = make_wheel(tmp_path / "good.whl", {"course/__init__.py": "", "aip_c01_course-0.1.0.dist-info/RECORD": ""})
    assert student_env.wheel_problems(good) == []


@pytest.mark.slow
def test_the_course_wheel_holds_only_the_package(tmp_path):
    """Is the wheel built from this repository free of solutions, keys and hidden tests?"""
    wheel = student_env.build_wheel(student_env.ROOT, tmp_path)
    assert student_env.wheel_problems(wheel) == []
    names = zipfile.ZipFile(wheel).namelist()
    assert "course/grading.py" in names and "course/banks/security.yaml" in names


def test_student_copy_of_a_notebook_is_filtered(tmp_path, notebook, monkeypatch):
    """Does the command for instructors who return notebooks write filtered copies under feedback/?"""
    folder = tmp_path / "autograded" / "ana" / "mini"
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / "mini.ipynb")
    monkeypatch.setattr(feedback, "GetGrades", lambda: _NoGrades())
    written = feedback.student_copies(tmp_path, "mini", "sqlite://")
    assert written == [tmp_path / "feedback" / "ana" / "mini" / "mini.ipynb"]
    assert HIDDEN_EXERCISE not in written[0].read_text() and "hidden checks: failed" in written[0].read_text()


class _NoGrades:
    def preprocess(self, nb, resources):
        return nb, resources


def stopped_traceback() -> list[str]:
    return ["CellTimeLimit: Stopped: this cell ran for longer than 120 s.", "What to try: look for a loop"]
