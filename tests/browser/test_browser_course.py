"""The course as a learner uses it, in a real browser: a domain notebook's self-check and
graded quiz, and the practice exam."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.browser.lab import (
    KERNEL_START,
    UI,
    code_cell,
    menu,
    open_notebook,
    run_all,
    run_cell,
    shot,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECURITY = "security/security.ipynb"
ANSWERED = 8  # practice-exam questions answered before submitting
SETUP_CELL = "aws = sandbox.start()"
GRADED_CELL = 'quiz.graded("security")'
VBOX = "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' widget-vbox ')]"


def self_check_card(page, stem: str):
    """The self-check card (question, Check button, feedback) whose stem starts with ``stem``."""
    return page.get_by_text(stem).locator(f"{VBOX}[2]")


def graded_card(cell, qid: str):
    return cell.locator(".widget-html-content > b", has_text=re.compile(rf"^{qid}$")).locator(f"{VBOX}[1]")


def shown_letters(q: dict, owner: str) -> dict[str, str]:
    """The letter each choice of ``q`` is shown under, for a learner or exam attempt id (course.shuffle)."""
    from course import shuffle

    shown = shuffle.displayed(q, shuffle.seed(owner, q["id"]))
    choices = shown.get("options") or shown.get("items") or shown["responses"]
    return {c["id"]: chr(ord("A") + n) for n, c in enumerate(choices)}


def learner(lab) -> str:
    """The learner id the lab's kernel created in its AIP_COURSE_HOME on the first quiz."""
    return json.loads((lab.scratch / "home" / "learner.json").read_text())["id"]


def security_question(qid: str) -> dict:
    from course import bank

    data = bank.load("security")
    return next(q for q in [*bank.iter_questions(data), *data.get("graded", [])] if q["id"] == qid)


def iam_self_checks() -> list[dict]:
    """The first two single-answer self-check questions of the security notebook's IAM section
    (read from the bank, so that rewriting a question does not break the test)."""
    from course import bank

    data = bank.load("security")
    return [q for q in data["questions"] if q["type"] == "single" and q["taught_in"] == "security#iam"][:2]


def stem_start(q: dict) -> str:
    """Enough of the stem to find its card: the words before any `code` span, at most 50 characters."""
    return q["stem"].split("`", 1)[0][:50].rsplit(" ", 1)[0]


def test_self_check_gives_feedback(page, learner_lab):
    from playwright.sync_api import expect

    open_notebook(page, learner_lab, SECURITY, "self-check")
    shot(page, "01-security-opened")
    run_all(page)
    # Run All stops at the first exercise left for the learner (NotImplementedError): the
    # setup cell and the IAM self-check above it have run.
    setup = code_cell(page, SETUP_CELL)
    expect(setup.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"))

    first, second = iam_self_checks()
    card = self_check_card(page, stem_start(first))
    card.scroll_into_view_if_needed()
    expect(card.get_by_text("Multiple choice: choose ONE.")).to_be_visible()
    expect(card.get_by_role("radio")).to_have_count(4)
    expect(card).not_to_contain_text("Correct.")
    # Options are shown in this learner's order: find the key's letter as the course does.
    key = shown_letters(first, learner(learner_lab))[first["answer"]]
    card.get_by_role("radio", name=key, exact=True).check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.get_by_text("✅ Correct.")).to_be_visible(timeout=UI)
    expect(card).to_contain_text("your choice")
    expect(card).to_contain_text("Taught in the")
    card.evaluate("el => el.scrollIntoView({block: 'center'})")
    shot(page, "02-self-check-correct", docs="self-check-feedback")

    # A wrong answer, given with the keyboard only: Tab through the options to D (or C when D
    # is the key), Space to choose it, Tab past the remaining options to the button, Enter.
    # (ipywidgets 8 renders RadioButtons without a shared `name`, so each option is its own Tab
    # stop and arrow keys do not move the choice.) Which branch runs depends on the learner's
    # shuffle, so both are written out.
    card2 = self_check_card(page, stem_start(second))
    card2.scroll_into_view_if_needed()
    wrong = "D" if shown_letters(second, learner(learner_lab))[second["answer"]] != "D" else "C"
    card2.get_by_role("radio", name="A", exact=True).focus()
    for _ in range("ABCD".index(wrong)):
        page.keyboard.press("Tab")
    expect(card2.get_by_role("radio", name=wrong, exact=True)).to_be_focused()
    page.keyboard.press("Space")
    expect(card2.get_by_role("radio", name=wrong, exact=True)).to_be_checked()
    for _ in range(len("ABCD") - "ABCD".index(wrong)):
        page.keyboard.press("Tab")
    expect(card2.get_by_role("button", name="Check answer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(card2.get_by_text("❌ Not quite.")).to_be_visible(timeout=UI)
    card2.evaluate("el => el.scrollIntoView({block: 'center'})")
    shot(page, "03-self-check-wrong-by-keyboard")

    # Each checked answer is recorded for the dashboard, in AIP_COURSE_HOME.
    progress = learner_lab.scratch / "home" / "progress.jsonl"
    lines = [json.loads(line) for line in progress.read_text().splitlines() if line.strip()]
    assert {first["id"], second["id"]} <= {str(r.get("id") or r.get("qid")) for r in lines}, lines


def test_graded_answer_survives_restart_and_reload(page, learner_lab):
    from playwright.sync_api import expect

    answers_file = learner_lab.root_dir / "security" / "graded_answers.json"
    answers_file.unlink(missing_ok=True)
    open_notebook(page, learner_lab, SECURITY, "graded")
    run_cell(page, SETUP_CELL)
    cell = run_cell(page, GRADED_CELL)
    g1, g4 = graded_card(cell, "sec-g1"), graded_card(cell, "sec-g4")
    g1.scroll_into_view_if_needed()
    expect(g1.get_by_text("Not answered yet.")).to_be_visible()
    # Choices are shown in this learner's order (the same after the restart below): the
    # letters of option ids c (sec-g1) and a, d, b (sec-g4).
    g1_letter = shown_letters(security_question("sec-g1"), learner(learner_lab))
    g4_letter = shown_letters(security_question("sec-g4"), learner(learner_lab))

    g1.get_by_role("radio", name=g1_letter["c"], exact=True).check()
    expect(g1.get_by_text("✔ Saved.")).to_be_visible(timeout=UI)
    g4.scroll_into_view_if_needed()
    g4.get_by_role("checkbox", name=g4_letter["a"], exact=True).check()
    # Saved at once, with a reminder that the question asks for two.
    expect(g4.get_by_text("Saved: 1 chosen; this question asks for 2.")).to_be_visible(timeout=UI)
    g4.get_by_role("checkbox", name=g4_letter["d"], exact=True).check()
    expect(g4.get_by_role("checkbox", name=g4_letter["d"], exact=True)).to_be_checked()
    expect(g4.get_by_text("✔ Saved.")).to_be_visible(timeout=UI)
    g1.evaluate("el => el.scrollIntoView({block: 'start'})")
    shot(page, "04-graded-answered")

    # Each click is written at once (the kernel saves asynchronously: poll briefly).
    saved = wait_for_saved(answers_file, "sec-g4", ["a", "d"])
    assert saved["sec-g1"]["response"] == "c"

    # Restart the kernel, reload the page, run the cells again: the answers come back.
    menu(page, "Kernel", "Restart Kernel…")
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Restart Kernel?")
    dialog.locator("button.jp-mod-accept", has_text="Restart").click()
    expect(dialog).to_have_count(0)
    page.wait_for_timeout(1000)
    wait_idle(page, KERNEL_START)
    page.reload(wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=UI)
    wait_idle(page, KERNEL_START)
    run_cell(page, SETUP_CELL)
    cell = run_cell(page, GRADED_CELL)
    g1, g4 = graded_card(cell, "sec-g1"), graded_card(cell, "sec-g4")
    g1.scroll_into_view_if_needed()
    expect(g1.get_by_role("radio", name=g1_letter["c"], exact=True)).to_be_checked()
    expect(g1.get_by_text("✔ Saved.")).to_be_visible()
    expect(g4.get_by_role("checkbox", name=g4_letter["a"], exact=True)).to_be_checked()
    expect(g4.get_by_role("checkbox", name=g4_letter["d"], exact=True)).to_be_checked()
    expect(g4.get_by_role("checkbox", name=g4_letter["b"], exact=True)).not_to_be_checked()
    expect(g4.get_by_text("✔ Saved.")).to_be_visible()
    expect(graded_card(cell, "sec-g2").get_by_text("Not answered yet.")).to_be_visible()
    g1.evaluate("el => el.scrollIntoView({block: 'start'})")
    shot(page, "05-graded-after-restart-and-reload", docs="graded-quiz-saved")
    assert json.loads(answers_file.read_text())["answers"]["sec-g1"]["response"] == "c"


def wait_for_saved(path, qid, expected, timeout: float = 30):
    deadline = time.monotonic() + timeout
    answers = {}
    while time.monotonic() < deadline:
        try:
            answers = json.loads(path.read_text())["answers"]
        except (OSError, ValueError, KeyError):
            answers = {}
        if answers.get(qid, {}).get("response") == expected:
            return answers
        time.sleep(0.25)
    raise AssertionError(f"{path} does not hold {qid} = {expected!r}: {answers}")


def exam_attempt(lab) -> dict:
    """The attempt in progress, as saved in AIP_COURSE_HOME (questions with their key, attempt id)."""
    return json.loads((lab.scratch / "home" / "exam" / "attempt.json").read_text())


def answer_correctly(view, q: dict, attempt_id: str) -> None:
    """Answer the question shown in ``view`` right, with the controls a learner uses (choices
    are shown in the attempt's order)."""
    letter = shown_letters(q, attempt_id)
    kind, answer = q["type"], q["answer"]
    if kind == "single":
        view.get_by_role("radio", name=letter[answer], exact=True).check()
    elif kind == "multi":
        for cid in answer:
            view.get_by_role("checkbox", name=letter[cid], exact=True).check()
    else:
        slots = view.locator(".widget-dropdown select")
        ids = answer if kind == "ordering" else [answer[p["id"]] for p in q["prompts"]]
        for k, cid in enumerate(ids):
            slots.nth(k).select_option(label=letter[cid])


def test_practice_exam_submit_shows_report(page, learner_lab):
    from playwright.sync_api import expect

    open_notebook(page, learner_lab, "study/practice_exam.ipynb", "exam")
    run_all(page)
    cell = code_cell(page, "start_exam()")
    out = cell.locator(".jp-OutputArea")
    expect(out.get_by_text(re.compile(r"Practice exam: \d+ questions"))).to_be_visible(timeout=UI)
    shot(page, "06-exam-intro")
    out.get_by_role("button", name="Start the exam").click()
    expect(out.get_by_text(re.compile(r"⏱ \d:\d\d:\d\d"))).to_be_visible()

    # Answer the first questions right (reading the key from the saved attempt), so the
    # report's chart has bars; flag one on the way.
    attempt = exam_attempt(learner_lab)
    items = attempt["items"]
    print("practice exam, formats answered:", [item["question"]["type"] for item in items[:ANSWERED]])
    for k in range(ANSWERED):
        expect(out.get_by_text(f"Question {k + 1} of {len(items)}")).to_be_visible(timeout=UI)
        answer_correctly(out, items[k]["question"], attempt["attempt_id"])  # one question at a time
        nav = out.locator(".widget-gridbox button").nth(k)
        expect(nav).to_have_class(re.compile("mod-success"), timeout=UI)  # painted green: answered
        if k == 1:
            out.get_by_role("button", name="Flag for review").click()
            expect(nav).to_have_class(re.compile("mod-warning"), timeout=UI)
            shot(page, "07-exam-question")
        out.get_by_role("button", name="Next").click()
    saved = json.loads((learner_lab.scratch / "home" / "exam" / "attempt.json").read_text())["responses"]
    assert len(saved) == ANSWERED

    out.get_by_role("button", name="Review & submit").click()
    expect(out.get_by_text(re.compile(rf"Review \({ANSWERED} of \d+ answered\)"))).to_be_visible(timeout=UI)
    out.get_by_role("button", name="Submit the exam").click()
    expect(out.get_by_text("will count as wrong")).to_be_visible(timeout=UI)
    out.get_by_role("button", name="Yes, submit now").click()

    expect(out.get_by_text(re.compile(r"Score: \d+ / 1000"))).to_be_visible(timeout=UI)
    expect(out.get_by_text("By exam domain (weakest first)")).to_be_visible()
    chart = out.locator("img").first
    expect(chart).to_be_visible(timeout=UI)
    assert chart.evaluate("img => img.naturalWidth") > 100
    chart.evaluate("el => el.scrollIntoView({block: 'center'})")
    shot(page, "08-exam-report", docs="practice-exam-report")
    out.get_by_text(re.compile(r"Score: \d+ / 1000")).evaluate("el => el.scrollIntoView({block: 'start'})")
    shot(page, "09-exam-report-top")

    right = sum(1 for item in items[:ANSWERED] if item["scored"])  # unscored ones do not count
    expect(out.get_by_text(re.compile(rf"^{right} of \d+ scored questions right"))).to_be_visible()
    history = json.loads((learner_lab.scratch / "home" / "exam" / "history.json").read_text())
    assert history["attempts"][-1]["correct"] == right


def test_course_settings_are_applied(learner_lab):
    """jupyter/overrides.json reaches JupyterLab (no news pop-up, no update checks)."""
    settings = learner_lab.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = {name: prop.get("default") for name, prop in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false"  # JupyterLab's own default is "none": ask
    assert defaults["checkForUpdates"] is False
