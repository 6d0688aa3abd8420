"""Per segment: Kaplan–Meier and every fitted curve of the registry, the best by AIC, and plain
words on fits that should not be trusted (degenerate parameters, a tail the data contradicts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from model.churn._dataset import Dataset, SegmentData
from model.churn._errors import ChurnDataError, quote
from model.fitting import (
    Fit,
    KaplanMeier,
    best_by_aic,
    fit_all,
    kaplan_meier,
    upper_churn_without_events,
)

Progress = Callable[[float, str], None]  # (share done 0…1, what is being done)

DEGENERATE_SBG = 1e4  # α and β both above this: the Beta mixture is a point, churn is constant
TAIL_MIN_AT_RISK = 30  # customers still followed for the tail comparison to mean something
TAIL_GAP = 0.05  # a fit this far (absolute) from Kaplan–Meier, outside its band, is flagged


@dataclass(frozen=True, eq=False)
class SegmentFit:
    data: SegmentData
    km: KaplanMeier
    fits: dict[str, Fit]
    best: str  # key of the best fitted curve by AIC
    notes: tuple[str, ...] = field(default=())  # from the optimiser (e.g. no standard errors)
    checks: tuple[str, ...] = field(default=())  # plain-words warnings on the fits


def _no_churn(dataset: Dataset, sd) -> ChurnDataError:
    c = sd.counts
    bound = upper_churn_without_events(c, dataset.months_per_period)
    single = len(dataset.segments) == 1
    where = "in the file" if single else f"in segment {quote(sd.name)}"
    return ChurnDataError(
        f"No customer {where} churned ({c.n:,.0f} customers followed for up to "
        f"{c.max_duration} {dataset.period}), so churn cannot be estimated — only that it "
        f"is probably below {100 * bound:.2g} % a month. Customer count, revenue and age "
        f"mix can be read, but a retention curve cannot: add the customers who left"
        + ("." if single else " or choose no segment column."))


def fit_dataset(dataset: Dataset, progress: Progress | None = None) -> tuple[SegmentFit, ...]:
    """Kaplan–Meier and every fitted curve for each segment; ``progress`` hears after each."""
    k = dataset.months_per_period
    out = []
    total = len(dataset.segments)
    for j, sd in enumerate(dataset.segments):
        if progress is not None:
            progress(j / total, f"Fitting segment {j + 1} of {total}")
        if sd.counts.n_churned <= 0:
            raise _no_churn(dataset, sd)
        fits = fit_all(sd.counts, k)
        km = kaplan_meier(sd.counts)
        notes = tuple(n for f in fits.values() for n in f.notes)
        checks = tuple(fit_checks(km, fits, dataset.period))
        out.append(SegmentFit(sd, km, fits, best_by_aic(fits), notes, checks))
    if progress is not None:
        progress(1.0, "Fitted")
    return tuple(out)


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %" if x >= 0.1 else f"{100 * x:.1f} %"


def fit_checks(km: KaplanMeier, fits: dict[str, Fit], period: str) -> list[str]:
    """Plain words on fits that look fine by AIC but should not be read literally."""
    out = []
    sbg = fits.get("sbg")
    if sbg and min(sbg.params["alpha"], sbg.params["beta"]) > DEGENERATE_SBG:
        a, b = sbg.params["alpha"], sbg.params["beta"]
        out.append(
            f"sBG: α = {a:,.0f} and β = {b:,.0f} are so large that the curve is simply a constant "
            f"churn of {_pct(a / (a + b))} a {period[:-1]} — the data shows no sign that churn "
            f"falls with age, and the constant-churn curve says the same with one parameter less.")
    sbdw = fits.get("sbdw")
    if sbdw and min(sbdw.params["alpha"], sbdw.params["beta"]) > DEGENERATE_SBG:
        out.append(
            f"sBdW: α and β are so large that the curve is simply the Weibull (c = "
            f"{sbdw.params['c']:.3g}) — customers do not differ in a way the data can see.")
    followed = km.times[km.at_risk >= TAIL_MIN_AT_RISK]
    if followed.size == 0:
        return out
    t = float(followed[-1])
    observed = float(km.survival_at(t))
    low, high = (float(x) for x in km.band_at(t))
    for fit in fits.values():
        predicted = float(fit.curve.survival_as_modelled(np.array([t]))[0])
        outside = predicted < low - 1e-12 or predicted > high + 1e-12
        if outside and abs(predicted - observed) >= TAIL_GAP:
            out.append(
                f"{fit.name} disagrees with the data in the tail: it says {_pct(predicted)} still "
                f"active at {period[:-1]} {t:,.0f}, the data says {_pct(observed)} (95 % band "
                f"{_pct(low)}–{_pct(high)}). Read its long-run forecast with care.")
    return out
