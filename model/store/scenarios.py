"""Workspaces and their named scenarios: save, list, rename, copy, delete (undoable), purge.

A workspace is one client or engagement; every scenario belongs to one. Names are free text in
any language, unique ignoring case inside their workspace (``db.clean_name``). Deleting moves a
scenario or a workspace to the bin: its key is tagged so the name is free again, and ``restore``
brings it back until ``purge`` removes it for good. Values are stored as the JSON of
``model.scenario.dump_scenario`` and validated again when read (a row from an older version is
reported, never crashed on).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from model.assumptions import ScenarioError
from model.scenario import dump_scenario, parse_scenario
from model.store import db, migrate
from model.store.db import Store, StoreError

MAX_NOTE_LENGTH = 2_000
S, W = db.scenarios, db.workspaces


@dataclass(frozen=True)
class Entry:
    """One saved scenario as listed; ``values`` is None when the stored row no longer validates."""

    name: str
    note: str
    values: dict[str, float | int | bool] | None
    error: str | None  # why the stored values are not usable (None = fine)
    created_at: str  # ISO 8601, UTC
    updated_at: str
    deleted_at: str | None = None  # set while it is in the bin


@dataclass(frozen=True)
class Workspace:
    name: str
    created_at: str
    scenarios: int  # live scenarios in it
    deleted_at: str | None = None


def _tag(key: str, row_id: int) -> str:
    """The name key of a deleted row: frees the name, stays unique."""
    return f"{key}\x1fdeleted-{row_id}"


def clean_note(note: object) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise StoreError("the note must be text")
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise StoreError(f"the note is {len(note)} characters long; use at most {MAX_NOTE_LENGTH}")
    return note


def values_json(values: Mapping[str, object]) -> str:
    try:
        return dump_scenario(values)
    except ScenarioError as e:
        raise StoreError(f"the scenario cannot be saved: {e}") from None


# --- workspaces -------------------------------------------------------------------------------


def workspace_id(con: Connection, name: str | None) -> int:
    """The id of a live workspace (None = the default one, created when missing)."""
    if name is None:
        return migrate.default_workspace_id(con)
    row = con.execute(select(W.c.id).where(W.c.name_key == db.name_key(str(name)),
                                           W.c.deleted_at.is_(None))).first()
    if row is None:
        raise StoreError(f"there is no workspace named “{name}”; pick one from the list or "
                         "create it")
    return row[0]


def _workspace_rows(con: Connection, deleted: bool) -> list[Workspace]:
    live = select(func.count()).where(S.c.workspace_id == W.c.id, S.c.deleted_at.is_(None))
    q = select(W.c.name, W.c.created_at, live.scalar_subquery(), W.c.deleted_at).where(
        W.c.deleted_at.isnot(None) if deleted else W.c.deleted_at.is_(None)).order_by(W.c.id)
    return [Workspace(*r) for r in con.execute(q)]


def list_workspaces(store: Store, deleted: bool = False) -> list[Workspace]:
    """Live workspaces, oldest first (or those in the bin with ``deleted=True``)."""
    with store.begin() as con:
        rows = _workspace_rows(con, deleted)
        if not deleted and not rows:  # every workspace deleted: the default one comes back
            migrate.default_workspace_id(con)
            rows = _workspace_rows(con, deleted)
        return rows


def create_workspace(store: Store, name: str, presets: bool = True) -> Workspace:
    """A new workspace (with the shipped presets to start from unless ``presets=False``)."""
    clean = db.clean_name(name, "workspace")
    with store.begin() as con:
        return _create_workspace(con, clean, presets)


def _create_workspace(con: Connection, clean: str, presets: bool) -> Workspace:
    clash = con.execute(select(W.c.name).where(W.c.name_key == db.name_key(clean))).first()
    if clash is not None:
        raise StoreError(f"a workspace named “{clash[0]}” already exists; choose another name")
    stamp = db.now()
    wid = con.execute(W.insert().values(name=clean, name_key=db.name_key(clean),
                                        created_at=stamp)).inserted_primary_key[0]
    if presets:
        try:
            migrate.insert_presets(con, wid, migrate.load_presets())
        except (OSError, ValueError, KeyError):
            pass
    n = con.execute(select(func.count()).where(S.c.workspace_id == wid)).scalar_one()
    return Workspace(clean, stamp, n)


def delete_workspace(store: Store, name: str) -> None:
    """Move a workspace (with its scenarios and workshops) to the bin; the last one stays."""
    with store.begin() as con:
        wid = workspace_id(con, name)
        if len(_workspace_rows(con, False)) <= 1:
            raise StoreError("this is the only workspace; create another before deleting it")
        key = con.execute(select(W.c.name_key).where(W.c.id == wid)).scalar_one()
        con.execute(W.update().where(W.c.id == wid).values(name_key=_tag(key, wid),
                                                            deleted_at=db.now()))


def _binned(con: Connection, table, name: str, extra=()) -> int:
    """The id of the most recently deleted row named ``name`` (raises when there is none)."""
    prefix = db.name_key(name) + "\x1fdeleted-"
    row = con.execute(select(table.c.id).where(
        table.c.deleted_at.isnot(None), table.c.name_key.startswith(prefix, autoescape=True),
        *extra).order_by(table.c.deleted_at.desc())).first()
    if row is None:
        what = "workspace" if table is W else "scenario"
        raise StoreError(f"there is no deleted {what} named “{name}” to restore")
    return row[0]


def restore_workspace(store: Store, name: str) -> Workspace:
    with store.begin() as con:
        wid = _binned(con, W, name)
        clean = con.execute(select(W.c.name).where(W.c.id == wid)).scalar_one()
        if con.execute(select(W.c.id).where(W.c.name_key == db.name_key(clean))).first():
            raise StoreError(f"a workspace named “{clean}” exists again; rename it first")
        con.execute(W.update().where(W.c.id == wid).values(name_key=db.name_key(clean),
                                                            deleted_at=None))
    return next(w for w in list_workspaces(store) if w.name == clean)


def purge_workspace(store: Store, name: str) -> None:
    """Remove a deleted workspace for good, with everything in it (cannot be undone)."""
    with store.begin() as con:
        wid = _binned(con, W, name)
        shops = select(db.workshops.c.id).where(db.workshops.c.workspace_id == wid)
        con.execute(db.answers.delete().where(db.answers.c.workshop_id.in_(shops)))
        con.execute(db.workshops.delete().where(db.workshops.c.workspace_id == wid))
        con.execute(S.delete().where(S.c.workspace_id == wid))
        con.execute(W.delete().where(W.c.id == wid))


def save_ranges(store: Store, workspace: str | None, ranges_json: str | None) -> None:
    """Keep (or with None clear) the workspace's uncertainty ranges (JSON made by the caller)."""
    with store.begin(lock=False) as con:
        wid = workspace_id(con, workspace)
        con.execute(W.update().where(W.c.id == wid).values(ranges_json=ranges_json))


def load_ranges(store: Store, workspace: str | None) -> str | None:
    with store.begin(lock=False) as con:
        wid = workspace_id(con, workspace)
        return con.execute(select(W.c.ranges_json).where(W.c.id == wid)).scalar_one()


# --- scenarios ---------------------------------------------------------------------------------


_COLS = (S.c.name, S.c.note, S.c.values_json, S.c.created_at, S.c.updated_at, S.c.deleted_at)


def _row(con: Connection, wid: int, name: str):
    return con.execute(select(*_COLS).where(S.c.workspace_id == wid,
                                            S.c.name_key == db.name_key(name))).first()


def entry(row) -> Entry:
    name, note, vjson, created, updated, deleted = row
    try:
        values, error = parse_scenario(vjson), None
    except ScenarioError as e:
        values, error = None, str(e)
    return Entry(name, note, values, error, created, updated, deleted)


def missing(name: str) -> StoreError:
    return StoreError(f"there is no saved scenario named “{name}”; pick one from the list")


def exists(name: str) -> StoreError:
    return StoreError(f"a scenario named “{name}” already exists; choose another name")


def save(store: Store, workspace: str | None, name: str, values: Mapping[str, object],
         note: str = "", overwrite: bool = False) -> Entry:
    """Save ``values`` under ``name``; an existing name is replaced only with ``overwrite``."""
    clean, note, vjson = db.clean_name(name), clean_note(note), values_json(values)
    with store.begin() as con:
        wid, stamp = workspace_id(con, workspace), db.now()
        old = _row(con, wid, clean)
        if old is not None and not overwrite:
            raise StoreError(f"a scenario named “{old[0]}” already exists; choose another name "
                             "or allow overwriting it")
        if old is not None:
            con.execute(S.update().where(S.c.workspace_id == wid,
                                         S.c.name_key == db.name_key(clean)).values(
                name=clean, note=note, values_json=vjson, updated_at=stamp))
        else:
            con.execute(S.insert().values(workspace_id=wid, name=clean, name_key=db.name_key(clean),
                                          note=note, values_json=vjson, created_at=stamp,
                                          updated_at=stamp))
        return entry(_row(con, wid, clean))


def list_entries(store: Store, workspace: str | None, deleted: bool = False) -> list[Entry]:
    """Live scenarios of the workspace, oldest first (or those in the bin)."""
    with store.begin(lock=False) as con:
        wid = workspace_id(con, workspace)
        q = select(*_COLS).where(S.c.workspace_id == wid, S.c.deleted_at.isnot(None) if deleted
                                 else S.c.deleted_at.is_(None)).order_by(S.c.id)
        return [entry(r) for r in con.execute(q)]


def get(store: Store, workspace: str | None, name: str) -> Entry:
    with store.begin(lock=False) as con:
        row = _row(con, workspace_id(con, workspace), name)
    if row is None:
        raise missing(name)
    return entry(row)


def rename(store: Store, workspace: str | None, old: str, new: str) -> Entry:
    """Give a saved scenario a new name (changing only its case is allowed)."""
    clean = db.clean_name(new)
    with store.begin() as con:
        wid = workspace_id(con, workspace)
        if _row(con, wid, old) is None:
            raise missing(old)
        clash = _row(con, wid, clean)
        if clash is not None and db.name_key(clean) != db.name_key(old):
            raise exists(clash[0])
        con.execute(S.update().where(S.c.workspace_id == wid, S.c.name_key == db.name_key(old))
                    .values(name=clean, name_key=db.name_key(clean), updated_at=db.now()))
        return entry(_row(con, wid, clean))


def duplicate(store: Store, workspace: str | None, name: str,
              new_name: str | None = None) -> Entry:
    """Copy a saved scenario; without ``new_name`` it becomes “NAME (copy)”, “NAME (copy 2)”, …"""
    with store.begin() as con:
        wid = workspace_id(con, workspace)
        row = _row(con, wid, name)
        if row is None:
            raise missing(name)
        if new_name is None:
            base = row[0][: db.MAX_NAME_LENGTH - 10]
            n, candidate = 1, f"{base} (copy)"
            while _row(con, wid, candidate) is not None:
                n += 1
                candidate = f"{base} (copy {n})"
        else:
            candidate = db.clean_name(new_name)
            if (clash := _row(con, wid, candidate)) is not None:
                raise exists(clash[0])
        stamp = db.now()
        con.execute(S.insert().values(workspace_id=wid, name=candidate,
                                      name_key=db.name_key(candidate), note=row[1],
                                      values_json=row[2], created_at=stamp, updated_at=stamp))
        return entry(_row(con, wid, candidate))


def delete(store: Store, workspace: str | None, name: str) -> None:
    """Move a scenario to the bin (``restore`` brings it back until ``purge``)."""
    with store.begin() as con:
        wid = workspace_id(con, workspace)
        row = con.execute(select(S.c.id, S.c.name_key).where(
            S.c.workspace_id == wid, S.c.name_key == db.name_key(name))).first()
        if row is None:
            raise missing(name)
        con.execute(S.update().where(S.c.id == row[0]).values(name_key=_tag(row[1], row[0]),
                                                               deleted_at=db.now()))


def restore(store: Store, workspace: str | None, name: str) -> Entry:
    """Bring back the most recently deleted scenario named ``name``."""
    with store.begin() as con:
        wid = workspace_id(con, workspace)
        sid = _binned(con, S, name, (S.c.workspace_id == wid,))
        clean = con.execute(select(S.c.name).where(S.c.id == sid)).scalar_one()
        if _row(con, wid, clean) is not None:
            raise StoreError(f"a scenario named “{clean}” exists again; rename it first")
        con.execute(S.update().where(S.c.id == sid).values(name_key=db.name_key(clean),
                                                            deleted_at=None))
        return entry(_row(con, wid, clean))


def purge(store: Store, workspace: str | None, name: str | None = None) -> int:
    """Remove deleted scenarios for good (one by name, or all in the workspace's bin)."""
    with store.begin() as con:
        wid = workspace_id(con, workspace)
        where = [S.c.workspace_id == wid, S.c.deleted_at.isnot(None)]
        if name is not None:
            where.append(S.c.id == _binned(con, S, name, (S.c.workspace_id == wid,)))
        return con.execute(S.delete().where(*where)).rowcount


def restore_presets(store: Store, workspace: str | None) -> list[str]:
    """Add back any shipped preset whose name is not in the workspace; returns the names added."""
    presets = migrate.load_presets()
    with store.begin() as con:
        return migrate.insert_presets(con, workspace_id(con, workspace), presets)
