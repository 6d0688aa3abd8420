"""The economics: age-structured customer cohorts, the levers, trust, cash and discounting.

One vectorised code path serves a single run and thousands of Monte Carlo draws: every assumption
may be a scalar or an array of shape (B,), and every result carries a leading batch axis.

Timing (DESIGN §2): month t = 0 … H−1; a customer active at the start of month t pays for it;
churn happens at the end of the month; new customers arrive at the end of the month and pay from
the next; the cash of month t is discounted by (1 + i)^−(t+1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from model.assumptions import LEVERS_OFF, validate
from model.curves import (
    ConstantChurn,
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


def default_baseline(values: Mapping[str, float]) -> Baseline:
    return Baseline((Segment("All customers", float(values["customers"]),
                             float(values["arpu_monthly"]),
                             ConstantChurn.from_annual(float(values["annual_churn"])), 1.0),))


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
        mix = _age_mix(s, h, h.size)
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


def status_quo_of(values: Mapping[str, object]) -> dict[str, object]:
    """The same business with every lever off."""
    return {**values, **LEVERS_OFF}


def tenure_months(tenure_years: float | np.ndarray, horizon_months: int) -> np.ndarray:
    """Months of tenure inside the horizon (at least one), for a scalar or an array."""
    return np.clip(np.rint(12.0 * np.asarray(tenure_years, dtype=float)), 1, horizon_months).astype(int)


@dataclass(frozen=True)
class Simulation:
    """Per-month results with a leading batch axis: (B, H) unless noted."""

    segment_names: tuple[str, ...]
    customers: np.ndarray  # active at the start of the month
    customers_by_segment: np.ndarray  # (B, H, S)
    new_bought: np.ndarray
    new_referred: np.ndarray
    churned: np.ndarray
    revenue_good: np.ndarray
    revenue_bad: np.ndarray
    revenue_by_segment: np.ndarray  # (B, H, S)
    margin: np.ndarray  # gross margin in currency
    acquisition_cost: np.ndarray
    investment_spend: np.ndarray
    run_cost: np.ndarray
    turmoil_cost: np.ndarray
    profit: np.ndarray
    discount_factor: np.ndarray  # (H,)
    trust: np.ndarray  # at the start of the month
    hazard_multiplier: np.ndarray
    customers_end: np.ndarray  # (B,) active after the last month
    terminal_value: np.ndarray  # (B,) discounted to today
    include_terminal_value: np.ndarray  # (B,) bool

    @property
    def horizon_months(self) -> int:
        return self.profit.shape[1]

    @property
    def discounted_profit(self) -> np.ndarray:
        return self.profit * self.discount_factor

    @property
    def npv_excl_terminal(self) -> np.ndarray:
        return self.discounted_profit.sum(axis=1)

    @property
    def npv(self) -> np.ndarray:
        return self.npv_excl_terminal + np.where(self.include_terminal_value,
                                                 self.terminal_value, 0.0)

    @property
    def monthly_churn(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.customers > 0, self.churned / self.customers, 0.0)


def _as_batch(values: Mapping[str, object]) -> tuple[dict[str, np.ndarray], int]:
    """Each value as a 1-D array of length 1 or B (left unbroadcast: broadcasting is cheaper)."""
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in values.items()}
    sizes = {a.shape for a in arrays.values()}
    batch = max(a.shape[0] for a in arrays.values())
    if any(len(s) != 1 or s[0] not in (1, batch) for s in sizes):
        raise ValueError("assumptions must be scalars or 1-D arrays of one length")
    return arrays, batch


# Below this many series a plain Python loop beats numpy's per-call overhead.
_SMALL_BATCH = 16


def _first_order_lag(target: np.ndarray, start: np.ndarray, up: np.ndarray,
                     down: np.ndarray) -> np.ndarray:
    """x_0 = start; x_{t+1} = x_t + (target_t − x_t)·rate, rate = up when rising, else down.

    Returns x_0 … x_{H−1}, shape (B, H).
    """
    batch, H = target.shape
    start, up, down = (np.broadcast_to(x, (batch,)) for x in (start, up, down))
    out = np.empty((batch, H))
    if batch <= _SMALL_BATCH:
        for b in range(batch):
            x, u, d, row, tgt = float(start[b]), float(up[b]), float(down[b]), out[b], target[b].tolist()
            for m in range(H):
                row[m] = x
                gap = tgt[m] - x
                x += gap * (u if gap > 0 else d)
        return out
    x = start.astype(float)
    for m in range(H):
        out[:, m] = x
        gap = target[:, m] - x
        x = x + gap * np.where(gap > 0, up, down)
    return out


def _linear_recurrence(a: np.ndarray, c: np.ndarray, start: np.ndarray) -> np.ndarray:
    """x_0 = start; x_{t+1} = a_t·x_t + c_t along axis 1. Returns x_0 … x_H, shape (B, H+1, ...)."""
    H = a.shape[1]
    out = np.empty((a.shape[0], H + 1, *a.shape[2:]))
    out[:, 0] = start
    if a[:, 0].size <= _SMALL_BATCH:
        flat_a = a.reshape(a.shape[0], H, -1)
        flat_c = c.reshape(c.shape[0], H, -1)
        flat_out = out.reshape(out.shape[0], H + 1, -1)
        for b in range(flat_a.shape[0]):
            for s in range(flat_a.shape[2]):
                x = float(flat_out[b, 0, s])
                col_a, col_c = flat_a[b, :, s].tolist(), flat_c[b, :, s].tolist()
                series = [x]
                for m in range(H):
                    x = col_a[m] * x + col_c[m]
                    series.append(x)
                flat_out[b, :, s] = series
        return out
    x = out[:, 0]
    for m in range(H):
        x = a[:, m] * x + c[:, m]
        out[:, m + 1] = x
    return out


def simulate(values: Mapping[str, object], baseline: Baseline | None = None) -> Simulation:
    """Run the model for a batch of complete, validated assumption sets.

    ``values`` maps every registry name to a scalar or an array of shape (B,);
    ``horizon_years`` must be the same for the whole batch.
    """
    p, batch = _as_batch(values)
    if np.unique(p["horizon_years"]).size != 1:
        raise ValueError("horizon_years must be the same for every member of a batch")
    H = int(12 * p["horizon_years"][0])
    t = np.arange(H, dtype=float)[None, :]
    col = {k: a[:, None] for k, a in p.items()}  # (B or 1, 1): broadcasts against months

    # --- the baseline: segments, hazards by age, today's age mix ---------------------------
    if baseline is None:
        h0 = monthly_from_annual(p["annual_churn"])[:, None, None]  # one segment, one age bucket
        n0 = p["customers"][:, None, None]
        arpu_seg = p["arpu_monthly"][:, None]  # (B or 1, S)
        new_share = np.ones((1, 1))
        names: tuple[str, ...] = ("All customers",)
    else:
        tables = [hazard_table(s.curve) for s in baseline.segments]
        n_ages = max(len(h) for h in tables)
        h0 = np.stack([_extend(h, n_ages) for h in tables])[None, :, :]  # (1, S, A)
        mixes = [_age_mix(s, h, n_ages) for s, h in zip(baseline.segments, tables, strict=True)]
        n0 = np.stack([s.customers * m for s, m in zip(baseline.segments, mixes, strict=True)])[None]
        arpu_seg = np.array([[s.arpu_monthly for s in baseline.segments]])
        shares = np.array([s.new_share for s in baseline.segments], dtype=float)
        new_share = (shares / shares.sum() if shares.sum() > 0 else
                     np.full(len(shares), 1 / len(shares)))[None, :]
        names = tuple(s.name for s in baseline.segments)
    S, n_ages = h0.shape[1], h0.shape[2]

    # --- lever schedules (B, H) -------------------------------------------------------------
    tenure_m = tenure_months(p["tenure_years"], H)[:, None]
    reverted = (col["successor_reverts"] > 0.5) & (t >= tenure_m)
    honesty_t = np.broadcast_to(np.where(reverted, 0.0, col["honesty"]), (batch, H))
    K = col["investment"]
    fix_scale = K / (K + col["fix_half_investment"])  # diminishing returns, 0 … 1
    build = col["build_months"]
    ramp = col["fix_ramp_months"]
    live = t >= build
    progress = np.where(live, np.minimum(1.0, (t - build + 1.0) / np.maximum(ramp, 1.0)), 0.0)
    change_size = 0.5 * (col["honesty"] + fix_scale)
    in_turmoil = t < col["turmoil_months"]

    # --- trust: slow to build, fast to lose ----------------------------------------------------
    tau0 = p["trust_initial"]
    target = tau0[:, None] + (1.0 - tau0[:, None]) * np.minimum(
        1.0, col["trust_gain_honesty"] * honesty_t + col["trust_gain_fixes"] * fix_scale * progress)
    trust = _first_order_lag(target, tau0, 1.0 - np.exp(-1.0 / p["trust_build_months"]),
                             1.0 - np.exp(-1.0 / p["trust_loss_months"]))
    trust_gain = (trust - tau0[:, None]) / (1.0 - tau0[:, None])

    multiplier = ((1.0 - col["fix_churn_reduction_max"] * fix_scale * progress)
                  * (1.0 - col["trust_churn_reduction_max"] * trust_gain)
                  * (1.0 - col["disappointment_churn_share"] * honesty_t)
                  * (1.0 + col["turmoil_churn_increase"] * change_size * in_turmoil))
    new_monthly = (col["new_customers_monthly"] if baseline is None
                   or baseline.new_customers_monthly is None else baseline.new_customers_monthly)
    bought = np.broadcast_to(new_monthly * (1.0 - col["overpromise_share"] * honesty_t),
                             (batch, H))
    referral_rate = col["referral_rate_full_trust"] * trust_gain

    # --- customers by segment and age ----------------------------------------------------------
    arrivals_bought = bought[:, :, None] * new_share[:, None, :]  # (B, H, S)
    if n_ages == 1:
        # One age bucket: N_{t+1} = N_t·(1 − q_t + referral rate_t) + bought_t, a linear recurrence.
        churn_q = np.minimum(h0[:, None, :, 0] * multiplier[:, :, None], 1.0)  # (B, H, S)
        growth = np.broadcast_to(1.0 - churn_q + referral_rate[:, :, None], (batch, H, S))
        path = _linear_recurrence(growth, np.broadcast_to(arrivals_bought, (batch, H, S)),
                                  np.broadcast_to(n0[:, :, 0], (batch, S)))
        seg_active = path[:, :H]
        seg_churned = seg_active * churn_q
        seg_referred = seg_active * referral_rate[:, :, None]
        n = path[:, H][:, :, None]
    else:
        seg_active = np.empty((batch, H, S))
        seg_churned = np.empty((batch, H, S))
        n = np.broadcast_to(n0, (batch, S, n_ages)).astype(float)
        # Churn probabilities of every month at once when they fit in memory (fewer calls per month).
        churn_q = (np.minimum(h0[:, None] * multiplier[:, :, None, None], 1.0)
                   if batch * H * S * n_ages <= 4_000_000 else None)
        for m in range(H):
            active = n.sum(axis=2)
            q = churn_q[:, m] if churn_q is not None else np.minimum(
                h0 * multiplier[:, m, None, None], 1.0)
            churned = n * q
            survivors = n - churned
            seg_active[:, m] = active
            seg_churned[:, m] = churned.sum(axis=2)
            n = np.empty_like(survivors)
            n[:, :, 0] = arrivals_bought[:, m] + active * referral_rate[:, m, None]
            n[:, :, 1:-1] = survivors[:, :, :-2]
            n[:, :, -1] = survivors[:, :, -2] + survivors[:, :, -1]
        seg_referred = seg_active * referral_rate[:, :, None]

    # --- money -----------------------------------------------------------------------------------
    arpu_factor = 1.0 + col["trust_arpu_uplift_max"] * trust_gain
    revenue_seg = seg_active * arpu_seg[:, None, :] * arpu_factor[:, :, None]
    revenue_full = revenue_seg.sum(axis=2)
    bad = col["bad_profit_share"]
    revenue_bad = revenue_full * bad * (1.0 - honesty_t)
    revenue_good = revenue_full * (1.0 - bad)
    revenue_seg = revenue_seg * (1.0 - bad * honesty_t)[:, :, None]
    margin = col["gross_margin"] * (revenue_good + revenue_bad)
    referred_total = seg_referred.sum(axis=2)
    acquisition = col["cac"] * (bought + col["referral_cost_share"] * referred_total)
    investment_spend = np.where(t < build, K / build, 0.0)
    run_cost = np.where(live, K * col["fix_run_cost_share"] / 12.0, 0.0)
    turmoil_cost = col["turmoil_cost_share"] * change_size * in_turmoil * margin
    profit = margin - acquisition - investment_spend - run_cost - turmoil_cost

    v = 1.0 / (1.0 + p["discount_rate_annual"]) ** (1.0 / 12.0)  # (B or 1,)
    if np.all(v == v[0]):
        v = v[:1]
        discount = v[0] ** (np.arange(H) + 1.0)
    else:  # differing discount rates across the batch
        discount = v[:, None] ** (np.arange(H) + 1.0)[None, :]

    # --- value of the customers still active at the horizon end ---------------------------------
    active_last = seg_active[:, -1].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        run_per_customer = np.where(active_last > 0, run_cost[:, -1] / active_last, 0.0)
    margin_per_customer = (col["gross_margin"] * arpu_seg * arpu_factor[:, -1:]
                           * (1.0 - bad * honesty_t[:, -1:]) - run_per_customer[:, None])  # (B, S)
    q_last = np.minimum(h0 * multiplier[:, -1, None, None], 1.0)  # (B, S, A)
    q_last = np.broadcast_to(q_last, (batch, S, n_ages))
    value = _remaining_value(margin_per_customer, q_last, v[:, None])
    terminal_value = (n * value).sum(axis=(1, 2)) * v ** H

    return Simulation(
        segment_names=names,
        customers=seg_active.sum(axis=2),
        customers_by_segment=seg_active,
        new_bought=np.broadcast_to(bought, (batch, H)).copy(),
        new_referred=referred_total,
        churned=seg_churned.sum(axis=2),
        revenue_good=revenue_good,
        revenue_bad=revenue_bad,
        revenue_by_segment=revenue_seg,
        margin=margin,
        acquisition_cost=acquisition,
        investment_spend=np.broadcast_to(investment_spend, (batch, H)).copy(),
        run_cost=np.broadcast_to(run_cost, (batch, H)).copy(),
        turmoil_cost=turmoil_cost,
        profit=profit,
        discount_factor=discount,
        trust=trust,
        hazard_multiplier=np.broadcast_to(multiplier, (batch, H)).copy(),
        customers_end=n.sum(axis=(1, 2)),
        terminal_value=terminal_value,
        include_terminal_value=np.broadcast_to(p["include_terminal_value"] > 0.5, (batch,)).copy(),
    )


def _remaining_value(margin: np.ndarray, q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Expected discounted margin of a customer by age, at the start of a month, shape (B, S, A).

    V(A−1) = v·m / (1 − v·(1 − q_{A−1})) (the absorbing age), V(a) = v·(m + (1 − q_a)·V(a+1)).
    Unrolled: V(a) = P_a·(v·m·Σ_{a≤k<A−1} 1/P_k + V(A−1)) with P_a = Π_{a≤j<A−1} v·(1 − q_j).
    """
    last = v * margin / (1.0 - v * (1.0 - q[:, :, -1]))
    if q.shape[2] == 1:
        return last[:, :, None]
    keep = v[:, :, None] * (1.0 - q[:, :, :-1])  # (B, S, A−1)
    P = np.cumprod(keep[:, :, ::-1], axis=2)[:, :, ::-1]  # P_a for a < A−1; P_0 is the smallest
    if P[:, :, 0].min() > 1e-200:  # far from underflow: one vectorised pass
        tail = np.cumsum((1.0 / P)[:, :, ::-1], axis=2)[:, :, ::-1]  # Σ_{a≤k<A−1} 1/P_k
        young = P * (v * margin)[:, :, None] * tail + P * last[:, :, None]
        return np.concatenate([young, last[:, :, None]], axis=2)
    value = np.empty(q.shape)  # near-certain churn somewhere: the plain recursion
    value[:, :, -1] = last
    for a in range(q.shape[2] - 2, -1, -1):
        value[:, :, a] = v * (margin + (1.0 - q[:, :, a]) * value[:, :, a + 1])
    return value


def _extend(hazard: np.ndarray, n_ages: int) -> np.ndarray:
    """Pad a hazard table to ``n_ages`` with its last (absorbing) value."""
    return np.concatenate([hazard, np.full(n_ages - len(hazard), hazard[-1])])


def _age_mix(segment: Segment, hazard: np.ndarray, n_ages: int) -> np.ndarray:
    if segment.age_mix is None:
        return steady_state_age_mix(_extend(hazard, n_ages))
    observed = np.asarray(segment.age_mix, dtype=float)
    mix = np.zeros(n_ages)
    k = min(len(observed), n_ages)
    mix[:k] = observed[:k]
    mix[-1] += observed[k:].sum()
    total = mix.sum()
    return mix / total if total > 0 else steady_state_age_mix(_extend(hazard, n_ages))


# --- comparing a scenario with the status quo --------------------------------------------------


def compare_batch(status_quo: Simulation, scenario: Simulation,
                  tenure_years: np.ndarray | float) -> dict[str, np.ndarray]:
    """Summary figures for each batch member; months are 1-based, NaN where there is none."""
    H = scenario.horizon_months
    delta = scenario.discounted_profit - status_quo.discounted_profit
    cum = np.cumsum(delta, axis=1)
    batch = cum.shape[0]
    tenure = np.broadcast_to(np.asarray(tenure_years, dtype=float), (batch,))
    tm = np.atleast_1d(tenure_months(tenure, H))
    rows = np.arange(batch)
    # Rounding noise is not a sacrifice: Δ within 1e-12 of the profit scale counts as zero.
    tolerance = 1e-12 * (np.abs(scenario.discounted_profit).sum(axis=1)
                         + np.abs(status_quo.discounted_profit).sum(axis=1))
    negative = cum < -tolerance[:, None]
    any_negative = negative.any(axis=1)
    last_negative = H - 1 - np.argmax(negative[:, ::-1], axis=1)
    payback = np.where(~any_negative, 1.0,
                       np.where(last_negative == H - 1, np.nan, last_negative + 2.0))
    deepest = np.where(any_negative, cum.min(axis=1), 0.0)
    deepest_month = np.where(any_negative, np.argmin(cum, axis=1) + 1.0, np.nan)

    def annual(sim: Simulation) -> np.ndarray:
        return 1.0 - (1.0 - sim.monthly_churn[:, -1]) ** 12

    return {
        "npv_status_quo": status_quo.npv,
        "npv_scenario": scenario.npv,
        "delta_npv": scenario.npv - status_quo.npv,
        "delta_npv_excl_terminal": cum[:, -1],
        "delta_terminal_value": scenario.terminal_value - status_quo.terminal_value,
        "terminal_value_status_quo": status_quo.terminal_value,
        "terminal_value_scenario": scenario.terminal_value,
        "delta_inside_tenure": cum[rows, tm - 1],
        "delta_after_tenure": (scenario.npv - status_quo.npv) - cum[rows, tm - 1],
        "payback_month": payback,
        "deepest_sacrifice": deepest,
        "deepest_sacrifice_month": deepest_month,
        "customers_end_status_quo": status_quo.customers_end,
        "customers_end_scenario": scenario.customers_end,
        "annual_churn_end_status_quo": annual(status_quo),
        "annual_churn_end_scenario": annual(scenario),
        "trust_end_status_quo": status_quo.trust[:, -1],
        "trust_end_scenario": scenario.trust[:, -1],
        "tenure_month": tm.astype(float),
    }


@dataclass(frozen=True)
class Summary:
    """The scenario against the status quo (money discounted to today, months 1-based)."""

    npv_status_quo: float
    npv_scenario: float
    delta_npv: float  # with terminal value when include_terminal_value
    delta_npv_excl_terminal: float  # the cumulative Δ at the horizon end
    delta_terminal_value: float
    terminal_value_status_quo: float
    terminal_value_scenario: float
    delta_inside_tenure: float  # cumulative Δ discounted profit at the tenure end
    delta_after_tenure: float
    payback_month: int | None  # first month from which the cumulative Δ stays ≥ 0; None = never
    deepest_sacrifice: float  # the lowest cumulative Δ (≤ 0)
    deepest_sacrifice_month: int | None
    customers_end_status_quo: float
    customers_end_scenario: float
    annual_churn_end_status_quo: float
    annual_churn_end_scenario: float
    trust_end_status_quo: float
    trust_end_scenario: float
    tenure_month: int
    horizon_months: int
    include_terminal_value: bool

    @property
    def payback_year(self) -> int | None:
        return None if self.payback_month is None else (self.payback_month - 1) // 12 + 1

    def to_dict(self) -> dict[str, object]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["payback_year"] = self.payback_year
        return out


def _summary(row: dict[str, np.ndarray], i: int, horizon: int, include: bool) -> Summary:
    def month(x: float) -> int | None:
        return None if np.isnan(x) else int(x)

    fields = {k: float(v[i]) for k, v in row.items()}
    return Summary(**{**fields,
                      "payback_month": month(fields["payback_month"]),
                      "deepest_sacrifice_month": month(fields["deepest_sacrifice_month"]),
                      "tenure_month": int(fields["tenure_month"]),
                      "horizon_months": horizon, "include_terminal_value": include})


TABLE_COLUMNS = (
    "month", "year", "customers_active", "new_bought", "new_referred", "churned",
    "monthly_churn", "revenue_good", "revenue_bad", "revenue", "margin", "acquisition_cost",
    "investment_spend", "run_cost", "turmoil_cost", "profit", "discount_factor",
    "discounted_profit", "cumulative_discounted_profit", "trust", "hazard_multiplier",
)


def monthly_table(sim: Simulation, i: int = 0) -> pd.DataFrame:
    """The tidy per-month table of batch member ``i``."""
    H = sim.horizon_months
    month = np.arange(1, H + 1)
    disc = np.broadcast_to(sim.discount_factor, sim.profit.shape)[i]
    data = {
        "month": month,
        "year": (month - 1) // 12 + 1,
        "customers_active": sim.customers[i],
        "new_bought": sim.new_bought[i],
        "new_referred": sim.new_referred[i],
        "churned": sim.churned[i],
        "monthly_churn": sim.monthly_churn[i],
        "revenue_good": sim.revenue_good[i],
        "revenue_bad": sim.revenue_bad[i],
        "revenue": sim.revenue_good[i] + sim.revenue_bad[i],
        "margin": sim.margin[i],
        "acquisition_cost": sim.acquisition_cost[i],
        "investment_spend": sim.investment_spend[i],
        "run_cost": sim.run_cost[i],
        "turmoil_cost": sim.turmoil_cost[i],
        "profit": sim.profit[i],
        "discount_factor": disc,
        "discounted_profit": sim.discounted_profit[i],
        "cumulative_discounted_profit": np.cumsum(sim.discounted_profit[i]),
        "trust": sim.trust[i],
        "hazard_multiplier": sim.hazard_multiplier[i],
    }
    if len(sim.segment_names) > 1:
        for s, name in enumerate(sim.segment_names):
            data[f"customers_active [{name}]"] = sim.customers_by_segment[i, :, s]
            data[f"revenue [{name}]"] = sim.revenue_by_segment[i, :, s]
    return pd.DataFrame(data)


@dataclass(frozen=True)
class Run:
    """One scenario against its status quo: summary plus per-month tables."""

    values: dict[str, object]
    simulation: Simulation  # batch member 0 = status quo, 1 = scenario
    summary: Summary

    @cached_property
    def status_quo(self) -> pd.DataFrame:
        return monthly_table(self.simulation, 0)

    @cached_property
    def scenario(self) -> pd.DataFrame:
        return monthly_table(self.simulation, 1)

    @property
    def cumulative_delta(self) -> np.ndarray:
        d = self.simulation.discounted_profit
        return np.cumsum(d[1] - d[0])

    def combined_table(self) -> pd.DataFrame:
        """Both strategies in one long table (the CSV download)."""
        return pd.concat(
            [self.status_quo.assign(strategy="status_quo"),
             self.scenario.assign(strategy="customer_centric")],
            ignore_index=True,
        )[["strategy", *self.status_quo.columns]]


def run(values: Mapping[str, object] | None = None, baseline: Baseline | None = None) -> Run:
    """Validate ``values`` (missing names take their defaults) and compare with the status quo."""
    full = validate(values or {})
    keys = list(full)
    sq = status_quo_of(full)
    batch = {k: np.array([float(sq[k]), float(full[k])]) for k in keys}
    sim = simulate(batch, baseline)
    row = compare_batch(_member(sim, 0), _member(sim, 1), full["tenure_years"])
    H = sim.horizon_months
    summary = _summary(row, 0, H, bool(full["include_terminal_value"]))
    return Run(values=full, simulation=sim, summary=summary)


def _member(sim: Simulation, i: int) -> Simulation:
    """Batch member ``i`` as a batch of one; what the batch shares stays as it is."""
    shared = {"segment_names"} | ({"discount_factor"} if sim.discount_factor.ndim == 1 else set())
    return Simulation(**{name: getattr(sim, name) if name in shared else getattr(sim, name)[i:i + 1]
                         for name in Simulation.__dataclass_fields__})
