"""The parallel grader's summary table and the size of its local cluster (its grades are
compared with serial autograde in test_documented_workflow.py)."""

from __future__ import annotations

import pytest

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


def test_a_local_cluster_has_no_more_workers_than_submissions(tmp_path, monkeypatch):
    """Does the grader start one LocalCluster worker per core (or --workers), but never more than the submissions?"""
    import dask.system

    for student, assignments in {"ann": ["security", "governance"], "bo": ["security"], "cy": []}.items():
        for name in assignments:
            (tmp_path / "submitted" / student / name).mkdir(parents=True)
    (tmp_path / "submitted" / "cy").mkdir()
    (tmp_path / "submitted" / "cy" / "security").write_text("{}")  # a file, not a submission folder
    assert grade.submission_count(tmp_path, ["security"]) == 2
    assert grade.submission_count(tmp_path, ["security", "governance"]) == 3
    assert grade.submission_count(tmp_path / "nowhere", ["security"]) == 0

    monkeypatch.setattr(dask.system, "CPU_COUNT", 8)
    assert grade.local_workers(None, 3) == 3
    assert grade.local_workers(None, 50) == 8
    assert grade.local_workers(4, 2) == 2
    assert grade.local_workers(4, 50) == 4
    assert grade.local_workers(None, 0) == 1  # still a cluster, so the run can say there is nothing to grade

    seen = {}

    def fake_client(scheduler, workers):
        seen.update(scheduler=scheduler, workers=workers)
        raise SystemExit(0)

    monkeypatch.setattr(grade, "make_client", fake_client)
    for argv, expected in (
        (["security", "--workers", "16"], {"scheduler": None, "workers": 2}),
        (["security", "governance"], {"scheduler": None, "workers": 3}),
        (["security", "--scheduler", "tcp://grader-1:8786"], {"scheduler": "tcp://grader-1:8786", "workers": None}),
    ):
        seen.clear()
        with pytest.raises(SystemExit):
            grade.main([*argv, "--root", str(tmp_path)])
        assert seen == expected, (argv, seen)
