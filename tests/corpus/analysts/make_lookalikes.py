"""Write small look-alikes of the real public churn files issue 21 was measured on (none is copied:
every value is drawn here from known curves with fixed seeds). Run from the repository root:
``python tests/corpus/analysts/make_lookalikes.py``; the files are committed beside this script and
a test checks that the script still writes them byte for byte.

- telco_like.csv — the IBM Telco export's shape: customerID, tenure in whole months 0–72, Contract
  (Month-to-month / One year / Two year), MonthlyCharges, Churn Yes/No; the "Two year" segment has
  rare, late churn (a Weibull with a steep rising hazard: θ far below expit(−30)).
- streaming_like.csv — a streaming service's subscriptions: customer_id, plan_days (30 / 90 / 365),
  subscription_start and subscription_end as timestamps with fractions of a second (blank end =
  still subscribed); subscriptions end at a renewal, so churn clusters just before whole months,
  and a promotion 121 days before the data was taken brought 1,200 monthly subscribers at once (still
  subscribed: seen for 3.98 months, just past the renewals that end at 3.94).
- bank_like.csv — a bank's churn file: CustomerId (8 digits), Surname, Age (18–92), Tenure in
  whole years 0–10 (no unit in the name), Balance, Exited 1/0.
- waltons_like.csv, rossi_like.csv, dd_like.csv, kidney_like.csv — the shapes of survival data
  sets lifelines ships: (T, E, group); (week, arrest, age, fin, prio); (start_year, duration in
  years, observed, regime); (time in days, death, age, sex).
- subscriptions_like.csv — five years of subscriptions with start and end dates (blank end =
  still subscribed) in two plans, one whose customers differ (sBG), one with constant churn: the
  file the calendar-window backtest is tested on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def _weibull_lifetimes(rng: np.random.Generator, rho: float, c: float, n: int) -> np.ndarray:
    """Whole periods until churn (≥ 1) with S(t) = exp(−ρ t^c)."""
    u = rng.uniform(size=n)
    return np.maximum(1, np.ceil((-np.log(u) / rho) ** (1 / c))).astype(np.int64)


def telco(rng: np.random.Generator) -> pd.DataFrame:
    contracts = {  # contract: (customers, lifetimes)
        "Month-to-month": (3875, lambda n: rng.geometric(rng.beta(0.9, 6.0, n))),
        "One year": (1473, lambda n: _weibull_lifetimes(rng, 2e-4, 2.0, n)),
        "Two year": (1695, lambda n: _weibull_lifetimes(rng, 1.9e-15, 7.5, n)),
    }
    frames = []
    for contract, (n, draw) in contracts.items():
        window = np.minimum(rng.integers(0, 73, n) + (contract == "Two year") * rng.integers(0, 40, n),
                            72)
        life = draw(n)
        churned = life <= window
        frames.append(pd.DataFrame({
            "tenure": np.where(churned, life, window), "Contract": contract,
            "MonthlyCharges": np.round(rng.uniform(18.25, 118.75, n), 2),
            "Churn": np.where(churned, "Yes", "No")}))
    out = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=7)
    out.insert(0, "customerID", [f"{rng.integers(1000, 9999)}-{''.join(rng.choice(list('ABCDEFGHIJKLMNOPQRSTUVWXYZ'), 5))}"
                                 for _ in range(len(out))])
    return out.reset_index(drop=True)


def streaming(rng: np.random.Generator) -> pd.DataFrame:
    first, last = np.datetime64("2013-01-01T00:00:00"), np.datetime64("2016-12-01T00:00:00")
    span = int((last - first) / np.timedelta64(1, "s"))
    plans = {30: (900, 0.16), 90: (400, 0.25), 365: (200, 0.35)}  # days: (customers, churn a renewal)
    frames = []
    for days, (n, q) in plans.items():
        start = first + rng.integers(0, span, n).astype("m8[s]") + rng.integers(
            0, 1_000_000, n).astype("m8[us]")
        renewals = rng.geometric(q, n)
        end = start + (renewals * days * 86_400 - rng.integers(0, 6 * 3600, n)).astype("m8[s]")
        frames.append(pd.DataFrame({"plan_days": days, "start": start, "end": end}))
    as_of = np.datetime64("2017-01-01T00:00:00")
    promo = as_of - np.timedelta64(121, "D") + rng.integers(0, 6 * 3600, 1200).astype("m8[s]")
    renewals = rng.geometric(0.16, 1200)
    frames.append(pd.DataFrame({"plan_days": 30, "start": promo,
                                "end": promo + (renewals * 30 * 86_400).astype("m8[s]")}))
    out = pd.concat(frames, ignore_index=True)
    active = out["end"].to_numpy() > as_of
    out = out.sample(frac=1.0, random_state=11).reset_index(drop=True)
    active = out["end"].to_numpy() > as_of
    text = lambda col: out[col].dt.strftime("%Y-%m-%d %H:%M:%S.%f")  # noqa: E731
    return pd.DataFrame({"customer_id": np.arange(100_001, 100_001 + len(out)),
                         "plan_days": out["plan_days"], "subscription_start": text("start"),
                         "subscription_end": np.where(active, "", text("end"))})


def bank(rng: np.random.Generator) -> pd.DataFrame:
    n = 2000
    tenure = rng.integers(0, 11, n)
    exited = rng.uniform(size=n) < 0.2
    return pd.DataFrame({"RowNumber": np.arange(1, n + 1),
                         "CustomerId": 15_565_000 + rng.permutation(250_000)[:n],
                         "Surname": rng.choice(["Hargrave", "Hill", "Onio", "Boni", "Mitchell"], n),
                         "Age": rng.integers(18, 93, n), "Tenure": tenure,
                         "Balance": np.round(rng.uniform(0, 250_000, n), 2),
                         "Exited": exited.astype(int)})


def _censored(rng, life: np.ndarray, window: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    event = life <= window
    return np.where(event, life, window), event.astype(int)


def waltons(rng: np.random.Generator) -> pd.DataFrame:
    n = 160
    t, e = _censored(rng, np.ceil(rng.weibull(3.0, n) * 55).astype(int), rng.integers(20, 80, n))
    return pd.DataFrame({"T": t, "E": e, "group": rng.choice(["control", "miR-137"], n)})


def rossi(rng: np.random.Generator) -> pd.DataFrame:
    n = 432
    week, arrest = _censored(rng, rng.geometric(0.006, n), np.full(n, 52))
    return pd.DataFrame({"week": week, "arrest": arrest, "fin": rng.integers(0, 2, n),
                         "age": rng.integers(17, 45, n), "prio": rng.integers(0, 19, n)})


def dd(rng: np.random.Generator) -> pd.DataFrame:
    n = 300
    start = rng.integers(1946, 2002, n)
    duration, observed = _censored(rng, rng.geometric(0.12, n), 2008 - start)
    return pd.DataFrame({"ctryname": rng.choice(["Andorra", "Belize", "Chad", "Denmark"], n),
                         "start_year": start, "duration": np.maximum(duration, 1),
                         "observed": observed,
                         "regime": rng.choice(["Parliamentary Dem", "Military Dict"], n)})


def kidney(rng: np.random.Generator) -> pd.DataFrame:
    n = 500
    time, death = _censored(rng, rng.geometric(0.0004, n), rng.integers(30, 3400, n))
    return pd.DataFrame({"time": time, "death": death, "age": rng.integers(9, 75, n),
                         "black_male": rng.integers(0, 2, n)})


def subscriptions(rng: np.random.Generator) -> pd.DataFrame:
    """Five years of monthly subscriptions (start and end dates, blank end = still subscribed on
    2024-01-01): plan "basic" churns as an sBG (customers differ: the loyal stay), plan "pro" at
    a constant 4 % a month — the calendar backtest must tell the two apart."""
    first, as_of = np.datetime64("2019-01-01", "D"), np.datetime64("2024-01-01", "D")
    frames = []
    for plan, n, draw in (("basic", 1500, lambda n: rng.beta(0.7, 3.5, n)),
                          ("pro", 1000, lambda n: np.full(n, 0.04))):
        start = first + rng.integers(0, int((as_of - first) / np.timedelta64(1, "D")), n)
        months = rng.geometric(draw(n))
        end = start + np.floor(months * 365.2425 / 12 - rng.uniform(0, 3, n)).astype("m8[D]")
        frames.append(pd.DataFrame({"plan": plan, "start": start, "end": end}))
    out = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=5)
    ended = out["end"].to_numpy() <= as_of
    return pd.DataFrame({"account_id": np.arange(500_001, 500_001 + len(out)),
                         "plan": out["plan"].to_numpy(),
                         "start_date": out["start"].dt.strftime("%Y-%m-%d").to_numpy(),
                         "end_date": np.where(ended, out["end"].dt.strftime("%Y-%m-%d"), "")})


WRITERS = {"telco_like.csv": telco, "streaming_like.csv": streaming, "bank_like.csv": bank,
           "waltons_like.csv": waltons, "rossi_like.csv": rossi, "dd_like.csv": dd,
           "kidney_like.csv": kidney, "subscriptions_like.csv": subscriptions}


def main(folder: Path = HERE) -> list[Path]:
    written = []
    for i, (name, make) in enumerate(WRITERS.items()):
        path = Path(folder) / name
        make(np.random.default_rng(2100 + i)).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
