"""The store's engine and transactions (SQLAlchemy Core; SQLite by default, PostgreSQL).

Where: ``ONEQ_DATABASE_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``)
when set, else the SQLite file at ``ONEQ_LIBRARY``, else ``library.sqlite`` in the user's data
directory (``platformdirs.user_data_dir("the-one-question")``) — never inside the repository.

Safe for several sessions (threads), processes and app replicas at once:

- SQLite: every transaction is ``BEGIN IMMEDIATE`` (the write lock is taken up front, so two writers
  queue instead of failing half-way), WAL journaling, a busy timeout; one connection per operation.
- PostgreSQL: a write that first checks a name (save, rename, create) takes a transaction-scoped
  advisory lock, so two replicas cannot both pass the check; an answer is one atomic upsert
  (``INSERT … ON CONFLICT DO UPDATE``) on both backends and needs no lock.

The tables are created (and older layouts upgraded, ``_migrate``) in the first transaction.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect, pool, text
from sqlalchemy.exc import SQLAlchemyError

from model.store import _migrate
from model.store._rules import StoreError

LIBRARY_ENV = "ONEQ_LIBRARY"
DATABASE_ENV = "ONEQ_DATABASE_URL"
APP_NAME = "the-one-question"
BUSY_TIMEOUT_MS = 30_000
LOCK_KEY = 7_001_011  # PostgreSQL advisory lock for name-checked writes (any fixed number)


def library_path() -> Path:
    """The SQLite file: ``$ONEQ_LIBRARY`` or the user's data directory."""
    env = os.environ.get(LIBRARY_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "library.sqlite"


def database_url(path: Path | str | None = None) -> str:
    """``sqlite:///PATH`` for ``path``; else ``$ONEQ_DATABASE_URL``; else the SQLite library."""
    if path is None:
        env = os.environ.get(DATABASE_ENV, "").strip()
        if env:
            return env
        path = library_path()
    return f"sqlite:///{Path(path)}"


def _where(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url.removeprefix("sqlite:///")


class Store:
    """One database: an engine and the tables, created on first use (see the module docstring)."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._ready = False
        self._lock = threading.Lock()
        # SQLite: threads of this process queue here, not in SQLite's sleeping busy handler (which
        # backs off up to 100 ms a try); other processes still queue on BEGIN IMMEDIATE.
        self._sqlite_writer = threading.Lock()
        try:
            self.engine = self._make_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as e:
            raise StoreError(f"the database URL in {DATABASE_ENV} cannot be used ({e})") from None

    def _make_engine(self, url: str) -> Engine:
        if not self.is_sqlite:
            return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=20)
        engine = create_engine(url, poolclass=pool.NullPool,
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_con, _record) -> None:  # pragma: no cover - exercised by every test
            dbapi_con.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_con.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL: never corrupts; only a power cut may lose the last commits
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # pragma: no cover
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def where(self) -> str:
        return _where(self.url)

    def _fail(self, e: Exception) -> StoreError:
        hint = (f"check the file or point {LIBRARY_ENV} at another one" if self.is_sqlite
                else f"check the server and {DATABASE_ENV}")
        detail = str(getattr(e, "orig", None) or e).splitlines()[0]
        return StoreError(f"the scenario library at {self.where()} cannot be used ({detail}); "
                          f"{hint}")

    @contextmanager
    def begin(self, lock: bool = True) -> Iterator[Connection]:
        """One transaction: committed on success, rolled back on error.

        ``lock``: on PostgreSQL, serialise with other name-checked writers (SQLite's
        BEGIN IMMEDIATE always does)."""
        self.ensure_schema()
        if self.is_sqlite:
            try:
                Path(self.where()).parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise self._fail(e) from None
        try:
            with self._sqlite_writer if self.is_sqlite else _NO_LOCK, self.engine.begin() as con:
                if lock and not self.is_sqlite:
                    con.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
                yield con
        except SQLAlchemyError as e:
            raise self._fail(e) from None

    def ensure_schema(self) -> None:
        """Create the tables (and migrate a version-1 library) once per process."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            try:
                if self.is_sqlite:
                    Path(self.where()).parent.mkdir(parents=True, exist_ok=True)
                with self.engine.begin() as con:
                    if not self.is_sqlite:
                        con.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
                    _migrate.upgrade(con, inspect(con))
            except (SQLAlchemyError, OSError) as e:
                raise self._fail(e) from None
            self._ready = True

    def dispose(self) -> None:
        self.engine.dispose()


_STORES: dict[str, Store] = {}
_NO_LOCK = contextlib.nullcontext()
_STORES_LOCK = threading.Lock()


def open_store(url: str | None = None, path: Path | str | None = None) -> Store:
    """The store for ``url`` (else ``path``, else the environment), one per URL per process."""
    url = url or database_url(path)
    with _STORES_LOCK:
        store = _STORES.get(url)
        if store is None:
            store = _STORES[url] = Store(url)
        return store


def forget_stores() -> None:
    """Dispose every engine (tests, and before a process forks)."""
    with _STORES_LOCK:
        for store in _STORES.values():
            store.dispose()
        _STORES.clear()
