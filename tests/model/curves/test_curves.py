"""Retention curves: closed forms, the protocol the model reads, years answered per month."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from model.curves import (
    ConstantChurn,
    GeometricCurve,
    KaplanMeierCurve,
    RetentionCurve,
    SBGCurve,
    WeibullCurve,
    churn_in_year,
    hazard_table,
)


@pytest.mark.parametrize(("alpha", "beta"), [(0.704, 1.182), (0.668, 3.806), (2.5, 40.0)])
def test_sbg_survival_and_retention_match_closed_forms(alpha, beta):
    curve = SBGCurve(alpha, beta)
    t = np.arange(0, 30)
    np.testing.assert_allclose(curve.survival(t),
                               special.beta(alpha, beta + t) / special.beta(alpha, beta),
                               rtol=1e-12)
    tt = np.arange(1, 30)
    r = (beta + tt - 1) / (alpha + beta + tt - 1)
    np.testing.assert_allclose(curve.retention(tt), r, rtol=1e-12)
    np.testing.assert_allclose(curve.survival(tt) / curve.survival(tt - 1), r, rtol=1e-12)
    # Fader & Hardie's recursion: P(T=1) = α/(α+β), P(T=t) = (β+t−2)/(α+β+t−1) · P(T=t−1).
    p = [alpha / (alpha + beta)]
    for k in range(2, 30):
        p.append(p[-1] * (beta + k - 2) / (alpha + beta + k - 1))
    np.testing.assert_allclose(-np.diff(curve.survival(np.arange(0, 30))), p, rtol=1e-10)
    np.testing.assert_allclose(curve.monthly_hazard(np.arange(10.0)),
                               alpha / (alpha + beta + np.arange(10.0)), rtol=1e-12)


def test_weibull_and_constant_closed_forms():
    w = WeibullCurve(0.1, 0.7)
    t = np.arange(0, 20)
    np.testing.assert_allclose(w.survival(t), 0.9 ** (t ** 0.7), rtol=1e-12)
    assert np.all(np.diff(w.monthly_hazard(np.arange(1.0, 20.0))) < 0)  # c < 1: churn falls
    g = GeometricCurve(0.05)
    np.testing.assert_allclose(g.survival(t), 0.95 ** t, rtol=1e-12)
    assert g.monthly().monthly_churn == pytest.approx(0.05)


def test_fitted_curves_follow_the_protocol_and_are_hashable():
    for curve in (SBGCurve(1, 2), WeibullCurve(0.1, 0.8), GeometricCurve(0.1).monthly(),
                  KaplanMeierCurve((1.0, 0.8, 0.7), SBGCurve(1, 2))):
        assert isinstance(curve, RetentionCurve)
        hash(curve)
        h = hazard_table(curve)
        assert np.all((h >= 0) & (h <= 1))


@pytest.mark.parametrize("curve", [SBGCurve(0.7, 1.2, 12), WeibullCurve(0.3, 0.6, 12),
                                   KaplanMeierCurve((1.0, 0.6, 0.45, 0.4), None, 12)])
def test_yearly_curves_match_at_whole_years_with_constant_hazard_inside_a_year(curve):
    monthly = curve.monthly_hazard(np.arange(0.0, 12 * 6))
    surv_months = np.concatenate(([1.0], np.cumprod(1 - monthly)))
    np.testing.assert_allclose(surv_months[::12], curve.survival(np.arange(0, 7)), rtol=1e-10)
    for year in range(6):
        block = monthly[12 * year:12 * (year + 1)]
        assert np.ptp(block) < 1e-15
        assert block[0] == pytest.approx(1 - (1 - curve.period_hazard(np.array(year))) ** (1 / 12))


def test_churn_in_year_of_a_constant_curve_is_the_annual_rate():
    curve = ConstantChurn.from_annual(0.2)
    assert churn_in_year(curve, 1) == pytest.approx(0.2)
    assert churn_in_year(curve, 5) == pytest.approx(0.2)
    sbg = SBGCurve(0.7, 12.0)
    assert churn_in_year(sbg, 5) < churn_in_year(sbg, 1)  # survivors are the loyal ones


def test_survival_as_modelled_matches_whole_periods_and_the_monthly_model_inside():
    curve = SBGCurve(0.7, 1.2, 12)
    t = np.arange(0, 6)
    np.testing.assert_allclose(curve.survival_as_modelled(t), curve.survival(t), rtol=1e-12)
    months = np.arange(0, 72)
    monthly = np.concatenate(([1.0], np.cumprod(1 - curve.monthly_hazard(months.astype(float)))))
    np.testing.assert_allclose(curve.survival_as_modelled(np.arange(0, 73) / 12), monthly,
                               rtol=1e-10)
