"""Workspaces and who may see them: one per client or engagement, shared by its members.

A workspace belongs to the user who created it (its owner) and the members they add; nobody else
sees it, its scenarios, its workshops or its links. Every function here takes the ``user`` who
asks and finds a workspace by name *among that user's*, so a workspace of someone else is never
found (it simply does not exist for them). ``LOCAL_USER`` is the one user of an app without
sign-in (and of the command line without ``--user``).

Names are unique ignoring case among the workspaces one user sees: checked under the store's
write lock when a workspace is created, restored, imported or shared. Deleting moves a workspace
to the bin; ``restore_workspace`` brings it back until ``purge_workspace``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from model.assumptions import ScenarioError
from model.store import _migrate
from model.store._engine import Store
from model.store._rules import StoreError, clean_name, has_control, name_key, now
from model.store._schema import (
    answers,
    members,
    plan_actuals,
    plans,
    scenarios,
    workshops,
    workspaces,
)
from model.workshop import RoomView

LOCAL_USER = "local"
MAX_USER_LENGTH = 200
DEFAULT_WORKSPACE = _migrate.DEFAULT_WORKSPACE
W, M, S = workspaces, members, scenarios


@dataclass(frozen=True)
class Workspace:
    name: str
    created_at: str  # ISO 8601, UTC
    scenarios: int  # live scenarios in it
    deleted_at: str | None = None
    owner: str = LOCAL_USER  # who created it (members see it too)


def clean_user(user: object) -> str:
    """A user's key as stored: trimmed, casefolded (e-mail addresses ignore case), one line."""
    if not isinstance(user, str) or not user.strip():
        raise StoreError("a user must be named by a non-empty text (an e-mail address or id)")
    key = user.strip().casefold()
    if len(key) > MAX_USER_LENGTH or has_control(key):
        raise StoreError(f"the user name must be one line of at most {MAX_USER_LENGTH} characters")
    return key


def tag(key: str, row_id: int) -> str:
    """The name key of a deleted row: frees the name, stays unique."""
    return f"{key}\x1fdeleted-{row_id}"


_ROW = (W.c.id, W.c.name, W.c.created_at, W.c.deleted_at, W.c.owner)


def _rows(con: Connection, user: str, deleted: bool = False):
    """(id, name, created_at, deleted_at, owner) of the workspaces ``user`` is a member of."""
    live = W.c.deleted_at.isnot(None) if deleted else W.c.deleted_at.is_(None)
    return con.execute(select(*_ROW).join(M, M.c.workspace_id == W.c.id)
                       .where(M.c.user_key == user, live).order_by(W.c.id)).all()


def _by_id(con: Connection, wid: int):
    return con.execute(select(*_ROW).where(W.c.id == wid)).one()


def _find(rows, name: str):
    key = name_key(str(name))
    return next((r for r in rows if name_key(r.name) == key), None)


def workspace_id(con: Connection, user: str, name: str | None) -> int:
    """The id of a live workspace ``user`` may see (None = their default one, made if missing)."""
    if name is None:
        return _migrate.default_workspace_id(con, user)
    row = _find(_rows(con, user), name)
    if row is None:
        raise StoreError(f"there is no workspace named “{name}”; pick one from the list or "
                         "create it")
    return row.id


def member_of(con: Connection, user: str, wid: int) -> bool:
    """True when ``user`` may see the live workspace ``wid``."""
    return con.execute(select(M.c.user_key).join(W, W.c.id == M.c.workspace_id).where(
        M.c.workspace_id == wid, M.c.user_key == user, W.c.deleted_at.is_(None))).first() is not None


def _workspace(con: Connection, row) -> Workspace:
    n = con.execute(select(func.count()).where(S.c.workspace_id == row.id,
                                               S.c.deleted_at.is_(None))).scalar_one()
    return Workspace(row.name, row.created_at, n, row.deleted_at, row.owner or LOCAL_USER)


def list_workspaces(store: Store, user: str, deleted: bool = False) -> list[Workspace]:
    """The user's live workspaces, oldest first (or those in the bin with ``deleted=True``).

    A user without any live workspace gets their default one (with the presets)."""
    with store.begin() as con:
        rows = _rows(con, user, deleted)
        if not deleted and not rows:
            _migrate.default_workspace_id(con, user)
            rows = _rows(con, user)
        return [_workspace(con, r) for r in rows]


def resolve(store: Store, user: str, name: str | None) -> Workspace:
    """The live workspace ``user`` calls ``name`` (None = their default one, made if missing)."""
    with store.begin(lock=name is None) as con:
        return _workspace(con, _by_id(con, workspace_id(con, user, name)))


def _check_free(con: Connection, user: str, clean: str) -> None:
    clash = _find(_rows(con, user), clean)
    if clash is not None:
        raise StoreError(f"a workspace named “{clash.name}” already exists; choose another name")


def insert_workspace(con: Connection, user: str, clean: str, presets: bool) -> int:
    """A new workspace owned by ``user`` (inside the caller's transaction); returns its id."""
    _check_free(con, user, clean)
    wid = con.execute(W.insert().values(
        name=clean, name_key=_migrate.workspace_key(user, clean), owner=user,
        created_at=now())).inserted_primary_key[0]
    con.execute(M.insert().values(workspace_id=wid, user_key=user, added_at=now()))
    if presets:
        try:
            _migrate.insert_presets(con, wid, _migrate.load_presets())
        except (OSError, ValueError, KeyError):  # presets missing or broken: still usable
            pass
    return wid


def create_workspace(store: Store, user: str, name: str, presets: bool = True) -> Workspace:
    """A new workspace (with the shipped presets to start from unless ``presets=False``)."""
    clean = clean_name(name, "workspace")
    with store.begin() as con:
        wid = insert_workspace(con, user, clean, presets)
        return _workspace(con, _by_id(con, wid))


def delete_workspace(store: Store, user: str, name: str) -> None:
    """Move a workspace (with its scenarios and workshops) to the bin; the user's last one stays."""
    with store.begin() as con:
        wid = workspace_id(con, user, name)
        if len(_rows(con, user)) <= 1:
            raise StoreError("this is the only workspace; create another before deleting it")
        key = con.execute(select(W.c.name_key).where(W.c.id == wid)).scalar_one()
        con.execute(W.update().where(W.c.id == wid).values(name_key=tag(key, wid),
                                                            deleted_at=now()))


def _binned(con: Connection, user: str, name: str) -> int:
    key = name_key(str(name))
    rows = sorted((r for r in _rows(con, user, deleted=True) if name_key(r.name) == key),
                  key=lambda r: r.deleted_at, reverse=True)
    if not rows:
        raise StoreError(f"there is no deleted workspace named “{name}” to restore")
    return rows[0].id


def restore_workspace(store: Store, user: str, name: str) -> Workspace:
    """Bring back the user's most recently deleted workspace named ``name``."""
    with store.begin() as con:
        wid = _binned(con, user, name)
        row = con.execute(select(W.c.name, W.c.owner).where(W.c.id == wid)).one()
        if _find(_rows(con, user), row.name) is not None:
            raise StoreError(f"a workspace named “{row.name}” exists again; rename it first")
        con.execute(W.update().where(W.c.id == wid).values(
            name_key=_migrate.workspace_key(row.owner or LOCAL_USER, row.name), deleted_at=None))
    return next(w for w in list_workspaces(store, user) if w.name == row.name)


def purge_workspace(store: Store, user: str, name: str) -> None:
    """Remove a deleted workspace for good, with everything in it (cannot be undone)."""
    with store.begin() as con:
        wid = _binned(con, user, name)
        shops = select(workshops.c.id).where(workshops.c.workspace_id == wid)
        con.execute(answers.delete().where(answers.c.workshop_id.in_(shops)))
        con.execute(workshops.delete().where(workshops.c.workspace_id == wid))
        ids = select(plans.c.id).where(plans.c.workspace_id == wid)
        con.execute(plan_actuals.delete().where(plan_actuals.c.plan_id.in_(ids)))
        con.execute(plans.delete().where(plans.c.workspace_id == wid))
        con.execute(S.delete().where(S.c.workspace_id == wid))
        con.execute(M.delete().where(M.c.workspace_id == wid))
        con.execute(W.delete().where(W.c.id == wid))


def members_of(store: Store, user: str, name: str) -> list[str]:
    """Who may see the workspace (its owner first), as ``user`` — a member — sees it."""
    with store.begin(lock=False) as con:
        wid = workspace_id(con, user, name)
        return list(con.execute(select(M.c.user_key).where(M.c.workspace_id == wid)
                                .order_by(M.c.added_at)).scalars())


def add_member(store: Store, user: str, name: str, other: str) -> list[str]:
    """Let ``other`` see the workspace too; returns its members. Refused when ``other`` already
    sees a workspace of that name (the names a user sees stay unique)."""
    other = clean_user(other)
    with store.begin() as con:
        wid = workspace_id(con, user, name)
        if not member_of(con, other, wid):
            clean = con.execute(select(W.c.name).where(W.c.id == wid)).scalar_one()
            if _find(_rows(con, other), clean) is not None:
                raise StoreError(f"{other} already has a workspace named “{clean}”; rename one "
                                 "of them first")
            con.execute(M.insert().values(workspace_id=wid, user_key=other, added_at=now()))
        return list(con.execute(select(M.c.user_key).where(M.c.workspace_id == wid)
                                .order_by(M.c.added_at)).scalars())


def remove_member(store: Store, user: str, name: str, other: str) -> list[str]:
    """Stop ``other`` seeing the workspace; returns who still sees it. Its owner may remove any
    other member; a member may remove only themselves (leave). The owner stays: a workspace
    always has one (to stop seeing your own workspace, delete it)."""
    other = clean_user(other)
    with store.begin() as con:
        wid = workspace_id(con, user, name)
        owner = con.execute(select(W.c.owner).where(W.c.id == wid)).scalar_one() or LOCAL_USER
        if other == owner:
            raise StoreError(f"{other} owns this workspace and stays in it; to stop seeing it "
                             "the owner deletes it")
        if user not in (owner, other):
            raise StoreError("only the workspace's owner can remove other members; you can "
                             "remove yourself")
        if not member_of(con, other, wid):
            raise StoreError(f"{other} is not a member of this workspace")
        con.execute(M.delete().where(M.c.workspace_id == wid, M.c.user_key == other))
        return list(con.execute(select(M.c.user_key).where(M.c.workspace_id == wid)
                                .order_by(M.c.added_at)).scalars())


def view_json(view: RoomView) -> str:
    """The JSON a kept room view is stored as (``RoomView.to_dict``)."""
    return json.dumps(view.to_dict(), sort_keys=True)


def parse_view(data: object) -> RoomView:
    """A room view from its stored (or exported) form (``RoomView.from_dict``); StoreError."""
    try:
        return RoomView.from_dict(data)
    except ScenarioError as e:  # its message starts with the part at fault (ranges…, values…)
        raise StoreError(str(e)) from None


def save_view(store: Store, user: str, workspace: str | None, view: RoomView | None) -> None:
    """Keep (or with None clear) the room's view in the workspace ("Use these ranges")."""
    text = None if view is None else view_json(view)
    with store.begin(lock=False) as con:
        wid = workspace_id(con, user, workspace)
        con.execute(W.update().where(W.c.id == wid).values(ranges_json=text))


def load_view(store: Store, user: str, workspace: str | None) -> RoomView | None:
    """The room's view kept in the workspace, or None when none was kept."""
    with store.begin(lock=False) as con:
        wid = workspace_id(con, user, workspace)
        text = con.execute(select(W.c.ranges_json).where(W.c.id == wid)).scalar_one()
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    try:
        return parse_view(data)
    except StoreError as e:
        raise StoreError(f"the workspace's kept ranges cannot be used ({e}); keep them again "
                         "from a workshop") from None
