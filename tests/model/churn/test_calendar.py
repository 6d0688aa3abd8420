"""The backtest on the earlier calendar window (issue 21): a date file is fitted as it stood on a
cut-off date and the customers active that day are projected past it, on
tests/corpus/analysts/subscriptions_like.csv (plan "basic": customers differ, an sBG; plan "pro":
a constant 4 % a month)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model import churn as cd
from tests.support.app import ROOT

FILE = ROOT / "tests" / "corpus" / "analysts" / "subscriptions_like.csv"


@pytest.fixture(scope="module")
def upload() -> cd.Upload:
    return cd.fit_upload(FILE)


def by_plan(upload: cd.Upload) -> dict[str, cd.SegmentFit]:
    return {f.data.name: f for f in upload.fitted}


def observed_by_hand(cut: str, plan: str, months: np.ndarray) -> np.ndarray:
    """Share of the plan's customers active on ``cut`` still active ``months`` later, by pandas
    on the file itself (blank end = active on the as-of date)."""
    frame = pd.read_csv(FILE, parse_dates=["start_date", "end_date"])
    frame = frame[frame.plan == plan]
    day = pd.Timestamp(cut)
    active = frame[(frame.start_date <= day) & ~(frame.end_date <= day)]
    left = (active.end_date - day).dt.days.to_numpy(dtype=float)  # NaN: never left
    later = months[:, None] * cd.DAYS_PER_MONTH
    return (np.isnan(left)[None, :] | (left[None, :] > later)).mean(axis=1)


def test_the_default_cut_off_holds_out_the_last_third(upload):
    plans = by_plan(upload)
    for f in plans.values():
        b = f.calendar
        assert b is not None and b.cut == "2022-06-01"  # 60 months observed: the last 19 held out
        assert b.steps.tolist() == list(range(1, 20))
        assert set(b.projected) == {"sbg", "sbdw", "weibull", "constant"}


@pytest.mark.parametrize("plan", ["basic", "pro"])
def test_observed_retention_is_what_the_file_says(upload, plan):
    b = by_plan(upload)[plan].calendar
    np.testing.assert_allclose(b.observed, observed_by_hand(b.cut, plan, b.steps), atol=1e-12)
    frame = pd.read_csv(FILE, parse_dates=["start_date", "end_date"])
    frame = frame[frame.plan == plan]
    day = pd.Timestamp(b.cut)
    assert b.customers == ((frame.start_date <= day) & ~(frame.end_date <= day)).sum()


def test_customers_who_differ_are_projected_by_the_heterogeneous_curves(upload):
    b = by_plan(upload)["basic"].calendar
    assert b.best in ("sbg", "sbdw")
    assert b.mean_error["sbg"] < 0.02  # within 2 points on average over 19 months
    assert b.mean_error["constant"] > 5 * b.mean_error["sbg"]  # constant churn: far too pessimistic
    assert b.last_error["constant"] < -0.1


def test_constant_churn_is_projected_well_when_churn_is_constant(upload):
    b = by_plan(upload)["pro"].calendar
    assert b.mean_error["constant"] < 0.02
    assert b.mean_error["constant"] <= min(b.mean_error.values()) + 1e-9


def test_a_cut_off_can_be_chosen_and_is_checked():
    chosen = cd.fit_upload(FILE, overrides={"cutoff": "2023-01-01"})
    b = by_plan(chosen)["basic"].calendar
    assert b.cut == "2023-01-01" and b.steps.tolist() == list(range(1, 12))
    np.testing.assert_allclose(b.observed, observed_by_hand(b.cut, "basic", b.steps), atol=1e-12)
    with pytest.raises(cd.ChurnDataError, match="outside the data's window"):
        cd.fit_upload(FILE, overrides={"cutoff": "2030-01-01"})
    with pytest.raises(cd.ChurnDataError, match="cannot be read: write it as YYYY-MM-DD"):
        cd.fit_upload(FILE, overrides={"cutoff": "next spring"})
    tenure = "tenure,churned\n" + "\n".join(f"{i % 30},{i % 3 == 0}" for i in range(300))
    with pytest.raises(cd.ChurnDataError, match="needs start dates"):
        cd.fit_upload(tenure.encode(), name="t.csv", overrides={"cutoff": "2023-01-01"})


def test_files_without_dates_have_no_calendar_backtest():
    telco = cd.fit_upload(ROOT / "tests" / "corpus" / "analysts" / "telco_like.csv")
    assert all(f.calendar is None for f in telco.fitted)
    assert all(f.backtest is not None for f in telco.fitted)  # the by-age holdout stays


def test_the_report_carries_the_calendar_backtest(upload):
    report = cd.fit_report(upload.fitted, upload.dataset)
    seg = next(s for s in report["segments"] if s["segment"] == "basic")
    cal = seg["calendar_backtest"]
    assert cal["cutoff"] == "2022-06-01" and cal["periods_after_cutoff"][-1] == 19
    assert set(cal["mean_abs_error"]) == set(cal["projected"]) == {"sbg", "sbdw", "weibull",
                                                                   "constant"}
    assert len(cal["observed"]) == 19 and cal["closest"] in ("sbg", "sbdw")
