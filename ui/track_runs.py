"""The Track page's model calls, cached: a plan's draws (keyed by the plan's frozen JSON, which
never changes), the update for a set of actuals (keyed by their CSV), the pre-posterior, and the
staged Monte Carlo of Decision analysis. Nothing else keeps a copy."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from model.analysis import Range
from model.simulation import Baseline
from model.tracking import (
    Plan,
    PlanDraws,
    StagedResult,
    Staging,
    Update,
    WhenWeKnow,
    plan_draws,
    read_actuals,
    staged_analysis,
    update,
    when_will_we_know,
)


@st.cache_resource(show_spinner="Simulating the plan's draws again…", max_entries=4)
def _draws(plan_json: str) -> PlanDraws:
    return Plan.from_json(plan_json).simulate()


def draws(plan: Plan) -> PlanDraws:
    return _draws(plan.to_json())


@st.cache_resource(show_spinner="Weighing the actuals…", max_entries=16)
def _update(plan_json: str, actuals_csv: str) -> Update:
    plan = Plan.from_json(plan_json)
    actuals = read_actuals(actuals_csv, plan.start_month, plan.horizon_months)
    return update(_draws(plan_json), plan.values, actuals, plan.staging)


def weigh(plan: Plan, actuals_csv: str) -> Update:
    return _update(plan.to_json(), actuals_csv)


@st.cache_resource(show_spinner="When will we know?…", max_entries=8)
def _when(plan_json: str) -> WhenWeKnow:
    plan = Plan.from_json(plan_json)
    return when_will_we_know(_draws(plan_json), seed=plan.seed)


def when(plan: Plan) -> WhenWeKnow:
    return _when(plan.to_json())


@st.cache_resource(show_spinner="Staged, all-in and nothing, draw by draw…", max_entries=8)
def _staged(values_key: tuple, baseline: Baseline | None, ranges: tuple[Range, ...],
            staging: tuple, draws_: int, seed: int, distribution: str
            ) -> tuple[StagedResult, WhenWeKnow]:
    st_ = Staging(*staging)
    d = plan_draws(dict(values_key), ranges, draws_, seed, distribution,
                   pilot_share=st_.pilot_share, baseline=baseline)
    result = staged_analysis(dict(values_key), st_, draws_result=d, seed=seed)
    return result, when_will_we_know(d, seed=seed)


def staged(values: Mapping[str, object], baseline: Baseline | None, ranges: tuple[Range, ...],
           staging: Staging, draws_: int, seed: int, distribution: str
           ) -> tuple[StagedResult, WhenWeKnow]:
    key = tuple(sorted(values.items()))
    return _staged(key, baseline, tuple(ranges), (staging.pilot_share, staging.gate_month,
                                        staging.threshold), draws_, seed, distribution)
