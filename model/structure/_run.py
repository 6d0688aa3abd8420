"""One structured run — the scenario against its status quo, summed over segments — and what it
adds to a plain run: the per-segment table (where the bad profits sit, vulture segments), the
tier report (net revenue retention, tier mix, super users) and the fixes' ranking and budget
curve."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from model.assumptions import validate
from model.curves import monthly_from_annual
from model.simulation import (
    COMPARED,
    Baseline,
    Run,
    Simulation,
    compare_batch,
    longest_horizon_notes,
    member,
    members,
    notes_of,
    summary_of,
    tenure_months,
)
from model.simulation import run as plain_run
from model.structure._engine import (
    StructuredSim,
    chunks,
    simulate_chunks,
    simulate_structured,
    tier_values,
)
from model.structure._overlay import select
from model.structure._spec import Structure

MAX_DISAPPOINTMENT_OF_OVERSOLD = 0.9  # as model.simulation: d ≤ 0.9·p


def _npv(sim: Simulation) -> np.ndarray:
    return sim.npv


def _inside(sim: Simulation, tenure_years: float) -> np.ndarray:
    tm = int(tenure_months(tenure_years, sim.horizon_months))
    return np.cumsum(sim.discounted_profit, axis=1)[:, tm - 1]


def _joined(values: Mapping[str, object], rows: list[Mapping[str, float]]) -> dict[str, object]:
    """The scenario's values with some keys varied per member (one member per row)."""
    n = len(rows)
    out: dict[str, object] = {k: v for k, v in values.items()}
    for k in {k for r in rows for k in r}:
        out[k] = np.array([float(r.get(k, values[k])) for r in rows])
    out["_n"] = np.zeros(n)  # keeps the batch size n
    return out


def _strip(batch: dict[str, object]) -> dict[str, object]:
    batch.pop("_n", None)
    return batch


def simulate_pair(batch: Mapping[str, object], structure: Structure,
                  baseline: Baseline | None = None, base: Mapping[str, object] | None = None,
                  order: tuple[int, ...] | None = None, fields: tuple[str, ...] | None = None
                  ) -> tuple[Simulation, Simulation, dict[str, np.ndarray]]:
    """Status quo and scenario for a batch of assumption sets, segment by segment (one batch of
    2·B members), and their comparison: ``model.simulation.simulate_pair`` with structure
    (``fields``: see there)."""
    base = validate(base) if base is not None else None
    batch = tier_values(batch, structure)
    order = fix_order(base or {}, structure, baseline) if order is None else order

    # The status quo and the scenario in separate calls, as the plain model does: in the
    # status quo every lever is one shared 0, so its lever rows are (1, H), not one per member.
    parts = chunks(batch, max(len(structure.segments), 1))
    keep = None if fields is None else (*COMPARED, *fields)
    sq = simulate_chunks(parts, structure, baseline, base, True, order, keep)
    sc = simulate_chunks(parts, structure, baseline, base, False, order, keep)
    return sq, sc, compare_batch(sq, sc, batch["tenure_years"])


# --- fixes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixRank:
    name: str
    capex: float
    opex_per_year: float
    churn_share: float
    low: float
    high: float
    segments: str
    build_months: int
    cost_in_horizon: float  # capex + run cost inside the horizon, discounted
    cost_in_tenure: float
    delta_npv: float  # net value of adding this fix alone to the scenario's honesty
    delta_inside_tenure: float
    value_per_dollar: float  # delta_npv / cost_in_horizon (net of its own costs)
    value_per_dollar_in_tenure: float
    rank: int  # 1 = best value per dollar over the horizon

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def rank_fixes(values: Mapping[str, object], structure: Structure,
               baseline: Baseline | None = None) -> tuple[FixRank, ...]:
    """Each fix alone on top of the scenario's honesty: its net value and value per dollar,
    inside the tenure and over the horizon (end value as the scenario counts it)."""
    if not structure.fixes:
        return ()
    full = tier_values(validate(values), structure)
    J = len(structure.fixes)
    rows = [{"honesty": 0.0}] + [{}] * (J + 1)
    bought = np.zeros((J + 2, J))
    bought[np.arange(2, J + 2), np.arange(J)] = 1.0
    sq = np.zeros(J + 2, dtype=bool)
    sq[0] = True
    sim = simulate_structured(_strip(_joined(full, rows)), structure, baseline, full, sq,
                              tuple(range(J)), bought).total
    tenure = float(full["tenure_years"])
    npv, inside = _npv(sim), _inside(sim, tenure)
    disc = np.broadcast_to(sim.discount_factor, sim.profit.shape)
    cost = np.cumsum((sim.investment_spend + sim.run_cost) * disc, axis=1)
    tm = int(tenure_months(tenure, sim.horizon_months))
    out = []
    for j, f in enumerate(structure.fixes):
        c_h, c_t = float(cost[2 + j, -1]), float(cost[2 + j, tm - 1])
        dv, dt = float(npv[2 + j] - npv[1]), float(inside[2 + j] - inside[1])
        out.append(dict(
            name=f.name, capex=f.capex, opex_per_year=f.opex_per_year,
            churn_share=f.churn_share, low=f.low, high=f.high,
            segments="all" if f.segments is None else ", ".join(f.segments),
            build_months=int(full["build_months"] if f.build_months is None else f.build_months),
            cost_in_horizon=c_h, cost_in_tenure=c_t, delta_npv=dv, delta_inside_tenure=dt,
            value_per_dollar=dv / c_h if c_h > 0 else float("inf") if dv > 0 else 0.0,
            value_per_dollar_in_tenure=dt / c_t if c_t > 0 else float("inf") if dt > 0 else 0.0))
    order = sorted(range(J), key=lambda j: -out[j]["value_per_dollar"])
    for r, j in enumerate(order):
        out[j]["rank"] = r + 1
    return tuple(FixRank(**out[j]) for j in order)


def fix_order(values: Mapping[str, object], structure: Structure,
              baseline: Baseline | None = None) -> tuple[int, ...]:
    """Indices of the fixes, best value per dollar first (the order a budget buys them in)."""
    if not structure.fixes:
        return ()
    names = [f.name for f in structure.fixes]
    return tuple(names.index(r.name) for r in rank_fixes(values, structure, baseline))


def budget_curve(values: Mapping[str, object], structure: Structure,
                 baseline: Baseline | None = None,
                 order: tuple[int, ...] | None = None) -> list[dict[str, object]]:
    """The investment curve the list builds: at each budget that buys one more fix (in ranking
    order), the fixes bought, the share of today's churn they remove at full strength, and ΔNPV
    and Δ inside the tenure of the scenario with that budget."""
    if not structure.fixes:
        return []
    full = tier_values(validate(values), structure)
    order = fix_order(full, structure, baseline) if order is None else order
    capex = np.array([f.capex for f in structure.fixes])
    budgets = [0.0] + list(np.cumsum(capex[list(order)]))
    rows = [{"investment": 0.0, "honesty": 0.0}] + [{"investment": b} for b in budgets]
    sq = np.zeros(len(rows), dtype=bool)
    sq[0] = True
    sim = simulate_structured(_strip(_joined(full, rows)), structure, baseline, full, sq,
                              order).total
    npv, inside = _npv(sim), _inside(sim, float(full["tenure_years"]))
    out = []
    for i, b in enumerate(budgets):
        bought = select(capex, order, np.array([b]))[0]
        share = sum(f.churn_share * _reach(structure, f) for f, x
                    in zip(structure.fixes, bought, strict=True) if x)
        out.append({"budget": float(b),
                    "fixes": [structure.fixes[j].name for j in order if bought[j]],
                    "churn_removed_share": float(share),
                    "delta_npv": float(npv[1 + i] - npv[0]),
                    "delta_inside_tenure": float(inside[1 + i] - inside[0])})
    return out


def _reach(structure: Structure, fix) -> float:
    """Share of today's customers a fix reaches."""
    if fix.segments is None or not structure.segments:
        return 1.0
    return sum(s.share for s in structure.segments if s.name in fix.segments)


def buys(values: Mapping[str, object], structure: Structure, budget: float,
         baseline: Baseline | None = None) -> list[str]:
    """The names of the fixes a budget buys, best value per dollar first."""
    order = fix_order(values, structure, baseline)
    capex = np.array([f.capex for f in structure.fixes])
    bought = select(capex, order, np.array([float(budget)]))[0]
    return [structure.fixes[j].name for j in order if bought[j]]


# --- segments ---------------------------------------------------------------------------------


def honest_ltv(values: Mapping[str, object], arpu: float, churn: float, bad: float,
               over: float) -> float:
    """Expected discounted margin of a customer sold honestly and billed honestly, at today's
    conditions: m·v / (1 − v·(1 − q)), m = gross margin × ARPU × (1 − b), q the fairly sold's
    monthly churn (1 − d)·h₀ (d capped at 0.9·p)."""
    v = 1.0 / (1.0 + float(values["discount_rate_annual"])) ** (1.0 / 12.0)
    d = min(float(values["disappointment_churn_share"]), MAX_DISAPPOINTMENT_OF_OVERSOLD * over)
    q = float(monthly_from_annual(churn)) * (1.0 - d)
    m = float(values["gross_margin"]) * arpu * (1.0 - bad)
    return m * v / (1.0 - v * (1.0 - q))


def segment_table(values: Mapping[str, object], structure: Structure, runs: StructuredSim,
                  ) -> list[dict[str, object]]:
    """Per segment: revenue and bad-profit revenue a year today, lifetime value under honest
    pricing against CAC (the vulture flag, with the figure that makes it one and the choice),
    ΔNPV of going honest in that segment alone, and its part of the scenario's ΔNPV.

    ``runs``: the members [status quo, scenario, honest alone (investment 0)] segment by segment.
    """
    full = validate(values)
    segs = structure.segments
    if not segs:
        return []
    S, B = runs.segments, runs.batch
    parts = runs.parts
    npv = _npv(parts).reshape(S, B)
    inside = _inside(parts, float(full["tenure_years"])).reshape(S, B)
    total_bad = 0.0
    rows = []
    for s, seg in enumerate(segs):
        o = {**full, **seg.overrides()}
        customers = float(full["customers"]) * seg.share
        arpu, churn = float(o["arpu_monthly"]), float(o["annual_churn"])
        bad, over, cac = (float(o["bad_profit_share"]), float(o["overpromise_share"]),
                          float(o["cac"]))
        ltv = honest_ltv(full, arpu, churn, bad, over)
        unit = ltv / arpu if arpu > 0 else 0.0
        new = float(runs.parts.new_bought[s * B, 0])
        revenue = customers * arpu * 12.0
        vulture = ltv < cac
        be_arpu = cac / unit if unit > 0 else float("inf")
        row = {
            "segment": seg.name, "share": seg.share, "customers": customers,
            "arpu_monthly": arpu, "annual_churn": churn, "bad_profit_share": bad,
            "overpromise_share": over, "cac": cac,
            "honesty": float(full["honesty"] if seg.honesty is None else seg.honesty),
            "revenue_per_year_today": revenue,
            "bad_profit_revenue_per_year_today": revenue * bad,
            "ltv_honest": ltv, "ltv_to_cac": ltv / cac if cac > 0 else float("inf"),
            "vulture": bool(vulture),
            "break_even_arpu_honest": be_arpu,
            "delta_npv_honest_alone": float(npv[s, 2] - npv[s, 0]),
            "delta_inside_tenure_honest_alone": float(inside[s, 2] - inside[s, 0]),
            "delta_npv_in_scenario": float(npv[s, 1] - npv[s, 0]),
        }
        if vulture:
            loss = (cac - ltv) * new * 12.0
            row["vulture_reason"] = (
                f"Honest lifetime value {ltv:,.0f} is below the acquisition cost {cac:,.0f} "
                f"(LTV/CAC {ltv / cac:.2f}): each customer won honestly loses "
                f"{cac - ltv:,.0f}. Re-price to at least {be_arpu:,.2f} a month "
                f"({be_arpu / arpu - 1:+.0%}), or stop acquiring it: about {loss:,.0f} a year "
                f"of value not lost at today's {new:,.0f} new customers a month.")
            row["stop_acquiring_saves_per_year"] = loss
        total_bad += revenue * bad
        rows.append(row)
    for row in rows:
        row["share_of_bad_profits"] = (row["bad_profit_revenue_per_year_today"] / total_bad
                                       if total_bad > 0 else 0.0)
    return rows


# --- tiers --------------------------------------------------------------------------------------


def tier_report(values: Mapping[str, object], structure: Structure, runs: StructuredSim
                ) -> dict[str, object]:
    """Tier mix over time (by year), super users (the heaviest tier) at the tenure end and the
    horizon end, and the net revenue retention of today's customers over their first 12 months,
    for the status quo and the scenario (the whole business when there are segments)."""
    tiers = runs.overlay.tiers if runs.overlay is not None else None
    if tiers is None or tiers.mix is None:
        return {}
    full = validate(values)
    S, B = runs.segments, runs.batch
    parts = runs.parts
    K = len(structure.tiers)
    mix = np.broadcast_to(tiers.mix, (S * B,) + tiers.mix.shape[1:])
    by_tier = (mix * parts.customers[:, :, None]).reshape(S, B, -1, K).sum(axis=0)  # (B, H, K)
    end_mix = mix[:, -1]
    H = parts.horizon_months
    tm = int(tenure_months(float(full["tenure_years"]), H))
    names = [t.name for t in structure.tiers]
    out: dict[str, object] = {"tiers": names}
    for i, label in ((0, "status_quo"), (1, "scenario")):
        share = by_tier[i] / by_tier[i].sum(axis=1, keepdims=True)
        years = list(range(0, H, 12))
        out[f"mix_by_year_{label}"] = [{"month": m + 1, **{n: float(share[m, k])
                                                          for k, n in enumerate(names)}}
                                       for m in years]
        out[f"super_users_tenure_end_{label}"] = float(by_tier[i, tm - 1, -1])
        end = (end_mix.reshape(S, B, K)[:, i] * parts.customers_end.reshape(S, B)[:, i, None]
               ).sum(axis=0)
        out[f"super_users_horizon_end_{label}"] = float(end[-1])
        g = np.broadcast_to(tiers.attachment, (S * B, H)).reshape(S, B, H)[:, i]
        out[f"nrr_12_months_{label}"] = _nrr(tiers, mix.reshape(S, B, H, K)[:, i], g,
                                             parts, S, B, i)
    out["super_users_today"] = float(full["customers"]) * structure.tiers[-1].share
    return out


def _nrr(tiers, mix: np.ndarray, g: np.ndarray, parts: Simulation, S: int, B: int,
         i: int) -> float:
    """Revenue of today's customers in month 13 over their revenue in month 1 (NRR): the
    cohort churns at each month's churn × its tier's multiplier over the base's average and
    moves between tiers at the month's rates (no new customers join it); the price is the
    month's bill per customer at list spend."""
    H = parts.horizon_months
    months = min(12, H - 1)
    cust = parts.customers.reshape(S, B, H)[:, i]
    churned = parts.churned.reshape(S, B, H)[:, i]
    revenue = (parts.revenue_good + parts.revenue_bad).reshape(S, B, H)[:, i]
    start = end = 0.0
    for s in range(S):
        n = tiers.share.copy() * cust[s, 0]
        price0 = revenue[s, 0] / cust[s, 0] / float(mix[s, 0] @ tiers.arpu)
        start += float(n @ tiers.arpu) * price0
        for m in range(months):
            q = churned[s, m] / cust[s, m] if cust[s, m] > 0 else 0.0
            avg = float(mix[s, m] @ tiers.churn)
            n = n * np.clip(1.0 - q * tiers.churn / avg, 0.0, 1.0) if avg > 0 else n
            if not tiers.frozen:
                n = tiers.move(n, *tiers.rates(g[s, m]))
        price = revenue[s, months] / cust[s, months] / float(mix[s, months] @ tiers.arpu)
        end += float(n @ tiers.arpu) * price
    return end / start if start > 0 else float("nan")


# --- one run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StructuredRun:
    """A structured scenario against its status quo: the ``Run`` (summed over segments) and the
    segment, tier and fixes reports."""

    run: Run
    structure: Structure
    segments: list[dict[str, object]] = field(default_factory=list)
    tiers: dict[str, object] = field(default_factory=dict)
    fixes: list[dict[str, object]] = field(default_factory=list)
    budget_curve: list[dict[str, object]] = field(default_factory=list)
    fixes_bought: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        out = self.run.summary.to_dict()
        if self.segments:
            out["segments"] = self.segments
        if self.tiers:
            out["tiers"] = self.tiers
        if self.fixes:
            out["fixes"] = {"ranking": self.fixes, "bought": self.fixes_bought,
                            "budget_curve": self.budget_curve}
        return out


def run_structured(values: Mapping[str, object] | None, structure: Structure,
                   baseline: Baseline | None = None, reports: bool = True) -> StructuredRun:
    """``model.simulation.run`` with segments, tiers and fixes; an empty structure is exactly
    the plain run. ``reports=False`` leaves out the segment, tier and fixes reports (the same
    ``run``, without the ranking's and budget curve's many runs: for a verdict alone)."""
    full = validate(values or {})
    if structure.empty:
        return StructuredRun(plain_run(full, baseline), structure)
    vals = tier_values(full, structure)
    order = fix_order(vals, structure, baseline)
    rows = [{"honesty": 0.0}, {}, {"investment": 0.0}]
    runs = simulate_structured(_strip(_joined(vals, rows)), structure, baseline, vals,
                               np.array([True, False, False]), order)
    sim = members(runs.total, 0, 2)
    row = compare_batch(member(sim, 0), member(sim, 1), vals["tenure_years"])
    notes = notes_of(vals, sim) + structure_notes(full, structure, baseline)
    notes += longest_horizon_notes(
        full, float(row["delta_npv"][0]),
        lambda v: run_structured(v, structure, baseline, reports=False).run.summary.delta_npv)
    summary = summary_of(row, 0, sim.horizon_months, bool(vals["include_terminal_value"]),
                         notes)
    if not reports:
        return StructuredRun(run=Run(values=vals, simulation=sim, summary=summary),
                             structure=structure)
    ranking = rank_fixes(vals, structure, baseline)
    capex = np.array([f.capex for f in structure.fixes])
    bought = (select(capex, order, np.array([float(vals["investment"])]))[0]
              if structure.fixes else [])
    return StructuredRun(
        run=Run(values=vals, simulation=sim, summary=summary), structure=structure,
        segments=segment_table(vals, structure, runs),
        tiers=tier_report(vals, structure, runs),
        fixes=[r.to_dict() for r in ranking],
        budget_curve=budget_curve(vals, structure, baseline, order),
        fixes_bought=[structure.fixes[j].name for j in order if bought[j]])


def structure_notes(values: Mapping[str, object], structure: Structure,
                    baseline: Baseline | None = None) -> tuple[str, ...]:
    out = []
    if structure.segments and baseline is not None:
        out.append("The scenario's segments take the place of the churn-data calibration: each "
                   "segment churns at its yearly rate, constant with age (start from the "
                   "calibration's own segments to keep its sizes, revenue and churn).")
    if structure.tiers:
        out.append("Usage tiers replace the flat spend uplift (trust_arpu_uplift_max is not "
                   "used): spend per customer follows the tier mix.")
        if not structure.segments:
            arpu = sum(t.share * t.arpu for t in structure.tiers)
            out.append(f"arpu_monthly is the tiers' mix: {arpu:,.2f} a month (was "
                       f"{float(values['arpu_monthly']):,.2f}).")
    if structure.fixes:
        total = sum(f.churn_share for f in structure.fixes)
        out.append(f"The fixes replace fix_churn_reduction_max and fix_half_investment: broken "
                   f"experiences cause the churn the list names ({total:.0%} of today's churn "
                   "where every fix reaches), and the investment is a budget that buys the "
                   "fixes in ranking order.")
        if float(values["investment"]) > 0 and all(
                f.capex > float(values["investment"]) for f in structure.fixes):
            out.append("The investment is below every fix's one-off cost: it buys none.")
    return tuple(out)
