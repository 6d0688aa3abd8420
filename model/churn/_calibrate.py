"""From fitted segments to the calibrated business the model runs on (a ``Baseline``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from model.churn._dataset import ALL_CHURNED
from model.churn._errors import ChurnDataError
from model.churn._segment_fit import SegmentFit
from model.curves import BEST, survival_by_age
from model.fitting import km_curve
from model.simulation import Baseline, Segment


def curve_for(fit: SegmentFit, choice: str):
    """The monthly retention curve the model should use for ``choice`` (a registry key)."""
    if choice == BEST:
        choice = fit.best
    if choice == "km":
        tail = fit.fits[fit.best].curve
        return km_curve(fit.km, tail, tail.months_per_period)
    return fit.fits[choice].monthly_curve


def chosen_keys(fitted: Sequence[SegmentFit], choice: str) -> list[str]:
    """The registry keys a choice resolves to across segments ("best" may differ per segment)."""
    return sorted({f.best if choice == BEST else choice for f in fitted})


def expected_survivors_of_a_year(curve) -> float:
    """Σ_{a=0}^{11} S(a): customers still active per customer-per-month started in the last year."""
    hazard = np.clip(curve.monthly_hazard(np.arange(12, dtype=float)), 0.0, 1.0)
    return float(survival_by_age(hazard).sum())


def build_baseline(fitted: Sequence[SegmentFit], choice: str, values: Mapping[str, object],
                   source: str, new_customers: float | None = None) -> Baseline:
    """The calibrated business: one ``Segment`` per fitted segment.

    ``choice`` is "best" (each segment's best by AIC) or a registry key. Customers are the active
    count (or, for a % table, today's ``customers`` assumption shared equally); ARPU comes from the
    revenue column or, without one, today's ``arpu_monthly``; new customers per month are estimated
    from the survivors of the last year's starts and split like them. When nobody started in the
    last year (a cohort table, an old extract) they are ``new_customers`` as entered, or else the
    assumption scaled in proportion to the data's customers — never the assumption as it is,
    which belongs to a business of another size. ``Baseline.origins`` says which, in words.
    """
    if not fitted:
        raise ChurnDataError("Nothing was fitted: upload a file and map its columns first.")
    if all(f.data.active is not None and f.data.active <= 0 for f in fitted):
        raise ChurnDataError(ALL_CHURNED)
    S = len(fitted)
    curves = [curve_for(f, choice) for f in fitted]
    # Customers younger than a year who are still here are the survivors of a year of starts:
    # a steady inflow n leaves n·Σ_{a<12} S(a) of them, so n = survivors / Σ_{a<12} S(a).
    inflow = np.array([f.data.recent_starters / expected_survivors_of_a_year(c)
                       for f, c in zip(fitted, curves, strict=True)], dtype=float)
    actives = np.array([f.data.active if f.data.active is not None else 1.0 for f in fitted])
    weights = inflow if inflow.sum() > 0 else actives
    shares = weights / weights.sum() if weights.sum() > 0 else np.full(S, 1.0 / S)
    segments = []
    for f, curve, share in zip(fitted, curves, shares, strict=True):
        customers = (f.data.active if f.data.active is not None
                     else float(values["customers"]) / S)
        arpu = f.data.arpu_monthly if f.data.arpu_monthly is not None else float(
            values["arpu_monthly"])
        segments.append(Segment(f.data.name, float(customers), float(arpu), curve,
                                float(share), f.data.age_mix))
    total = sum(seg.customers for seg in segments)
    if inflow.sum() > 0:
        new_monthly = float(inflow.sum())
        said = (f"New customers a month: {new_monthly:,.0f}, from the data (those who started in "
                f"the last 12 months and the churn they have come through).")
    elif new_customers is not None:
        new_monthly = float(new_customers)
        said = f"New customers a month: {new_monthly:,.0f}, as entered (the data has no recent starts)."
    else:
        new_monthly = scaled(values, "new_customers_monthly", total)
        said = (f"New customers a month: {new_monthly:,.0f}, the assumption "
                f"({float(values['new_customers_monthly']):,.0f}) scaled to the data's "
                f"{total:,.0f} customers (the data has no recent starts): enter the real figure "
                f"if you know it.")
    arpu_from = ("revenue per customer" if all(f.data.arpu_monthly is not None for f in fitted)
                 else None)
    first = ("Customers" + (f", churn and {arpu_from}" if arpu_from else " and churn") + " come from the "
             "data" + ("" if arpu_from else "; revenue per customer stays at the assumption") + ".")
    return Baseline(tuple(segments), source, new_customers_monthly=new_monthly,
                    origins=(first, said))


def scaled(values: Mapping[str, object], name: str, customers: float) -> float:
    """An assumption in proportion to the business: its value × the data's customers / the
    assumption's customers."""
    return float(values[name]) * customers / max(float(values["customers"]), 1.0)


def market_size_for(baseline: Baseline, values: Mapping[str, object],
                    entered: float | None = None) -> tuple[float, str]:
    """The market size to run the calibrated business in, and where it came from: as entered,
    or the assumption scaled to the data's customers (the data cannot say how big the market is)."""
    customers = sum(s.customers for s in baseline.segments)
    if entered is not None:
        return float(entered), f"Market size: {float(entered):,.0f}, as entered."
    market = max(scaled(values, "market_size", customers), customers)
    return market, (f"Market size: {market:,.0f}, the assumption ({float(values['market_size']):,.0f}) "
                    f"scaled to the data's {customers:,.0f} customers: enter the real figure if "
                    f"you know it.")
