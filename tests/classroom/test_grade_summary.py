"""The parallel grader's summary table (its grades are compared with serial autograde in
test_documented_workflow.py)."""

from __future__ import annotations

from course.classroom import grade


def test_summary_table_lists_every_student():
    """Does the summary show each student's score, maximum and penalty, then the totals?"""
    result = grade.worker.Result(
        "nb",
        "zoe",
        True,
        3.0,
        rows={
            "timestamp": None,
            "notebooks": {
                "nb": {
                    "late_submission_penalty": 1.0,
                    "grades": {"a": {"auto_score": 2.0, "max_score": 3.0}, "b": {"auto_score": None, "max_score": 1.0}},
                    "comments": {},
                }
            },
        },
    )
    table = grade.summary([result, grade.worker.Result("nb", "yan", False, 1.0, log="boom")])
    assert "zoe" in table and "1.0" in table and "FAILED" in table
    assert "1 graded, 1 failed" in table
