"""Do the locks, pyproject.toml and environment.yml agree on every package they share?"""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from tests.course_files import ROOT
from tools.lock import normalise, pins

DEV = pins(ROOT / "requirements" / "dev.txt")
RUNTIME = pins(ROOT / "requirements" / "runtime.txt")
BOOTSTRAP = pins(ROOT / "requirements" / "bootstrap.txt")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def declared(extra: str | None = None) -> list[Requirement]:
    reqs = PROJECT["dependencies"] if extra is None else PROJECT["optional-dependencies"][extra]
    return [Requirement(r) for r in reqs if not r.startswith(PROJECT["name"])]


@pytest.mark.parametrize(
    "lock_name, extras", [("runtime", [None]), ("dev", [None, "classroom", "dev"])], ids=["runtime", "dev"]
)
def test_lock_satisfies_pyproject(lock_name, extras):
    """Is every dependency pyproject.toml declares locked, at a version it allows?"""
    lock = {"runtime": RUNTIME, "dev": DEV}[lock_name]
    problems = []
    for extra in extras:
        for req in declared(extra):
            version = lock.get(normalise(req.name))
            if version is None:
                problems.append(f"{req.name} is not in requirements/{lock_name}.txt")
            elif not req.specifier.contains(Version(version), prereleases=True):
                problems.append(f"{req.name}=={version} does not satisfy {req}")
    assert not problems, "run `python -m tools.lock` (or ./course.sh upgrade): " + "; ".join(problems)


def test_runtime_and_dev_locks_pin_the_same_versions():
    """Does a learner get exactly the versions the test suite ran with?"""
    differ = {n: (v, DEV.get(n)) for n, v in RUNTIME.items() if DEV.get(n) != v}
    assert not differ, f"runtime vs dev lock: {differ}"


def test_bootstrap_uv_is_the_locked_uv():
    """Is the uv that course.sh bootstraps the one the dev lock pins?"""
    assert {"uv": DEV["uv"]} == BOOTSTRAP


def test_every_lock_line_has_hashes():
    """Is every pinned package hash-checked, so a changed upload cannot slip in?"""
    for name in ("runtime", "dev", "bootstrap"):
        text = (ROOT / "requirements" / f"{name}.txt").read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        unhashed = [b.split()[0] for b in blocks if b.strip() and "--hash=sha256:" not in b]
        assert not unhashed, f"requirements/{name}.txt: no hashes for {unhashed}"


def test_environment_yml_pins_the_runtime_lock():
    """Does environment.yml pin every runtime dependency at the locked version?"""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    env_pins = {}
    for line in pip_section:
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"environment.yml: {line} is not an exact pin"
        env_pins[normalise(req.name)] = spec.version
    wanted = {normalise(r.name) for r in declared()}
    assert set(env_pins) == wanted, f"environment.yml lists {sorted(set(env_pins) ^ wanted)} differently"
    differ = {n: (v, RUNTIME[n]) for n, v in env_pins.items() if RUNTIME[n] != v}
    assert not differ, f"environment.yml vs requirements/runtime.txt: {differ}"


def excluded() -> set[str]:
    lines = (ROOT / "requirements" / "excludes.txt").read_text().splitlines()
    return {normalise(line.strip()) for line in lines if line.strip() and not line.startswith("#")}


def test_excluded_packages_are_in_no_lock_and_kept_out_of_every_install():
    """Is every package of requirements/excludes.txt absent from the locks, and passed to uv by each install?"""
    names = excluded()
    assert names, "requirements/excludes.txt names no package"
    for lock_name, lock in (("runtime", RUNTIME), ("dev", DEV)):
        assert not names & set(lock), f"requirements/{lock_name}.txt pins {sorted(names & set(lock))}"
    # Without --excludes, uv asks for the excluded package's hash and stops (nothing installs).
    locked = [line for line in (ROOT / "course.sh").read_text().splitlines() if '-r "$lock"' in line]
    assert locked and all("--excludes requirements/excludes.txt" in line for line in locked), locked
