"""Reading churn files: formats, column guesses, every bad-file message, calibration, CLI, samples."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pandas as pd
import pytest

from model import churn as cd
from model.assumptions import defaults
from model.churn import _read
from model.curves import SBGCurve
from model.simulation import Baseline, run
from tests.support.app import ROOT

SAMPLES = ROOT / "data" / "churn"
UPLOAD_ENV = "ONEQ_MAX_UPLOAD_MB"

TENURE_CSV = (b"customer_id,tenure,churned,plan,monthly_revenue\n"
              b"a,1,Yes,Basic,10\nb,3,No,Basic,12\nc,2,yes,Pro,30\nd,5,0,Pro,32\n"
              b"e,4,churned,Basic,11\nf,6,active,Pro,29\n")


def load(data: bytes, **overrides) -> cd.Dataset:
    csv = cd.read_source(data, "test.csv")
    mapping = cd.guess_mapping(csv.frame)
    if overrides:
        from dataclasses import replace

        mapping = replace(mapping, **overrides)
    return cd.load_dataset(csv.frame, mapping)


def error_of(data: bytes, **overrides) -> str:
    with pytest.raises(cd.ChurnDataError) as info:
        cd.fit_dataset(load(data, **overrides))
    return str(info.value)


# --- every bad file of issue 3 item 7 gets a clear message ----------------------------------------


def test_empty_file():
    assert "The file is empty" in error_of(b"")
    assert "The file is empty" in error_of(b"  \n\n")


def test_header_only():
    assert "header row but no data rows" in error_of(b"tenure,churned\n")


def test_binary_file():
    msg = error_of(bytes(range(256)) * 10)
    assert "binary, not text" in msg


def test_spreadsheet_renamed_to_csv():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    msg = error_of(buf.getvalue())
    assert "Excel workbook" in msg and "Save As" in msg
    assert "old Excel workbook (.xls)" in error_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def test_semicolon_delimiter_and_decimal_commas_are_read():
    data = (b"tenure;churned;revenue\n1;Ja;10,50\n3;Nein;12,25\n2;Ja;9,75\n4;Nein;11,00\n"
            )
    csv = cd.read_source(data)
    assert csv.delimiter == ";" and csv.decimal == ","
    assert any("decimal commas" in n for n in csv.notes)
    ds = load(data)
    assert ds.segments[0].arpu_monthly == pytest.approx((12.25 + 11.0) / 2)  # active customers


def test_utf8_bom_and_latin1():
    bom = b"\xef\xbb\xbf" + TENURE_CSV
    csv = cd.read_source(bom)
    assert csv.frame.columns[0] == "customer_id" and csv.encoding == "utf-8-sig"
    latin = "tenure,churned,région\n1,oui,Île-de-France\n2,non,Bretagne\n3,oui,Île-de-France\n"
    csv = cd.read_source(latin.encode("latin-1"))
    assert csv.encoding == "cp1252" and "région" in csv.frame.columns
    assert "Île-de-France" in set(csv.frame["région"])
    assert any("not UTF-8" in n for n in csv.notes)


def test_missing_or_unmappable_columns():
    msg = error_of(b"name,colour\nann,red\nbob,blue\n")
    assert "No duration column is mapped" in msg
    msg = error_of(TENURE_CSV, duration="months_active")
    assert "'months_active' is not in the file" in msg and "customer_id" in msg
    msg = error_of(TENURE_CSV, event=None)
    assert "No churned column is mapped" in msg


def test_numbers_stored_as_text_with_blanks():
    data = b"tenure,churned,revenue\n\"3\",1,10\n\" \",0,12\n\"5\",0, \n"
    msg = error_of(data)
    assert "Column 'tenure' (tenure) is blank on line 3" in msg
    ok = b"tenure,churned,revenue\n\"3\",1,\"10\"\n\"4\",0,\" \"\n\"5\",0,\"12\"\n\"2\",1,\"8\"\n"
    ds = load(ok)
    assert any("blank revenue cells" in n for n in ds.notes)
    assert ds.segments[0].arpu_monthly == pytest.approx(12.0)
    msg = error_of(b"tenure,churned\n3,1\nthree,0\n")
    assert "text that is not a number: 'three' on line 3" in msg


def test_negative_durations():
    assert "negative duration: -2 on line 3" in error_of(b"tenure,churned\n3,1\n-2,0\n4,1\n")


def test_fractional_durations():
    msg = error_of(b"tenure,churned\n3,1\n2.5,0\n4,1\n")
    assert "fractional duration: 2.5 on line 3" in msg and "round them" in msg


def test_end_before_start():
    data = b"start,end\n2024-01-01,2024-05-01\n2024-03-01,2023-12-01\n2024-02-01,\n"
    msg = error_of(data)
    assert "On line 3 the end date 2023-12-01 is before the start date 2024-03-01" in msg


def test_unparseable_dates():
    data = b"start,end\n2024-01-01,2024-05-01\n2024-13-45,\n2024-02-01,\n"
    msg = error_of(data)
    assert "date that cannot be read: '2024-13-45' on line 3" in msg
    msg = error_of(b"start,end\nyesterday,\nlast week,2024-01-01\n")
    assert "date that cannot be read" in msg and "YYYY-MM-DD" in msg


def test_duplicate_ids():
    data = b"customer_id,tenure,churned\nA1,3,1\nA2,4,0\nA1,5,0\n"
    msg = error_of(data, customer_id="customer_id")
    assert "Customer id 'A1' appears on lines 2 and 4" in msg


def test_no_churn_observed_says_what_can_and_cannot_be_estimated():
    msg = error_of(b"tenure,churned,revenue\n3,No,10\n5,No,11\n12,No,12\n")
    assert "No customer in the file churned" in msg
    assert "cannot be estimated" in msg and "Customer count, revenue and age mix can be read" in msg
    assert "below" in msg and "% a month" in msg


def test_every_customer_churned():
    ds = load(b"tenure,churned\n3,1\n5,1\n2,1\n7,1\n")
    assert any("Every customer in the file churned" in n for n in ds.notes)
    fitted = cd.fit_dataset(ds)  # the curves can still be fitted …
    with pytest.raises(cd.ChurnDataError, match="no active customers to count"):
        cd.build_baseline(fitted, "best", defaults(), "x")  # … but not used as the business


def test_one_row():
    assert "only one customer row" in error_of(b"tenure,churned\n3,1\n")


def test_file_over_the_size_limit(monkeypatch):
    monkeypatch.setenv(UPLOAD_ENV, "0.0001")  # 100 bytes
    msg = error_of(TENURE_CSV)
    assert "over the upload limit of 0.0001 MB" in msg and UPLOAD_ENV in msg
    monkeypatch.delenv(UPLOAD_ENV)
    assert cd.max_upload_mb() == 200


def test_unknown_churn_spelling_and_blank_flags():
    msg = error_of(b"tenure,churned\n3,1\n4,maybe\n")
    assert "cannot be read as churned or active: 'maybe' on line 3" in msg
    data = b"tenure,churned\n3,1\n4,\n5,1\n"
    assert load(data).segments[0].counts.n_active == 1
    msg = error_of(data, blank_is_active=False)
    assert "is blank on line 3" in msg


def test_ragged_rows_name_the_line():
    msg = error_of(b"tenure,churned\n3,1\n4,0,extra,more\n")
    assert "Line 3 has 4 values but the header has 2" in msg


# --- reading good files ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Yes/No", "1/0", "true/false", "churned/active", "Y/N", "T/F"])
def test_churned_flag_spellings(text):
    yes, no = text.split("/")
    data = f"tenure,churned\n3,{yes}\n4,{no}\n5,{yes.upper()}\n6,{no.lower()}\n".encode()
    c = load(data).segments[0].counts
    assert c.n_churned == 2 and c.n_active == 2


def test_gzip_is_read():
    assert cd.read_source(gzip.compress(TENURE_CSV), "x.csv.gz").frame.shape == (6, 5)


def test_guesses_on_a_customer_file():
    m = cd.guess_mapping(cd.read_source(TENURE_CSV).frame)
    assert (m.shape, m.duration, m.event, m.segment, m.revenue, m.customer_id) == (
        "customers", "tenure", "churned", "plan", "monthly_revenue", "customer_id")


def test_segments_arpu_age_mix_and_counts():
    ds = load(TENURE_CSV)
    by = {s.name: s for s in ds.segments}
    assert set(by) == {"Basic", "Pro"}
    basic = by["Basic"]
    assert basic.counts.n_churned == 2 and basic.active == 1
    assert basic.arpu_monthly == pytest.approx(12.0)  # the active customer's revenue
    assert basic.age_mix[3] == pytest.approx(1.0) and len(basic.age_mix) == 4
    pro = by["Pro"]
    assert pro.counts.churned_at(2) == 1 and pro.counts.censored_at(5) == 1 and pro.counts.censored_at(6) == 1
    assert pro.arpu_monthly == pytest.approx((32 + 29) / 2)


def period_counts(c) -> dict[str, dict[int, float]]:
    """Counts in whole periods as the curves read them: churned, censored, part-periods."""
    p = c.periods
    return {k: {int(t): float(v) for t, v in zip(p.times, getattr(p, k), strict=True) if v}
            for k in ("churned", "censored", "partial")}


def test_dates_become_days_then_periods_consistently():
    data = (b"start,end,churned\n2024-01-01,2024-01-20,Yes\n2024-01-01,2024-03-15,Yes\n"
            b"2024-01-01,,No\n2024-06-10,,No\n")
    ds = load(data, as_of="2024-07-01")
    c = ds.segments[0].counts
    assert c.churned_at(19) == 1 and c.churned_at(74) == 1  # whole days
    assert c.censored_at(182) == 1 and c.censored_at(21) == 1
    p = period_counts(c)
    assert p["churned"] == {1: 1, 3: 1}  # 19 days → month 1; 74 days → month 3
    # 182 days: five whole months and 98 % of the sixth; 21 days: 69 % of the first.
    assert p["censored"] == {0: 1, 5: 1}
    assert p["partial"][5] == pytest.approx(182 / cd.DAYS_PER_MONTH - 5)
    assert p["partial"][0] == pytest.approx(21 / cd.DAYS_PER_MONTH)
    assert ds.as_of == "2024-07-01" and ds.unit == "dates"
    assert load(data).as_of == "2024-06-10"  # default: the latest date in the file


def test_years_period_scales_age_and_revenue():
    data = b"tenure_years,churned,revenue\n1,1,120\n2,0,240\n3,0,120\n"
    ds = load(data)
    assert ds.months_per_period == 12
    s = ds.segments[0]
    assert s.arpu_monthly == pytest.approx(15.0)
    assert s.age_mix[24] == pytest.approx(0.5) and s.age_mix[36] == pytest.approx(0.5)


def test_cohort_tables_counts_and_percent():
    data = b"year,Regular,High end\n0,1000,1000\n1,631,869\n2,468,743\n3,382,\n"
    csv = cd.read_source(data)
    m = cd.guess_mapping(csv.frame)
    assert m.shape == "cohort" and m.period == "years"
    assert m.cohort_columns == ("Regular", "High end")
    ds = cd.load_dataset(csv.frame, m)
    reg, high = ds.segments
    np.testing.assert_allclose([reg.counts.churned_at(t) for t in range(4)], [0, 369, 163, 86])
    assert reg.counts.censored_at(3) == 382 and high.counts.censored_at(2) == 743
    assert reg.active == 382 and len(reg.age_mix) == 37
    pct = cd.read_source(b"month,share\n0,100\n1,80\n2,70\n")
    ds = cd.load_dataset(pct.frame, cd.guess_mapping(pct.frame))
    assert ds.segments[0].active is None and any("% alive" in n for n in ds.notes)
    np.testing.assert_allclose([ds.segments[0].counts.churned_at(t) for t in range(3)], [0, 200, 100])
    pooled = cd.load_dataset(csv.frame, cd.ColumnMapping(
        shape="cohort", period="years", cohort_period="year",
        cohort_columns=("Regular", "High end"), cohort_as_segments=False))
    assert [s.name for s in pooled.segments] == ["All customers"]
    assert pooled.segments[0].counts.n == 2000


def test_cohort_that_rises_is_refused():
    csv = cd.read_source(b"period,a\n0,100\n1,80\n2,90\n")
    with pytest.raises(cd.ChurnDataError, match="rises from 80 to 90"):
        cd.load_dataset(csv.frame, cd.ColumnMapping(shape="cohort", cohort_period="period",
                                                    cohort_columns=("a",)))


def test_too_many_segments():
    rows = "\n".join(f"{i % 7 + 1},{i % 2},seg{i}" for i in range(30))
    msg = error_of(f"tenure,churned,segment\n{rows}\n".encode(), segment="segment")
    assert "30 distinct values, too many segments" in msg


def test_aggregation_is_fast_path_equivalent_to_rows():
    rng = np.random.default_rng(3)
    n = 5000
    df = pd.DataFrame({"tenure": rng.integers(0, 40, n), "churned": rng.integers(0, 2, n),
                       "segment": rng.choice(["a", "b", "c"], n)})
    ds = cd.load_dataset(df, cd.ColumnMapping(duration="tenure", event="churned",
                                                  segment="segment"))
    for s in ds.segments:
        sub = df[df.segment == s.name]
        dur = np.where((sub.churned == 1) & (sub.tenure == 0), 1, sub.tenure)
        for t in (1, 7, 39):
            assert s.counts.churned_at(t) == ((dur == t) & (sub.churned == 1)).sum()
            assert s.counts.censored_at(t) == ((dur == t) & (sub.churned == 0)).sum()


# --- calibration ------------------------------------------------------------------------------------


def test_build_baseline_from_the_customer_sample():
    csv = cd.read_source(SAMPLES / "customers.csv")
    ds = cd.load_dataset(csv.frame, cd.guess_mapping(csv.frame))
    fitted = cd.fit_dataset(ds)
    best = {f.data.name: f.best for f in fitted}
    assert best == {"Consumer": "sbg", "Enterprise": "sbg", "Small business": "weibull"}
    values = defaults()
    b = cd.build_baseline(fitted, "best", values, "customers.csv")
    assert isinstance(b, Baseline) and len(b.segments) == 3
    assert sum(s.new_share for s in b.segments) == pytest.approx(1.0)
    consumer = next(s for s in b.segments if s.name == "Consumer")
    assert isinstance(consumer.curve, SBGCurve)
    assert consumer.customers == fitted[0].data.active
    assert 25 < consumer.arpu_monthly < 40  # sample: mean 30 × lognormal noise
    assert sum(consumer.age_mix) == pytest.approx(1.0)
    # Without a revenue column the current ARPU assumption is used; KM uses the best tail.
    km = cd.build_baseline(fitted, "km", {**values, "arpu_monthly": 77.0}, "x")
    assert km.segments[0].curve.tail == fitted[0].fits[fitted[0].best].curve
    r_default, r_cal = run(values), run(values, b)
    assert r_cal.summary.npv_status_quo != pytest.approx(r_default.summary.npv_status_quo)


def test_calibration_estimates_new_customers_from_the_data():
    """The sample starts 9,000 / 4,500 / 1,500 customers evenly over 94 months (make_samples)."""
    csv = cd.read_source(SAMPLES / "customers.csv")
    fitted = cd.fit_dataset(cd.load_dataset(csv.frame, cd.guess_mapping(csv.frame)))
    b = cd.build_baseline(fitted, "best", defaults(), "customers.csv")
    months = (np.datetime64("2026-10-31") - np.datetime64("2019-01-01")).astype(int) / (365.2425 / 12)
    truth = {"Consumer": 9000 / months, "Small business": 4500 / months, "Enterprise": 1500 / months}
    assert b.new_customers_monthly == pytest.approx(sum(truth.values()), rel=0.1)
    for s in b.segments:
        assert s.new_share == pytest.approx(truth[s.name] / sum(truth.values()), abs=0.05)
    # The model uses the data's inflow, not the assumption.
    r = run({**defaults(), "honesty": 0.0, "investment": 0.0}, b)
    assert r.status_quo["new_bought"].iloc[0] == pytest.approx(b.new_customers_monthly)
    assert b.origins[1].startswith("New customers a month: ") and "from the data" in b.origins[1]


def test_a_cohort_table_scales_new_customers_and_the_market_and_says_so():
    """Issue 21, defect 2: Fader & Hardie's 732 customers grew to about 85,000 on the default
    1,800 new customers a month, and the banner said they came from the data."""
    table = (b"year,Regular,High end\n0,1000,1000\n1,631,869\n2,468,743\n3,382,653\n"
             b"4,326,593\n5,289,551\n6,262,517\n7,241,491\n")
    fitted = cd.fit_upload(table, name="fader_hardie.csv").fitted
    values = defaults()
    b = cd.build_baseline(fitted, "best", values, "fader_hardie.csv")
    customers = sum(s.customers for s in b.segments)
    assert customers == 732
    assert b.new_customers_monthly == pytest.approx(1_800 * 732 / 100_000)
    assert "scaled to the data's 732 customers" in b.origins[1]
    market, said = cd.market_size_for(b, values)
    assert market == pytest.approx(1_000_000 * 732 / 100_000) and "scaled" in said
    r = run({**values, "market_size": market}, b)
    assert r.status_quo["customers_active"].iloc[-1] < 3 * customers  # not 85,000
    entered = cd.build_baseline(fitted, "best", values, "x", new_customers=40.0)
    assert entered.new_customers_monthly == 40.0 and "as entered" in entered.origins[1]
    assert cd.market_size_for(b, values, 5_000.0) == (5_000.0, "Market size: 5,000, as entered.")


def test_build_baseline_without_revenue_uses_current_arpu():
    fitted = cd.fit_dataset(load(b"tenure,churned\n3,1\n5,0\n2,1\n7,0\n"))
    b = cd.build_baseline(fitted, "constant", {**defaults(), "arpu_monthly": 42.0}, "x")
    assert b.segments[0].arpu_monthly == 42.0 and b.segments[0].customers == 2


# --- sample files ----------------------------------------------------------------------------------


def test_samples_are_small_and_reproducible(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for path in mod.main(tmp_path):
        committed = SAMPLES / path.name
        assert committed.stat().st_size < 2_000_000
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from the script"


# --- big files take the Arrow parser: same answers as pandas' C parser ---------------------------


def summary(ds: cd.Dataset) -> list[tuple]:
    return [(s.name, s.counts.churned.tolist(), s.counts.censored.tolist(), s.active,
             s.arpu_monthly, s.age_mix) for s in ds.segments]


@pytest.mark.parametrize("name", ["customers.csv", "tenure.csv"])
def test_arrow_parser_gives_the_same_dataset(monkeypatch, name):
    data = (SAMPLES / name).read_bytes()
    small = cd.read_source(data, name)
    monkeypatch.setattr(_read, "_ARROW_FROM_BYTES", 0)
    big = cd.read_source(data, name)
    assert any(hasattr(big.frame[c].array, "_pa_array") for c in big.frame.columns)
    mapping = cd.guess_mapping(small.frame)
    assert cd.guess_mapping(big.frame) == mapping
    assert summary(cd.load_dataset(big.frame, mapping)) == summary(
        cd.load_dataset(small.frame, mapping))


def test_arrow_parser_still_names_duplicates_and_bad_values(monkeypatch):
    monkeypatch.setattr(_read, "_ARROW_FROM_BYTES", 0)
    msg = error_of(b"customer_id,tenure,churned\nA1,3,1\nA2,4,0\nA1,5,0\n")
    assert "Customer id 'A1' appears on lines 2 and 4" in msg
    msg = error_of(b"tenure,churned\n3,1\nthree,0\n")
    assert "'three' on line 3" in msg
    msg = error_of(b"start,end\n2024-01-01,2024-05-01\n2024-13-45,\n2024-02-01,\n")
    assert "'2024-13-45' on line 3" in msg
