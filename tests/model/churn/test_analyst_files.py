"""Issue 21 on look-alikes of the real files it was measured on (tests/corpus/analysts/, written by
make_lookalikes.py there): columns and units guessed right, dates with times of day read, and
date-based Kaplan–Meier that agrees with lifelines on the exact durations."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

from model import churn as cd
from model.curves import label
from model.fitting import Counts, kaplan_meier
from tests.support import oracle
from tests.support.app import ROOT

CORPUS = ROOT / "tests" / "corpus" / "analysts"


def guess(name: str) -> cd.ColumnMapping:
    return cd.guess_mapping(cd.read_source(CORPUS / name).frame)


def test_the_lookalikes_are_reproducible(tmp_path):
    spec = importlib.util.spec_from_file_location("make", CORPUS / "make_lookalikes.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    for path in make.main(tmp_path):
        assert path.read_bytes() == (CORPUS / path.name).read_bytes(), path.name


@pytest.mark.parametrize(("name", "roles"), [
    ("streaming_like.csv", {"start": "subscription_start", "end": "subscription_end",
                            "segment": "plan_days", "duration": None}),
    ("bank_like.csv", {"duration": "Tenure", "event": "Exited", "period": "years",
                       "customer_id": "CustomerId"}),  # not Age
    ("waltons_like.csv", {"duration": "T", "event": "E", "segment": "group"}),
    ("rossi_like.csv", {"duration": "week", "event": "arrest", "period": "weeks"}),
    ("dd_like.csv", {"duration": "duration", "event": "observed", "start": None}),  # not start_year
    ("kidney_like.csv", {"duration": "time", "event": "death", "period": "days"}),
    ("telco_like.csv", {"duration": "tenure", "event": "Churn", "segment": "Contract",
                        "period": "months"}),
])
def test_columns_and_units_are_guessed_from_names_and_values(name, roles):
    mapping = guess(name)
    assert {role: getattr(mapping, role) for role in roles} == roles


def test_the_unit_guess_says_why():
    from model.churn._columns import guess_unit

    bank = cd.read_source(CORPUS / "bank_like.csv").frame
    assert guess_unit(bank, "Tenure") == ("years", "from its range: 0 to 10")
    kidney = cd.read_source(CORPUS / "kidney_like.csv").frame
    unit, why = guess_unit(kidney, "time")
    assert unit == "days" and why.startswith("from its range: up to")
    assert guess_unit(cd.read_source(CORPUS / "rossi_like.csv").frame, "week")[1] == (
        "from the column name 'week'")


def test_durations_in_days_weeks_and_years_are_fitted_per_month_or_year():
    kidney = cd.fit_upload(CORPUS / "kidney_like.csv")  # once refused: "3,316 months … over 1,200"
    assert kidney.dataset.unit == "days" and kidney.dataset.period == "months"
    counts = kidney.fitted[0].data.counts
    assert counts.ticks_per_period == pytest.approx(cd.DAYS_PER_MONTH)
    assert counts.max_duration == int(counts.times.max() / cd.DAYS_PER_MONTH)
    rossi = cd.fit_upload(CORPUS / "rossi_like.csv")
    frame = pd.read_csv(CORPUS / "rossi_like.csv")
    assert rossi.fitted[0].data.counts.times.max() == 7 * frame.week.max()  # weeks → days
    bank = cd.fit_upload(CORPUS / "bank_like.csv")
    assert bank.dataset.period == "years" and bank.dataset.months_per_period == 12
    forced = cd.fit_upload(CORPUS / "bank_like.csv", overrides={"period": "months"})
    assert forced.dataset.period == "months"  # the guess can be overridden


def test_timestamps_with_fractions_of_a_second_are_read():
    upload = cd.fit_upload(CORPUS / "streaming_like.csv")
    assert upload.dataset.unit == "dates" and upload.dataset.as_of == "2016-12-31"
    assert {f.data.name for f in upload.fitted} == {"30", "90", "365"}
    assert sum(f.data.counts.n for f in upload.fitted) == 2700


def _exact_months(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Durations in months from the timestamps themselves (no rounding), as lifelines gets them."""
    start = pd.to_datetime(frame.subscription_start)
    end = pd.to_datetime(frame.subscription_end)
    as_of = max(start.max(), end.max())
    seconds = ((end.fillna(as_of)) - start).dt.total_seconds().to_numpy()
    return seconds / 86_400 / cd.DAYS_PER_MONTH, end.notna().to_numpy()


def test_kaplan_meier_on_dates_agrees_with_lifelines_on_the_exact_durations():
    """Issue 21, defect 3: whole-month rounding (churned up, active down) put the 30-day plan's
    survival far below lifelines' on the exact durations."""
    frame = pd.read_csv(CORPUS / "streaming_like.csv", dtype={"subscription_end": str})
    plan = frame[frame.plan_days == 30]
    months, churned = _exact_months(plan)
    ref = oracle.kaplan_meier(months, churned)
    ours = next(f for f in cd.fit_upload(CORPUS / "streaming_like.csv").fitted if f.data.name == "30")
    whole = np.arange(0, int(months.max()) + 1)

    def exact(t):  # lifelines' step function at t
        i = np.searchsorted(ref["timeline"], t, side="right") - 1
        return np.where(i >= 0, ref["survival"][np.maximum(i, 0)], 1.0)

    s = ours.km.survival_at(whole)
    # Within one period's discretisation: between the exact curve at k and at k − 1 (durations are
    # whole days, so a churn within a day of a month's end may fall on either side).
    slack = 2.0 / len(plan)
    assert np.all(s >= exact(whole) - slack) and np.all(s <= exact(whole - 1) + slack)
    assert np.max(np.abs(s - exact(whole))) < 0.01
    # Whole-month rounding, as before the fix, is far off at some month.
    old = kaplan_meier(Counts.from_arrays(np.where(churned, np.ceil(months), np.floor(months)),
                                          churned))
    assert np.max(np.abs(old.survival_at(whole) - exact(whole))) > 0.05  # 0.096 at month 4


def test_the_fitted_curve_follows_the_date_file_not_a_rounding_bias():
    upload = cd.fit_upload(CORPUS / "streaming_like.csv")
    for f in upload.fitted[:1]:  # the monthly plan (yearly plans churn in steps no curve follows)
        assert f.data.name == "30"
        fit = f.fits[f.best]
        t = np.arange(1, f.data.counts.max_duration)
        followed = f.km.at_risk_at(t) >= 30
        gap = np.abs(fit.curve.survival(t[followed]) - f.km.survival_at(t[followed]))
        assert gap.max() < 0.06, (f.data.name, gap.max())


def test_ids_and_years_are_quoted_as_written():
    """Issue 21, defect 8: no thousands separators in ids and years ("1,946")."""
    ids = b"CustomerId,tenure,churned\n15634602,3,1\n15647311,4,0\n15634602,5,0\n"
    with pytest.raises(cd.ChurnDataError, match="Customer id 15634602 appears on lines 2 and 4"):
        cd.fit_upload(ids, name="x.csv", overrides={"customer_id": "CustomerId"})
    years = b"start,churned\n1946,1\n1950,0\n"
    with pytest.raises(cd.ChurnDataError, match=r"has numbers, e\.g\. 1946 on line 2"):
        cd.fit_upload(years, name="x.csv", overrides={"start": "start"})


def test_a_short_window_is_said_against_the_horizon():
    """Four months of data projected over ten years: a plain warning on every curve."""
    rng = np.random.default_rng(9)
    rows = "\n".join(f"{rng.integers(1, 5)},{int(rng.uniform() < 0.3)}" for _ in range(400))
    upload = cd.fit_upload(f"tenure_months,churned\n{rows}\n".encode(), name="short.csv")
    assert upload.fitted[0].checks[0].startswith(
        "4 months of data projected over 10 years: every curve is extrapolation past month 4")
    long = cd.fit_upload(CORPUS / "telco_like.csv")  # 72 months of 120: no warning
    assert not any("of data projected over" in c for f in long.fitted for c in f.checks)
    shorter = cd.fit_upload(f"tenure_months,churned\n{rows}\n".encode(), name="short.csv",
                            horizon_months=6)
    assert not any("of data projected over" in c for c in shorter.fitted[0].checks)


def test_curves_table_has_every_curve_with_bands_to_the_horizon():
    upload = cd.fit_upload(CORPUS / "telco_like.csv")
    table = cd.curves_table(upload.fitted, upload.dataset)
    assert list(table.columns) == ["segment", "curve", "month", "survival", "survival_low",
                                   "survival_high", "churn_in_next", "churn_in_next_low",
                                   "churn_in_next_high"]
    assert set(table.segment) == {"Month-to-month", "One year", "Two year"}
    assert set(table.curve) == {"sBG", "sBdW", "Weibull", "Constant churn"}
    assert table.month.max() == 120
    for f in upload.fitted:  # a band wherever the fit has a covariance, none where it is flat
        for key, fit in f.fits.items():
            rows = table[(table.segment == f.data.name) & (table.curve == label(key))]
            assert rows.survival_low.notna().all() == (fit.cov_u is not None), (f.data.name, key)
    banded = table.dropna()
    assert len(banded) > 0.5 * len(table)
    assert (banded.survival_low <= banded.survival + 1e-12).all()
    assert (banded.survival <= banded.survival_high + 1e-12).all()


def test_parquet_and_excel_fit_like_the_csv(tmp_path):
    import io

    frame = pd.read_csv(CORPUS / "streaming_like.csv", dtype={"subscription_end": str})
    typed = frame.assign(subscription_start=pd.to_datetime(frame.subscription_start),
                         subscription_end=pd.to_datetime(frame.subscription_end))
    parquet = io.BytesIO()
    typed.to_parquet(parquet)
    workbook = io.BytesIO()
    with pd.ExcelWriter(workbook) as writer:
        frame.to_excel(writer, sheet_name="Subscriptions", index=False)
        frame.head(3).to_excel(writer, sheet_name="Notes", index=False)
    csv = cd.fit_upload(CORPUS / "streaming_like.csv")

    def summary(upload):
        return [(f.data.name, f.data.counts.n, round(f.fits[f.best].loglik, 6)) for f in upload.fitted]

    from_parquet = cd.fit_upload(parquet.getvalue(), name="subs.parquet")
    from_excel = cd.fit_upload(workbook.getvalue(), name="subs.xlsx")
    assert summary(from_parquet) == summary(csv) == summary(from_excel)
    assert "Read the first sheet, 'Subscriptions', of 2." in from_excel.notes
    with pytest.raises(cd.ChurnDataError, match="could not be read"):
        cd.fit_upload(b"PAR1" + b"\0" * 100, name="broken.parquet")


def test_retention_by_start_month_cohort_shows_drift():
    """A date file's customers grouped by the month they started: Kaplan–Meier within each."""
    rng = np.random.default_rng(12)
    rows = []
    for month, churn in (("2024-01", 0.05), ("2024-02", 0.05), ("2024-03", 0.20)):
        start = np.datetime64(f"{month}-01") + rng.integers(0, 28, 300).astype("m8[D]")
        life = rng.geometric(churn, 300) * 30
        end = start + life.astype("m8[D]")
        ended = end <= np.datetime64("2024-12-31")
        rows += [f"{s},{e if d else ''}" for s, e, d in zip(start, end, ended, strict=True)]
    upload = cd.fit_upload(("start_date,end_date\n" + "\n".join(rows) + "\n").encode(), name="c.csv")
    cohorts = upload.dataset.cohorts
    assert list(cohorts.index) == ["2024-01", "2024-02", "2024-03"]
    assert cohorts.loc["2024-03", 3] < cohorts.loc["2024-01", 3] - 0.2  # the drift is visible
    assert np.isnan(cohorts.loc["2024-03", 36]) and not np.isnan(cohorts.loc["2024-03", 9])
    assert cd.fit_upload(CORPUS / "telco_like.csv").dataset.cohorts is None  # no dates, no cohorts
