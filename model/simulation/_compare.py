"""Comparing a scenario with its status quo: the summary figures, for a batch or for one run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.simulation._core import Simulation
from model.simulation._levers import tenure_months

# The per-member fields ``compare_batch`` reads (with the discount factors and
# include_terminal_value, which every simulation has): an analysis that needs nothing else can
# ask ``simulate_pair`` for these alone (``fields``).
COMPARED: tuple[str, ...] = ("profit", "customers", "churned", "customers_end",
                             "end_value_active", "end_value_arrivals", "trust")


def _payback(cum: np.ndarray, tolerance: np.ndarray) -> tuple[np.ndarray, ...]:
    """Payback month, deepest sacrifice and its month (1-based, NaN where there is none)."""
    H = cum.shape[1]
    negative = cum < -tolerance[:, None]
    any_negative = negative.any(axis=1)
    last_negative = H - 1 - np.argmax(negative[:, ::-1], axis=1)
    payback = np.where(~any_negative, 1.0,
                       np.where(last_negative == H - 1, np.nan, last_negative + 2.0))
    deepest = np.where(any_negative, cum.min(axis=1), 0.0)
    deepest_month = np.where(any_negative, np.argmin(cum, axis=1) + 1.0, np.nan)
    return payback, deepest, deepest_month


def compare_batch(status_quo: Simulation, scenario: Simulation,
                  tenure_years: np.ndarray | float) -> dict[str, np.ndarray]:
    """Summary figures for each batch member; months are 1-based, NaN where there is none."""
    H = scenario.horizon_months
    cum = np.cumsum(scenario.discounted_profit - status_quo.discounted_profit, axis=1)
    batch = cum.shape[0]
    tenure = np.broadcast_to(np.asarray(tenure_years, dtype=float), (batch,))
    tm = np.atleast_1d(tenure_months(tenure, H))
    inside = cum[np.arange(batch), tm - 1]
    # Rounding noise is not a sacrifice: Δ within 1e-12 of the profit scale counts as zero.
    tolerance = 1e-12 * (np.abs(scenario.discounted_profit).sum(axis=1)
                         + np.abs(status_quo.discounted_profit).sum(axis=1))
    payback, deepest, deepest_month = _payback(cum, tolerance)

    def annual(sim: Simulation) -> np.ndarray:
        return 1.0 - (1.0 - sim.monthly_churn[:, -1]) ** 12

    delta_npv = scenario.npv - status_quo.npv
    return {
        "npv_status_quo": status_quo.npv,
        "npv_scenario": scenario.npv,
        "delta_npv": delta_npv,
        "delta_npv_excl_terminal": cum[:, -1],
        "delta_terminal_value": scenario.terminal_value - status_quo.terminal_value,
        "terminal_value_status_quo": status_quo.terminal_value,
        "terminal_value_scenario": scenario.terminal_value,
        "delta_end_value_active": scenario.end_value_active - status_quo.end_value_active,
        "delta_end_value_arrivals": scenario.end_value_arrivals - status_quo.end_value_arrivals,
        "end_value_active_status_quo": status_quo.end_value_active,
        "end_value_active_scenario": scenario.end_value_active,
        "end_value_arrivals_status_quo": status_quo.end_value_arrivals,
        "end_value_arrivals_scenario": scenario.end_value_arrivals,
        "delta_inside_tenure": inside,
        "delta_after_tenure": delta_npv - inside,
        "delta_cash_after_tenure": cum[:, -1] - inside,
        "payback_month": payback,
        "deepest_sacrifice": deepest,
        "deepest_sacrifice_month": deepest_month,
        "customers_end_status_quo": status_quo.customers_end,
        "customers_end_scenario": scenario.customers_end,
        "peak_customers_status_quo": np.maximum(status_quo.customers.max(axis=1),
                                                status_quo.customers_end),
        "peak_customers_scenario": np.maximum(scenario.customers.max(axis=1),
                                              scenario.customers_end),
        "annual_churn_end_status_quo": annual(status_quo),
        "annual_churn_end_scenario": annual(scenario),
        "trust_end_status_quo": status_quo.trust[:, -1],
        "trust_end_scenario": scenario.trust[:, -1],
        "tenure_month": tm.astype(float),
    }


@dataclass(frozen=True)
class Summary:
    """The scenario against the status quo (money discounted to today, months 1-based).

    Cash within the horizon and the end value are kept apart: ``delta_npv_excl_terminal`` is
    cash only, ``delta_npv`` adds the end value when ``include_terminal_value``. The end value
    has two parts, kept apart too: the customers still active at the horizon end
    (``*_end_value_active``) and the customers who would still arrive after it
    (``*_end_value_arrivals``); ``*terminal_value*`` is their sum. ``notes`` says, in
    sentences, every input that was capped, clipped or left out of the horizon.
    """

    npv_status_quo: float
    npv_scenario: float
    delta_npv: float  # with the end value when include_terminal_value
    delta_npv_excl_terminal: float  # cash within the horizon: the cumulative Δ at its end
    delta_terminal_value: float  # Δ end value, both parts (whether or not counted in delta_npv)
    terminal_value_status_quo: float
    terminal_value_scenario: float
    delta_end_value_active: float  # Δ value of the customers still active at the horizon end
    delta_end_value_arrivals: float  # Δ value of the customers who would still arrive after it
    end_value_active_status_quo: float
    end_value_active_scenario: float
    end_value_arrivals_status_quo: float
    end_value_arrivals_scenario: float
    delta_inside_tenure: float  # cumulative Δ discounted profit at the tenure end (cash)
    delta_after_tenure: float  # delta_npv − delta_inside_tenure (end value included if counted)
    delta_cash_after_tenure: float  # cash from the tenure end to the horizon end
    payback_month: int | None  # first month from which the cumulative Δ stays ≥ 0; None = never
    deepest_sacrifice: float  # the lowest cumulative Δ (≤ 0)
    deepest_sacrifice_month: int | None
    customers_end_status_quo: float
    customers_end_scenario: float
    peak_customers_status_quo: float  # most customers at any time up to the horizon end
    peak_customers_scenario: float
    annual_churn_end_status_quo: float
    annual_churn_end_scenario: float
    trust_end_status_quo: float
    trust_end_scenario: float
    tenure_month: int
    horizon_months: int
    include_terminal_value: bool
    notes: tuple[str, ...] = ()  # inputs capped, clipped or left out of the horizon

    @property
    def payback_year(self) -> int | None:
        return None if self.payback_month is None else (self.payback_month - 1) // 12 + 1

    def to_dict(self) -> dict[str, object]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["payback_year"] = self.payback_year
        out["notes"] = list(self.notes)
        return out


def summary_of(row: dict[str, np.ndarray], i: int, horizon: int, include: bool,
               notes: tuple[str, ...] = ()) -> Summary:
    def month(x: float) -> int | None:
        return None if np.isnan(x) else int(x)

    fields = {k: float(v[i]) for k, v in row.items()}
    return Summary(**{**fields,
                      "payback_month": month(fields["payback_month"]),
                      "deepest_sacrifice_month": month(fields["deepest_sacrifice_month"]),
                      "tenure_month": int(fields["tenure_month"]),
                      "horizon_months": horizon, "include_terminal_value": include,
                      "notes": tuple(notes)})
