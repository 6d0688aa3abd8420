"""Chart and table builders of the Churn data page (ui/churn_charts.py), checked through their specs
and frames: the extrapolated part marked, a bounded number of points, the calibration diff."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from model import churn as cd
from model.assumptions import defaults
from tests.support.app import ROOT
from ui.churn_charts import (
    MAX_KM_POINTS,
    changes_frame,
    overlay_chart,
    survival_chart,
    survival_frame,
)

SAMPLES = ROOT / "data" / "churn"


def test_survival_chart_marks_the_extrapolated_part():
    csv = cd.read_source((SAMPLES / "cohorts.csv").read_bytes())
    fitted = cd.fit_dataset(cd.load_dataset(csv.frame, cd.guess_mapping(csv.frame)))
    km, curves, last = survival_frame(fitted[0])
    assert last == 7 and km["period"].max() == 7
    assert (km["lower"] <= km["survival"] + 1e-12).all() and (km["upper"] >= km["survival"] - 1e-12).all()
    assert set(curves.loc[curves.period > last, "part"]) == {"extrapolated"}
    assert set(curves.loc[curves.period <= last, "part"]) == {"fitted to data"}
    assert curves["period"].max() == 14  # twice the data
    spec = json.dumps(survival_chart(fitted[0], "years").to_dict())
    assert '"strokeDash"' in spec and '"extrapolated"' in spec and '"rect"' in spec
    assert "Years since start" in spec


def test_changes_table_compares_assumptions_with_each_segment():
    csv = cd.read_source((SAMPLES / "tenure.csv").read_bytes())
    fitted = cd.fit_dataset(cd.load_dataset(csv.frame, cd.guess_mapping(csv.frame)))
    values = defaults()
    frame = changes_frame(values, cd.build_baseline(fitted, "best", values, "x"))
    assert list(frame[""]) == ["Today's assumptions", "Data: Annual", "Data: Monthly",
                               "Data: all segments"]
    assert frame.loc[0, "Churn, year 1"] == "20.0 %" and frame.loc[0, "Churn, year 5"] == "20.0 %"
    assert frame.loc[2, "Curve"] == "sBG"


@pytest.mark.slow
def test_km_chart_sends_a_bounded_number_of_points():
    rng = np.random.default_rng(3)
    d = rng.integers(1, cd.MAX_TENURE_MONTHS + 1, 20_000)
    frame = pd.DataFrame({"tenure_months": d, "churned": rng.uniform(size=d.size) < 0.3})
    upload = cd.fit_upload(frame.to_csv(index=False).encode(), name="long.csv")
    spec = survival_chart(upload.fitted[0]).to_dict()
    sizes = [len(v) for v in spec["datasets"].values()]
    fitted_curves = len(upload.fitted[0].fits)
    # KM thinned; each fitted curve on 121 points
    assert max(sizes) <= max(MAX_KM_POINTS, fitted_curves * 122)
    assert MAX_KM_POINTS in sizes  # 1,200 months of data thinned to the bound
    overlay = overlay_chart(upload.fitted).to_dict()
    assert all(len(v) <= MAX_KM_POINTS for v in overlay["datasets"].values())
    assert json.dumps(spec).count("step-after") >= 2
