"""Pages under bad input: a bad stored row, a bad import, a tampered link."""

from __future__ import annotations

import json
import os
import re
import sqlite3

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from model.assumptions import defaults
from model.scenario import MAX_SCENARIO_BYTES
from tests.support.app import ROOT, open_app
from tests.support.store import lib
from ui import state
from ui.share import MAX_NOTES, parse_query

CORPUS = ROOT / "tests" / "corpus" / "scenarios"
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
TOO_BIG = b'{"honesty": 0.5, "pad": "' + b"x" * (MAX_SCENARIO_BYTES + 10) + b'"}'



# --- the library and the compare page -------------------------------------------------------------

def _plant(name: str, values_json: str) -> None:
    """A stored row written behind the app's back (an older version, a hand edit, an attacker)."""
    lib().save(name, defaults())
    with sqlite3.connect(os.environ["ONEQ_LIBRARY"]) as con:
        con.execute("UPDATE scenarios SET values_json = ? WHERE name = ?", (values_json, name))


@pytest.mark.parametrize("file", ["deep_array.json", "long_integer.json", "huge_unknown_key.json"])
def test_one_bad_stored_row_does_not_break_the_compare_page(file):
    _plant("Planted", (CORPUS / file).read_text(encoding="utf-8"))
    at = open_app("pages/compare.py")
    assert not at.exception
    table = literal(at.table[0].value)
    status = table.set_index("Name").loc["Planted", "Status"]
    assert status.startswith("cannot be used: ") and EXPECTED[file][:40] in status
    assert len(status) < 800


def test_each_bad_import_on_the_page_is_a_sentence():
    """Every bad file of the corpus, then one too big, imported one after another on one page:
    each gives one sentence and leaves the current view as it was."""
    at = open_app("pages/compare.py")
    for file in sorted(EXPECTED):
        _check_page_import(at, file, (CORPUS / file).read_bytes(), EXPECTED[file])
    _check_page_import(at, "big.json", TOO_BIG, "at most 1,000,000 bytes")


def _check_page_import(at, file: str, content: bytes, message: str) -> None:
    at.file_uploader(key="lib_import_file").set_value((file, content, "application/json"))
    at.run()
    assert not at.exception, file
    errors = [e.value.replace("\\", "").replace("\u2060", "") for e in at.error]
    assert len(errors) == 1 and message[:60] in errors[0], (file, errors)
    assert len(errors[0]) <= 460, file  # the message (≤ 300) and the sentence around it
    assert at.session_state[state.VALUES_KEY] == defaults(), file


def literal(frame: pd.DataFrame) -> pd.DataFrame:
    """An ``st.table``'s cells and labels as people read them (its Markdown escapes undone)."""
    def undo(x):
        return re.sub(r"\\(.)", r"\1", x).replace("\u2060", "") if isinstance(x, str) else x

    out = frame.map(undo)
    out.columns = [undo(c) for c in frame.columns]
    out.index = [undo(i) for i in frame.index]
    return out


# --- links, configuration, caches -----------------------------------------------------------------

def test_a_formula_name_is_neutralised_in_every_table_view():
    name = '=HYPERLINK("http://evil.example","x")'
    lib().save(name, {**defaults(), "honesty": 0.4}, note="@SUM(A1)")
    lib().restore_presets()
    at = open_app("pages/compare.py")
    table = literal(at.table[0].value).set_index("Name")
    assert table.loc["'" + name, "Note"] == "'@SUM(A1)"
    at.multiselect(key="cmp_pick").set_value([name, "Status quo"])
    at.run()
    assert not at.exception
    compare = literal(at.table[1].value)
    assert list(compare.columns) == ["'" + name, "Status quo", "Status quo − " + name]
    assert compare.iloc[0, 0].startswith("+") or compare.iloc[0, 0].startswith("−")


def test_two_hundred_unknown_link_parameters_give_one_note():
    link = parse_query({f"x{i}": "1" for i in range(200)})
    assert len(link.notes) == 1 and "Ignored 200 link parameters" in link.notes[0]
    assert len(parse_query({f"x{i}": "1" for i in range(MAX_NOTES)}).notes) == MAX_NOTES


def test_the_dashboard_shows_one_warning_for_a_tampered_link():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for i in range(200):
        at.query_params[f"x{i}"] = "1"
    at.run()
    assert not at.exception
    assert len(at.warning) == 1 and "Ignored 200 link parameters" in at.warning[0].value.replace(
        "\\", "")




# --- JSON files handed in on the pages (tests/corpus/json) ----------------------------------------

JSON_CORPUS = ROOT / "tests" / "corpus" / "json"
JSON_EXPECTED: dict[str, str] = json.loads(
    (JSON_CORPUS / "expected.json").read_text(encoding="utf-8"))


def shown(element) -> str:
    return element.value.replace("\\", "").replace("\u2060", "")


@pytest.mark.parametrize("file", ["deep.json", "deep_in_a_value.json", "long_number.json"])
def test_load_ranges_on_decision_analysis_is_a_sentence(file):
    at = open_app("pages/decision_analysis.py")
    at.session_state["da_ranges_open"] = True  # the uploader lives in the ranges' expander
    at.number_input(key="da_draws").set_value(100).run()
    at.file_uploader(key="da_ranges_file").set_value(
        (file, (JSON_CORPUS / file).read_bytes(), "application/json"))
    at.run()
    assert not at.exception
    assert any(JSON_EXPECTED[file] in shown(e) for e in at.error), [e.value for e in at.error]
    assert at.radio(key="da_ranges_source").value == "table"  # nothing loaded


@pytest.mark.parametrize("file", sorted(JSON_EXPECTED))
def test_import_it_on_the_workspaces_page_is_a_sentence_and_writes_nothing(file):
    from tests.support.store import spaces

    at = open_app("pages/workshop.py")
    at.file_uploader(key="ws_upload").set_value(
        (file, (JSON_CORPUS / file).read_bytes(), "application/json"))
    at.run()
    at.button(key="ws_import").click().run()
    assert not at.exception
    [error] = at.error
    assert JSON_EXPECTED[file][:60] in shown(error)
    assert spaces().names() == ["My scenarios"]


def test_a_workspace_file_over_its_cap_is_refused_by_size():
    from model.store.transfer import MAX_BYTES

    at = open_app("pages/workshop.py")
    big = b'{"format": "the-one-question/workspace", "pad": "' + b"x" * MAX_BYTES + b'"}'
    at.file_uploader(key="ws_upload").set_value(("big.json", big, "application/json"))
    at.run()
    at.button(key="ws_import").click().run()
    assert not at.exception and "at most 5,000,000 bytes" in shown(at.error[0])


# --- the store out of reach ------------------------------------------------------------------------

@pytest.fixture(params=["bad SQLite path", "PostgreSQL down"])
def unreachable(request, tmp_path, monkeypatch):
    from tests.support.server import free_port

    if request.param == "bad SQLite path":
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        monkeypatch.setenv("ONEQ_LIBRARY", str(blocker / "library.sqlite"))
    else:  # nothing listens on the port: the server is down
        monkeypatch.setenv("ONEQ_DATABASE_URL",
                           f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/postgres")
    yield request.param


@pytest.mark.parametrize("page", ["pages/compare.py", "pages/workshop.py"])
def test_a_store_out_of_reach_is_one_sentence(unreachable, page):
    at = open_app(page)
    assert not at.exception
    errors = [shown(e) for e in at.error] + [shown(e) for e in at.sidebar.error]
    assert len(errors) == 1 and errors[0].startswith("Saved scenarios, workspaces and workshops "
                                                     "cannot be reached right now"), errors
    assert not [b for b in at.button if b.key == "lib_restore_presets"]  # nothing offered
    if page == "pages/compare.py":
        assert at.slider(key="w_honesty").value == 60.0  # the levers still work


# --- names in dropdowns -----------------------------------------------------------------------------

def test_dropdowns_show_names_as_typed_without_escaping_backslashes():
    from tests.support.store import spaces

    name = "Cautious (client) *v2* [draft]"
    spaces().create(name)
    lib(name).save(name, {"honesty": 0.4})
    at = open_app("pages/workshop.py")
    assert name in at.sidebar.selectbox(key="workspace").options
    at.sidebar.selectbox(key="workspace").set_value(name).run()
    assert name in at.multiselect(key="rep_pick").options
    at.switch_page("pages/compare.py")
    at.run()
    assert name in at.selectbox(key="lib_pick").options
    assert name in at.multiselect(key="cmp_pick").options
    shop = lib(name).start_workshop(name)
    fac = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    fac.query_params["facilitator"] = shop.facilitator_token
    fac.run()
    assert name in fac.selectbox(key="f_scenario").options
