"""The Track page through AppTest: commit a plan, type and upload actuals (bad ones refused with
their line and column, nothing lost), the verdict, the odds before and now, the surprises."""

from __future__ import annotations

from model.tracking import Staging, read_actuals
from tests.support.app import open_app
from tests.support.store import lib

PAGE = "pages/track.py"
GOOD = ("month,customers_start,churned,new_customers,revenue,trust\n"
        + "".join(f"{m},100000,{1400 + m},1600,5000000,\n" for m in range(1, 15)))


def texts(at) -> str:
    parts = [x.value for x in at.markdown] + [x.value for x in at.info] + [
        x.value for x in at.success] + [x.value for x in at.error] + [
        x.value for x in at.warning] + [x.value for x in at.caption]
    return "\n".join(str(p) for p in parts)


def test_commit_a_plan_from_the_page():
    at = open_app(PAGE)
    assert "No plan committed" in texts(at)
    at.button(key="track_commit").click().run()
    assert not at.exception
    assert "Committed" in texts(at)
    assert "release the rest if, by month 12" in texts(at)
    assert "80%" in texts(at)  # when will we know
    assert len(lib().plans()) == 1


def test_actuals_uploaded_show_the_verdict_and_bad_ones_lose_nothing():
    stored, _ = lib().commit_plan("Bold", "2027-01", draws=300, staging=Staging(0.3, 12, 0.7))
    lib().save_actuals(stored.id, read_actuals(GOOD))
    at = open_app(PAGE)
    shown = texts(at)
    assert "Gate: " in shown and "By month 12" in shown
    words = [w for t in at.table if "In words" in t.value.columns for w in t.value["In words"]]
    assert words and all("in 10 forecasts" in w for w in words)
    assert len(at.get("vega_lite_chart")) >= 5
    bad = GOOD.replace("\n3,100000,1403", "\n3,100000,lots")
    at.radio(key="track_entry").set_value("Upload a CSV").run()
    at.file_uploader(key="track_upload").set_value(("a.csv", bad.encode(), "text/csv")).run()
    assert "line 4, column “churned”" in texts(at).replace("\\", "")
    assert "Nothing was saved" in texts(at)
    assert len(lib().actuals(stored.id)) == 14  # still there


def test_a_typed_row_is_saved_as_a_new_version():
    stored, _ = lib().commit_plan("Bold", "2027-01", draws=300)
    lib().save_actuals(stored.id, read_actuals(GOOD))
    at = open_app(PAGE)
    at.button(key="track_save_table").click().run()
    assert not at.exception
    assert "version 2" in texts(at)
    assert len(lib().actuals_history(stored.id)) == 2


def test_decision_analysis_shows_staging_and_when_we_know():
    at = open_app("pages/decision_analysis.py")
    shown = texts(at)
    assert "The option to stop is worth" in shown or "The option to stop costs" in shown
    assert "When will we know?" in shown
    assert any("Staged (pilot, then the gate)" in str(t.value.to_dict()).replace("\\\\", "")
               for t in at.table)


def test_a_hostile_scenario_name_is_text():
    hostile = "![x](http://127.0.0.1:9/x.png) [Log in](https://example.org)"
    lib().save(hostile, {"honesty": 0.5, "investment": 2_000_000})
    stored, _ = lib().commit_plan(hostile, "2027-01", draws=200)
    at = open_app(PAGE)
    shown = [m.value for m in at.markdown if "Plan of" in m.value]
    assert shown and "\\!\\[x\\]" in shown[0] and "](http" not in shown[0]
