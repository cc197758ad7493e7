"""Start a grading kernel in a jail: ``python -m course.classroom.jail SPEC -- KERNEL-COMMAND``.

The grader (``limits.JailedKernelManager``) writes SPEC (JSON) and puts this module in front
of the kernel command. Two stages, because namespaces must exist before mounts are made:

1. outside: a scrubbed environment (no AWS_* variables, a private HOME and TMPDIR, an
   IPython start-up file that starts the course sandbox before any student code), resource
   limits (address space, file size, no core dumps), then ``unshare`` into new mount and
   network namespaces (plus a user namespace when the grader is not root);
2. inside: the course directory is covered by an empty folder into which only what the kernel
   needs is put back (the notebook's own folder, the course package, the Python environment),
   so solutions, hidden tests, answer keys, the gradebook and other students' work cannot be
   read; every file system is remounted read-only (in this namespace only) but for the
   notebook's folder and the jail, and the grader's AWS credential files are covered by empty
   ones; then every capability is dropped (``setpriv``) so nothing can be
   remounted, and the kernel starts. The new network namespace has no interfaces up: no
   request can leave the machine, whatever the student's code does.

The kernel talks to the grader over Unix sockets in the jail folder (the ipc transport),
which work across network namespaces.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

# Environment variables a kernel may keep; everything else (AWS_*, tokens, the grader's
# own settings) is dropped.
KEEP_ENV = ("PATH", "LANG", "LANGUAGE", "TZ", "TERM", "PYTHONPATH", "NBGRADER_EXECUTION", "JPY_PARENT_PID")
KEEP_PREFIX = ("LC_",)

STARTUP = """\
# Written by the course grader: the simulated AWS account is running before any student code.
from course import sandbox as _course_sandbox
_course_sandbox.start()
from course.classroom import integrity as _course_integrity
_course_integrity.snapshot()
from course.classroom import gc_tuning as _course_gc_tuning
_course_gc_tuning.tune()
del _course_sandbox, _course_integrity, _course_gc_tuning
"""


def kernel_env(spec: dict, environ: dict[str, str]) -> dict[str, str]:
    """The environment the kernel gets: a short allow-list plus the jail's own folders."""
    env = {k: v for k, v in environ.items() if k in KEEP_ENV or k.startswith(KEEP_PREFIX)}
    home = spec["home"]
    env.update(
        HOME=home,
        TMPDIR=spec["tmp"],
        IPYTHONDIR=str(Path(home) / ".ipython"),
        MPLCONFIGDIR=str(Path(home) / ".matplotlib"),
        AIP_COURSE_HOME=str(Path(home) / ".aip-c01-course"),
        JUPYTER_RUNTIME_DIR=str(Path(home) / ".runtime"),
        # Fewer malloc arenas: the address-space limit then measures memory, not reservations.
        MALLOC_ARENA_MAX="2",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def prepare_home(spec: dict) -> None:
    if spec.get("stage"):
        Path(spec["stage"]).mkdir(parents=True, exist_ok=True)
    home = Path(spec["home"])
    startup = home / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-course-grading.py").write_text(STARTUP)
    Path(spec["tmp"]).mkdir(parents=True, exist_ok=True)


def set_limits(spec: dict) -> None:
    """Hard limits (soft = hard), so student code cannot raise them again."""
    mib = 1024 * 1024
    if spec.get("memory_mb"):
        value = spec["memory_mb"] * mib
        resource.setrlimit(resource.RLIMIT_AS, (value, value))
    if spec.get("file_size_mb"):
        value = spec["file_size_mb"] * mib
        resource.setrlimit(resource.RLIMIT_FSIZE, (value, value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def unshare_command(spec_path: str, kernel: list[str]) -> list[str]:
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    inside = [sys.executable, "-m", "course.classroom.jail", "--inside", spec_path, "--", *kernel]
    return ["unshare", *user, "--mount", "--net", "--propagation", "private", "--", *inside]


def can_isolate() -> str | None:
    """None when namespaces work here, else why not."""
    for tool in ("unshare", "mount", "setpriv"):
        if not shutil.which(tool):
            return f"{tool} (util-linux) is not installed"
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    probe = subprocess.run(
        ["unshare", *user, "--mount", "--net", "--", "true"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        return f"unshare failed: {probe.stderr.strip() or probe.returncode}"
    return None


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise OSError(f"mount {' '.join(args)}: {result.stderr.strip()}")


SPECIAL = ("/proc", "/sys", "/dev")


def mount_points() -> list[str]:
    """Every mount point this namespace sees (field 5 of /proc/self/mountinfo, unescaped)."""
    return list(mount_options())


def mount_options() -> dict[str, list[str]]:
    """Each mount point and its per-mount options (field 6 of /proc/self/mountinfo: rw,nosuid,...)."""
    found: dict[str, list[str]] = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        found[fields[4].encode().decode("unicode_escape")] = fields[5].split(",")
    return found


# Flags a user namespace may not clear on a mount it inherited ("locked"): a read-only remount
# must repeat them, or the kernel refuses it (EPERM).
LOCKED = ("nosuid", "nodev", "noexec", "noatime", "nodiratime", "relatime", "strictatime")


def remount_read_only(point: str, options: list[str]) -> None:
    """Make ``point`` read-only in this namespace, keeping its locked flags.

    A mount the jailed kernel cannot even reach (a folder it has no search permission for)
    is left as it is: nothing below it can be read or written either way."""
    kept = [o for o in options if o in LOCKED]
    try:
        _mount("-o", ",".join(["remount", "bind", "ro", *kept]), point)
    except OSError:
        try:
            os.stat(point)
        except PermissionError:
            return
        raise


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def hide_courses(spec: dict) -> None:
    """Cover each course directory with an empty tmpfs and put back only the paths the kernel needs.

    The paths kept are first bound to a staging folder in the jail (the tmpfs will hide their
    originals), then bound again at their own place inside the tmpfs.
    """
    staging = Path(spec.get("stage") or Path(spec["tmp"]).parent / "stage")
    for n, root in enumerate(os.path.realpath(r) for r in spec.get("hide", [])):
        if not os.path.isdir(root):
            continue
        keep = sorted({k for k in (os.path.realpath(p) for p in spec.get("keep", [])) if _within(k, root)})
        if root in keep or any(_within(root, k) for k in keep):
            continue  # the notebook is the course directory itself: nothing to hide
        keep = [k for k in keep if os.path.exists(k) and not any(_within(k, o) and k != o for o in keep)]
        saved = []
        for m, path in enumerate(keep):
            spot = staging / f"{n}-{m}"
            if os.path.isdir(path):
                spot.mkdir(parents=True, exist_ok=True)
            else:
                spot.parent.mkdir(parents=True, exist_ok=True)
                spot.touch()
            _mount("--bind", path, str(spot))
            saved.append((path, spot))
        _mount("-t", "tmpfs", "-o", "size=64k,mode=755", "tmpfs", root)
        for path, spot in saved:
            if spot.is_dir():
                os.makedirs(path, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                Path(path).touch()
            _mount("--bind", str(spot), path)
            subprocess.run(["umount", "-l", str(spot)], capture_output=True, check=False)


def make_mounts(spec: dict) -> None:
    """Inside the new mount namespace: courses hidden, writable holes, hidden credentials, the rest read-only.

    Remounting each existing mount read-only changes this namespace only; the holes are
    mounts of their own, made first, so they stay writable.
    """
    hide_courses(spec)
    holes = [os.path.realpath(p) for p in spec["writable"]]
    for path in holes:
        _mount("--bind", path, path)
    hidden = []
    for path in spec["hidden"]:
        if os.path.isdir(path):
            _mount("-t", "tmpfs", "-o", "ro,size=4k,mode=755", "tmpfs", path)
        elif os.path.exists(path):
            _mount("--bind", "/dev/null", path)
        else:
            continue
        hidden.append(os.path.realpath(path))
    for point, options in mount_options().items():
        special = any(point == s or point.startswith(s + "/") for s in SPECIAL)
        if special or point in holes or point in hidden:
            continue
        remount_read_only(point, options)


def drop_privileges(kernel: list[str]) -> list[str]:
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--no-new-privs", "--", *kernel]


def main(argv: list[str]) -> None:
    inside = argv[0] == "--inside"
    spec_path = argv[1] if inside else argv[0]
    kernel = argv[argv.index("--") + 1 :]
    spec = json.loads(Path(spec_path).read_text())
    if inside:
        cwd = os.getcwd()
        make_mounts(spec)
        os.chdir(cwd)  # the old working directory is the mount below the writable hole
        cmd = drop_privileges(kernel)
        os.execvp(cmd[0], cmd)
    prepare_home(spec)
    env = kernel_env(spec, dict(os.environ))
    set_limits(spec)
    cmd = unshare_command(spec_path, kernel) if spec.get("isolate") else kernel
    os.execvpe(cmd[0], cmd, env)


if __name__ == "__main__":
    main(sys.argv[1:])
