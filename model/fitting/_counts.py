"""Customers aggregated by distinct duration: the only input the fitters and Kaplan–Meier read.

| field             | meaning                                                                   |
|-------------------|---------------------------------------------------------------------------|
| times             | distinct durations in ticks (int, ascending, each ≥ 0)                    |
| churned           | customers who left after exactly that duration                            |
| censored          | customers still active after that duration (right-censored)               |
| ticks_per_period  | ticks in one fitting period: 1 when durations count whole periods; days   |
|                   | per month (30.436875) when they come from dates or a tenure in days/weeks |

Kaplan–Meier reads the durations as they are (in periods, fractional for days), so on a date file
it equals Kaplan–Meier on the exact durations. The curves are discrete in periods (churn happens
at the end of a period), and ``periods`` turns the durations into periods consistently: a churn
during period j (duration in (j − 1, j]) counts at j; a customer still active part way through
period j + 1 has survived j whole periods *and* a fraction of the next, kept as ``partial`` so the
likelihood gives that part-period its exposure (constant hazard within a period). Rounding the
churned up and the active down without that part-period — what whole-month rounding did — biases
survival down: the active are dropped from the risk set of the period they were last seen in.

Only durations that occur are stored, so memory and fitting time depend on the number of distinct
durations, never on the largest one (one customer with a tenure of a billion months costs one
entry, not a billion).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

# Below this largest duration a bincount (O(n + max)) is faster than sorting (O(n log n)); above
# it the sort keeps the cost independent of the largest duration.
_BINCOUNT_UP_TO = 1 << 16
_EPS = 1e-9  # durations within this of a whole period are on it (floating point)


def distinct(durations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct durations (ascending) and each customer's index into them, like ``np.unique(…,
    return_inverse=True)``; a lookup table instead of a sort when the largest duration is small."""
    d = np.asarray(durations, dtype=np.int64)
    if not d.size:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if d.min() >= 0 and d.max() < _BINCOUNT_UP_TO:
        present = np.bincount(d) > 0
        times = np.flatnonzero(present)
        lookup = np.cumsum(present) - 1
        return times.astype(np.int64), lookup[d]
    times, inverse = np.unique(d, return_inverse=True)
    return times, inverse.reshape(-1)


@dataclass(frozen=True, eq=False)
class PeriodCounts:
    """Counts in whole periods, as the discrete curves read them (see the module docstring)."""

    times: np.ndarray  # whole periods t (int, ascending)
    churned: np.ndarray  # churned during period t (t ≥ 1)
    censored: np.ndarray  # active after t whole periods
    partial: np.ndarray  # Σ of the fractions of period t + 1 the censored at t were seen in

    @property
    def has_partial(self) -> bool:
        return bool(np.any(self.partial > 0))

    @cached_property
    def terms(self) -> LikelihoodTerms:
        """Where each term of the log-likelihood reads log S, computed once per data set (the
        fitter evaluates the likelihood hundreds of times on the same counts)."""
        t = self.times.astype(float)
        dead = np.flatnonzero((self.churned > 0) & (t >= 1))
        part = np.flatnonzero(self.partial > 0)
        # One evaluation of log S on every time the terms need: t, t − 1 (churned), t + 1 (partial).
        grid, where = np.unique(np.concatenate([t, t[dead] - 1.0, t[part] + 1.0]),
                                return_inverse=True)
        n, m = t.size, dead.size
        return LikelihoodTerms(grid, where[:n], where[n:n + m], where[n + m:], dead, part,
                               self.censored, self.churned[dead], self.partial[part])


@dataclass(frozen=True, eq=False)
class LikelihoodTerms:
    """``PeriodCounts`` laid out for the log-likelihood: log S is evaluated once on ``grid`` and
    read at t (``at``), t − 1 for the churned (``before``) and t + 1 for the partial periods
    (``after``)."""

    grid: np.ndarray  # distinct times log S is needed at
    at: np.ndarray  # index into grid of every t
    before: np.ndarray  # … of t − 1 for the periods with churn (t ≥ 1)
    after: np.ndarray  # … of t + 1 for the periods with a partial period
    dead: np.ndarray  # indices of the periods with churn (t ≥ 1)
    part: np.ndarray  # indices of the periods with a partial period
    censored: np.ndarray  # censored at every t
    churned: np.ndarray  # churned in the ``dead`` periods
    partial: np.ndarray  # partial exposure in the ``part`` periods


@dataclass(frozen=True, eq=False)
class Counts:
    """Customers by duration. Built from dense arrays (index = duration) when ``times`` is None."""

    churned: np.ndarray
    censored: np.ndarray
    times: np.ndarray | None = None
    ticks_per_period: float = 1.0

    def __post_init__(self) -> None:
        churned = np.asarray(self.churned, dtype=float)
        censored = np.asarray(self.censored, dtype=float)
        times = (np.arange(churned.size, dtype=np.int64) if self.times is None
                 else np.asarray(self.times, dtype=np.int64))
        keep = (churned + censored) > 0  # durations nobody has carry no information
        object.__setattr__(self, "churned", churned[keep])
        object.__setattr__(self, "censored", censored[keep])
        object.__setattr__(self, "times", times[keep])
        object.__setattr__(self, "ticks_per_period", float(self.ticks_per_period))
        if not self.ticks_per_period > 0:
            raise ValueError("ticks_per_period must be > 0")

    @classmethod
    def from_arrays(cls, durations: np.ndarray, churned: np.ndarray,
                    ticks_per_period: float = 1.0) -> Counts:
        """Aggregate per-customer integer durations (ticks) and churn flags by distinct duration."""
        d = np.asarray(durations, dtype=np.int64)
        e = np.asarray(churned, dtype=bool)
        if d.size and d.min() < 0:
            raise ValueError("durations must be ≥ 0")
        times, inverse = distinct(d)
        total = np.bincount(inverse, minlength=times.size)
        dead = np.bincount(inverse[e], minlength=times.size)
        return cls(dead.astype(float), (total - dead).astype(float), times, ticks_per_period)

    @property
    def in_periods(self) -> np.ndarray:
        """The distinct durations in periods (fractional when a period holds several ticks)."""
        return self.times / self.ticks_per_period

    @property
    def n(self) -> float:
        return float(self.churned.sum() + self.censored.sum())

    @property
    def n_churned(self) -> float:
        return float(self.churned.sum())

    @property
    def n_active(self) -> float:
        return float(self.censored.sum())

    @property
    def max_duration(self) -> int:
        """The longest duration in whole periods."""
        if not self.times.size:
            return 0
        if self.ticks_per_period == 1.0:
            return int(self.times[-1])
        return int(np.floor(self.times[-1] / self.ticks_per_period + _EPS))

    @property
    def exposure(self) -> float:
        """Customer-periods at risk: Σ duration (in periods) × customers."""
        return float((self.in_periods * (self.churned + self.censored)).sum())

    def churned_at(self, t: int) -> float:
        """Customers who left after exactly t ticks (0 when no duration t was seen)."""
        return self._at(self.churned, t)

    def censored_at(self, t: int) -> float:
        """Customers still active after exactly t ticks (0 when no duration t was seen)."""
        return self._at(self.censored, t)

    def _at(self, values: np.ndarray, t: int) -> float:
        i = int(np.searchsorted(self.times, t))
        return float(values[i]) if i < self.times.size and self.times[i] == t else 0.0

    def __add__(self, other: Counts) -> Counts:
        if other.ticks_per_period != self.ticks_per_period:
            raise ValueError("counts in different units cannot be added")
        times = np.union1d(self.times, other.times)
        churned = np.zeros(times.size)
        censored = np.zeros(times.size)
        for c in (self, other):
            idx = np.searchsorted(times, c.times)
            churned[idx] += c.churned
            censored[idx] += c.censored
        return Counts(churned, censored, times, self.ticks_per_period)

    def censored_after(self, period: int) -> Counts:
        """The counts as they would have been seen ``period`` periods into each customer's life:
        longer durations become active at that age (the holdout of a backtest)."""
        cut = int(np.floor(period * self.ticks_per_period + _EPS))
        inside = self.times <= cut
        later = float((self.churned[~inside] + self.censored[~inside]).sum())
        times = np.append(self.times[inside], cut)
        churned = np.append(self.churned[inside], 0.0)
        censored = np.append(self.censored[inside], later)
        if inside.any() and self.times[inside][-1] == cut:  # merge with an existing entry
            times, churned = times[:-1], churned[:-1]
            censored = np.append(censored[:-2], censored[-2] + later)
        return Counts(churned, censored, times, self.ticks_per_period)

    @cached_property
    def periods(self) -> PeriodCounts:
        """The counts in whole periods (see the module docstring)."""
        if self.ticks_per_period == 1.0:
            return PeriodCounts(self.times, self.churned, self.censored,
                                np.zeros(self.times.size))
        x = self.in_periods
        churn_period = np.maximum(np.ceil(x - _EPS), 1).astype(np.int64)
        whole = np.floor(x + _EPS).astype(np.int64)
        fraction = np.clip(x - whole, 0.0, 1.0)
        times, inverse = np.unique(np.concatenate([churn_period, whole]), return_inverse=True)
        k, n = times.size, x.size
        churned = np.bincount(inverse[:n], weights=self.churned, minlength=k)
        censored = np.bincount(inverse[n:], weights=self.censored, minlength=k)
        partial = np.bincount(inverse[n:], weights=self.censored * fraction, minlength=k)
        keep = (churned > 0) | (censored > 0)
        return PeriodCounts(times[keep], churned[keep], censored[keep], partial[keep])
