"""nbgrader's instructor pages in a real browser, on a copy of the course directory."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.lab import UI, menu, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ASSIGNMENTS = ("governance", "networking", "sagemaker", "security")


def test_formgrader_lists_the_course_assignments(page, instructor_lab):
    from playwright.sync_api import expect

    page.goto(instructor_lab.url("/formgrader"), wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Manage Assignments")).to_be_visible(timeout=UI)
    table = page.locator("table")
    for name in ASSIGNMENTS:
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible(timeout=UI)
    expect(page.get_by_text("Manual Grading")).to_be_visible()
    expect(page.get_by_text("Manage Students")).to_be_visible()
    assert "error" not in page.locator("body").inner_text().lower()
    shot(page, "10-formgrader", docs="formgrader")

    # The same page inside JupyterLab: Nbgrader → Formgrader.
    page.goto(instructor_lab.url("/lab/workspaces/formgrader"), wait_until="domcontentloaded")
    menu(page, "Nbgrader", "Formgrader")
    frame = page.frame_locator("iframe").first
    expect(frame.get_by_role("heading", name="Manage Assignments")).to_be_visible(timeout=UI)
    expect(frame.get_by_role("link", name="security", exact=True)).to_be_visible(timeout=UI)
    shot(page, "11-formgrader-in-lab")


def test_assignment_list_renders(page, instructor_lab):
    """The student-side Assignment List, after the instructor released "security" to the
    (scratch) exchange with nbgrader's own command."""
    from playwright.sync_api import expect

    subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "release_assignment", "security", "--force"],
        cwd=instructor_lab.root_dir,
        env=instructor_lab.env(),
        check=True,
        capture_output=True,
        timeout=120,
    )
    page.goto(instructor_lab.url("/lab/workspaces/assignments"), wait_until="domcontentloaded")
    menu(page, "Nbgrader", "Assignment List")
    panel = page.locator(".lm-DockPanel-widget:visible", has_text="Released assignments").first
    expect(panel).to_be_visible(timeout=UI)
    for heading in ("Released assignments", "Downloaded assignments", "Submitted assignments"):
        expect(panel.get_by_text(heading, exact=True)).to_be_visible()
    released = panel.locator(".panel", has=page.get_by_text("Released assignments", exact=True))
    expect(released).to_contain_text("security", timeout=UI)
    expect(released.get_by_role("button", name="Fetch")).to_be_visible()
    expect(panel).not_to_contain_text(re.compile("error", re.I), timeout=10_000)
    shot(page, "12-assignment-list")


FEEDBACK_ASSIGNMENT = "security"


def quiz_only_course(base: Path) -> Path:
    """A scratch course whose "security" assignment is that notebook's graded quiz alone (its heading and
    its test cells, hidden tests and key included): graded in seconds, fed back as the class would see it."""
    import nbformat

    from tests import grading_pipeline as gp
    from tests.course_files import ROOT, source_notebook

    name = FEEDBACK_ASSIGNMENT
    nb = nbformat.read(source_notebook(name), as_version=4)
    start = next(
        i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Graded quiz")
    )
    nb.cells = [nb.cells[start]] + [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("quiz-")
    ]
    course = base / "feedback-course"
    (course / "source" / name).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    nbformat.write(nb, course / "source" / name / f"{name}.ipynb")
    gp.nbgrader(course, "generate_assignment", name, "--force")
    _, answers, _ = gp.wrong_submission(base, name)
    gp.submit(course, "student", name, course / "release" / name / f"{name}.ipynb", answers)
    gp.nbgrader(course, "autograde", name, "--force")
    gp.nbgrader(course, "generate_feedback", name)
    return course


def test_feedback_page_hides_the_hidden_tests(page, tmp_path):
    """The feedback HTML a student opens: each graded-quiz check says passed or failed, and a
    wrong answer's message names the section to review, with no hidden test and no key."""
    from playwright.sync_api import expect

    from tests.course_files import graded_key

    name = FEEDBACK_ASSIGNMENT
    course = quiz_only_course(tmp_path)
    page.goto((course / "feedback" / "student" / name / f"{name}.html").as_uri(), wait_until="load")
    failed = page.get_by_text("# hidden checks: failed")
    expect(failed.first).to_be_visible(timeout=UI)
    expect(page.get_by_text("# hidden checks: passed").first).to_be_visible()
    expect(page.get_by_text("is not correct. It is taught in").first).to_be_visible()
    text = page.locator("body").inner_text()
    assert "grading.check_answer(" not in text and "BEGIN HIDDEN TESTS" not in text
    for qid, entry in graded_key(name).items():
        right = [entry["answer"]] if isinstance(entry["answer"], str) else list(entry["answer"])
        assert not [r for r in right if r in entry["why"] and entry["why"][r] in text], qid
    failed.first.scroll_into_view_if_needed()
    box = failed.first.bounding_box()
    page.mouse.wheel(0, box["y"] - 260)  # the failed check with its score above and its message below
    page.wait_for_timeout(300)
    shot(page, "13-feedback", docs="feedback")
