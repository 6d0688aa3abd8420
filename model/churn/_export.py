"""Fitted segments as plain data: the command line's JSON, the Kaplan–Meier table, and the fitted
curves (survival and hazard by period, with their bands) to download."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from model.churn._dataset import Dataset
from model.churn._segment_fit import DEFAULT_HORIZON_MONTHS, SegmentFit
from model.curves import BY_KEY
from model.fitting import BAND_METHOD, Backtest, CalendarBacktest, hazard_band, survival_band


def fit_report(fitted: Sequence[SegmentFit], dataset: Dataset) -> dict[str, object]:
    """Everything the command line prints, as plain JSON-ready data."""
    segs = []
    for f in fitted:
        c = f.data.counts
        segs.append({
            "segment": f.data.name,
            "customers": c.n, "churned": c.n_churned, "active": f.data.active,
            "arpu_monthly": f.data.arpu_monthly,
            "max_duration": c.max_duration,
            "kaplan_meier": {"times": f.km.times.tolist(), "survival": f.km.survival_.tolist(),
                             "lower": f.km.lower_.tolist(), "upper": f.km.upper_.tolist()},
            "fits": {k: {"name": fit.name, "params": fit.params, "se": fit.se,
                         "loglik": fit.loglik, "aic": fit.aic, "bic": fit.bic} for k, fit in f.fits.items()},
            "best": f.best,
            "checks": list(f.checks),
            "backtest": _backtest(f.backtest),
            "calendar_backtest": _calendar(f.calendar),
        })
    return {"shape": dataset.shape, "period": dataset.period, "unit": dataset.unit,
            "rows": dataset.rows, "as_of": dataset.as_of, "notes": list(dataset.notes),
            "skipped": list(getattr(fitted, "skipped", ())), "bands": BAND_METHOD,
            "segments": segs, "cohorts_by_start_month": _cohorts(dataset)}


def _cohorts(dataset: Dataset) -> dict[str, list[float | None]] | None:
    """Retention by start month (date files): cohort → share still active at months 1, 2, …"""
    if dataset.cohorts is None:
        return None
    return {str(c): [None if np.isnan(v) else float(v) for v in row]
            for c, row in zip(dataset.cohorts.index, dataset.cohorts.to_numpy(), strict=True)}


def _backtest(b: Backtest | None) -> dict[str, object] | None:
    if b is None:
        return None
    return {"fitted_on_periods": b.cut, "periods": b.periods.tolist(),
            "observed": b.observed.tolist(),
            "projected": {k: v.tolist() for k, v in b.projected.items()},
            "mean_abs_error": b.mean_error, "error_at_last_period": b.last_error,
            "closest": b.best}


def _calendar(b: CalendarBacktest | None) -> dict[str, object] | None:
    if b is None:
        return None
    return {"cutoff": b.cut, "customers_active_at_cutoff": b.customers,
            "periods_after_cutoff": b.steps.tolist(), "observed": b.observed.tolist(),
            "projected": {k: v.tolist() for k, v in b.projected.items()},
            "mean_abs_error": b.mean_error, "error_at_last_period": b.last_error,
            "closest": b.best}


def curves_table(fitted: Sequence[SegmentFit], dataset: Dataset,
                 horizon_months: int = DEFAULT_HORIZON_MONTHS) -> pd.DataFrame:
    """Every fitted curve of every segment at whole periods from 0 to the horizon (or the data,
    if longer): share still active and churn in the period, each with its 95 % band."""
    rows = []
    k = dataset.months_per_period
    for f in fitted:
        last = max(int(np.ceil(horizon_months / k)), f.data.counts.max_duration)
        t = np.arange(0, last + 1, dtype=float)
        for key, fit in f.fits.items():
            s, s_low, s_high = survival_band(fit, t)
            h, h_low, h_high = hazard_band(fit, t)
            rows.append(pd.DataFrame({
                "segment": f.data.name, "curve": BY_KEY[key].label, dataset.period[:-1]: t.astype(int),
                "survival": s, "survival_low": s_low, "survival_high": s_high,
                "churn_in_next": h, "churn_in_next_low": h_low, "churn_in_next_high": h_high}))
    return pd.concat(rows, ignore_index=True)


def km_table(fitted: Sequence[SegmentFit], period: str = "months") -> pd.DataFrame:
    """Kaplan–Meier per segment at every duration with data: customers followed, churned, share
    still active and its 95 % band (Greenwood, log(−log), as lifelines)."""
    unit = period.capitalize()
    frames = []
    for f in fitted:
        km = f.km
        level = f"{100 * (1 - km.alpha):g} %"
        frames.append(pd.DataFrame({
            "Segment": f.data.name,
            unit: km.times.astype(int),
            "Customers followed": km.at_risk.round().astype(int),
            "Churned": km.churned.round().astype(int),
            "Still active": km.survival_,
            f"{level} band, low": km.lower_,
            f"{level} band, high": km.upper_,
        }))
    return pd.concat(frames, ignore_index=True)
