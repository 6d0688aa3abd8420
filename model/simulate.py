"""The model's public names, kept here for existing imports; the steps live in model/simulation/."""

from model.simulation import (
    Baseline,
    Run,
    Segment,
    Simulation,
    Summary,
    baseline_basics,
    compare_batch,
    default_baseline,
    monthly_table,
    run,
    simulate,
    status_quo_of,
    tenure_months,
)

__all__ = ["Baseline", "Run", "Segment", "Simulation", "Summary", "baseline_basics",
           "compare_batch", "default_baseline", "monthly_table", "run", "simulate",
           "status_quo_of", "tenure_months"]
