"""Quizzes in a notebook: self-check questions with instant feedback, and the graded quiz.

``show(domain, anchor)`` renders the self-check questions taught in one section;
``graded(domain)`` renders the graded quiz, saving every click to the answers file
beside the notebook (see :mod:`course.answers`).
"""

from __future__ import annotations

from typing import Any

from course import answers, bank, scoring, shuffle
from course.quiz_widgets import QuestionInput, label_of, text_html


def _where(q: dict, notebook: str) -> str:
    domain, anchor = q["taught_in"].split("#", 1)
    link = f"<a href='../{notebook}#{anchor}'>{domain} notebook, section “{anchor}”</a>"
    return f"<div style='margin-top:0.4em'>📖 Taught in the {link} (notes: {text_html(q['notes_section'])}).</div>"


def explain(q: dict, answer: Any, response: Any) -> str:
    """HTML: whether ``response`` is right, then an explanation of every choice."""
    kind = q["type"]
    if not scoring.is_complete(q, response):
        return "<div style='color:#8a6d00'>⚠️ Answer every part of the question first.</div>"
    right = scoring.is_correct(q, response, answer)
    verdict = (
        "<div style='color:#1a7f37'><b>✅ Correct.</b></div>"
        if right
        else "<div style='color:#cf222e'><b>❌ Not quite.</b> The explanations below say why.</div>"
    )
    rows = []
    if kind in ("single", "multi"):
        correct = {answer} if kind == "single" else set(answer)
        chosen = {response} if kind == "single" else set(response)
        for o in q["options"]:
            mark = "✔️ correct" if o["id"] in correct else "✖️ wrong"
            you = " — <i>your choice</i>" if o["id"] in chosen else ""
            rows.append(f"<li><b>{label_of(q, o['id'])}</b> ({mark}{you}): {text_html(o['why'])}</li>")
    elif kind == "ordering":
        items = {i["id"]: i for i in q["items"]}
        for n, iid in enumerate(answer):
            ok = "✔️" if n < len(response) and response[n] == iid else "✖️"
            rows.append(
                f"<li>{ok} {n + 1}. <b>{label_of(q, iid)}</b> {text_html(items[iid]['text'])}: {text_html(items[iid]['why'])}</li>"
            )
    else:
        responses = {r["id"]: r for r in q["responses"]}
        for p in q["prompts"]:
            good = answer[p["id"]]
            ok = "✔️" if response.get(p["id"]) == good else "✖️"
            rows.append(
                f"<li>{ok} <b>{label_of(q, p['id'])}</b> → <b>{label_of(q, good)}</b> "
                f"({text_html(responses[good]['text'])}): {text_html(p['why'])}</li>"
            )
        unused = [r for r in q["responses"] if r["id"] not in answer.values()]
        rows += [f"<li><b>{label_of(q, r['id'])}</b> matches nothing: {text_html(r['why'])}</li>" for r in unused]
    return verdict + "<ul>" + "".join(rows) + "</ul>"


def self_check_card(q: dict, notebook: str):
    """One self-check question: controls, a Check button, and feedback (choices in this learner's order)."""
    import ipywidgets as w

    q = shuffle.for_learner(q)
    qi = QuestionInput(q, count=scoring.expected_count(q, q["answer"]))
    feedback = w.HTML()
    button = w.Button(description="Check answer", button_style="primary", icon="check")

    def check(_button: Any = None) -> None:
        feedback.value = explain(q, q["answer"], qi.response) + _where(q, notebook)
        from course import progress

        if scoring.is_complete(q, qi.response):
            progress.record_self_check(q["id"], scoring.is_correct(q, qi.response, q["answer"]))

    button.on_click(check)
    card = w.VBox(
        [qi.box, button, feedback], layout=w.Layout(border="1px solid #d0d7de", padding="0.6em", margin="0.4em 0")
    )
    card.check = check  # for tests and keyboard users who run code
    card.input = qi
    return card


def case_card(case: dict, notebook: str):
    import ipywidgets as w

    head = w.HTML(
        f"<div style='background:#f6f8fa;padding:0.6em'><b>Case study: {text_html(case['title'])}</b>"
        f"<p>{text_html(case['scenario'])}</p><i>{len(case['questions'])} questions, each scored on its own.</i></div>"
    )
    return w.VBox([head, *[self_check_card(q, notebook) for q in case["questions"]]])


def build_section(domain: str, anchor: str | None = None):
    """The widget for the self-check questions taught in ``domain#anchor`` (all when None)."""
    import ipywidgets as w

    data = bank.load(domain)
    target = f"{domain}#{anchor}" if anchor else None
    cards = []
    for q in data["questions"]:
        if q["type"] == "case_study":
            if target is None or any(sub["taught_in"] == target for sub in q["questions"]):
                cards.append(case_card(q, data["notebook"]))
        elif target is None or q["taught_in"] == target:
            cards.append(self_check_card(q, data["notebook"]))
    if not cards:
        return w.HTML(f"<i>No self-check questions for this section yet ({text_html(target or domain)}).</i>")
    title = w.HTML(f"<b>Self-check</b> ({len(cards)} question{'s' if len(cards) > 1 else ''}; not graded)")
    return w.VBox([title, *cards])


def show(domain: str, anchor: str | None = None) -> None:
    """Display the self-check questions of one section (or of the whole domain)."""
    from IPython.display import display

    display(build_section(domain, anchor))


def graded_card(q: dict, saved: Any, path=None):
    """One graded question: every change is saved at once; no feedback until grading. The
    choices are in this learner's order, the same after a restart; answers are saved as ids."""
    import ipywidgets as w

    q = shuffle.for_learner(q)
    status = w.HTML()

    def describe(response: Any) -> str:
        if response in (None, [], {}):
            return "<span style='color:#57606a'>Not answered yet.</span>"
        if not scoring.is_complete(q, response):
            return "<span style='color:#8a6d00'>Saved, but incomplete: answer every part.</span>"
        wanted = q.get("choose")
        if wanted and len(response) != wanted:
            return f"<span style='color:#8a6d00'>Saved: {len(response)} chosen; this question asks for {wanted}.</span>"
        return "<span style='color:#1a7f37'>✔ Saved.</span>"

    def save() -> None:
        try:
            notice = answers.save(q["id"], qi.response, path)
        except OSError as exc:
            status.value = f"<span style='color:#cf222e'>Could not save ({text_html(str(exc))}). Check the folder is writable, then answer again.</span>"
            return
        status.value = describe(qi.response) + (
            f"<br><span style='color:#8a6d00'>{text_html(notice)}</span>" if notice else ""
        )

    qi = QuestionInput(q, count=q.get("choose"), on_change=save)
    if saved is not None:
        qi.set_response(saved)
    status.value = describe(saved)
    card = w.VBox(
        [w.HTML(f"<b>{text_html(q['id'])}</b>"), qi.box, status],
        layout=w.Layout(border="1px solid #d0d7de", padding="0.6em", margin="0.4em 0"),
    )
    card.input = qi
    card.status = status
    return card


def build_graded(domain: str, path=None):
    import ipywidgets as w

    data = bank.load(domain)
    saved = answers.read(path)
    intro = (
        f"<b>Graded quiz: {len(data.get('graded', []))} questions.</b> Your choices are saved the moment you "
        f"make them, to <code>{answers.FILENAME}</code> beside this notebook, and are submitted with it. "
        "There is no feedback until grading. Change an answer at any time before you submit."
    )
    parts = [w.HTML(intro)]
    if saved.problem:
        parts.append(
            w.HTML(f"<div style='color:#cf222e'>⚠️ {text_html(saved.problem)} Answer again to start a fresh file.</div>")
        )
    parts += [graded_card(q, saved.responses.get(q["id"]), path) for q in data.get("graded", [])]
    return w.VBox(parts)


def graded(domain: str) -> None:
    """Display the graded quiz of ``domain``."""
    from IPython.display import display

    display(build_graded(domain))
