"""The scenario library: round trips, restarts, concurrency, names in any language, bad rows."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from model.assumptions import defaults
from model.library import Library, Workspaces
from model.scenario import dump_scenario
from model.store import StoreError, library_path, open_store
from tests.support.app import ROOT
from tests.support.threads import run_threads


def scenario(**changes) -> dict:
    return {**defaults(), **changes}


def lib(workspace: str | None = None) -> Library:
    """The local user's library in the store this test's environment names."""
    return Library(open_store(), workspace)


# --- where the file lives -----------------------------------------------------------------------

def test_path_comes_from_env_and_parent_dirs_are_created(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "er" / "lib.sqlite"
    monkeypatch.setenv("ONEQ_LIBRARY", str(target))
    assert library_path() == target
    lib().save("A", scenario())
    assert target.is_file()


def test_default_path_is_in_the_user_data_dir_not_the_repo(monkeypatch):
    import platformdirs

    monkeypatch.delenv("ONEQ_LIBRARY", raising=False)
    path = library_path()
    assert path == Path(platformdirs.user_data_dir("the-one-question")) / "library.sqlite"
    assert ROOT not in path.parents


def test_wal_journal(tmp_path):
    lib().entries()
    con = sqlite3.connect(library_path())
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


# --- presets ------------------------------------------------------------------------------------

def test_presets_are_offered_on_first_start():
    entries = lib().entries()
    assert [e.name for e in entries] == ["Status quo", "Cautious", "Bold"]
    assert all(e.note and e.error is None for e in entries)
    sq = lib().load("Status quo")
    assert sq["honesty"] == 0 and sq["investment"] == 0
    assert sq == scenario(honesty=0.0, investment=0.0)
    bold, cautious = lib().load("Bold"), lib().load("Cautious")
    assert bold["honesty"] > cautious["honesty"] > 0
    assert bold["investment"] > cautious["investment"] > 0


def test_deleted_presets_do_not_come_back_on_their_own_but_can_be_restored():
    for name in ("Status quo", "Cautious", "Bold"):
        lib().delete(name)
    assert lib().entries() == []
    assert lib().entries() == []  # not re-seeded on the next start
    assert lib().restore_presets() == ["Status quo", "Cautious", "Bold"]
    assert lib().restore_presets() == []


# --- round trips --------------------------------------------------------------------------------

def test_save_load_round_trip_is_exact():
    values = scenario(honesty=0.35, investment=1_234_567.89, build_months=7,
                      successor_reverts=True, referral_rate_full_trust=0.0015)
    entry = lib().save("Workshop A", values, "first try")
    assert entry.name == "Workshop A" and entry.note == "first try" and entry.error is None
    assert lib().load("Workshop A") == values
    assert lib().load("workshop a") == values  # case-insensitive lookup
    listed = {e.name: e for e in lib().entries()}
    assert listed["Workshop A"].created_at and listed["Workshop A"].updated_at


@pytest.mark.slow
def test_save_survives_a_process_restart(tmp_path):
    values = scenario(honesty=0.45, investment=3_333_333.33, tenure_years=7.5,
                      include_terminal_value=False)
    script = (
        "import json, sys\n"
        "from model.library import Library\n"
        "from model.store import open_store\n"
        "if sys.argv[1] == 'save':\n"
        "    Library(open_store()).save('Persisted ✓', json.loads(sys.argv[2]), 'kept')\n"
        "else:\n"
        "    print(json.dumps(Library(open_store()).load('Persisted ✓')))\n"
    )
    env = {**os.environ, "ONEQ_LIBRARY": str(tmp_path / "restart.sqlite")}
    subprocess.run([sys.executable, "-c", script, "save", json.dumps(values)], cwd=ROOT, env=env,
                   check=True)
    out = subprocess.run([sys.executable, "-c", script, "load"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    loaded = json.loads(out)
    assert loaded == values
    assert [type(loaded[k]) for k in values] == [type(values[k]) for k in values]


def test_existing_name_is_not_overwritten_silently():
    lib().save("Plan", scenario(honesty=0.1), "one")
    with pytest.raises(StoreError, match="already exists"):
        lib().save("PLAN", scenario(honesty=0.9), "two")
    assert lib().load("Plan")["honesty"] == 0.1
    entry = lib().save("Plan", scenario(honesty=0.9), "two", overwrite=True)
    assert entry.note == "two" and lib().load("plan")["honesty"] == 0.9
    assert lib().names().count("Plan") == 1


def test_rename_duplicate_delete():
    lib().save("Alpha", scenario(honesty=0.2), "n")
    lib().rename("Alpha", "  Beta  ")
    assert "Alpha" not in lib().names() and "Beta" in lib().names()
    with pytest.raises(StoreError, match="no saved scenario named “Alpha”"):
        lib().load("Alpha")
    lib().rename("Beta", "BETA")  # a change of case only is allowed
    assert "BETA" in lib().names()
    with pytest.raises(StoreError, match="already exists"):
        lib().rename("BETA", "bold")
    copy = lib().duplicate("BETA")
    assert copy.name == "BETA (copy)" and copy.note == "n"
    assert lib().duplicate("BETA").name == "BETA (copy 2)"
    assert lib().load("BETA (copy)") == lib().load("BETA")
    assert lib().duplicate("BETA", "Gamma").values == lib().load("BETA")
    with pytest.raises(StoreError, match="already exists"):
        lib().duplicate("BETA", "gamma")
    lib().delete("beta")
    assert "BETA" not in lib().names()
    with pytest.raises(StoreError, match="no saved scenario"):
        lib().delete("BETA")
    with pytest.raises(StoreError, match="no saved scenario"):
        lib().rename("BETA", "x")


# --- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Смелый план", "大胆な計画", "خطة جريئة", "Ünïcødé ✓ 🚀",
                                  "<script>alert('x')</script>", "A & B \"quoted\""])
def test_names_in_any_language_are_kept_exactly(name):
    lib().save(name, scenario(honesty=0.5))
    assert name in lib().names()
    assert lib().load(name)["honesty"] == 0.5


def test_case_insensitive_uniqueness_beyond_ascii():
    lib().save("Straße", scenario())
    with pytest.raises(StoreError, match="already exists"):
        lib().save("STRASSE", scenario())
    lib().save("Ωmega", scenario())
    with pytest.raises(StoreError, match="already exists"):
        lib().save("ωMEGA", scenario())


@pytest.mark.parametrize("name, message", [
    ("", "empty"), ("   ", "empty"), ("x" * 81, "at most 80"),
    ("two\nlines", "line break"), (None, "must be text"),
])
def test_bad_names_are_refused_with_a_reason(name, message):
    before = lib().names()
    with pytest.raises(StoreError, match=message):
        lib().save(name, scenario())
    assert lib().names() == before


def test_bad_values_are_refused_and_nothing_saved():
    with pytest.raises(StoreError, match="honesty"):
        lib().save("Bad", {"honesty": 7})
    with pytest.raises(StoreError, match="unknown key"):
        lib().save("Bad", {"colour": "blue"})
    assert "Bad" not in lib().names()


def test_a_row_that_no_longer_validates_is_reported_not_crashed_on():
    lib().save("Old", scenario())
    con = sqlite3.connect(library_path())
    stale = json.loads(dump_scenario(scenario()))
    stale["retired_assumption"] = 1
    con.execute("UPDATE scenarios SET values_json = ? WHERE name = 'Old'", (json.dumps(stale),))
    con.commit()
    con.close()
    entries = {e.name: e for e in lib().entries()}
    assert entries["Old"].values is None and "retired_assumption" in entries["Old"].error
    assert entries["Bold"].values is not None
    with pytest.raises(StoreError, match="“Old” can no longer be used.*retired_assumption"):
        lib().load("Old")
    lib().delete("Old")  # and it can be cleaned up


# --- concurrency ------------------------------------------------------------------------------

def test_twenty_threads_saving_at_once_lose_nothing():
    # No library file yet: the threads also race to create the schema and seed the presets.
    assert not library_path().exists()
    errors = run_threads(
        lambda i: lib().save(f"Session {i}", scenario(honesty=i / 20), f"note {i}"), 20)
    assert errors == []
    entries = {e.name: e for e in lib().entries()}
    assert len(entries) == 23  # 20 + the three presets, seeded exactly once
    for i in range(20):
        assert entries[f"Session {i}"].values["honesty"] == i / 20
        assert entries[f"Session {i}"].note == f"note {i}"


def test_twenty_threads_overwriting_one_name_end_in_a_consistent_row():
    lib().save("Shared", scenario(), "start")
    errors = run_threads(
        lambda i: lib().save("Shared", scenario(honesty=i / 20, investment=i * 1000.0),
                               f"writer {i}", overwrite=True), 20)
    assert errors == []
    entry = lib().get("Shared")
    assert lib().names().count("Shared") == 1
    i = int(entry.note.removeprefix("writer "))
    assert entry.values["honesty"] == i / 20 and entry.values["investment"] == i * 1000.0


def test_a_file_that_is_not_a_library_gives_a_sentence_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not SQLite" * 100)
    monkeypatch.setenv("ONEQ_LIBRARY", str(bad))
    with pytest.raises(StoreError, match="cannot be used.*ONEQ_LIBRARY"):
        lib().entries()
    with pytest.raises(StoreError, match="cannot be used"):
        lib().save("x", scenario())
    assert bad.read_bytes() == b"this is not SQLite" * 100


# --- workspaces, the bin, and libraries written before workspaces -------------------------------

def test_a_version_one_library_moves_into_the_default_workspace(tmp_path, monkeypatch):
    old = tmp_path / "v1.sqlite"
    con = sqlite3.connect(old)
    con.executescript(
        "CREATE TABLE scenarios (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
        " name_key TEXT NOT NULL UNIQUE, note TEXT NOT NULL DEFAULT '', values_json TEXT NOT NULL,"
        " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('presets_seeded', '2026-01-01');")
    con.execute("INSERT INTO scenarios (name, name_key, note, values_json, created_at, updated_at)"
                " VALUES ('Kept ✓', 'kept ✓', 'from v1', ?, 'c', 'u')",
                (dump_scenario(scenario(honesty=0.33)),))
    con.commit()
    con.close()
    monkeypatch.setenv("ONEQ_LIBRARY", str(old))
    assert lib().names() == ["Kept ✓"]
    assert lib().load("kept ✓")["honesty"] == 0.33
    assert lib().get("Kept ✓").note == "from v1"


def test_delete_is_undoable_from_the_facade_and_workspaces_keep_apart():
    lib().save("Mine", scenario(honesty=0.4))
    lib().delete("Mine")
    assert [e.name for e in lib().entries(deleted=True)] == ["Mine"]
    assert lib().restore("mine").values["honesty"] == 0.4
    Workspaces(open_store()).create("Other", presets=False)
    other = lib("Other")
    assert other.names() == []
    other.save("Mine", scenario(honesty=0.9))
    assert other.load("Mine")["honesty"] == 0.9
    assert lib().load("Mine")["honesty"] == 0.4
    assert lib().room_view() is None


# --- one way into the store ----------------------------------------------------------------------

def _imports(path: Path) -> set[str]:
    """Every module a file imports (``from a import b`` counts as ``a.b`` and ``a``)."""
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def test_pages_ui_cli_and_benchmarks_reach_the_store_only_through_the_library():
    files = [ROOT / "app.py", ROOT / "cli.py", *(ROOT / "pages").glob("*.py"),
             *(ROOT / "ui").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")]
    offenders = {str(f.relative_to(ROOT)): sorted(m for m in _imports(f)
                                                   if m.startswith("model.store"))
                 for f in files}
    assert {f: m for f, m in offenders.items() if m} == {}


def test_nothing_outside_store_and_workshop_imports_their_private_modules():
    files = [ROOT / "app.py", ROOT / "cli.py", *(p for folder in ("model", "ui", "pages", "tests",
                                                                   "benchmarks")
                                                  for p in (ROOT / folder).rglob("*.py"))]
    for package in ("model.store", "model.workshop"):
        inside = ROOT / Path(*package.split("."))
        offenders = [str(f.relative_to(ROOT)) for f in files if inside not in f.parents
                     and any(m.startswith(f"{package}._") for m in _imports(f))]
        assert offenders == [], package


# --- who may see what ------------------------------------------------------------------------------

ALICE, BOB = "alice@example.org", "Bob@Example.org"


def test_each_user_sees_only_their_own_workspaces_and_what_is_in_them():
    store = open_store()
    alice, bob = Workspaces(store, ALICE), Workspaces(store, BOB)
    alice.create("Acme")
    bob.create("Acme")  # the same name for someone else is theirs alone
    alice.open("Acme").save("Plan", scenario(honesty=0.2))
    shop = alice.open("Acme").start_workshop("Offsite")
    assert alice.names() == ["Acme"] and bob.names() == ["Acme"]
    assert bob.open("acme").names() == ["Status quo", "Cautious", "Bold"]  # not Alice's
    for reach in (lambda: bob.open("Plan"), lambda: Library(store, "Acme", BOB).get("Plan"),
                  lambda: bob.workshop(shop.id), lambda: Library(store, None, BOB).results(shop.id)):
        with pytest.raises(StoreError, match="no workspace|no saved scenario|no workshop"):
            reach()
    assert bob.facilitate(shop.facilitator_token) is None  # the right link, the wrong person
    lib, found = alice.facilitate(shop.facilitator_token)
    assert (lib.name, found.id) == ("Acme", shop.id)
    assert "Acme" not in Workspaces(store).names()  # nor the local user's


def test_a_member_added_sees_the_workspace_and_nobody_else_does():
    store = open_store()
    alice = Workspaces(store, ALICE)
    alice.create("Shared")
    assert alice.open("Shared").share(BOB) == [ALICE, BOB.casefold()]
    bob = Workspaces(store, BOB)
    assert "Shared" in bob.names()
    bob.open("Shared").save("From Bob", scenario(honesty=0.6))
    assert alice.open("Shared").load("From Bob")["honesty"] == 0.6
    assert "Shared" not in Workspaces(store, "carol@example.org").names()
    Workspaces(store, "carol@example.org").create("Shared")
    with pytest.raises(StoreError, match="already has a workspace named"):
        alice.open("Shared").share("carol@example.org")


def test_the_owner_removes_a_member_and_a_member_can_only_leave():
    store = open_store()
    carol = "carol@example.org"
    alice = Workspaces(store, ALICE)
    alice.create("Shared")
    alice.open("Shared").share(BOB)
    alice.open("Shared").share(carol)
    bob = Workspaces(store, BOB)
    with pytest.raises(StoreError, match="only the workspace's owner can remove other members"):
        bob.open("Shared").unshare(carol)
    with pytest.raises(StoreError, match="owns this workspace and stays"):
        bob.open("Shared").unshare(ALICE)
    with pytest.raises(StoreError, match="owns this workspace and stays"):
        alice.open("Shared").unshare(ALICE)
    assert alice.open("Shared").unshare(carol) == [ALICE, BOB.casefold()]
    assert "Shared" not in Workspaces(store, carol).names()  # gone, with what is in it
    with pytest.raises(StoreError, match="is not a member"):
        alice.open("Shared").unshare(carol)
    assert bob.open("Shared").unshare(BOB) == [ALICE]  # Bob leaves
    assert "Shared" not in bob.names() and alice.open("Shared").members() == [ALICE]


def test_workspaces_made_before_owners_belong_to_the_local_user(tmp_path, monkeypatch):
    """A version-2 store (workspaces without owners or members) opens as the local user's."""
    old = tmp_path / "v2.sqlite"
    con = sqlite3.connect(old)
    con.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('presets_seeded', '2026-01-01');"
        "CREATE TABLE workspaces (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
        " name_key TEXT NOT NULL UNIQUE, ranges_json TEXT, created_at TEXT NOT NULL,"
        " deleted_at TEXT);"
        "INSERT INTO workspaces (name, name_key, created_at) VALUES ('Old client', 'old client',"
        " '2026-01-01');")
    con.commit()
    con.close()
    monkeypatch.setenv("ONEQ_LIBRARY", str(old))
    assert Workspaces(open_store()).names() == ["Old client"]
    assert Workspaces(open_store(), ALICE).names() == ["My scenarios"]  # her own, new
