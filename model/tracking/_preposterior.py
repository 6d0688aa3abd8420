"""When will we know? A pre-posterior from the plan's own draws.

Truth draws produce the counts their business would report (binomial churn, Poisson new
customers); each history is weighed month by month against a separate set of reference draws,
giving P(customers respond | evidence so far). The evidence *tells response from no response* by
month m when, among the truth draws, at least ``target`` of those in which customers respond
read P ≥ ½ and at least ``target`` of those in which they do not read P < ½. Two what-ifs say what
would make it sooner: the evidence of ``MORE_CUSTOMERS`` times as many customers, and a leading
indicator — a monthly survey of ``SURVEY_SIZE`` customers whose share answering "it got better"
is ``SURVEY_BASE`` + ``SURVEY_LIFT``·r·min(1, t / 12) — customers notice the change over a
year — (illustrative numbers, not a measured instrument).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.tracking._draws import PlanDraws
from model.tracking._evidence import (
    churn_probability,
    simulate_counts,
    weights_from,
)

MORE_CUSTOMERS = 4.0
SURVEY_SIZE = 200
SURVEY_BASE, SURVEY_LIFT = 0.30, 0.10
TRUTHS, REFERENCE = 400, 1_000


@dataclass(frozen=True)
class WhenWeKnow:
    target: float
    month: int | None  # None: not within the horizon
    month_more_customers: int | None
    month_leading_indicator: int | None
    sensitivity: np.ndarray  # (H,) share of responding truths read as responding, by month
    specificity: np.ndarray  # (H,) share of silent truths read as silent
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"target": self.target, "month": self.month,
                "month_with_4x_customers": self.month_more_customers,
                "month_with_leading_indicator": self.month_leading_indicator,
                "survey": {"customers_a_month": SURVEY_SIZE, "share_yes_if_no_response":
                           SURVEY_BASE, "share_yes_if_full_response": SURVEY_BASE + SURVEY_LIFT,
                           "illustrative": True},
                "text": self.text}


def _first(sens: np.ndarray, spec: np.ndarray, target: float) -> int | None:
    ok = np.flatnonzero((sens >= target) & (spec >= target))
    return int(ok[0]) + 1 if ok.size else None


def _curve(d: PlanDraws, truths: np.ndarray, ref: np.ndarray, seed: int, scale: float,
           survey: bool, target: float, stop_early: bool) -> tuple[np.ndarray, np.ndarray]:
    H = d.horizon_months
    path = d.tracked
    p = churn_probability(path.customers, path.churned)  # (H, n)
    lam = path.new_customers.astype(float)
    rng = np.random.default_rng([int(seed), 30, int(scale * 10), int(survey)])
    n_obs, c_obs, a_obs = simulate_counts(path.customers[:, truths], p[:, truths],
                                          lam[:, truths], rng, scale)
    lp, l1p = np.log(p[:, ref]), np.log1p(-p[:, ref])
    ll_lam, lam_ref = np.log(np.maximum(lam[:, ref], 1e-9)), lam[:, ref] * scale
    if survey:
        ramp = np.minimum(1.0, np.arange(1, H + 1) / 12.0)[:, None]  # noticed over a year
        q_t = SURVEY_BASE + SURVEY_LIFT * ramp * d.response[truths][None, :]
        q_r = SURVEY_BASE + SURVEY_LIFT * ramp * d.response[ref][None, :]
        s_obs = rng.binomial(SURVEY_SIZE, q_t)  # (H, k)
    responds_t, responds_r = d.response[truths] > 0, (d.response[ref] > 0).astype(float)
    ll = np.zeros((len(truths), len(ref)))
    sens, spec = np.full(H, np.nan), np.full(H, np.nan)
    for t in range(H):
        ll += (np.outer(c_obs[:, t], lp[t]) + np.outer(n_obs[:, t] - c_obs[:, t], l1p[t])
               + np.outer(a_obs[:, t], ll_lam[t]) - lam_ref[t][None, :])
        if survey:
            ll += (np.outer(s_obs[t], np.log(q_r[t])) + np.outer(SURVEY_SIZE - s_obs[t],
                                                              np.log1p(-q_r[t])))
        said = weights_from(ll) @ responds_r >= 0.5
        sens[t] = said[responds_t].mean()
        spec[t] = (~said[~responds_t]).mean()
        if stop_early and sens[t] >= target and spec[t] >= target:
            break
    return sens, spec


def when_will_we_know(d: PlanDraws, target: float = 0.8, seed: int = 0, truths: int = TRUTHS,
                      reference: int = REFERENCE) -> WhenWeKnow:
    """The first month by which the evidence tells response from no response (module doc)."""
    n = d.draws
    k = min(truths, n // 3)
    t_idx = np.arange(k)
    r_idx = np.arange(k, min(n, k + reference))
    responds = d.response[t_idx] > 0
    if responds.all() or (~responds).all() or len(r_idx) == 0:
        none = np.full(d.horizon_months, np.nan)
        return WhenWeKnow(target, None, None, None, none, none,
                          "The plan's draws do not hold both outcomes (customers responding "
                          "and not), or too few draws to tell: nothing to learn.")
    sens, spec = _curve(d, t_idx, r_idx, seed, 1.0, False, target, False)
    month = _first(sens, spec, target)
    more = _first(*_curve(d, t_idx, r_idx, seed, MORE_CUSTOMERS, False, target, True), target)
    lead = _first(*_curve(d, t_idx, r_idx, seed, 1.0, True, target, True), target)

    def say(m: int | None) -> str:
        return f"month {m}" if m else "not within the horizon"

    if month is None:
        head = (f"Within the {d.horizon_months}-month horizon the monthly churn and new "
                f"customers are not expected to tell response from no response with "
                f"{target:.0%} probability.")
    else:
        head = (f"By month {month} the monthly churn and new customers are expected to tell "
                f"whether customers respond, with {target:.0%} probability.")
    if more is not None and (month is None or more < month):
        bigger = f"with the evidence of {MORE_CUSTOMERS:.0f} times as many customers, {say(more)}"
    else:
        bigger = (f"more customers would not help ({MORE_CUSTOMERS:.0f} times as many: "
                  f"{say(more)}) — the counts are already precise; what blurs the answer is "
                  "everything else that is uncertain")
    tail = (f" What would make it sooner: {bigger}; a leading indicator (a monthly survey of "
            f"{SURVEY_SIZE} customers whose answers move with the response, illustrative): "
            f"{say(lead)}.")
    return WhenWeKnow(target, month, more, lead, sens, spec, head + tail)
