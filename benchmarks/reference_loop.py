"""A straightforward pure-Python loop of the model, written from DESIGN §2 without numpy.

It is the baseline the vectorised model is timed against (benchmarks/bench_model.py) and an
independent check of its numbers (tests/model/test_simulation.py). One scenario, one segment; the baseline
hazard is given by age (a list; one entry = constant churn), the last age absorbing. Customers
come in three classes: over-sold, fairly sold at bad prices, honestly sold (fair prices).
"""

from __future__ import annotations

import math


def _attachment(tau: float, theta: float) -> float:
    def sigma(x):
        return 1.0 / (1.0 + math.exp(-x / 0.1))
    return (sigma(tau - theta) - sigma(-theta)) / (sigma(1 - theta) - sigma(-theta))


def _steady_mix(hazard_by_age: list[float]) -> list[float]:
    A = len(hazard_by_age)
    surv, s = [], 1.0
    for a in range(A):
        surv.append(s)
        s *= 1.0 - hazard_by_age[a]
    surv[-1] = surv[-1] / hazard_by_age[-1] if A > 1 else 1.0
    total = sum(surv)
    return [x / total for x in surv]


def simulate_loop(v: dict, hazard_by_age: list[float] | None = None,
                  age_mix: list[float] | None = None) -> dict:
    """Per-month lists and totals for one strategy with the assumptions ``v``."""
    H = 12 * int(v["horizon_years"])
    if hazard_by_age is None:
        hazard_by_age = [1.0 - (1.0 - v["annual_churn"]) ** (1.0 / 12.0)]
    A = len(hazard_by_age)
    age_mix = age_mix or _steady_mix(hazard_by_age)

    # Churn shares: d broken promises (over-sold extra churn), e broken experiences, the rest.
    p = v["overpromise_share"]
    d = min(v["disappointment_churn_share"], 0.9 * p)
    e = min(v["fix_churn_reduction_max"], 1.0 - d)
    rest = 1.0 - d - e
    s_over = (p - d) / (1.0 - d)
    excess = d / s_over if s_over > 0 else 0.0
    # classes: 0 over-sold, 1 fairly sold at bad prices, 2 honestly sold
    cohorts = [[v["customers"] * x * s_over for x in age_mix],
               [v["customers"] * x * (1 - s_over) for x in age_mix],
               [0.0 for _ in age_mix]]
    n0 = v["customers"]

    h_lever, K = v["honesty"], v["investment"]
    tenure_m = min(max(round(12 * v["tenure_years"]), 1), H)
    fix_scale = K / (K + v["fix_half_investment"])
    change = 0.5 * (h_lever + fix_scale)
    tau0, theta = v["trust_initial"], v["trust_threshold"]
    a0 = _attachment(tau0, theta)
    tau, base = tau0, tau0
    up = 1.0 - math.exp(-1.0 / v["trust_build_months"])
    down = 1.0 - math.exp(-1.0 / v["trust_loss_months"])
    disc_month = (1.0 + v["discount_rate_annual"]) ** (1.0 / 12.0)
    bad_years = 0.0
    b = v["bad_profit_share"]

    out = {k: [] for k in ("customers", "churned", "new_bought", "new_referred", "revenue",
                           "profit", "discounted_profit", "trust", "oversold")}
    for t in range(H):
        h = 0.0 if (v["successor_reverts"] and t >= tenure_m) else h_lever
        if t < v["build_months"]:
            progress = 0.0
        else:
            progress = min(1.0, (t - v["build_months"] + 1) / max(v["fix_ramp_months"], 1))
        gain = max(-1.0, min(1.0, (_attachment(tau, theta) - a0) / (1.0 - a0)))
        turmoil = 1.0 + v["turmoil_churn_increase"] * change * (t < v["turmoil_months"])
        fair = e * (1 - fix_scale * progress) + rest * (1 - v["trust_churn_reduction_max"] * gain)
        factor = [(fair + excess) * turmoil, fair * turmoil, fair * turmoil]
        by_class = [sum(c) for c in cohorts]
        active = sum(by_class)
        churned = [[n * min(hazard_by_age[a] * factor[c], 1.0) for a, n in enumerate(cohorts[c])]
                   for c in range(3)]
        survivors = [[n - x for n, x in zip(cohorts[c], churned[c], strict=True)]
                     for c in range(3)]
        left = sum(sum(x) for x in survivors)
        market = v["market_size"]
        scale = min(1.0, max(0.0, (market - active) / max(market - n0, 1.0)))
        new = v["new_customers_monthly"]
        bought = [new * p * (1 - h) * scale, new * (1 - p) * (1 - h) * scale,
                  new * (1 - p) * h * scale]
        ref_total = active * v["referral_rate_full_trust"] * max(gain, 0.0) * scale
        referred = [0.0, ref_total * (1 - h), ref_total * h]
        wanted = sum(bought) + ref_total
        room = max(market - left, 0.0)
        cut = room / wanted if wanted > room else 1.0
        bought = [x * cut for x in bought]
        referred = [x * cut for x in referred]

        spend = 1 + v["trust_arpu_uplift_max"] * gain
        arpu = v["arpu_monthly"] * spend
        revenue = arpu * (by_class[0] + by_class[1]) + arpu * (1 - b) * by_class[2]
        margin = v["gross_margin"] * revenue
        cac = v["cac"] * (1 + v["cac_inflation_annual"]) ** (bad_years / 12)
        run = K * v["fix_run_cost_share"] / 12 if t >= v["build_months"] else 0.0
        cost = (cac * (sum(bought) + v["referral_cost_share"] * sum(referred))
                + (K / v["build_months"] if t < v["build_months"] else 0.0) + run
                + v["turmoil_cost_share"] * change * (t < v["turmoil_months"]) * margin)
        profit = margin - cost
        for key, x in (("customers", active), ("churned", sum(sum(c) for c in churned)),
                       ("new_bought", sum(bought)), ("new_referred", sum(referred)),
                       ("revenue", revenue), ("profit", profit),
                       ("discounted_profit", profit / disc_month ** (t + 1)),
                       ("trust", tau), ("oversold", by_class[0])):
            out[key].append(x)
        arrivals = [x + y for x, y in zip(bought, referred, strict=True)]
        for c in range(3):
            s = survivors[c]
            cohorts[c] = ([s[0] + arrivals[c]] if A == 1
                          else [arrivals[c]] + s[:-2] + [s[-2] + s[-1]])
        target = base + (1 - base) * min(1.0, v["trust_gain_honesty"] * h
                                         + v["trust_gain_fixes"] * fix_scale * progress)
        tau += (target - tau) * (up if target - tau > 0 else down)
        base = min(1.0, max(0.0, base + v["status_quo_trust_drift"] / 12 * (1 - h)))
        bad_years += 1 - h
        last = {"factor": factor, "spend": spend, "run": run}

    # End value: each remaining customer's expected discounted margin under the last month,
    # minus the fixes' run cost, which goes on after the horizon as before it.
    r = 1.0 / disc_month
    tv = 0.0
    for c in range(3):
        m = v["gross_margin"] * v["arpu_monthly"] * last["spend"] * ((1 - b) if c == 2 else 1.0)
        q = [min(x * last["factor"][c], 1.0) for x in hazard_by_age]
        value = [0.0] * A
        value[-1] = r * m / (1 - r * (1 - q[-1]))
        for a in range(A - 2, -1, -1):
            value[a] = r * (m + (1 - q[a]) * value[a + 1])
        tv += sum(n * x for n, x in zip(cohorts[c], value, strict=True)) * r ** H
    tv -= last["run"] * r ** (H + 1) / (1 - r)
    npv = sum(out["discounted_profit"]) + (tv if v["include_terminal_value"] else 0.0)
    return {**out, "terminal_value": tv, "npv": npv,
            "customers_end": sum(sum(c) for c in cohorts)}


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
        "delta_npv_excl_terminal": cum[-1],
        "delta_inside_tenure": cum[tenure_m - 1],
        "payback_month": payback,
        "deepest_sacrifice": low if negatives else 0.0,
        "deepest_sacrifice_month": cum.index(low) + 1 if negatives else None,
        "customers_end_status_quo": sq["customers_end"],
        "customers_end_scenario": sc["customers_end"],
        "peak_customers_scenario": max(max(sc["customers"]), sc["customers_end"]),
    }
