"""Runs inside .venv-oracle (see oracle.py): one lifelines job, JSON on stdin, JSON on stdout."""

import json
import statistics
import sys
import time

import numpy as np
from lifelines import KaplanMeierFitter, WeibullFitter
from scipy import optimize


def kaplan_meier(d, e, **_):
    kmf = KaplanMeierFitter().fit(d, e)
    ci = kmf.confidence_interval_
    return {"timeline": kmf.survival_function_.index.to_numpy().tolist(),
            "survival": kmf.survival_function_.iloc[:, 0].to_numpy().tolist(),
            "lower": ci.iloc[:, 0].to_numpy().tolist(), "upper": ci.iloc[:, 1].to_numpy().tolist()}


def weibull(d, e, **_):
    wf = WeibullFitter().fit(d, e)
    return {"lambda_": float(wf.lambda_), "rho_": float(wf.rho_),
            "log_likelihood": float(wf.log_likelihood_)}


def timed_kaplan_meier(d, e, repeats=5, **_):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        kmf = KaplanMeierFitter().fit(d, e)
        times.append(time.perf_counter() - t0)
    return {"seconds": statistics.median(times),
            "timeline": kmf.survival_function_.index.to_numpy().tolist(),
            "survival": kmf.survival_function_.iloc[:, 0].to_numpy().tolist(),
            "lower": kmf.confidence_interval_.iloc[:, 0].to_numpy().tolist(),
            "upper": kmf.confidence_interval_.iloc[:, 1].to_numpy().tolist()}


def discrete_weibull(d, e, **_):
    """The discrete Weibull S(t) = exp(−ρ t^c) by maximum likelihood, written out per customer
    (churn in period t: log(S(t−1) − S(t)); active after t: log S(t)) and maximised with scipy's
    Nelder–Mead in (log ρ, log c) from lifelines' continuous Weibull (S(t) = exp(−(t/λ)^ρ), the
    same survival at whole periods) — an implementation independent of the app's."""
    wf = WeibullFitter().fit(np.maximum(d, 1e-9), e)

    def neg(x):
        rho, c = np.exp(x)
        ls = -rho * d**c
        ls_before = -rho * np.maximum(d - 1, 0) ** c
        ll = np.sum(ls[~e]) + np.sum(ls_before[e] + np.log(-np.expm1(ls[e] - ls_before[e])))
        return -ll if np.isfinite(ll) else 1e300

    x0 = np.array([-wf.rho_ * np.log(wf.lambda_), np.log(wf.rho_)])
    best = None
    for start in (x0, x0 + [0.5, 0.0], x0 - [0.5, 0.0]):
        res = optimize.minimize(neg, start, method="Nelder-Mead",
                                options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000,
                                         "maxfev": 40000})
        best = res if best is None or res.fun < best.fun else best
    rho, c = np.exp(best.x)
    return {"theta": float(-np.expm1(-rho)), "c": float(c), "log_likelihood": float(-best.fun),
            "lifelines_rho_": float(wf.rho_), "lifelines_lambda_": float(wf.lambda_)}


def timed_km_weibull(d, e, groups=None, repeats=5, **_):
    """lifelines' KaplanMeierFitter and WeibullFitter on every group, timed together (median of
    ``repeats``): a benchmark's peer in the same run."""
    g = np.asarray(groups if groups is not None else np.zeros(d.size), dtype=object)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for key in np.unique(g):
            mask = g == key
            KaplanMeierFitter().fit(d[mask], e[mask])
            WeibullFitter().fit(np.maximum(d[mask], 1e-9), e[mask])
        times.append(time.perf_counter() - t0)
    return {"seconds": statistics.median(times)}


JOBS = {"timed_km_weibull": timed_km_weibull, "kaplan_meier": kaplan_meier, "weibull": weibull, "timed_kaplan_meier": timed_kaplan_meier,
        "discrete_weibull": discrete_weibull}

if __name__ == "__main__":
    job = json.load(sys.stdin)
    d = np.asarray(job.pop("durations"), dtype=float)
    e = np.asarray(job.pop("events"), dtype=bool)
    json.dump(JOBS[job.pop("job")](d, e, **job), sys.stdout)
