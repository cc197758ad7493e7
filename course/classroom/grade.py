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

Each task first runs the preflight (``course.classroom.preflight``) on its copy of the
submission; its findings are in the summary table. A submission that still cannot be graded
is left as ``nbgrader autograde`` leaves it (a submission row whose grades need a person,
no autograded notebook), listed as FAILED with the reason, and the rest of the class is
graded as usual.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import traceback
from fnmatch import fnmatch
from pathlib import Path

from course.classroom import files, gc_tuning, nbconfig, nbgrader_cli, rows, worker

IGNORE = (".ipynb_checkpoints", "__pycache__", "*.pyc")


def plain(config) -> dict:
    """A traitlets Config as nested plain dicts (picklable for remote workers)."""
    return {k: plain(v) if isinstance(v, dict) else v for k, v in config.items()}


def read_submission(folder: Path) -> tuple[files.Tree, tuple[str, ...]]:
    """A submission's files as data, and the symbolic links it holds (never followed: they could
    point at the grader's own files)."""
    tree: files.Tree = {}
    links = []
    for path in sorted(folder.rglob("*")):  # rglob does not descend into linked folders
        rel = path.relative_to(folder)
        if any(fnmatch(part, pat) for part in rel.parts for pat in IGNORE):
            continue
        if path.is_symlink():
            links.append(rel.as_posix())
        elif path.is_file():
            tree[rel.as_posix()] = path.read_bytes()
    return tree, tuple(links)


def submitted_students(course_root: Path, assignment: str) -> list[Path]:
    """The ``submitted/<student>/`` folders holding a submission of ``assignment``, by student."""
    return sorted(p.parent for p in (course_root / "submitted").glob(f"*/{assignment}") if p.is_dir())


def jobs(course_root: Path, assignment: str, extensions: dict[str, float]) -> list[worker.Job]:
    out = []
    for folder in submitted_students(course_root, assignment):
        tree, links = read_submission(folder / assignment)
        out.append(worker.Job(assignment, folder.name, tree, extensions.get(folder.name), links))
    return out


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


def store_failure(gb, course_root: Path, result: worker.Result) -> None:
    """Leave a submission that could not be graded as ``nbgrader autograde`` leaves it.

    That is: the student and the submission exist (with the submission time, when known);
    grades a previous run recorded stay, new ones stay empty and "need manual grade"; there
    is no autograded notebook."""
    import warnings
    from datetime import datetime

    stamp = (result.rows or {}).get("timestamp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gb.update_or_create_student(result.student)
        extra = {"timestamp": datetime.fromisoformat(stamp)} if stamp else {}
        gb.update_or_create_submission(result.assignment, result.student, **extra)
    shutil.rmtree(course_root / "autograded" / result.student / result.assignment, ignore_errors=True)


def record(gb, course_root: Path, result: worker.Result) -> worker.Result:
    """Store ``result``; a result that cannot be stored becomes a failure, the class goes on."""
    try:
        (store if result.ok else store_failure)(gb, course_root, result)
        return result
    except Exception as exc:  # noqa: BLE001 - one bad result must not stop the class
        gb.db.rollback()
        return dataclasses.replace(
            result,
            ok=False,
            error=f"could not be stored in the gradebook: {type(exc).__name__}: {exc}"[:300],
            log=result.log + "\n" + traceback.format_exc(),
        )


def submit_assignment(client, course_root: Path, assignment: str, config_f, db_url: str, course_id: str) -> list:
    """Queue one template build and one grading task per submission of ``assignment``: (future, job) pairs."""
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
        (
            client.submit(
                worker.grade,
                course_f,
                template,
                config_f,
                duedate,
                job,
                key=f"grade-{assignment}-{job.student}",
                pure=False,
            ),
            job,
        )
        for job in todo
    ]


def outcome(future, job: worker.Job) -> worker.Result:
    """The task's result; a task that failed outright (a worker died, say) becomes a failed Result."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - reported per student, the class goes on
        return worker.Result(
            job.assignment,
            job.student,
            False,
            0.0,
            log=traceback.format_exc(),
            error=f"the grading task failed: {type(exc).__name__}: {exc}"[:300],
        )


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
    # Workers grade in scratch copies; the jailed kernel must not see the real course either.
    execute = config.setdefault("LimitedExecute", {})
    execute["hide"] = [*execute.get("hide", []), str(course_root)]
    [config_f] = client.scatter([config], broadcast=True)
    queued = []
    for name in names:
        ensure_assignment(course_root, config, name, db_url)
        queued += submit_assignment(client, course_root, name, config_f, db_url, course_id)
    job_of = {future.key: job for future, job in queued}
    futures = [future for future, _ in queued]
    results = []
    bar = tqdm(total=len(futures), desc=f"grading {', '.join(names)}", unit="submission", disable=not progress)
    with bar, Gradebook(db_url, course_id=course_id) as gb:
        for future in as_completed(futures):
            results.append(record(gb, course_root, outcome(future, job_of[future.key])))
            bar.update()
    return sorted(results, key=lambda r: (r.assignment, r.student))


def summary(results: list[worker.Result]) -> str:
    """A plain-text table: one line per student (with the preflight's findings), then the totals."""
    head = f"{'assignment':<16}{'student':<20}{'score':>8}{'max':>7}{'late -':>8}{'seconds':>9}  status"
    lines = [head + "  findings", "-" * 100]
    for r in results:
        notes = ", ".join(f["kind"] for f in r.findings)
        if not r.ok:
            lines.append(f"{r.assignment:<16}{r.student:<20}{'':>8}{'':>7}{'':>8}{r.seconds:>9.1f}  FAILED  {notes}")
            lines.append(f"{'':<36}why: {(r.error or 'see the log below').splitlines()[0]}")
            continue
        nbs = r.rows["notebooks"].values()
        score = sum(g["auto_score"] or 0 for nb in nbs for g in nb["grades"].values())
        maximum = sum(g["max_score"] for nb in nbs for g in nb["grades"].values())
        late = sum(nb["late_submission_penalty"] or 0 for nb in nbs)
        lines.append(
            f"{r.assignment:<16}{r.student:<20}{score - late:>8.1f}{maximum:>7.1f}{late:>8.1f}{r.seconds:>9.1f}  ok"
            f"      {notes}"
        )
    ok = sum(r.ok for r in results)
    noted = sum(bool(r.findings) for r in results)
    lines += [
        "-" * 100,
        f"{ok} graded, {len(results) - ok} failed, {noted} with preflight findings "
        f"(explained to the student at the top of the graded notebook), {sum(r.seconds for r in results):.0f} s of work",
    ]
    if len(results) > ok:
        lines.append(
            "A failed submission has a gradebook row whose grades need a person (as nbgrader autograde leaves it)."
        )
    return "\n".join(lines)


def submission_count(course_root: Path, assignments: list[str]) -> int:
    """How many grading tasks ``grade_class`` will queue (one per submission, as ``jobs`` finds them)."""
    return sum(len(submitted_students(course_root, a)) for a in assignments)


def local_workers(requested: int | None, submissions: int) -> int:
    """LocalCluster size: as asked (default one per core), but no more than there are submissions.

    Each worker is a process that imports nbgrader and the course before its first task: on a
    64-core server, regrading one late submission should not start 64 of them.
    """
    from dask.system import CPU_COUNT

    return max(1, min(requested or CPU_COUNT, submissions))


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
    nbgrader_cli.put_on_path()  # local workers inherit it
    gc_tuning.tune()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="+", metavar="assignment")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course directory (default: here)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument(
        "--workers", type=int, help="LocalCluster workers (default: one per core; never more than the submissions)"
    )
    parser.add_argument("--db", help="gradebook URL (default: sqlite:///<root>/gradebook.db)")
    parser.add_argument("--config", type=Path, action="append", help="extra nbgrader config file (repeatable)")
    args = parser.parse_args(argv)
    workers = None if args.scheduler else local_workers(args.workers, submission_count(args.root, args.assignments))
    with make_client(args.scheduler, workers) as client:
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
