"""What ``nbgrader autograde`` writes to a gradebook, as plain data: read it from one, write it to another.

Autograde sets, per submission: the timestamp; per notebook: the late-submission penalty; per
grade cell: ``auto_score`` and ``needs_manual_grade``; per solution/task cell: ``auto_comment``.
``write`` stores exactly those fields (by notebook and cell name), so a submission graded in a
scratch gradebook lands in the real one as if autograde had run there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

Rows = dict[str, Any]


def read(db_url: str, course_id: str, assignment: str, student: str) -> Rows:
    """The autograde results of one submission, as plain (picklable) data."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        sub = gb.find_submission(assignment, student)
        return {
            "timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
            "notebooks": {
                nb.name: {
                    "late_submission_penalty": nb.late_submission_penalty,
                    "grades": {g.name: {"auto_score": g.auto_score, "max_score": g.max_score} for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
                for nb in sub.notebooks
            },
        }


def write(gb, assignment: str, student: str, rows: Rows) -> None:
    """Store ``rows`` in an open gradebook, creating the student and submission when missing."""
    gb.update_or_create_student(student)
    stamp = {"timestamp": datetime.fromisoformat(rows["timestamp"])} if rows["timestamp"] else {}
    gb.update_or_create_submission(assignment, student, **stamp)
    for nb_name, nb_rows in rows["notebooks"].items():
        notebook = gb.find_submission_notebook(nb_name, assignment, student)
        notebook.late_submission_penalty = nb_rows["late_submission_penalty"]
        for grade in notebook.grades:
            grade.auto_score = nb_rows["grades"][grade.name]["auto_score"]
            # as SaveAutoGrades decides: review when a person graded it before or no auto score exists
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        for comment in notebook.comments:
            comment.auto_comment = nb_rows["comments"][comment.name]
    gb.db.commit()


def scores(db_url: str, course_id: str, assignment: str) -> dict[str, dict[str, tuple[float | None, float]]]:
    """Per student, per grade cell (``notebook/cell``): (auto score, max score), for comparing gradebooks."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, tuple[float | None, float]]] = {}
    with Gradebook(db_url, course_id=course_id) as gb:
        for sub in gb.find_assignment(assignment).submissions:
            cells = out.setdefault(sub.student.id, {})
            for nb in sub.notebooks:
                cells[f"{nb.name}/late_penalty"] = (nb.late_submission_penalty, 0.0)
                for g in nb.grades:
                    cells[f"{nb.name}/{g.name}"] = (g.auto_score, g.max_score)
    return out


def has_assignment(db_url: str, course_id: str, assignment: str) -> bool:
    """Does the gradebook know the assignment and its notebooks (as generate_assignment leaves it)?"""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id=course_id) as gb:
        try:
            return bool(gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            return False


def due(db_url: str, course_id: str, assignment: str) -> tuple[str | None, dict[str, float]]:
    """The assignment's due date (ISO) and each student's extension in seconds, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        a = gb.find_assignment(assignment)
        extensions = {s.student.id: s.extension.total_seconds() for s in a.submissions if s.extension}
        return (a.duedate.isoformat() if a.duedate else None), extensions
