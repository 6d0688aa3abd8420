"""Kaplan–Meier as a retention curve for the model: the data's own survival, step by step [1].

    S(t) = Π_{s ≤ t} (1 − d_s / n_s),    h(a) = 1 − S(a + 1) / S(a)

Beyond the last observed period the hazard continues with ``tail`` — the parametric curve chosen
with it (best by AIC unless the user picks another) — or, without a tail, with the last observed
period's hazard. The estimator itself (with its Greenwood band) is ``model.fitting.kaplan_meier``
(in model/fitting/_km_estimator.py).

[1] Kaplan, E. L. & Meier, P. (1958), "Nonparametric estimation from incomplete observations",
JASA 53.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.curves._base import CurveSpec, PeriodCurve


@dataclass(frozen=True)
class KaplanMeierCurve(PeriodCurve):
    """Kaplan–Meier survival as a step curve; ``survival_`` holds S(0) … S(T) at whole periods."""

    survival_: tuple[float, ...]
    tail: PeriodCurve | None = None
    months_per_period: int = 1
    name: str = "Kaplan–Meier"

    def _hazards(self) -> np.ndarray:
        s = np.asarray(self.survival_, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            h = np.where(s[:-1] > 0, 1.0 - s[1:] / s[:-1], 1.0)
        return h

    def period_hazard(self, a: np.ndarray) -> np.ndarray:
        a = np.asarray(a, dtype=float)
        h = self._hazards()
        if h.size == 0:
            return self.tail.period_hazard(a) if self.tail else np.zeros_like(a)
        idx = np.floor(a).astype(np.int64)
        inside = idx < h.size
        if self.tail is not None:
            beyond = self.tail.period_hazard(a)
        else:
            beyond = np.full_like(a, h[-1])
        return np.where(inside, h[np.clip(idx, 0, h.size - 1)], beyond)

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        tt = np.floor(np.max(t)) if t.size else 0.0
        grid = np.arange(int(tt) + 2, dtype=float)
        with np.errstate(divide="ignore"):
            log_s = np.concatenate(([0.0], np.cumsum(np.log1p(-np.minimum(
                self.period_hazard(grid[:-1]), 1.0)))))
        return log_s[np.floor(np.maximum(t, 0)).astype(np.int64)]


SPEC = CurveSpec(key="km", label="Kaplan–Meier", colour="#000000")
