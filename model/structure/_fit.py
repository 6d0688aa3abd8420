"""Tier shares and monthly transition rates from a customer file with a tier (or plan) column
observed at two dates.

| column      | meaning                                                        | type          |
|-------------|----------------------------------------------------------------|---------------|
| tier then   | the customer's tier at the first date                          | text          |
| tier now    | the tier at the second date; blank = no longer a customer      | text or blank |
| revenue     | optional: revenue per customer per month at the first date      | number        |

Rows whose first tier is blank (customers who joined in between) are left out. Over the Δ months
between the dates, of the customers in tier k at the first date who are still customers, a share
U_k is in a heavier tier and D_k in a lighter one; the monthly probabilities are
u_k = 1 − (1 − U_k)^(1/Δ) and d_k = 1 − (1 − D_k)^(1/Δ) (a move of two tiers counts as one step:
a Markov chain of one-step moves, Pfeifer & Carraway 2000). A tier's churn multiplier is its
share churned over the whole file's; its ARPU the mean revenue of its rows (when given).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.assumptions import ScenarioError

MIN_ROWS_PER_TIER = 1


@dataclass(frozen=True)
class TierFit:
    tiers: list[dict[str, object]]  # ready for a scenario's "tiers" (without ARPU if not given)
    customers: int  # rows with a first tier
    churned: int
    months: float
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"tiers": self.tiers, "customers": self.customers, "churned": self.churned,
                "months_between": self.months, "notes": list(self.notes)}


def _blank(x: pd.Series) -> pd.Series:
    return x.isna() | (x.astype(str).str.strip() == "")


def fit_tiers(frame: pd.DataFrame, then: str, now: str, months: float,
              order: Sequence[str] | None = None, revenue: str | None = None) -> TierFit:
    """Fit tiers from ``frame`` (see the module docstring). ``order`` lists the tiers from the
    lightest to the heaviest; without it they are ordered by mean revenue (when given), else
    alphabetically (and a note says so)."""
    for col, role in ((then, "the first date's tier"), (now, "the second date's tier"),
                      (revenue, "revenue")):
        if col is not None and col not in frame.columns:
            cols = ", ".join(map(str, frame.columns[:12]))
            raise ScenarioError(f"column {col!r} ({role}) is not in the file; its columns are "
                                f"{cols}")
    if not (isinstance(months, (int, float)) and np.isfinite(months) and 0 < months <= 120):
        raise ScenarioError(f"months: {months!r} is not allowed; give the months between the "
                            "two dates, a number above 0 up to 120")
    data = frame.loc[~_blank(frame[then])]
    if data.empty:
        raise ScenarioError(f"column {then!r} has no tier in any row; it should hold each "
                            "customer's tier at the first date")
    first = data[then].astype(str).str.strip()
    gone = _blank(data[now])
    second = data[now].astype(str).str.strip()
    notes = []
    arpu = None
    if revenue is not None:
        arpu = pd.to_numeric(data[revenue], errors="coerce")
        bad = arpu.isna() & ~_blank(data[revenue])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScenarioError(f"column {revenue!r}, row {data.index[row] + 2}: "
                                f"{data[revenue].iloc[row]!r} is not a number")
    names = sorted(set(first))
    if order is not None:
        order = [str(o).strip() for o in order]
        missing = sorted(set(first) - set(order))
        if missing:
            raise ScenarioError(f"tier {missing[0]!r} is in the file but not in the order "
                                f"given ({', '.join(order)}); list every tier")
        names = [o for o in order if o in set(first)]
    elif arpu is not None:
        means = arpu.groupby(first).mean()
        names = sorted(names, key=lambda n: (means.get(n, np.inf), n))
        notes.append("Tiers ordered by mean revenue, lightest first (give --order to set it).")
    else:
        notes.append("Tiers ordered alphabetically; give the order from the lightest to the "
                     "heaviest (--order) if that is not it.")
    unknown = sorted(set(second[~gone]) - set(names))
    if unknown:
        raise ScenarioError(f"column {now!r} holds the tier {unknown[0]!r}, which no customer "
                            f"has in {then!r}; the tiers are {', '.join(names)}")
    rank = {n: i for i, n in enumerate(names)}
    r1 = first.map(rank).to_numpy()
    r2 = np.where(gone, -1, second.map(rank).fillna(-1).to_numpy()).astype(int)
    total = len(data)
    churn_all = gone.mean()
    tiers = []
    for k, name in enumerate(names):
        mine = r1 == k
        n = int(mine.sum())
        stay = mine & ~gone.to_numpy()
        kept = int(stay.sum())
        up = float((r2[stay] > k).mean()) if kept else 0.0
        down = float((r2[stay] < k).mean()) if kept else 0.0
        churn_k = float(gone.to_numpy()[mine].mean())
        row: dict[str, object] = {
            "name": name, "share": n / total,
            "churn_multiplier": round(churn_k / churn_all, 6) if churn_all > 0 else 1.0,
            "upgrade": 0.0 if k == len(names) - 1 else 1.0 - (1.0 - up) ** (1.0 / months),
            "downgrade": 0.0 if k == 0 else 1.0 - (1.0 - down) ** (1.0 / months),
        }
        if arpu is not None:
            row["arpu"] = float(arpu[mine].mean())
        tiers.append(row)
    if arpu is None:
        notes.append("No revenue column: add each tier's arpu before using the tiers.")
    return TierFit(tiers, total, int(gone.sum()), float(months), tuple(notes))
