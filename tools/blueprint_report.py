"""docs/blueprint.md: how the course lines up with the AIP-C01 blueprint, generated, never edited.

    python -m tools.blueprint_report                   # rewrite docs/blueprint.md
    python -m tools.blueprint_report --check           # fail if docs/blueprint.md is out of date
    python -m tools.blueprint_report --prune-pending   # drop covered skills from pending:, then rewrite

It reads course/data/blueprint.yaml, the notebooks' coverage maps (``skills:``), every
question bank and graded key, and writes: per exam domain, the scored pool's share against
the official weight and the share of questions that test generative-AI knowledge; per task
statement, questions and exercises; per skill, where it is taught, practised and asked, and
whether it is covered or pending; the banks' tagging progress and test-wise giveaways; and
how many consecutive practice exams the pool supplies without scoring a question twice.
tests/test_blueprint.py uses :func:`collect` for its checks and fails when the file is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from course import bank, bank_quality
from course import blueprint as bp_mod

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "blueprint.md"
MIN_SECTIONS = 1
MIN_QUESTIONS = 2
CAPACITY_TARGET = 5  # full practice exams without scoring a question twice (issue 19)


@dataclass
class Item:
    """One question of the course: a self-check question (scored pool) or a graded one."""

    id: str
    bank: str
    graded: bool
    task: str
    skills: tuple[str, ...]
    genai: bool | None
    missing: tuple[str, ...]


@dataclass
class Alignment:
    blueprint: bp_mod.Blueprint
    items: list[Item]
    sections: dict[str, list[str]] = field(default_factory=dict)  # skill -> ["bedrock#rag", ...]
    exercises: dict[str, list[str]] = field(default_factory=dict)  # skill -> ["bedrock:chunking", ...]
    questions: dict[str, list[str]] = field(default_factory=dict)  # skill -> question ids
    quality: dict[str, bank_quality.Metrics] = field(default_factory=dict)  # bank -> measures
    map_problems: list[str] = field(default_factory=list)

    def covered(self, skill: str) -> bool:
        return len(self.sections.get(skill, [])) >= MIN_SECTIONS and len(self.questions.get(skill, [])) >= MIN_QUESTIONS

    def uncovered_not_pending(self) -> list[str]:
        return [s.id for s in self.blueprint.skills if not self.covered(s.id) and s.id not in self.blueprint.pending]

    def pending_but_covered(self) -> list[str]:
        return [s for s in self.blueprint.pending if self.covered(s)]

    def why_uncovered(self, skill: str) -> str:
        n_sec, n_q = len(self.sections.get(skill, [])), len(self.questions.get(skill, []))
        return f"{skill}: {n_sec} teaching section(s) (needs {MIN_SECTIONS}), {n_q} question(s) (needs {MIN_QUESTIONS})"


def graded_key(name: str, root: Path = ROOT) -> dict:
    path = root / "source" / name / "graded_key.yaml"
    return (yaml.safe_load(path.read_text("utf-8")) or {}) if path.exists() else {}


def coverage_maps(root: Path = ROOT) -> dict[str, dict]:
    folder = root / "course" / "data" / "coverage"
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) or {} for p in sorted(folder.glob("*.yaml"))}


def _anchors_and_exercises(name: str, root: Path) -> tuple[set[str], set[str]]:
    path = root / "source" / name / f"{name}.py"
    if not path.exists():
        return set(), set()
    text = path.read_text("utf-8")
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', text))
    exercises = set(re.findall(r'^# %% kind="solution" grade_id="([^"]+)"', text, flags=re.M))
    return anchors, exercises


def _read_maps(al: Alignment, root: Path) -> None:
    known = {s.id for s in al.blueprint.skills}
    for name, cmap in coverage_maps(root).items():
        skills = cmap.get("skills")
        if skills is None:
            continue
        if not isinstance(skills, dict) or set(skills) - {"sections", "exercises"}:
            al.map_problems.append(f"{name}.yaml: skills has the keys sections and exercises only")
            continue
        anchors, exercises = _anchors_and_exercises(name, root)
        for where, ids in (skills.get("sections") or {}).items():
            notebook, _, anchor = str(where).partition("#")
            if notebook != name or anchor not in anchors:
                al.map_problems.append(f"{name}.yaml: section {where!r} is not an anchor of the {name} notebook")
            for s in ids or []:
                if s not in known:
                    al.map_problems.append(f"{name}.yaml: section {where}: unknown skill {s!r}")
                al.sections.setdefault(s, []).append(str(where))
        for grade_id, ids in (skills.get("exercises") or {}).items():
            if grade_id not in exercises:
                al.map_problems.append(
                    f"{name}.yaml: exercise {grade_id!r} is not a solution cell of the {name} notebook"
                )
            for s in ids or []:
                if s not in known:
                    al.map_problems.append(f"{name}.yaml: exercise {grade_id}: unknown skill {s!r}")
                al.exercises.setdefault(s, []).append(f"{name}:{grade_id}")


def collect(root: Path = ROOT) -> Alignment:
    """Everything the report and the blueprint tests need, from the files as they are now."""
    al = Alignment(blueprint=bp_mod.load(), items=[])
    for name in bank.available():
        data = bank.load(name)
        key = graded_key(name, root)
        al.quality[name] = bank_quality.measure(bank_quality.keyed_items(data, key))
        graded = [(q, True) for q in data.get("graded", [])]
        for q, is_graded in [(q, False) for q in bank.iter_questions(data)] + graded:
            missing = bank.missing_tags(q)
            if is_graded:
                missing += [f"key {f}" for f in bank.missing_tags(key.get(q["id"]) or {}, bank.KEY_TAG_FIELDS)]
            item = Item(
                id=q["id"],
                bank=name,
                graded=is_graded,
                task=str(q["exam_task"]),
                skills=tuple(q.get("skills") or ()),
                genai=q.get("genai"),
                missing=tuple(missing),
            )
            al.items.append(item)
            for s in item.skills:
                al.questions.setdefault(s, []).append(item.id)
    _read_maps(al, root)
    return al


# ---------------------------------------------------------------------------------------------
# Practice-exam capacity


def capacity(target: int = CAPACITY_TARGET) -> tuple[int, str | None]:
    """How many consecutive full exams (each scoring none of the questions scored before) the
    pool supplies, up to ``target``, and what runs short first (None when all were built)."""
    from course.exam.assemble import ExamBuildError, assemble

    scored: set[str] = set()
    for n in range(target):
        try:
            exam = assemble(seed=n, exclude=scored)
        except ExamBuildError as exc:
            return n, f"exam {n + 1}: {exc}"
        if exam.shortfalls:
            tasks = ", ".join(f"task {t} needs {want} and gets {got}" for t, want, got in exam.shortfalls)
            return n, f"exam {n + 1}: {tasks}"
        scored |= {i["id"] for i in exam.items if i["scored"]}
    return target, None


# ---------------------------------------------------------------------------------------------
# Rendering


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f} %" if total else "-"


def _cell(values: list[str], empty: str = "—") -> str:
    return ", ".join(values) if values else empty


def domain_table(al: Alignment) -> str:
    pool = [i for i in al.items if not i.graded]
    total = len(pool)
    rows = [
        "| Domain | Official weight | Scored pool | Share | Difference | GenAI | Background | Not tagged | GenAI share |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for d in al.blueprint.domains:
        mine = [i for i in pool if i.task.split(".")[0] == str(d.id)]
        share = 100 * len(mine) / total if total else 0.0
        genai = sum(1 for i in mine if i.genai is True)
        background = sum(1 for i in mine if i.genai is False)
        untagged = len(mine) - genai - background
        rows.append(
            f"| {d.id}. {d.name} | {d.weight} % | {len(mine)} | {share:.1f} % | {share - d.weight:+.1f} | "
            f"{genai} | {background} | {untagged} | {_pct(genai, len(mine))} |"
        )
    genai = sum(1 for i in pool if i.genai is True)
    background = sum(1 for i in pool if i.genai is False)
    rows.append(
        f"| **All** | 100 % | {total} | 100 % | | {genai} | {background} | {total - genai - background} | "
        f"{_pct(genai, total)} |"
    )
    return "\n".join(rows)


def task_table(al: Alignment) -> str:
    rows = [
        "| Task | Title | Skills | Self-check questions | Graded | Exercises | Sections | Skills covered | Pending |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t in al.blueprint.tasks:
        ids = [s.id for s in t.skills]
        pool = sum(1 for i in al.items if not i.graded and i.task == t.id)
        graded = sum(1 for i in al.items if i.graded and i.task == t.id)
        exercises = sorted({e for s in ids for e in al.exercises.get(s, [])})
        sections = sorted({x for s in ids for x in al.sections.get(s, [])})
        covered = sum(1 for s in ids if al.covered(s))
        pending = sum(1 for s in ids if s in al.blueprint.pending)
        rows.append(
            f"| {t.id} | {t.title} | {len(ids)} | {pool} | {graded} | {len(exercises)} | {len(sections)} | "
            f"{covered} | {pending} |"
        )
    return "\n".join(rows)


def _status(al: Alignment, skill: str) -> str:
    if al.covered(skill):
        return "covered" + (" (still listed as pending)" if skill in al.blueprint.pending else "")
    entry = al.blueprint.pending.get(skill)
    if entry:
        return f"pending, issue {entry['issue']}: {entry['reason']}"
    return "**not covered, not pending**"


def skill_tables(al: Alignment) -> str:
    parts = []
    for d in al.blueprint.domains:
        parts.append(f"### Domain {d.id}: {d.name}\n")
        parts.append("| Skill | What it asks | Taught in | Practised in | Asked in | Status |")
        parts.append("|---|---|---|---|---|---|")
        for t in d.tasks:
            for s in t.skills:
                asked = sorted(al.questions.get(s.id, []))
                taught = _cell(sorted(set(al.sections.get(s.id, []))))
                practised = _cell(sorted(set(al.exercises.get(s.id, []))))
                asked_in = f"{len(asked)}: {', '.join(asked)}" if asked else "0"
                parts.append(f"| {s.id} | {s.text} | {taught} | {practised} | {asked_in} | {_status(al, s.id)} |")
        parts.append("")
    return "\n".join(parts)


def tagging_table(al: Alignment) -> str:
    rows = [
        "| Bank | Questions | With skills | With genai | With sources | With reviewed | Complete |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in sorted({i.bank for i in al.items}):
        mine = [i for i in al.items if i.bank == name]
        count = Counter(f for i in mine for f in i.missing)
        row = [str(len(mine) - count[f]) for f in bank.TAG_FIELDS]
        complete = sum(1 for i in mine if not i.missing)
        rows.append(f"| {name} | {len(mine)} | {' | '.join(row)} | {complete} |")
    return "\n".join(rows)


def quality_table(al: Alignment) -> str:
    rows = [
        "| Bank | Key strictly longest (≤ 30 %) | Options within ±20 % of the key | Key letters a/b/c/d | "
        "Multi: a is a key (≤ 60 %) | Multi: keys = first N (≤ 25 %) | Matching in prompt order (≤ 20 %) | Limits broken |",
        "|---|---|---|---|---|---|---|---|",
    ]
    metrics = dict(al.quality)
    everything = bank_quality.Metrics(
        key_longest=_sum(m.key_longest for m in metrics.values()),
        near_lengths=_sum(m.near_lengths for m in metrics.values()),
        letters={k: sum(m.letters.get(k, 0) for m in metrics.values()) for k in "abcd"},
        multi_a_key=_sum(m.multi_a_key for m in metrics.values()),
        multi_first_n=_sum(m.multi_first_n for m in metrics.values()),
        matching_prompt_order=_sum(m.matching_prompt_order for m in metrics.values()),
        ordering_answer_order=_sum(m.ordering_answer_order for m in metrics.values()),
    )
    for name, m in [*sorted(metrics.items()), ("**all banks**", everything)]:
        letters = "/".join(str(m.letters.get(k, 0)) for k in "abcd")
        rows.append(
            f"| {name} | {m.key_longest.text()} | {m.near_lengths.text()} | {letters} | {m.multi_a_key.text()} | "
            f"{m.multi_first_n.text()} | {m.matching_prompt_order.text()} | {len(bank_quality.problems(m))} |"
        )
    return "\n".join(rows)


def _sum(shares) -> bank_quality.Share:
    hits: list[str] = []
    total = 0
    for s in shares:
        hits += s.hits
        total += s.total
    return bank_quality.Share(tuple(hits), total)


def render(al: Alignment, exams: tuple[int, str | None] | None = None) -> str:
    pool = [i for i in al.items if not i.graded]
    covered = sum(1 for s in al.blueprint.skills if al.covered(s.id))
    pending = Counter(v["issue"] for v in al.blueprint.pending.values())
    lost = al.uncovered_not_pending()
    lines = [
        "# The course against the AIP-C01 blueprint",
        "",
        "Generated by `python -m tools.blueprint_report` from `course/data/blueprint.yaml`, the coverage maps "
        "(`course/data/coverage/*.yaml`, key `skills:`), the question banks and the graded keys. Do not edit it "
        "by hand: `tests/test_blueprint.py` fails when it differs from a fresh generation.",
        "",
        f"- **Skills**: {len(al.blueprint.skills)} in {len(al.blueprint.tasks)} task statements; {covered} covered "
        f"(at least {MIN_SECTIONS} teaching section and {MIN_QUESTIONS} questions), "
        f"{len(al.blueprint.pending)} pending ("
        + ", ".join(f"issue {k}: {v}" for k, v in sorted(pending.items()))
        + f"), {len(lost)} neither{': ' + ', '.join(lost) if lost else ''}.",
        f"- **Questions**: {len(pool)} self-check questions (the practice exam's scored pool, case-study "
        f"sub-questions counted one by one) and {len(al.items) - len(pool)} graded-quiz questions; "
        f"{sum(1 for i in al.items if not i.missing)} of {len(al.items)} carry skills, genai, sources and a "
        "review date.",
    ]
    if exams is not None:
        n, why = exams
        lines.append(
            f"- **Practice exams without scoring a question twice**: {n} of the {CAPACITY_TARGET} required"
            + (f" ({why})." if why else ".")
        )
    lines += [
        "",
        "## By exam domain",
        "",
        "Share of the scored pool (self-check questions, by exam task) against the official weight, and how "
        "many test generative-AI knowledge rather than background AWS knowledge (`genai:`). Targets: within "
        "±2 points of the weight; at least 70 % GenAI in every domain.",
        "",
        domain_table(al),
        "",
        "## By task statement",
        "",
        "The practice exam draws each domain's scored questions by task statement, in proportion to each "
        "task's number of skills (see `course/exam/assemble.py`).",
        "",
        task_table(al),
        "",
        "## Tagging and sourcing",
        "",
        "Every question carries `skills`, `genai`, `sources` and `reviewed`; graded questions count their key "
        "entry's `sources` and `reviewed` too.",
        "",
        tagging_table(al),
        "",
        "## Test-wise giveaways",
        "",
        "Measured in stored order on self-check and graded questions (`course/bank_quality.py`); the quizzes "
        "also shuffle choices per learner and per exam attempt.",
        "",
        quality_table(al),
        "",
        "## By skill",
        "",
        "Taught in: notebook sections (`notebook#anchor`); practised in: autograded exercises "
        "(`notebook:grade_id`); asked in: questions tagged with the skill (self-check and graded).",
        "",
        skill_tables(al),
    ]
    return "\n".join(lines).rstrip() + "\n"


def prune_pending(al: Alignment, path: Path = ROOT / "course" / "data" / "blueprint.yaml") -> list[str]:
    """Delete the ``pending:`` lines of skills that are covered now (comments and order kept)."""
    done = set(al.pending_but_covered())
    if not done:
        return []
    lines = path.read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not any(line.lstrip().startswith(f'"{s}":') for s in done)]
    path.write_text("".join(kept), encoding="utf-8")
    bp_mod.load.cache_clear()
    bp_mod.skill_ids.cache_clear()
    return sorted(done)


def generate(root: Path = ROOT) -> str:
    return render(collect(root), capacity())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/blueprint.md is out of date")
    parser.add_argument("--prune-pending", action="store_true", help="drop covered skills from pending: first")
    args = parser.parse_args(argv)
    if args.prune_pending:
        dropped = prune_pending(collect())
        print(f"removed from pending: {', '.join(dropped) or 'nothing'}")
    text = generate()
    if args.check:
        if not DOC.exists() or DOC.read_text("utf-8") != text:
            print("docs/blueprint.md is out of date: run python -m tools.blueprint_report", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
