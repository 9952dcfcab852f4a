"""A throw-away PostgreSQL server for the tests (imported by test_io.py).

Finds Debian's server binaries (``/usr/lib/postgresql/<version>/bin/initdb``, ``pg_ctl``; installed by
scripts/setup.sh), creates a cluster in a temporary folder -- owned by the ``postgres`` user when the
tests run as root, since initdb refuses to run as root -- and starts it on a free port bound to
127.0.0.1 only, with its Unix socket in the same folder and a random password (scram-sha-256). The
session-scoped fixture yields an SQLAlchemy URL of a fresh database and stops the server and removes
the folder at the end of the session, also when a test or the start failed.

Without the binaries (or psycopg) the tests that use it are skipped with the reason, except in CI
(``CI=true``), where they fail: a missing install step must not pass as a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: scripts/setup.sh must install it)", pytrace=False)
    pytest.skip(reason)


def server_binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and pg_ctl, or None."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists():
            try:
                found.append((int(bindir.parent.name.split(".")[0]), bindir))
            except ValueError:
                continue
    return max(found)[1] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="wifund-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.password = secrets.token_urlsafe(16)
        self.port = 0
        self.started = False
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse root: run them as the postgres user
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.root, ignore_errors=True)
                _missing("tests run as root but there is no 'postgres' user to run the server")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            runuser = shutil.which("runuser")
            self.prefix = [runuser, "-u", "postgres", "--"] if runuser else None  # type: ignore[list-item]
            self.su = runuser is None
        else:
            self.su = False
        os.chmod(self.root, 0o700)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        if self.su:  # no runuser: su -c with a quoted command line
            import shlex

            cmd = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(args)]
        else:
            cmd = [*self.prefix, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.root)

    def _check(self, what: str, res: subprocess.CompletedProcess[str]) -> None:
        if res.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL {what} failed ({res.returncode}): {res.stderr.strip()[-2000:]}\n{log}")

    def start(self) -> str:
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(pwfile, pw.pw_uid, pw.pw_gid)
        pwfile.chmod(0o600)
        self._check(
            "initdb",
            self.run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "wifund",
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ),
        )
        pwfile.unlink()
        for attempt in range(5):  # a free port can be taken between choosing and binding it
            self.port = _free_port()
            opts = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            res = self.run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "start",
            )
            if res.returncode == 0:
                self.started = True
                break
            if attempt == 4:
                self._check("start", res)
        env = {**os.environ, "PGPASSWORD": self.password}
        res = subprocess.run(
            [str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "wifund", "wifund_test"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        self._check("createdb", res)
        return f"postgresql+psycopg://wifund:{self.password}@127.0.0.1:{self.port}/wifund_test"

    def stop(self) -> None:
        try:
            if self.started:
                self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """An SQLAlchemy URL (``postgresql+psycopg://wifund:<password>@127.0.0.1:<port>/wifund_test``) of a
    database on a server started for this session."""
    bindir = server_binaries()
    if bindir is None:
        _missing(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb, pg_ctl); "
            "install Debian's postgresql (scripts/setup.sh does)"
        )
    try:
        import psycopg  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError as exc:
        _missing(f"{exc.name} is not installed (pip install 'wifund[sql]')")
    server = _Server(bindir)  # type: ignore[arg-type]
    try:
        yield server.start()
    finally:
        server.stop()
