"""The scenario library: round trips, restarts, concurrency, names in any language, bad rows."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from model import library
from model.assumptions import defaults
from model.library import LibraryError
from model.scenario import dump_scenario
from tests.support.app import ROOT
from tests.support.threads import run_threads


def scenario(**changes) -> dict:
    return {**defaults(), **changes}


# --- where the file lives -----------------------------------------------------------------------

def test_path_comes_from_env_and_parent_dirs_are_created(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "er" / "lib.sqlite"
    monkeypatch.setenv("ONEQ_LIBRARY", str(target))
    assert library.library_path() == target
    library.save("A", scenario())
    assert target.is_file()


def test_default_path_is_in_the_user_data_dir_not_the_repo(monkeypatch):
    import platformdirs

    monkeypatch.delenv("ONEQ_LIBRARY", raising=False)
    path = library.library_path()
    assert path == Path(platformdirs.user_data_dir("the-one-question")) / "library.sqlite"
    assert ROOT not in path.parents


def test_wal_journal(tmp_path):
    library.list_entries()
    con = sqlite3.connect(library.library_path())
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


# --- presets ------------------------------------------------------------------------------------

def test_presets_are_offered_on_first_start():
    entries = library.list_entries()
    assert [e.name for e in entries] == ["Status quo", "Cautious", "Bold"]
    assert all(e.note and e.error is None for e in entries)
    sq = library.load("Status quo")
    assert sq["honesty"] == 0 and sq["investment"] == 0
    assert sq == scenario(honesty=0.0, investment=0.0)
    bold, cautious = library.load("Bold"), library.load("Cautious")
    assert bold["honesty"] > cautious["honesty"] > 0
    assert bold["investment"] > cautious["investment"] > 0


def test_deleted_presets_do_not_come_back_on_their_own_but_can_be_restored():
    for name in ("Status quo", "Cautious", "Bold"):
        library.delete(name)
    assert library.list_entries() == []
    assert library.list_entries() == []  # not re-seeded on the next start
    assert library.restore_presets() == ["Status quo", "Cautious", "Bold"]
    assert library.restore_presets() == []


# --- round trips --------------------------------------------------------------------------------

def test_save_load_round_trip_is_exact():
    values = scenario(honesty=0.35, investment=1_234_567.89, build_months=7,
                      successor_reverts=True, referral_rate_full_trust=0.0015)
    entry = library.save("Workshop A", values, "first try")
    assert entry.name == "Workshop A" and entry.note == "first try" and entry.error is None
    assert library.load("Workshop A") == values
    assert library.load("workshop a") == values  # case-insensitive lookup
    listed = {e.name: e for e in library.list_entries()}
    assert listed["Workshop A"].created_at and listed["Workshop A"].updated_at


@pytest.mark.slow
def test_save_survives_a_process_restart(tmp_path):
    values = scenario(honesty=0.45, investment=3_333_333.33, tenure_years=7.5,
                      include_terminal_value=False)
    script = (
        "import json, sys\n"
        "from model import library\n"
        "if sys.argv[1] == 'save':\n"
        "    library.save('Persisted ✓', json.loads(sys.argv[2]), 'kept')\n"
        "else:\n"
        "    print(json.dumps(library.load('Persisted ✓')))\n"
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
    library.save("Plan", scenario(honesty=0.1), "one")
    with pytest.raises(LibraryError, match="already exists"):
        library.save("PLAN", scenario(honesty=0.9), "two")
    assert library.load("Plan")["honesty"] == 0.1
    entry = library.save("Plan", scenario(honesty=0.9), "two", overwrite=True)
    assert entry.note == "two" and library.load("plan")["honesty"] == 0.9
    assert library.names().count("Plan") == 1


def test_rename_duplicate_delete():
    library.save("Alpha", scenario(honesty=0.2), "n")
    library.rename("Alpha", "  Beta  ")
    assert "Alpha" not in library.names() and "Beta" in library.names()
    with pytest.raises(LibraryError, match="no saved scenario named “Alpha”"):
        library.load("Alpha")
    library.rename("Beta", "BETA")  # a change of case only is allowed
    assert "BETA" in library.names()
    with pytest.raises(LibraryError, match="already exists"):
        library.rename("BETA", "bold")
    copy = library.duplicate("BETA")
    assert copy.name == "BETA (copy)" and copy.note == "n"
    assert library.duplicate("BETA").name == "BETA (copy 2)"
    assert library.load("BETA (copy)") == library.load("BETA")
    assert library.duplicate("BETA", "Gamma").values == library.load("BETA")
    with pytest.raises(LibraryError, match="already exists"):
        library.duplicate("BETA", "gamma")
    library.delete("beta")
    assert "BETA" not in library.names()
    with pytest.raises(LibraryError, match="no saved scenario"):
        library.delete("BETA")
    with pytest.raises(LibraryError, match="no saved scenario"):
        library.rename("BETA", "x")


# --- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Смелый план", "大胆な計画", "خطة جريئة", "Ünïcødé ✓ 🚀",
                                  "<script>alert('x')</script>", "A & B \"quoted\""])
def test_names_in_any_language_are_kept_exactly(name):
    library.save(name, scenario(honesty=0.5))
    assert name in library.names()
    assert library.load(name)["honesty"] == 0.5


def test_case_insensitive_uniqueness_beyond_ascii():
    library.save("Straße", scenario())
    with pytest.raises(LibraryError, match="already exists"):
        library.save("STRASSE", scenario())
    library.save("Ωmega", scenario())
    with pytest.raises(LibraryError, match="already exists"):
        library.save("ωMEGA", scenario())


@pytest.mark.parametrize("name, message", [
    ("", "empty"), ("   ", "empty"), ("x" * 81, "at most 80"),
    ("two\nlines", "line break"), (None, "must be text"),
])
def test_bad_names_are_refused_with_a_reason(name, message):
    before = library.names()
    with pytest.raises(LibraryError, match=message):
        library.save(name, scenario())
    assert library.names() == before


def test_bad_values_are_refused_and_nothing_saved():
    with pytest.raises(LibraryError, match="honesty"):
        library.save("Bad", {"honesty": 7})
    with pytest.raises(LibraryError, match="unknown key"):
        library.save("Bad", {"colour": "blue"})
    assert "Bad" not in library.names()


def test_a_row_that_no_longer_validates_is_reported_not_crashed_on():
    library.save("Old", scenario())
    con = sqlite3.connect(library.library_path())
    stale = json.loads(dump_scenario(scenario()))
    stale["retired_assumption"] = 1
    con.execute("UPDATE scenarios SET values_json = ? WHERE name = 'Old'", (json.dumps(stale),))
    con.commit()
    con.close()
    entries = {e.name: e for e in library.list_entries()}
    assert entries["Old"].values is None and "retired_assumption" in entries["Old"].error
    assert entries["Bold"].values is not None
    with pytest.raises(LibraryError, match="“Old” can no longer be used.*retired_assumption"):
        library.load("Old")
    library.delete("Old")  # and it can be cleaned up


# --- concurrency ------------------------------------------------------------------------------

def test_twenty_threads_saving_at_once_lose_nothing():
    # No library file yet: the threads also race to create the schema and seed the presets.
    assert not library.library_path().exists()
    errors = run_threads(
        lambda i: library.save(f"Session {i}", scenario(honesty=i / 20), f"note {i}"), 20)
    assert errors == []
    entries = {e.name: e for e in library.list_entries()}
    assert len(entries) == 23  # 20 + the three presets, seeded exactly once
    for i in range(20):
        assert entries[f"Session {i}"].values["honesty"] == i / 20
        assert entries[f"Session {i}"].note == f"note {i}"


def test_twenty_threads_overwriting_one_name_end_in_a_consistent_row():
    library.save("Shared", scenario(), "start")
    errors = run_threads(
        lambda i: library.save("Shared", scenario(honesty=i / 20, investment=i * 1000.0),
                               f"writer {i}", overwrite=True), 20)
    assert errors == []
    entry = library.get("Shared")
    assert library.names().count("Shared") == 1
    i = int(entry.note.removeprefix("writer "))
    assert entry.values["honesty"] == i / 20 and entry.values["investment"] == i * 1000.0


def test_a_file_that_is_not_a_library_gives_a_sentence_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not SQLite" * 100)
    monkeypatch.setenv("ONEQ_LIBRARY", str(bad))
    with pytest.raises(LibraryError, match="cannot be used.*ONEQ_LIBRARY"):
        library.list_entries()
    with pytest.raises(LibraryError, match="cannot be used"):
        library.save("x", scenario())
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
    assert library.names() == ["Kept ✓"]
    assert library.load("kept ✓")["honesty"] == 0.33
    assert library.get("Kept ✓").note == "from v1"


def test_delete_is_undoable_from_the_facade_and_workspaces_keep_apart():
    from model.store import open_store, scenarios

    library.save("Mine", scenario(honesty=0.4))
    library.delete("Mine")
    assert [e.name for e in library.deleted_entries()] == ["Mine"]
    assert library.restore("mine").values["honesty"] == 0.4
    scenarios.create_workspace(open_store(), "Other", presets=False)
    library.use_workspace("Other")
    try:
        assert library.names() == []
        library.save("Mine", scenario(honesty=0.9))
        assert library.load("Mine")["honesty"] == 0.9
    finally:
        library.use_workspace(None)
    assert library.load("Mine")["honesty"] == 0.4
    assert library.saved_ranges() is None
