"""The named scenarios of a workspace: save, list, rename, copy, delete (undoable), purge.

Every scenario belongs to one workspace, and every function takes the ``user`` who asks: a
workspace they are not a member of is not found (``workspaces.workspace_id``). Names are free text
in any language, unique ignoring case inside their workspace (``clean_name``). Deleting moves a
scenario to the bin: its key is tagged so the name is free again, and ``restore`` brings it back
until ``purge`` removes it for good. Values are stored as the JSON of
``model.scenario.dump_scenario`` and validated again when read (a row from an older version is
reported, never crashed on).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select

from model.assumptions import ScenarioError
from model.scenario import dump_scenario
from model.store import _migrate
from model.store._engine import Store
from model.store._rules import MAX_NAME_LENGTH, StoreError, clean_name, clean_note, name_key, now
from model.store._schema import scenarios as S
from model.store.workspaces import tag, workspace_id
from model.structure import Structure, dump_structured, parse_structured


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
    structure: Structure = Structure()  # segments, tiers and fixes saved with it (if any)


def values_json(values: Mapping[str, object], structure: Structure | None = None) -> str:
    """The stored JSON: the flat scenario, with its segments, tiers and fixes when it has any."""
    try:
        if structure is not None and not structure.empty:
            return dump_structured(values, structure)
        return dump_scenario(values)
    except ScenarioError as e:
        raise StoreError(f"the scenario cannot be saved: {e}") from None


_COLS = (S.c.name, S.c.note, S.c.values_json, S.c.created_at, S.c.updated_at, S.c.deleted_at)


def _row(con: Connection, wid: int, name: str):
    return con.execute(select(*_COLS).where(S.c.workspace_id == wid,
                                            S.c.name_key == name_key(name))).first()


def entry(row) -> Entry:
    name, note, vjson, created, updated, deleted = row
    structure = Structure()
    try:
        (values, structure), error = parse_structured(vjson), None
    except ScenarioError as e:
        values, error = None, str(e)
    return Entry(name, note, values, error, created, updated, deleted, structure)


def _binned(con: Connection, wid: int, name: str) -> int:
    """The id of the most recently deleted scenario named ``name`` (raises when there is none)."""
    prefix = name_key(name) + "\x1fdeleted-"
    row = con.execute(select(S.c.id).where(
        S.c.workspace_id == wid, S.c.deleted_at.isnot(None),
        S.c.name_key.startswith(prefix, autoescape=True)).order_by(S.c.deleted_at.desc())).first()
    if row is None:
        raise StoreError(f"there is no deleted scenario named “{name}” to restore")
    return row[0]


def missing(name: str) -> StoreError:
    return StoreError(f"there is no saved scenario named “{name}”; pick one from the list")


def exists(name: str) -> StoreError:
    return StoreError(f"a scenario named “{name}” already exists; choose another name")


def save(store: Store, user: str, workspace: str | None, name: str,
         values: Mapping[str, object], note: str = "", overwrite: bool = False,
         structure: Structure | None = None) -> Entry:
    """Save ``values`` (and its segments, tiers and fixes) under ``name``; an existing name is
    replaced only with ``overwrite``."""
    clean, note, vjson = clean_name(name), clean_note(note), values_json(values, structure)
    with store.begin() as con:
        wid, stamp = workspace_id(con, user, workspace), now()
        old = _row(con, wid, clean)
        if old is not None and not overwrite:
            raise StoreError(f"a scenario named “{old[0]}” already exists; choose another name "
                             "or allow overwriting it")
        if old is not None:
            con.execute(S.update().where(S.c.workspace_id == wid,
                                         S.c.name_key == name_key(clean)).values(
                name=clean, note=note, values_json=vjson, updated_at=stamp))
        else:
            con.execute(S.insert().values(workspace_id=wid, name=clean, name_key=name_key(clean),
                                          note=note, values_json=vjson, created_at=stamp,
                                          updated_at=stamp))
        return entry(_row(con, wid, clean))


def list_entries(store: Store, user: str, workspace: str | None,
                 deleted: bool = False) -> list[Entry]:
    """Live scenarios of the workspace, oldest first (or those in the bin)."""
    with store.begin(lock=False) as con:
        wid = workspace_id(con, user, workspace)
        q = select(*_COLS).where(S.c.workspace_id == wid, S.c.deleted_at.isnot(None) if deleted
                                 else S.c.deleted_at.is_(None)).order_by(S.c.id)
        return [entry(r) for r in con.execute(q)]


def get(store: Store, user: str, workspace: str | None, name: str) -> Entry:
    with store.begin(lock=False) as con:
        row = _row(con, workspace_id(con, user, workspace), name)
    if row is None:
        raise missing(name)
    return entry(row)


def rename(store: Store, user: str, workspace: str | None, old: str, new: str) -> Entry:
    """Give a saved scenario a new name (changing only its case is allowed)."""
    clean = clean_name(new)
    with store.begin() as con:
        wid = workspace_id(con, user, workspace)
        if _row(con, wid, old) is None:
            raise missing(old)
        clash = _row(con, wid, clean)
        if clash is not None and name_key(clean) != name_key(old):
            raise exists(clash[0])
        con.execute(S.update().where(S.c.workspace_id == wid, S.c.name_key == name_key(old))
                    .values(name=clean, name_key=name_key(clean), updated_at=now()))
        return entry(_row(con, wid, clean))


def duplicate(store: Store, user: str, workspace: str | None, name: str,
              new_name: str | None = None) -> Entry:
    """Copy a saved scenario; without ``new_name`` it becomes “NAME (copy)”, “NAME (copy 2)”, …"""
    with store.begin() as con:
        wid = workspace_id(con, user, workspace)
        row = _row(con, wid, name)
        if row is None:
            raise missing(name)
        if new_name is None:
            base = row[0][: MAX_NAME_LENGTH - 10]
            n, candidate = 1, f"{base} (copy)"
            while _row(con, wid, candidate) is not None:
                n += 1
                candidate = f"{base} (copy {n})"
        else:
            candidate = clean_name(new_name)
            if (clash := _row(con, wid, candidate)) is not None:
                raise exists(clash[0])
        stamp = now()
        con.execute(S.insert().values(workspace_id=wid, name=candidate,
                                      name_key=name_key(candidate), note=row[1],
                                      values_json=row[2], created_at=stamp, updated_at=stamp))
        return entry(_row(con, wid, candidate))


def delete(store: Store, user: str, workspace: str | None, name: str) -> None:
    """Move a scenario to the bin (``restore`` brings it back until ``purge``)."""
    with store.begin() as con:
        wid = workspace_id(con, user, workspace)
        row = con.execute(select(S.c.id, S.c.name_key).where(
            S.c.workspace_id == wid, S.c.name_key == name_key(name))).first()
        if row is None:
            raise missing(name)
        con.execute(S.update().where(S.c.id == row[0]).values(name_key=tag(row[1], row[0]),
                                                               deleted_at=now()))


def restore(store: Store, user: str, workspace: str | None, name: str) -> Entry:
    """Bring back the most recently deleted scenario named ``name``."""
    with store.begin() as con:
        wid = workspace_id(con, user, workspace)
        sid = _binned(con, wid, name)
        clean = con.execute(select(S.c.name).where(S.c.id == sid)).scalar_one()
        if _row(con, wid, clean) is not None:
            raise StoreError(f"a scenario named “{clean}” exists again; rename it first")
        con.execute(S.update().where(S.c.id == sid).values(name_key=name_key(clean),
                                                            deleted_at=None))
        return entry(_row(con, wid, clean))


def purge(store: Store, user: str, workspace: str | None, name: str | None = None) -> int:
    """Remove deleted scenarios for good (one by name, or all in the workspace's bin)."""
    with store.begin() as con:
        wid = workspace_id(con, user, workspace)
        where = [S.c.workspace_id == wid, S.c.deleted_at.isnot(None)]
        if name is not None:
            where.append(S.c.id == _binned(con, wid, name))
        return con.execute(S.delete().where(*where)).rowcount


def restore_presets(store: Store, user: str, workspace: str | None) -> list[str]:
    """Add back any shipped preset whose name is not in the workspace; returns the names added."""
    presets = _migrate.load_presets()
    with store.begin() as con:
        return _migrate.insert_presets(con, workspace_id(con, user, workspace), presets)
