"""The linear opinion pool of participants' PERT distributions: the room's view of one assumption.

Each participant's low / likely / high of an assumption is read as a PERT distribution (a Beta
on [low, high] with λ = 4, as in ``model.analysis``); the room's view is their equal-weight
mixture (the linear opinion pool; Stone 1961, Clemen & Winkler 1999):

    F(x) = (1/n) Σᵢ F_PERT(x; lowᵢ, likelyᵢ, highᵢ)

Mixture quantiles: F is evaluated on a coarse grid (plus every participant's end points) to
bracket each quantile, then Brent's method solves F(x) = q inside the bracket to 1e-10; a
participant with low = high is a point mass (F jumps there, and the quantile is that point).
The pooled range handed to the Monte Carlo (the ``analyze --ranges`` format) is
low = the smallest low, high = the largest high, likely = the median of the pool.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from model.analysis import Range
from model.workshop._answers import Estimate

GRID = 257  # bracketing points between the smallest low and the largest high
LAMBDA = 4.0
POINT = 1e-12  # a range narrower than this is a point mass (dividing by it would overflow)


def _cdfs(estimates: Sequence[Estimate], x: np.ndarray) -> np.ndarray:
    """(n, len(x)): each participant's PERT CDF at x (one vectorised call for all of them)."""
    lo, li, hi = (np.array([getattr(e, k) for e in estimates], dtype=float)[:, None]
                  for k in ("low", "likely", "high"))
    width = hi - lo
    point = width <= POINT
    safe = np.where(point, 1.0, width)
    a = 1.0 + LAMBDA * (li - lo) / safe
    b = 1.0 + LAMBDA * (hi - li) / safe
    smooth = special.betainc(a, b, np.clip((x[None, :] - lo) / safe, 0.0, 1.0))
    return np.where(point, (x[None, :] >= lo).astype(float), smooth)


def grid(estimates: Sequence[Estimate], points: int = GRID) -> np.ndarray:
    lo = min(e.low for e in estimates)
    hi = max(e.high for e in estimates)
    ends = [v for e in estimates for v in (e.low, e.likely, e.high)]
    return np.unique(np.concatenate([np.linspace(lo, hi, points), ends]))


def mixture_cdf(estimates: Sequence[Estimate], x: np.ndarray) -> np.ndarray:
    return _cdfs(estimates, np.asarray(x, dtype=float)).mean(axis=0)


def mixture_quantiles(estimates: Sequence[Estimate], qs: Sequence[float]) -> np.ndarray:
    """Quantiles of the pool: the smallest x with F(x) ≥ q (see the module docstring)."""
    if not estimates:
        raise ValueError("no estimates to pool")
    x = grid(estimates)
    f = np.maximum.accumulate(mixture_cdf(estimates, x))  # rounding: a CDF never falls
    out = []
    for q in qs:
        i = int(np.searchsorted(f, q, side="left"))
        if i <= 0:
            out.append(x[0])
        elif i >= x.size:
            out.append(x[-1])
        elif f[i] - q < 1e-12 and any(e.low == e.high == x[i] for e in estimates):
            out.append(x[i])  # the CDF jumps over q at a point mass
        else:
            out.append(optimize.brentq(lambda t, q=q: mixture_cdf(estimates, np.array([t]))[0] - q,
                                       x[i - 1], x[i], xtol=1e-12))
    return np.asarray(out, dtype=float)


def mixture_pdf(estimates: Sequence[Estimate], points: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """x and the pooled density (for charts; point masses are left out of the curve)."""
    lo = min(e.low for e in estimates)
    hi = max(e.high for e in estimates)
    x = np.linspace(lo, hi, points) if hi > lo else np.array([lo])
    dens = np.zeros_like(x)
    for e in estimates:
        width = e.high - e.low
        if width <= POINT:
            continue
        a = 1.0 + LAMBDA * (e.likely - e.low) / width
        b = 1.0 + LAMBDA * (e.high - e.likely) / width
        u = np.clip((x - e.low) / width, 0.0, 1.0)
        dens += u ** (a - 1) * (1 - u) ** (b - 1) / special.beta(a, b) / width
    return x, dens / len(estimates)


@dataclass(frozen=True)
class Pooled:
    """The room's view of one assumption."""

    name: str
    n: int  # participants who gave an estimate
    low: float  # smallest low
    likely: float  # median of the pool
    high: float  # largest high
    p10: float
    p90: float
    likely_min: float  # spread of opinion: the lowest and highest "likely" given
    likely_max: float

    def as_range(self) -> Range:
        """The range the Monte Carlo draws this assumption from when the room's view is used."""
        return Range(self.name, self.low, self.likely, self.high)


def pool(name: str, estimates: Sequence[Estimate]) -> Pooled:
    p10, p50, p90 = mixture_quantiles(estimates, (0.1, 0.5, 0.9))
    likely = [e.likely for e in estimates]
    return Pooled(name=name, n=len(estimates), low=min(e.low for e in estimates),
                  likely=float(p50), high=max(e.high for e in estimates), p10=float(p10),
                  p90=float(p90), likely_min=min(likely), likely_max=max(likely))
