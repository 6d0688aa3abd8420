"""Runs inside .venv-oracle (see oracle.py): one lifelines job, JSON on stdin, JSON on stdout."""

import json
import statistics
import sys
import time

import numpy as np
from lifelines import KaplanMeierFitter, WeibullFitter


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


JOBS = {"kaplan_meier": kaplan_meier, "weibull": weibull, "timed_kaplan_meier": timed_kaplan_meier}

if __name__ == "__main__":
    job = json.load(sys.stdin)
    d = np.asarray(job.pop("durations"), dtype=float)
    e = np.asarray(job.pop("events"), dtype=bool)
    json.dump(JOBS[job.pop("job")](d, e, **job), sys.stdout)
