"""The latent customer response r: a scenario with every response scaled by r, and the expected
figures over r's prior (a mass at 0, else a PERT within 0 … 1), by quadrature.

The prior is ``_monte_carlo.response_prior``; the Monte Carlo draws r with the other
uncertain assumptions, this module integrates over r alone with everything else at its likely
value (the five-demands walk's "accept that you do not know").
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.special import betaln

from model.analysis._monte_carlo import response_prior
from model.analysis._ranges import response_names
from model.assumptions import validate
from model.simulation import Baseline, simulate_pair

NODES = 24  # Gauss–Legendre nodes on (0, 1): exact for a polynomial prior times a smooth Δ(r)


def scaled_by_response(values: Mapping[str, object], response: float | np.ndarray
                       ) -> dict[str, object]:
    """The scenario with every response assumption multiplied by r (a scalar or an array)."""
    out: dict[str, object] = dict(values)
    for name in response_names():
        out[name] = np.asarray(response, dtype=float) * float(values[name])
    return out


def expected_over_response(values: Mapping[str, object], baseline: Baseline | None = None
                           ) -> dict[str, float]:
    """E[ΔNPV] and E[Δ inside the tenure] over the latent response's prior, and the same given
    that customers respond (r > 0) and that they do not (r = 0)."""
    full = validate(values)
    prior = response_prior(float(full["p_no_response"]), float(full["response_likely"]),
                           float(full["response_spread"]))
    if prior.high > prior.low:
        x, w = np.polynomial.legendre.leggauss(NODES)
        u = 0.5 * (x + 1.0)  # nodes on (0, 1) of the Beta, mapped onto low … high
        a, b = prior.alpha, prior.beta
        weights = 0.5 * w * np.exp((a - 1) * np.log(u) + (b - 1) * np.log1p(-u) - betaln(a, b))
        weights /= weights.sum()  # the quadrature's small error on the density's own integral
        r = prior.low + (prior.high - prior.low) * u
    else:
        r, weights = np.array([prior.likely]), np.ones(1)
    mass = prior.no_response
    points = np.concatenate([[0.0], r])
    _, _, cmp = simulate_pair(scaled_by_response(full, points), baseline)
    out = {}
    for key in ("delta_npv", "delta_inside_tenure"):
        silent, responding = float(cmp[key][0]), float(weights @ cmp[key][1:])
        out[key] = mass * silent + (1.0 - mass) * responding
        out[f"{key}_if_response"] = responding
        out[f"{key}_if_no_response"] = silent
    return out
