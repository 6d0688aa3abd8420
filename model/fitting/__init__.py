"""Fitting retention curves to churn data: counts by duration, Kaplan–Meier, maximum likelihood.

| file              | holds                                                                      |
|-------------------|----------------------------------------------------------------------------|
| _counts.py        | ``Counts``: customers by distinct duration, churned or still active        |
| _km_estimator.py  | the Kaplan–Meier estimator and its Greenwood band (``kaplan_meier``)       |
| _likelihood.py    | maximum likelihood for every fitted curve of ``model.curves``, AIC, best   |

The curves themselves (formulas and references) are ``model.curves``.
"""

from model.fitting._counts import Counts, distinct
from model.fitting._km_estimator import KaplanMeier, kaplan_meier, km_curve
from model.fitting._likelihood import (
    Fit,
    best_by_aic,
    fit_all,
    fit_model,
    loglik,
    upper_churn_without_events,
)

__all__ = ["Counts", "Fit", "KaplanMeier", "best_by_aic", "distinct", "fit_all", "fit_model",
           "kaplan_meier", "km_curve", "loglik", "upper_churn_without_events"]
