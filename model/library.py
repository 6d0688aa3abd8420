"""The scenario library as the pages know it: named scenarios with notes, in the current workspace.

A facade over ``model.store`` (SQLAlchemy; SQLite by default, PostgreSQL with
``ONEQ_DATABASE_URL``; see ``model/store/db.py`` for where the data lives and how concurrent
writers are kept apart). Every function works in the *current workspace*: the one named by
``workspace=``, else the one chosen for this thread with ``use_workspace`` (the page's sidebar
selector, ``ui/workspace.py``), else the default workspace. ``path=`` points at another SQLite
file (tests, tools).

Names are free text in any language (joiners such as ZWJ/ZWNJ included): trimmed, 1–80
characters, no control characters, unique ignoring case inside a workspace. Deleting moves a
scenario to the bin; ``restore`` brings it back until ``purge``. Values are stored as the JSON of
``model.scenario.dump_scenario`` and validated again when read.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path

from model.store import db, migrate, scenarios
from model.store.db import MAX_NAME_LENGTH, StoreError, library_path, name_key
from model.store.migrate import DEFAULT_WORKSPACE, PRESETS_DIR
from model.store.scenarios import MAX_NOTE_LENGTH, Entry, Workspace

LibraryError = StoreError  # one error class for the library and the store
ENV_VAR = db.LIBRARY_ENV
APP_NAME = db.APP_NAME

_current: ContextVar[str | None] = ContextVar("oneq_workspace", default=None)

__all__ = ["APP_NAME", "DEFAULT_WORKSPACE", "ENV_VAR", "MAX_NAME_LENGTH", "MAX_NOTE_LENGTH",
           "PRESETS_DIR", "Entry", "LibraryError", "Workspace", "clean_name", "current_workspace",
           "delete", "deleted_entries", "duplicate", "get", "library_path", "list_entries", "load",
           "name_key", "names", "purge", "rename", "restore", "restore_presets", "save", "saved_ranges",
           "use_workspace"]


def use_workspace(name: str | None) -> None:
    """Make ``name`` the current workspace of this thread (None = the default one)."""
    _current.set(name)


def current_workspace() -> str:
    return _current.get() or DEFAULT_WORKSPACE


def _store(path: Path | None):
    return db.open_store(path=path) if path is not None else db.open_store()


def _ws(workspace: str | None) -> str | None:
    return workspace if workspace is not None else _current.get()


def clean_name(name: object) -> str:
    """The name as it is stored (trimmed, NFC); raises LibraryError with the rule it breaks."""
    return db.clean_name(name)


def load_presets(directory: Path = PRESETS_DIR) -> list[tuple[str, str, dict]]:
    return migrate.load_presets(directory)


def save(name: str, values: Mapping[str, object], note: str = "", *, overwrite: bool = False,
         path: Path | None = None, workspace: str | None = None) -> Entry:
    """Save ``values`` under ``name``; an existing name is replaced only with ``overwrite=True``."""
    return scenarios.save(_store(path), _ws(workspace), name, values, note, overwrite)


def list_entries(path: Path | None = None, workspace: str | None = None) -> list[Entry]:
    """Every live scenario of the workspace, oldest first (the presets lead)."""
    return scenarios.list_entries(_store(path), _ws(workspace))


def deleted_entries(path: Path | None = None, workspace: str | None = None) -> list[Entry]:
    """Scenarios in the workspace's bin (restorable until purged)."""
    return scenarios.list_entries(_store(path), _ws(workspace), deleted=True)


def names(path: Path | None = None, workspace: str | None = None) -> list[str]:
    return [e.name for e in list_entries(path, workspace)]


def get(name: str, path: Path | None = None, workspace: str | None = None) -> Entry:
    """One saved scenario (its ``values`` may be None with ``error`` saying why)."""
    return scenarios.get(_store(path), _ws(workspace), name)


def load(name: str, path: Path | None = None,
         workspace: str | None = None) -> dict[str, float | int | bool]:
    """The validated values of a saved scenario; LibraryError if missing or no longer valid."""
    entry = get(name, path, workspace)
    if entry.values is None:
        raise LibraryError(f"the saved scenario “{entry.name}” can no longer be used "
                           f"({entry.error}); delete it or save it again")
    return entry.values


def rename(old: str, new: str, path: Path | None = None, workspace: str | None = None) -> Entry:
    """Give a saved scenario a new name (changing only its case is allowed)."""
    return scenarios.rename(_store(path), _ws(workspace), old, new)


def duplicate(name: str, new_name: str | None = None, path: Path | None = None,
              workspace: str | None = None) -> Entry:
    """Copy a saved scenario; without ``new_name`` it becomes “NAME (copy)”, “NAME (copy 2)”, …"""
    return scenarios.duplicate(_store(path), _ws(workspace), name, new_name)


def delete(name: str, path: Path | None = None, workspace: str | None = None) -> None:
    """Move a scenario to the bin (undo with ``restore``)."""
    scenarios.delete(_store(path), _ws(workspace), name)


def restore(name: str, path: Path | None = None, workspace: str | None = None) -> Entry:
    """Bring a deleted scenario back from the bin."""
    return scenarios.restore(_store(path), _ws(workspace), name)


def purge(name: str | None = None, path: Path | None = None,
          workspace: str | None = None) -> int:
    """Remove deleted scenarios for good (one, or the whole bin); returns how many."""
    return scenarios.purge(_store(path), _ws(workspace), name)


def saved_ranges(path: Path | None = None, workspace: str | None = None
                 ) -> dict[str, dict[str, float]] | None:
    """The ranges kept in the workspace by a workshop's "Use these ranges" (the ``analyze
    --ranges`` format: name → {low, likely, high}), or None when none were kept."""
    import json

    text = scenarios.load_ranges(_store(path), _ws(workspace))
    return json.loads(text) if text else None


def restore_presets(path: Path | None = None, workspace: str | None = None) -> list[str]:
    """Add back any shipped preset whose name is not in the workspace; returns the names added."""
    return scenarios.restore_presets(_store(path), _ws(workspace))
