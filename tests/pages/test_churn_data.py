"""The Churn data page in AppTest: upload, map, fit, use in model, bad files keep the calibration."""

from __future__ import annotations

import datetime
import gzip
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.app import ROOT

SAMPLES = ROOT / "data" / "churn"
CORPUS_CHURN = ROOT / "tests" / "corpus" / "churn"
APP = str(ROOT / "app.py")


def churn_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("pages/churn_data.py")
    at.run()
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="churn_upload").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at: AppTest, column: str):
    """The first dataframe on the page with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def plain(text: str) -> str:
    """Markdown text with its backslash escapes removed (file text is escaped on the page)."""
    return re.sub(r"\\(.)", r"\1", text)


def verdict(at: AppTest) -> str:
    """The dashboard's verdict sentence (the markdown inside the ``verdict`` container)."""
    return " ".join(m.value for m in at.markdown if "year" in m.value or "tenure" in m.value)


def test_page_without_a_file_offers_samples():
    at = churn_page()
    assert not at.exception
    assert any("Upload a file" in i.value for i in at.info)
    labels = [b.label for b in at.get("download_button")]
    assert any("customers.csv" in x for x in labels) and any("cohorts.csv" in x for x in labels)


def test_upload_map_fit_and_use_in_model_changes_the_dashboard():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    before = verdict(at)
    assert before
    at.switch_page("pages/churn_data.py")
    at.run()
    upload(at, "customers.csv", (SAMPLES / "customers.csv").read_bytes())
    # Guessed mapping: dates, segment, revenue, id.
    guessed = {s.key.split("_")[1]: s.value for s in at.selectbox}
    assert (guessed["start"], guessed["end"], guessed["event"], guessed["segment"]) == (
        "start_date", "end_date", "churned", "segment")
    # all segments overlaid, one per segment, then retention by start-month cohort
    assert len(at.get("vega_lite_chart")) == 5
    overlay = json.dumps(json.loads(at.get("vega_lite_chart")[0].proto.spec))
    assert "All segments" in overlay and all(s in overlay for s in ("Consumer", "Enterprise"))
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert "extrapolated" in json.dumps(spec)
    fits = table(at, "AIC")
    assert set(fits["Curve"]) == {"Constant churn", "sBG", "sBdW", "Weibull"}
    assert (fits["Best"] == "✓").sum() == 3
    changes = table(at, "Churn, year 1")
    assert changes.iloc[0, 0] == "Today's assumptions" and len(changes) == 5
    at.button(key="churn_use").click()
    at.run()
    cal = at.session_state["calibration"]
    assert cal.label.startswith("customers.csv · sBG + Weibull · ")
    assert len(cal.baseline.segments) == 3
    assert any("Calibrated on your data" in s.value for s in at.success)
    # The calibration survives a page switch and the dashboard's verdict changes.
    at.switch_page("pages/dashboard.py")
    at.run()
    assert not at.exception
    assert any("customers.csv" in i.value.replace("\\", "").replace("\u2060", "") for i in at.info)
    after = verdict(at)
    assert after and after != before


def test_choosing_another_curve_and_reset():
    at = churn_page()
    upload(at, "tenure.csv", (SAMPLES / "tenure.csv").read_bytes())
    choice = next(r for r in at.radio if r.key.startswith("churn_choice_"))
    assert choice.value == "best"
    choice.set_value("km")
    at.run()
    at.button(key="churn_use").click()
    at.run()
    cal = at.session_state["calibration"]
    assert "Kaplan–Meier" in cal.label
    assert all(s.curve.name == "Kaplan–Meier" for s in cal.baseline.segments)
    at.button(key="churn_reset").click()
    at.run()
    assert "calibration" not in at.session_state


def test_cohort_table_and_gzip_upload():
    at = churn_page()
    upload(at, "cohorts.csv.gz", gzip.compress((SAMPLES / "cohorts.csv").read_bytes()))
    shape = next(r for r in at.radio if r.key.startswith("churn_shape_"))
    assert shape.value == "cohort"
    assert len(at.get("vega_lite_chart")) == 3
    at.button(key="churn_use").click()
    at.run()
    assert [s.name for s in at.session_state["calibration"].baseline.segments] == [
        "Regular", "High end"]


BAD_FILES = {
    "empty": (b"", "The file is empty"),
    "header only": (b"tenure,churned\n", "no data rows"),
    "binary": (bytes(range(256)) * 4, "binary, not text"),
    "spreadsheet": (b"PK\x03\x04" + b"\0" * 100, "Excel workbook"),
    "missing columns": (b"name,colour\nann,red\nbob,blue\n", "No duration column is mapped"),
    "text with blanks": (b'tenure,churned\n"3",1\n" ",0\n', "is blank on line 3"),
    "negative": (b"tenure,churned\n3,1\n-2,0\n", "negative duration"),
    "fractional": (b"tenure,churned\n3,1\n2.5,0\n", "fractional duration"),
    "end before start": (b"start,end\n2024-03-01,2023-12-01\n2024-01-01,\n",
                         "is before the start date"),
    "bad dates": (b"start,end\n2024-01-01,\n2024-13-45,\n", "date that cannot be read"),
    "duplicate ids": (b"customer_id,tenure,churned\nA1,3,1\nA2,4,0\nA1,5,0\n",
                      "appears on lines 2 and 4"),
    "no churn": (b"tenure,churned\n3,No\n5,No\n", "No customer in the file churned"),
    "every customer churned": (b"tenure,churned\n3,1\n5,1\n2,1\n", "Every customer in the file churned"),
    "one row": (b"tenure,churned\n3,1\n", "only one customer row"),
    "outlier tenure": (b"tenure,churned\n3,1\n1000000000,1\n5,0\n",
                       "has a tenure of 1,000,000,000 months on line 3"),
    "infinite tenure": (b"tenure,churned\n3,1\ninf,1\n5,0\n", "not a finite number"),
    "all blank churned": (b"tenure,churned\n3,\n4,\n5,\n", "is blank on every line"),  # issue 24
    "wide header": ((CORPUS_CHURN / "wide_header_2001_columns.csv").read_bytes(), "2,001 columns"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_show_a_sentence_and_keep_the_last_good_calibration(case):
    at = churn_page()
    upload(at, "tenure.csv", (SAMPLES / "tenure.csv").read_bytes())
    at.button(key="churn_use").click()
    at.run()
    good = at.session_state["calibration"]
    data, message = BAD_FILES[case]
    upload(at, f"{case}.csv", data)
    shown = [e.value for e in at.error] + [i.value for i in at.info]
    assert any(message in plain(text) for text in shown), shown
    if case != "every customer churned":  # that one fits, but cannot be used
        assert any("the model keeps using the calibration from tenure.csv" in plain(e.value)
                   for e in at.error)
    assert "Traceback" not in " ".join(shown)
    assert at.session_state["calibration"] is good


def test_semicolons_decimal_commas_and_latin1_are_read():
    at = churn_page()
    data = "tenure;churned;région;revenue\n1;oui;Nord;10,5\n3;non;Sud;12,25\n2;oui;Nord;9,75\n" \
           "4;oui;Sud;11,0\n6;non;Nord;10,0\n5;non;Sud;11,0\n".encode("latin-1")
    upload(at, "fr.csv", data)
    assert not at.error
    assert any("decimal commas" in c.value for c in at.caption)
    seg = next(s for s in at.selectbox if s.key.startswith("churn_segment_"))
    seg.set_value("région")
    at.run()
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == 3


def test_file_over_the_size_limit(monkeypatch):
    monkeypatch.setenv("ONEQ_MAX_UPLOAD_MB", "0.001")
    at = churn_page()
    upload(at, "customers.csv", (SAMPLES / "customers.csv").read_bytes())
    assert any("over the upload limit of 0.001 MB" in plain(e.value) for e in at.error)
    assert not at.get("vega_lite_chart")


def test_unexpected_errors_become_a_sentence(monkeypatch):
    from model import churn

    def boom(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(churn, "fit_upload", boom)  # the page's door into the fitting
    at = churn_page()
    upload(at, "tenure.csv", (SAMPLES / "tenure.csv").read_bytes())
    assert any("Something went wrong" in e.value and "RuntimeError" in e.value for e in at.error)
    assert not at.exception


# --- issue 12 and 13 on this page ---------------------------------------------------------------


def test_curve_choice_keeps_its_options_when_the_segment_column_changes():
    """Options whose labels change with the data make Streamlit draw a new radio with nothing
    selected while the server keeps "best" (issue 12, #4)."""
    at = churn_page()
    upload(at, "tenure.csv", (SAMPLES / "tenure.csv").read_bytes())
    choice = next(r for r in at.radio if r.key.startswith("churn_choice_"))
    options = list(choice.options)
    seg = next(s for s in at.selectbox if s.key.startswith("churn_segment_"))
    seg.set_value("— none —")
    at.run()
    assert not at.exception
    choice = next(r for r in at.radio if r.key.startswith("churn_choice_"))
    assert list(choice.options) == options and choice.value == "best" and choice.index == 0
    assert any("Best by AIC — All customers:" in c.value for c in at.caption)


HOSTILE = ("![x](http://127.0.0.1:9/x.png)", "[Log in](https://example.org)")


def _shown_text(at: AppTest) -> list[str]:
    texts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    texts += [t.label for t in at.tabs] + [e.label for e in at.expander]
    texts += [o for r in at.radio for o in r.options]
    return texts


def test_hostile_segment_and_file_names_are_shown_as_text():
    rows = "\n".join(f"{t},{t % 3 == 0:d},{HOSTILE[t % 2]}" for t in range(1, 200))
    at = churn_page()
    upload(at, "[evil](http://127.0.0.1:9/f).csv", f"tenure,churned,plan\n{rows}\n".encode())
    assert not at.error
    texts = _shown_text(at)
    assert any("x\\]\\(http" in t for t in texts)  # the names are there, escaped
    live = [t for t in texts if re.search(r"(?<!\\)\]\((?!\\)", t) or re.search(r"(?<!\\)!\[", t)]
    assert not live, live
    # GFM links bare addresses after escapes are resolved: none may survive as one.
    bare = [t for t in texts if re.search(r"(?i)https?://|www\.", plain(t))]
    assert not bare, bare
    at.button(key="churn_use").click()
    at.run()
    assert all("](" not in plain_free for plain_free in
               (re.sub(r"\\.", "", s.value) for s in at.success))


def test_km_tables_per_segment_and_a_formula_safe_download(monkeypatch):
    import streamlit as st

    from model import churn as cd
    from model.scenario import safe_csv

    served = {}
    original = st.download_button

    def recording(label, data, *args, **kwargs):
        served[kwargs.get("key")] = (data, kwargs.get("file_name"))
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    at = churn_page()
    upload(at, "tenure.csv", (SAMPLES / "tenure.csv").read_bytes())
    km = [d.value for d in at.dataframe if "Still active" in d.value.columns]
    assert len(km) == 2 and {tuple(k["Segment"].unique()) for k in km} == {("Annual",),
                                                                           ("Monthly",)}
    assert any("Kaplan" in b.proto.label for b in at.get("download_button"))
    fitted = cd.fit_upload(SAMPLES / "tenure.csv").fitted
    data, file_name = served["churn_km_csv"]
    assert file_name == "tenure-kaplan-meier.csv"
    assert data == safe_csv(cd.km_table(fitted, "months"))
    assert data.splitlines()[0] == ("Segment,Months,Customers followed,Churned,Still active,"
                                    "95 % band, low,95 % band, high").replace(
        "95 % band, low", '"95 % band, low"').replace("95 % band, high", '"95 % band, high"')


def test_tail_disagreement_is_said_in_words_on_the_page():
    at = churn_page()
    upload(at, "customers.csv", (SAMPLES / "customers.csv").read_bytes())
    warnings = [plain(w.value) for w in at.warning]
    assert any("Constant churn disagrees with the data in the tail" in w for w in warnings)


def test_a_near_cohort_table_can_be_forced_either_way():
    at = churn_page()
    data = (ROOT / "tests" / "corpus" / "churn" / "near_cohort_one_rise.csv").read_bytes()
    upload(at, "near.csv", data)
    shape = next(r for r in at.radio if r.key.startswith("churn_shape_"))
    assert shape.value == "cohort"
    assert any("rises from 653 to 700 on line 6" in plain(e.value) for e in at.error)
    cols = next(m for m in at.multiselect if m.key.startswith("churn_cohort_columns_"))
    cols.set_value(["Regular"])
    at.run()
    assert not at.error and len(at.get("vega_lite_chart")) == 1
    shape = next(r for r in at.radio if r.key.startswith("churn_shape_"))
    shape.set_value("customers")
    at.run()
    assert not at.exception
    assert any("No duration column is mapped" in plain(e.value) for e in at.error)


def test_backtest_bands_and_curves_download_on_the_page():
    at = churn_page()
    upload(at, "tenure.csv", (SAMPLES / "tenure.csv").read_bytes())
    backtest = table(at, "Mean gap (points)")
    assert set(backtest["Segment"]) == {"Annual", "Monthly"}
    assert set(backtest["Curve"]) == {"sBG", "sBdW", "Weibull", "Constant churn"}
    assert (backtest["Closest"] == "✓").sum() == 2
    assert any("Fitted curves with bands" in b.proto.label for b in at.get("download_button"))
    assert any("delta method" in c.value for c in at.caption)
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert sum(layer["mark"].get("type") == "area" for layer in spec["layer"]
               if isinstance(layer.get("mark"), dict)) == 2  # Kaplan–Meier's band and the best's


def test_a_segment_without_churn_is_flagged_and_the_rest_fitted():
    """Issue 24, item 4: one active customer in segment "Tiny" no longer refuses the file."""
    at = churn_page()
    data = (ROOT / "tests" / "corpus" / "churn" / "one_segment_without_churn.csv").read_bytes()
    upload(at, "tiny.csv", data)
    assert not at.error
    assert any("Tiny" in plain(w.value) and "is left out" in plain(w.value) for w in at.warning)
    assert set(table(at, "AIC")["Segment"]) == {"Business", "Consumer"}


def test_formula_cells_are_neutralised_in_every_table_of_the_page():
    """Issue 24, item 12: segment names like =HYPERLINK(…), +cmd and @SUM(A1) reached the
    tables (and their toolbar's "Download as CSV") raw."""
    names = ('=HYPERLINK("http://evil.example","x")', "+cmd", "@SUM(A1)")
    rows = "\n".join(f'{t},{int(t % 3 == 0)},"{names[t % 3].replace(chr(34), 2 * chr(34))}"'
                     for t in range(1, 300))
    at = churn_page()
    upload(at, "formulas.csv", f"tenure,churned,plan\n{rows}\n".encode())
    cells = [str(v) for d in at.dataframe for col in d.value.columns
             for v in d.value[col].tolist() if isinstance(v, str)]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "-") and not c[:2] == "-0"], cells


def test_the_calibration_says_where_new_customers_and_market_size_came_from():
    """Issue 21, defect 2: a cohort table has no recent starters; the banner must not say new
    customers come from the data."""
    at = churn_page()
    upload(at, "cohorts.csv", (SAMPLES / "cohorts.csv").read_bytes())
    captions = [plain(c.value) for c in at.caption]
    assert any("scaled to the data's" in c and c.startswith("New customers a month") for c in captions)
    assert any(c.startswith("Market size:") and "scaled" in c for c in captions)
    market = next(n for n in at.number_input if n.key.startswith("churn_market_"))
    market.set_value(50_000.0)
    at.run()
    at.button(key="churn_use").click()
    at.run()
    assert at.session_state["scenario_values"]["market_size"] == 50_000
    origins = at.session_state["calibration"].baseline.origins
    assert "Market size: 50,000, as entered." in origins
    at.switch_page("pages/dashboard.py")
    at.run()
    banner = " ".join(plain(i.value) for i in at.info if "Calibrated with your churn data" in i.value)
    assert "scaled to the data's" in banner and "come from the data" in banner
    assert "new customers come from the data" not in banner


def test_a_database_table_fits_on_the_page_and_the_address_is_not_shown(tmp_path):
    import pandas as pd
    import sqlalchemy as sa

    db = tmp_path / "warehouse.duckdb"
    engine = sa.create_engine(f"duckdb:///{db}")
    with engine.begin() as conn:
        pd.read_csv(ROOT / "tests" / "corpus" / "analysts" / "telco_like.csv").to_sql(
            "telco", conn, index=False)
    engine.dispose()
    at = churn_page()
    at.radio(key="churn_source_kind").set_value("database")
    at.run()
    assert any("Connect to the table" in i.value for i in at.info)
    at.text_input(key="churn_db_url").input(f"duckdb:///{db}")
    at.text_input(key="churn_db_table").input("telco")
    at.button(key="churn_db_connect").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert set(table(at, "AIC")["Segment"]) == {"Month-to-month", "One year", "Two year"}
    assert any("Grouped inside the database" in i.value for i in at.info)
    at.button(key="churn_use").click()
    at.run()
    assert at.session_state["calibration"].label.startswith("telco in duckdb:///")


def test_the_calendar_backtest_of_a_date_file_and_its_cut_off():
    """Issue 21: a date file is also backtested on the earlier calendar window, and the cut-off
    date can be chosen on the page."""
    at = churn_page()
    upload(at, "subs.csv", (ROOT / "tests" / "corpus" / "analysts" /
                            "subscriptions_like.csv").read_bytes())
    cal = table(at, "Fitted on data up to")
    assert set(cal["Segment"]) == {"basic", "pro"}
    assert set(cal["Fitted on data up to"]) == {"2022-06-01"}
    assert set(cal["Curve"]) == {"sBG", "sBdW", "Weibull", "Constant churn"}
    closest = cal[cal["Closest"] == "✓"]
    assert set(closest["Segment"]) == {"basic", "pro"}
    assert closest.set_index("Segment").loc["basic", "Curve"] in ("sBG", "sBdW")
    cutoff = next(d for d in at.date_input if d.label == "Backtest cut-off date")
    cutoff.set_value(datetime.date(2023, 1, 1)).run()
    assert not at.exception and not at.error
    assert set(table(at, "Fitted on data up to")["Fitted on data up to"]) == {"2023-01-01"}
