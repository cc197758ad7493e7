"""Grading processes collect garbage less often: the kernel's start-up file tunes the collector."""

from __future__ import annotations

import subprocess
import sys

from course.classroom import gc_tuning, jail


def test_grading_kernel_startup_freezes_and_raises_the_threshold():
    """Does the grading kernel's start-up code leave start-up objects frozen and the threshold raised?"""
    probe = jail.STARTUP + "\nimport gc\nprint(gc.get_threshold(), gc.get_freeze_count())\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    threshold, frozen = out.stdout.strip().rsplit(") ", 1)
    assert threshold + ")" == str(gc_tuning.THRESHOLD), out.stdout
    assert int(frozen) > 10_000, f"only {frozen} objects frozen: tune() ran before the start-up imports?"
