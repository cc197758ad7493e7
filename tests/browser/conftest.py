"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, against scratch
JupyterLab servers started the way ``course.sh open`` starts one.

Run them with ``pytest -m browser``; screenshots and server logs go to tests/browser/artifacts/.
Set COURSE_UPDATE_SCREENSHOTS=1 to refresh the PNGs in docs/screenshots/ as well.
"""

from __future__ import annotations

import re

import pytest

from tests import needs
from tests.browser.lab import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, LabServer, make_course_copy, make_workspace


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the course in a real browser (Debian chromium + Playwright)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def playwright_browser():
    if not CHROMIUM.exists():
        needs.missing(f"{CHROMIUM} is missing: install Debian's chromium package (tools/system-deps.sh does)")
    sync_api = needs.module("playwright.sync_api", "the playwright package is missing: pip install playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _server(tmp_path_factory, name: str, make_root) -> LabServer:
    scratch = tmp_path_factory.mktemp(name)
    return LabServer(make_root(scratch), scratch)


@pytest.fixture(scope="session")
def learner_lab(playwright_browser, tmp_path_factory):
    """JupyterLab on a learner's workspace (copies of release/ and study/), with a private
    AIP_COURSE_HOME."""
    server = _server(tmp_path_factory, "learner", make_workspace).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def instructor_lab(playwright_browser, tmp_path_factory):
    """JupyterLab on a copy of the nbgrader course directory (nbgrader_config.py at its root)."""
    server = _server(tmp_path_factory, "instructor", make_course_copy).start()
    yield server
    server.stop()


@pytest.fixture
def page(playwright_browser, request):
    """A fresh browser page (1280×800). On failure its last state is saved as a screenshot;
    afterwards every kernel the test started is shut down, so tests do not share one."""
    context = playwright_browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    pg = context.new_page()
    pg.on("dialog", lambda dialog: dialog.accept())  # "leave this page?" on reload
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"FAILED-{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name)}.png"
        try:
            pg.screenshot(path=str(path))
            print(f"screenshot of the failure: {path}")
        except Exception as exc:  # noqa: BLE001 - the failure itself matters more
            print(f"could not take a screenshot of the failure: {exc}")
    context.close()
    for name in ("learner_lab", "instructor_lab"):
        if name in request.fixturenames:
            server = request.getfixturevalue(name)
            for session in server.api("/api/sessions") or []:
                server.api(f"/api/sessions/{session['id']}", method="DELETE")
