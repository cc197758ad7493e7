"""The students' Python environment on a hub: the ``course`` package from a wheel, apart from the course directory.

    python -m course.classroom.student_env /srv/aip-c01/student-env
    python -m course.classroom.student_env /srv/aip-c01/student-env --python /usr/bin/python3.11

Student kernels need ``import course`` (sandbox, quizzes, checks), and nothing else of the
instructor's course directory, which holds ``source/`` (solutions, hidden tests), every
``graded_key.yaml`` and the gradebook. So students get their own environment:

1. a wheel of the ``course`` package is built from a copy of ``course/`` and
   ``pyproject.toml`` alone, then checked: nothing but the package, no notebook, no
   ``graded_key.yaml``, no graded question with an answer in a bank;
2. a virtual environment is created with ``--python`` (an interpreter students can run:
   not one under ``/root``), the locked runtime dependencies (``requirements/runtime.txt``,
   hash-checked) and JupyterHub's single-user server of the hub's version are installed
   into it, then the wheel;
3. ``deploy/nbgrader_config.py`` goes to ``<env>/etc/jupyter/`` (Jupyter reads it from there:
   exchange and course id without reading the course directory); everything is made readable.

``--share PREFIX`` skips the download of step 2 and reuses the packages of an installed
environment at PREFIX (for a trial on one machine, or offline; PREFIX must be readable by
students and must not be inside the course directory). ``deploy/README.md`` says where the
result goes (``AIP_STUDENT_ENV``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
DIST = "aip_c01_course"
SECRET_NAMES = {"graded_key.yaml", "gradebook.db", "graded_answers.json"}
SECRET_SUFFIXES = (".ipynb",)
QUIZ_KEY_FIELDS = {"answer", "why"}


class StudentEnvError(Exception):
    pass


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, **kwargs)
    if result.returncode != 0:
        raise StudentEnvError(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


# -- the wheel ------------------------------------------------------------------------------


def build_wheel(root: Path, out: Path) -> Path:
    """A wheel of the ``course`` package, built from a copy holding nothing else of ``root``."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aip-wheel-") as scratch:
        src = Path(scratch) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(root / name, src / name)
        shutil.copytree(root / "course", src / "course", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        before = set(out.glob(f"{DIST}-*.whl"))
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "--no-index",
                "-w",
                str(out),
                str(src),
            ]
        )
    built = sorted(set(out.glob(f"{DIST}-*.whl")) - before) or sorted(out.glob(f"{DIST}-*.whl"), key=os.path.getmtime)
    if not built:
        raise StudentEnvError(f"pip wheel wrote no {DIST} wheel to {out}")
    return built[-1]


def wheel_problems(path: Path) -> list[str]:
    """What in the wheel at ``path`` a student must not get (empty: nothing)."""
    import yaml

    problems = []
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        for name in names:
            parts = PurePosixPath(name).parts
            if parts[0] != "course" and not parts[0].endswith(".dist-info"):
                problems.append(f"{name}: not part of the course package")
            if parts[-1] in SECRET_NAMES or name.endswith(SECRET_SUFFIXES):
                problems.append(f"{name}: instructor-only file")
            if name.startswith("course/banks/") and name.endswith(".yaml"):
                bank = yaml.safe_load(wheel.read(name)) or {}
                for q in bank.get("graded", []) if isinstance(bank, dict) else []:
                    if QUIZ_KEY_FIELDS & set(q) or any(QUIZ_KEY_FIELDS & set(o) for o in q.get("options", [])):
                        problems.append(f"{name}: graded question {q.get('id')} carries its key")
    if "course/__init__.py" not in names:
        problems.append("no course/__init__.py: not a wheel of the course package")
    return problems


# -- the environment ------------------------------------------------------------------------


def site_packages(python: Path) -> Path:
    out = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout
    return Path(out.strip())


def create(
    env: Path,
    wheel: Path,
    *,
    python: str,
    requirements: Path | None = None,
    share: Path | None = None,
    nbgrader_config: Path | None = None,
) -> Path:
    """Create the students' environment at ``env`` (see the module docstring); its interpreter."""
    problems = wheel_problems(wheel)
    if problems:
        raise StudentEnvError(f"{wheel.name} must not reach students:\n- " + "\n- ".join(problems))
    _run([python, "-m", "venv", "--without-pip", str(env)])
    target = env / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(target), "install", "--no-input"]
    if share is not None:
        shared = site_packages(share / "bin" / "python")
        (site_packages(target) / "aip-shared-packages.pth").write_text(f"{shared}\n")
        (env / "share").mkdir(exist_ok=True)
        os.symlink(share / "share" / "jupyter", env / "share" / "jupyter")
        if (share / "etc" / "jupyter").is_dir():
            shutil.copytree(share / "etc" / "jupyter", env / "etc" / "jupyter", dirs_exist_ok=True)
    else:
        _run([*pip, "--require-hashes", "-r", str(requirements or ROOT / "requirements" / "runtime.txt")])
        _run([*pip, f"jupyterhub=={metadata.version('jupyterhub')}"])
    # --force-reinstall: a shared environment may hold the course too (an editable install).
    _run([*pip, "--no-deps", "--no-index", "--force-reinstall", str(wheel)])
    config = env / "etc" / "jupyter" / "nbgrader_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(nbgrader_config or ROOT / "deploy" / "nbgrader_config.py", config)
    readable(env)
    return target


def readable(folder: Path) -> None:
    """Every account may read ``folder`` and run what it holds (a student environment is not secret)."""
    for dirpath, _dirs, filenames in os.walk(folder):
        os.chmod(dirpath, os.stat(dirpath).st_mode | 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o444 | (0o111 if os.access(path, os.X_OK) else 0))


def default_python() -> str:
    """This Python's version from the system (``/usr/bin/python3.X``), else this interpreter's base."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for folder in ("/usr/bin", "/usr/local/bin"):
        if os.access(Path(folder) / version, os.X_OK):
            return str(Path(folder) / version)
    return getattr(sys, "_base_executable", sys.executable)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("env", type=Path, help="where to create the students' environment")
    parser.add_argument("--root", type=Path, default=ROOT, help="course directory (default: this one)")
    parser.add_argument(
        "--python", default=None, help="interpreter students can run (default: /usr/bin/python3.X of this version)"
    )
    parser.add_argument("--share", type=Path, help="reuse the packages of the environment at this prefix")
    args = parser.parse_args(argv)
    env, root = args.env.resolve(), args.root.resolve()
    if env.is_relative_to(root):
        print(f"{env} is inside the course directory {root}: students could not use it once that is private")
        return 2
    if env.exists():
        print(f"{env} exists: remove it first (or choose another path)")
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="aip-wheel-out-") as out:
            wheel = build_wheel(root, Path(out))
            python = create(env, wheel, python=args.python or default_python(), share=args.share)
    except StudentEnvError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"students' environment ready: {env} (interpreter {python}); set AIP_STUDENT_ENV={env} for the hub")
    return 0


if __name__ == "__main__":
    sys.exit(main())
