"""JupyterHub for a class taking the AIP-C01 course (see deploy/README.md).

    jupyterhub -f deploy/jupyterhub_config.py

Everything site-specific comes from environment variables (defaults in brackets):

    AIP_COURSE_ROOT     the course directory: release/ is copied to students [the repository]
    AIP_HUB_STATE       hub database and cookie secret [/srv/aip-c01/hub]
    AIP_HUB_HOMES       student homes, one folder per user [/srv/aip-c01/homes]
    AIP_EXCHANGE_ROOT   nbgrader exchange [/srv/nbgrader/exchange]
    AIP_INSTRUCTORS     comma-separated instructor user names [instructor]
    AIP_HUB_PASSWORD    shared password for the DummyAuthenticator (demo/classroom trial only) [none]
    AIP_FORMGRADER      "1": run nbgrader's formgrader as a hub service for the instructors [off]
    AIP_GRADER_USER     OS account the formgrader service runs as (needs a root hub) [the hub's user]
    AIP_FORMGRADER_PORT loopback port of the formgrader service [9999]
    AIP_SPAWNER         "trial": every server runs as the hub's OS user; "system": one OS account
                        per student (root hub), refused unless the course directory is private [trial]
    AIP_STUDENT_ENV     the students' Python environment (python -m course.classroom.student_env):
                        servers and kernels run from it, never from the course directory [none]

Out of the box this is the trial set-up: DummyAuthenticator and SimpleLocalProcessSpawner
(every student is a folder under AIP_HUB_HOMES, all servers run as the hub's OS user, so
students can read whatever the hub's user can: solutions, hidden tests, the quiz key).
For a real class use AIP_SPAWNER=system with AIP_STUDENT_ENV and a real authenticator
(README: "Production").
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
COURSE = Path(os.environ.get("AIP_COURSE_ROOT", HERE.parent)).resolve()
STATE = Path(os.environ.get("AIP_HUB_STATE", "/srv/aip-c01/hub"))
HOMES = Path(os.environ.get("AIP_HUB_HOMES", "/srv/aip-c01/homes"))
EXCHANGE = os.environ.get("AIP_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
INSTRUCTORS = [u.strip() for u in os.environ.get("AIP_INSTRUCTORS", "instructor").split(",") if u.strip()]
SPAWNER = os.environ.get("AIP_SPAWNER", "trial")
STUDENT_ENV = Path(os.environ["AIP_STUDENT_ENV"]).resolve() if os.environ.get("AIP_STUDENT_ENV") else None
COURSE_ID = "aip-c01"
SERVICE = f"formgrader-{COURSE_ID}"

sys.path.insert(0, str(COURSE))  # the course package (hook below), also when it is not pip-installed
from course.classroom import hub  # noqa: E402

STATE.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- who may log in -------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
c.Authenticator.allow_all = True
c.Authenticator.admin_users = set(INSTRUCTORS)
if os.environ.get("AIP_HUB_PASSWORD"):
    c.DummyAuthenticator.password = os.environ["AIP_HUB_PASSWORD"]

# --- each user's server: their own home folder with the course copied in ----------------------
if SPAWNER == "system":
    # One OS account per student (accounts and homes must exist). Their servers must not be able
    # to read the course directory: refuse to start until it is private and students have their own
    # environment (deploy/README.md, "Production").
    problems = hub.private_course_problems(COURSE, STUDENT_ENV)
    if problems:
        raise SystemExit("Refusing to start: students could read the course directory.\n- " + "\n- ".join(problems))
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
elif SPAWNER == "trial":
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
    if os.geteuid() == 0:
        # SimpleLocalProcessSpawner runs every server as the hub's user; in a root container that is root
        c.Spawner.args = ["--allow-root"]
else:
    raise SystemExit(f"AIP_SPAWNER={SPAWNER!r}: use 'trial' or 'system'")
c.Spawner.default_url = "/lab"
c.Spawner.pre_spawn_hook = hub.course_copier(COURSE / "release")
if STUDENT_ENV:
    # Servers and kernels run from the students' environment: `course` from its wheel, and
    # deploy/nbgrader_config.py from <env>/etc/jupyter. Nothing points into the course directory.
    c.Spawner.cmd = [str(STUDENT_ENV / "bin" / "python"), "-m", "jupyterhub.singleuser"]
    c.Spawner.env_keep = ["JUPYTERHUB_SINGLEUSER_APP", "LANG", "LC_ALL"]  # not the hub's PATH or PYTHONPATH
    c.Spawner.environment = {
        "AIP_EXCHANGE_ROOT": EXCHANGE,
        "PATH": os.pathsep.join([str(STUDENT_ENV / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
    }
else:
    c.Spawner.environment = {
        "AIP_EXCHANGE_ROOT": EXCHANGE,
        # deploy/nbgrader_config.py: exchange location, course id, late policy
        "JUPYTER_CONFIG_PATH": str(HERE),
        "PYTHONPATH": str(COURSE),
    }

# --- instructors: nbgrader's formgrader as a shared hub service --------------------------------
c.JupyterHub.load_groups = {f"formgrade-{COURSE_ID}": INSTRUCTORS, f"nbgrader-{COURSE_ID}": []}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE_ID}",
        "groups": [f"formgrade-{COURSE_ID}"],
        "scopes": [f"access:services!service={SERVICE}"],
    },
    {
        "name": f"nbgrader-{COURSE_ID}",
        "groups": [f"nbgrader-{COURSE_ID}"],
        "scopes": ["list:services", f"read:services!service={SERVICE}"],
    },
]
if os.environ.get("AIP_FORMGRADER") == "1":
    service = {
        "name": SERVICE,
        "url": f"http://127.0.0.1:{os.environ.get('AIP_FORMGRADER_PORT', '9999')}",
        "command": [sys.executable, "-m", "jupyterhub.singleuser", *(["--allow-root"] if os.geteuid() == 0 else [])],
        "cwd": str(COURSE),
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            "AIP_EXCHANGE_ROOT": EXCHANGE,
            "JUPYTER_CONFIG_PATH": str(HERE),
        },
        "oauth_no_confirm": True,
    }
    if os.environ.get("AIP_GRADER_USER"):
        service["user"] = os.environ["AIP_GRADER_USER"]
    c.JupyterHub.services = [service]
