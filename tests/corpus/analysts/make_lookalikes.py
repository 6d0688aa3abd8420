"""Write small look-alikes of the real public churn files issue 21 was measured on (none is copied:
every value is drawn here from known curves with fixed seeds). Run from the repository root:
``python tests/corpus/analysts/make_lookalikes.py``; the files are committed beside this script and
a test checks that the script still writes them byte for byte.

- telco_like.csv — the IBM Telco export's shape: customerID, tenure in whole months 0–72, Contract
  (Month-to-month / One year / Two year), MonthlyCharges, Churn Yes/No; the "Two year" segment has
  rare, late churn (a Weibull with a steep rising hazard: θ far below expit(−30)).
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


WRITERS = {"telco_like.csv": telco}


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
