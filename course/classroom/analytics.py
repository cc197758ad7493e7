"""Per-item statistics for an assignment across the class, from the gradebook and the submitted quiz answers.

    python -m course.classroom.analytics security --out reports/security [--root .] [--db URL]

Writes ``items.csv`` (one row per graded-quiz question and per exercise test cell) and two
plots: ``difficulty.png`` (share correct per item, flagged items in red) and
``discrimination.png`` (share correct against upper-lower discrimination). Items that
nobody earns, that weaker students earn more often than stronger ones, or that fewer than
30% earn are flagged (see ``stats.flag``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from course.classroom import stats

QUIZ_PREFIX = "quiz-"
COLUMNS = [
    "item",
    "kind",
    "points",
    "students",
    "share_correct",
    "mean_score",
    "discrimination_27",
    "point_biserial",
    "most_chosen_wrong",
    "most_chosen_wrong_share",
    "flag",
]


@dataclass
class Item:
    item: str
    kind: str
    points: float
    students: int
    share_correct: float | None
    mean_score: float | None
    discrimination_27: float | None
    point_biserial: float | None
    most_chosen_wrong: str | None
    most_chosen_wrong_share: float
    flag: str


def gradebook_scores(db_url: str, course_id: str, assignment: str) -> tuple[dict, dict]:
    """Per student: {item: (score, max)} and the total score (manual grades win over auto grades)."""
    from nbgrader.api import Gradebook

    items: dict[str, dict[str, tuple[float, float]]] = {}
    totals: dict[str, float] = {}
    with Gradebook(db_url, course_id=course_id) as gb:
        for sub in gb.find_assignment(assignment).submissions:
            cells = items.setdefault(sub.student.id, {})
            for nb in sub.notebooks:
                for g in nb.grades:
                    cells[g.name] = (g.score or 0.0, g.max_score)
            totals[sub.student.id] = sum(s for s, _ in cells.values())
    return items, totals


def question_types(assignment: str) -> dict[str, str]:
    """Graded question id -> type, from the installed question bank (empty if there is none)."""
    try:
        from course import bank

        return {q["id"]: q["type"] for q in bank.load(assignment).get("graded", [])}
    except Exception:  # a missing or unreadable bank only costs nicer answer labels
        return {}


def label(response, qtype: str | None = None) -> str | None:
    """One readable string per distinct answer: 'b', 'a+c' (any order), 'c>a>b' (ordering), 'p1=r2; p2=r1'."""
    if response is None:
        return None
    if isinstance(response, dict):
        return "; ".join(f"{k}={v}" for k, v in sorted(response.items()))
    if isinstance(response, list):
        return ">".join(map(str, response)) if qtype == "ordering" else "+".join(sorted(map(str, response)))
    return str(response)


def quiz_responses(course_root: Path, assignment: str, students: list[str]) -> dict[str, dict]:
    """Per student, the graded-quiz responses in their submitted graded_answers.json."""
    from course import answers

    out = {}
    for student in students:
        path = course_root / "submitted" / student / assignment / answers.FILENAME
        out[student] = answers.read(path).responses
    return out


def item_table(items: dict, totals: dict, responses: dict, qtypes: dict[str, str]) -> list[Item]:
    names = sorted({name for cells in items.values() for name in cells})
    table = []
    for name in names:
        who = [s for s in items if name in items[s]]
        points = max(items[s][name][1] for s in who)
        scores = {s: items[s][name][0] for s in who}
        correct = {s: points > 0 and scores[s] >= points for s in who}
        p = stats.share(list(correct.values()))
        d = stats.upper_lower(correct, totals)
        wrong, wrong_share = None, 0.0
        kind = "quiz" if name.startswith(QUIZ_PREFIX) else "exercise"
        if kind == "quiz":
            qid = name[len(QUIZ_PREFIX) :]
            chosen = {s: label(responses.get(s, {}).get(qid), qtypes.get(qid)) for s in who}
            wrong, wrong_share = stats.most_chosen_wrong(chosen, correct)
        table.append(
            Item(
                name,
                kind,
                points,
                len(who),
                p,
                sum(scores.values()) / len(who) if who else None,
                d,
                stats.point_biserial(scores, totals),
                wrong,
                wrong_share,
                stats.flag(p, d),
            )
        )
    return table


def write_csv(table: list[Item], path: Path) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for item in table:
            row = asdict(item)
            writer.writerow({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()})


def plot(table: list[Item], out: Path, title: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [i.item for i in table]
    shares = [i.share_correct or 0 for i in table]
    colours = ["#c0392b" if i.flag and not i.flag.startswith("weak") else "#2e86c1" for i in table]
    fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(table)), 4.5))
    ax.bar(names, shares, color=colours)
    ax.axhline(stats.HARD, color="grey", linestyle="--", linewidth=1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share correct")
    ax.set_title(f"{title}: share correct per item (red: flagged)")
    ax.tick_params(axis="x", rotation=70, labelsize=8)
    fig.tight_layout()
    difficulty = out / "difficulty.png"
    fig.savefig(difficulty, dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4.5))
    for item, colour in zip(table, colours):
        if item.discrimination_27 is None or item.share_correct is None:
            continue
        ax.scatter(item.share_correct, item.discrimination_27, color=colour)
        ax.annotate(item.item, (item.share_correct, item.discrimination_27), fontsize=7)
    ax.axhline(stats.WEAK, color="grey", linestyle="--", linewidth=1)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("share correct (difficulty)")
    ax.set_ylabel("discrimination (upper - lower 27%)")
    ax.set_title(f"{title}: difficulty vs discrimination")
    fig.tight_layout()
    discrimination = out / "discrimination.png"
    fig.savefig(discrimination, dpi=110)
    plt.close(fig)
    return [difficulty, discrimination]


def analyse(course_root: Path, assignment: str, out: Path, db_url: str | None = None, course_id: str | None = None):
    """Compute the table, write items.csv and the plots into ``out``; returns the table."""
    from course.classroom import nbconfig

    config = nbconfig.load(course_root)
    course_id = course_id if course_id is not None else config.get("CourseDirectory", {}).get("course_id", "")
    db_url = db_url or f"sqlite:///{course_root / 'gradebook.db'}"
    items, totals = gradebook_scores(db_url, course_id, assignment)
    responses = quiz_responses(course_root, assignment, sorted(items))
    table = item_table(items, totals, responses, question_types(assignment))
    out.mkdir(parents=True, exist_ok=True)
    write_csv(table, out / "items.csv")
    if table:
        plot(table, out, assignment)
    (out / "summary.json").write_text(
        json.dumps({"assignment": assignment, "students": len(items), "flagged": [i.item for i in table if i.flag]})
    )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--out", type=Path, required=True, help="folder for items.csv and the plots")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course directory (default: here)")
    parser.add_argument("--db", help="gradebook URL (default: sqlite:///<root>/gradebook.db)")
    args = parser.parse_args(argv)
    table = analyse(args.root.resolve(), args.assignment, args.out, args.db)
    if not table:
        print(f"no graded submissions of {args.assignment} in the gradebook", file=sys.stderr)
        return 1
    print(f"{'item':<34}{'kind':<10}{'correct':>8}{'D27':>7}  flag")
    for i in table:
        d = "" if i.discrimination_27 is None else f"{i.discrimination_27:.2f}"
        print(f"{i.item:<34}{i.kind:<10}{(i.share_correct or 0):>8.0%}{d:>7}  {i.flag}")
    print(f"\nwrote {args.out / 'items.csv'}, difficulty.png and discrimination.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
