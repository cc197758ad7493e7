"""Helpers of the browser tests: a scratch JupyterLab server and notebook actions in Playwright.

The server is started the way ``course.sh open`` starts it (loopback, a known token, the
course's JupyterLab settings overrides), but every folder it writes to is a scratch one.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
# Flags known to work here (see the machine notes): no sandbox as root, no GPU, and no
# background connections, which this machine's closed network would refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

KERNEL_START = 90_000  # ms; two cores shared with other test runs
RUN_ALL = 180_000
UI = 60_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_bin() -> str:
    """The ``jupyter`` of the interpreter running the tests (the course's venv)."""
    here = Path(sys.executable).parent / "jupyter"
    return str(here) if here.exists() else shutil.which("jupyter") or "jupyter"


def make_workspace(base: Path) -> Path:
    """A learner's workspace as ``course.sh open`` makes it: release/<domain>/ and study/."""
    ws = base / "workspace"
    for folder in [*sorted(p for p in (ROOT / "release").iterdir() if p.is_dir()), ROOT / "study"]:
        shutil.copytree(
            folder, ws / folder.name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "graded_answers*.json")
        )
    return ws


def make_course_copy(base: Path) -> Path:
    """An instructor's course directory (nbgrader_config.py, source/, release/) in scratch space,
    with a private exchange so the Assignment List never touches /srv/nbgrader."""
    course = base / "course-root"
    course.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for name in ("source", "release"):
        shutil.copytree(
            ROOT / name, course / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "graded_answers*.json")
        )
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as f:
        f.write(f"\n# Added by the browser tests (scratch copy only).\nc.Exchange.root = {str(exchange)!r}\n")
    return course


@dataclass
class LabServer:
    root_dir: Path
    scratch: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            AIP_COURSE_HOME=str(self.scratch / "home"),
            JUPYTERLAB_SETTINGS_DIR=str(self.scratch / "lab-user-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.scratch / "lab-workspaces"),
            JUPYTER_RUNTIME_DIR=str(self.scratch / "runtime"),
            MPLBACKEND="module://matplotlib_inline.backend_inline",
        )
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        return env

    def start(self, timeout: float = 120) -> LabServer:
        # course.sh copies jupyter/overrides.json into <venv>/share/jupyter/lab/settings, the
        # app settings folder; here it goes into a scratch one, so the venv is left alone.
        app_settings = self.scratch / "lab-app-settings"
        app_settings.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "jupyter" / "overrides.json", app_settings / "overrides.json")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / f"jupyter-{self.root_dir.name}-{self.port}.log"
        cmd = [
            jupyter_bin(),
            "lab",
            "--no-browser",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--LabApp.app_settings_dir={app_settings}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI containers run as root; JupyterLab refuses it otherwise
        log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
        # nbgrader's server extensions read nbgrader_config.py from the working folder.
        self.proc = subprocess.Popen(cmd, cwd=self.root_dir, env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url("/api/status"), timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s; see {self.log_path}")

    def api(self, path: str, method: str = "GET") -> object:
        req = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


# --- Playwright helpers -------------------------------------------------------------------


def shot(page, name: str, *, full_page: bool = False, docs: str | None = None) -> Path:
    """Save a screenshot as a test artifact (and, with ``docs``, a copy for the README)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path} ({time.strftime('%H:%M:%S')})")
    if docs and os.environ.get("COURSE_UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENSHOTS / f"{docs}.png")
        print(f"screenshot for the docs: {SCREENSHOTS / docs}.png")
    return path


def open_notebook(page, server: LabServer, path: str, workspace: str = "default"):
    """Open a notebook in JupyterLab (in a JupyterLab workspace of its own, so tabs left open
    by another test are not restored) and wait for its kernel to be idle."""
    page.goto(server.url(f"/lab/workspaces/{workspace}/tree/{path}"), wait_until="domcontentloaded")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
    panel.wait_for(timeout=UI)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=UI)
    wait_idle(page, KERNEL_START)
    return panel


def wait_idle(page, timeout: int = RUN_ALL) -> None:
    """Wait until the notebook's kernel is idle and no cell is queued or running."""
    page.wait_for_function(
        r"""() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            if (!panel) return false;
            const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            if (!ind || ind.getAttribute('data-status') !== 'idle') return false;
            // The status bar names the kernel once the notebook is connected to it ("| Idle");
            // running cells before that makes JupyterLab ask which kernel to start.
            const bar = document.querySelector('#jp-main-statusbar');
            if (!bar || !/\| Idle/.test(bar.textContent)) return false;
            const prompts = [...panel.querySelectorAll('.jp-InputPrompt')].map(p => p.textContent);
            return !prompts.some(t => t.includes('*'));
        }""",
        timeout=timeout,
        polling=500,
    )


def menu(page, top: str, item: str) -> None:
    """Click a JupyterLab main-menu item (e.g. Run → Run All Cells)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-content .lm-Menu-item:visible", has_text=re.compile(rf"^{re.escape(item)}")).first.click()


def run_all(page) -> None:
    menu(page, "Run", "Run All Cells")
    page.wait_for_timeout(1000)  # let the first cells be queued before polling for idle
    wait_idle(page)


def code_cell(page, source_snippet: str):
    """The code cell whose source contains ``source_snippet``."""
    return page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea-editor", has_text=source_snippet)).first


def run_cell(page, source_snippet: str, timeout: int = RUN_ALL):
    """Select the code cell containing ``source_snippet`` and run it (Shift+Enter); wait until
    it has a new execution count and the kernel is idle again."""
    cell = code_cell(page, source_snippet)
    prompt = cell.locator(".jp-InputPrompt")
    cell.scroll_into_view_if_needed(timeout=UI)
    before = prompt.inner_text().strip()
    for _attempt in range(3):
        cell.locator(".jp-InputArea-editor").click()
        page.wait_for_timeout(300)
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(
                "([el, before]) => el.textContent.trim() !== before",
                arg=[prompt.element_handle(), before],
                timeout=10_000,
            )
            break
        except Exception:  # noqa: BLE001 - the key press was lost while the page was busy: again
            continue
    else:
        raise AssertionError(f"could not run the cell containing {source_snippet!r}")
    wait_idle(page, timeout)
    return cell
