"""Step 4 — the customer flow: cohorts by segment, class and age, inside a market with an edge.

Each month customers of age a in class c churn with probability min(1, h₀(a)·k_c(t)); bought and
referred customers arrive at age 0 at the end of the month. The market of ``market_size``
customers bounds the inflow twice: the inflow shrinks with the share of the headroom left
((M − N_t) / (M − N₀), at most 1, so today's business keeps today's inflow), and it never
takes the customers above M. Customers are conserved exactly: N_{t+1} = N_t − churned_t + new_t.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.simulation._baseline import Segments
from model.simulation._trust import SMALL_BATCH

# Above this many numbers the churn probabilities are computed month by month (memory).
_PRECOMPUTE_LIMIT = 4_000_000


@dataclass(frozen=True)
class Flow:
    active: np.ndarray  # (B, H, S, C) at the start of the month
    churned: np.ndarray  # (B, H)
    bought: np.ndarray  # (B, H) after the market's bound
    referred: np.ndarray  # (B, H)
    baseline_churned: np.ndarray  # (B, H) churn the same customers would show at h₀
    end: np.ndarray  # (B, S, C, A) active after the last month
    last_arrivals: np.ndarray  # (B, S, C) bought and referred at the end of the last month


def customer_flow(seg: Segments, start: np.ndarray, factors: np.ndarray,
                  bought_mix: np.ndarray, referred_mix: np.ndarray, referral_rate: np.ndarray,
                  market_size: np.ndarray) -> Flow:
    """Run the cohorts forward.

    start (1|B, S, C, A): today's customers by segment, class and age; factors (B, H, S|1, C):
    churn × h₀ by class (one for every segment when S is 1); bought_mix / referred_mix
    (1|B, H, C): inflow by class per bought / referred customer; referral_rate (B, H): referred
    per active customer; market_size (1|B,).
    """
    batch, H, _, C = factors.shape
    hazard = seg.hazard[:, :, None, :]  # (1|B, S, 1, A)
    S, A = hazard.shape[1], hazard.shape[3]
    n = np.broadcast_to(start, (batch, S, C, A)).astype(float)
    today = seg.customers.sum(axis=(1, 2))
    headroom_today = np.maximum(market_size - today, 1.0)
    if A == 1 and S == 1 and C == 3 and batch > SMALL_BATCH:
        return _flow_one_age_one_segment(
            n, hazard, factors[:, :, 0, :], seg.new_customers_monthly * seg.new_share[0, 0],
            bought_mix, referred_mix, referral_rate, market_size, headroom_today)
    bought_in = (seg.new_customers_monthly[:, None, None, None] * seg.new_share[:, None, :, None]
                 * bought_mix[:, :, None, :])  # (1|B, H, S, C)
    if A == 1:  # constant churn: the over-sold excess is the same for every segment
        one = factors[:, :, 0, :]
        if batch <= SMALL_BATCH:
            return _flow_small(n, hazard, one, bought_in, referred_mix, referral_rate,
                               market_size, headroom_today)
        return _flow_one_age(n, hazard, one, bought_in, referred_mix, referral_rate,
                             market_size, headroom_today)
    q_all = (np.minimum(hazard[:, None] * factors[:, :, :, :, None], 1.0)
             if batch * H * S * C * A <= _PRECOMPUTE_LIMIT else None)
    active = np.empty((batch, H, S, C))
    churned = np.empty((batch, H))
    baseline_churned = np.empty((batch, H))
    bought = np.empty((batch, H))
    referred = np.empty((batch, H))
    for m in range(H):
        q = q_all[:, m] if q_all is not None else np.minimum(
            hazard * factors[:, m, :, :, None], 1.0)
        leaving = n * q
        survivors = n - leaving
        by_class = n.sum(axis=3)  # (B, S, C)
        total = by_class.sum(axis=(1, 2))
        scale = np.clip((market_size - total) / headroom_today, 0.0, 1.0)
        ref = (by_class.sum(axis=2) * referral_rate[:, m, None])[:, :, None] \
            * referred_mix[:, m, None, :]
        buy = bought_in[:, m]
        inflow = (buy + ref) * scale[:, None, None]
        wanted = inflow.sum(axis=(1, 2))
        room = np.maximum(market_size - survivors.sum(axis=(1, 2, 3)), 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            cut = np.where(wanted > room, room / wanted, 1.0)
        keep = scale * cut
        active[:, m] = by_class
        churned[:, m] = leaving.sum(axis=(1, 2, 3))
        baseline_churned[:, m] = (n * np.minimum(hazard, 1.0)).sum(axis=(1, 2, 3))
        bought[:, m] = buy.sum(axis=(1, 2)) * keep
        referred[:, m] = ref.sum(axis=(1, 2)) * keep
        arrivals = inflow * cut[:, None, None]
        n = np.concatenate([arrivals[..., None], survivors[..., :-2],
                            (survivors[..., -2] + survivors[..., -1])[..., None]], axis=3)
    return Flow(active, churned, bought, referred, baseline_churned, n, arrivals)


def _flow_small(n, hazard, factors, bought_in, referred_mix, referral_rate, market_size,
                headroom_today) -> Flow:
    """The same flow for a few series of one age bucket, as a plain loop over floats: numpy's
    per-call overhead would cost 20 times the arithmetic (the ≤ 5 ms bar of one scenario)."""
    batch, S, C, _ = n.shape
    H = factors.shape[1]
    q = np.broadcast_to(np.minimum(hazard[:, None, :, :, 0] * factors[:, :, None, :], 1.0),
                        (batch, H, S, C))
    base_q = np.broadcast_to(np.minimum(hazard[:, :, 0, 0], 1.0), (batch, S))
    bought_in = np.broadcast_to(bought_in, (batch, H, S, C))
    referred_mix = np.broadcast_to(referred_mix, (batch, H, C))
    referral_rate = np.broadcast_to(referral_rate, (batch, H))  # shared when only others vary
    market = np.broadcast_to(market_size, (batch,))
    room_today = np.broadcast_to(headroom_today, (batch,))
    active = np.empty((batch, H, S, C))
    out = {k: np.empty((batch, H)) for k in ("churned", "base", "bought", "referred")}
    end = np.empty((batch, S, C, 1))
    last = np.empty((batch, S, C))
    if S == 1 and C == 3:
        return _flow_one_segment(n, q, base_q, bought_in, referred_mix, referral_rate, market,
                                 room_today)
    K = S * C
    seg_of = [k // C for k in range(K)]  # flattened (segment, class) index k = s·C + c
    for b in range(batch):
        x = n[b, :, :, 0].reshape(K).tolist()
        qb, buy_b = q[b].reshape(H, K).tolist(), bought_in[b].reshape(H, K).tolist()
        mix_b = np.tile(referred_mix[b], (1, S)).tolist()
        rate_b, base_b = referral_rate[b].tolist(), base_q[b].tolist()
        M, room0 = float(market[b]), float(room_today[b])
        rows, churned, base, bought, referred = [], [], [], [], []
        for m in range(H):
            by_seg = [sum(x[k:k + C]) for k in range(0, K, C)]
            scale = min(1.0, max(0.0, (M - sum(by_seg)) / room0))
            leaving = [a * p for a, p in zip(x, qb[m], strict=True)]
            survivors = [a - z for a, z in zip(x, leaving, strict=True)]
            rate = rate_b[m]
            ref = [by_seg[s] * rate * w for s, w in zip(seg_of, mix_b[m], strict=True)]
            inflow = [(a + z) * scale for a, z in zip(buy_b[m], ref, strict=True)]
            wanted = sum(inflow)
            room = max(M - sum(survivors), 0.0)
            cut = room / wanted if wanted > room else 1.0
            rows.append(x)
            churned.append(sum(leaving))
            base.append(sum(a * z for a, z in zip(by_seg, base_b, strict=True)))
            bought.append(sum(buy_b[m]) * scale * cut)
            referred.append(sum(ref) * scale * cut)
            x = [a + z * cut for a, z in zip(survivors, inflow, strict=True)]
        active[b] = np.array(rows).reshape(H, S, C)
        for key, series in (("churned", churned), ("base", base), ("bought", bought),
                            ("referred", referred)):
            out[key][b] = series
        end[b] = np.array(x).reshape(S, C, 1)
        last[b] = np.array([z * cut for z in inflow]).reshape(S, C)
    return Flow(active, out["churned"], out["bought"], out["referred"], out["base"], end, last)


def _flow_one_segment(n, q, base_q, bought_in, referred_mix, referral_rate, market,
                      room_today) -> Flow:
    """``_flow_small`` for one segment and three classes, unrolled into scalars: the default
    scenario's path, 4× faster than the list version (which it equals, see the tests)."""
    batch, H = q.shape[0], q.shape[1]
    active = np.empty((batch, H, 1, 3))
    series = np.empty((4, batch, H))  # churned, baseline churned, bought, referred
    end = np.empty((batch, 1, 3, 1))
    last = np.empty((batch, 1, 3))
    for b in range(batch):
        x0, x1, x2 = n[b, 0, :, 0].tolist()
        qb, buy_b = q[b, :, 0].tolist(), bought_in[b, :, 0].tolist()
        mix_b, rate_b = referred_mix[b].tolist(), referral_rate[b].tolist()
        h0, M, room0 = float(base_q[b, 0]), float(market[b]), float(room_today[b])
        rows, out = [], []
        for (q0, q1, q2), (b0, b1, b2), (w0, w1, w2), rate in zip(qb, buy_b, mix_b, rate_b,
                                                                  strict=True):
            # The same operations in the same order as _flow_one_age_one_segment: a run and
            # a Monte Carlo draw of the same values agree to the last bit.
            total = x0 + x1 + x2
            scale = min(1.0, max(0.0, (M - total) / room0))
            l0, l1, l2 = x0 * q0, x1 * q1, x2 * q2
            s0, s1, s2 = x0 - l0, x1 - l1, x2 - l2
            ref = total * rate
            i0, i1, i2 = (b0 + ref * w0) * scale, (b1 + ref * w1) * scale, (b2 + ref * w2) * scale
            wanted = i0 + i1 + i2
            room = max(M - (s0 + s1 + s2), 0.0)
            cut = room / wanted if wanted > room else 1.0
            rows.append((x0, x1, x2))
            out.append((l0 + l1 + l2, total * h0, (b0 + b1 + b2) * scale * cut,
                        ref * (w0 + w1 + w2) * scale * cut))
            x0, x1, x2 = s0 + i0 * cut, s1 + i1 * cut, s2 + i2 * cut
        active[b, :, 0] = rows
        series[:, b] = np.array(out).T
        end[b, 0, :, 0] = (x0, x1, x2)
        last[b, 0] = (i0 * cut, i1 * cut, i2 * cut)
    return Flow(active, series[0], series[2], series[3], series[1], end, last)


def _flow_one_age(n, hazard, factors, bought_in, referred_mix, referral_rate, market_size,
                  headroom_today) -> Flow:
    """The flow of many series with one age bucket (constant churn) on flat (B, S·C) arrays:
    a few whole-batch operations a month instead of sums over four axes (the Monte Carlo)."""
    batch, S, C, _ = n.shape
    H, K = factors.shape[1], S * C
    x = n[..., 0].reshape(batch, K)
    # Month-major copies, so each month reads contiguous rows.
    q = np.minimum(hazard[:, None, :, :, 0] * factors[:, :, None, :], 1.0)
    q = np.ascontiguousarray(np.broadcast_to(q, (batch, H, S, C)).reshape(batch, H, K)
                             .transpose(1, 0, 2))
    buy = np.ascontiguousarray(np.broadcast_to(bought_in, (batch, H, S, C))
                               .reshape(batch, H, K).transpose(1, 0, 2))
    mix = np.ascontiguousarray(np.broadcast_to(referred_mix[:, :, None, :], (batch, H, S, C))
                               .reshape(batch, H, K).transpose(1, 0, 2))
    rates = np.ascontiguousarray(np.broadcast_to(referral_rate, (batch, H)).T)
    bought_total = buy.sum(axis=2)
    base_q = np.broadcast_to(np.minimum(hazard[:, :, 0, 0], 1.0), (batch, S))
    to_segment = np.kron(np.eye(S), np.ones((C, 1)))  # (K, S): sums the classes of a segment
    from_segment = to_segment.T  # (S, K): a segment's value for each of its classes
    active = np.empty((H, batch, K))
    series = np.empty((4, H, batch))  # churned, baseline churned, bought, referred
    market = np.broadcast_to(market_size, (batch,))
    keep_all = 1.0 - q
    one_segment = S == 1
    for m in range(H):
        if one_segment:  # a plain row sum is cheaper than the matrix product
            total = x.sum(axis=1)
            by_seg = total[:, None]
            ref = (total * rates[m])[:, None] * mix[m]
        else:
            by_seg = x @ to_segment
            total = by_seg.sum(axis=1)
            ref = (by_seg * rates[m, :, None]) @ from_segment * mix[m]
        scale = np.clip((market - total) / headroom_today, 0.0, 1.0)
        survivors = x * keep_all[m]
        churned = total - survivors.sum(axis=1)
        inflow = (buy[m] + ref) * scale[:, None]
        wanted = inflow.sum(axis=1)
        room = np.maximum(market - total + churned, 0.0)
        cut = np.where(wanted > room, room / np.where(wanted > room, wanted, 1.0), 1.0)
        kept = scale * cut
        active[m] = x
        series[0, m] = churned
        series[1, m] = (by_seg * base_q).sum(axis=1)
        series[2, m] = bought_total[m] * kept
        series[3, m] = ref.sum(axis=1) * kept
        arrivals = inflow * cut[:, None]
        x = survivors + arrivals
    active = active.transpose(1, 0, 2)
    series = series.transpose(0, 2, 1)
    return Flow(active.reshape(batch, H, S, C), series[0], series[2], series[3], series[1],
                x.reshape(batch, S, C, 1), arrivals.reshape(batch, S, C))


def _flow_one_age_one_segment(n, hazard, factors, new, bought_mix, referred_mix, referral_rate,
                              market_size, headroom_today) -> Flow:
    """``_flow_one_age`` for one segment and three classes (the Monte Carlo's path): the three
    classes as one contiguous (3, B) block a month, every result written into a buffer made
    once (``out=``), so a month is about 30 numpy calls and no new arrays. Each number goes
    through the same operations in the same order as in ``_flow_one_segment``: a run and a
    Monte Carlo draw of the same values agree to the last bit (tested). ``new`` (1|B,): new
    customers bought a month; ``bought_mix`` (1|B, H, 3) their classes."""
    batch, H = factors.shape[0], factors.shape[1]
    # Month-major (H, 3, B) inputs: each month reads contiguous rows.
    q = np.empty((H, 3, batch))
    np.multiply(np.broadcast_to(hazard[:, 0, 0, 0], (batch,)), factors.transpose(1, 2, 0),
                out=q)
    np.minimum(q, 1.0, out=q)
    buy = np.empty((H, 3, batch))
    np.multiply(np.broadcast_to(new, (batch,)),
                np.broadcast_to(bought_mix, (batch, H, 3)).transpose(1, 2, 0), out=buy)
    mix = np.empty((H, 3, batch))
    mix[...] = np.broadcast_to(referred_mix, (batch, H, 3)).transpose(1, 2, 0)
    rates = np.ascontiguousarray(np.broadcast_to(referral_rate, (batch, H)).T)
    bought_total = buy[:, 0] + buy[:, 1] + buy[:, 2]  # (H, B)
    referred_share = mix[:, 0] + mix[:, 1] + mix[:, 2]
    base_q = np.ascontiguousarray(np.broadcast_to(np.minimum(hazard[:, 0, 0, 0], 1.0), (batch,)))
    market = np.ascontiguousarray(np.broadcast_to(market_size, (batch,)), dtype=float)
    room0 = np.ascontiguousarray(np.broadcast_to(headroom_today, (batch,)), dtype=float)
    active = np.empty((H + 1, 3, batch))  # row H: after the last month
    active[0] = np.broadcast_to(n[:, 0, :, 0], (batch, 3)).T
    series = np.empty((4, H, batch))  # churned, baseline churned, bought, referred
    total, scale, ref, wanted, room, cut = (np.empty(batch) for _ in range(6))
    leaving, survivors, inflow = (np.empty((3, batch)) for _ in range(3))
    # Bounds as arrays: numpy costs three times as much per call with a Python float operand,
    # and so with a (B,) row broadcast over (3, B); those few go row by row.
    zero, one = np.zeros(batch), np.ones(batch)
    with np.errstate(invalid="ignore", divide="ignore"):
        for m in range(H):
            x = active[m]
            np.add(x[0], x[1], out=total)
            total += x[2]
            np.subtract(market, total, out=scale)
            scale /= room0
            np.maximum(scale, zero, out=scale)
            np.minimum(scale, one, out=scale)
            np.multiply(x, q[m], out=leaving)
            np.subtract(x, leaving, out=survivors)
            np.multiply(total, rates[m], out=ref)
            w = mix[m]
            for c in range(3):
                np.multiply(ref, w[c], out=inflow[c])
            inflow += buy[m]
            for c in range(3):
                inflow[c] *= scale
            np.add(inflow[0], inflow[1], out=wanted)
            wanted += inflow[2]
            np.add(survivors[0], survivors[1], out=room)
            room += survivors[2]
            np.subtract(market, room, out=room)
            np.maximum(room, zero, out=room)
            # room / wanted where the inflow does not fit, else 1: the quotient is ≥ 1 exactly
            # when it fits, and fmin turns 0 / 0 (nothing wanted, no room) into 1.
            np.divide(room, wanted, out=cut)
            np.fmin(cut, one, out=cut)
            churned = series[0, m]
            np.add(leaving[0], leaving[1], out=churned)
            churned += leaving[2]
            np.multiply(total, base_q, out=series[1, m])
            np.multiply(bought_total[m], scale, out=series[2, m])
            series[2, m] *= cut
            np.multiply(ref, referred_share[m], out=series[3, m])
            series[3, m] *= scale
            series[3, m] *= cut
            for c in range(3):
                inflow[c] *= cut  # the arrivals
            np.add(survivors, inflow, out=active[m + 1])
    end = active[H].T[:, None, :, None]
    return Flow(active[:H].transpose(2, 0, 1)[:, :, None, :], series[0].T, series[2].T,
                series[3].T, series[1].T, end, inflow.T[:, None, :])
