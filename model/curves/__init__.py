"""Retention curves: the monthly churn of a customer by age, one small private file per curve.

| file            | holds                                                                     |
|-----------------|---------------------------------------------------------------------------|
| _base.py        | ``RetentionCurve`` (what the model reads), ``PeriodCurve``, ``CurveSpec`` |
| _constant.py    | constant churn (``ConstantChurn`` monthly, ``GeometricCurve`` per period) |
| _sbg.py         | shifted-beta-geometric                                                    |
| _sbdw.py        | shifted-beta-discrete-Weibull (sBG with duration dependence)              |
| _weibull.py     | discrete Weibull                                                          |
| _km_curve.py    | the Kaplan–Meier estimate used as a retention curve                       |
| _registry.py    | the one list that drives fitting, labels, choices and colours             |

Formulas and references are in each file's docstring.
"""

from model.curves._base import (
    MAX_AGE_MONTHS,
    CurveSpec,
    PeriodCurve,
    RetentionCurve,
    StartHints,
    churn_in_year,
    hazard_table,
    monthly_from_annual,
    steady_state_age_mix,
    survival_by_age,
)
from model.curves._constant import ConstantChurn, GeometricCurve
from model.curves._km_curve import KaplanMeierCurve
from model.curves._registry import BEST, BY_KEY, CHOICES, CURVES, FITTED, colours, label
from model.curves._sbdw import SBdWCurve
from model.curves._sbg import SBGCurve
from model.curves._weibull import WeibullCurve

__all__ = ["BEST", "BY_KEY", "CHOICES", "CURVES", "FITTED", "MAX_AGE_MONTHS", "ConstantChurn",
           "CurveSpec", "GeometricCurve", "KaplanMeierCurve", "PeriodCurve", "RetentionCurve",
           "SBGCurve", "SBdWCurve", "StartHints", "WeibullCurve", "churn_in_year", "colours", "hazard_table", "label",
           "monthly_from_annual", "steady_state_age_mix", "survival_by_age"]
