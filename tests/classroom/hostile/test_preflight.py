"""The preflight (course.classroom.preflight) on single submission folders, and the grader's failure paths.

Fast: nothing is executed. The whole pipeline, graded for real, is in test_hostile.py.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from course.classroom import grade, preflight, worker
from course.classroom.messages import NOTES_ID
from tests.classroom.hostile import corpus

NB = corpus.NOTEBOOK


@pytest.fixture
def kit(tmp_path):
    return corpus.Kit((tmp_path / "course",), tmp_path / "home", tmp_path / "escape", "MARK")


@pytest.fixture
def release(tmp_path):
    folder = tmp_path / "release" / corpus.ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(corpus.release_nb(), folder / NB)
    return folder


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "submitted" / "zoe" / corpus.ASSIGNMENT


def digest(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check(folder: Path, release: Path) -> list[str]:
    """Run the preflight twice; the second run must change nothing and find the same. Finding kinds."""
    first = preflight.check_submission(folder, release)
    before = digest(folder)
    assert preflight.check_submission(folder, release) == first
    assert digest(folder) == before, "the second preflight run changed the folder"
    nb = nbformat.read(folder / NB, as_version=4)
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)  # what nbgrader's CheckCellMetadata runs
    return [f.kind for f in first]


def notes(folder: Path) -> str:
    nb = nbformat.read(folder / NB, as_version=4)
    assert nb.cells[0].id == NOTES_ID, "the notes are not the first cell"
    return " ".join(nb.cells[0].source.split())


def grade_ids(folder: Path) -> list[str]:
    nb = nbformat.read(folder / NB, as_version=4)
    return [gid for c in nb.cells if (gid := corpus.grade_id(c))]


def release_ids() -> list[str]:
    return [gid for c in corpus.release_nb().cells if (gid := corpus.grade_id(c))]


# -- files --------------------------------------------------------------------------------------


def test_a_clean_submission_is_left_untouched(kit, folder, release):
    """Does a submission with nothing wrong stay byte for byte as it was?"""
    corpus.good(kit, folder)
    before = digest(folder)
    assert check(folder, release) == []
    assert digest(folder) == before


def test_an_unreadable_notebook_is_graded_as_the_release_and_kept_aside(kit, folder, release):
    """Is a cut-off notebook replaced by the release, kept as .unreadable, and explained?"""
    corpus.not_json(kit, folder)
    submitted = (folder / NB).read_bytes()
    assert check(folder, release) == ["unreadable-notebook"]
    assert (folder / f"{NB}.unreadable").read_bytes() == submitted
    assert grade_ids(folder) == release_ids()
    text = notes(folder)
    assert "not valid JSON" in text and f"{NB}.unreadable" in text and "What to do" in text


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "an empty file"), (b"\xff\xfe\x00", "not text"), (b'{"cells": "all of them"}', "not a valid Jupyter")],
)
def test_each_kind_of_unreadable_notebook_is_named(kit, folder, release, content, reason):
    """Does the message say what the file was instead of a notebook?"""
    corpus.write(folder)
    (folder / NB).write_bytes(content)
    assert check(folder, release) == ["unreadable-notebook"]
    assert reason in notes(folder)


def test_a_renamed_notebook_is_graded_under_the_right_name(kit, folder, release):
    """Is the only notebook, under another name, graded as the expected one (original kept)?"""
    corpus.renamed(kit, folder)
    submitted = (folder / f"{corpus.ASSIGNMENT}-Copy1.ipynb").read_bytes()
    assert check(folder, release) == ["renamed-notebook"]
    assert not (folder / f"{corpus.ASSIGNMENT}-Copy1.ipynb").exists()
    assert (folder / f"{corpus.ASSIGNMENT}-Copy1.ipynb.original").read_bytes() == submitted
    assert "was graded under the name" in notes(folder)
    nb = nbformat.read(folder / NB, as_version=4)
    assert nb.cells[1:] == kit.solved().cells  # the student's work, with the notes on top


def test_no_notebook_means_the_release_graded_with_a_message(kit, folder, release):
    """With no notebook at all, is the release graded and the student told?"""
    corpus.no_notebook(kit, folder)
    assert check(folder, release) == ["missing-notebook"]
    assert grade_ids(folder) == release_ids()
    assert "No notebook was submitted" in notes(folder) and "no notebook at all" in notes(folder)


def test_two_other_notebooks_are_not_guessed_between(kit, folder, release):
    """With two notebooks under other names, is neither guessed, and are both named?"""
    corpus.write(folder)
    for name in ("a.ipynb", "b.ipynb"):
        nbformat.write(kit.solved(), folder / name)
    assert sorted(check(folder, release)) == ["extra-notebooks", "missing-notebook"]
    assert "`a.ipynb`, `b.ipynb`, none of them named" in notes(folder)


def test_extra_notebooks_are_left_alone_and_named(kit, folder, release):
    """Are extra notebooks left untouched and named as not graded?"""
    corpus.extra_notebooks(kit, folder)
    extras = {n: (folder / n).read_bytes() for n in ("scratch.ipynb", "old-attempt.ipynb")}
    assert check(folder, release) == ["extra-notebooks"]
    assert all((folder / n).read_bytes() == data for n, data in extras.items())
    assert "Not graded: `old-attempt.ipynb`, `scratch.ipynb`" in notes(folder)


def test_symbolic_links_are_removed_not_followed(kit, folder, release, tmp_path):
    """Is a link to a file outside the submission removed, without touching its target?"""
    secret = tmp_path / "grader-secret.txt"
    secret.write_text("do not copy me")
    corpus.good(kit, folder)
    os.symlink(secret, folder / "notes.txt")
    assert check(folder, release) == ["unsafe-link"]
    assert not (folder / "notes.txt").exists() and secret.read_text() == "do not copy me"
    assert "`notes.txt`" in notes(folder)


def test_the_parallel_grader_never_reads_through_a_link(tmp_path):
    """Does the parallel grader send a submission's links as names only, never their targets?"""
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "a.txt").write_text("mine")
    os.symlink("/etc/hostname", folder / "b.txt")
    os.symlink("/etc", folder / "c")
    tree, links = grade.read_submission(folder)
    assert tree == {"a.txt": b"mine"} and links == ("b.txt", "c")


# -- the quiz answers file ----------------------------------------------------------------------


def test_damaged_answers_are_explained_and_left_in_place(kit, folder, release):
    """Is a damaged answers file left for the quiz checks to report, and explained on top?"""
    corpus.answers_not_json(kit, folder)
    damaged = (folder / "graded_answers.json").read_bytes()
    assert check(folder, release) == ["unreadable-answers"]
    assert (folder / "graded_answers.json").read_bytes() == damaged
    assert "not valid JSON" in notes(folder) and "counts as unanswered" in notes(folder)


def test_answers_without_the_quiz_layout_are_explained(kit, folder, release):
    """Is valid JSON without the quiz's layout explained?"""
    corpus.good(kit, folder)
    (folder / "graded_answers.json").write_text(json.dumps({"gov-g1": "b"}))
    assert check(folder, release) == ["unreadable-answers"]
    assert 'no "answers" table' in notes(folder)


def test_hand_edited_answers_are_named_one_by_one(kit, folder, release):
    """Is each unusable entry of a hand-edited answers file named, with why?"""
    corpus.answers_hand_edited(kit, folder)
    path = folder / "graded_answers.json"
    data = json.loads(path.read_text())
    data["answers"]["gov-g3"]["response"] = ["zz"]
    data["answers"]["gov-g99"] = {"response": "a"}
    path.write_text(json.dumps(data))
    assert check(folder, release) == ["unusable-answers"]
    text = notes(folder)
    assert "`gov-g1`: not in the format the quiz saves" in text
    assert "`gov-g2`: not a possible answer to a multiple-response question" in text
    assert "`gov-g3`: names options the question does not have ('zz')" in text
    assert "`gov-g99`: not a question of this quiz" in text


# -- cells ----------------------------------------------------------------------------------------


def test_a_deleted_test_cell_is_put_back_after_its_exercise(kit, folder, release):
    """Is a deleted test cell put back at its place?"""
    corpus.deleted_test_cell(kit, folder)
    assert check(folder, release) == ["restored-cell"]
    ids = grade_ids(folder)
    assert ids == release_ids()
    assert "`cw-usage-report-tests` (the tests of an exercise, 3 points)" in notes(folder)


def test_a_deleted_sandbox_cell_is_put_back_at_its_place(kit, folder, release):
    """Is the deleted set-up cell put back where it was released?"""
    corpus.sandbox_cell_deleted(kit, folder)
    assert check(folder, release) == ["restored-cell"]
    nb = nbformat.read(folder / NB, as_version=4)
    assert corpus.grade_id(nb.cells[2]) == "setup-1"  # notes, title, then the set-up cell as released
    assert "the set-up cell that starts the simulated AWS account" in notes(folder)


def test_a_test_cell_stripped_of_its_grading_settings_is_put_back(kit, folder, release):
    """Is a test cell whose grading settings were removed treated as deleted, and put back?"""
    nb = kit.solved()
    tests = nb.cells[corpus.index(nb, "cw-latency-alarm-tests")]
    tests.source = "pass"
    del tests.metadata["nbgrader"]
    corpus.write(folder, nb)
    assert check(folder, release) == ["restored-cell"]
    assert grade_ids(folder) == release_ids()


def test_an_edited_test_cell_is_restored_and_the_student_told(kit, folder, release):
    """Is an edited test cell restored, with a message?"""
    corpus.edited_test_cell(kit, folder)
    assert check(folder, release) == ["edited-cell"]
    nb = nbformat.read(folder / NB, as_version=4)
    original = corpus.release_nb().cells[corpus.index(corpus.release_nb(), f"{corpus.FIRST}-tests")]
    assert nb.cells[corpus.index(nb, f"{corpus.FIRST}-tests")].source == original.source
    assert "its code was edited" in notes(folder)


def test_changed_grading_settings_of_an_answer_cell_are_restored_but_not_its_code(kit, folder, release):
    """Are an answer cell's grading settings restored, and its code kept?"""
    nb = kit.solved()
    answer = nb.cells[corpus.index(nb, corpus.FIRST)]
    answer.metadata["nbgrader"]["points"] = 100
    answer.metadata["nbgrader"]["grade"] = True
    corpus.write(folder, nb)
    assert check(folder, release) == ["edited-cell"]
    repaired = nbformat.read(folder / NB, as_version=4).cells[1:]
    assert repaired == kit.solved().cells


def test_a_copied_cell_keeps_the_last_copy_graded(kit, folder, release):
    """Does a copied answer cell keep one grade id (the last copy's), so nbgrader can grade it?"""
    corpus.duplicate_grade_id(kit, folder)
    assert check(folder, release) == ["duplicate-cell"]  # nbgrader alone stops the whole class here
    nb = nbformat.read(folder / NB, as_version=4)
    graded = [c for c in nb.cells if corpus.grade_id(c) == corpus.FIRST]
    assert len(graded) == 1 and graded[0].id == "pasted-copy"
    assert grade_ids(folder) == release_ids()


def test_a_copied_test_cell_above_its_exercise_runs_as_an_ordinary_cell(kit, folder, release):
    """Does a pasted copy of a test cell lose its grade id, the original keeping it?"""
    nb = kit.solved()
    at = corpus.index(nb, f"{corpus.FIRST}-tests")
    pasted = copy.deepcopy(nb.cells[at])
    pasted.id = "pasted"
    pasted.source = "pass"
    nb.cells.insert(at - 1, pasted)
    corpus.write(folder, nb)
    assert check(folder, release) == ["duplicate-cell"]
    nb = nbformat.read(folder / NB, as_version=4)
    assert "nbgrader" not in nb.cells[[c.id for c in nb.cells].index("pasted")].metadata


def test_a_deleted_answer_cell_is_reported_not_put_back(kit, folder, release):
    """Is a deleted answer cell reported but not put back (the blank one could hide the student's code)?"""
    nb = kit.solved()
    del nb.cells[corpus.index(nb, "cw-usage-report")]
    corpus.write(folder, nb)
    assert check(folder, release) == ["missing-answer-cell"]
    assert "cw-usage-report" not in grade_ids(folder)


def test_a_grade_id_from_elsewhere_is_dropped(kit, folder, release):
    """Does a cell with a grade id the notebook does not have become an ordinary cell?"""
    nb = kit.solved()
    stray = copy.deepcopy(nb.cells[corpus.index(nb, "setup-1")])
    stray.id = "stray"
    stray.metadata["nbgrader"]["grade_id"] = "sec-setup"
    nb.cells.append(stray)
    corpus.write(folder, nb)
    assert check(folder, release) == ["foreign-cell"]
    assert "`sec-setup`" in notes(folder)


def test_several_problems_are_all_listed_once(kit, folder, release):
    """Are several problems all listed, each once, also on a second run?"""
    corpus.duplicate_grade_id(kit, folder)
    nbformat.write(kit.solved(), folder / "scratch.ipynb")
    (folder / "graded_answers.json").write_text("{")
    kinds = check(folder, release)
    assert sorted(kinds) == ["duplicate-cell", "extra-notebooks", "unreadable-answers"]


# -- the serial command ---------------------------------------------------------------------------


def test_the_command_checks_every_student_and_goes_on_past_a_broken_one(kit, tmp_path, release, capsys):
    """Does the serial command check every student and go on past one it cannot read?"""
    submitted = tmp_path / "submitted"
    corpus.good(kit, submitted / "ann" / corpus.ASSIGNMENT)
    corpus.not_json(kit, submitted / "ben" / corpus.ASSIGNMENT)
    corpus.good(kit, submitted / "cal" / corpus.ASSIGNMENT)
    (submitted / "cal" / corpus.ASSIGNMENT / NB).chmod(0o000)
    try:
        code = preflight.main([corpus.ASSIGNMENT, "--root", str(tmp_path)])
    finally:
        (submitted / "cal" / corpus.ASSIGNMENT / NB).chmod(0o644)
    out = capsys.readouterr().out
    assert "ann" in out and "ben" in out and "unreadable-notebook" in out
    assert "3 submissions checked" in out
    if os.geteuid() != 0:  # root reads the file anyway
        assert code == 1 and "preflight-failed" in out


def test_the_command_says_when_the_release_is_missing(tmp_path, capsys):
    """Without a release notebook, does the command say how to make one?"""
    assert preflight.main([corpus.ASSIGNMENT, "--root", str(tmp_path)]) == 2
    assert "nbgrader generate_assignment" in capsys.readouterr().err


# -- the parallel grader's failure paths ----------------------------------------------------------


def test_a_task_that_breaks_returns_a_failed_result_instead_of_raising(tmp_path):
    """Does a grading task that breaks return that student's failure instead of raising?"""
    job = worker.Job(corpus.ASSIGNMENT, "zoe", {NB: b"{}"})
    result = worker.grade({}, worker.Template(b"not a database", {}), {}, None, job)
    assert not result.ok and result.student == "zoe"
    assert result.error.startswith("the grading task failed:") and "Traceback" in result.log


def test_a_lost_task_becomes_that_students_failure():
    """Does a task lost with its worker become that student's failure?"""

    class Lost:
        def result(self):
            raise RuntimeError("worker died")

    job = worker.Job(corpus.ASSIGNMENT, "zoe", {})
    result = grade.outcome(Lost(), job)
    assert (result.student, result.ok) == ("zoe", False) and "worker died" in result.error


def test_a_failed_submission_is_recorded_as_nbgrader_leaves_it(tmp_path, monkeypatch):
    """No grades, "needs manual grade", no autograded folder, and FAILED with the reason in the table?"""
    import sys

    from nbgrader.api import Gradebook

    # a new gradebook is stamped by the alembic command of this environment
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, course_id="aip-c01") as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("t1", "nb", "a1", max_score=3, cell_type="code")
        failed = worker.Result("a1", "zoe", False, 1.0, error="the grading task failed: boom")
        (tmp_path / "autograded" / "zoe" / "a1").mkdir(parents=True)
        stored = grade.record(gb, tmp_path, failed)
        sub = gb.find_submission("a1", "zoe")
        grades = [(g.auto_score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades]
    assert not stored.ok and grades == [(None, True)]
    assert not (tmp_path / "autograded" / "zoe" / "a1").exists()
    table = grade.summary([stored])
    assert "FAILED" in table and "why: the grading task failed: boom" in table


def test_notes_from_an_earlier_round_are_dropped_once_the_notebook_changed(kit, folder, release):
    """Does a notebook resubmitted with edits lose the old notes, instead of carrying them forward?"""
    corpus.renamed(kit, folder)
    assert check(folder, release) == ["renamed-notebook"]
    nb = nbformat.read(folder / NB, as_version=4)
    nb.cells[corpus.index(nb, "cw-usage-report")].source += "\n# improved"
    nbformat.write(nb, folder / NB)
    assert check(folder, release) == []
    assert NOTES_ID not in [c.id for c in nbformat.read(folder / NB, as_version=4).cells]
