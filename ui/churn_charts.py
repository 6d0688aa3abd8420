"""Charts and tables for the Churn data page: observed vs fitted survival per segment, all segments
overlaid, the fit table and the calibration diff. Curve names and colours come from the one curve
registry (``model.curves``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from model.churn import SegmentFit
from model.curves import BY_KEY, ConstantChurn, churn_in_year, colours
from model.fitting import survival_band
from model.simulation import Baseline, baseline_basics
from ui.chart_parts import DASHED, SOLID, legend
from ui.format import count, money, percent

CURVE_COLOURS = colours()  # label → colour, one colour per curve everywhere on the page
# Okabe–Ito led by the colours no curve uses, for segments on the overlay (a chart of its own).
SEGMENT_COLOURS = ("#009E73", "#D55E00", "#56B4E9", "#F0E442", "#CC79A7", "#0072B2", "#E69F00",
                   "#000000")
MAX_KM_POINTS = 400  # points of a Kaplan–Meier step line sent to the browser, whatever the data
FITTED_POINTS = 121
CHART_HEIGHT = 520  # Streamlit fits legend and axes inside it: the plot keeps ~380 px


def _km_grid(last: int) -> np.ndarray:
    """Whole periods 0 … last, thinned to at most ``MAX_KM_POINTS`` (the step line keeps its
    shape; the table and the CSV keep every duration)."""
    if last + 1 <= MAX_KM_POINTS:
        return np.arange(0, last + 1)
    return np.unique(np.round(np.linspace(0, last, MAX_KM_POINTS)).astype(int))


def _km_frame(fit: SegmentFit, name: str) -> pd.DataFrame:
    km = fit.km
    last = int(km.times.max()) if km.times.size else 0
    grid = _km_grid(last)
    lower, upper = km.band_at(grid)
    return pd.DataFrame({"period": grid, "survival": km.survival_at(grid), "lower": lower,
                         "upper": upper, "curve": name, "segment": fit.data.name})


def survival_frame(fit: SegmentFit, extend_to: float | None = None) -> tuple[pd.DataFrame,
                                                                           pd.DataFrame, int]:
    """Kaplan–Meier steps with their band, and each fitted curve on a fine grid to ``extend_to``
    periods (default: twice the data, at least 5 periods more). Returns (km, fitted, last)."""
    km_df = _km_frame(fit, BY_KEY["km"].label)
    last = int(km_df["period"].max())
    horizon = extend_to if extend_to is not None else max(2 * last, last + 5)
    t = np.linspace(0.0, horizon, FITTED_POINTS)
    t = np.unique(np.concatenate([t, [last]]))
    rows = []
    for key, f in fit.fits.items():
        s = f.curve.survival_as_modelled(t)
        frame = pd.DataFrame({"period": t, "survival": s, "curve": BY_KEY[key].label,
                              "part": np.where(t <= last, "fitted to data", "extrapolated")})
        if key == fit.best:  # the band of the curve the calibration would use
            _, frame["lower"], frame["upper"] = survival_band(f, t)
        rows.append(frame)
    fitted = pd.concat(rows, ignore_index=True)
    return km_df, fitted, last


def _y_axis(lowest: float) -> tuple[alt.Y, alt.Scale]:
    """Share still active; starts above 0 when every line stays high, so that differences
    between 50 % and 100 % can be read (the axis title says where it starts)."""
    floor = np.floor(10 * max(lowest, 0.0)) / 10
    low = float(floor) if floor >= 0.3 else 0.0
    title = "Share still active" + (f" (axis from {100 * low:.0f} %)" if low > 0 else "")
    scale = alt.Scale(domain=[low, 1], clamp=True)
    return alt.Y("survival:Q", title=title, axis=alt.Axis(format="%"), scale=scale), scale


def survival_chart(fit: SegmentFit, period: str = "months",
                   extend_to: float | None = None) -> alt.LayerChart:
    """Observed (Kaplan–Meier with its 95 % band) against every fitted curve; the part past the
    data is dashed on a shaded background labelled "extrapolated"."""
    km_df, fitted, last = survival_frame(fit, extend_to)
    horizon = float(fitted["period"].max())
    unit = period[:-1]
    x = alt.X("period:Q", title=f"{period.capitalize()} since start",
              scale=alt.Scale(domain=[0, horizon], nice=False))
    y, y_scale = _y_axis(min(float(km_df["lower"].min()), float(fitted["survival"].min()),
                             float(fitted["lower"].min()) if "lower" in fitted else 1.0))
    colour = alt.Color("curve:N", title="Curve",
                       scale=alt.Scale(domain=list(CURVE_COLOURS), range=list(CURVE_COLOURS.values())),
                       legend=legend(title="Curve", orient="bottom"))
    shade = alt.Chart(pd.DataFrame({"start": [last], "end": [horizon],
                                    "label": ["extrapolated (no data) →"]})).mark_rect(
        color="#EEEEEE", opacity=0.6).encode(x="start:Q", x2="end:Q")
    # The label sits above the plot, where no curve can cover it (it was drawn inside, under them).
    shade_text = alt.Chart(pd.DataFrame({"start": [last], "label": ["extrapolated, no data →"]})
                           ).mark_text(align="left", dx=4, dy=-6, baseline="bottom",
                                       color="#555555").encode(x="start:Q", y=alt.value(0),
                                                               text="label:N")
    best = fitted.dropna(subset=["lower"]) if "lower" in fitted else fitted.iloc[:0]
    fit_band = alt.Chart(best).mark_area(opacity=0.15, color=BY_KEY[fit.best].colour).encode(
        x=x, y=alt.Y("lower:Q", scale=y_scale), y2="upper:Q",
        tooltip=[alt.Tooltip("period:Q", format=".1f", title=unit),
                 alt.Tooltip("lower:Q", format=".1%", title=f"{BY_KEY[fit.best].label}, 95 % low"),
                 alt.Tooltip("upper:Q", format=".1%", title=f"{BY_KEY[fit.best].label}, 95 % high")])
    band = alt.Chart(km_df).mark_area(interpolate="step-after", opacity=0.2, color="#000000"
                                      ).encode(x=x, y=alt.Y("lower:Q", scale=y_scale), y2="upper:Q",
                                               tooltip=[alt.Tooltip("period:Q", title=unit),
                                                        alt.Tooltip("lower:Q", format=".1%",
                                                                    title="95 % band low"),
                                                        alt.Tooltip("upper:Q", format=".1%",
                                                                    title="95 % band high")])
    km_line = alt.Chart(km_df).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=x, y=y, color=colour,
        tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("period:Q", title=unit),
                 alt.Tooltip("survival:Q", format=".1%", title="still active")])
    curves = alt.Chart(fitted).mark_line(strokeWidth=2).encode(
        x=x, y=y, color=colour, detail="part:N",
        strokeDash=alt.StrokeDash("part:N", title="",
                                  scale=alt.Scale(domain=["fitted to data", "extrapolated"],
                                                  range=[SOLID, DASHED]),
                                  legend=legend(orient="bottom")),
        tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("period:Q", format=".1f", title=unit),
                 alt.Tooltip("survival:Q", format=".1%", title="still active"),
                 alt.Tooltip("part:N", title="")])
    return alt.layer(shade, shade_text, band, fit_band, curves, km_line).properties(
        height=CHART_HEIGHT, title=f"{fit.data.name}: observed vs fitted retention")


def overlay_chart(fitted: Sequence[SegmentFit], period: str = "months") -> alt.LayerChart:
    """Every segment's Kaplan–Meier in one chart, each in its own colour, with its 95 % band."""
    frame = pd.concat([_km_frame(f, f.data.name) for f in fitted], ignore_index=True)
    names = [f.data.name for f in fitted]
    palette = [SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)] for i in range(len(names))]
    unit = period[:-1]
    x = alt.X("period:Q", title=f"{period.capitalize()} since start")
    y, y_scale = _y_axis(float(frame["lower"].min()))
    colour = alt.Color("segment:N", title="Segment", scale=alt.Scale(domain=names, range=palette),
                       legend=legend(title="Segment", orient="bottom", symbolOpacity=1))
    base = alt.Chart(frame)
    band = base.mark_area(interpolate="step-after", opacity=0.15).encode(
        x=x, y=alt.Y("lower:Q", scale=y_scale), y2="upper:Q", color=colour)
    lines = base.mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=x, y=y, color=colour,
        tooltip=[alt.Tooltip("segment:N", title="segment"), alt.Tooltip("period:Q", title=unit),
                 alt.Tooltip("survival:Q", format=".1%", title="still active"),
                 alt.Tooltip("lower:Q", format=".1%", title="95 % band low"),
                 alt.Tooltip("upper:Q", format=".1%", title="95 % band high")])
    return alt.layer(band, lines).properties(
        height=CHART_HEIGHT, title="All segments: observed retention (Kaplan–Meier, 95 % band)")


def fits_frame(fitted: Sequence[SegmentFit]) -> pd.DataFrame:
    """One row per segment and curve: parameters ± standard errors, log-likelihood, AIC, BIC,
    best (by AIC)."""
    rows = []
    for f in fitted:
        best_aic = f.fits[f.best].aic
        for key, fit in f.fits.items():
            symbols = dict(zip(BY_KEY[key].params, BY_KEY[key].symbols, strict=True))
            params = ", ".join(
                f"{symbols.get(n, n)} = {_num(v)} ± {_num(fit.se[n], 2)}"
                for n, v in fit.params.items())
            rows.append({"Segment": f.data.name, "Curve": BY_KEY[key].label,
                         "Parameters ± SE": params, "logLik": round(fit.loglik, 1),
                         "AIC": round(fit.aic, 1), "ΔAIC": round(fit.aic - best_aic, 1),
                         "BIC": round(fit.bic, 1),
                         "Best": "✓" if key == f.best else ""})
    return pd.DataFrame(rows)


def cohort_chart(cohorts: pd.DataFrame) -> alt.Chart:
    """Retention by start-month cohort: one row per cohort, one cell per month of age, so drift
    between cohorts shows as a change of colour down a column."""
    long = cohorts.rename_axis("cohort").reset_index().melt(
        id_vars="cohort", var_name="age", value_name="retention").dropna()
    return alt.Chart(long).mark_rect().encode(
        x=alt.X("age:O", title="Months since start"),
        y=alt.Y("cohort:O", title="Start month", sort="descending"),
        color=alt.Color("retention:Q", title="Still active", scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("cohort:O", title="start month"), alt.Tooltip("age:O", title="month"),
                 alt.Tooltip("retention:Q", format=".1%", title="still active")],
    ).properties(height=max(200, min(12 * len(cohorts), 900)),
                 title="Retention by start month (Kaplan–Meier within each cohort)")


def backtest_frame(fitted: Sequence[SegmentFit], period: str = "months") -> pd.DataFrame:
    """One row per segment and curve: fitted on the first periods, projected on the rest, with
    the mean and the last gap to Kaplan–Meier in percentage points."""
    rows = []
    for f in fitted:
        b = f.backtest
        if b is None:
            continue
        for key in f.fits:
            rows.append({"Segment": f.data.name, "Curve": BY_KEY[key].label,
                         f"Fitted on {period}": f"1–{b.cut}",
                         f"Projected {period}": f"{b.periods[0]}–{b.periods[-1]}",
                         "Mean gap (points)": round(100 * b.mean_error[key], 1),
                         f"Gap at {period[:-1]} {b.periods[-1]} (points)":
                             round(100 * b.last_error[key], 1),
                         "Closest": "✓" if key == b.best else ""})
    return pd.DataFrame(rows)


def calendar_frame(fitted: Sequence[SegmentFit], period: str = "months") -> pd.DataFrame:
    """One row per segment and curve: fitted on the data up to a cut-off date, projected over
    the customers active then, with the mean and the last gap to what they did (points)."""
    rows = []
    for f in fitted:
        b = f.calendar
        if b is None:
            continue
        last = int(b.steps[-1])
        for key in f.fits:
            rows.append({"Segment": f.data.name, "Curve": BY_KEY[key].label,
                         "Fitted on data up to": b.cut,
                         "Customers active then": count(b.customers),
                         f"Still active after {last} {period}, observed":
                             percent(float(b.observed[-1]), 1),
                         "projected": percent(float(b.projected[key][-1]), 1),
                         "Mean gap (points)": round(100 * b.mean_error[key], 1),
                         "Closest": "✓" if key == b.best else ""})
    return pd.DataFrame(rows)


def _num(x: float, digits: int = 3) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    return f"{x:.{digits}g}" if abs(x) < 1000 else f"{x:,.0f}"


def changes_frame(values: Mapping[str, object], baseline: Baseline) -> pd.DataFrame:
    """What the calibration would change: today's assumptions vs each fitted segment."""
    current = ConstantChurn.from_annual(float(values["annual_churn"]))
    rows = [{"": "Today's assumptions",
             "Customers": count(float(values["customers"])),
             "ARPU / month": money(float(values["arpu_monthly"])),
             "Churn, year 1": percent(churn_in_year(current, 1), 1),
             "Churn, year 5": percent(churn_in_year(current, 5), 1), "Curve": "Constant churn"}]
    total = sum(s.customers for s in baseline.segments)
    for s in baseline.segments:
        rows.append({"": f"Data: {s.name}", "Customers": count(s.customers),
                     "ARPU / month": money(s.arpu_monthly),
                     "Churn, year 1": percent(churn_in_year(s.curve, 1), 1),
                     "Churn, year 5": percent(churn_in_year(s.curve, 5), 1),
                     "Curve": s.curve.name})
    if len(baseline.segments) > 1 and total > 0:
        basics = baseline_basics(baseline)
        rows.append({"": "Data: all segments", "Customers": count(total),
                     "ARPU / month": money(basics["arpu_monthly"]), "Churn, year 1": "",
                     "Churn, year 5": "", "Curve": "per segment"})
    new_total = baseline.new_customers_monthly
    rows[0]["New customers / month"] = count(float(values["new_customers_monthly"]))
    for row, s in zip(rows[1:], baseline.segments, strict=False):
        row["New customers / month"] = "—" if new_total is None else count(new_total * s.new_share)
    if len(rows) > len(baseline.segments) + 1:
        rows[-1]["New customers / month"] = "—" if new_total is None else count(new_total)
    return pd.DataFrame(rows)
