"""The fixes a workshop asks the room to estimate (the analysed scenario's names), on SQLite and on
PostgreSQL: kept with the workshop, checked, carried by export/import, added to older stores."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from model.store import (
    LOCAL_USER,
    StoreError,
    forget_stores,
    open_store,
    transfer,
    workshops,
    workspaces,
)
from model.structure import MAX_FIXES

U = LOCAL_USER
NAMES = [f"Broken journey {i + 1}" for i in range(12)]  # more than a phone form used to take


@pytest.fixture
def store(store_url):
    return open_store(store_url)


def test_a_workshop_keeps_the_fixes_the_room_is_asked_about(store):
    shop = workshops.create(store, U, None, "Board day")
    assert shop.fixes == ()
    workshops.set_fixes(store, U, shop.id, NAMES)
    assert workshops.get(store, U, shop.id).fixes == tuple(NAMES)
    assert workshops.by_token(store, shop.join_token, "join").fixes == tuple(NAMES)  # the phone
    assert workshops.state(store, shop.id).fixes == tuple(NAMES)
    assert workshops.set_fixes(store, U, shop.id, []).fixes == ()


@pytest.mark.parametrize("names, message", [
    ("Billing errors", "a list"),
    (["Billing errors", " billing ERRORS "], "named twice"),
    (["x" * 61], "1 to 60"),
    (["two\nlines"], "one line"),
    ([""], "1 to 60"),
    ([3], "1 to 60"),
    ([f"f{i}" for i in range(MAX_FIXES + 1)], f"at most {MAX_FIXES}"),
])
def test_a_bad_list_is_refused_and_the_last_good_one_stays(store, names, message):
    shop = workshops.create(store, U, None)
    workshops.set_fixes(store, U, shop.id, ["Kept"])
    with pytest.raises(StoreError, match=message):
        workshops.set_fixes(store, U, shop.id, names)
    assert workshops.get(store, U, shop.id).fixes == ("Kept",)


def test_only_the_workspaces_people_name_the_fixes(store):
    shop = workshops.create(store, U, None)
    with pytest.raises(StoreError):
        workshops.set_fixes(store, "someone@else.org", shop.id, ["Sneaky"])
    assert workshops.get(store, U, shop.id).fixes == ()


def test_export_and_import_carry_the_list(store):
    workspaces.create_workspace(store, U, "Acme", presets=False)
    shop = workshops.create(store, U, "Acme", "Board day")
    workshops.set_fixes(store, U, shop.id, NAMES[:2])
    data = json.loads(json.dumps(transfer.export_workspace(store, U, "Acme")))
    assert data["workshops"][0]["fixes"] == NAMES[:2]
    transfer.import_workspace(store, U, data, name="Acme copy")
    [copy] = workshops.list_for(store, U, "Acme copy")
    assert copy.fixes == tuple(NAMES[:2])
    data["workshops"][0]["fixes"] = ["Same", "same"]
    with pytest.raises(StoreError, match=r"workshops\[0\]\.fixes: .*named twice"):
        transfer.import_workspace(store, U, data, name="Bad")
    assert "Bad" not in [w.name for w in workspaces.list_workspaces(store, U)]


def test_a_store_from_before_the_list_gets_the_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    shop = workshops.create(open_store(url), U, None, "Older")
    with open_store(url).begin() as con:  # the layout of the version before
        con.execute(text("ALTER TABLE workshops DROP COLUMN fixes_json"))
    forget_stores()  # a new process: the schema is checked again
    reopened = open_store(url)
    assert workshops.get(reopened, U, shop.id).fixes == ()
    assert workshops.set_fixes(reopened, U, shop.id, ["Billing"]).fixes == ("Billing",)
