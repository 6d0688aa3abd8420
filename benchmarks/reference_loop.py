"""A straightforward pure-Python loop of the model, written from DESIGN §2 without numpy.

It is the baseline the vectorised model is timed against (benchmarks/bench_model.py) and an
independent check of its numbers (tests/test_model.py). One scenario, one segment; the baseline
hazard is given by age (a list; one entry = constant churn), the last age absorbing.
"""

from __future__ import annotations

import math


def simulate_loop(v: dict, hazard_by_age: list[float] | None = None,
                  age_mix: list[float] | None = None) -> dict:
    """Per-month lists and totals for one strategy with the assumptions ``v``."""
    H = 12 * int(v["horizon_years"])
    if hazard_by_age is None:
        hazard_by_age = [1.0 - (1.0 - v["annual_churn"]) ** (1.0 / 12.0)]
    A = len(hazard_by_age)
    if age_mix is None:  # steady state: proportional to survival, geometric tail in the last bucket
        surv, s = [], 1.0
        for a in range(A):
            surv.append(s)
            s *= 1.0 - hazard_by_age[a]
        surv[-1] = surv[-1] / hazard_by_age[-1] if A > 1 else 1.0
        total = sum(surv)
        age_mix = [x / total for x in surv]
    cohorts = [v["customers"] * x for x in age_mix]

    h_lever, K = v["honesty"], v["investment"]
    tenure_m = min(max(round(12 * v["tenure_years"]), 1), H)
    fix_scale = K / (K + v["fix_half_investment"])
    change = 0.5 * (h_lever + fix_scale)
    tau0 = v["trust_initial"]
    tau = tau0
    up = 1.0 - math.exp(-1.0 / v["trust_build_months"])
    down = 1.0 - math.exp(-1.0 / v["trust_loss_months"])
    disc_month = (1.0 + v["discount_rate_annual"]) ** (1.0 / 12.0)

    out = {k: [] for k in ("customers", "churned", "new_bought", "new_referred", "revenue",
                           "profit", "discounted_profit", "trust", "multiplier")}
    for t in range(H):
        h = 0.0 if (v["successor_reverts"] and t >= tenure_m) else h_lever
        if t < v["build_months"]:
            progress = 0.0
        else:
            progress = min(1.0, (t - v["build_months"] + 1) / max(v["fix_ramp_months"], 1))
        gain = (tau - tau0) / (1.0 - tau0)
        turmoil = 1.0 if t < v["turmoil_months"] else 0.0
        mult = ((1 - v["fix_churn_reduction_max"] * fix_scale * progress)
                * (1 - v["trust_churn_reduction_max"] * gain)
                * (1 - v["disappointment_churn_share"] * h)
                * (1 + v["turmoil_churn_increase"] * change * turmoil))
        active = sum(cohorts)
        churned_by_age = [n * min(hazard_by_age[a] * mult, 1.0) for a, n in enumerate(cohorts)]
        bought = v["new_customers_monthly"] * (1 - v["overpromise_share"] * h)
        referred = active * v["referral_rate_full_trust"] * gain
        arpu = v["arpu_monthly"] * (1 - v["bad_profit_share"] * h) * (1 + v["trust_arpu_uplift_max"] * gain)
        revenue = active * arpu
        margin = v["gross_margin"] * revenue
        cost = (v["cac"] * (bought + v["referral_cost_share"] * referred)
                + (K / v["build_months"] if t < v["build_months"] else 0.0)
                + (K * v["fix_run_cost_share"] / 12 if t >= v["build_months"] else 0.0)
                + v["turmoil_cost_share"] * change * turmoil * margin)
        profit = margin - cost
        for key, x in (("customers", active), ("churned", sum(churned_by_age)),
                       ("new_bought", bought), ("new_referred", referred), ("revenue", revenue),
                       ("profit", profit), ("discounted_profit", profit / disc_month ** (t + 1)),
                       ("trust", tau), ("multiplier", mult)):
            out[key].append(x)
        survivors = [n - c for n, c in zip(cohorts, churned_by_age, strict=True)]
        if A == 1:
            cohorts = [survivors[0] + bought + referred]
        else:
            cohorts = [bought + referred] + survivors[:-2] + [survivors[-2] + survivors[-1]]
        target = tau0 + (1 - tau0) * min(1.0, v["trust_gain_honesty"] * h
                                         + v["trust_gain_fixes"] * fix_scale * progress)
        tau += (target - tau) * (up if target - tau > 0 else down)
        last = {"mult": mult, "arpu": arpu, "active": active,
                "run": K * v["fix_run_cost_share"] / 12 if t >= v["build_months"] else 0.0}

    # Terminal value: each remaining customer's expected discounted margin under the last month.
    m = v["gross_margin"] * last["arpu"] - (last["run"] / last["active"] if last["active"] else 0)
    r = 1.0 / disc_month
    q = [min(x * last["mult"], 1.0) for x in hazard_by_age]
    value = [0.0] * A
    value[-1] = r * m / (1 - r * (1 - q[-1]))
    for a in range(A - 2, -1, -1):
        value[a] = r * (m + (1 - q[a]) * value[a + 1])
    tv = sum(n * x for n, x in zip(cohorts, value, strict=True)) * r ** H
    npv = sum(out["discounted_profit"]) + (tv if v["include_terminal_value"] else 0.0)
    return {**out, "terminal_value": tv, "npv": npv, "customers_end": sum(cohorts)}


def compare_loop(v: dict, hazard_by_age: list[float] | None = None) -> dict:
    """The summary of DESIGN §2 for a scenario against its status quo."""
    sq = simulate_loop({**v, "honesty": 0.0, "investment": 0.0}, hazard_by_age)
    sc = simulate_loop(v, hazard_by_age)
    H = len(sc["profit"])
    cum, c = [], 0.0
    for a, b in zip(sc["discounted_profit"], sq["discounted_profit"], strict=True):
        c += a - b
        cum.append(c)
    tenure_m = min(max(round(12 * v["tenure_years"]), 1), H)
    tolerance = 1e-12 * (sum(abs(x) for x in sc["discounted_profit"])
                         + sum(abs(x) for x in sq["discounted_profit"]))
    negatives = [i for i, x in enumerate(cum) if x < -tolerance]
    if not negatives:
        payback = 1
    elif negatives[-1] == H - 1:
        payback = None
    else:
        payback = negatives[-1] + 2
    low = min(cum)
    return {
        "npv_status_quo": sq["npv"],
        "npv_scenario": sc["npv"],
        "delta_npv": sc["npv"] - sq["npv"],
        "delta_inside_tenure": cum[tenure_m - 1],
        "payback_month": payback,
        "deepest_sacrifice": low if negatives else 0.0,
        "deepest_sacrifice_month": cum.index(low) + 1 if negatives else None,
        "customers_end_status_quo": sq["customers_end"],
        "customers_end_scenario": sc["customers_end"],
    }
