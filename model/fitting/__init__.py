"""Fitting retention curves to churn data: counts by duration, Kaplan–Meier, maximum likelihood.

| file              | holds                                                                      |
|-------------------|----------------------------------------------------------------------------|
| _counts.py        | ``Counts``: customers by distinct duration, churned or still active        |
| _km_estimator.py  | the Kaplan–Meier estimator and its Greenwood band (``kaplan_meier``)       |
| _likelihood.py    | maximum likelihood for every fitted curve of ``model.curves``, AIC, BIC    |
| _projection.py    | projection bands (delta method); the holdout backtests by age and by date  |

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
from model.fitting._projection import (
    BAND_METHOD,
    Backtest,
    CalendarBacktest,
    CalendarHoldout,
    backtest,
    calendar_backtest,
    hazard_band,
    survival_band,
)

__all__ = ["BAND_METHOD", "Backtest", "CalendarBacktest", "CalendarHoldout", "Counts", "Fit",
           "KaplanMeier", "backtest", "best_by_aic", "calendar_backtest", "distinct", "fit_all",
           "fit_model",
           "hazard_band", "kaplan_meier", "km_curve", "loglik", "survival_band",
           "upper_churn_without_events"]
