"""Serial ``nbgrader autograde`` versus the parallel grader (course.classroom.grade) on the same synthetic class.

    python benchmarks/parallel_grading.py [--submissions 40] [--workers 2] [assignment ...]

Builds a scratch course with every domain notebook (or the ones named), and a class of
submissions spread over them: a mix of solutions, blank releases and plausible wrong answers
(with graded-quiz answers). Then grades it twice, from the same starting point:

1. serially: ``nbgrader autograde <assignment>`` for each assignment, one after the other;
2. in parallel: ``python -m course.classroom.grade <assignments> --workers N`` (a LocalCluster).

Prints submissions per minute for each, the speed-up, the per-cell agreement of the two
gradebooks, and the lower bound for N workers: the sum of the single-notebook grading
times (read from the serial run's timestamped log) divided by N.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from course.classroom import nbgrader_cli

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("solution", "blank", "wrong")
STUDENT_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*Creating/updating student with ID")
LOG_FORMAT = [
    "--Application.log_format=%(asctime)s.%(msecs)03d %(message)s",
    "--Application.log_datefmt=%Y-%m-%d %H:%M:%S",
]


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    result = nbgrader_cli.run(course, *args)
    if result.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def build_class(tmp: Path, names: list[str], n: int) -> Path:
    """A course with ``n`` submissions spread over ``names``: student i submits names[i % k] as KINDS[(i // k) % 3]."""
    from tests import grading_pipeline as gp
    from tests.classroom import class_setup as cs

    course = tmp / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for name in names:
        shutil.copytree(ROOT / "source" / name, course / "source" / name)
        nbgrader(course, "generate_assignment", name, "--force")
    made: dict[tuple[str, str], tuple[Path, dict | None]] = {}
    for i in range(n):
        name, kind = names[i % len(names)], KINDS[(i // len(names)) % len(KINDS)]
        if (name, kind) not in made:
            made[name, kind] = cs.submission(tmp, name, kind)
        notebook, responses = made[name, kind]
        gp.submit(course, f"s{i:03d}-{kind}", name, notebook, responses)
    return course


def serial(course: Path, names: list[str]) -> tuple[float, list[float]]:
    """Wall time of serial autograde, and each submission's grading time from the log timestamps."""
    started = time.perf_counter()
    per_submission: list[float] = []
    for name in names:
        t0 = time.time()
        result = nbgrader(course, "autograde", name, "--force", *LOG_FORMAT)
        end = time.time()
        stamps = [
            datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            for line in result.stderr.splitlines()
            if (m := STUDENT_LINE.match(line))
        ]
        per_submission += [b - a for a, b in zip(stamps, [*stamps[1:], end])]
        if not stamps:
            per_submission.append(end - t0)
    return time.perf_counter() - started, per_submission


def parallel(course: Path, names: list[str], workers: int) -> float:
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "course.classroom.grade", *names, "--root", str(course), "--workers", str(workers)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=nbgrader_cli.env())
    if result.returncode != 0:
        raise SystemExit(f"parallel grader failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def differences(serial_course: Path, parallel_course: Path, names: list[str]) -> list[str]:
    """Every (assignment, student, cell) whose score differs between the two gradebooks."""
    from course.classroom import rows

    out = []
    for name in names:
        a = rows.scores(f"sqlite:///{serial_course}/gradebook.db", "aip-c01", name)
        b = rows.scores(f"sqlite:///{parallel_course}/gradebook.db", "aip-c01", name)
        for student in sorted(set(a) | set(b)):
            for cell in sorted(set(a.get(student, {})) | set(b.get(student, {}))):
                x, y = a.get(student, {}).get(cell), b.get(student, {}).get(cell)
                if x != y:
                    out.append(f"{student} {cell}: serial {x}, parallel {y}")
    return out


def cpu_seconds() -> float:
    """User + system CPU of all finished child processes (and their reaped descendants: kernels, workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews both timings."""
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="copy both graded courses here for inspection")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.course_files import assignments

    names = args.assignments or assignments()
    load_start = load()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        tmp = Path(scratch)
        print(f"building a class of {args.submissions} submissions over {', '.join(names)} ...", flush=True)
        base = build_class(tmp, names, args.submissions)
        par_course = tmp / "parallel"
        shutil.copytree(base, par_course)

        print("serial nbgrader autograde ...", flush=True)
        cpu0 = cpu_seconds()
        t_serial, per_submission = serial(base, names)
        cpu1 = cpu_seconds()
        print(f"parallel grader, {args.workers} workers ...", flush=True)
        t_par = parallel(par_course, names, args.workers)
        cpu2 = cpu_seconds()

        diffs = differences(base, par_course, names)
        n = args.submissions
        bound = sum(per_submission) / args.workers
        print()
        print(f"date: {datetime.now():%Y-%m-%d %H:%M}; machine: {os.cpu_count()} cores, {platform.platform()}")
        print(f"load average at the start: {load_start}; at the end: {load()}")
        print(f"submissions: {n} over {len(names)} notebooks ({', '.join(names)})")
        print(f"serial autograde:  {t_serial:7.1f} s  {60 * n / t_serial:6.1f} submissions/min")
        print(f"parallel grader:   {t_par:7.1f} s  {60 * n / t_par:6.1f} submissions/min  ({args.workers} workers)")
        print(f"speed-up:          {t_serial / t_par:7.2f}x")
        print(
            f"sum of single-notebook grading times (serial log): {sum(per_submission):.1f} s over {len(per_submission)}"
        )
        print(f"lower bound with {args.workers} workers: {bound:7.1f} s; parallel is {t_par / bound:.2f}x the bound")
        cores = os.cpu_count() or 1
        print(
            f"CPU used: serial {cpu1 - cpu0:.0f} s ({(cpu1 - cpu0) / t_serial:.2f} cores busy on average), "
            f"parallel {cpu2 - cpu1:.0f} s ({(cpu2 - cpu1) / t_par:.2f} cores busy)"
        )
        print(f"CPU ceiling: the serial run's CPU on {cores} cores needs at least {(cpu1 - cpu0) / cores:.1f} s")
        print(f"same per-cell grades serial vs parallel: {'yes' if not diffs else 'NO'}")
        for line in diffs:
            print("  ", line)
        if args.keep:
            shutil.copytree(tmp, args.keep, dirs_exist_ok=True)


if __name__ == "__main__":
    main()
