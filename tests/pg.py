"""A throwaway PostgreSQL server for the tests (started from the installed binaries, on a free loopback port).

CI installs PostgreSQL in .ci/run; without it the PostgreSQL variants are skipped locally but fail under CI=true.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chain_tools.nodes import free_port


def pg_bindir() -> Path | None:
    """Directory of initdb/pg_ctl, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if candidates:
        return Path(candidates[0])
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start PostgreSQL in a fresh directory; yield a server URL (database "postgres")."""
    import tempfile

    bindir = pg_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run must install it (apt-get install postgresql)")
        pytest.skip("PostgreSQL not installed here; CI installs it")
    base = Path(tempfile.mkdtemp(prefix="tanji-pg-"))  # not under pytest's 0700 tmp: the postgres user must enter
    base.chmod(0o755)
    data = base / "pgdata"
    data.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
    run = {"check": True, "capture_output": True}
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "tanji"]), **run)
    try:
        port = _start(bindir, data)
        yield f"postgresql://tanji@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)


def _start(bindir: Path, data: Path, attempts: int = 3) -> int:
    """Start the server on a free port and return the port; retry on another port if the chosen one was taken
    in the meantime (pytest-xdist workers each start their own server and dev nodes)."""
    error = ""
    for _ in range(attempts):
        port = free_port()
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
        command = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start"]
        started = subprocess.run(_as_postgres(command), capture_output=True, text=True, check=False)
        if started.returncode == 0:
            return port
        error = started.stderr or started.stdout
    raise RuntimeError(f"PostgreSQL did not start in {attempts} attempts ({data / 'log'}): {error}")


def fresh_database(server_url: str, name: str) -> str:
    """Create database `name` on the server and return its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
