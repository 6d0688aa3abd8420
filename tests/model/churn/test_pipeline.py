"""The churn package's newer promises: one curve registry, one upload pipeline, costs set by distinct
durations, dates as YYYYMMDD numbers, forced shapes, size checked before reading, plain-words checks
on fits, the Kaplan–Meier table and a bounded chart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import churn as cd
from model.churn._segment_fit import fit_checks
from model.curves import BY_KEY, CHOICES, CURVES, FITTED, SBGCurve, StartHints, colours, label
from model.fitting import Counts, fit_all, kaplan_meier, loglik
from tests.support import oracle
from tests.support.app import ROOT

SAMPLES = ROOT / "data" / "churn"
CORPUS = ROOT / "tests" / "corpus" / "churn"


# --- one registry -------------------------------------------------------------------------------


def test_one_registry_drives_fits_labels_choices_and_colours():
    from ui.churn_charts import CURVE_COLOURS, fits_frame

    keys = [c.key for c in CURVES]
    assert keys == ["sbg", "sbdw", "weibull", "constant", "km"]
    assert CHOICES == ("best", *keys)
    assert [c.key for c in FITTED] == ["sbg", "sbdw", "weibull", "constant"]
    assert CURVE_COLOURS == colours() and len(set(colours().values())) == len(CURVES)
    assert label("best") == "Best by AIC" and label("km") == "Kaplan–Meier"
    upload = cd.fit_upload(SAMPLES / "tenure.csv")
    assert list(upload.fitted[0].fits) == [c.key for c in FITTED]
    table = fits_frame(upload.fitted)
    assert set(table["Curve"]) == {c.label for c in FITTED}
    assert any("α = " in p for p in table["Parameters ± SE"])
    hints = StartHints(0.05, np.array([1.0, 2.0]), np.array([0.95, 0.9]), {})
    for spec in FITTED:  # every fitted curve is declared completely
        assert len(spec.params) == len(spec.symbols) and spec.start(hints)
        assert spec.make(spec.to_natural(spec.start(hints)[0]), 1).months_per_period == 1


def test_dead_model_keys_are_gone():
    import model.fitting as fitting

    assert not hasattr(fitting, "MODEL_KEYS") and not hasattr(fitting, "MODELS")
    assert not (ROOT / "model" / "churn_data.py").exists()
    assert not (ROOT / "model" / "curves.py").exists()


# --- cost set by distinct durations ---------------------------------------------------------------


def test_counts_hold_distinct_durations_only():
    d = np.array([1, 2, 2, 3, 10**9, 10**15])
    e = np.array([1, 0, 1, 1, 0, 1], bool)
    c = Counts.from_arrays(d, e)
    assert c.times.tolist() == [1, 2, 3, 10**9, 10**15] and c.churned.size == 5
    assert c.churned_at(2) == 1 and c.censored_at(2) == 1 and c.churned_at(10**15) == 1
    assert c.censored_at(7) == 0 and c.max_duration == 10**15
    small = Counts.from_arrays(np.array([1, 2, 2, 3]), np.array([1, 0, 1, 1], bool))
    assert small.times.tolist() == [1, 2, 3]  # the lookup-table path gives the same shape


def test_sparse_likelihood_equals_the_dense_sum():
    rng = np.random.default_rng(7)
    d = rng.integers(1, 40, 3000)
    e = rng.uniform(size=3000) < 0.5
    c = Counts.from_arrays(d, e)
    curve = SBGCurve(0.9, 6.0)
    ls = curve.log_survival(np.arange(41.0))
    dense = sum(np.log(np.exp(ls[t - 1]) - np.exp(ls[t])) if ev else ls[t]
                for t, ev in zip(d, e, strict=True))
    assert loglik(curve, c) == pytest.approx(dense, rel=1e-10)


def test_a_far_outlier_costs_one_entry_not_a_billion():
    rng = np.random.default_rng(8)
    d = np.append(rng.integers(1, 36, 2000), 10**9)
    e = np.append(rng.uniform(size=2000) < 0.5, False)
    c = Counts.from_arrays(d, e)
    assert c.times.size <= 36
    fits = fit_all(c)  # finishes (no array of a billion entries) with finite likelihoods
    assert all(np.isfinite(f.loglik) for f in fits.values())
    km = kaplan_meier(c)
    assert km.times[-1] == 10**9 and km.survival_.size == c.times.size


def test_longest_allowed_tenure_is_read_and_one_more_is_refused(tmp_path):
    rows = "\n".join(f"{t},{t % 2}" for t in range(1, 40))
    ok = tmp_path / "ok.csv"
    ok.write_text(f"tenure,churned\n{rows}\n{cd.MAX_TENURE_MONTHS},0\n")
    upload = cd.fit_upload(ok)
    assert upload.dataset.segments[0].counts.max_duration == cd.MAX_TENURE_MONTHS
    years = tmp_path / "years.csv"
    years.write_text(f"tenure_years,churned\n{rows}\n101,0\n")
    with pytest.raises(cd.ChurnDataError, match="tenure of 101 years on line 41, over the maximum "
                                                "of 100 years"):
        cd.fit_upload(years)


# --- dates, shapes, sizes -------------------------------------------------------------------------


def test_yyyymmdd_numbers_with_blank_end_dates_are_dates():
    data = (b"start_date,end_date,churned\n20240101,,0\n20240115,20240619,1\n"
            b"20230301,,0\n20230601,20240101,1\n")
    upload = cd.fit_upload(data, name="x.csv")
    c = upload.dataset.segments[0].counts
    assert c.n == 4 and c.n_churned == 2
    assert upload.dataset.as_of == "2024-06-19"
    assert c.churned_at(156) == 1 and c.churned_at(214) == 1  # days
    churned = {t: d for t, d in zip(c.periods.times.tolist(), c.periods.churned.tolist(),
                                    strict=True) if d}
    assert churned == {6: 1, 8: 1}  # 5.1 and 7.03 months: churned during months 6 and 8


def test_shape_can_be_forced_both_ways():
    table = (CORPUS / "near_cohort_one_rise.csv").read_bytes()
    with pytest.raises(cd.ChurnDataError, match="rises from 653 to 700 on line 6"):
        cd.fit_upload(table, name="t.csv")
    with pytest.raises(cd.ChurnDataError, match="No duration column is mapped"):
        cd.fit_upload(table, name="t.csv", shape="customers")
    cohort = b"month,a\n0,100\n1,80\n2,70\n"
    assert cd.fit_upload(cohort, name="c.csv").dataset.shape == "cohort"
    forced = cd.mapping_for(cd.read_source(SAMPLES / "cohorts.csv"), shape="cohort")
    assert forced.cohort_period == "year" and forced.cohort_columns == ("Regular", "High end")
    with pytest.raises(cd.ChurnDataError, match="Unknown data shape 'rows'"):
        cd.guess_mapping(pd.DataFrame({"a": [1], "b": [2]}), "rows")


def test_overrides_switch_dates_and_durations():
    csv = cd.read_source(SAMPLES / "customers.csv")
    m = cd.mapping_for(csv, {"segment": None, "period": "months"})
    assert m.start == "start_date" and m.segment == "segment"
    m = cd.mapping_for(csv, {"duration": "monthly_revenue", "event": "churned"})
    assert m.start is None and m.end is None and m.duration == "monthly_revenue"


def test_an_oversized_file_is_refused_from_its_size_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    big.write_bytes(b"tenure,churned\n" + b"3,1\n" * 1000)

    def no_reading(self):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(cd.ChurnDataError, match="over the upload limit of 0.001 MB"):
        cd.fit_upload(big, max_mb=0.001)


def test_pipeline_reports_progress_to_the_end():
    seen = []
    cd.fit_upload(SAMPLES / "customers.csv", progress=lambda share, text: seen.append(share))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 5


# --- checks in plain words --------------------------------------------------------------------------


def test_constant_churn_data_flags_a_degenerate_sbg():
    rng = np.random.default_rng(11)
    life = rng.geometric(0.05, 200_000)
    window = rng.integers(1, 60, 200_000)
    c = Counts.from_arrays(np.minimum(life, window), life <= window)
    fits = fit_all(c)
    checks = fit_checks(kaplan_meier(c), fits, "months")
    a, b = fits["sbg"].params["alpha"], fits["sbg"].params["beta"]
    if min(a, b) > 1e4:
        assert any("simply a constant churn of 5.0 % a month" in x for x in checks), checks
    else:  # the optimiser stopped earlier on the flat ridge: then no claim is made
        assert not any("simply a constant" in x for x in checks)


def test_degenerate_sbg_and_a_tail_the_data_contradicts_are_said_in_words():
    from model.curves import GeometricCurve
    from model.fitting import Fit

    c = Counts.from_arrays(np.arange(1, 73).repeat(100), np.ones(7200, bool))
    km = kaplan_meier(c)
    sbg = BY_KEY["sbg"]
    fits = {
        "sbg": Fit("sbg", "sBG", {"alpha": 3e5, "beta": 2.9e6}, {}, 0, 0,
                   sbg.make(np.array([3e5, 2.9e6]), 1)),
        "weibull": Fit("weibull", "Weibull", {"theta": 0.01, "c": 0.9}, {}, 0, 0,
                       BY_KEY["weibull"].make(np.array([0.01, 0.9]), 1)),
        "constant": Fit("constant", "Constant churn", {"churn": 0.02}, {}, 0, 0,
                        GeometricCurve(0.02)),
    }
    checks = fit_checks(km, fits, "months")
    assert any(x.startswith("sBG: α = 300,000 and β = 2,900,000 are so large that the curve is "
                            "simply a constant churn of 9.4 % a month") for x in checks), checks
    weibull = next(x for x in checks if x.startswith("Weibull disagrees"))
    assert "still active at month 72" in weibull and "the data says" in weibull


def test_good_fits_raise_no_checks():
    upload = cd.fit_upload(SAMPLES / "cohorts.csv")
    best = {f.data.name: f.best for f in upload.fitted}
    for f in upload.fitted:
        assert not any(x.startswith(label(best[f.data.name])) for x in f.checks)


# --- Kaplan–Meier table and chart -------------------------------------------------------------------


def test_km_table_has_the_band_and_downloads_formula_safe():
    from model.scenario import safe_csv

    frame = pd.read_csv(SAMPLES / "tenure.csv")
    upload = cd.fit_upload(SAMPLES / "tenure.csv")
    table = cd.km_table(upload.fitted, "months")
    assert list(table.columns) == ["Segment", "Months", "Customers followed", "Churned",
                                   "Still active", "95 % band, low", "95 % band, high"]
    monthly = table[table.Segment == "Monthly"]
    sub = frame[frame.contract == "Monthly"]
    ref = oracle.kaplan_meier(sub.tenure_months, sub.churned)
    events = monthly[monthly.Churned > 0]
    at = np.isin(ref["timeline"], events.Months)
    assert at.sum() == len(events)
    np.testing.assert_allclose(events["Still active"], ref["survival"][at], atol=1e-9)
    np.testing.assert_allclose(events["95 % band, low"], ref["lower"][at], atol=1e-9)
    hostile = upload.fitted[0]
    object.__setattr__(hostile.data, "name", '=HYPERLINK("http://evil","x")')
    text = safe_csv(cd.km_table([hostile]))
    assert "\r\n'=HYPERLINK" in text or "\"'=HYPERLINK" in text


def test_km_curve_keeps_only_the_ages_the_model_reads():
    from model.curves import MAX_AGE_MONTHS, KaplanMeierCurve
    from model.fitting import km_curve

    rng = np.random.default_rng(5)
    d = rng.integers(1, cd.MAX_TENURE_MONTHS + 1, 5000)
    km = kaplan_meier(Counts.from_arrays(d, rng.uniform(size=d.size) < 0.5))
    capped = km_curve(km)
    full = KaplanMeierCurve(tuple(km.survival_by_period()))
    assert len(capped.survival_) == MAX_AGE_MONTHS + 2 < len(full.survival_)
    ages = np.arange(MAX_AGE_MONTHS + 1, dtype=float)
    np.testing.assert_allclose(capped.monthly_hazard(ages), full.monthly_hazard(ages))
