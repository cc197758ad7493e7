"""Practice exam: assembly by the official domain weights and, within each domain, by task
statement (scoring no question twice across attempts while the pool allows), a timed exam
mode, a practice mode with immediate feedback, and score reports with a history of attempts.

Modules (each with one job): :mod:`settings` (course/data/exam.yaml), :mod:`pool` (questions
from the banks), :mod:`assemble` (building an exam), :mod:`attempt` (an attempt in progress,
saved after every change), :mod:`marking` (scoring and the scaled score), :mod:`history`
(finished attempts), :mod:`report` (tables and charts), :mod:`widget` (exam mode),
:mod:`practice` (practice mode); files are written with :mod:`course.jsonstore`.

Nothing is loaded or displayed at import time.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ExamBuildError", "build_exam", "practice", "show_history", "start_exam"]


def __getattr__(name: str) -> Any:
    if name == "ExamBuildError":
        from course.exam.assemble import ExamBuildError

        return ExamBuildError
    raise AttributeError(name)


def build_exam(*args: Any, **kwargs: Any):
    """Assemble an exam; see :func:`course.exam.assemble.assemble`."""
    from course.exam.assemble import assemble

    return assemble(*args, **kwargs)


def start_exam(n_questions: int | None = None, **kwargs: Any) -> None:
    """Display exam mode (resumes an attempt in progress). See :func:`course.exam.widget.start_exam`."""
    from course.exam.widget import start_exam as start

    start(n_questions, **kwargs)


def practice(banks: Any = None, **filters: Any) -> None:
    """Display practice mode. See :func:`course.exam.practice.practice`."""
    from course.exam.practice import practice as show

    show(banks, **filters)


def show_history() -> None:
    """Display the table and trend plot of submitted practice exams."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    from course.exam import history

    loaded = history.read()
    if loaded.problem:
        print(loaded.problem)
    frame = history.trend_frame(loaded.data)
    if len(frame):
        display(frame)
    else:
        print("No practice exam submitted yet.")
    fig, ax = plt.subplots(figsize=(6, 3))
    history.plot_trend(loaded.data, ax)
    fig.tight_layout()
    display(fig)
    plt.close(fig)
