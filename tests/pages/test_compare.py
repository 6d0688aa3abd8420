"""The Scenarios & compare page through Streamlit's AppTest: library actions, compare, report."""

from __future__ import annotations

import json
from html import escape

import pytest
from streamlit.testing.v1 import AppTest

from model.assumptions import defaults
from model.simulation import run
from tests.support.app import open_app
from tests.support.store import lib
from ui import compare_charts, report, state, theme
from ui.format import escape_markdown, signed_compact
from ui.static_tables import plain_frame


@pytest.fixture
def at() -> AppTest:
    return open_app("pages/compare.py")


def shown(element) -> str:
    return element.value.replace("\\", "")


def rerun(app: AppTest) -> None:
    app.run()
    assert not app.exception, app.exception


def specs(app: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]


def test_page_lists_the_presets_and_draws_the_sidebar(at):
    assert at.title[0].value == "Scenarios & compare"
    assert [h.value for h in at.header][:3] == ["Library", "Compare", "Report"]
    table = at.table[0].value  # st.table: every column whole, text wraps
    assert list(table["Name"]) == ["Status quo", "Cautious", "Bold"]
    assert all(table["Note"].str.len() > 20)
    assert at.slider(key="w_honesty").value == 60.0  # the shared sidebar is there


def test_save_the_current_view_then_refuse_a_duplicate_name(at):
    at.slider(key="w_honesty").set_value(35.0)
    rerun(at)
    at.text_input(key="lib_save_name").input("Workshop <b>1</b> *bold*")
    at.text_area(key="lib_save_note").input("after the break")
    at.button(key="lib_save").click()
    rerun(at)
    assert shown(at.success[0]) == "Saved “Workshop <b>1</b> *bold*”."
    saved = lib().load("Workshop <b>1</b> *bold*")
    assert saved == {**defaults(), "honesty": 0.35}
    # shown literally: escaped for st.table's Markdown
    assert escape_markdown("Workshop <b>1</b> *bold*") in list(at.table[0].value["Name"])
    # same name again (other case) without the overwrite box: refused, nothing changed
    at.slider(key="w_honesty").set_value(80.0)
    rerun(at)
    at.text_input(key="lib_save_name").input("WORKSHOP <b>1</b> *BOLD*")
    at.button(key="lib_save").click()
    rerun(at)
    assert "already exists" in shown(at.error[0])
    assert lib().load("Workshop <b>1</b> *bold*")["honesty"] == 0.35
    at.checkbox(key="lib_save_overwrite").check()
    at.button(key="lib_save").click()
    rerun(at)
    assert lib().load("Workshop <b>1</b> *bold*")["honesty"] == 0.8


def test_empty_name_is_refused_with_a_sentence(at):
    at.button(key="lib_save").click()
    rerun(at)
    assert "name is empty" in shown(at.error[0])
    assert len(lib().entries()) == 3


def test_load_a_saved_scenario_updates_state_and_sidebar(at):
    at.selectbox(key="lib_pick").set_value("Bold")
    at.button(key="lib_load").click()
    rerun(at)
    assert "Loaded “Bold”" in shown(at.success[0])
    assert at.session_state[state.VALUES_KEY] == lib().load("Bold")
    assert at.slider(key="w_honesty").value == 100.0
    at.switch_page("pages/dashboard.py")
    rerun(at)
    assert at.session_state[state.VALUES_KEY] == lib().load("Bold")  # survives the page change
    assert any(m.value == "Scenario: **Bold**" for m in at.markdown)  # the dashboard names it


def test_rename_duplicate_and_delete_with_confirmation(at):
    at.selectbox(key="lib_pick").set_value("Cautious")
    at.text_input(key="lib_rename_to").input("Vorsichtig — 慎重")
    at.button(key="lib_rename").click()
    rerun(at)
    assert "Vorsichtig — 慎重" in lib().names() and "Cautious" not in lib().names()
    assert at.selectbox(key="lib_pick").value == "Vorsichtig — 慎重"
    at.button(key="lib_duplicate").click()
    rerun(at)
    assert lib().load("Vorsichtig — 慎重 (copy)") == lib().load("Vorsichtig — 慎重")
    assert at.selectbox(key="lib_pick").value == "Vorsichtig — 慎重 (copy)"
    at.button(key="lib_delete").click()
    rerun(at)
    assert "Vorsichtig — 慎重 (copy)" in lib().names()  # not yet: asks first
    assert "cannot be undone" in shown(at.warning[0])
    at.button(key="lib_delete_cancel").click()
    rerun(at)
    assert "Vorsichtig — 慎重 (copy)" in lib().names()
    at.button(key="lib_delete").click()
    rerun(at)
    at.button(key="lib_delete_confirm").click()
    rerun(at)
    assert "Vorsichtig — 慎重 (copy)" not in lib().names()
    assert "Deleted" in shown(at.success[0])


def test_compare_two_scenarios(at):
    assert at.multiselect(key="cmp_pick").value == ["Current view", "Status quo"]
    at.multiselect(key="cmp_pick").set_value(["Cautious", "Bold"])
    rerun(at)
    profit, delta = specs(at)[:2]
    # fixed colours in the order chosen, the status quo grey dashed as the reference
    colour = next(layer for layer in profit["layer"] if layer.get("mark", {}).get("type") == "line"
                  or layer.get("mark") == "line")["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Cautious", "Bold", "Status quo"]
    assert colour["range"] == [*theme.SCENARIO_COLOURS[:2], theme.STATUS_QUO]
    assert "Profit per month" in json.dumps(profit["title"])
    assert "sacrifice curves" in json.dumps(delta["title"])
    table = at.table[1].value
    items = [(n, run(lib().load(n))) for n in ("Cautious", "Bold")]
    expected = compare_charts.metrics_table(items)
    assert list(table.columns) == ["Cautious", "Bold", escape_markdown("Bold − Cautious")]
    assert table.equals(plain_frame(expected, app_text=True))
    bold, cautious = items[1][1].summary, items[0][1].summary
    assert table.loc[escape_markdown("Total (cash + end value)"),
                     escape_markdown("Bold − Cautious")] == escape_markdown(signed_compact(
                         bold.delta_npv - cautious.delta_npv))


def test_overlays_carry_the_tenure_rules_and_dash_the_status_quo():
    items = [(n, run(lib().load(n))) for n in ("Status quo", "Bold")]
    items.append(("Late leaver", run({**lib().load("Bold"), "tenure_years": 8.0})))
    for chart in (compare_charts.profit_overlay(items), compare_charts.delta_overlay(items)):
        spec = json.dumps(chart.to_dict())
        assert "Tenure ends (year 5): Status quo, Bold" in spec
        assert "Tenure ends (year 8): Late leaver" in spec
    styles = compare_charts.styles(items)
    assert [(s.colour, s.dash) for s in styles] == [
        (theme.STATUS_QUO, compare_charts.DASHED), (theme.SCENARIO_COLOURS[0], compare_charts.SOLID),
        (theme.SCENARIO_COLOURS[1], compare_charts.SOLID)]
    # a status quo among the chosen: no extra reference line
    assert "Status quo of" not in json.dumps(compare_charts.profit_overlay(items).to_dict())


def test_compare_needs_two(at):
    at.multiselect(key="cmp_pick").set_value(["Bold"])
    rerun(at)
    assert any("at least two" in i.value for i in at.info)
    assert len(at.table) == 1  # the library list only, no comparison table
    assert len(at.get("vega_lite_chart")) == 0


def test_a_bad_import_shows_its_message_and_saves_nothing(at):
    at.file_uploader(key="lib_import_file").set_value(
        ("plan.json", b'{"honesty": 1.5}', "application/json"))
    rerun(at)
    assert shown(at.error[0]).startswith("Cannot import plan.json: honesty: 1.5 is out of range")
    assert len(lib().entries()) == 3


def test_the_report_is_built_under_a_progress_bar_then_offered_with_the_note(at):
    assert at.selectbox(key="rep_pick").value == "Current view"
    labels = {b.proto.label for b in at.get("download_button")}
    assert "Download the HTML report only" not in labels  # nothing built yet
    at.selectbox(key="rep_pick").set_value("Bold")
    at.button(key="rep_build").click()
    rerun(at)
    labels = {b.proto.label for b in at.get("download_button")}
    assert "Download the report (ZIP: HTML, CSV, charts)" in labels
    assert "Download the HTML report only" in labels
    # The progress bar ran through every step (AppTest keeps the last state of the element
    # only while it exists; the page empties it when done, so check the builder's steps).
    steps = []
    report.report_files(run(lib().load("Bold")), "Bold", "2026-11-23",
                        progress=lambda d, t, w: steps.append(d))
    assert steps == list(range(len(report.CHARTS) + 1))
    built = at.session_state["rep_built"][1]["report.html"].decode()
    note = next(e.note for e in lib().entries() if e.name == "Bold")
    assert note and escape(note) in built  # the scenario's note is in the report
    # Another choice: the built files are not offered for it.
    at.selectbox(key="rep_pick").set_value("Cautious")
    rerun(at)
    assert "Download the HTML report only" not in {
        b.proto.label for b in at.get("download_button")}


def test_payback_differences_are_words_and_money_has_one_format():
    items = [(n, run(lib().load(n))) for n in ("Bold", "Cautious", "Status quo")]
    table = compare_charts.metrics_table(items)
    bold, cautious = items[0][1].summary, items[1][1].summary
    row = table.loc["Payback"]
    if bold.payback_month is not None and cautious.payback_month is not None:
        gap = cautious.payback_month - bold.payback_month
        words = ("same month" if gap == 0 else
                 f"{abs(gap)} month{'s' if abs(gap) != 1 else ''} "
                 f"{'later' if gap > 0 else 'earlier'}")
        assert row["Cautious − Bold"] == words
    # The status quo gives nothing up: no month to subtract, said in words.
    assert row["Status quo − Bold"].startswith("nothing to pay back")
    assert "−" not in row.str.cat() and "+" not in row.str.cat()
    # Money in the compact format everywhere, levers included ($6.0M, never $6,000,000).
    investment = table.loc["Investment in fixing broken experiences"]
    assert all("," not in x for x in investment), list(investment)
    assert table.loc["Horizon", "Cautious − Bold"] == "same"


def test_payback_change_in_words():
    from types import SimpleNamespace as S

    def s(month, deepest=-1.0):
        return S(payback_month=month, deepest_sacrifice=deepest)

    assert compare_charts.payback_change(s(75), s(64)) == "11 months later"
    assert compare_charts.payback_change(s(63), s(64)) == "1 month earlier"
    assert compare_charts.payback_change(s(64), s(64)) == "same month"
    assert compare_charts.payback_change(s(None), s(64)) == "never pays back (vs month 64)"
    assert compare_charts.payback_change(s(None), s(None)) == "both: never pays back"
    assert compare_charts.payback_change(s(None, 0.0), s(64)) == \
        "nothing to pay back (vs month 64)"
