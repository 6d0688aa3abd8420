"""Fitting retention curves to churn data: counts by duration, Kaplan–Meier, maximum likelihood.

``counts`` aggregates customers by distinct duration; ``kaplan_meier`` the product-limit estimate
and its band; ``likelihood`` the maximum-likelihood fits of every curve in ``model.curves.registry``
with Hessian standard errors, AIC and the choice of the best. The curves themselves (formulas and
references) live in ``model/curves/``; their classes are re-exported here for convenience.
"""

from model.curves import GeometricCurve, KaplanMeierCurve, SBGCurve, WeibullCurve
from model.fitting.counts import Counts, distinct
from model.fitting.kaplan_meier import KaplanMeier, kaplan_meier, km_curve
from model.fitting.likelihood import (
    Fit,
    best_by_aic,
    churn_in_year,
    crude_rate,
    fit_all,
    fit_model,
    loglik,
    upper_churn_without_events,
)

__all__ = ["Counts", "distinct", "Fit", "GeometricCurve", "KaplanMeier", "KaplanMeierCurve", "SBGCurve",
           "WeibullCurve", "best_by_aic", "churn_in_year", "crude_rate", "fit_all", "fit_model",
           "kaplan_meier", "km_curve", "loglik", "upper_churn_without_events"]
