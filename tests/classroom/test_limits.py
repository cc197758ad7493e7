"""The grading kernel's limits and jail, cell by cell (course.classroom.limits and jail).

One notebook of hostile cells runs once through LimitedExecute, with credentials planted in
the grader's environment and home; each test reads the outcome of its cell. The corpus tests
(tests/classroom/hostile/) do the same through nbgrader, for whole submissions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.classroom import jail, limits
from tests import needs
from tests.course_files import ROOT

pytestmark = pytest.mark.slow

SECRET = "PLANTED-grader-secret-7f3a"
ENV_SECRET = "PLANTED-env-secret-91c2"

CELLS = {
    "env": "import os; print({k: v for k, v in os.environ.items() if 'AWS' in k or 'PLANTED' in v})",
    "home_file": "print(open(CREDENTIALS).read())",
    "home_config": "print(open(CONFIG).read())",
    "socket": "import socket\ns = socket.socket(); s.settimeout(3)\ntry:\n    s.connect(('8.8.8.8', 53))\n"
    "finally:\n    s.close()",
    "raw_socket_after_guard_removed": "from course import netguard; netguard.uninstall()\nimport socket\n"
    "socket.create_connection(('8.8.8.8', 53), timeout=3)",
    "read_key": "print(open(KEY).read())",
    "read_gradebook": "print(open(GRADEBOOK).read())",
    "list_course": "import os; print('course holds', sorted(os.listdir(COURSE)))",
    "write_course": "open(GRADEBOOK, 'w').write('overwritten')",
    "write_package": "open(PACKAGE_FILE, 'a').write('# tampered')",
    "write_tmp": "open(ESCAPE, 'w').write('escaped')",
    "write_etc": "open('/etc/aip-escape', 'w').write('escaped')",
    "tempfile_ok": "import tempfile\nwith tempfile.NamedTemporaryFile() as f:\n    f.write(b'ok')\nprint('tempfile ok')",
    "write_here": "open('mine.txt', 'w').write('ok'); print('wrote mine.txt')",
    "define": "x = 41",
    "loop": "while True:\n    try:\n        pass\n    except BaseException:\n        pass",
    "after_loop": "print('x is', x + 1)",
    "exit": "import os; os._exit(3)",
    "after_exit": "print('x is still', x + 1)",
    "memory": "b = bytearray(50 * 2**30)",
    "big_file": "open('big.bin', 'wb').write(b'0' * (200 * 2**20))",
    "flood": "print('y' * 5_000_000)",
    "stop_moto": "from course import sandbox; sandbox.stop()",
    "aws_after_stop": "import boto3; print('buckets', boto3.client('s3', region_name='us-east-1').list_buckets()['Buckets'])",
    "tamper": "import course.checks as c; c.expect_equal = lambda *a, **k: None",
    "test_after_tamper": "from course.checks import expect_equal; expect_equal(1, 2, 'one')",
    "last": "print('done')",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    why = jail.can_isolate()
    if why:
        needs.missing(f"the grading jail cannot be set up on this machine: {why}")
    tmp = tmp_path_factory.mktemp("limits")
    home = tmp / "grader-home"
    (home / ".aws").mkdir(parents=True)
    credentials = home / ".aws" / "credentials"
    credentials.write_text(f"[default]\naws_access_key_id = AKIAPLANTED\naws_secret_access_key = {SECRET}\n")
    config = home / ".aws" / "config"
    config.write_text(f"[default]\nregion = eu-west-1\n# {SECRET}\n")
    course = tmp / "course"
    folder = course / "autograded" / "student" / "a"
    folder.mkdir(parents=True)
    gradebook = course / "gradebook.db"
    gradebook.write_text("the real gradebook")
    # A scratch file inside the course package (never a real module: a failed jail would change it).
    package_file = Path(limits.__file__).with_name("_jail_probe.txt")
    package_file.write_text("probe")
    before = package_file.read_bytes()
    prelude = f"CREDENTIALS = {str(credentials)!r}\nCONFIG = {str(config)!r}\nGRADEBOOK = {str(gradebook)!r}\n"
    escape = Path("/tmp") / f"aip-escape-{os.getpid()}"
    prelude += f"PACKAGE_FILE = {str(package_file)!r}\nESCAPE = {str(escape)!r}\nCOURSE = {str(course)!r}\n"
    prelude += f"KEY = {str(ROOT / 'source' / 'governance' / 'graded_key.yaml')!r}"
    nb = new_notebook(cells=[new_code_cell(prelude)] + [new_code_cell(src) for src in CELLS.values()])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # The test for "test_after_tamper" must look like an nbgrader test cell.
    nb.cells[list(CELLS).index("test_after_tamper") + 1].metadata["nbgrader"] = {"grade": True, "points": 1}
    planted = {"HOME": str(home), "AWS_SECRET_ACCESS_KEY": ENV_SECRET, "AWS_ACCESS_KEY_ID": "AKIAENVPLANTED"}
    saved = {k: os.environ.get(k) for k in planted}
    os.environ.update(planted)
    try:
        ep = limits.LimitedExecute(
            timeout=10, notebook_timeout=300, memory_limit_mb=2048, max_output_bytes=50_000, require_isolation=True
        )
        nb, _ = ep.preprocess(nb, {"metadata": {"path": str(folder)}})
    finally:
        after = package_file.read_bytes()
        package_file.unlink()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    outputs = {name: nb.cells[i + 1].outputs for i, name in enumerate(CELLS)}
    return {
        "outputs": outputs,
        "folder": folder,
        "gradebook": gradebook,
        "package_file": package_file,
        "package_before": before,
        "package_after": after,
        "escaped": [p for p in (escape, Path("/etc/aip-escape")) if p.exists()],
    }


def text(outputs) -> str:
    parts = []
    for o in outputs:
        parts += [o.get("text", ""), o.get("ename", ""), o.get("evalue", ""), str(o.get("data", ""))]
        parts += o.get("traceback", [])
    return "\n".join(parts)


def error(outputs) -> str | None:
    names = [o["ename"] for o in outputs if o.get("output_type") == "error"]
    return names[0] if names else None


def test_no_planted_secret_reaches_student_code(graded):
    """Are the grader's environment and ~/.aws files invisible to the kernel?"""
    everything = "\n".join(text(o) for o in graded["outputs"].values())
    assert SECRET not in everything
    assert ENV_SECRET not in everything
    assert "AKIAENVPLANTED" not in everything
    assert error(graded["outputs"]["home_file"]) in {"FileNotFoundError", "PermissionError", "IsADirectoryError"}
    assert error(graded["outputs"]["home_config"]) in {"FileNotFoundError", "PermissionError", "IsADirectoryError"}


def test_no_network_even_without_the_in_process_guard(graded):
    """Is a socket refused, also after the student removes the course's own network guard?"""
    assert error(graded["outputs"]["socket"]) is not None
    unguarded = graded["outputs"]["raw_socket_after_guard_removed"]
    assert error(unguarded) is not None, text(unguarded)
    assert "unreachable" in text(unguarded).lower() or "errno" in text(unguarded).lower(), text(unguarded)


def test_course_and_package_are_read_only_and_the_notebook_folder_writable(graded):
    """Can student code write its own folder but not the gradebook or the course package?"""
    assert error(graded["outputs"]["write_course"]) in {"OSError", "PermissionError"}
    assert "Read-only" in text(graded["outputs"]["write_course"])
    assert graded["gradebook"].read_text() == "the real gradebook"
    assert error(graded["outputs"]["write_package"]) in {"OSError", "PermissionError"}
    assert graded["package_after"] == graded["package_before"]
    assert (graded["folder"] / "mine.txt").read_text() == "ok"


def test_the_course_directory_is_hidden_but_for_the_notebook_folder(graded):
    """Can student code read no answer key, no gradebook, nothing of the course but its own folder?"""
    out = graded["outputs"]
    assert error(out["read_key"]) == "FileNotFoundError", text(out["read_key"])
    assert "Answer key" not in text(out["read_key"])
    assert error(out["read_gradebook"]) == "FileNotFoundError", text(out["read_gradebook"])
    assert "the real gradebook" not in text(out["read_gradebook"])
    assert "course holds ['autograded']" in text(out["list_course"]), text(out["list_course"])


def test_nothing_outside_the_notebook_folder_is_writable(graded):
    """Are /tmp and /etc read-only for student code, while tempfile (the jail's own TMPDIR) works?"""
    out = graded["outputs"]
    assert graded["escaped"] == []
    assert error(out["write_tmp"]) in {"OSError", "PermissionError"}, text(out["write_tmp"])
    assert error(out["write_etc"]) in {"OSError", "PermissionError"}, text(out["write_etc"])
    assert "tempfile ok" in text(out["tempfile_ok"])


def test_a_stuck_cell_is_stopped_and_grading_goes_on_with_state_replayed(graded):
    """Does an uninterruptible loop end at the cell limit, and do later cells still see earlier variables?"""
    out = graded["outputs"]
    assert error(out["loop"]) == "CellTimeLimit"
    assert "longer than 10 s" in text(out["loop"])
    assert "x is 42" in text(out["after_loop"])


def test_a_dying_kernel_is_reported_and_replaced(graded):
    """Does os._exit cost only its own cell?"""
    out = graded["outputs"]
    assert error(out["exit"]) == "KernelDied"
    assert "os._exit" in text(out["exit"])
    assert "x is still 42" in text(out["after_exit"])


def test_memory_and_file_size_limits(graded):
    """Is a huge allocation refused with a message naming the limit, and a huge file cut off?"""
    out = graded["outputs"]
    assert error(out["memory"]) == "MemoryError"
    assert "at most 2048 MiB" in text(out["memory"])
    assert error(out["big_file"]) is not None
    assert not (graded["folder"] / "big.bin").exists() or (graded["folder"] / "big.bin").stat().st_size <= 64 * 2**20


def test_an_output_flood_is_cut_while_it_arrives(graded):
    """Is a 5 MB print truncated to the configured size, with a notice?"""
    flood = text(graded["outputs"]["flood"])
    assert len(flood) < 60_000
    assert "output truncated" in flood


def test_stopping_moto_is_noted_and_repaired(graded):
    """After the student stops moto, is it started again so AWS calls still stay local?"""
    assert "simulated AWS (moto) was stopped" in text(graded["outputs"]["stop_moto"])
    assert "buckets []" in text(graded["outputs"]["aws_after_stop"])


def test_replacing_a_check_helper_voids_later_tests(graded):
    """Does a later test cell score nothing, and say why, once a check helper was replaced?"""
    out = graded["outputs"]
    assert "course.checks.expect_equal was replaced" in text(out["tamper"])
    assert error(out["test_after_tamper"]) == "TestsNotTrusted"
    assert "did not count" in text(out["test_after_tamper"])
    assert "done" in text(out["last"])


def test_grading_refuses_to_run_unjailed_when_required(monkeypatch, tmp_path):
    """With require_isolation, does a machine without namespaces stop grading with the reason?"""
    monkeypatch.setattr(jail, "can_isolate", lambda: "unshare failed: not permitted")
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ep = limits.LimitedExecute(require_isolation=True)
    with pytest.raises(RuntimeError, match="unshare failed"):
        ep.preprocess(nb, {"metadata": {"path": str(tmp_path)}})


def test_kernel_environment_keeps_only_the_allow_list():
    """Does the kernel's environment drop AWS variables and tokens, and point HOME into the jail?"""
    spec = {"home": "/j/home", "tmp": "/j/tmp"}
    env = jail.kernel_env(
        spec,
        {"PATH": "/bin", "AWS_SECRET_ACCESS_KEY": "s", "JUPYTERHUB_API_TOKEN": "t", "LC_ALL": "C", "HOME": "/root"},
    )
    assert env["PATH"] == "/bin" and env["LC_ALL"] == "C"
    assert env["HOME"] == "/j/home" and env["TMPDIR"] == "/j/tmp"
    assert "AWS_SECRET_ACCESS_KEY" not in env and "JUPYTERHUB_API_TOKEN" not in env
