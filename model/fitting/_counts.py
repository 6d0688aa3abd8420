"""Customers aggregated by distinct duration: the only input the fitters and Kaplan–Meier read.

| field      | meaning                                                              |
|------------|----------------------------------------------------------------------|
| times      | distinct whole durations t (int, ascending, each ≥ 0)                |
| churned    | customers who left at the end of period t (lifetime T = t, t ≥ 1)    |
| censored   | customers still active after t periods (right-censored: T > t)       |

Only durations that occur are stored, so memory and fitting time depend on the number of distinct
durations, never on the largest one (one customer with a tenure of a billion months costs one
entry, not a billion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Below this largest duration a bincount (O(n + max)) is faster than sorting (O(n log n)); above
# it the sort keeps the cost independent of the largest duration.
_BINCOUNT_UP_TO = 1 << 16


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
class Counts:
    """Customers by duration. Built from dense arrays (index = duration) when ``times`` is None."""

    churned: np.ndarray
    censored: np.ndarray
    times: np.ndarray | None = None

    def __post_init__(self) -> None:
        churned = np.asarray(self.churned, dtype=float)
        censored = np.asarray(self.censored, dtype=float)
        times = (np.arange(churned.size, dtype=np.int64) if self.times is None
                 else np.asarray(self.times, dtype=np.int64))
        keep = (churned + censored) > 0  # durations nobody has carry no information
        object.__setattr__(self, "churned", churned[keep])
        object.__setattr__(self, "censored", censored[keep])
        object.__setattr__(self, "times", times[keep])

    @classmethod
    def from_arrays(cls, durations: np.ndarray, churned: np.ndarray) -> Counts:
        """Aggregate per-customer integer durations and churn flags by distinct duration."""
        d = np.asarray(durations, dtype=np.int64)
        e = np.asarray(churned, dtype=bool)
        if d.size and d.min() < 0:
            raise ValueError("durations must be ≥ 0")
        times, inverse = distinct(d)
        total = np.bincount(inverse, minlength=times.size)
        dead = np.bincount(inverse[e], minlength=times.size)
        return cls(dead.astype(float), (total - dead).astype(float), times)

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
        return int(self.times[-1]) if self.times.size else 0

    @property
    def exposure(self) -> float:
        """Customer-periods at risk: Σ t · (churned_t + censored_t)."""
        return float((self.times * (self.churned + self.censored)).sum())

    def churned_at(self, t: int) -> float:
        """Customers who left at the end of period t (0 when no duration t was seen)."""
        return self._at(self.churned, t)

    def censored_at(self, t: int) -> float:
        """Customers still active after exactly t periods (0 when no duration t was seen)."""
        return self._at(self.censored, t)

    def _at(self, values: np.ndarray, t: int) -> float:
        i = int(np.searchsorted(self.times, t))
        return float(values[i]) if i < self.times.size and self.times[i] == t else 0.0

    def __add__(self, other: Counts) -> Counts:
        times = np.union1d(self.times, other.times)
        churned = np.zeros(times.size)
        censored = np.zeros(times.size)
        for c in (self, other):
            idx = np.searchsorted(times, c.times)
            churned[idx] += c.churned
            censored[idx] += c.censored
        return Counts(churned, censored, times)
