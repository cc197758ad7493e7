"""Fewer garbage collections in grading processes (kernels, grading workers, the grader).

At CPython's default threshold (700 allocations) moto, boto3, pydantic, nbconvert and
SQLAlchemy trigger collections many times a second. Freezing what is loaded so far (it lives
as long as the process) and raising the threshold cuts 10-20 % of a graded notebook's CPU
(``benchmarks/gc_tuning.py``); memory grows by at most a few megabytes between collections.
"""

from __future__ import annotations

import gc

THRESHOLD = (20_000, 20, 20)
_tuned = False


def tune() -> None:
    """Collect, freeze what survives and collect less often: once per process.

    Once only: a grading worker calls this for every task, and frozen objects are never
    collected, so freezing again would keep each task's leftovers for the worker's lifetime.
    """
    global _tuned
    if _tuned:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLD)
    _tuned = True
