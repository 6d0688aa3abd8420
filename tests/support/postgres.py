"""A throwaway PostgreSQL server of Debian's packages (store tests, the replica browser test and
benchmarks/bench_workshop.py): initdb in a temporary folder, start on a free port, stop, remove.

initdb refuses to run as root, so as root it runs as the ``postgres`` user (``runuser``) in a
folder that user owns; as anyone else it runs as the current user."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MISSING = ("PostgreSQL NOT TESTED: no /usr/lib/postgresql/*/bin/initdb; install it with "
           "`apt-get install -y postgresql` (tests/run.sh does this)")


def initdb() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """Yields ``postgresql+psycopg://postgres@127.0.0.1:PORT`` (add ``/DBNAME``)."""
    found = initdb()
    if found is None:
        raise RuntimeError(MISSING)
    bindir = found.parent
    root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if root else []
    folder = Path(tempfile.mkdtemp(prefix="oneq-pg-"))
    if root:
        shutil.chown(folder, "postgres", "postgres")
    port, data = _free_port(), folder / "data"
    try:
        subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                        "postgres", "-E", "UTF8", "--locale=C.UTF-8"], check=True,
                       capture_output=True)
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-o",
                        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
                        "-c max_connections=200", "-l", str(folder / "log"), "-w", "start"],
                       check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A new empty database on the server; returns its URL."""
    from sqlalchemy import create_engine, text

    name = f"t_{secrets.token_hex(6)}"
    engine = create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as con:
        con.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return f"{server_url}/{name}"
