"""A throw-away PostgreSQL server for the tests: initdb in a temporary folder, pg_ctl on a free loopback port.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` OS user
(created by Debian's ``postgresql`` package) through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class Unavailable(Exception):
    """PostgreSQL cannot be started here (the message says why)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    found = shutil.which(name) or next(iter(candidates), None)
    if not found:
        raise Unavailable(f"PostgreSQL's {name} was not found (install the Debian package postgresql)")
    return found


class Server:
    def __init__(self) -> None:
        self.initdb, self.pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="aip-pg-"))
        self.data = self.folder / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise Unavailable("running as root and there is no 'postgres' OS user to run the server") from exc
            if not shutil.which("runuser"):
                raise Unavailable("running as root and runuser is missing")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def run(self, *cmd: str) -> None:
        result = subprocess.run([*self.prefix, *cmd], capture_output=True, text=True, timeout=180)
        if result.returncode != 0:
            raise Unavailable(f"{' '.join(cmd[:2])} failed: {result.stdout}\n{result.stderr}")

    def start(self) -> str:
        self.run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        opts = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"), "-o", opts, "-w", "-t", "60", "start"
        )
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def create_db(self, name: str) -> str:
        import psycopg

        for _ in range(30):
            try:
                conn = psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
                break
            except psycopg.OperationalError:
                time.sleep(0.5)
        else:
            raise Unavailable("the PostgreSQL server did not accept connections")
        conn.autocommit = True
        with conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [*self.prefix, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.folder, ignore_errors=True)
