"""Run nbgrader for real on a scratch copy of the course (used by the end-to-end tests)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from course.classroom import nbgrader_cli
from tests.course_files import ROOT, graded_key, release_notebook, source_notebook


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    result = nbgrader_cli.run(course, *args, timeout=900)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def in_process(course: Path, action: str, name: str, *students: str) -> None:
    """``nbgrader <action> <name> --force`` run in this process through nbgrader's API, with the
    course's own configuration (as the parallel grader runs it): no interpreter to start per call."""
    from course.classroom import nbconfig, worker

    api = worker.nbgrader_api(course, nbconfig.load(course))
    calls = [(name, s) for s in students] if students else [(name,)]
    for args in calls:
        result = getattr(api, action)(*args, force=True)
        assert result["success"], f"nbgrader {action} {args} failed:\n{result.get('error')}\n{result.get('log')}"


def make_course(tmp: Path, name: str, notebook=None) -> Path:
    """A scratch course with assignment ``name`` generated (``notebook``: in place of its source notebook)."""
    course = tmp / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / name, course / "source" / name)
    if notebook is not None:
        nbformat.write(notebook, course / "source" / name / f"{name}.ipynb")
    in_process(course, "generate_assignment", name)
    return course


def write_answers(folder: Path, responses: dict) -> None:
    from course import answers

    for qid, response in responses.items():
        answers.save(qid, response, folder / answers.FILENAME)


def submit(course: Path, student: str, name: str, notebook: Path, responses: dict | None) -> None:
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True)
    shutil.copy(notebook, folder / f"{name}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    if responses:
        write_answers(folder, responses)


def wrong_submission(tmp: Path, name: str) -> tuple[Path, dict, set[str]]:
    """The release notebook with the solution in every cell but those the wrong-answer fixture replaces."""
    fixture = yaml.safe_load((ROOT / "tests" / "fixtures" / f"{name}_wrong.yaml").read_text())
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(source_notebook(name), as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    nb = nbformat.read(release_notebook(name), as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = fixture["cells"].get(gid, solutions[gid])
    path = tmp / f"{name}_wrong.ipynb"
    nbformat.write(nb, path)
    return path, fixture["answers"], set(fixture["cells"])


def notebook_with(name: str, cells: dict[str, str], path: Path) -> Path:
    """The release notebook with the solution in every answer cell but those ``cells`` replaces."""
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(source_notebook(name), as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    unknown = sorted(set(cells) - set(solutions))
    assert not unknown, f"{name} has no answer cell {unknown}"
    nb = nbformat.read(release_notebook(name), as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = cells.get(gid, solutions[gid])
    nbformat.write(nb, path)
    return path


def alternatives_file(name: str) -> Path:
    return ROOT / "tests" / "fixtures" / f"{name}_alternatives.yaml"


def alternatives(name: str) -> dict[str, list[str]] | None:
    """``{grade_id: [answer cell, ...]}``: correct solutions written differently from the instructor's."""
    path = alternatives_file(name)
    return yaml.safe_load(path.read_text()) if path.exists() else None


def scores(course: Path, name: str, student: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db", course_id="aip-c01") as gb:
        sub = gb.find_submission_notebook(name, name, student)
        return {g.name: (g.score, g.max_score) for g in sub.grades}


def correct_answers(name: str) -> dict:
    return {qid: entry["answer"] for qid, entry in graded_key(name).items()}


def feedback_json(course: Path, student: str, name: str) -> dict:
    return json.loads((course / "autograded" / student / name / f"{name}.ipynb").read_text())
