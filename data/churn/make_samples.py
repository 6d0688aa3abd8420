"""Write the sample churn files in data/churn/ from known retention curves (fixed seeds).

Run ``python data/churn/make_samples.py``. The true curves are listed in ``TRUTH`` so tests and
the page can say what a good fit should find.

- customers.csv — one row per customer: id, segment, start and end dates (blank end = active on
  2026-10-31), a Yes/No churned flag and monthly revenue; three segments with different curves.
- tenure.csv — one row per customer: tenure in months, a 1/0 churned flag and the contract.
- cohorts.csv — a yearly cohort survival table (two cohorts of 1,000), Fader & Hardie style.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
AS_OF = np.datetime64("2026-10-31")
FIRST_START = np.datetime64("2019-01-01")
DAYS_PER_MONTH = 365.2425 / 12

# segment -> (curve, parameters, customers, mean monthly revenue); durations in months
TRUTH = {
    "Consumer": ("sbg", {"alpha": 0.8, "beta": 10.0}, 9000, 30.0),
    "Small business": ("weibull", {"theta": 0.04, "c": 0.7}, 4500, 85.0),
    "Enterprise": ("sbg", {"alpha": 1.5, "beta": 60.0}, 1500, 420.0),
}
TENURE_TRUTH = {"Monthly": ("sbg", {"alpha": 0.6, "beta": 5.0}, 4000),
                "Annual": ("sbg", {"alpha": 0.9, "beta": 25.0}, 2000)}
COHORT_TRUTH = {"Regular": {"alpha": 0.7, "beta": 1.2}, "High end": {"alpha": 0.67, "beta": 3.8}}


def lifetimes(rng: np.random.Generator, kind: str, p: dict[str, float], n: int) -> np.ndarray:
    """Periods until churn (≥ 1) drawn from an sBG or a discrete Weibull curve."""
    if kind == "sbg":
        theta = rng.beta(p["alpha"], p["beta"], n)
        return rng.geometric(np.maximum(theta, 1e-12)).astype(np.int64)
    u = rng.uniform(size=n)
    # S(t) = (1 − θ)^(t^c) < u  ⇔  t > (log u / log(1 − θ))^(1/c)
    return np.maximum(1, np.ceil((np.log(u) / np.log1p(-p["theta"])) ** (1 / p["c"]))).astype(
        np.int64)


def customers(seed: int = 20261122) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    span = int((AS_OF - FIRST_START).astype(int))
    for name, (kind, params, n, arpu) in TRUTH.items():
        start = FIRST_START + rng.integers(0, span, n).astype("m8[D]")
        life = lifetimes(rng, kind, params, n)
        # End somewhere inside the last month paid for, so whole months round back to ``life``.
        days = np.floor(life * DAYS_PER_MONTH - rng.uniform(0, 0.9, n) * DAYS_PER_MONTH)
        end = start + days.astype("m8[D]")
        churned = end <= AS_OF
        revenue = np.round(arpu * rng.lognormal(0.0, 0.25, n), 2)
        frames.append(pd.DataFrame({
            "segment": name, "start_date": start.astype(str),
            "end_date": np.where(churned, end.astype(str), ""),
            "churned": np.where(churned, "Yes", "No"), "monthly_revenue": revenue}))
    df = pd.concat(frames, ignore_index=True)
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    df.insert(0, "customer_id", [f"C{i:06d}" for i in range(1, len(df) + 1)])
    return df


def tenure(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for name, (kind, params, n) in TENURE_TRUTH.items():
        life = lifetimes(rng, kind, params, n)
        window = rng.integers(1, 61, n)  # months each customer has been watched
        churned = life <= window
        frames.append(pd.DataFrame({"tenure_months": np.where(churned, life, window),
                                    "churned": churned.astype(int), "contract": name}))
    df = pd.concat(frames, ignore_index=True)
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


def cohorts(seed: int = 2007, size: int = 1000, years: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    table = {"year": np.arange(years)}
    for name, p in COHORT_TRUTH.items():
        life = lifetimes(rng, "sbg", p, size)
        table[name] = [(life > t).sum() for t in range(years)]
    return pd.DataFrame(table)


def main(out: Path = HERE) -> list[Path]:
    written = []
    for name, df in (("customers.csv", customers()), ("tenure.csv", tenure()),
                     ("cohorts.csv", cohorts())):
        path = out / name
        df.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"{p}  {p.stat().st_size / 1e6:.2f} MB")
