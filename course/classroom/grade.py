"""Grade a whole class in parallel on Dask, with the same grades serial ``nbgrader autograde`` gives.

    python -m course.classroom.grade security                        # LocalCluster, one worker per core
    python -m course.classroom.grade security governance             # several assignments, one pool
    python -m course.classroom.grade security --workers 4
    python -m course.classroom.grade security --scheduler tcp://10.0.0.5:8786
    python -m course.classroom.grade security --db postgresql://grader@db/aip_c01

Each submission in ``submitted/<student>/<assignment>/`` becomes one Dask task that runs
nbgrader's Autograde converter in a private scratch course with its own SQLite gradebook
(see ``worker``). The driver alone writes to the real gradebook, one submission at a time,
as results arrive, and copies the graded notebooks to ``autograded/``: concurrent tasks
never share a database file, so nothing can be corrupted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from course.classroom import files, nbconfig, rows, worker

IGNORE = (".ipynb_checkpoints", "__pycache__", "*.pyc")


def plain(config) -> dict:
    """A traitlets Config as nested plain dicts (picklable for remote workers)."""
    return {k: plain(v) if isinstance(v, dict) else v for k, v in config.items()}


def jobs(course_root: Path, assignment: str, extensions: dict[str, float]) -> list[worker.Job]:
    folders = sorted(p.parent for p in (course_root / "submitted").glob(f"*/{assignment}") if p.is_dir())
    return [
        worker.Job(assignment, folder.name, files.read_tree(folder / assignment, IGNORE), extensions.get(folder.name))
        for folder in folders
    ]


def ensure_assignment(course_root: Path, config: dict, assignment: str, db_url: str) -> None:
    """Record the assignment in the real gradebook if missing (generate_assignment in a scratch copy)."""
    course_id = nbconfig.course_id(config)
    if rows.has_assignment(db_url, course_id, assignment):
        return
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="aip-generate-") as scratch:
        shutil.copytree(course_root / "source" / assignment, Path(scratch) / "source" / assignment)
        cfg = Config(config)
        cfg.CourseDirectory.root = scratch
        cfg.CourseDirectory.db_url = db_url
        result = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg).generate_assignment(assignment)
        if not result["success"]:
            raise RuntimeError(f"generate_assignment {assignment} failed:\n{result.get('error')}")


def store(gb, course_root: Path, result: worker.Result) -> None:
    """Write one graded submission into the open gradebook and autograded/ (called by the driver only)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy autoflush notices from nbgrader's add_submission
        rows.write(gb, result.assignment, result.student, result.rows)
    target = course_root / "autograded" / result.student / result.assignment
    files.write_tree(target, result.autograded, replace=True)


def submit_assignment(client, course_root: Path, assignment: str, config_f, db_url: str, course_id: str) -> list:
    """Queue one template build and one grading task per submission of ``assignment``."""
    duedate, extensions = rows.due(db_url, course_id, assignment)
    todo = jobs(course_root, assignment, extensions)
    if not todo:
        return []
    course = {
        f"source/{assignment}/{rel}": data
        for rel, data in files.read_tree(course_root / "source" / assignment, IGNORE).items()
    }
    [course_f] = client.scatter([course], broadcast=True)
    template = client.submit(worker.build_template, course_f, config_f, assignment, pure=False)
    return [
        client.submit(
            worker.grade,
            course_f,
            template,
            config_f,
            duedate,
            job,
            key=f"grade-{assignment}-{job.student}",
            pure=False,
        )
        for job in todo
    ]


def grade_class(
    client,
    course_root: Path,
    assignments: str | list[str],
    db_url: str | None = None,
    extra_config: list[Path] | None = None,
    progress: bool = True,
) -> list[worker.Result]:
    """Grade every submission of the assignment(s) on the Dask ``client``; one result per submission."""
    from distributed import as_completed
    from nbgrader.api import Gradebook
    from tqdm import tqdm

    names = [assignments] if isinstance(assignments, str) else list(assignments)
    course_root = course_root.resolve()
    config = plain(nbconfig.load(course_root, extra_config))
    db_url = db_url or config.get("CourseDirectory", {}).get("db_url") or f"sqlite:///{course_root / 'gradebook.db'}"
    course_id = nbconfig.course_id(config)
    [config_f] = client.scatter([config], broadcast=True)
    futures = []
    for name in names:
        ensure_assignment(course_root, config, name, db_url)
        futures += submit_assignment(client, course_root, name, config_f, db_url, course_id)
    results = []
    bar = tqdm(total=len(futures), desc=f"grading {', '.join(names)}", unit="submission", disable=not progress)
    with bar, Gradebook(db_url, course_id=course_id) as gb:
        for future in as_completed(futures):
            result = future.result()
            if result.ok:
                store(gb, course_root, result)
            results.append(result)
            bar.update()
    return sorted(results, key=lambda r: (r.assignment, r.student))


def summary(results: list[worker.Result]) -> str:
    """A plain-text table: one line per student, then the totals."""
    lines = [f"{'assignment':<16}{'student':<20}{'score':>8}{'max':>7}{'late -':>8}{'seconds':>9}  status", "-" * 76]
    for r in results:
        if not r.ok:
            lines.append(f"{r.assignment:<16}{r.student:<20}{'':>8}{'':>7}{'':>8}{r.seconds:>9.1f}  FAILED")
            continue
        nbs = r.rows["notebooks"].values()
        score = sum(g["auto_score"] or 0 for nb in nbs for g in nb["grades"].values())
        maximum = sum(g["max_score"] for nb in nbs for g in nb["grades"].values())
        late = sum(nb["late_submission_penalty"] or 0 for nb in nbs)
        lines.append(
            f"{r.assignment:<16}{r.student:<20}{score - late:>8.1f}{maximum:>7.1f}{late:>8.1f}{r.seconds:>9.1f}  ok"
        )
    ok = sum(r.ok for r in results)
    lines += ["-" * 76, f"{ok} graded, {len(results) - ok} failed, {sum(r.seconds for r in results):.0f} s of work"]
    return "\n".join(lines)


def make_client(scheduler: str | None, workers: int | None):
    """A client of the given scheduler, or of a LocalCluster (one single-threaded process per worker)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    return Client(cluster)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="+", metavar="assignment")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course directory (default: here)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, help="LocalCluster workers (default: one per core)")
    parser.add_argument("--db", help="gradebook URL (default: sqlite:///<root>/gradebook.db)")
    parser.add_argument("--config", type=Path, action="append", help="extra nbgrader config file (repeatable)")
    args = parser.parse_args(argv)
    with make_client(args.scheduler, args.workers) as client:
        results = grade_class(client, args.root, args.assignments, args.db, args.config)
        if not args.scheduler:
            client.cluster.close()
    if not results:
        print(f"no submissions found in {args.root / 'submitted'}/*/{{{','.join(args.assignments)}}}", file=sys.stderr)
        return 1
    print(summary(results))
    for r in results:
        if not r.ok:
            print(f"\n--- {r.assignment}/{r.student} failed ---\n{r.log}", file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
