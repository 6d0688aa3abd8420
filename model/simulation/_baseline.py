"""Step 1 — segments: the business as measured today (hazards by age, today's customers by age)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.curves import (
    RetentionCurve,
    hazard_table,
    monthly_from_annual,
    steady_state_age_mix,
)


@dataclass(frozen=True)
class Segment:
    """A group of customers with its own retention curve, size, revenue and age mix."""

    name: str
    customers: float  # active today
    arpu_monthly: float  # revenue per customer-month, bad profits included
    curve: RetentionCurve
    new_share: float  # share of new customers who join this segment
    age_mix: tuple[float, ...] | None = None  # observed share by age in months; None = steady state


@dataclass(frozen=True)
class Baseline:
    """The business as measured today. ``None`` in ``simulate`` means: built from the assumptions
    ``customers``, ``arpu_monthly`` and ``annual_churn`` (one segment, constant churn). A
    Baseline replaces those three, and ``new_customers_monthly`` too when the data gives it."""

    segments: tuple[Segment, ...]
    source: str = "defaults"
    # New customers per month seen in the data (None: the assumption new_customers_monthly).
    new_customers_monthly: float | None = None
    # Where each calibrated number came from, in sentences for the banner (churn data: the data,
    # entered, or scaled in proportion).
    origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segments:
    """The baseline as arrays: a leading axis of 1 or B, then segments S, then ages A."""

    names: tuple[str, ...]
    hazard: np.ndarray  # (1|B, S, A) today's monthly churn probability by age
    customers: np.ndarray  # (1|B, S, A) active today by age
    arpu: np.ndarray  # (1|B, S)
    new_share: np.ndarray  # (1, S) share of new customers who join each segment
    new_customers_monthly: np.ndarray  # (1|B,) bought per month today
    observed_ages: np.ndarray  # (S,) bool: today's ages come from data (else the steady state)


def segments_of(p: Mapping[str, np.ndarray], baseline: Baseline | None) -> Segments:
    """Arrays of the baseline; without one, one segment with constant churn from ``p``."""
    if baseline is None:
        return Segments(("All customers",), monthly_from_annual(p["annual_churn"])[:, None, None],
                        p["customers"][:, None, None], p["arpu_monthly"][:, None],
                        np.ones((1, 1)), p["new_customers_monthly"], np.zeros(1, dtype=bool))
    tables = [hazard_table(s.curve) for s in baseline.segments]
    n_ages = max(len(h) for h in tables)
    hazard = np.stack([extend(h, n_ages) for h in tables])[None, :, :]
    mixes = [age_mix(s, h, n_ages) for s, h in zip(baseline.segments, tables, strict=True)]
    customers = np.stack([s.customers * m for s, m in zip(baseline.segments, mixes, strict=True)])
    shares = np.array([s.new_share for s in baseline.segments], dtype=float)
    new_share = (shares / shares.sum() if shares.sum() > 0 else
                 np.full(len(shares), 1 / len(shares)))[None, :]
    new = (p["new_customers_monthly"] if baseline.new_customers_monthly is None
           else np.array([float(baseline.new_customers_monthly)]))
    observed = np.array([s.age_mix is not None for s in baseline.segments])
    return Segments(tuple(s.name for s in baseline.segments), hazard, customers[None],
                    np.array([[s.arpu_monthly for s in baseline.segments]]), new_share, new,
                    observed)


def baseline_basics(baseline: Baseline) -> dict[str, float]:
    """What a calibrated baseline says for the business basics it replaces.

    Customers and new customers are totals, ARPU is customer-weighted, and churn is the share of
    today's active customers (with their age mix) who leave within the next 12 months.
    """
    total = sum(s.customers for s in baseline.segments)
    arpu = (sum(s.customers * s.arpu_monthly for s in baseline.segments) / total
            if total > 0 else 0.0)
    kept = 0.0
    for s in baseline.segments:
        h = hazard_table(s.curve)
        mix = age_mix(s, h, h.size)
        ages = np.arange(h.size)
        survival = np.ones(h.size)
        for k in range(12):
            survival *= 1 - h[np.minimum(ages + k, h.size - 1)]
        kept += s.customers * float(mix @ survival)
    out = {"customers": float(total), "arpu_monthly": float(arpu),
           "annual_churn": 1 - kept / total if total > 0 else 0.0}
    if baseline.new_customers_monthly is not None:
        out["new_customers_monthly"] = float(baseline.new_customers_monthly)
    return out


def extend(hazard: np.ndarray, n_ages: int) -> np.ndarray:
    """Pad a hazard table to ``n_ages`` with its last (absorbing) value."""
    return np.concatenate([hazard, np.full(n_ages - len(hazard), hazard[-1])])


def age_mix(segment: Segment, hazard: np.ndarray, n_ages: int) -> np.ndarray:
    """Today's share of the segment's customers by age: observed, else the steady state."""
    if segment.age_mix is None:
        return steady_state_age_mix(extend(hazard, n_ages))
    observed = np.asarray(segment.age_mix, dtype=float)
    mix = np.zeros(n_ages)
    k = min(len(observed), n_ages)
    mix[:k] = observed[:k]
    mix[-1] += observed[k:].sum()
    total = mix.sum()
    return mix / total if total > 0 else steady_state_age_mix(extend(hazard, n_ages))
