"""A straightforward pure-Python loop of the model, written from DESIGN §2 without numpy.

It is the baseline the vectorised model is timed against (benchmarks/bench_model.py) and an
independent check of its numbers (tests/model/test_simulation.py). One scenario, one segment; the
baseline hazard is given by age (a list; one entry = constant churn), the last age absorbing.
Customers come in three classes: over-sold, fairly sold the old way, sold honestly.
"""

from __future__ import annotations

import math


def _attachment(tau: float, theta: float) -> float:
    def sigma(x):
        return 1.0 / (1.0 + math.exp(-x / 0.1))
    return (sigma(tau - theta) - sigma(-theta)) / (sigma(1 - theta) - sigma(-theta))


def _survival(hazard: list[float]) -> list[float]:
    """Months a joining customer spends at each age (the last age absorbing; without churn there,
    a million months, the steady-state age mix's convention)."""
    out, s = [], 1.0
    for a, h in enumerate(hazard):
        h = min(h, 1.0)
        if a == len(hazard) - 1:
            out.append(s / h if h > 0 else s * 1e6)
        else:
            out.append(s)
        s *= 1.0 - h
    return out


def _excess(hazard: list[float], p: float, d: float) -> float:
    """The over-sold's extra churn x (× h₀) that keeps the status quo stationary."""
    if p <= 0 or d <= 0:
        return 0.0
    if len(hazard) == 1:
        return d / ((p - d) / (1 - d))
    target = (sum(_survival(hazard)) - (1 - p) * sum(_survival([x * (1 - d) for x in hazard]))) / p
    churning = [x for x in hazard if x > 0]
    if not churning:
        return 0.0
    lo, hi = 0.0, 1.0 / min(churning)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if sum(_survival([x * (1 - d + mid) for x in hazard])) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _value_by_age(margin: float, q: list[float], r: float) -> list[float]:
    """Expected discounted margin of a customer of each age at the start of a month."""
    value = [0.0] * len(q)
    value[-1] = r * margin / (1 - r * (1 - q[-1]))
    for a in range(len(q) - 2, -1, -1):
        value[a] = r * (margin + (1 - q[a]) * value[a + 1])
    return value


def simulate_loop(v: dict, hazard_by_age: list[float] | None = None,
                  age_mix: list[float] | None = None) -> dict:
    """Per-month lists and totals for one strategy with the assumptions ``v``."""
    H = 12 * int(v["horizon_years"])
    if hazard_by_age is None:
        hazard_by_age = [1.0 - (1.0 - v["annual_churn"]) ** (1.0 / 12.0)]
    A = len(hazard_by_age)
    n0 = v["customers"]

    # Churn shares: d broken promises (the over-sold's extra churn), e broken experiences, rest.
    p = v["overpromise_share"]
    d = min(v["disappointment_churn_share"], 0.9 * p)
    e = min(v["fix_churn_reduction_max"], 1.0 - d)
    rest = 1.0 - d - e
    x_over = _excess(hazard_by_age, p, d)
    # Today's customers by class and age: each class's steady state (or the observed ages split
    # in its proportions). Classes: 0 over-sold, 1 fairly sold the old way, 2 sold honestly.
    if A == 1:
        s = (p - d) / (1 - d)
        cohorts = [[n0 * s], [n0 * (1 - s)], [0.0]]
    else:
        w_over = [p * x for x in _survival([h * (1 - d + x_over) for h in hazard_by_age])]
        w_fair = [(1 - p) * x for x in _survival([h * (1 - d) for h in hazard_by_age])]
        total = [a + b for a, b in zip(w_over, w_fair, strict=True)]
        if age_mix is None:
            scale = n0 / sum(total)
            cohorts = [[scale * a for a in w_over], [scale * b for b in w_fair], [0.0] * A]
        else:
            mix = [m / sum(age_mix) for m in age_mix]
            cohorts = [[n0 * m * a / t for m, a, t in zip(mix, w_over, total, strict=True)],
                       [n0 * m * b / t for m, b, t in zip(mix, w_fair, total, strict=True)],
                       [0.0] * A]

    h_lever, K = v["honesty"], v["investment"]
    tenure_m = min(max(round(12 * v["tenure_years"]), 1), H)
    fix_scale = K / (K + v["fix_half_investment"])
    change = 0.5 * (h_lever + fix_scale)
    tau0, theta = v["trust_initial"], v["trust_threshold"]
    a0 = _attachment(tau0, theta)
    tau = tau0  # the trust the switch builds
    up = 1.0 - math.exp(-1.0 / v["trust_build_months"])
    down = 1.0 - math.exp(-1.0 / v["trust_loss_months"])
    disc_month = (1.0 + v["discount_rate_annual"]) ** (1.0 / 12.0)
    b = v["bad_profit_share"]
    drift = v["status_quo_trust_drift"]
    turnover = min(1.0, v["new_customers_monthly"] / n0)
    sold_honestly = 0.0  # φ: the base's share sold honestly since the switch
    bad_months, honest_months, lost_attachment = 0.0, 0.0, 0.0
    market = v["market_size"]
    broken = e / (1 - d) if d < 1 else 0.0

    out = {k: [] for k in ("customers", "churned", "new_bought", "new_referred", "revenue",
                           "profit", "discounted_profit", "trust", "oversold")}
    for t in range(H):
        reverted = bool(v["successor_reverts"]) and t >= tenure_m
        h = 0.0 if reverted else h_lever
        progress = 0.0 if t < v["build_months"] else \
            min(1.0, (t - v["build_months"] + 1) / max(v["fix_ramp_months"], 1))
        cleaned = h * min(1.0, (t + 1) / v["bad_profit_phaseout_months"])
        committed = max(0.0, 1.0 - t / v["sales_budget_adjust_months"])
        # Trust and attachment this month.
        gained = _attachment(tau, theta) - a0
        g = min(1 - a0, max(-a0, gained + lost_attachment))
        won_back = min(1.0, max(0.0, gained / (1 - a0))) if 1 - a0 > 1e-12 else 1.0
        shown_trust = min(1.0, max(0.0, tau + drift / 12 * bad_months))
        # Churn factors by class.
        turmoil = 1.0 + v["turmoil_churn_increase"] * change * (t < v["turmoil_months"])
        e_t = v["trust_churn_reduction_max"]
        fair = (e * (1 - fix_scale * progress) + rest * (1 - e_t * g / (1 - e_t * a0))) * turmoil
        factor = [fair + x_over * turmoil, fair, fair]
        by_class = [sum(c) for c in cohorts]
        active = sum(by_class)
        churned = [[n * min(hazard_by_age[a] * factor[c], 1.0) for a, n in enumerate(cohorts[c])]
                   for c in range(3)]
        survivors = [[n - x for n, x in zip(cohorts[c], churned[c], strict=True)]
                     for c in range(3)]
        left = sum(sum(x) for x in survivors)
        scale = min(1.0, max(0.0, (market - active) / max(market - n0, 1.0)))
        new = v["new_customers_monthly"]
        bought = [new * p * (1 - h) * scale, new * (1 - p) * (1 - h) * scale,
                  new * ((1 - p) * h + p * h * won_back) * scale]
        ref_total = active * v["referral_rate_full_trust"] * max(gained, 0.0) * scale
        referred = [0.0, ref_total * (1 - h), ref_total * h]
        wanted = sum(bought) + ref_total
        room = max(market - left, 0.0)
        cut = room / wanted if wanted > room else 1.0
        bought = [x * cut for x in bought]
        referred = [x * cut for x in referred]
        lost_share = p * h * (1 - won_back)
        lost_customers = sum(bought) * lost_share / (1 - lost_share)

        spend = 1 + v["trust_arpu_uplift_max"] * g / (1 + v["trust_arpu_uplift_max"] * a0)
        price = v["arpu_monthly"] * spend * (1 - b * cleaned)
        revenue = price * active
        margin = v["gross_margin"] * revenue
        cac = v["cac"] * (1 + v["cac_inflation_annual"]) ** (bad_months / 12)
        run = K * v["fix_run_cost_share"] / 12 if t >= v["build_months"] else 0.0
        cost = (cac * (sum(bought) + committed * lost_customers)
                + v["referral_cost_share"] * v["cac"] * sum(referred)
                + (K / v["build_months"] if t < v["build_months"] else 0.0) + run
                + v["turmoil_cost_share"] * change * (t < v["turmoil_months"]) * margin)
        profit = margin - cost
        for key, x in (("customers", active), ("churned", sum(sum(c) for c in churned)),
                       ("new_bought", sum(bought)), ("new_referred", sum(referred)),
                       ("revenue", revenue), ("profit", profit),
                       ("discounted_profit", profit / disc_month ** (t + 1)),
                       ("trust", shown_trust), ("oversold", by_class[0])):
            out[key].append(x)
        arrivals = [x + y for x, y in zip(bought, referred, strict=True)]
        for c in range(3):
            s = survivors[c]
            cohorts[c] = ([s[0] + arrivals[c]] if A == 1
                          else [arrivals[c]] + s[:-2] + [s[-2] + s[-1]])
        # Next month's trust: experienced honesty, the switch's target, the status quo's loss.
        experienced = (v["trust_from_bills_share"] * cleaned
                       + (1 - v["trust_from_bills_share"]) * sold_honestly)
        if reverted:  # betrayed: the status quo's trust path, the fixes' part, less the penalty
            base = tau0 + drift / 12 * honest_months
            target = base + (1 - base) * min(1.0, v["trust_gain_fixes"] * broken * fix_scale
                                             * progress) - v["betrayal_trust_penalty"] * h_lever
        else:
            target = tau0 + (1 - tau0) * min(1.0, v["trust_gain_honesty"] * experienced
                                             + v["trust_gain_fixes"] * broken * fix_scale
                                             * progress)
        target = min(1.0, max(0.0, target))
        tau += (target - tau) * (up if target - tau > 0 else down)
        sq_now = _attachment(min(1.0, max(0.0, tau0 + drift * t / 12)), theta)
        sq_next = _attachment(min(1.0, max(0.0, tau0 + drift * (t + 1) / 12)), theta)
        lost_attachment += (1 - h) * (sq_next - sq_now)
        bad_months += 1 - h
        honest_months += h
        sold_honestly += (h - sold_honestly) * turnover
        last = {"factor": factor, "price": price, "run": run, "cac": cac, "bought": bought,
                "referred": referred, "arrivals": arrivals}

    # The end value: the customers still active, and those who would still arrive after the
    # horizon (the last month's arrivals every month, net of acquisition and run costs).
    r = 1.0 / disc_month
    active_value, arriving = 0.0, 0.0
    for c in range(3):
        q = [min(x * last["factor"][c], 1.0) for x in hazard_by_age]
        value = _value_by_age(v["gross_margin"] * last["price"], q, r)
        active_value += sum(n * x for n, x in zip(cohorts[c], value, strict=True)) * r ** H
        arriving += last["arrivals"][c] * value[0]
    costs = (last["cac"] * sum(last["bought"])
             + v["referral_cost_share"] * v["cac"] * sum(last["referred"]) + last["run"])
    arrivals_value = (arriving - costs) * r ** (H + 1) / (1 - r)
    tv = active_value + arrivals_value
    npv = sum(out["discounted_profit"]) + (tv if v["include_terminal_value"] else 0.0)
    return {**out, "terminal_value": tv, "end_value_active": active_value,
            "end_value_arrivals": arrivals_value, "npv": npv,
            "customers_end": sum(sum(c) for c in cohorts)}


def compare_loop(v: dict, hazard_by_age: list[float] | None = None,
                 age_mix: list[float] | None = None) -> dict:
    """The summary of DESIGN §2 for a scenario against its status quo."""
    sq = simulate_loop({**v, "honesty": 0.0, "investment": 0.0}, hazard_by_age, age_mix)
    sc = simulate_loop(v, hazard_by_age, age_mix)
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
        "delta_end_value_active": sc["end_value_active"] - sq["end_value_active"],
        "delta_end_value_arrivals": sc["end_value_arrivals"] - sq["end_value_arrivals"],
        "delta_inside_tenure": cum[tenure_m - 1],
        "payback_month": payback,
        "deepest_sacrifice": low if negatives else 0.0,
        "deepest_sacrifice_month": cum.index(low) + 1 if negatives else None,
        "customers_end_status_quo": sq["customers_end"],
        "customers_end_scenario": sc["customers_end"],
        "peak_customers_scenario": max(max(sc["customers"]), sc["customers_end"]),
    }
