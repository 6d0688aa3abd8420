"""Per segment: Kaplan–Meier and every fitted curve of the registry, the best by AIC, and plain
words on fits that should not be trusted (degenerate parameters, a tail the data contradicts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from model.assumptions import BY_NAME
from model.churn._dataset import Dataset, SegmentData
from model.churn._errors import ChurnDataError, plural, quote
from model.fitting import (
    Backtest,
    CalendarBacktest,
    Counts,
    Fit,
    KaplanMeier,
    backtest,
    best_by_aic,
    calendar_backtest,
    fit_all,
    kaplan_meier,
    upper_churn_without_events,
)

Progress = Callable[[float, str], None]  # (share done 0…1, what is being done)

DEGENERATE_SBG = 1e4  # α and β both above this: the Beta mixture is a point, churn is constant
TAIL_MIN_AT_RISK = 30  # customers still followed for the tail comparison to mean something
DEFAULT_HORIZON_MONTHS = 12 * int(BY_NAME["horizon_years"].default)  # when none is given
TAIL_GAP = 0.05  # a fit this far (absolute) from Kaplan–Meier, outside its band, is flagged


@dataclass(frozen=True, eq=False)
class SegmentFit:
    data: SegmentData
    km: KaplanMeier
    fits: dict[str, Fit]
    best: str  # key of the best fitted curve by AIC
    notes: tuple[str, ...] = field(default=())  # from the optimiser (e.g. no standard errors)
    checks: tuple[str, ...] = field(default=())  # plain-words warnings on the fits
    backtest: Backtest | None = None  # every curve fitted on the earlier periods, projected on
    calendar: CalendarBacktest | None = None  # date files: fitted up to a cut-off date, projected


class Fitted(tuple):
    """The fitted segments (a tuple of ``SegmentFit``) and, in ``skipped``, one short sentence per
    segment that could not be fitted and was left out (nobody in it churned)."""

    skipped: tuple[str, ...]

    def __new__(cls, fits=(), skipped: tuple[str, ...] = ()):
        out = super().__new__(cls, fits)
        out.skipped = tuple(skipped)
        return out


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


def _skipped(dataset: Dataset, sd: SegmentData) -> str:
    c = sd.counts
    return (f"Segment {quote(sd.name)} is left out: no one in it churned ({plural(int(c.n), 'customer')} "
            f"followed for up to {c.max_duration} {dataset.period}), so it has no curve; the other "
            f"segments are fitted and calibrated without it.")


def short_window(counts: Counts, months_per_period: int, horizon_months: int) -> str | None:
    """A plain warning when the data is short against the horizon it is projected over."""
    window = counts.max_duration * months_per_period
    if window * 2 >= horizon_months:
        return None
    seen = (f"{plural(window // 12, 'year')}" if months_per_period == 12
            else plural(window, "month"))
    return (f"{seen} of data projected over {plural(horizon_months // 12, 'year')}: every curve is "
            f"extrapolation past {'year ' + str(window // 12) if months_per_period == 12 else 'month ' + str(window)}"
            f" — read its long-run figures with care, and look at the backtest.")


def fit_dataset(dataset: Dataset, progress: Progress | None = None,
                horizon_months: int = DEFAULT_HORIZON_MONTHS, holdout: int | None = None) -> Fitted:
    """Kaplan–Meier, every fitted curve and a holdout backtest for each segment; ``progress``
    hears after each. A segment where nobody churned is left out and said in ``skipped``; when
    no segment can be fitted the file is refused."""
    k = dataset.months_per_period
    out, skipped = [], []
    total = len(dataset.segments)
    for j, sd in enumerate(dataset.segments):
        if progress is not None:
            progress(j / total, f"Fitting segment {j + 1} of {total}")
        if sd.counts.n_churned <= 0:
            skipped.append(sd)
            continue
        fits = fit_all(sd.counts, k)
        km = kaplan_meier(sd.counts)
        notes = tuple(n for f in fits.values() for n in f.notes)
        checks = fit_checks(km, fits, dataset.period)
        window = short_window(sd.counts, k, horizon_months)
        if window:
            checks.insert(0, window)
        out.append(SegmentFit(sd, km, fits, best_by_aic(fits), notes, tuple(checks),
                              backtest(sd.counts, k, holdout, fits),
                              calendar_backtest(sd.calendar, k, fits)))
    if not out:
        raise _no_churn(dataset, skipped[0]) if len(skipped) == 1 else ChurnDataError(
            f"No customer churned in any of the {len(skipped)} segments, so churn cannot be "
            f"estimated: add the customers who left, or choose no segment column.")
    if progress is not None:
        progress(1.0, "Fitted")
    return Fitted(out, tuple(_skipped(dataset, sd) for sd in skipped))


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
