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
