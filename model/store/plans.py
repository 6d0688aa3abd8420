"""Committed plans and their monthly actuals, in a workspace.

A plan is written once and never edited (``model.tracking.Plan`` as JSON). Committing the same
scenario again supersedes the live plan: the old one is kept, marked with the plan that replaced
it and when. Actuals are saved as versions: each save adds one, the latest is current, and a save
that fails validation writes nothing (the caller validates; this module stores only CSV that
``model.tracking.read_actuals`` accepted). A plan of a workspace the user is not a member of does
not exist for them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from model.store._engine import Store
from model.store._rules import StoreError, name_key, now
from model.store._schema import plan_actuals as A
from model.store._schema import plans as P
from model.store._schema import workspaces as W
from model.store.workspaces import member_of, workspace_id


@dataclass(frozen=True)
class StoredPlan:
    id: str
    workspace: str
    scenario: str
    plan_json: str
    created_at: str
    created_by: str
    superseded_by: str | None
    superseded_at: str | None

    @property
    def live(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True)
class StoredActuals:
    version: int  # 1 = the first save
    csv: str
    source: str
    saved_at: str
    saved_by: str


_COLS = (P.c.id, W.c.name, P.c.scenario, P.c.plan_json, P.c.created_at, P.c.created_by,
         P.c.superseded_by, P.c.superseded_at)


def _nowhere(plan_id: object) -> StoreError:
    return StoreError(f"there is no plan with id “{str(plan_id)[:40]}”; list the workspace's "
                      "plans to find it")


def commit(store: Store, user: str, workspace: str, scenario: str, plan_json: str) -> StoredPlan:
    """Store a new plan; the live plan of the same scenario (if any) is superseded by it."""
    plan_id = "plan-" + secrets.token_hex(4)
    at = now()
    with store.begin() as con:
        wid = workspace_id(con, user, workspace)
        key = name_key(scenario)
        con.execute(P.update().where(P.c.workspace_id == wid, P.c.scenario_key == key,
                                     P.c.superseded_by.is_(None))
                    .values(superseded_by=plan_id, superseded_at=at))
        con.execute(P.insert().values(id=plan_id, workspace_id=wid, scenario=scenario,
                                      scenario_key=key, plan_json=plan_json, created_at=at,
                                      created_by=user))
    return get(store, user, plan_id)


def get(store: Store, user: str, plan_id: object) -> StoredPlan:
    if not isinstance(plan_id, str) or len(plan_id) > 40:
        raise _nowhere(plan_id)
    with store.begin(lock=False) as con:
        row = con.execute(select(*_COLS, P.c.workspace_id).join(W, W.c.id == P.c.workspace_id)
                          .where(P.c.id == plan_id)).first()
        if row is None or not member_of(con, user, row.workspace_id):
            raise _nowhere(plan_id)
    return StoredPlan(*row[:-1])


def list_for(store: Store, user: str, workspace: str, history: bool = True) -> list[StoredPlan]:
    """The workspace's plans, newest first (only the live ones with ``history=False``)."""
    with store.begin(lock=False) as con:
        wid = workspace_id(con, user, workspace)
        q = select(*_COLS).join(W, W.c.id == P.c.workspace_id).where(P.c.workspace_id == wid)
        if not history:
            q = q.where(P.c.superseded_by.is_(None))
        rows = con.execute(q.order_by(P.c.created_at.desc(), P.c.id)).all()
    return [StoredPlan(*r) for r in rows]


def save_actuals(store: Store, user: str, plan_id: str, csv: str, source: str) -> StoredActuals:
    """A new version of the plan's actuals (the earlier ones stay)."""
    get(store, user, plan_id)
    with store.begin() as con:
        con.execute(A.insert().values(plan_id=plan_id, csv=csv, source=source[:40],
                                      saved_at=now(), saved_by=user))
    return actuals_history(store, user, plan_id)[-1]


def actuals_history(store: Store, user: str, plan_id: str) -> list[StoredActuals]:
    """Every saved version of the plan's actuals, oldest first."""
    get(store, user, plan_id)
    with store.begin(lock=False) as con:
        rows = con.execute(select(A.c.csv, A.c.source, A.c.saved_at, A.c.saved_by)
                           .where(A.c.plan_id == plan_id).order_by(A.c.id)).all()
    return [StoredActuals(i + 1, *r) for i, r in enumerate(rows)]


def latest_actuals(store: Store, user: str, plan_id: str) -> StoredActuals | None:
    history = actuals_history(store, user, plan_id)
    return history[-1] if history else None
