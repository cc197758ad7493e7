"""nbgrader's Execute step with limits and a jailed kernel, for serial and parallel grading.

Installed by ``nbgrader_config.py`` in place of nbgrader's ``Execute`` (both ``nbgrader
autograde`` and ``python -m course.classroom.grade`` load that file):

- ``timeout`` seconds per cell and ``notebook_timeout`` seconds per notebook;
- ``memory_limit_mb`` of address space for the kernel, ``file_size_limit_mb`` per file written;
- ``max_output_bytes`` of output kept per cell (the rest is dropped while it arrives, so an
  output flood cannot exhaust the grader's memory);
- a kernel that dies, hangs or runs out of time is restarted, the cells that ran before are
  replayed without output, and grading goes on with the next cell; the cell that failed
  shows why, in the student's feedback;
- the kernel runs in a jail (see ``jail``): no network, no credentials, a read-only system, and
  of the course directory only the notebook's own folder (no solutions, hidden tests, answer
  keys, gradebook or other students' work);
- after every cell, a check that the code did not replace what the tests rely on (see
  ``integrity``); if it did, the later test cells score nothing and say why.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import from_dict
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode

from course.classroom import jail

VERDICT = "__import__('course.classroom.integrity', fromlist=['_']).verdict()"


class JailedKernelManager(AsyncKernelManager):
    """Puts ``course.classroom.jail`` in front of the kernel command and talks over Unix sockets."""

    jail_spec = Unicode("", help="path of the jail's JSON spec; empty: no jail").tag(config=False)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self.jail_spec:
            return cmd
        return [sys.executable, "-m", "course.classroom.jail", self.jail_spec, "--", *cmd]


class LimitedExecute(Execute):
    """nbgrader's Execute, with the limits and the jail described in this module's docstring."""

    timeout = Integer(60, help="seconds one cell may run before it is stopped").tag(config=True)
    # A stuck cell is stopped by restarting the kernel (below), not by an interrupt it could catch.
    interrupt_on_timeout = Bool(False).tag(config=True)
    notebook_timeout = Integer(600, help="seconds the whole notebook may run; later cells are not run").tag(config=True)
    memory_limit_mb = Integer(3072, help="address space of the kernel in MiB (0: no limit)").tag(config=True)
    file_size_limit_mb = Integer(64, help="largest file the kernel may write, in MiB (0: no limit)").tag(config=True)
    max_output_bytes = Integer(200_000, help="output kept per cell; the rest is dropped").tag(config=True)
    isolate = Bool(True, help="run the kernel in a jail (no network, no credentials, read-only, course hidden)").tag(
        config=True
    )
    require_isolation = Bool(
        False, help="refuse to grade when the jail cannot be set up here (otherwise: warn and grade without it)"
    ).tag(config=True)

    hide = List(
        Unicode(),
        help="more folders to hide from the kernel (the real course when grading runs in a scratch copy)",
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = JailedKernelManager
        super().__init__(*args, **kwargs)

    # -- one notebook ---------------------------------------------------------------

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout if self.notebook_timeout > 0 else None
        self._ran: list[int] = []
        self._tampered: list[str] = []
        self._output_bytes: dict[int, int] = {}
        self._jail_dir = Path(tempfile.mkdtemp(prefix="aip-jail-"))
        try:
            self._jail_spec = self._write_spec(nb, resources)
            return super().preprocess(nb, resources, km)
        finally:
            shutil.rmtree(self._jail_dir, ignore_errors=True)

    def _write_spec(self, nb, resources) -> str:
        cwd = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
        isolate = self.isolate
        if isolate:
            why = jail.can_isolate()
            if why:
                if self.require_isolation:
                    raise RuntimeError(f"the grading jail cannot be set up here: {why}")
                self.log.warning("Grading WITHOUT the kernel jail (no network or file isolation): %s", why)
                isolate = False
        self._jail_dir.chmod(0o755)
        spec = {
            "isolate": isolate,
            "home": str(self._jail_dir / "home"),
            "tmp": str(self._jail_dir / "tmp"),
            "memory_mb": self.memory_limit_mb,
            "file_size_mb": self.file_size_limit_mb,
            "writable": [str(self._jail_dir), str(Path(cwd).resolve())],
            "hidden": credential_paths(),
            # The course directory is hidden but for what the kernel needs (jail.hide_courses).
            "hide": [*(str(p) for p in course_roots(Path(cwd), self.config)), *self.hide],
            "keep": [str(Path(cwd).resolve()), *environment_paths()],
            "stage": str(self._jail_dir / "stage"),
        }
        path = self._jail_dir / "spec.json"
        path.write_text(json.dumps(spec))
        return str(path)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.jail_spec = self._jail_spec
        # Unix sockets: they work across the kernel's own network namespace.
        km.transport = "ipc"
        km.ip = str(self._jail_dir / "kernel")
        return km

    # -- one cell -------------------------------------------------------------------

    def _get_timeout(self, cell):
        timeout = self.timeout if self.timeout > 0 else None
        if self._deadline is not None:
            left = max(1, int(self._deadline - time.monotonic()))
            timeout = min(timeout, left) if timeout else left
        return timeout

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if self._deadline is not None and time.monotonic() >= self._deadline:
            cell.outputs = [
                error_output(
                    "NotebookTimeLimit",
                    f"Not run: the notebook used all of its {self.notebook_timeout} s grading time before this cell.",
                    "Make every cell finish quickly (look for a loop that never ends or a long wait), then resubmit.",
                )
            ]
            return cell, self.resources
        if self._tampered and is_test_cell(cell):
            cell.outputs = [
                error_output(
                    "TestsNotTrusted",
                    "This test did not count: earlier code changed what the tests rely on ("
                    + "; ".join(self._tampered)
                    + ").",
                    "Remove the code that replaces course helpers, builtins or IPython machinery, then resubmit.",
                )
            ]
            return cell, self.resources
        limit = self._get_timeout(cell)  # the limit this cell runs under (later, less of the notebook's is left)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except CellTimeoutError:
            cell.outputs.append(
                error_output(
                    "CellTimeLimit",
                    f"Stopped: this cell ran for longer than {limit or self.timeout} s.",
                    "Look for a loop that never ends or a wait that never returns, then resubmit.",
                )
            )
            self._restart(index)
            return cell, self.resources
        except DeadKernelError:
            cell.outputs.append(
                error_output(
                    "KernelDied",
                    "The Python kernel stopped while running this cell (os._exit, a crash, or more than "
                    f"{self.memory_limit_mb} MiB of memory). Later cells ran in a fresh kernel.",
                    "Don't call os._exit or sys.exit; keep data small; then resubmit.",
                )
            )
            self._restart(index)
            return cell, self.resources
        if any(o.get("ename") == "MemoryError" for o in cell.outputs):
            cell.outputs.append(
                new_output(
                    "stream",
                    name="stderr",
                    text=f"[grader] MemoryError: grading kernels may use at most {self.memory_limit_mb} MiB.\n",
                )
            )
        self._ran.append(index)
        self._check_integrity(cell)
        return cell, resources

    def _check_integrity(self, cell) -> None:
        try:
            msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"v": VERDICT})
            reply = self.wait_for_reply(msg_id)
            value = reply["content"]["user_expressions"]["v"]
            found = json.loads(ast.literal_eval(value["data"]["text/plain"]))  # the repr of a str
            found = {"tampered": list(found["tampered"]), "notes": list(found["notes"])}
        except Exception as exc:  # a patched kernel can answer anything, or nothing
            found = {"tampered": [f"the grader's integrity check could not run ({type(exc).__name__})"], "notes": []}
        for note in found["notes"]:
            cell.outputs.append(new_output("stream", name="stderr", text=f"[grader] {note}\n"))
        new = [t for t in found["tampered"] if t not in self._tampered]
        if new:
            self._tampered += new
            cell.outputs.append(
                new_output(
                    "stream",
                    name="stderr",
                    text="[grader] this cell changed what the tests rely on: " + "; ".join(new) + "\n",
                )
            )

    def _restart(self, failed: int) -> None:
        """A fresh kernel, with the cells that ran before replayed silently."""
        self.log.warning("Restarting the kernel after cell %s", failed)
        self._fresh_kernel()
        for index in list(self._ran):
            original = self.nb.cells[index]
            replay = from_dict({"cell_type": "code", "source": original.source, "metadata": {}, "outputs": []})
            try:
                self.execute_cell(replay, index, store_history=False)
            except (CellTimeoutError, DeadKernelError):
                self._ran = self._ran[: self._ran.index(index)]
                self._fresh_kernel()
                return
            finally:
                self.nb.cells[index] = original  # execute_cell stores the cell it ran

    def _fresh_kernel(self) -> None:
        """A new kernel and client: the old client may still have pollers waiting on it."""
        old_km, old_kc = self.km, self.kc
        try:
            old_kc.stop_channels()
            run_sync(old_km.shutdown_kernel)(now=True)
        except Exception as exc:  # it may be dead already
            self.log.info("Old kernel shutdown: %s", exc)
        finally:
            run_sync(old_km.cleanup_resources)()
        self.km = self.kc = None
        self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()

    # -- output ---------------------------------------------------------------------

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used > self.max_output_bytes:
            return None
        if used + size > self.max_output_bytes:
            outs.append(
                new_output(
                    "stream",
                    name="stderr",
                    text=f"\n[grader] output truncated: this cell printed more than {self.max_output_bytes:,} bytes.\n",
                )
            )
            return None
        return super().output(outs, msg, display_id, cell_index)


def is_test_cell(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def error_output(name: str, message: str, hint: str):
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}", f"What to try: {hint}"])


COURSE_MARKERS = ("gradebook.db", "nbgrader_config.py")


def course_roots(notebook_folder: Path, config=None) -> list[Path]:
    """The course directories to hide from the kernel: nbgrader's CourseDirectory.root, the
    folder the grader runs in, and the nearest folder above the notebook, each if it holds a
    gradebook or an nbgrader_config.py."""
    roots = []
    configured = ""
    if config is not None and "CourseDirectory" in config:
        configured = config.CourseDirectory.get("root", "")
    for start in (Path(configured or os.getcwd()).resolve(), Path.cwd().resolve()):
        if any((start / m).exists() for m in COURSE_MARKERS):
            roots.append(start)
    for parent in notebook_folder.resolve().parents:
        if any((parent / m).exists() for m in COURSE_MARKERS):
            roots.append(parent)
            break
    return list(dict.fromkeys(roots))


def environment_paths() -> list[str]:
    """What the kernel runs from: the Python environment and the installed course package."""
    import course

    return [sys.prefix, sys.base_prefix, sys.exec_prefix, *(str(Path(p).resolve()) for p in course.__path__)]


def credential_paths() -> list[str]:
    """Where the grader's AWS credentials could be: covered by empty ones in the jail."""
    home = Path.home()
    paths = [home / ".aws"]
    for var in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        value = os.environ.get(var)
        if value and value != os.devnull:
            paths.append(Path(value))
    return [str(p) for p in paths]
