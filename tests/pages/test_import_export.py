"""Import and export of scenario JSON on the Scenarios & compare page."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from model.assumptions import defaults
from model.scenario import dump_scenario, parse_scenario
from tests.support.app import ROOT, open_app
from tests.support.store import lib
from ui import state


def compare_page() -> AppTest:
    return open_app("pages/compare.py")


def upload(at: AppTest, name: str, content: bytes) -> None:
    at.file_uploader(key="lib_import_file").set_value((name, content, "application/json"))
    at.run()
    assert not at.exception


def shown(element) -> str:
    """Markdown text as a reader sees it (the page escapes names and messages)."""
    return element.value.replace("\\", "")


BAD = [
    ("unknown.json", b'{"honesty": 0.5, "colour": "blue"}', "unknown key 'colour'"),
    ("type.json", b'{"investment": "a lot"}', "investment: 'a lot' is not a number"),
    ("bool.json", b'{"successor_reverts": 1}', "successor_reverts: 1 is not allowed"),
    ("nan.json", b'{"honesty": NaN}', "honesty: nan is not a finite number"),
    ("inf.json", b'{"cac": Infinity}', "cac: inf is not a finite number"),
    ("range.json", b'{"honesty": 60}', "honesty: 60 is out of range"),
    ("whole.json", b'{"build_months": 7.5}', "build_months: 7.5 is not a whole number"),
    ("dup.json", b'{"honesty": 0.1, "honesty": 0.2}', "key 'honesty' appears more than once"),
    ("list.json", b"[0.5]", "a scenario must be a JSON object"),
    ("broken.json", b'{"honesty": 0.5', "not valid JSON"),
    ("latin1.json", '{"honesty": 0.5, "x": "é"}'.encode("latin-1"), "not UTF-8"),
]


def test_each_bad_file_is_rejected_with_its_message_and_nothing_saved():
    at = compare_page()
    before = lib().entries()
    for file, content, message in BAD:
        upload(at, file, content)
        errors = [shown(e) for e in at.error]
        assert len(errors) == 1, (file, errors)
        assert errors[0].startswith(f"Cannot import {file}: ") and message in errors[0], errors
        assert "Nothing was saved" in errors[0]
        assert not [b for b in at.button if b.key in ("lib_import_save", "lib_import_load")]
        assert lib().entries() == before
        assert at.session_state[state.VALUES_KEY] == defaults()


def test_a_good_file_is_saved_under_its_name_and_can_be_loaded():
    at = compare_page()
    content = json.dumps({"honesty": 0.35, "investment": 4_500_000, "build_months": 9}).encode()
    upload(at, "Q3 offsite.json", content)
    assert not at.error
    assert "valid scenario (3 values differ" in shown(at.success[0])
    assert at.text_input(key="lib_import_name").value == "Q3 offsite"
    at.button(key="lib_import_save").click()
    at.run()
    assert lib().load("Q3 offsite") == parse_scenario(content)
    assert lib().get("Q3 offsite").note == "Imported from Q3 offsite.json"
    assert at.selectbox(key="lib_pick").value == "Q3 offsite"
    # saving the same file again under the same name is refused, not overwritten
    at.button(key="lib_import_save").click()
    at.run()
    assert "already exists" in shown(at.error[0])
    at.button(key="lib_import_load").click()
    at.run()
    assert at.session_state[state.VALUES_KEY] == parse_scenario(content)
    assert at.session_state["w_honesty"] == 35.0  # the sidebar follows


def test_export_is_the_run_format_and_imports_back_exactly(tmp_path):
    values = {**defaults(), "honesty": 0.15, "investment": 987_654.32, "successor_reverts": True,
              "horizon_years": 12}
    text = dump_scenario(values)
    assert parse_scenario(text) == values
    assert parse_scenario(text.encode("utf-8")) == values
    # the exported file is what the command line reads
    path = tmp_path / "exported.json"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "cli.py", "run", str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    from model.simulation import run

    assert json.loads(out)["delta_npv"] == pytest.approx(run(values).summary.delta_npv, rel=1e-12)


def test_export_buttons_are_offered():
    at = compare_page()
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Export the current view as JSON", "Export as JSON"} <= labels
