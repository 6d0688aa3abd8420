"""Decision analysis: Monte Carlo odds, tornado sensitivity, goal seek, optimal levers.

Pure numpy/scipy on top of ``model.simulation`` (no Streamlit). Every function takes a complete
scenario (``values``) and an optional calibrated ``Baseline``; the status quo is always simulated
with the same draws as the scenario, because business assumptions vary per draw too.

This door lists what the pages, the command line, the benchmarks and the other model packages
use; the implementation lives in private modules, one per idea: ``_ranges`` (low / likely /
high, from the table or JSON), ``_monte_carlo`` (correlated draws, no-response draws, odds and
fan bands), ``_tornado``, ``_break_even`` (payback search and goal seek), ``_investment`` (the
investment alone), ``_optimise`` (honesty × investment for the company, the CEO and the board),
``_response`` (the latent customer response: expectations over its prior), ``_full_analysis``
(all of them for one scenario, the CLI's ``analyze``).
"""

from model.analysis._break_even import GOAL_TARGETS, GoalSeek, goal_seek, goal_seek_choices
from model.analysis._full_analysis import full_analysis
from model.analysis._monte_carlo import (
    BLOCK,
    DEFAULT_DRAWS,
    DISTRIBUTIONS,
    MAX_DRAWS,
    MonteCarlo,
    ResponsePrior,
    block_batch,
    check_draws,
    check_seed,
    fan_table,
    histogram,
    monte_carlo,
    n_blocks,
    response_prior,
    run_block,
    sample,
    summarise,
)
from model.analysis._optimise import OBJECTIVES, LeverMap, Objectives, Optimum, optimise_levers
from model.analysis._ranges import (
    Range,
    default_ranges,
    load_ranges,
    parse_ranges,
    response_names,
    validate_ranges,
)
from model.analysis._response import expected_over_response
from model.analysis._tornado import Tornado, tornado

__all__ = [
    "BLOCK", "DEFAULT_DRAWS", "DISTRIBUTIONS", "GOAL_TARGETS", "MAX_DRAWS", "OBJECTIVES",
    "GoalSeek", "LeverMap", "MonteCarlo", "Objectives", "Optimum", "Range", "ResponsePrior", "Tornado",
    "block_batch", "check_draws", "check_seed", "default_ranges", "expected_over_response", "fan_table", "full_analysis", "goal_seek",
    "goal_seek_choices", "histogram", "load_ranges", "monte_carlo", "n_blocks",
    "optimise_levers", "parse_ranges", "response_names", "response_prior", "run_block", "sample", "summarise",
    "tornado", "validate_ranges",
]
