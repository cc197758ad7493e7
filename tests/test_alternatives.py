"""The corpus of valid alternatives (tests/fixtures/<name>_alternatives.yaml): well formed, and full marks.

Without running anything: every exercise has at least two alternatives, each defines the
functions of its answer cell, and each differs from the solution and from the other
alternatives. Then each is graded as the grader grades it: in the course's jailed grading
kernel, with the exercise's whole test cell, hidden tests included (``tools/exercise_harness``,
checked against real ``nbgrader autograde`` by ``benchmarks/mutation.py --verify``). The
notebook runs once; every alternative runs in a child forked just before its exercise.
"""

from __future__ import annotations

import ast

import nbformat
import pytest

from tests import grading_pipeline as gp
from tests.course_files import assignments, release_notebook
from tools import exercise_harness

WITH_CORPUS = assignments()  # every notebook has its corpus
PASSED = exercise_harness.Outcome("pass")  # a control not graded: no alternative lost points
BLANK = "the release's blank answer"


def release_answer(name: str, grade_id: str) -> str:
    nb = nbformat.read(release_notebook(name), as_version=4)
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def functions(source: str) -> set[str]:
    return {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


def shape(source: str) -> str:
    """The code without comments, docstrings or layout: two answers that differ only there are the same."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@pytest.mark.parametrize("name", WITH_CORPUS)
def test_every_exercise_has_two_different_correct_answers(name):
    """Has every exercise at least two alternatives, defining its functions, unlike the solution and each other?"""
    corpus = gp.alternatives(name)
    assert corpus, f"{gp.alternatives_file(name).name} is missing"
    exercises = {e.grade_id: e for e in exercise_harness.exercises(name)}
    assert set(corpus) == set(exercises), (sorted(set(exercises) - set(corpus)), sorted(set(corpus) - set(exercises)))
    for gid, answers in corpus.items():
        assert isinstance(answers, list) and len(answers) >= 2, gid
        wanted = functions(exercises[gid].solution)
        shapes = {shape(exercises[gid].solution)}
        for n, answer in enumerate(answers, 1):
            assert functions(answer) >= wanted, f"{gid} alternative {n} does not define {sorted(wanted)}"
            assert shape(answer) not in shapes, f"{gid} alternative {n} is the solution or another alternative again"
            shapes.add(shape(answer))


@pytest.mark.slow
@pytest.mark.release
@pytest.mark.parametrize("name", WITH_CORPUS)
def test_every_alternative_earns_full_marks(name):
    """Does each correct alternative earn every point of its exercise, graded with the whole test cell?"""
    variants = {
        gid: [(f"alternative {n}", answer) for n, answer in enumerate(answers, 1)]
        for gid, answers in gp.alternatives(name).items()
    }
    # The solution (the control) is graded too where an answer lost points: if it fails as
    # well, the harness is to blame, not the tests. The release's blank answer to the first
    # exercise must lose points, so this run shows both that the harness can fail an answer and
    # that the control then runs.
    first = exercise_harness.exercises(name)[0].grade_id
    variants[first].append((BLANK, release_answer(name, first)))
    outcomes = exercise_harness.grade(name, variants, log=lambda *args: None, control="on_failure")
    assert set(outcomes) == set(variants)
    assert all(set(found) >= {key for key, _ in variants[gid]} for gid, found in outcomes.items())
    blank = outcomes[first].pop(BLANK)
    assert not blank.passed, f"{first}: the release's blank answer earned full marks in the harness"
    assert exercise_harness.CONTROL in outcomes[first], f"{first}: an answer lost points but the control was not graded"
    control = [gid for gid, found in outcomes.items() if not found.get(exercise_harness.CONTROL, PASSED).passed]
    assert not control, f"the instructor's solution itself lost points here, so nothing else can be trusted: {control}"
    lost = [
        f"{gid} [{key}]: {out.kind} {out.ename}: {out.evalue[:400]}"
        for gid, found in outcomes.items()
        for key, out in found.items()
        if not out.passed
    ]
    assert not lost, "correct alternatives that lost points (the tests are too strict):\n" + "\n".join(lost)
