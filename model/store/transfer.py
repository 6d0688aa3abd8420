"""A whole workspace as one JSON file: its scenarios, the room's kept view, workshops, answers,
and its committed plans with every saved version of their actuals.

Export leaves out the workshops' secret tokens (an import makes new ones) and scenarios in the
bin. Import checks the whole file before it writes anything — every scenario, range, answer,
plan and actuals version as strictly as the app's own forms do — then writes it in one
transaction: a bad file changes nothing. Plans get new ids on import (an id is unique in the
store); which plan superseded which is kept. The file is read with the guards of a scenario
file (``model.scenario.read_json``).
"""

from __future__ import annotations

import json
import math
import secrets
from pathlib import Path

from model.assumptions import ScenarioError
from model.scenario import read_json, read_json_file, shorten
from model.store import plans, scenarios, workshops, workspaces
from model.store._engine import Store
from model.store._rules import StoreError, clean_name, clean_note, name_key, now
from model.store._schema import plan_actuals as PA
from model.store._schema import plans as P
from model.store._schema import scenarios as S
from model.store._schema import workspaces as W
from model.structure import dump_structured, split_scenario
from model.tracking import ActualsError, Plan, check_start_month, read_actuals
from model.workshop import ROUNDS, Answer, AnswerError, RoomView, validate_answer

FORMAT = "the-one-question/workspace"
PARTS = {"format", "version", "name", "room_view", "ranges", "scenarios", "workshops", "plans"}
VERSION = 1
MAX_BYTES = 5_000_000  # a workspace with a hundred workshops of 30 people is about 2.5 MB
# What one file may hold (a real workspace holds tens of scenarios and a few workshops): each is
# checked as strictly as the app's forms check it, so the counts bound the time an import takes.
MAX_SCENARIOS = 1_000
MAX_WORKSHOPS = 200
MAX_ANSWERS = 10_000  # in all workshops of the file together
MAX_PLANS = 500
MAX_ACTUALS = 5_000  # saved versions of actuals, in all plans of the file together
ACTUALS_SOURCES = ("table", "csv", "customers")


def export_workspace(store: Store, user: str, name: str) -> dict:
    """The workspace as a JSON-ready dict (its scenarios, kept ranges, workshops and answers)."""
    ws = next((w for w in workspaces.list_workspaces(store, user)
               if name_key(w.name) == name_key(name)), None)
    if ws is None:
        raise StoreError(f"there is no workspace named “{name}”; pick one from the list")
    entries = scenarios.list_entries(store, user, name)
    view = workspaces.load_view(store, user, name)
    out_shops = []
    for k in workshops.list_for(store, user, name):
        out_shops.append({
            "title": k.title, "status": k.status, "current_round": k.current_round,
            "created_at": k.created_at, **({"fixes": list(k.fixes)} if k.fixes else {}),
            "answers": [{"participant_key": a.participant_key, "display_name": a.display_name,
                         "round": a.round, "vote": a.vote, "confidence": a.confidence,
                         "estimates": json.loads(a.estimates_json), "updated_at": a.updated_at}
                        for a in workshops.answers(store, user, k.id)]})
    return {
        "format": FORMAT, "version": VERSION, "name": ws.name,
        "room_view": None if view is None else view.to_dict(),
        "scenarios": [{"name": e.name, "note": e.note,
                       "values": {**e.values, **e.structure.to_dict()}}
                      for e in entries if e.values is not None],
        "workshops": out_shops,
        "plans": [{"id": p.id, "scenario": p.scenario, "created_at": p.created_at,
                   "created_by": p.created_by, "superseded_by": p.superseded_by,
                   "superseded_at": p.superseded_at, "plan": json.loads(p.plan_json),
                   "actuals": [{"csv": a.csv, "source": a.source, "saved_at": a.saved_at,
                                "saved_by": a.saved_by}
                               for a in plans.actuals_history(store, user, p.id)]}
                  for p in reversed(plans.list_for(store, user, name))],  # oldest first
    }


def _check_scenarios(data: dict) -> list[tuple[str, str, str]]:
    out, seen = [], set()
    for i, s in enumerate(data.get("scenarios", [])):
        where = f"scenarios[{i}]"
        if not isinstance(s, dict):
            raise StoreError(f"{where} must be an object with name, note and values")
        try:
            name, note = clean_name(s.get("name")), clean_note(s.get("note", ""))
            values = dump_structured(*split_scenario(s.get("values")))
        except (StoreError, ScenarioError) as e:
            raise StoreError(f"{where}: {e}") from None
        if name_key(name) in seen:
            raise StoreError(f"{where}: the name “{name}” appears twice")
        seen.add(name_key(name))
        out.append((name, note, values))
    return out


def _check_workshop(i: int, k: object
                    ) -> tuple[str, str, str, str, list[tuple[Answer, str]], tuple[str, ...]]:
    where = f"workshops[{i}]"
    if not isinstance(k, dict) or not isinstance(k.get("answers", []), list):
        raise StoreError(f"{where} must be an object with a list of answers")
    if k.get("status") not in ("open", "closed") or k.get("current_round") not in ROUNDS:
        raise StoreError(f"{where}: status must be open/closed and current_round before/after")
    try:
        title = clean_name(k.get("title") or "Workshop", "workshop")
    except StoreError as e:
        raise StoreError(f"{where}.title: {e}") from None
    try:
        fixes = workshops.check_fix_names(k.get("fixes", []))
    except StoreError as e:
        raise StoreError(f"{where}.{e}") from None
    answers = []
    for j, a in enumerate(k.get("answers", [])):
        if not isinstance(a, dict):
            raise StoreError(f"{where}.answers[{j}] must be an object")
        try:
            ans = validate_answer({"participant": a.get("participant_key"),
                                   "name": a.get("display_name") or None, "round": a.get("round"),
                                   "vote": a.get("vote"), "confidence": a.get("confidence"),
                                   "estimates": a.get("estimates")})
        except AnswerError as e:
            raise StoreError(f"{where}.answers[{j}].{e}") from None
        answers.append((ans, str(a.get("updated_at") or now())[:40]))
    return (title, k["status"], k["current_round"], str(k.get("created_at") or now())[:40],
            answers, fixes)


def _text(value: object, where: str, most: int = 40) -> str:
    if not isinstance(value, str) or not value or len(value) > most:
        raise StoreError(f"{where} must be text of 1 to {most} characters")
    return value


def _check_fan(plan: Plan, where: str) -> None:
    """The frozen fan the tracking charts draw: per metric, P10/P50/P90, each a finite number
    for every month of the horizon (a malformed fan would break the charts, not the import)."""
    fan, odds = plan.fan, plan.odds
    if not isinstance(fan, dict) or not fan or not isinstance(odds, dict):
        raise StoreError(f"{where}: fan and odds must be objects")
    for metric, band in fan.items():
        if (not isinstance(band, list) or len(band) != 3 or any(
                not isinstance(row, list) or len(row) != plan.horizon_months
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool)
                           and math.isfinite(x) for x in row) for row in band)):
            raise StoreError(f"{where}: fan.{str(metric)[:40]} must be three lists (P10, P50, "
                             f"P90) of {plan.horizon_months} numbers")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
               and (0 <= x <= 1 or not str(k).startswith("p_")) for k, x in odds.items()):
        raise StoreError(f"{where}: every odds value must be a number, and each chance "
                         "(p_…) a share from 0 to 1")


def _check_plans(data: dict) -> list[tuple[dict, list[dict]]]:
    """Every plan (as ``Plan.from_json`` reads it, fan and odds checked) and every version of
    its actuals (as ``read_actuals`` reads them for that plan); ``superseded_by`` must name a
    plan of the same file."""
    raw = data.get("plans", [])
    if not isinstance(raw, list):
        raise StoreError("plans must be a list")
    out, ids = [], set()
    for i, p in enumerate(raw):
        where = f"plans[{i}]"
        if not isinstance(p, dict) or not isinstance(p.get("actuals", []), list):
            raise StoreError(f"{where} must be an object with a plan and a list of actuals")
        pid = _text(p.get("id"), f"{where}.id")
        if pid in ids:
            raise StoreError(f"{where}: the id “{pid}” appears twice")
        ids.add(pid)
        try:
            scenario = clean_name(p.get("scenario"))
            plan = Plan.from_json(json.dumps(p.get("plan")))
            check_start_month(plan.start_month)
        except (StoreError, ScenarioError) as e:
            raise StoreError(f"{where}: {e}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise StoreError(f"{where}.plan is not a committed plan ({shorten(str(e))})") from None
        _check_fan(plan, where)
        versions = []
        for j, a in enumerate(p.get("actuals", [])):
            at = f"{where}.actuals[{j}]"
            if not isinstance(a, dict) or a.get("source") not in ACTUALS_SOURCES:
                raise StoreError(f"{at} must be an object with csv and a source "
                                 f"({', '.join(ACTUALS_SOURCES)})")
            try:
                read_actuals(str(a.get("csv", "")), plan.start_month, plan.horizon_months)
            except ActualsError as e:
                raise StoreError(f"{at}.csv: {e}") from None
            versions.append({"csv": str(a["csv"]), "source": a["source"],
                             "saved_at": _text(a.get("saved_at", now()), f"{at}.saved_at"),
                             "saved_by": _text(a.get("saved_by", "import"), f"{at}.saved_by",
                                               200)})
        out.append(({"id": pid, "scenario": scenario, "plan_json": plan.to_json(),
                     "created_at": _text(p.get("created_at", now()), f"{where}.created_at"),
                     "created_by": _text(p.get("created_by", "import"), f"{where}.created_by",
                                         200),
                     "superseded_by": p.get("superseded_by"),
                     "superseded_at": p.get("superseded_at")}, versions))
    for i, (p, _) in enumerate(out):
        if p["superseded_by"] is not None and p["superseded_by"] not in ids:
            raise StoreError(f"plans[{i}].superseded_by names no plan of this file")
        if p["superseded_by"] is not None:
            _text(p["superseded_at"], f"plans[{i}].superseded_at")
    return out


def _check(data: object) -> tuple[RoomView | None, list, list, list]:
    """The file checked whole: (ranges, scenarios, workshops), or a StoreError naming the place."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"this is not a workspace file (expected \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise StoreError(f"workspace file version {str(data.get('version'))[:20]!r} is not "
                         f"supported; expected {VERSION}")
    unknown = sorted(set(data) - PARTS)
    if unknown:
        raise StoreError(f"{shorten(unknown[0])} is not a part of a workspace file; its parts "
                         f"are {', '.join(sorted(PARTS))}")
    if not isinstance(data.get("scenarios", []), list) or not isinstance(
            data.get("workshops", []), list):
        raise StoreError("scenarios and workshops must be lists")
    answers = sum(len(k.get("answers", [])) for k in data.get("workshops", [])
                  if isinstance(k, dict) and isinstance(k.get("answers", []), list))
    raw_plans = data.get("plans", [])
    versions = (sum(len(p.get("actuals", [])) for p in raw_plans
                    if isinstance(p, dict) and isinstance(p.get("actuals", []), list))
                if isinstance(raw_plans, list) else 0)
    for what, n, most in (("scenarios", len(data.get("scenarios", [])), MAX_SCENARIOS),
                          ("workshops", len(data.get("workshops", [])), MAX_WORKSHOPS),
                          ("answers", answers, MAX_ANSWERS),
                          ("plans", len(raw_plans) if isinstance(raw_plans, list) else 0,
                           MAX_PLANS),
                          ("saved actuals", versions, MAX_ACTUALS)):
        if n > most:
            raise StoreError(f"the file holds {n:,} {what}; a workspace file holds at most "
                             f"{most:,}")
    view = data.get("room_view", data.get("ranges"))  # "ranges": files of earlier versions
    return (None if view is None else workspaces.parse_view(view), _check_scenarios(data),
            [_check_workshop(i, k) for i, k in enumerate(data.get("workshops", []))],
            _check_plans(data))


def import_workspace(store: Store, user: str, data: object,
                     name: str | None = None) -> workspaces.Workspace:
    """Create a workspace from an export (under ``name`` if given); nothing written on error."""
    view, scenario_rows, workshop_rows, plan_rows = _check(data)
    clean = clean_name(name if name is not None else data.get("name"), "workspace")
    with store.begin() as con:
        wid = workspaces.insert_workspace(con, user, clean, presets=False)
        if view is not None:
            con.execute(W.update().where(W.c.id == wid).values(
                ranges_json=workspaces.view_json(view)))
        stamp = now()
        if scenario_rows:
            con.execute(S.insert(), [
                {"workspace_id": wid, "name": s_name, "name_key": name_key(s_name), "note": note,
                 "values_json": values, "created_at": stamp, "updated_at": stamp}
                for s_name, note, values in scenario_rows])
        for title, status, current, created, answers, fixes in workshop_rows:
            rows = [{"participant_key": a.participant, "display_name": a.name, "round": a.round,
                     "vote": a.vote, "confidence": a.confidence,
                     "estimates_json": a.estimates_json(), "updated_at": stamp}
                    for a, stamp in answers]
            workshops.insert_raw(con, wid, title, status, current, created, rows, fixes)
        new_id = {p["id"]: "plan-" + secrets.token_hex(4) for p, _ in plan_rows}
        for p, _ in plan_rows:  # superseded_by is a plain id, not a foreign key: any order
            con.execute(P.insert().values(
                id=new_id[p["id"]], workspace_id=wid, scenario=p["scenario"],
                scenario_key=name_key(p["scenario"]), plan_json=p["plan_json"],
                created_at=p["created_at"], created_by=p["created_by"],
                superseded_by=new_id.get(p["superseded_by"]),
                superseded_at=p["superseded_at"] if p["superseded_by"] else None))
        for p, versions in plan_rows:
            if versions:
                con.execute(PA.insert(), [{"plan_id": new_id[p["id"]], **v} for v in versions])
    return next(w for w in workspaces.list_workspaces(store, user) if w.name == clean)


def read_workspace_file(raw: bytes) -> object:
    """The JSON of an uploaded workspace file (size, depth and numbers guarded)."""
    try:
        return read_json(raw, "workspace", MAX_BYTES)
    except ScenarioError as e:
        raise StoreError(str(e)) from None


def load_workspace_file(path: str | Path) -> object:
    """``read_workspace_file`` of a file on disk; its size is checked before it is read."""
    try:
        return read_json_file(path, "workspace", MAX_BYTES)
    except ScenarioError as e:
        raise StoreError(f"{path}: {e}") from None
