"""Retention curves: the monthly churn of a customer by age, one small file per curve.

``base`` holds the protocol the model reads (``RetentionCurve``) and the shared machinery;
``constant``, ``sbg``, ``weibull`` and ``kaplan_meier`` one curve each (formula and reference in
their docstrings); ``registry`` the one list that drives fitting, labels, choices and colours.
"""

from model.curves.base import (
    MAX_AGE_MONTHS,
    CurveSpec,
    PeriodCurve,
    RetentionCurve,
    hazard_table,
    monthly_from_annual,
    steady_state_age_mix,
    survival_by_age,
)
from model.curves.constant import ConstantChurn, GeometricCurve
from model.curves.kaplan_meier import KaplanMeierCurve
from model.curves.registry import BEST, BY_KEY, CHOICES, CURVES, FITTED, colours, label
from model.curves.sbg import SBGCurve
from model.curves.weibull import WeibullCurve

__all__ = ["BEST", "BY_KEY", "CHOICES", "CURVES", "FITTED", "MAX_AGE_MONTHS", "ConstantChurn",
           "CurveSpec", "GeometricCurve", "KaplanMeierCurve", "PeriodCurve", "RetentionCurve",
           "SBGCurve", "WeibullCurve", "colours", "hazard_table", "label", "monthly_from_annual",
           "steady_state_age_mix", "survival_by_age"]
