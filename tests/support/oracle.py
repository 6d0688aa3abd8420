"""lifelines as a test oracle, run in its own virtual environment.

lifelines 0.30.3 (the current release) requires pandas < 3, and the app runs on pandas 3. So the
oracle does not share the app's environment: ``tests/run.sh`` builds ``.venv-oracle`` from
``requirements-oracle.txt`` (lifelines with the pandas it supports), and each call here runs
``oracle_worker.py`` there on the same data, as JSON in and out. The numbers compared are
lifelines' own, computed for real on every run; nothing is stored.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence

import numpy as np

from tests.support.app import ROOT

PYTHON = ROOT / ".venv-oracle" / "bin" / "python"
WORKER = ROOT / "tests" / "support" / "oracle_worker.py"
MISSING = ("the lifelines oracle is not installed: run `bash tests/run.sh` once (it builds "
           ".venv-oracle from requirements-oracle.txt)")


class OracleMissing(RuntimeError):
    pass


def call(job: str, durations: Sequence[float], events: Sequence[bool], **options) -> dict:
    """Run ``job`` of oracle_worker.py in the oracle's environment and return its JSON answer."""
    if not PYTHON.exists():
        raise OracleMissing(MISSING)
    payload = {"job": job, "durations": np.asarray(durations, dtype=float).tolist(),
               "events": np.asarray(events, dtype=bool).tolist(), **options}
    done = subprocess.run([str(PYTHON), str(WORKER)], input=json.dumps(payload), text=True,
                          capture_output=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the lifelines oracle failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def kaplan_meier(durations, events) -> dict[str, np.ndarray]:
    """lifelines' KaplanMeierFitter: ``timeline``, ``survival`` and its default 95 % band
    (``lower``, ``upper``), each an array over lifelines' timeline."""
    out = call("kaplan_meier", durations, events)
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}


def weibull(durations, events) -> dict[str, float]:
    """lifelines' WeibullFitter: ``lambda_``, ``rho_`` and ``log_likelihood``."""
    return call("weibull", durations, events)


def timed_kaplan_meier(durations, events, repeats: int) -> dict:
    """KaplanMeierFitter timed inside the oracle's process (median seconds of ``repeats``),
    with its survival over the timeline: a benchmark's peer in the same run."""
    out = call("timed_kaplan_meier", durations, events, repeats=repeats)
    return {k: (np.asarray(v, dtype=float) if isinstance(v, list) else v) for k, v in out.items()}


def discrete_weibull(durations, events) -> dict[str, float]:
    """The discrete Weibull's maximum likelihood computed independently in the oracle's process
    (scipy Nelder–Mead on the per-customer likelihood, started from lifelines' WeibullFitter):
    ``theta``, ``c``, ``log_likelihood``, and lifelines' own ``lifelines_rho_`` / ``_lambda_``."""
    return call("discrete_weibull", durations, events)


def timed_km_weibull(durations, events, groups, repeats: int) -> float:
    """Seconds (median of ``repeats``) lifelines takes for Kaplan–Meier + Weibull on every group,
    timed inside the oracle's process."""
    return call("timed_km_weibull", durations, events, groups=[str(g) for g in groups],
                repeats=repeats)["seconds"]
