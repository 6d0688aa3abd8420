"""Create the store's tables, move a version-1 library into the default workspace, seed presets.

Version 1 (before workspaces) had one ``scenarios`` table without ``workspace_id``; its rows are
copied, unchanged, into the default workspace the first time a newer version opens the file.
Runs inside the store's first transaction (under its lock), so two processes never both migrate.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, select, text
from sqlalchemy.engine import Inspector

from model.store import db

DEFAULT_WORKSPACE = "My scenarios"
PRESETS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "presets"


def upgrade(con: Connection, inspector: Inspector) -> None:
    old = "scenarios" in inspector.get_table_names() and "workspace_id" not in {
        c["name"] for c in inspector.get_columns("scenarios")}
    if old:  # version 1: keep its table as scenarios_v1 (a backup) and copy the rows over
        con.execute(text("ALTER TABLE scenarios RENAME TO scenarios_v1"))
    db.metadata.create_all(con)
    if old:
        con.execute(text(
            "INSERT INTO scenarios (workspace_id, name, name_key, note, values_json, created_at,"
            " updated_at) SELECT :ws, name, name_key, note, values_json, created_at, updated_at"
            " FROM scenarios_v1 ORDER BY id"), {"ws": default_workspace_id(con)})
    seeded = con.execute(select(db.meta.c.value).where(db.meta.c.key == "presets_seeded")).first()
    if seeded is not None:
        return
    ws = default_workspace_id(con)
    if con.execute(text("SELECT COUNT(*) FROM scenarios")).scalar_one() == 0:
        try:
            insert_presets(con, ws, load_presets())
        except (OSError, ValueError, KeyError):  # presets missing or broken: still usable
            pass
    con.execute(db.meta.insert().values(key="presets_seeded", value=db.now()))


def default_workspace_id(con: Connection) -> int:
    """The id of the default workspace, created when missing (or when it was deleted)."""
    key = db.name_key(DEFAULT_WORKSPACE)
    row = con.execute(select(db.workspaces.c.id).where(db.workspaces.c.name_key == key)).first()
    if row is not None:
        return row[0]
    return con.execute(db.workspaces.insert().values(
        name=DEFAULT_WORKSPACE, name_key=key, created_at=db.now())).inserted_primary_key[0]


def load_presets(directory: Path = PRESETS_DIR) -> list[tuple[str, str, dict]]:
    """The shipped presets (name, note, values), in the order of ``presets.json``."""
    from model.scenario import parse_scenario

    index = json.loads((directory / "presets.json").read_text(encoding="utf-8"))
    return [(p["name"], p.get("note", ""), parse_scenario((directory / p["file"]).read_bytes()))
            for p in index["presets"]]


def insert_presets(con: Connection, workspace_id: int,
                   presets: list[tuple[str, str, dict]]) -> list[str]:
    """Insert each preset whose name is not taken in the workspace; returns the names added."""
    from model.scenario import dump_scenario

    added = []
    for name, note, values in presets:
        key = db.name_key(name)
        taken = con.execute(select(db.scenarios.c.id).where(
            db.scenarios.c.workspace_id == workspace_id, db.scenarios.c.name_key == key)).first()
        if taken is None:
            stamp = db.now()
            con.execute(db.scenarios.insert().values(
                workspace_id=workspace_id, name=name, name_key=key, note=note,
                values_json=dump_scenario(values), created_at=stamp, updated_at=stamp))
            added.append(name)
    return added
