"""The score report of a submitted attempt: scaled score, per-domain table and chart
(weakest domain first), and where each missed question is taught."""

from __future__ import annotations

from typing import Any

from course.exam import settings as settings_mod

SCALE_NOTE = (
    "The scaled score is an estimate: AWS does not publish how it scales results. The course maps the share "
    "of scored questions right linearly through 0 % → 100, 72 % → 750 (pass) and 100 % → 1,000."
)


def domain_frame(result: dict, cfg: settings_mod.Settings | None = None):
    """One row per exam domain, weakest first (domains without scored questions last)."""
    import pandas as pd

    cfg = cfg or settings_mod.load()
    rows = []
    for d in sorted(cfg.domain_weights):
        cell = result["by_domain"].get(str(d), {"correct": 0, "total": 0, "status": "no questions"})
        total = cell["total"]
        rows.append(
            {
                "domain": d,
                "name": cfg.domain_names.get(d, ""),
                "weight %": cfg.domain_weights[d],
                "scored questions": total,
                "correct": cell["correct"],
                "percent": round(100 * cell["correct"] / total, 1) if total else None,
                "status": cell.get("status", ""),
            }
        )
    frame = pd.DataFrame(rows)
    frame["_empty"] = frame["scored questions"] == 0
    frame = frame.sort_values(["_empty", "percent", "weight %"], ascending=[True, True, False], na_position="last")
    return frame.drop(columns="_empty").reset_index(drop=True)


def plot_domains(result: dict, ax=None, cfg: settings_mod.Settings | None = None):
    """Horizontal bars of percent right per domain, weakest on top, with the 72 % line."""
    import matplotlib.pyplot as plt

    frame = domain_frame(result, cfg)
    frame = frame[frame["scored questions"] > 0]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * max(1, len(frame))))
    labels = [f"D{d} ({w}%)" for d, w in zip(frame["domain"], frame["weight %"])]
    colors = ["#1a7f37" if s == "meets" else "#cf222e" for s in frame["status"]]
    ax.barh(labels[::-1], list(frame["percent"])[::-1], color=colors[::-1])
    ax.axvline(72, color="#57606a", linestyle="--", linewidth=1)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of scored questions right (dashed: 72 %)")
    ax.set_title("By exam domain, weakest first")
    return ax


def missed_frame(result: dict):
    """The questions not answered right, in exam order, with where each is taught."""
    import pandas as pd

    rows = [
        {
            "number": n + 1,
            "id": q["id"],
            "exam domain": q["domain"],
            "answered": q["answered"],
            "taught in": q.get("taught_in"),
            "notes section": q.get("notes_section"),
            "scored": q["scored"],
        }
        for n, q in enumerate(result["questions"])
        if not q["correct"]
    ]
    return pd.DataFrame(
        rows, columns=["number", "id", "exam domain", "answered", "taught in", "notes section", "scored"]
    )


def summary_html(result: dict, cfg: settings_mod.Settings | None = None) -> str:
    from course.quiz_widgets import text_html

    cfg = cfg or settings_mod.load()
    verdict = (
        "<span style='color:#1a7f37'><b>PASS</b></span>"
        if result["passed"]
        else "<span style='color:#cf222e'><b>FAIL</b></span>"
    )
    auto = " It was submitted automatically when the time ran out." if result.get("auto_submitted") else ""
    notice = f"<div style='color:#8a6d00'>{text_html(result['notice'])}</div>" if result.get("notice") else ""
    return (
        f"<h3>Score: {result['scaled']} / 1000 — {verdict} (pass mark {cfg.passing_score})</h3>"
        f"<div>{result['correct']} of {result['n_scored']} scored questions right ({result['percent']} %); "
        f"{result['n_questions'] - result['n_scored']} unscored question(s) did not count.{auto}</div>"
        f"{notice}<div style='color:#57606a;font-size:90%'>{SCALE_NOTE}</div>"
    )


def _missed_details(result: dict, items: list[dict], responses: dict[str, Any]) -> str:
    from course import quiz, shuffle
    from course.quiz_widgets import text_html

    parts = []
    for n, (outcome, item) in enumerate(zip(result["questions"], items)):
        if outcome["correct"]:
            continue
        q = item["question"]
        if result.get("attempt_id"):  # letters as the learner saw them in this attempt
            q = shuffle.for_attempt(q, result["attempt_id"])
        response = responses.get(item["id"])
        body = quiz.explain(q, q["answer"], response) if outcome["answered"] else "<i>Not answered.</i>"
        case = f"<i>Case study: {text_html(item['case']['title'])}.</i> " if item.get("case") else ""
        tag = "" if outcome["scored"] else " <i>(unscored)</i>"
        parts.append(
            f"<details><summary>Question {n + 1}{tag}: {text_html(q['stem'][:110])}</summary>{case}"
            f"<div><b>{text_html(q['stem'])}</b></div>{body}"
            f"<div>📖 Taught in <code>{text_html(q['taught_in'])}</code> (notes: {text_html(q['notes_section'])}).</div></details>"
        )
    return "".join(parts)


def build_report(result: dict, items: list[dict] | None = None, responses: dict[str, Any] | None = None):
    """The report widget: summary, per-domain table and chart, missed questions, trend."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    from course.exam import history

    cfg = settings_mod.load()
    table, chart, missed, trend = w.Output(), w.Output(), w.Output(), w.Output()
    with table:
        display(domain_frame(result, cfg))
    with chart:
        fig, ax = plt.subplots(figsize=(6, 3))
        plot_domains(result, ax, cfg)
        fig.tight_layout()
        display(fig)
        plt.close(fig)
    frame = missed_frame(result)
    with missed:
        if len(frame):
            display(frame)
        else:
            display(w.HTML("<b>No missed questions.</b>"))
    with trend:
        fig, ax = plt.subplots(figsize=(6, 3))
        history.plot_trend(None, ax, cfg.passing_score)
        fig.tight_layout()
        display(fig)
        plt.close(fig)
    parts = [
        w.HTML(summary_html(result, cfg)),
        w.HTML("<h4>By exam domain (weakest first)</h4>"),
        table,
        chart,
        w.HTML(f"<h4>Missed questions ({len(frame)}) and where they are taught</h4>"),
        missed,
    ]
    if items is not None:
        parts.append(w.HTML(_missed_details(result, items, responses or {})))
    parts += [w.HTML("<h4>Trend over your attempts</h4>"), trend]
    return w.VBox(parts)
