"""Monte Carlo odds of the switch: correlated effect sizes, a latent customer response, fan bands.

Assumptions of the method, stated once:

- Marginals: each uncertain assumption has low / likely / high (``model.analysis._ranges``) and is
  drawn from a PERT (Beta with λ = 4) or a triangular distribution; whole numbers are rounded.
- Dependence: the effect sizes customers must deliver (registry ``Assumption.response``) share a
  rank correlation ``effect_correlation``, induced by Iman–Conover [1]: van der Waerden scores
  are given the Pearson correlation 2·sin(π·ρ_s/6) (the Gaussian copula's link to a Spearman
  ρ_s), and each effect's draws are re-ordered to the ranks of its scores. The marginals stay
  exactly as drawn; every other assumption stays independent.
- The latent response r ∈ [0, 1]: every response assumption of a draw is r times its drawn
  value (the sacrifice and the costs are never scaled). r's prior has a mass ``p_no_response``
  at 0 (customers do not respond at all) and, otherwise, a PERT from m − s to m + s (within
  0 … 1) with most likely value m = ``response_likely`` and spread s = ``response_spread``: at
  the defaults (m = 1, s = 1) a Beta(5, 1) on 0 … 1, mean 5/6; s = 0 makes r = m exactly.
  Each draw keeps its r and the scenario's expected customers, churned and new customers by
  month: monthly actuals can re-weight the draws by their likelihood (tracking a plan).
- Reproducibility: draws come in fixed blocks of ``BLOCK``; block k draws its marginals from
  ``numpy.random.default_rng([seed, k])``, the Iman–Conover scores from ``[seed, k, 1]``, the
  no-response coin from ``[seed, k, 2]`` and the response's strength from ``[seed, k, 3]``. The
  same seed gives the same numbers however the work is split, the first N draws are the same
  whatever the total, and with the correlation at 0 the marginals are exactly the independent
  draws (which the latent response then scales).

[1] Iman, R. L. & Conover, W. J. (1982). A distribution-free approach to inducing rank correlation
    among input variables. Communications in Statistics – Simulation and Computation 11(3).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import ndtri

from model.analysis._ranges import Range, default_ranges, response_names
from model.assumptions import BY_NAME, ScenarioError, validate
from model.simulation import Baseline, simulate_pair

DISTRIBUTIONS: tuple[str, ...] = ("pert", "triangular")
DEFAULT_DRAWS = 2_000
MAX_DRAWS = 20_000
BLOCK = 1_000  # draws per random stream (see above)
# Blocks simulated as one batch: the monthly loop's numpy calls then serve 5,000 draws, which
# measured 1.6× faster than 1,000 on one core; the price is memory: a 10,000-draw run on two
# threads peaks at about 600 MB (140 MB one block at a time). Stated in SECURITY.md.
BLOCKS_AT_ONCE = 5
MAX_WORKERS = 4  # threads for blocks; beyond the cores they only add memory
# What a block reads of the simulations besides what the comparison does (simulate_pair).
MC_FIELDS = ("new_bought", "new_referred")
QUANTILES = (0.1, 0.5, 0.9)  # the fan chart's P10 / P50 / P90


# --- sampling -----------------------------------------------------------------------------------


def _draw(rng: np.random.Generator, r: Range, n: int, distribution: str) -> np.ndarray:
    if r.collapsed:
        return np.full(n, float(r.likely))  # exactly the likely value: no rounding noise
    width = r.high - r.low
    if distribution == "pert":
        alpha = 1.0 + 4.0 * (r.likely - r.low) / width
        beta = 1.0 + 4.0 * (r.high - r.likely) / width
        x = r.low + width * rng.beta(alpha, beta, n)
    elif distribution == "triangular":
        x = rng.triangular(r.low, r.likely, r.high, n)
    else:
        raise ValueError(f"distribution must be one of {', '.join(DISTRIBUTIONS)}")
    if BY_NAME[r.name].kind == "int":
        x = np.rint(x)
    return x


@lru_cache(maxsize=8)
def _scores(n: int) -> np.ndarray:
    """Van der Waerden scores Φ⁻¹(i / (n + 1)), i = 1 … n."""
    return ndtri(np.arange(1, n + 1) / (n + 1.0))


def pearson_for_spearman(rho_s: float) -> float:
    """The normal (Pearson) correlation whose ranks have Spearman correlation ``rho_s``."""
    return 2.0 * math.sin(math.pi * rho_s / 6.0)


def iman_conover(columns: Sequence[np.ndarray], rank_correlation: float,
                 rng: np.random.Generator) -> list[np.ndarray]:
    """The same columns re-ordered so that every pair has rank correlation ≈ ``rank_correlation``.

    Each column keeps exactly its values (its marginal); only their order changes.
    """
    k = len(columns)
    if k < 2 or rank_correlation == 0:
        return [np.asarray(c) for c in columns]
    n = len(columns[0])
    scores = rng.permuted(np.tile(_scores(n), (k, 1)), axis=1).T  # (n, k), independent orders
    target = np.full((k, k), pearson_for_spearman(rank_correlation))
    np.fill_diagonal(target, 1.0)
    # Remove the scores' chance correlation (Q), then impose the target's (P): S·Q⁻ᵀ·Pᵀ.
    q = np.linalg.cholesky(np.corrcoef(scores, rowvar=False))
    p = np.linalg.cholesky(target)
    shaped = scores @ np.linalg.inv(q).T @ p.T  # rows are samples: S·(Q⁻¹)ᵀ·Pᵀ
    # Column j's sorted values placed in the order of its scores: one argsort, no rank array.
    order = np.argsort(shaped, axis=0, kind="stable")
    out = []
    for j, c in enumerate(columns):
        moved = np.empty(n)
        moved[order[:, j]] = np.sort(np.asarray(c, dtype=float))
        out.append(moved)
    return out


def n_blocks(draws: int) -> int:
    return -(-draws // BLOCK)


def _block_size(draws: int, block: int) -> int:
    n = min(BLOCK, draws - block * BLOCK)
    if n <= 0:
        raise ValueError(f"block {block} is beyond {draws} draws")
    return n


def sample_block(ranges: Sequence[Range], draws: int, seed: int, distribution: str,
                 block: int, effect_correlation: float = 0.0) -> dict[str, np.ndarray]:
    """The draws of block ``block`` (draws block·BLOCK … up to ``draws``), one array per range."""
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {', '.join(DISTRIBUTIONS)}")
    n = _block_size(draws, block)
    rng = np.random.default_rng([int(seed), int(block)])
    # Always a full block per range, then cut: the first N draws are the same for any total ≥ N.
    full = {r.name: _draw(rng, r, BLOCK, distribution) for r in ranges}
    responses = set(response_names())
    effects = [r.name for r in ranges if r.name in responses and not r.collapsed]
    if effect_correlation > 0 and len(effects) > 1:
        moved = iman_conover([full[name] for name in effects], effect_correlation,
                             np.random.default_rng([int(seed), int(block), 1]))
        full.update(zip(effects, moved, strict=True))
    return {name: x[:n] for name, x in full.items()}


def response_block(draws: int, seed: int, block: int, p_no_response: float,
                   likely: float = 1.0, spread: float = 1.0) -> np.ndarray:
    """The latent response r of each draw of block ``block``, (n,) in [0, 1]: 0 with probability
    ``p_no_response``, else a PERT draw (``response_prior``)."""
    n = _block_size(draws, block)
    prior = response_prior(p_no_response, likely, spread)
    coin = np.random.default_rng([int(seed), int(block), 2]).random(BLOCK)[:n]
    if prior.high > prior.low:
        strength = prior.low + (prior.high - prior.low) * np.random.default_rng(
            [int(seed), int(block), 3]).beta(prior.alpha, prior.beta, BLOCK)[:n]
    else:
        strength = np.full(n, prior.likely)
    return np.where(coin < prior.no_response, 0.0, strength)


@dataclass(frozen=True)
class ResponsePrior:
    """The prior of the latent response r: 0 with probability ``no_response``, else
    low + (high − low)·Beta(α, β) — the PERT(low, likely, high); a point when low = high."""

    no_response: float
    low: float
    likely: float
    high: float
    alpha: float
    beta: float


def response_prior(p_no_response: float, likely: float = 1.0, spread: float = 1.0
                   ) -> ResponsePrior:
    """r's prior from the registry's three settings (a grid posterior of r needs exactly this)."""
    lo, hi = max(0.0, likely - spread), min(1.0, likely + spread)
    width = hi - lo
    alpha = 1.0 + 4.0 * (likely - lo) / width if width > 0 else 1.0
    beta = 1.0 + 4.0 * (hi - likely) / width if width > 0 else 1.0
    return ResponsePrior(float(p_no_response), lo, float(likely), hi, alpha, beta)


def sample(ranges: Sequence[Range], draws: int, seed: int = 0, distribution: str = "pert",
           effect_correlation: float = 0.0) -> dict[str, np.ndarray]:
    """All draws, shape (draws,) per range."""
    blocks = [sample_block(ranges, draws, seed, distribution, k, effect_correlation)
              for k in range(n_blocks(draws))]
    return {r.name: np.concatenate([b[r.name] for b in blocks]) for r in ranges}


def block_batch(values: Mapping[str, object], ranges: Sequence[Range], draws: int, seed: int,
                distribution: str, block: int) -> tuple[dict[str, object], np.ndarray]:
    """The assumption sets of one block (every response assumption scaled by the draw's latent
    response) and that response r, (n,)."""
    full = validate(values)
    drawn = sample_block(ranges, draws, seed, distribution, block,
                         float(full["effect_correlation"]))
    response = response_block(draws, seed, block, float(full["p_no_response"]),
                              float(full["response_likely"]), float(full["response_spread"]))
    batch: dict[str, object] = {**full, **drawn}
    for name in response_names():
        batch[name] = response * np.broadcast_to(np.asarray(batch[name], dtype=float),
                                                 response.shape)
    return batch, response


# --- Monte Carlo --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """Results of one block of draws."""

    delta_npv: np.ndarray  # (n,)
    delta_inside_tenure: np.ndarray  # (n,)
    payback_month: np.ndarray  # (n,) 1-based, NaN = not within the horizon
    tenure_month: np.ndarray  # (n,)
    response: np.ndarray  # (n,) the draw's latent response r (0: customers did not respond)
    # (H, n): cumulative Δ discounted profit, month-major so the per-month quantiles over all
    # draws read contiguous rows (twice as fast as quantiles down the columns of (n, H))
    cumulative_delta_by_month: np.ndarray
    # (H, n) float32: the scenario's expected active customers, churned and new customers by
    # month (what monthly actuals are compared with)
    customers_by_month: np.ndarray
    churned_by_month: np.ndarray
    new_by_month: np.ndarray

    @property
    def no_response(self) -> np.ndarray:
        return self.response == 0.0


def run_block(values: Mapping[str, object], baseline: Baseline | None,
              ranges: Sequence[Range], draws: int, seed: int, distribution: str,
              block: int) -> Block:
    """Simulate block ``block`` of the Monte Carlo (see ``sample_block``)."""
    return run_blocks(values, baseline, ranges, draws, seed, distribution, (block,))


def _joined(batches: Sequence[Mapping[str, object]], sizes: Sequence[int]) -> dict[str, object]:
    """Assumption sets of several blocks as one batch (a value shared by all stays a scalar)."""
    out: dict[str, object] = {}
    for name in batches[0]:
        parts = [b[name] for b in batches]
        if all(np.ndim(x) == 0 for x in parts) and len({float(x) for x in parts}) == 1:
            out[name] = parts[0]
        else:
            out[name] = np.concatenate([np.broadcast_to(np.asarray(x, dtype=float), (n,))
                                        for x, n in zip(parts, sizes, strict=True)])
    return out


def run_blocks(values: Mapping[str, object], baseline: Baseline | None,
               ranges: Sequence[Range], draws: int, seed: int, distribution: str,
               blocks: Sequence[int]) -> Block:
    """Simulate several blocks as one batch: the draws are each block's own (same random
    streams), and a draw's results do not depend on its batch (a test holds this to the bit);
    only numpy's per-call overhead in the monthly loop is shared by more draws."""
    drawn = [block_batch(values, ranges, draws, seed, distribution, k) for k in blocks]
    own = getattr(baseline, "draws", None)  # model.structure.Structured: each fix's effect
    if own is not None:
        drawn = [({**b, **own(seed, k, BLOCK, len(r), distribution, r)}, r)
                 for (b, r), k in zip(drawn, blocks, strict=True)]
    sizes = [len(r) for _, r in drawn]
    batch = _joined([b for b, _ in drawn], sizes)
    response = np.concatenate([r for _, r in drawn])
    sq, sc, cmp = simulate_pair(batch, baseline, fields=MC_FIELDS)
    # Δ transposed into a fresh month-major array, summed down the months in place: one copy
    # fewer than a cumulative sum along the draws' rows followed by a contiguous transpose.
    cum = np.subtract(sc.discounted_profit, sq.discounted_profit).T.copy()
    np.cumsum(cum, axis=0, out=cum)
    return Block(delta_npv=cmp["delta_npv"], delta_inside_tenure=cmp["delta_inside_tenure"],
                 payback_month=cmp["payback_month"], tenure_month=cmp["tenure_month"],
                 response=response, cumulative_delta_by_month=cum,
                 customers_by_month=sc.customers.T.astype(np.float32),
                 churned_by_month=sc.churned.T.astype(np.float32),
                 new_by_month=(sc.new_bought + sc.new_referred).T.astype(np.float32))


@dataclass(frozen=True)
class MonteCarlo:
    """The odds of the switch under uncertainty (money discounted to today, months 1-based)."""

    draws: int
    seed: int
    distribution: str
    horizon_months: int
    tenure_month: int  # of the scenario (tenure is a lever, not drawn)
    p_no_response: float  # the setting used
    effect_correlation: float  # the setting used
    delta_npv: np.ndarray  # (draws,)
    delta_inside_tenure: np.ndarray  # (draws,)
    payback_month: np.ndarray  # (draws,), NaN = not within the horizon
    response: np.ndarray  # (draws,) latent response r of each draw
    fan: np.ndarray  # (3, H): P10, P50, P90 of the cumulative Δ by month
    p_payback_inside_tenure: float
    p_payback_inside_horizon: float
    p_delta_npv_positive: float
    p_delta_npv_positive_if_response: float  # among the draws in which customers respond (r > 0)
    # (H, draws) float32: the scenario's expected customers, churned and new customers by month
    customers_by_month: np.ndarray
    churned_by_month: np.ndarray
    new_by_month: np.ndarray
    response_likely: float = 1.0  # the settings used
    response_spread: float = 1.0

    @property
    def no_response(self) -> np.ndarray:
        """(draws,) bool: customers do not respond at all in these draws (r = 0)."""
        return self.response == 0.0

    def quantiles(self, x: np.ndarray) -> dict[str, float]:
        return {f"p{round(100 * q)}": float(v) for q, v in zip(QUANTILES, np.quantile(x, QUANTILES),
                                                                strict=True)}

    def to_dict(self) -> dict[str, object]:
        paid = self.payback_month[~np.isnan(self.payback_month)]
        return {
            "draws": self.draws, "seed": self.seed, "distribution": self.distribution,
            "tenure_month": self.tenure_month, "horizon_months": self.horizon_months,
            "p_no_response": self.p_no_response, "effect_correlation": self.effect_correlation,
            "response_likely": self.response_likely, "response_spread": self.response_spread,
            "share_of_draws_without_response": float(self.no_response.mean()),
            "response": self.quantiles(self.response),
            "p_delta_npv_positive_if_customers_respond": self.p_delta_npv_positive_if_response,
            "p_payback_inside_tenure": self.p_payback_inside_tenure,
            "p_payback_inside_horizon": self.p_payback_inside_horizon,
            "p_delta_npv_positive": self.p_delta_npv_positive,
            "delta_npv": self.quantiles(self.delta_npv),
            "delta_inside_tenure": self.quantiles(self.delta_inside_tenure),
            "payback_month_when_it_pays_back": self.quantiles(paid) if paid.size else None,
        }


def summarise(blocks: Sequence[Block], draws: int, seed: int, distribution: str,
              p_no_response: float = 0.0, effect_correlation: float = 0.0,
              response_likely: float = 1.0, response_spread: float = 1.0) -> MonteCarlo:
    """Combine blocks into probabilities and fan bands (quantiles over all draws per month)."""
    cat = {k: np.concatenate([getattr(b, k) for b in blocks])
           for k in ("delta_npv", "delta_inside_tenure", "payback_month", "tenure_month",
                     "response")}
    months = {k: np.concatenate([getattr(b, k) for b in blocks], axis=1)
              for k in ("customers_by_month", "churned_by_month", "new_by_month")}
    cum = np.concatenate([b.cumulative_delta_by_month for b in blocks], axis=1)  # (H, draws)
    responding = cat["response"] > 0
    payback = cat["payback_month"]
    paid = ~np.isnan(payback)
    inside = paid & (np.where(paid, payback, np.inf) <= cat["tenure_month"])
    return MonteCarlo(
        draws=draws, seed=seed, distribution=distribution, horizon_months=cum.shape[0],
        tenure_month=int(cat["tenure_month"][0]), p_no_response=float(p_no_response),
        effect_correlation=float(effect_correlation),
        delta_npv=cat["delta_npv"], delta_inside_tenure=cat["delta_inside_tenure"],
        payback_month=payback, response=cat["response"],
        fan=np.quantile(cum, QUANTILES, axis=1),
        p_payback_inside_tenure=float(inside.mean()),
        p_payback_inside_horizon=float(paid.mean()),
        p_delta_npv_positive=float((cat["delta_npv"] > 0).mean()),
        p_delta_npv_positive_if_response=(float((cat["delta_npv"][responding] > 0).mean())
                                          if responding.any() else float("nan")),
        response_likely=float(response_likely), response_spread=float(response_spread),
        **months,
    )


def check_draws(draws: int) -> int:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not (
            1 <= draws <= MAX_DRAWS):
        raise ScenarioError(f"draws: {draws!r} is not allowed; expected a whole number from 1 "
                            f"to {MAX_DRAWS:,}", key="draws")
    return int(draws)


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not (
            0 <= seed < 2**63):
        raise ScenarioError(f"seed: {seed!r} is not allowed; expected a whole number from 0 "
                            f"to {2**63 - 1}", key="seed")
    return int(seed)


def monte_carlo(values: Mapping[str, object], baseline: Baseline | None = None,
                ranges: Sequence[Range] | None = None, draws: int = DEFAULT_DRAWS,
                seed: int = 0, distribution: str = "pert",
                progress: Callable[[int, int], None] | None = None,
                workers: int | None = None) -> MonteCarlo:
    """Draw the uncertain assumptions, simulate status quo and scenario for each draw.

    ``values`` carries ``p_no_response``, ``response_likely``, ``response_spread`` and
    ``effect_correlation`` (registry, group analysis).
    ``ranges`` defaults to ``default_ranges(values, baseline)``; ``progress(done, total)`` is
    called after each block. Blocks run on ``workers`` threads (default: one per core, at most
    ``MAX_WORKERS``): numpy releases the GIL inside its array operations, and each block has its
    own random streams, so the numbers do not depend on the threads.
    """
    draws, seed = check_draws(draws), check_seed(seed)
    ranges = default_ranges(values, baseline) if ranges is None else tuple(ranges)
    full = validate(values)
    total = n_blocks(draws)
    chunks = [tuple(range(k, min(k + BLOCKS_AT_ONCE, total)))
              for k in range(0, total, BLOCKS_AT_ONCE)]
    workers = max(1, min(workers or os.cpu_count() or 1, MAX_WORKERS, len(chunks)))

    def one(chunk: tuple[int, ...]) -> Block:
        return run_blocks(full, baseline, ranges, draws, seed, distribution, chunk)

    blocks: list[Block] = []
    if workers == 1:
        results = map(one, chunks)
        pool = None
    else:
        pool = ThreadPoolExecutor(max_workers=workers)
        results = pool.map(one, chunks)
    try:
        for chunk, block in zip(chunks, results, strict=True):
            blocks.append(block)
            if progress is not None:
                progress(chunk[-1] + 1, total)
    finally:
        if pool is not None:
            pool.shutdown()
    return summarise(blocks, draws, seed, distribution, float(full["p_no_response"]),
                     float(full["effect_correlation"]), float(full["response_likely"]),
                     float(full["response_spread"]))


def histogram(x: np.ndarray, bins: int = 40) -> pd.DataFrame:
    """Counts of ``x`` in equal-width bins: start, end, count, share (for the ΔNPV chart)."""
    counts, edges = np.histogram(np.asarray(x, dtype=float), bins=bins)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts,
                         "share": counts / max(counts.sum(), 1)})


def fan_table(mc: MonteCarlo) -> pd.DataFrame:
    """The fan bands by month: month, years, p10, p50, p90."""
    months = np.arange(1, mc.horizon_months + 1)
    return pd.DataFrame({"month": months, "years": months / 12.0,
                         "p10": mc.fan[0], "p50": mc.fan[1], "p90": mc.fan[2]})
