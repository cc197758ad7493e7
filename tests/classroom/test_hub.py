"""Smoke test of deploy/jupyterhub_config.py: a student logs in and finds the course in their server.

As root (CI) the hub runs as deploy/README.md says for a class: each student in their own OS
account, servers and kernels from the students' environment (the course package from a
wheel), the course directory closed to them. Otherwise it runs the trial set-up.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course.classroom import hub
from tests import needs
from tests.classroom import student_setup
from tests.classroom.pg_server import free_port
from tests.course_files import ROOT, assignments

PASSWORD = "class-of-2026"


def proxy_path() -> str:
    return os.pathsep.join(
        [str(Path(sys.executable).parent), str(ROOT / ".venv" / "node_modules" / ".bin"), os.environ.get("PATH", "")]
    )


def test_copy_release_adds_new_files_and_keeps_work(tmp_path):
    """Does the spawn hook copy the course in, and leave a student's edited notebook alone on the next spawn?"""
    release = tmp_path / "release"
    (release / "a").mkdir(parents=True)
    (release / "a" / "a.ipynb").write_text("v1")
    home = tmp_path / "home"
    assert hub.copy_release(release, home) == [home / "a" / "a.ipynb"]
    (home / "a" / "a.ipynb").write_text("my work")
    (release / "b").mkdir()
    (release / "b" / "b.ipynb").write_text("new")
    assert hub.copy_release(release, home) == [home / "b" / "b.ipynb"]
    assert (home / "a" / "a.ipynb").read_text() == "my work"


@pytest.fixture(scope="module")
def hub_url(tmp_path_factory):
    needs.module("jupyterhub", "jupyterhub is not installed (pip install -e '.[classroom]')")
    if not shutil.which("configurable-http-proxy", path=proxy_path()):
        needs.missing("configurable-http-proxy is not installed (npm; tools/system-deps.sh installs it into .venv)")
    requests = needs.module("requests", "requests is not installed (pip install -e '.[dev]')")
    tmp = tmp_path_factory.mktemp("hub")
    port, hub_port, api_port = free_port(), free_port(), free_port()
    env = dict(
        os.environ,
        PATH=proxy_path(),
        AIP_HUB_STATE=str(tmp / "state"),
        AIP_HUB_HOMES=str(tmp / "homes"),
        AIP_EXCHANGE_ROOT=str(tmp / "exchange"),
        AIP_HUB_PASSWORD=PASSWORD,
        AIP_COURSE_ROOT=str(ROOT),
    )
    student, home, private = "student1", tmp / "homes" / "student1", None
    setup = private_setup()
    if setup:
        try:
            course = setup.make_private_course()
            account = setup.add_user()
            python = setup.python_for(account.pw_name)
            if python:
                setup.make_student_env(python)
                env.update(AIP_SPAWNER="system", AIP_STUDENT_ENV=str(setup.env), AIP_COURSE_ROOT=str(course))
                student, home = account.pw_name, Path(account.pw_dir)
                private = {"course": course, "env": setup.env, "uid": account.pw_uid}
            else:
                private = f"no Python {sys.version_info.major}.{sys.version_info.minor} that another account can run"
        except BaseException:
            setup.close()
            raise
    cmd = [
        sys.executable,
        "-m",
        "jupyterhub",
        "-f",
        str(ROOT / "deploy" / "jupyterhub_config.py"),
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--JupyterHub.hub_port={hub_port}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{api_port}",
    ]
    log = (tmp / "hub.log").open("w")
    proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if requests.get(f"{base}/hub/api", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            if setup:
                setup.close()
            pytest.fail(f"JupyterHub did not start:\n{(tmp / 'hub.log').read_text()[-4000:]}")
        time.sleep(1)
    yield {"base": base, "student": student, "home": home, "private": private, "log": tmp / "hub.log"}
    os.killpg(proc.pid, signal.SIGTERM)  # the hub stops the proxy and the user servers it started
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()
    if setup:
        setup.close()


def private_setup() -> student_setup.Setup | None:
    """The class set-up needs root: it creates OS accounts and runs servers as them."""
    if os.geteuid() != 0 or not (shutil.which("useradd") and shutil.which("runuser")):
        return None
    return student_setup.Setup()


def login(base: str, user: str, password: str):
    import requests

    session = requests.Session()
    session.get(f"{base}/hub/login", timeout=30)
    response = session.post(
        f"{base}/hub/login?next=/hub/spawn",
        data={"username": user, "password": password, "_xsrf": session.cookies.get("_xsrf", "")},
        timeout=120,
    )
    return session, response


@pytest.mark.slow
def test_wrong_password_is_refused(hub_url):
    """Does the hub refuse a student who does not know the class password?"""
    _, response = login(hub_url["base"], "mallory", "guess")
    assert "/hub/login" in response.url and response.status_code == 403


def start_server(hub_url):
    """Log the student in and wait until their server answers (it is spawned once per hub)."""
    base, user = hub_url["base"], hub_url["student"]
    session, response = login(base, user, PASSWORD)
    assert response.status_code == 200, response.text[:500]
    deadline = time.monotonic() + 180
    while True:  # the server may still be starting: the lab URL passes the OAuth handshake once it is up
        lab = session.get(f"{base}/user/{user}/lab", timeout=60)
        if lab.status_code == 200 and f"/user/{user}/lab" in lab.url:
            return session
        assert time.monotonic() < deadline, f"{lab.status_code} {lab.url}\n{hub_url['log'].read_text()[-3000:]}"
        time.sleep(2)


@pytest.mark.slow
def test_student_logs_in_and_finds_the_course(hub_url):
    """After logging in, does the student's own server list every assignment's release notebook?"""
    base, user = hub_url["base"], hub_url["student"]
    session = start_server(hub_url)
    for name in assignments():
        if not (ROOT / "release" / name).exists():
            continue
        listing = session.get(f"{base}/user/{user}/api/contents/{name}", timeout=60)
        assert listing.status_code == 200, (name, listing.status_code, listing.text[:300])
        assert f"{name}.ipynb" in {item["name"] for item in listing.json()["content"]}
    first = hub_url["home"] / assignments()[0]
    assert first.is_dir()
    if isinstance(hub_url["private"], dict):  # copied into the student's own account, and handed to them
        assert first.stat().st_uid == hub_url["private"]["uid"]


@pytest.mark.slow
def test_student_server_cannot_read_the_course_directory(hub_url):
    """In a server of the student's own OS account: does `import course` work, from the students'
    environment, while every file of the course directory's source/ stays unreadable?"""
    private = hub_url["private"]
    if not isinstance(private, dict):
        needs.missing(private or "running servers as other OS accounts needs root (useradd, runuser)")
    course, env = private["course"], private["env"]
    name = next(n for n in assignments() if (course / "source" / n / "graded_key.yaml").exists())
    secrets = [
        course / "source" / name / f"{name}.py",
        course / "source" / name / f"{name}.ipynb",
        course / "source" / name / "graded_key.yaml",
        course / "source",
        course,
    ]
    assert all(p.exists() for p in secrets)  # they are there (and the grader, root here, reads them)
    session = start_server(hub_url)
    out = student_setup.run_in_kernel(session, hub_url["base"], hub_url["student"], student_setup.probe_code(secrets))
    found = json.loads(out.strip().splitlines()[-1])
    assert found["uid"] == private["uid"] != os.getuid()
    assert "course_error" not in found, found.get("course_error")
    assert Path(found["course"]).is_relative_to(env), found["course"]
    assert name in found["banks"]
    assert not [p for p in found["sys_path"] if p and Path(p).is_relative_to(course)], found["sys_path"]
    assert found["reads"] == {str(p): "PermissionError" for p in secrets}
    assert str(env / "etc" / "jupyter") in found["nbgrader_config"]


def test_hub_refuses_a_course_directory_students_could_read(tmp_path):
    """Does the class set-up refuse a course directory open to every account, or a students'
    environment inside it, and accept a private directory with the environment outside?"""
    course, env = tmp_path / "course", tmp_path / "student-env"
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "python").touch()
    course.mkdir(mode=0o755)
    course.chmod(0o755)
    assert any("open to every account" in p for p in hub.private_course_problems(course, env))
    course.chmod(0o750)
    assert hub.private_course_problems(course, env) == []
    assert any("not set" in p for p in hub.private_course_problems(course, None))
    (course / "env" / "bin").mkdir(parents=True)
    (course / "env" / "bin" / "python").touch()
    assert any("inside the course directory" in p for p in hub.private_course_problems(course, course / "env"))
