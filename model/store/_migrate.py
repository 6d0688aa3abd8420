"""Create the store's tables, upgrade older layouts, seed the presets; each user's default workspace.

- Version 1 (before workspaces) had one ``scenarios`` table without ``workspace_id``; its rows are
  copied, unchanged, into the default workspace the first time a newer version opens the file.
- Version 2 (before members) had workspaces without owners: each becomes the local user's
  (``LOCAL``, the one user of an app without sign-in), who can then share it.
- Version 3 (before the room estimated fixes by name) had workshops without ``fixes_json``; the
  column is added, empty (the facilitator's next choice of scenario fills it).

Runs inside the store's first transaction (under its lock), so two processes never both migrate.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, select, text
from sqlalchemy.engine import Inspector

from model.scenario import dump_scenario, parse_scenario
from model.store._rules import name_key, now
from model.store._schema import members, meta, metadata, scenarios, workspaces

DEFAULT_WORKSPACE = "My scenarios"
LOCAL = "local"  # the one user of an app without sign-in (workspaces.LOCAL_USER)
PRESETS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "presets"


def upgrade(con: Connection, inspector: Inspector) -> None:
    old = "scenarios" in inspector.get_table_names() and "workspace_id" not in {
        c["name"] for c in inspector.get_columns("scenarios")}
    if old:  # version 1: keep its table as scenarios_v1 (a backup) and copy the rows over
        con.execute(text("ALTER TABLE scenarios RENAME TO scenarios_v1"))
    ownerless = "workspaces" in inspector.get_table_names() and "owner" not in {
        c["name"] for c in inspector.get_columns("workspaces")}
    if ownerless:  # version 2: workspaces had no owner; they are the local user's
        con.execute(text("ALTER TABLE workspaces ADD COLUMN owner VARCHAR(200)"))
    fixless = "workshops" in inspector.get_table_names() and "fixes_json" not in {
        c["name"] for c in inspector.get_columns("workshops")}
    if fixless:  # version 3: workshops did not name the fixes the room estimates
        con.execute(text("ALTER TABLE workshops ADD COLUMN fixes_json TEXT"))
    metadata.create_all(con)
    if ownerless:
        con.execute(text("UPDATE workspaces SET owner = :u"), {"u": LOCAL})
        con.execute(text("INSERT INTO members (workspace_id, user_key, added_at)"
                         " SELECT id, :u, :t FROM workspaces"), {"u": LOCAL, "t": now()})
    if old:
        con.execute(text(
            "INSERT INTO scenarios (workspace_id, name, name_key, note, values_json, created_at,"
            " updated_at) SELECT :ws, name, name_key, note, values_json, created_at, updated_at"
            " FROM scenarios_v1 ORDER BY id"), {"ws": default_workspace_id(con, LOCAL, presets=False)})
    seeded = con.execute(select(meta.c.value).where(meta.c.key == "presets_seeded")).first()
    if seeded is not None:
        return
    ws = default_workspace_id(con, LOCAL, presets=False)
    if con.execute(text("SELECT COUNT(*) FROM scenarios")).scalar_one() == 0:
        try:
            insert_presets(con, ws, load_presets())
        except (OSError, ValueError, KeyError):  # presets missing or broken: still usable
            pass
    con.execute(meta.insert().values(key="presets_seeded", value=now()))


def workspace_key(owner: str, name: str) -> str:
    """The unique key of a live workspace: its name ignoring case, inside its owner's names.

    The local user's keys are the plain names (as before owners existed); another user's carry
    their key first, so two users may each have an "Acme" (a name holds no control character)."""
    return name_key(name) if owner == LOCAL else f"{owner}\x1e{name_key(name)}"


def default_workspace_id(con: Connection, user: str, presets: bool = True) -> int:
    """The id of ``user``'s default workspace, created (with the presets) when missing.

    The first time a store is opened the local user's one is made bare: ``upgrade`` seeds it only
    when the store is new, and a version-1 library brings its own scenarios."""
    key = workspace_key(user, DEFAULT_WORKSPACE)
    row = con.execute(select(workspaces.c.id).where(workspaces.c.name_key == key)).first()
    if row is not None:
        return row[0]
    wid = con.execute(workspaces.insert().values(
        name=DEFAULT_WORKSPACE, name_key=key, owner=user,
        created_at=now())).inserted_primary_key[0]
    con.execute(members.insert().values(workspace_id=wid, user_key=user, added_at=now()))
    if presets:
        try:
            insert_presets(con, wid, load_presets())
        except (OSError, ValueError, KeyError):  # presets missing or broken: still usable
            pass
    return wid


def load_presets(directory: Path = PRESETS_DIR) -> list[tuple[str, str, dict]]:
    """The shipped presets (name, note, values), in the order of ``presets.json``."""
    index = json.loads((directory / "presets.json").read_text(encoding="utf-8"))
    return [(p["name"], p.get("note", ""), parse_scenario((directory / p["file"]).read_bytes()))
            for p in index["presets"]]


def insert_presets(con: Connection, workspace_id: int,
                   presets: list[tuple[str, str, dict]]) -> list[str]:
    """Insert each preset whose name is not taken in the workspace; returns the names added."""
    added = []
    for name, note, values in presets:
        key = name_key(name)
        taken = con.execute(select(scenarios.c.id).where(
            scenarios.c.workspace_id == workspace_id, scenarios.c.name_key == key)).first()
        if taken is None:
            stamp = now()
            con.execute(scenarios.insert().values(
                workspace_id=workspace_id, name=name, name_key=key, note=note,
                values_json=dump_scenario(values), created_at=stamp, updated_at=stamp))
            added.append(name)
    return added
