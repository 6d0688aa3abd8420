"""Workshops and their answers in the store (what an answer may hold is ``model.workshop``'s).

A workshop belongs to a workspace and has two secrets made by ``secrets.token_urlsafe``: the join
token (participants) and the facilitator token. A link carries ``ID.SECRET``; the row is found by
its public id and the secret compared with ``secrets.compare_digest`` (constant time), so a wrong
token finds nothing and reveals nothing. Answers are unique on (workshop, participant, round): a
second answer replaces the first in one atomic upsert on SQLite and PostgreSQL alike.

Who may do what: the functions that take a ``user`` find only workshops of that user's workspaces
(``workspaces.workspace_id``); a participant reaches one workshop through its join token
(``by_token``) and may then only answer it and read their own answers.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from model.scenario import shorten
from model.store._engine import Store
from model.store._rules import StoreError, clean_name, now
from model.store._schema import answers as A
from model.store._schema import workshops as K
from model.store._schema import workspaces as W
from model.store.workspaces import member_of, workspace_id
from model.structure import MAX_FIXES
from model.workshop import MAX_FIX_NAME, ROUNDS, StoredAnswer

TOKEN_BYTES = 24  # 192 bits: unguessable


@dataclass(frozen=True)
class Workshop:
    id: str
    workspace: str
    title: str
    join_token: str  # ID.SECRET, as it appears in the join link
    facilitator_token: str
    status: str  # open | closed
    current_round: str  # before | after
    created_at: str
    fixes: tuple[str, ...] = ()  # the fixes the room is asked to estimate, by name


def _workshop(row) -> Workshop:
    wid, wsname, title, join, fac, status, rnd, created, fixes = row
    return Workshop(wid, wsname, title, f"{wid}.{join}", f"{wid}.{fac}", status, rnd, created,
                    _fix_names(fixes))


def _fix_names(raw: str | None) -> tuple[str, ...]:
    """The stored list; a damaged one reads as none (the phone then asks for no fix)."""
    try:
        names = json.loads(raw) if raw else []
    except ValueError:
        return ()
    return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()


_COLS = (K.c.id, W.c.name, K.c.title, K.c.join_token, K.c.facilitator_token, K.c.status,
         K.c.current_round, K.c.created_at, K.c.fixes_json)


def _select():
    return select(*_COLS).join(W, W.c.id == K.c.workspace_id)


def create(store: Store, user: str, workspace: str | None, title: str = "") -> Workshop:
    """A new open workshop in the ``before`` round."""
    title = clean_name(title or "Workshop", "workshop")
    with store.begin(lock=False) as con:
        ws = workspace_id(con, user, workspace)
        wid = secrets.token_hex(5)
        con.execute(K.insert().values(
            id=wid, workspace_id=ws, title=title, join_token=secrets.token_urlsafe(TOKEN_BYTES),
            facilitator_token=secrets.token_urlsafe(TOKEN_BYTES), status="open",
            current_round="before", created_at=now()))
        return _workshop(con.execute(_select().where(K.c.id == wid)).one())


def _nowhere(workshop_id: object) -> StoreError:
    return StoreError(f"there is no workshop with id “{str(workshop_id)[:40]}”; check the id")


def _live(con: Connection, workshop_id: str):
    return con.execute(_select().add_columns(K.c.workspace_id).where(
        K.c.id == str(workshop_id), W.c.deleted_at.is_(None))).first()


def get(store: Store, user: str, workshop_id: str) -> Workshop:
    """A workshop of one of ``user``'s workspaces (any other id is "not there")."""
    with store.begin(lock=False) as con:
        row = _live(con, workshop_id)
        if row is None or not member_of(con, user, row.workspace_id):
            raise _nowhere(workshop_id)
    return _workshop(row[:-1])


def state(store: Store, workshop_id: str) -> Workshop:
    """The workshop as it is now (for a participant who already holds it through its link)."""
    with store.begin(lock=False) as con:
        row = _live(con, workshop_id)
    if row is None:
        raise _nowhere(workshop_id)
    return _workshop(row[:-1])


def by_token(store: Store, token: object, kind: str) -> Workshop | None:
    """The workshop whose ``kind`` ("join" or "facilitator") token is ``token``; else None."""
    if not isinstance(token, str) or "." not in token or len(token) > 200:
        return None
    wid, secret = token.split(".", 1)
    column = K.c.join_token if kind == "join" else K.c.facilitator_token
    with store.begin(lock=False) as con:
        row = con.execute(select(column).join(W, W.c.id == K.c.workspace_id).where(
            K.c.id == wid, W.c.deleted_at.is_(None))).first()
        if row is None or not secrets.compare_digest(row[0].encode(), secret.encode()):
            return None
        return _workshop(con.execute(_select().where(K.c.id == wid)).one())


def list_for(store: Store, user: str, workspace: str | None) -> list[Workshop]:
    with store.begin(lock=False) as con:
        ws = workspace_id(con, user, workspace)
        return [_workshop(r) for r in con.execute(
            _select().where(K.c.workspace_id == ws).order_by(K.c.created_at))]


def set_state(store: Store, user: str, workshop_id: str, status: str | None = None,
              current_round: str | None = None) -> Workshop:
    """Open the ``after`` round, close the workshop, or reopen it."""
    changes = {}
    if status is not None:
        if status not in ("open", "closed"):
            raise StoreError("status must be open or closed")
        changes.update(status=status, closed_at=now() if status == "closed" else None)
    if current_round is not None:
        if current_round not in ROUNDS:
            raise StoreError("round must be before or after")
        changes["current_round"] = current_round
    get(store, user, workshop_id)
    with store.begin(lock=False) as con:
        con.execute(K.update().where(K.c.id == workshop_id).values(**changes))
    return get(store, user, workshop_id)


def check_fix_names(names: object) -> tuple[str, ...]:
    """The names of the fixes the room is asked about: a list of distinct one-line names of
    1–60 characters (as a scenario's fixes are named), at most ``MAX_FIXES``."""
    if not isinstance(names, (list, tuple)) or len(names) > MAX_FIXES:
        raise StoreError(f"fixes: expected a list of at most {MAX_FIXES} fix names")
    out: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_FIX_NAME \
                or "\n" in name or "\r" in name:
            raise StoreError(f"fixes: each name is one line of 1 to {MAX_FIX_NAME} characters")
        if name.strip().casefold() in {n.casefold() for n in out}:
            raise StoreError(f"fixes: “{shorten(name.strip())}” is named twice")
        out.append(name.strip())
    return tuple(out)


def set_fixes(store: Store, user: str, workshop_id: str, names: object) -> Workshop:
    """Name the fixes participants can estimate (the analysed scenario's; empty: none)."""
    clean = check_fix_names(names)
    get(store, user, workshop_id)
    with store.begin(lock=False) as con:
        con.execute(K.update().where(K.c.id == workshop_id).values(
            fixes_json=json.dumps(list(clean)) if clean else None))
    return get(store, user, workshop_id)


def _check_open(con: Connection, workshop_id: str, round_: str) -> None:
    row = con.execute(select(K.c.status, K.c.current_round).where(K.c.id == workshop_id)).first()
    if row is None:
        raise _nowhere(workshop_id)
    status, current = row
    if status != "open":
        raise StoreError("round: the workshop is closed; answers can no longer be changed")
    if ROUNDS.index(round_) < ROUNDS.index(current):
        raise StoreError(f"round: the “{round_}” round is closed; answer the “{current}” round")
    if ROUNDS.index(round_) > ROUNDS.index(current):
        raise StoreError(f"round: the “{round_}” round has not started yet")


def upsert_answer(store: Store, workshop_id: str, participant_key: str, display_name: str,
                  round_: str, vote: str, confidence: float, estimates_json: str) -> None:
    """Store one participant's answer to one round; a second one replaces the first."""
    insert = sqlite.insert if store.is_sqlite else postgresql.insert
    stamp = now()
    fields = dict(display_name=display_name, vote=vote, confidence=float(confidence),
                  estimates_json=estimates_json, updated_at=stamp)
    stmt = insert(A).values(workshop_id=workshop_id, participant_key=participant_key,
                            round=round_, created_at=stamp, **fields)
    stmt = stmt.on_conflict_do_update(
        index_elements=[A.c.workshop_id, A.c.participant_key, A.c.round], set_=fields)
    with store.begin(lock=False) as con:
        _check_open(con, workshop_id, round_)
        con.execute(stmt)


_ANSWER = (A.c.participant_key, A.c.display_name, A.c.round, A.c.vote, A.c.confidence,
           A.c.estimates_json, A.c.updated_at)


def answers(store: Store, user: str, workshop_id: str) -> list[StoredAnswer]:
    """Every answer to a workshop of one of ``user``'s workspaces, oldest first."""
    get(store, user, workshop_id)
    with store.begin(lock=False) as con:
        rows = con.execute(select(*_ANSWER).where(A.c.workshop_id == workshop_id)
                           .order_by(A.c.id))
        return [StoredAnswer(*r) for r in rows]


def answers_of(store: Store, workshop_id: str, participant_key: str) -> dict[str, StoredAnswer]:
    """One participant's answers by round (to show what they gave when they come back)."""
    with store.begin(lock=False) as con:
        rows = con.execute(select(*_ANSWER).where(A.c.workshop_id == workshop_id,
                                                  A.c.participant_key == participant_key))
        return {r.round: StoredAnswer(*r) for r in rows}


def insert_raw(con: Connection, workspace_id_: int, title: str, status: str, current_round: str,
               created_at: str, rows: list[dict], fixes: tuple[str, ...] = ()) -> str:
    """A workshop with its answers, as read from an export (new id and new tokens)."""
    wid = secrets.token_hex(5)
    con.execute(K.insert().values(
        id=wid, workspace_id=workspace_id_, title=title, join_token=secrets.token_urlsafe(
            TOKEN_BYTES), facilitator_token=secrets.token_urlsafe(TOKEN_BYTES), status=status,
        current_round=current_round, created_at=created_at,
        fixes_json=json.dumps(list(fixes)) if fixes else None))
    if rows:
        con.execute(A.insert(), [{**r, "workshop_id": wid, "created_at": r["updated_at"]}
                                 for r in rows])
    return wid
