"""The scenario library: named scenarios with notes in one SQLite file (no Streamlit here).

Where: the path in ``ONEQ_LIBRARY``, else ``library.sqlite`` in the user's data directory
(``platformdirs.user_data_dir("the-one-question")``) — never inside the repository.

Safe for several Streamlit sessions (threads) and processes at once: every operation opens its own
connection, runs in one ``BEGIN IMMEDIATE`` transaction (the write lock is taken up front, so two
writers queue instead of failing half-way), with WAL journaling and a busy timeout.

Names are free text in any language: trimmed, 1–80 characters, no control characters, unique
ignoring case (``"Bold"`` and ``"BOLD"`` are the same scenario). Values are stored as the JSON of
``model.scenario.dump_scenario`` and validated again when read, so a row written by an older version
whose values no longer fit the registry is reported, never crashed on.
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from model.assumptions import ScenarioError
from model.scenario import dump_scenario, parse_scenario

ENV_VAR = "ONEQ_LIBRARY"
APP_NAME = "the-one-question"
MAX_NAME_LENGTH = 80
MAX_NOTE_LENGTH = 2_000
BUSY_TIMEOUT_MS = 30_000
PRESETS_DIR = Path(__file__).resolve().parent.parent / "data" / "presets"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,                -- as the user typed it (trimmed)
    name_key TEXT NOT NULL UNIQUE,     -- NFC + casefold: uniqueness ignoring case, in any script
    note TEXT NOT NULL DEFAULT '',
    values_json TEXT NOT NULL,         -- model.scenario.dump_scenario
    created_at TEXT NOT NULL,          -- ISO 8601, UTC
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class LibraryError(ValueError):
    """A library operation that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Entry:
    """One saved scenario as listed; ``values`` is None when the stored row no longer validates."""

    name: str
    note: str
    values: dict[str, float | int | bool] | None
    error: str | None  # why the stored values are not usable (None = fine)
    created_at: str  # ISO 8601, UTC
    updated_at: str


@dataclass(frozen=True)
class Preset:
    name: str
    note: str
    values: dict[str, float | int | bool]


def library_path() -> Path:
    """The library file: ``$ONEQ_LIBRARY`` or the user's data directory."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # only needed when no path is configured

    return Path(platformdirs.user_data_dir(APP_NAME)) / "library.sqlite"


def clean_name(name: object) -> str:
    """The name as it is stored (trimmed, NFC); raises LibraryError with the rule it breaks."""
    if not isinstance(name, str):
        raise LibraryError("a scenario name must be text")
    text = unicodedata.normalize("NFC", name).strip()
    if not text:
        raise LibraryError("the scenario name is empty; type a name such as “Bold, 2027 budget”")
    if len(text) > MAX_NAME_LENGTH:
        raise LibraryError(
            f"the scenario name is {len(text)} characters long; use at most {MAX_NAME_LENGTH}")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise LibraryError("the scenario name contains a line break or control character; "
                           "use one line of ordinary text")
    return text


def name_key(name: str) -> str:
    """The key that makes names unique ignoring case (works beyond ASCII, unlike SQL NOCASE)."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def _clean_note(note: object) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise LibraryError("the note must be text")
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise LibraryError(f"the note is {len(note)} characters long; use at most {MAX_NOTE_LENGTH}")
    return note


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _values_json(values: Mapping[str, object]) -> str:
    try:
        return dump_scenario(values)
    except ScenarioError as e:
        raise LibraryError(f"the scenario cannot be saved: {e}") from None


def load_presets(directory: Path = PRESETS_DIR) -> list[Preset]:
    """The shipped presets, in the order of ``presets.json``."""
    index = json.loads((directory / "presets.json").read_text(encoding="utf-8"))
    return [Preset(name=p["name"], note=p.get("note", ""),
                   values=parse_scenario((directory / p["file"]).read_bytes()))
            for p in index["presets"]]


@contextmanager
def _transaction(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """One connection, one immediate transaction: committed on success, rolled back on error."""
    path = library_path() if path is None else Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as e:
        raise LibraryError(f"cannot open the scenario library at {path}: {e}") from None
    try:
        try:
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("BEGIN IMMEDIATE")
            for stmt in filter(str.strip, _SCHEMA.split(";")):
                con.execute(stmt)
            _seed_presets(con)
        except sqlite3.Error as e:  # not a database, locked for too long, disk full, ...
            raise LibraryError(f"the scenario library at {path} cannot be used ({e}); check "
                               f"the file or point {ENV_VAR} at another one") from None
        yield con
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def _seed_presets(con: sqlite3.Connection) -> None:
    """On first start (a library never seeded before) insert the presets from data/presets."""
    if con.execute("SELECT 1 FROM meta WHERE key = 'presets_seeded'").fetchone():
        return
    if con.execute("SELECT COUNT(*) FROM scenarios").fetchone()[0] == 0:
        try:
            presets = load_presets()
        except (OSError, ValueError, KeyError):  # presets missing or broken: still usable
            return
        _insert_presets(con, presets)
    con.execute("INSERT INTO meta (key, value) VALUES ('presets_seeded', ?)", (_now(),))


def _insert_presets(con: sqlite3.Connection, presets: list[Preset]) -> list[str]:
    added = []
    now = _now()
    for p in presets:
        cur = con.execute(
            "INSERT OR IGNORE INTO scenarios (name, name_key, note, values_json, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (p.name, name_key(p.name), p.note, dump_scenario(p.values), now, now))
        if cur.rowcount:
            added.append(p.name)
    return added


def _row(con: sqlite3.Connection, name: str) -> tuple | None:
    return con.execute(
        "SELECT name, note, values_json, created_at, updated_at FROM scenarios WHERE name_key = ?",
        (name_key(name),)).fetchone()


def _entry(row: tuple) -> Entry:
    name, note, values_json, created, updated = row
    try:
        values, error = parse_scenario(values_json), None
    except ScenarioError as e:
        values, error = None, str(e)
    return Entry(name=name, note=note, values=values, error=error, created_at=created,
                 updated_at=updated)


def _missing(name: str) -> LibraryError:
    return LibraryError(f"there is no saved scenario named “{name}”; pick one from the list")


def save(name: str, values: Mapping[str, object], note: str = "", *, overwrite: bool = False,
         path: Path | None = None) -> Entry:
    """Save ``values`` under ``name``; an existing name is replaced only with ``overwrite=True``."""
    clean = clean_name(name)
    note = _clean_note(note)
    values_json = _values_json(values)
    with _transaction(path) as con:
        now = _now()
        existing = _row(con, clean)
        if existing is not None:
            if not overwrite:
                raise LibraryError(
                    f"a scenario named “{existing[0]}” already exists; choose another name or "
                    "allow overwriting it")
            con.execute(
                "UPDATE scenarios SET name = ?, note = ?, values_json = ?, updated_at = ?"
                " WHERE name_key = ?", (clean, note, values_json, now, name_key(clean)))
        else:
            con.execute(
                "INSERT INTO scenarios (name, name_key, note, values_json, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (clean, name_key(clean), note, values_json, now, now))
        return _entry(_row(con, clean))


def list_entries(path: Path | None = None) -> list[Entry]:
    """Every saved scenario, oldest first (the presets lead)."""
    with _transaction(path) as con:
        rows = con.execute("SELECT name, note, values_json, created_at, updated_at"
                           " FROM scenarios ORDER BY id").fetchall()
    return [_entry(r) for r in rows]


def names(path: Path | None = None) -> list[str]:
    return [e.name for e in list_entries(path)]


def get(name: str, path: Path | None = None) -> Entry:
    """One saved scenario (its ``values`` may be None with ``error`` saying why)."""
    with _transaction(path) as con:
        row = _row(con, name)
    if row is None:
        raise _missing(name)
    return _entry(row)


def load(name: str, path: Path | None = None) -> dict[str, float | int | bool]:
    """The validated values of a saved scenario; LibraryError if missing or no longer valid."""
    entry = get(name, path)
    if entry.values is None:
        raise LibraryError(f"the saved scenario “{entry.name}” can no longer be used "
                           f"({entry.error}); delete it or save it again")
    return entry.values


def rename(old: str, new: str, path: Path | None = None) -> Entry:
    """Give a saved scenario a new name (changing only its case is allowed)."""
    clean = clean_name(new)
    with _transaction(path) as con:
        row = _row(con, old)
        if row is None:
            raise _missing(old)
        clash = _row(con, clean)
        if clash is not None and name_key(clean) != name_key(old):
            raise LibraryError(f"a scenario named “{clash[0]}” already exists; choose another name")
        con.execute("UPDATE scenarios SET name = ?, name_key = ?, updated_at = ? WHERE name_key = ?",
                    (clean, name_key(clean), _now(), name_key(old)))
        return _entry(_row(con, clean))


def duplicate(name: str, new_name: str | None = None, path: Path | None = None) -> Entry:
    """Copy a saved scenario; without ``new_name`` it becomes “NAME (copy)”, “NAME (copy 2)”, …"""
    with _transaction(path) as con:
        row = _row(con, name)
        if row is None:
            raise _missing(name)
        if new_name is None:
            base = row[0][: MAX_NAME_LENGTH - 10]
            n, candidate = 1, f"{base} (copy)"
            while _row(con, candidate) is not None:
                n += 1
                candidate = f"{base} (copy {n})"
        else:
            candidate = clean_name(new_name)
            clash = _row(con, candidate)
            if clash is not None:
                raise LibraryError(
                    f"a scenario named “{clash[0]}” already exists; choose another name")
        now = _now()
        con.execute(
            "INSERT INTO scenarios (name, name_key, note, values_json, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (candidate, name_key(candidate), row[1], row[2], now, now))
        return _entry(_row(con, candidate))


def delete(name: str, path: Path | None = None) -> None:
    with _transaction(path) as con:
        if con.execute("DELETE FROM scenarios WHERE name_key = ?", (name_key(name),)).rowcount == 0:
            raise _missing(name)


def restore_presets(path: Path | None = None) -> list[str]:
    """Add back any shipped preset whose name is not in the library; returns the names added."""
    with _transaction(path) as con:
        return _insert_presets(con, load_presets())
