"""Commit and track: stage an investment, freeze a plan, learn from each month's actuals.

Pure numpy/scipy on top of ``model.analysis`` and ``model.simulation`` (no Streamlit). One idea
per private module:

| file              | holds                                                                      |
|-------------------|----------------------------------------------------------------------------|
| _draws.py         | the plan's Monte Carlo draws kept whole (and the pilot's path when staged)  |
| _evidence.py      | likelihood of monthly counts: churned binomial, new customers Poisson       |
| _gate.py          | ``Staging`` (pilot share, gate month, threshold) and the gate's verdict    |
| _staged.py        | staged vs all-in vs nothing inside the Monte Carlo; the option to stop     |
| _actuals.py       | monthly actuals from CSV, a typed table or a customer-level file           |
| _posterior.py     | re-weighting the draws by the actuals: posterior of r, odds, surprises     |
| _preposterior.py  | when will we know (and what would make it sooner)                           |
| _plan.py          | a committed plan: assumptions, seed, start month, staging, forecast fan     |
"""

from model.tracking._actuals import (
    COLUMNS,
    Actuals,
    ActualsError,
    actuals_from_customers,
    actuals_from_frame,
    empty,
    read_actuals,
    template_csv,
)
from model.tracking._draws import MONTHLY, PlanDraws, plan_draws
from model.tracking._evidence import LIKELIHOOD, effective_sample_size
from model.tracking._gate import Staging, verdict
from model.tracking._plan import DEFAULT_PLAN_DRAWS, Plan, check_start_month, freeze
from model.tracking._posterior import ESS_MIN, GateVerdict, Surprise, Update, update
from model.tracking._preposterior import WhenWeKnow, when_will_we_know
from model.tracking._staged import StagedResult, Strategy, staged_analysis

__all__ = ["COLUMNS", "DEFAULT_PLAN_DRAWS", "ESS_MIN", "LIKELIHOOD", "MONTHLY", "Actuals",
           "ActualsError", "GateVerdict", "Plan", "PlanDraws", "StagedResult", "Staging",
           "Strategy", "Surprise", "Update", "WhenWeKnow", "actuals_from_customers",
           "actuals_from_frame", "check_start_month", "effective_sample_size", "empty",
           "freeze", "plan_draws", "read_actuals", "staged_analysis", "template_csv", "update",
           "verdict", "when_will_we_know"]
