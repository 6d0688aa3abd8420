"""The one list of retention curves: it drives the fitter, the labels, the page's choices and the
chart colours. Adding a curve is one file beside this one and one entry here."""

from __future__ import annotations

from model.curves._base import CurveSpec
from model.curves._constant import SPEC as CONSTANT
from model.curves._km_curve import SPEC as KAPLAN_MEIER
from model.curves._sbdw import SPEC as SBDW
from model.curves._sbg import SPEC as SBG
from model.curves._weibull import SPEC as WEIBULL

# Order = order in tables, legends and the page's choices.
CURVES: tuple[CurveSpec, ...] = (SBG, SBDW, WEIBULL, CONSTANT, KAPLAN_MEIER)
BY_KEY: dict[str, CurveSpec] = {c.key: c for c in CURVES}
FITTED: tuple[CurveSpec, ...] = tuple(c for c in CURVES if c.fitted)  # by maximum likelihood
BEST = "best"  # the choice "each segment's best fitted curve by AIC"
CHOICES: tuple[str, ...] = (BEST, *(c.key for c in CURVES))  # what the model can be calibrated on


def label(key: str) -> str:
    """The curve's name for people ("Best by AIC" for the choice ``best``)."""
    return "Best by AIC" if key == BEST else BY_KEY[key].label


def colours() -> dict[str, str]:
    """Label → colour, for chart scales."""
    return {c.label: c.colour for c in CURVES}
