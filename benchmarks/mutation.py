"""Mutation testing of the autograded exercises: do the tests catch plausible mistakes?

    python benchmarks/mutation.py --notebook security [--exercise kms-envelope ...]
    python benchmarks/mutation.py --notebook security --verify 12
    python benchmarks/mutation.py --notebook security --broken
    python benchmarks/mutation.py --notebook security --alternatives
    python benchmarks/mutation.py --docs            # rewrite docs/mutation.md from the stored results

Run it one notebook at a time and niced (``nice -n 10``): each notebook is one grading kernel.

For each exercise, ``tools/mutants.py`` makes mutants of the solution cell (a keyword argument
left out, a literal changed, a statement deleted, a loop stopped after one pass, a constant
returned, a comparison swapped, ...). ``tools/exercise_harness.py`` grades them: the
notebook runs once in the course's jailed grading kernel and every mutant, with the exercise's
whole test cell (hidden tests included), runs in a child forked just before the exercise.
A mutant is *killed* when its test cell would lose points, *survives* when it would not.

Prints per exercise: mutants, killed, survived, equivalent, the kill rate (killed out of the
mutants not listed as equivalent; goal: at least 95 %), each survivor's diff, and the killed
mutants whose failure was not the course's own message (a raw ``KeyError`` from test code,
say). Equivalent mutants (no test can tell them from the solution) are listed, with the
reason, in ``benchmarks/equivalent_mutants.yaml``; the tool subtracts only those, and says so.

Every run stores its exercises' results in ``benchmarks/mutation_results.json`` and rewrites
the table in ``docs/mutation.md`` (``--no-write``: print only).

``--verify N`` re-grades N mutants (every survivor, then killed ones picked at random)
through real ``nbgrader autograde`` in a scratch course, in one call, and fails if any
verdict differs from the harness's. ``--broken`` grades broken answers instead of mutants
(each function of the answer cell returning None, "", 0, [], {}, a string, ... or raising)
and fails unless every one loses its points with the course's message. ``--alternatives``
grades the corpus of valid alternatives (``tests/fixtures/<name>_alternatives.yaml``) the same
way and fails unless each earns full marks.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import exercise_harness, mutants  # noqa: E402

EQUIVALENT = ROOT / "benchmarks" / "equivalent_mutants.yaml"
RESULTS = ROOT / "benchmarks" / "mutation_results.json"
DOC = ROOT / "docs" / "mutation.md"
GOAL = 95.0


@dataclass
class ExerciseResult:
    notebook: str
    exercise: str
    mutants: int = 0
    killed: int = 0
    survivors: list[dict] = field(default_factory=list)  # {id, operator, diff}
    equivalent: list[str] = field(default_factory=list)  # ids listed and surviving
    listed_but_killed: list[str] = field(default_factory=list)
    raw: list[dict] = field(default_factory=list)  # killed, but not with the course's message
    control: str = "pass"
    date: str = ""

    @property
    def rate(self) -> float:
        counted = self.mutants - len(self.equivalent)
        return 100.0 * self.killed / counted if counted else 100.0

    def as_json(self) -> dict:
        return {
            "mutants": self.mutants,
            "killed": self.killed,
            "survivors": self.survivors,
            "equivalent": self.equivalent,
            "listed_but_killed": self.listed_but_killed,
            "raw": self.raw,
            "control": self.control,
            "date": self.date,
        }


# -- the reviewed list of equivalent mutants ---------------------------------------------------


def load_equivalents(path: Path = EQUIVALENT) -> dict[tuple[str, str], dict[str, dict]]:
    """``{(notebook, exercise): {mutant id: entry}}``; every entry must give a reason."""
    entries = yaml.safe_load(path.read_text()) if path.exists() else None
    out: dict[tuple[str, str], dict[str, dict]] = {}
    for entry in entries or []:
        missing = [k for k in ("notebook", "exercise", "id", "diff", "reason") if not str(entry.get(k, "")).strip()]
        if missing:
            raise SystemExit(f"{path.name}: an entry lacks {missing}: {entry}")
        out.setdefault((entry["notebook"], entry["exercise"]), {})[str(entry["id"])] = entry
    return out


# -- grading -------------------------------------------------------------------------------------


def selected(notebook: str, only: list[str]) -> list[exercise_harness.Exercise]:
    found = exercise_harness.exercises(notebook)
    unknown = sorted(set(only) - {e.grade_id for e in found})
    if unknown and only and not any(e.grade_id in only for e in found):
        raise SystemExit(f"{notebook} has no exercise {unknown}; it has {[e.grade_id for e in found]}")
    return [e for e in found if not only or e.grade_id in only]


def mutate(notebook: str, only: list[str], timeout: float) -> tuple[list[ExerciseResult], dict]:
    """Grade every mutant of the selected exercises; the results and the mutants by exercise."""
    exercises = selected(notebook, only)
    made = {e.grade_id: mutants.mutants(e.solution) for e in exercises}
    print(f"{notebook}: {sum(map(len, made.values()))} mutants of {len(made)} exercises", flush=True)
    started = time.perf_counter()
    outcomes = exercise_harness.grade(
        notebook, {gid: [(m.id, m.source) for m in ms] for gid, ms in made.items()}, timeout=timeout
    )
    print(f"{notebook}: graded in {time.perf_counter() - started:.0f} s", flush=True)
    listed = load_equivalents()
    today = datetime.date.today().isoformat()
    results = []
    for gid, ms in made.items():
        res = ExerciseResult(notebook, gid, mutants=len(ms), date=today)
        control = outcomes[gid][exercise_harness.CONTROL]
        if not control.passed:
            res.control = f"{control.kind}: {control.ename}: {control.evalue[:300]}"
        equivalents = listed.get((notebook, gid), {})
        for m in ms:
            out = outcomes[gid][m.id]
            if out.passed:
                if m.id in equivalents:
                    res.equivalent.append(m.id)
                else:
                    res.survivors.append({"id": m.id, "operator": m.operator, "diff": m.diff})
                continue
            res.killed += 1
            if m.id in equivalents:
                res.listed_but_killed.append(m.id)
            if not out.course and out.kind != "timeout":
                res.raw.append({"id": m.id, "diff": m.diff, "failure": f"{out.kind}: {out.ename}: {out.evalue[:400]}"})
        results.append(res)
    return results, made


def print_report(results: list[ExerciseResult], show_raw: bool) -> None:
    listed = load_equivalents()
    width = max([len(r.exercise) for r in results] + [8])
    print(f"\n{'exercise':{width}}  mutants  killed  survived  equivalent  kill %")
    for r in results:
        flag = "" if r.rate >= GOAL else "   < goal"
        if r.control != "pass":
            flag = f"   SOLUTION FAILS HERE: {r.control}"
        print(
            f"{r.exercise:{width}}  {r.mutants:7}  {r.killed:6}  {len(r.survivors):8}  {len(r.equivalent):10}"
            f"  {r.rate:6.1f}{flag}"
        )
    for r in results:
        for s in r.survivors:
            print(f"\nSURVIVED {r.notebook}/{r.exercise} {s['id']} ({s['operator']}):\n{_indent(s['diff'])}")
        for mid in r.equivalent:
            print(f"\nequivalent (listed) {r.exercise} {mid}: {listed[(r.notebook, r.exercise)][mid]['reason']}")
        for mid in r.listed_but_killed:
            print(f"\nLISTED AS EQUIVALENT BUT KILLED {r.exercise} {mid}: remove it from {EQUIVALENT.name}")
        stale = set(listed.get((r.notebook, r.exercise), {})) - {*r.equivalent, *r.listed_but_killed}
        stale -= {s["id"] for s in r.survivors}
        for mid in sorted(stale):
            print(f"\nSTALE {EQUIVALENT.name} entry {r.exercise} {mid}: no such mutant any more")
        if show_raw:
            for raw in r.raw:
                print(f"\nRAW FAILURE {r.exercise} {raw['id']}:\n{_indent(raw['diff'])}\n    -> {raw['failure']}")
    raw_count = sum(len(r.raw) for r in results)
    if raw_count and not show_raw:
        print(f"\n{raw_count} killed mutants failed without the course's message (--raw lists them)")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


# -- verification through nbgrader -------------------------------------------------------------------


def verify(notebook: str, results: list[ExerciseResult], made: dict, count: int, seed: int = 0) -> list[str]:
    """Re-grade ``count`` mutants with real nbgrader autograde; the disagreements with the harness."""
    from tests import grading_pipeline as gp

    survivors = [(r.exercise, s["id"], True) for r in results for s in r.survivors]
    survivors += [(r.exercise, mid, True) for r in results for mid in r.equivalent]
    killed_ids = {
        (r.exercise, m.id)
        for r in results
        for m in made[r.exercise]
        if m.id not in {s["id"] for s in r.survivors} and m.id not in r.equivalent
    }
    rng = random.Random(seed)
    sample = rng.sample(sorted(killed_ids), max(0, min(len(killed_ids), count - len(survivors))))
    chosen = (survivors + [(gid, mid, False) for gid, mid in sample])[:count]
    sources = {(gid, m.id): m.source for gid, ms in made.items() for m in ms}
    # One student carries at most one mutant per exercise; an exercise whose function other
    # exercises use gets students of its own, so one mutant cannot cost another exercise points.
    exercises = exercise_harness.exercises(notebook)
    shared = {e.grade_id for e in exercises if _used_elsewhere(e, exercises)}
    students: list[dict[str, tuple[str, bool]]] = []
    for gid, mid, survived in chosen:
        slot = next(
            (s for s in students if gid not in s and not (shared & ({gid} | set(s)))),
            None,
        )
        if slot is None:
            slot = {}
            students.append(slot)
        slot[gid] = (mid, survived)
    print(f"{notebook}: verifying {len(chosen)} mutants with nbgrader autograde ({len(students)} students)", flush=True)
    disagreements = []
    with tempfile.TemporaryDirectory(prefix="aip-mutation-verify-") as tmp:
        tmp_path = Path(tmp)
        course = gp.make_course(tmp_path, notebook)
        for n, slot in enumerate(students, 1):
            cells = {gid: sources[(gid, mid)] for gid, (mid, _) in slot.items()}
            nb = gp.notebook_with(notebook, cells, tmp_path / f"mutant-{n}.ipynb")
            gp.submit(course, f"mutant-{n}", notebook, nb, gp.correct_answers(notebook))
        started = time.perf_counter()
        gp.nbgrader(course, "autograde", notebook, "--force")
        print(f"{notebook}: nbgrader autograde took {time.perf_counter() - started:.0f} s", flush=True)
        for n, slot in enumerate(students, 1):
            scores = gp.scores(course, notebook, f"mutant-{n}")
            for gid, (mid, survived) in slot.items():
                score, max_score = scores[f"{gid}-tests"]
                if (score == max_score) != survived:
                    disagreements.append(
                        f"{gid} {mid}: the harness says {'survived' if survived else 'killed'}, "
                        f"nbgrader gave {score:g}/{max_score:g}"
                    )
    return disagreements


def _used_elsewhere(ex: exercise_harness.Exercise, all_: list[exercise_harness.Exercise]) -> bool:
    import ast

    names = {n.name for n in ast.parse(ex.solution).body if isinstance(n, ast.FunctionDef)}
    return any(
        name in other.test or name in other.solution or any(name in b for b in other.between)
        for other in all_
        if other is not ex
        for name in names
    )


# -- broken answers -------------------------------------------------------------------------------------


def broken(notebook: str, only: list[str], timeout: float) -> list[str]:
    """Grade broken answers; the ones that kept points or failed without the course's message."""
    exercises = selected(notebook, only)
    variants = {e.grade_id: mutants.broken_answers(e.solution) for e in exercises}
    outcomes = exercise_harness.grade(notebook, variants, timeout=timeout)
    problems = []
    for gid, items in variants.items():
        control = outcomes[gid][exercise_harness.CONTROL]
        if not control.passed:
            problems.append(f"{gid}: the solution fails here: {control.kind} {control.ename}: {control.evalue[:200]}")
        for key, _ in items:
            out = outcomes[gid][key]
            if out.passed:
                problems.append(f"{gid} [{key}]: kept its points")
            elif not out.course and out.kind != "timeout":
                problems.append(f"{gid} [{key}]: {out.kind} {out.ename}: {out.evalue[:300]}")
    return problems


def alternatives(notebook: str, only: list[str], timeout: float) -> list[str]:
    """Grade the corpus of valid alternatives; the ones that lost points."""
    path = ROOT / "tests" / "fixtures" / f"{notebook}_alternatives.yaml"
    corpus = yaml.safe_load(path.read_text()) if path.exists() else {}
    if not corpus:
        return [f"{path.relative_to(ROOT)} is missing or empty"]
    known = {e.grade_id for e in selected(notebook, only)}
    missing = sorted(known - set(corpus))
    variants = {
        gid: [(f"alternative {n}", src) for n, src in enumerate(srcs, 1)]
        for gid, srcs in corpus.items()
        if gid in known
    }
    outcomes = exercise_harness.grade(notebook, variants, timeout=timeout)
    problems = [f"{gid}: no alternatives" for gid in missing]
    for gid, items in variants.items():
        for key, _ in items:
            out = outcomes[gid][key]
            if not out.passed:
                problems.append(f"{gid} [{key}]: {out.kind} {out.ename}: {out.evalue[:400]}")
    return problems


# -- stored results and docs/mutation.md --------------------------------------------------------------


CHECKS_KEY = "_checks"  # per notebook: the last --broken and --alternatives runs


def store_checks(notebook: str, kind: str, problems: list[str], path: Path = RESULTS) -> dict:
    data = json.loads(path.read_text()) if path.exists() else {}
    entry = {"date": datetime.date.today().isoformat(), "problems": problems[:20], "count": len(problems)}
    data.setdefault(notebook, {}).setdefault(CHECKS_KEY, {})[kind] = entry
    path.write_text(json.dumps(data, indent=1) + "\n")
    return data


def store(results: list[ExerciseResult], path: Path = RESULTS) -> dict:
    data = json.loads(path.read_text()) if path.exists() else {}
    for r in results:
        data.setdefault(r.notebook, {})[r.exercise] = r.as_json()
    data = {nb: dict(sorted(exs.items())) for nb, exs in sorted(data.items())}  # CHECKS_KEY sorts first
    path.write_text(json.dumps(data, indent=1) + "\n")
    return data


def reclassify(data: dict, listed: dict) -> dict:
    """The stored results with the survivors now listed as equivalent moved there (the list may be newer)."""
    out = {}
    for nb, exs in data.items():
        out[nb] = {}
        for gid, e in exs.items():
            if gid == CHECKS_KEY:
                out[nb][gid] = e
                continue
            ids = listed.get((nb, gid), {})
            e = dict(e)
            e["equivalent"] = sorted({*e["equivalent"], *(s["id"] for s in e["survivors"] if s["id"] in ids)})
            e["survivors"] = [s for s in e["survivors"] if s["id"] not in ids]
            out[nb][gid] = e
    return out


def render(data: dict, listed: dict) -> str:
    data = reclassify(data, listed)
    lines = [
        "# Mutation testing of the autograded exercises",
        "",
        "Generated by `python benchmarks/mutation.py` (see its docstring and docs/authoring.md): do not edit.",
        f"Last run: {max((e['date'] for exs in data.values() for g, e in exs.items() if g != CHECKS_KEY), default='never')}.",
        "",
        "Each exercise's solution cell is mutated (a keyword argument left out, a literal changed, a",
        "statement deleted, a loop stopped after one pass, a constant returned, a comparison swapped, ...)",
        "and every mutant is graded with the exercise's whole test cell in the course's grading kernel.",
        f"Goal: at least {GOAL:g} % of the mutants that are not equivalent are killed (lose points), in",
        "every exercise. Equivalent mutants (no test could tell them from the solution) are listed below",
        "with the reason; they come from `benchmarks/equivalent_mutants.yaml`.",
        "",
        "| notebook | exercise | mutants | killed | survived | equivalent | kill % | run on |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for nb, exs in data.items():
        order = {e.grade_id: n for n, e in enumerate(_exercises_or_none(nb))}
        for gid, e in sorted(exs.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
            if gid == CHECKS_KEY:
                continue
            counted = e["mutants"] - len(e["equivalent"])
            rate = 100.0 * e["killed"] / counted if counted else 100.0
            mark = "" if rate >= GOAL and e["control"] == "pass" else " ✗"
            lines.append(
                f"| {nb} | {gid} | {e['mutants']} | {e['killed']} | {len(e['survivors'])} | {len(e['equivalent'])}"
                f" | {rate:.1f}{mark} | {e['date']} |"
            )
    lines += [
        "",
        "## Broken answers and valid alternatives",
        "",
        '`--broken` feeds every function broken answers (None, "", 0, [], {}, a string, an exception...): each',
        "must lose its points with the course's message. `--alternatives` grades the corpus of valid",
        "alternatives (`tests/fixtures/<name>_alternatives.yaml`): each must earn full marks.",
        "",
        "| notebook | broken answers | run on | alternatives | run on |",
        "|---|---|---|---|---|",
    ]
    for nb, exs in data.items():
        found = exs.get(CHECKS_KEY, {})
        lines.append(
            "| {} | {} | {} | {} | {} |".format(nb, *_verdict(found, "broken"), *_verdict(found, "alternatives"))
        )
    survivors = [
        (nb, gid, s) for nb, exs in data.items() for gid, e in exs.items() if gid != CHECKS_KEY for s in e["survivors"]
    ]
    lines += ["", "## Survivors", ""]
    if not survivors:
        lines.append("None.")
    for nb, gid, s in survivors:
        lines += [f"- `{nb}/{gid}` `{s['id']}` ({s['operator']}):", "", "  ```diff"]
        lines += [f"  {line}" for line in s["diff"].splitlines()]
        lines += ["  ```", ""]
    lines += ["", "## Equivalent mutants", ""]
    shown = [
        (nb, gid, mid)
        for nb, exs in data.items()
        for gid, e in exs.items()
        if gid != CHECKS_KEY
        for mid in e["equivalent"]
    ]
    if not shown:
        lines.append("None.")
    for nb, gid, mid in shown:
        entry = listed[(nb, gid)][mid]
        lines += [f"- `{nb}/{gid}` `{mid}`: {entry['reason'].strip()}", "", "  ```diff"]
        lines += [f"  {line}" for line in entry["diff"].strip().splitlines()]
        lines += ["  ```", ""]
    return "\n".join(lines).rstrip() + "\n"


def _exercises_or_none(notebook: str) -> list:
    try:
        return exercise_harness.exercises(notebook)
    except FileNotFoundError:
        return []


def _verdict(found: dict, kind: str) -> tuple[str, str]:
    entry = found.get(kind)
    if entry is None:
        return "not run", ""
    return ("all pass" if not entry["count"] else f"{entry['count']} problem(s) ✗"), entry["date"]


def write_docs(data: dict | None = None) -> None:
    data = json.loads(RESULTS.read_text()) if data is None else data
    DOC.write_text(render(data, load_equivalents()))


# -- command line -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", default=[], help="a domain notebook (repeatable)")
    parser.add_argument("--exercise", action="append", default=[], help="only this grade id (repeatable)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds one mutant may run (default 60)")
    parser.add_argument("--verify", type=int, default=0, metavar="N", help="re-grade N mutants with nbgrader")
    parser.add_argument("--broken", action="store_true", help="grade broken answers instead of mutants")
    parser.add_argument("--alternatives", action="store_true", help="grade the corpus of valid alternatives")
    parser.add_argument("--raw", action="store_true", help="list killed mutants that failed without a course message")
    parser.add_argument("--no-write", action="store_true", help="print only: leave the stored results and docs alone")
    parser.add_argument("--docs", action="store_true", help="only rewrite docs/mutation.md from the stored results")
    args = parser.parse_args(argv)
    if args.docs:
        write_docs()
        return 0
    if not args.notebook:
        parser.error("name a notebook with --notebook (run one notebook at a time)")
    failed = False
    for notebook in args.notebook:
        if args.alternatives:
            problems = alternatives(notebook, args.exercise, args.timeout)
            print("\n".join(problems) or f"{notebook}: every alternative earns full marks")
            failed |= bool(problems)
            if not args.no_write and not args.exercise:
                write_docs(store_checks(notebook, "alternatives", problems))
            continue
        if args.broken:
            problems = broken(notebook, args.exercise, args.timeout)
            print("\n".join(problems) or f"{notebook}: every broken answer lost its points with a course message")
            failed |= bool(problems)
            if not args.no_write and not args.exercise:
                write_docs(store_checks(notebook, "broken", problems))
            continue
        results, made = mutate(notebook, args.exercise, args.timeout)
        print_report(results, args.raw)
        failed |= any(r.control != "pass" for r in results)
        if not args.no_write:
            write_docs(store(results))
        if args.verify:
            disagreements = verify(notebook, results, made, args.verify)
            print("\n".join(disagreements) or f"{notebook}: nbgrader agrees with the harness on every mutant checked")
            failed |= bool(disagreements)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
