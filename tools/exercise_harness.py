"""Grade many versions of an exercise's answer cell quickly, as the grader would.

One notebook, one grading kernel: the instructor notebook runs through the course's own
``LimitedExecute`` (nbgrader's Execute with the jail, the limits and the grading start-up
file), top to bottom, once. Just before each exercise's answer cell a driver cell runs every
version (a *variant*: a mutant, a broken answer, an alternative solution) of that cell in a
child process forked from the kernel, so each starts from the same state and none can leak
into the next or into the rest of the notebook. The child runs the variant, the cells between
it and the test cell, then the exercise's whole test cell (hidden tests included), and scores
the test cell as nbgrader does (``nbgrader.utils.determine_grade``): an error or anything on
stderr scores zero, a trailing value is read as partial credit, otherwise full marks.

The driver also grades the notebook's own solution the same way (the *control*): if it does
not earn full marks here, the exercise's results are not trusted. Where variants are expected
to fail (mutants) it runs first, always; where they are expected to pass (alternatives) only
when one of them failed, to say whether the test or the harness is to blame.

``benchmarks/mutation.py`` checks this harness against real ``nbgrader autograde`` (``--verify``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parent.parent
CONTROL = "__control__"

# Runs inside the grading kernel (a driver cell defines it, then calls it once per exercise).
DRIVER = r'''
def _aip_harness_run(spec_path, out_path):
    """Grade each variant of one exercise in a forked child; write the outcomes as JSON."""
    import json
    spec = json.loads(open(spec_path).read())
    _aip_harness_warm([spec["test"], *spec["between"], *(v["source"] for v in spec["variants"])])
    results = {}
    import gc
    import nbgrader.utils  # noqa: F401 - imported once here, not in every child
    from course import checks  # noqa: F401
    gc.collect()
    gc.freeze()  # a child's collections then skip the parent's objects (no copy-on-write storm)
    control, *others = spec["variants"]
    lazy = spec["control"] == "on_failure"
    for variant in (others if lazy else spec["variants"]):
        results[variant["key"]] = _aip_harness_fork(variant, spec)
    if lazy and any(o["kind"] != "pass" for o in results.values()):
        results[control["key"]] = _aip_harness_fork(control, spec)
    gc.unfreeze()
    with open(out_path, "w") as fh:
        json.dump(results, fh)


def _aip_harness_fork(variant, spec):
    """One variant's outcome, graded in a child forked from the kernel."""
    import json, os, select, signal, time
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        cpu = time.process_time()
        os.close(read_end)
        try:
            outcome = _aip_harness_child([variant["source"], *spec["between"]], spec["test"], spec["points"])
        except BaseException as exc:
            outcome = {"kind": "harness", "ename": type(exc).__name__, "evalue": str(exc)[:2000]}
        outcome["cpu"] = round(time.process_time() - cpu, 2)
        data = json.dumps(outcome, default=repr).encode()
        while data:
            data = data[os.write(write_end, data):]
        os._exit(0)
    os.close(write_end)
    chunks, deadline = [], started + spec["timeout"]
    while True:
        left = deadline - time.monotonic()
        ready = select.select([read_end], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            os.kill(pid, signal.SIGKILL)
            chunks = None
            break
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    if chunks is None:
        outcome = {"kind": "timeout", "ename": "Timeout", "evalue": f"over {spec['timeout']} s"}
    elif not chunks:
        outcome = {"kind": "crash", "ename": "ChildDied", "evalue": "the child process exited without a verdict"}
    else:
        outcome = json.loads(b"".join(chunks))
    outcome["seconds"] = round(time.monotonic() - started, 2)
    return outcome


def _aip_harness_warm(sources):
    """Load, once in the parent, the simulated services the cells name (the first call costs seconds).

    A client per service and one read-only call without parameters (List..., Describe...,
    Get...) in the simulated account: what any first request would load, and no resource made.
    """
    import re
    from botocore import xform_name
    from course import sandbox
    box = sandbox.active() or sandbox.start()
    names = set(re.findall(r"(?:client|resource)\(\s*[\"']([a-z0-9-]+)[\"']", "\n".join(sources)))
    for service in sorted(names):
        try:
            client = box.client(service)
        except Exception:
            continue
        model = client.meta.service_model
        for op in sorted(model.operation_names):
            shape = model.operation_model(op).input_shape
            if op.startswith(("List", "Describe", "Get")) and (shape is None or not shape.required_members):
                try:
                    getattr(client, xform_name(op))()
                except Exception:
                    pass
                break


def _aip_harness_child(before, test, points):
    """In the child: run the cells before the test cell, then score the test cell as nbgrader would."""
    import ast, io, sys
    from IPython import get_ipython
    from nbgrader.utils import get_partial_grade
    shell = get_ipython()
    shell.display_pub.publish = lambda *args, **kwargs: None  # the kernel's sockets belong to the parent
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err

    def run(source):
        tree = ast.parse(shell.transform_cell(source))
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body, type_ignores=[]), "<cell>", "exec"), shell.user_ns)
        if last is None:
            return None
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), shell.user_ns)
        return None if source.rstrip().endswith(";") else value

    for source in before:
        try:
            run(source)
        except BaseException:
            pass  # as in nbgrader: the error stays in that cell, the test cell still runs
    err.seek(0)
    err.truncate()
    try:
        value = run(test)
    except BaseException as exc:
        from course.checks import CheckFailed
        return {
            "kind": "error",
            "ename": type(exc).__name__,
            "evalue": str(exc)[:3000],
            "course": isinstance(exc, CheckFailed),
        }
    if err.getvalue():
        return {"kind": "stderr", "ename": "stderr", "evalue": err.getvalue()[:3000]}
    if value is not None:
        text = shell.display_formatter.format(value)[0].get("text/plain", repr(value))
        score = get_partial_grade({"data": {"text/plain": text}}, points)
        return {"kind": "value" if score < points else "pass", "ename": "", "evalue": text[:300], "score": score}
    return {"kind": "pass"}
'''


@dataclass(frozen=True)
class Exercise:
    grade_id: str
    solution: str  # the instructor's answer cell
    test: str  # the whole test cell, hidden tests included
    points: float
    index: int  # the answer cell's place in the notebook
    between: tuple[str, ...]  # code cells between the answer cell and its test cell


@dataclass
class Outcome:
    kind: str  # pass, error, stderr, value, timeout, crash, harness
    ename: str = ""
    evalue: str = ""
    course: bool = False  # the failure was the course's own message (a CheckFailed)
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.kind == "pass"


def exercises(name: str) -> list[Exercise]:
    """The notebook's autograded exercises, in order (answer cell ``X``, test cell ``X-tests``)."""
    nb = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    tests = {
        c.metadata["nbgrader"]["grade_id"]: i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade")
    }
    found = []
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or f"{meta['grade_id']}-tests" not in tests:
            continue
        t = tests[f"{meta['grade_id']}-tests"]
        between = tuple(c.source for c in nb.cells[i + 1 : t] if c.cell_type == "code")
        points = float(nb.cells[t].metadata["nbgrader"]["points"])
        found.append(Exercise(meta["grade_id"], cell.source, nb.cells[t].source, points, i, between))
    return found


def _harness_notebook(name: str, specs: dict[str, Path], outs: dict[str, Path]):
    """The instructor notebook without the graded-quiz cells, a driver cell before each exercise graded.

    It ends with the last graded exercise's test cell: nothing after it can change a verdict.
    """
    nb = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    tests = {f"{gid}-tests" for gid in specs}
    last = max(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") in tests)
    cells = [new_code_cell(DRIVER)]
    for cell in nb.cells[: last + 1]:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and str(meta.get("grade_id", "")).startswith("quiz-"):
            continue
        gid = meta.get("grade_id")
        if meta.get("solution") and gid in specs:
            cells.append(new_code_cell(f"_aip_harness_run({str(specs[gid])!r}, {str(outs[gid])!r})"))
        cells.append(cell)
    nb.cells = cells
    return nb


def grade(
    name: str,
    variants: dict[str, list[tuple[str, str]]],
    timeout: float = 60,
    log=print,
    control: str = "first",
) -> dict[str, dict[str, Outcome]]:
    """Outcome of every variant: ``{grade_id: {key: Outcome}}``; the key ``CONTROL`` is the real solution.

    ``variants`` maps a grade id to ``[(key, answer cell source), ...]``. ``control``: "first"
    grades the solution before the variants (variants expected to fail, like mutants, can be
    trusted only then); "on_failure" grades it only when a variant lost points, to tell a
    too-strict test from a harness that cannot run the exercise (variants expected to pass).
    """
    if control not in ("first", "on_failure"):
        raise ValueError(f"control must be 'first' or 'on_failure', not {control!r}")
    from course.classroom.limits import LimitedExecute

    by_id = {e.grade_id: e for e in exercises(name)}
    unknown = sorted(set(variants) - set(by_id))
    if unknown:
        raise ValueError(f"{name} has no autograded exercise {unknown}; it has {sorted(by_id)}")
    work = Path(tempfile.mkdtemp(prefix=f"aip-harness-{name}-"))
    try:
        folder = work / name
        folder.mkdir()
        specs, outs = {}, {}
        for gid, items in variants.items():
            ex = by_id[gid]
            spec = {
                "variants": [{"key": CONTROL, "source": ex.solution}] + [{"key": k, "source": s} for k, s in items],
                "between": list(ex.between),
                "test": ex.test,
                "points": ex.points,
                "timeout": timeout,
                "control": control,
            }
            specs[gid] = folder / f".harness-{gid}.json"
            specs[gid].write_text(json.dumps(spec))
            outs[gid] = folder / f".harness-{gid}.out.json"
        nb = _harness_notebook(name, specs, outs)
        ep = LimitedExecute(timeout=0, notebook_timeout=0, max_output_bytes=10_000_000)
        ep.preprocess(nb, {"metadata": {"path": str(folder)}})
        results: dict[str, dict[str, Outcome]] = {}
        for gid, out in outs.items():
            if not out.exists():
                errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
                detail = errors[0].get("evalue", "") if errors else "no output"
                raise RuntimeError(f"{name}: the driver for {gid} wrote nothing ({detail})")
            raw = json.loads(out.read_text())
            results[gid] = {
                key: Outcome(
                    o["kind"],
                    o.get("ename", ""),
                    o.get("evalue", ""),
                    bool(o.get("course")),
                    o.get("seconds", 0.0),
                    {k: v for k, v in o.items() if k not in {"kind", "ename", "evalue", "course", "seconds"}},
                )
                for key, o in raw.items()
            }
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)
