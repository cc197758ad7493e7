"""Instructor analytics on a synthetic class in which one graded question is broken (nobody gets it right)."""

from __future__ import annotations

import csv
import random

import pytest

from course import answers
from course.classroom import analytics, stats

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's add_submission

NAME = "synthetic"
QUIZ = {"q-easy": "a", "q-good": "c", "q-broken": "d"}  # q-broken's key is wrong: everyone "misses" it
EXERCISES = {"ex-basic-tests": 3, "ex-hard-tests": 2}


def build_class(root, n=30, seed=7):
    """A gradebook and submitted answer files: ability 0..1 drives who gets what right."""
    from nbgrader.api import Gradebook

    rng = random.Random(seed)
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(db_url, course_id="aip-c01") as gb:
        gb.add_assignment(NAME)
        gb.add_notebook(NAME, NAME)
        for gid in QUIZ:
            gb.add_grade_cell(f"quiz-{gid}", NAME, NAME, max_score=1, cell_type="code")
        for gid, points in EXERCISES.items():
            gb.add_grade_cell(gid, NAME, NAME, max_score=points, cell_type="code")
        for i in range(n):
            student, ability = f"s{i:02d}", i / (n - 1)
            gb.add_student(student)
            gb.add_submission(NAME, student)
            chosen = {
                "q-easy": "a" if rng.random() < 0.6 + 0.4 * ability else "b",
                "q-good": "c" if ability > 0.4 else rng.choice(["a", "b"]),
                "q-broken": "b"
                if rng.random() < 0.7
                else "a",  # the right answer per the teaching, but not per the key
            }
            folder = root / "submitted" / student / NAME
            for qid, response in chosen.items():
                answers.save(qid, response, folder / answers.FILENAME)
            earned = {f"quiz-{q}": float(chosen[q] == key) for q, key in QUIZ.items()}
            earned["ex-basic-tests"] = 3.0 if ability > 0.2 else 0.0
            earned["ex-hard-tests"] = 2.0 if ability > 0.7 else 0.0
            for gid, score in earned.items():
                grade = gb.find_grade(gid, NAME, NAME, student)
                grade.auto_score = score
                grade.needs_manual_grade = False
        gb.db.commit()
    return db_url


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("analytics")
    db_url = build_class(root)
    out = root / "report"
    table = analytics.analyse(root, NAME, out, db_url=db_url, course_id="aip-c01")
    return {"table": {i.item: i for i in table}, "out": out}


def test_broken_item_is_flagged_with_its_popular_wrong_answer(report):
    """Does the question nobody gets right stand out, with the answer most students chose?"""
    broken = report["table"]["quiz-q-broken"]
    assert broken.share_correct == 0 and broken.flag.startswith("BROKEN")
    assert broken.most_chosen_wrong == "b" and broken.most_chosen_wrong_share > 0.5


def test_healthy_items_are_not_flagged(report):
    """Do items that strong students get and weak ones miss pass without a flag?"""
    good = report["table"]["quiz-q-good"]
    assert good.discrimination_27 > 0.5 and good.point_biserial > 0.3 and good.flag == ""
    basic = report["table"]["ex-basic-tests"]
    assert basic.kind == "exercise" and basic.share_correct == pytest.approx(24 / 30, abs=0.04)


def test_csv_and_plots_are_written(report):
    """Is there one CSV row per item, and both plots?"""
    with (report["out"] / "items.csv").open() as fh:
        rows = {r["item"]: r for r in csv.DictReader(fh)}
    assert set(rows) == {f"quiz-{q}" for q in QUIZ} | set(EXERCISES)
    assert rows["quiz-q-broken"]["flag"].startswith("BROKEN")
    for png in ("difficulty.png", "discrimination.png"):
        assert (report["out"] / png).stat().st_size > 5000


def test_cli_prints_the_flags(tmp_path, capsys):
    """Does the command line write the report and name the flagged item?"""
    db_url = build_class(tmp_path, n=12)
    code = analytics.main([NAME, "--out", str(tmp_path / "r"), "--root", str(tmp_path), "--db", db_url])
    out = capsys.readouterr().out
    assert code == 0 and "quiz-q-broken" in out and "BROKEN" in out


@pytest.mark.parametrize(
    ("correct", "expected"),
    [({"a": True, "b": True, "c": False, "d": False}, 1.0), ({"a": False, "b": False, "c": True, "d": True}, -1.0)],
)
def test_upper_lower_discrimination(correct, expected):
    """Is D the upper group's share correct minus the lower group's?"""
    totals = {"a": 10, "b": 9, "c": 2, "d": 1}
    assert stats.upper_lower(correct, totals, fraction=0.5) == expected


def test_answer_labels():
    """Are answers to multi, ordering and matching questions labelled one way per distinct answer?"""
    assert analytics.label(["c", "a"]) == "a+c"
    assert analytics.label(["c", "a", "b"], "ordering") == "c>a>b"
    assert analytics.label({"p2": "r1", "p1": "r2"}) == "p1=r2; p2=r1"
