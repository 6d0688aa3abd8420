"""What a portfolio of fixes and usage tiers change inside one simulation (the ``overlay`` of
``model.simulation.simulate``), for a batch of N members.

Fixes. Fix j causes the share e_j of today's churn in the customers it hits. The churn broken
experiences cause is E = min(Σ_j e_j, 1 − d) over the fixes that hit the member (it replaces
``fix_churn_reduction_max``); a bought fix removes its share after its build, ramping in over
``fix_ramp_months``: the share of E removed in month t is R_t = Σ_j bought_j·e_j·p_j(t) / Σ_j e_j,
with p_j(t) = min(1, (t − build_j + 1)/ramp) once live. Its one-off cost is spent in equal steps
over build_j months, its run cost (opex per year / 12) from then on; a member's share of a fix's
costs is ``cost_weight``. A budget K buys the fixes in ranking order, skipping any that no longer
fit (K = 0 buys none; that is the status quo).

Tiers (Pfeifer & Carraway 2000, a Markov chain of the active base over usage tiers): the mix π_t
moves each month by upgrades u_k·(1 + g_t) to the tier above and downgrades d_k·(1 − g_t) to the
tier below, g_t the change in attachment the switch brings (so upgrades rise with attachment and
downgrades with eroding trust), and new customers replace the base at today's turnover ρ in the
entry mix: π_{t+1} = (1 − ρ)·π_t·P_t + ρ·entry. Spend per customer is S_t = π_t·a / π_0·a
(this replaces the flat ``trust_arpu_uplift_max``), churn is × C_t = π_t·c / π_0·c and referrals
× π_t·r / π_0·r. With every transition at zero and the entry mix equal to today's, π_t = π_0 and
the three factors are exactly 1.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from model.structure._spec import FixSpec, TierSpec

UPGRADE_CAP = 0.5  # a monthly probability of moving tier never goes above this


def fix_key(j: int) -> str:
    """The batch key of fix j's churn share (a Monte Carlo draws it)."""
    return f"fix_share_{j}"


def select(capex: np.ndarray, order: Sequence[int], budget: np.ndarray) -> np.ndarray:
    """Which fixes a budget buys, (N, J) of 0/1: in ``order``, each that still fits; none when
    the budget is 0."""
    budget = np.atleast_1d(np.asarray(budget, dtype=float))
    left = budget.copy()
    bought = np.zeros((budget.size, capex.size))
    for j in order:
        take = (budget > 0) & (capex[j] <= left * (1 + 1e-12))
        bought[:, j] = take
        left = left - np.where(take, capex[j], 0.0)
    return bought


class Portfolio:
    """The fixes' effect and costs for N members (see the module docstring).

    hits (N|1, J) 0/1: the fix reaches the member's customers; cost_weight (N|1, J): the
    member's share of each fix's costs; bought (N|1, J) or None: chosen by the budget in
    ``order``.
    """

    def __init__(self, fixes: Sequence[FixSpec], hits: np.ndarray, cost_weight: np.ndarray,
                 order: Sequence[int], bought: np.ndarray | None = None):
        self.fixes = tuple(fixes)
        self.hits = hits
        self.cost_weight = cost_weight
        self.order = tuple(order)
        self.bought = bought
        self.capex = np.array([f.capex for f in fixes])
        self.opex = np.array([f.opex_per_year for f in fixes])

    def effects(self, col: Mapping[str, np.ndarray]) -> list[np.ndarray]:
        """e_j per member, (N|1,) each: drawn (``fix_key``) or the likely value."""
        return [col[fix_key(j)][:, 0] if fix_key(j) in col else np.array([f.churn_share])
                for j, f in enumerate(self.fixes)]

    def chosen(self, col: Mapping[str, np.ndarray]) -> np.ndarray:
        if self.bought is not None:
            return self.bought
        budget = col["fix_budget"][:, 0] if "fix_budget" in col else col["investment"][:, 0]
        return select(self.capex, self.order, budget)

    def levers(self, col, levers, shares, H: int):
        t = np.arange(H, dtype=float)[None, :]
        ramp = np.maximum(col["fix_ramp_months"], 1.0)
        bought = self.chosen(col)
        e = self.effects(col)
        named = sum(self.hits[:, j] * e[j] for j in range(len(e)))  # (N|1,)
        removed, spend, run = np.zeros((1, H)), np.zeros((1, H)), np.zeros((1, H))
        bought_share = np.zeros((1, 1))  # each grows to (N, H) / (N, 1) as the fixes add up
        # Fixes with the same build months share one ramp: a few (N, H) operations per build
        # time, however many fixes (the effects and costs add up first, as (N,) columns).
        builds: dict[int | None, list[int]] = {}
        for j, f in enumerate(self.fixes):
            builds.setdefault(f.build_months, []).append(j)
        for months, members in builds.items() if bought.any() else ():
            build = col["build_months"] if months is None else np.array([[float(months)]])
            w = sum(bought[:, j] * self.hits[:, j] * e[j] for j in members)[:, None]
            capex = sum(bought[:, j] * self.cost_weight[:, j] * self.capex[j]
                        for j in members)[:, None]
            opex = sum(bought[:, j] * self.cost_weight[:, j] * self.opex[j]
                       for j in members)[:, None]
            live = t >= build
            # Whole months: before the build ends (t − build + 1)/ramp ≤ 0, so the clip is
            # the ramp's 0 there and its min(1, ·) after; costs ≥ 0 times 0 or 1 (no np.where:
            # ten times the cost of a product on these arrays).
            p = np.clip((t - build + 1.0) / ramp, 0.0, 1.0)
            removed = removed + w * p
            bought_share = bought_share + w
            spend = spend + (capex / build * ~live if np.all(build > 0)
                             else np.where(live, 0.0, capex / build))
            run = run + opex / 12.0 * live
        total = np.asarray(named, dtype=float).reshape(-1, 1)  # (N|1, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(total > 0, bought_share / np.where(total > 0, total, 1.0), 0.0)
            progress = np.where(bought_share > 0, removed / np.where(bought_share > 0,
                                                                     bought_share, 1.0), 0.0)
        d = shares.broken_promises
        e_fix = np.minimum(total, 1.0 - d)
        shares = dataclasses.replace(shares, broken_experiences=e_fix, rest=1.0 - d - e_fix)
        levers = dataclasses.replace(
            levers, fix_scale=scale, progress=progress, live=run > 0,
            change_size=0.5 * (col["honesty"] + scale), investment_spend=spend, run_cost=run)
        return levers, shares


class Tiers:
    """The tier chain for N members (see the module docstring); after ``trust`` has run,
    ``mix`` holds π_t, (N|1, H, K)."""

    def __init__(self, tiers: Sequence[TierSpec]):
        self.tiers = tuple(tiers)
        self.share = np.array([t.share for t in tiers])
        self.entry = (self.share if tiers[0].entry_share is None
                      else np.array([t.entry_share for t in tiers]))
        self.arpu = np.array([t.arpu for t in tiers])
        self.churn = np.array([t.churn_multiplier for t in tiers])
        self.referral = np.array([t.referral_multiplier for t in tiers])
        self.up = np.array([t.upgrade for t in tiers])
        self.down = np.array([t.downgrade for t in tiers])
        self.frozen = (not self.up.any() and not self.down.any()
                       and np.array_equal(self.entry, self.share))
        self.mix: np.ndarray | None = None
        self.attachment: np.ndarray | None = None  # g_t the chain ran on, (N|1, H)
        self.rows: np.ndarray | None = None  # π_t by tier, (K, H, N), after ``chain``

    def rates(self, g: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Upgrade and downgrade probabilities at attachment change g, (…, K) each."""
        g = np.asarray(g, dtype=float)[..., None]
        return (np.minimum(np.maximum(self.up * (1.0 + g), 0.0), UPGRADE_CAP),
                np.minimum(np.maximum(self.down * (1.0 - g), 0.0), UPGRADE_CAP))

    @staticmethod
    def move(pi: np.ndarray, up: np.ndarray, down: np.ndarray) -> np.ndarray:
        """One month of tier moves of shares or counts ``pi`` (…, K)."""
        moved = pi * (1.0 - up - down)
        moved[..., 1:] += pi[..., :-1] * up[..., :-1]
        moved[..., :-1] += pi[..., 1:] * down[..., 1:]
        return moved

    def chain(self, g: np.ndarray, turnover: np.ndarray) -> np.ndarray:
        """π_t for t = 0 … H−1, (N, H, K); g (N|1, H) the change in attachment, turnover
        (N|1,). One (N,) row per tier and month (on 1-D rows numpy's per-call cost is a third of
        that on (N, K) blocks), the same sums as ``move``."""
        rho = np.asarray(turnover, dtype=float).reshape(-1)
        N, H = max(g.shape[0], rho.size), g.shape[1]
        K = self.share.size
        if self.frozen:
            return np.broadcast_to(self.share, (N, H, K))
        rho = np.broadcast_to(rho, (N,))
        gt = np.ascontiguousarray(np.broadcast_to(g, (N, H)).T)  # (H, N)
        ups = [np.minimum(np.maximum(u * (1.0 + gt), 0.0), UPGRADE_CAP) if u > 0 else None
               for u in self.up]
        downs = [np.minimum(np.maximum(d * (1.0 - gt), 0.0), UPGRADE_CAP) if d > 0 else None
                 for d in self.down]
        keep = 1.0 - rho
        arrive = [rho * e for e in self.entry]
        # π_t by tier and month, (K, H + 1, N): month m + 1 is written straight from month m.
        # Each move (π_k·u_k up, π_k·d_k down) is one product, taken from tier k and given to
        # its neighbour, in the order ``move`` adds them; every sum goes into a buffer made once.
        out = np.empty((K, H + 1, N))
        for k in range(K):
            out[k, 0] = self.share[k]
        up_moves = [np.empty(N) if u is not None else None for u in ups]
        down_moves = [np.empty(N) if d is not None else None for d in downs]
        stay = np.empty(N)
        for m in range(H):
            pi = out[:, m]
            for k in range(K):
                if ups[k] is not None:
                    np.multiply(pi[k], ups[k][m], out=up_moves[k])
                if downs[k] is not None:
                    np.multiply(pi[k], downs[k][m], out=down_moves[k])
            for k in range(K):
                x = pi[k]
                if ups[k] is not None:
                    x = np.subtract(x, up_moves[k], out=stay)
                if downs[k] is not None:
                    x = np.subtract(x, down_moves[k], out=stay)
                if k > 0 and ups[k - 1] is not None:
                    x = np.add(x, up_moves[k - 1], out=stay)
                if k < K - 1 and downs[k + 1] is not None:
                    x = np.add(x, down_moves[k + 1], out=stay)
                nxt = out[k, m + 1]
                np.multiply(keep, x, out=nxt)
                nxt += arrive[k]
        out = out[:, :H]
        self.rows = out  # (K, H, N): what ``factor`` sums, contiguous
        return out.transpose(2, 1, 0)

    def factor(self, mix: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """π_t·w / π_0·w, (N, H); exactly 1 for a frozen chain."""
        if self.frozen:
            return np.ones(mix.shape[:2])
        rows = getattr(self, "rows", None)
        if rows is not None and rows.shape[2] == mix.shape[0]:
            total = sum(w * r for w, r in zip(weights, rows, strict=True))  # (H, N)
            return total.T / float(self.share @ weights)
        return (mix @ weights) / float(self.share @ weights)

    # --- the overlay's hooks ----------------------------------------------------------------
    def levers(self, col, levers, shares, H: int):
        return levers, shares

    def trust(self, col, trust, turnover):
        g = np.atleast_2d(trust.attachment_change)
        self.attachment = g
        self.mix = self.chain(g, turnover)
        return dataclasses.replace(
            trust, spend_factor=self.factor(self.mix, self.arpu),
            referral_rate=trust.referral_rate * self.factor(self.mix, self.referral))

    def factors(self, col, factors):
        if self.frozen:
            return factors
        c = self.factor(self.mix, self.churn)  # (N, H)
        return factors * c[:, :, None, None]


class Overlay:
    """A portfolio, tiers, or both, as one ``overlay`` for ``simulate``."""

    def __init__(self, portfolio: Portfolio | None, tiers: Tiers | None):
        self.portfolio = portfolio
        self.tiers = tiers
        # A portfolio replaces the fixes' schedule: the plain one need not be made.
        self.builds_fixes = portfolio is not None

    def levers(self, col, levers, shares, H: int):
        if self.portfolio is not None:
            levers, shares = self.portfolio.levers(col, levers, shares, H)
        return levers, shares

    def trust(self, col, trust, turnover):
        return trust if self.tiers is None else self.tiers.trust(col, trust, turnover)

    def factors(self, col, factors):
        return factors if self.tiers is None else self.tiers.factors(col, factors)
