"""Smoke test of deploy/jupyterhub_config.py: a student logs in and finds the course in their server."""

from __future__ import annotations

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
            pytest.fail(f"JupyterHub did not start:\n{(tmp / 'hub.log').read_text()[-4000:]}")
        time.sleep(1)
    yield {"base": base, "homes": tmp / "homes", "log": tmp / "hub.log"}
    os.killpg(proc.pid, signal.SIGTERM)  # the hub stops the proxy and the user servers it started
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


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


@pytest.mark.slow
def test_student_logs_in_and_finds_the_course(hub_url):
    """After logging in, does the student's own server list every assignment's release notebook?"""
    base, user = hub_url["base"], "student1"
    session, response = login(base, user, PASSWORD)
    assert response.status_code == 200, response.text[:500]
    deadline = time.monotonic() + 180
    while True:  # the server may still be starting: the lab URL passes the OAuth handshake once it is up
        lab = session.get(f"{base}/user/{user}/lab", timeout=60)
        if lab.status_code == 200 and f"/user/{user}/lab" in lab.url:
            break
        assert time.monotonic() < deadline, f"{lab.status_code} {lab.url}\n{hub_url['log'].read_text()[-3000:]}"
        time.sleep(2)
    for name in assignments():
        if not (ROOT / "release" / name).exists():
            continue
        listing = session.get(f"{base}/user/{user}/api/contents/{name}", timeout=60)
        assert listing.status_code == 200, (name, listing.status_code, listing.text[:300])
        assert f"{name}.ipynb" in {item["name"] for item in listing.json()["content"]}
    assert (hub_url["homes"] / user / assignments()[0]).is_dir()
