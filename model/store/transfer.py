"""A whole workspace as one JSON file: its scenarios, saved ranges and workshops with answers.

Export leaves out the workshops' secret tokens (an import makes new ones) and scenarios in the
bin. Import checks the whole file before it writes anything, then writes it in one transaction:
a bad file changes nothing.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from model.assumptions import ScenarioError
from model.scenario import dump_scenario, parse_scenario
from model.store import db, scenarios
from model.store import workshops as shops
from model.store.db import Store, StoreError

FORMAT = "the-one-question/workspace"
VERSION = 1
MAX_BYTES = 20_000_000


def export_workspace(store: Store, name: str) -> dict:
    entries = scenarios.list_entries(store, name)
    ranges = scenarios.load_ranges(store, name)
    ws = next(w for w in scenarios.list_workspaces(store) if db.name_key(w.name) ==
              db.name_key(name))
    out_shops = []
    for k in shops.list_for(store, name):
        out_shops.append({
            "title": k.title, "status": k.status, "current_round": k.current_round,
            "created_at": k.created_at,
            "answers": [{"participant_key": a.participant_key, "display_name": a.display_name,
                         "round": a.round, "vote": a.vote, "confidence": a.confidence,
                         "estimates": json.loads(a.estimates_json), "updated_at": a.updated_at}
                        for a in shops.answers(store, k.id)]})
    return {
        "format": FORMAT, "version": VERSION, "name": ws.name,
        "ranges": json.loads(ranges) if ranges else None,
        "scenarios": [{"name": e.name, "note": e.note, "values": e.values}
                      for e in entries if e.values is not None],
        "workshops": out_shops,
    }


def _check(data: object) -> dict:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"this is not a workspace file (expected \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise StoreError(f"workspace file version {data.get('version')!r} is not supported; "
                         f"expected {VERSION}")
    if not isinstance(data.get("scenarios", []), list) or not isinstance(
            data.get("workshops", []), list):
        raise StoreError("scenarios and workshops must be lists")
    seen = set()
    for i, s in enumerate(data.get("scenarios", [])):
        where = f"scenarios[{i}]"
        if not isinstance(s, dict):
            raise StoreError(f"{where} must be an object with name, note and values")
        try:
            s["name"] = db.clean_name(s.get("name"))
            s["note"] = scenarios.clean_note(s.get("note", ""))
            s["values_json"] = dump_scenario(parse_scenario(json.dumps(s.get("values"))))
        except (StoreError, ScenarioError) as e:
            raise StoreError(f"{where}: {e}") from None
        if db.name_key(s["name"]) in seen:
            raise StoreError(f"{where}: the name “{s['name']}” appears twice")
        seen.add(db.name_key(s["name"]))
    for i, k in enumerate(data.get("workshops", [])):
        _check_workshop(i, k)
    return data


def _check_workshop(i: int, k: object) -> None:
    from model.workshop.answers import AnswerError, validate_answer  # answers know the rules

    where = f"workshops[{i}]"
    if not isinstance(k, dict) or not isinstance(k.get("answers", []), list):
        raise StoreError(f"{where} must be an object with a list of answers")
    if k.get("status") not in ("open", "closed") or k.get("current_round") not in shops.ROUNDS:
        raise StoreError(f"{where}: status must be open/closed and current_round before/after")
    for j, a in enumerate(k.get("answers", [])):
        try:
            ans = validate_answer({"participant": a.get("participant_key"),
                                   "name": a.get("display_name") or None, "round": a.get("round"),
                                   "vote": a.get("vote"), "confidence": a.get("confidence"),
                                   "estimates": a.get("estimates")})
        except (AnswerError, AttributeError) as e:
            raise StoreError(f"{where}.answers[{j}].{e}") from None
        a["_clean"] = ans


def import_workspace(store: Store, data: object, name: str | None = None) -> scenarios.Workspace:
    """Create a workspace from an export (under ``name`` if given); nothing written on error."""
    data = _check(data)
    clean = db.clean_name(name if name is not None else data.get("name"), "workspace")
    ranges = data.get("ranges")
    with store.begin() as con:
        scenarios._create_workspace(con, clean, presets=False)
        wid = con.execute(select(db.workspaces.c.id).where(
            db.workspaces.c.name_key == db.name_key(clean))).scalar_one()
        if ranges:
            con.execute(db.workspaces.update().where(db.workspaces.c.id == wid).values(
                ranges_json=json.dumps(ranges, sort_keys=True)))
        for s in data.get("scenarios", []):
            stamp = db.now()
            con.execute(db.scenarios.insert().values(
                workspace_id=wid, name=s["name"], name_key=db.name_key(s["name"]),
                note=s["note"], values_json=s["values_json"], created_at=stamp, updated_at=stamp))
        for k in data.get("workshops", []):
            rows = [{"participant_key": a["_clean"].participant, "display_name": a["_clean"].name,
                     "round": a["_clean"].round, "vote": a["_clean"].vote,
                     "confidence": a["_clean"].confidence,
                     "estimates_json": a["_clean"].estimates_json(),
                     "updated_at": str(a.get("updated_at") or db.now())}
                    for a in k.get("answers", [])]
            shops.insert_raw(con, wid, db.clean_name(k.get("title") or "Workshop", "workshop"),
                             k["status"], k["current_round"], str(k.get("created_at") or db.now()),
                             rows)
    return next(w for w in scenarios.list_workspaces(store) if w.name == clean)


def read_workspace_file(raw: bytes) -> object:
    if len(raw) > MAX_BYTES:
        raise StoreError(f"the file is {len(raw):,} bytes; a workspace file is at most "
                         f"{MAX_BYTES:,}")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        raise StoreError(f"the file is not JSON ({e})") from None
