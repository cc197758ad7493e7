"""A hub set up as deploy/README.md says for a class: a private course directory, students in their own
OS accounts and their own environment (used by test_hub.py when it runs as root)."""

from __future__ import annotations

import json
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from course.classroom import student_env
from tests.course_files import ROOT


class Setup:
    """Everything made for one hub: cleaned up by :meth:`close` (users removed, folders deleted)."""

    def __init__(self) -> None:
        # Outside pytest's own folders: those are private to root, and students must reach their homes.
        self.base = Path(tempfile.mkdtemp(prefix="aip-hub-"))
        self.base.chmod(0o755)
        self.users: list[str] = []
        self.course = self.base / "course"
        self.env = self.base / "student-env"

    def make_private_course(self) -> Path:
        """A course directory as instructors keep it: release/ and source/, closed to other accounts."""
        self.course.mkdir(mode=0o700)
        self.course.chmod(0o700)
        for part in ("release", "source"):
            shutil.copytree(ROOT / part, self.course / part, ignore=shutil.ignore_patterns("__pycache__"))
        return self.course

    def add_user(self) -> pwd.struct_passwd:
        name = f"aipstu{uuid.uuid4().hex[:8]}"
        home = self.base / "homes" / name
        home.parent.mkdir(exist_ok=True)
        home.parent.chmod(0o755)
        subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh", "--user-group", name],
            check=True,
            capture_output=True,
        )
        self.users.append(name)
        return pwd.getpwnam(name)

    def python_for(self, user: str) -> str | None:
        """An interpreter of this Python version that ``user`` can run (pyenv's, under /root, is not one)."""
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        candidates = [str(Path(sys._base_executable).resolve()), shutil.which(version) or "", f"/usr/bin/{version}"]
        for python in dict.fromkeys(c for c in candidates if c):
            probe = subprocess.run(
                ["runuser", "-u", user, "--", python, "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.returncode == 0 and probe.stdout.strip() == str(tuple(sys.version_info[:2])):
                return python
        return None

    def make_student_env(self, python: str) -> Path:
        """The students' environment as course.classroom.student_env builds it, sharing this environment's
        third-party packages (no download), with the course package from a wheel."""
        wheel = student_env.build_wheel(ROOT, self.base / "wheel")
        student_env.create(self.env, wheel, python=python, share=Path(sys.prefix))
        return self.env

    def close(self) -> None:
        for name in self.users:
            subprocess.run(["userdel", "--force", name], capture_output=True, check=False)
        shutil.rmtree(self.base, ignore_errors=True)


PROBE = """
import json, os, sys
out = {"uid": os.getuid(), "sys_path": sys.path}
try:
    import course, course.bank
    out["course"] = course.__file__
    out["banks"] = course.bank.available()
except Exception as exc:
    out["course_error"] = repr(exc)
reads = {}
for path in PATHS:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
        reads[path] = "read"
    except OSError as exc:
        reads[path] = type(exc).__name__
out["reads"] = reads
from jupyter_core.paths import jupyter_config_path
out["nbgrader_config"] = [p for p in jupyter_config_path() if os.path.isfile(os.path.join(p, "nbgrader_config.py"))]
print(json.dumps(out))
"""


def probe_code(paths: list[Path]) -> str:
    return f"PATHS = {json.dumps([str(p) for p in paths])}\n{PROBE}"


def run_in_kernel(session, base: str, user: str, code: str, timeout: float = 120) -> str:
    """Run ``code`` in a new kernel of ``user``'s server (REST + websocket, as JupyterLab does); its stdout."""
    import websocket

    hub_xsrf = session.cookies.get("_xsrf", path="/hub/")
    token = session.post(
        f"{base}/hub/api/users/{user}/tokens",
        json={"note": "test probe", "expires_in": 600},
        headers={"X-XSRFToken": hub_xsrf or "", "Referer": f"{base}/hub/"},
        timeout=60,
    )
    token.raise_for_status()
    auth = {"Authorization": f"token {token.json()['token']}"}
    kernel = session.post(f"{base}/user/{user}/api/kernels", json={"name": "python3"}, headers=auth, timeout=120)
    kernel.raise_for_status()
    kid = kernel.json()["id"]
    ws = websocket.create_connection(
        f"{base.replace('http', 'ws', 1)}/user/{user}/api/kernels/{kid}/channels",
        header=[f"{k}: {v}" for k, v in auth.items()],
        timeout=timeout,
    )
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": user,
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "store_history": False, "allow_stdin": False},
                "channel": "shell",
            }
        )
    )
    out, errors = [], []
    try:
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif kind == "status" and content["execution_state"] == "idle":
                break
    finally:
        ws.close()
        session.delete(f"{base}/user/{user}/api/kernels/{kid}", headers=auth, timeout=60)
    assert not errors, errors
    return "".join(out)
