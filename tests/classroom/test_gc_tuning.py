"""Grading processes collect garbage less often: the kernel's start-up file tunes the collector."""

from __future__ import annotations

import subprocess
import sys

from course.classroom import gc_tuning, jail


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout


def test_grading_kernel_startup_freezes_and_raises_the_threshold():
    """Does the grading kernel's start-up code leave start-up objects frozen and the threshold raised?"""
    out = run(jail.STARTUP + "\nimport gc\nprint(gc.get_threshold(), gc.get_freeze_count())\n")
    threshold, frozen = out.strip().rsplit(") ", 1)
    assert threshold + ")" == str(gc_tuning.THRESHOLD), out
    assert int(frozen) > 10_000, f"only {frozen} objects frozen: tune() ran before the start-up imports?"


def test_a_worker_freezes_once_however_many_tasks_it_grades():
    """Does a second tune() (the next graded task) leave the frozen set alone, so a task's leftovers stay collectable?"""
    out = run(
        "import gc\nfrom course.classroom import gc_tuning\n"
        "gc_tuning.tune(); first = gc.get_freeze_count()\n"
        "leftovers = [[i] for i in range(5000)]\n"
        "gc_tuning.tune(); print(first, gc.get_freeze_count())\n"
    )
    first, second = out.split()
    assert first == second, f"frozen objects went from {first} to {second}: tune() froze again"
