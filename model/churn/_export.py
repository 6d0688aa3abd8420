"""Fitted segments as plain data: the command line's JSON and the Kaplan–Meier table to download."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from model.churn._dataset import Dataset
from model.churn._segment_fit import SegmentFit


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
        })
    return {"shape": dataset.shape, "period": dataset.period, "rows": dataset.rows,
            "as_of": dataset.as_of, "notes": list(dataset.notes), "segments": segs}


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
