"""Decision analysis: Monte Carlo odds, tornado sensitivity, goal seek, optimal levers.

Pure numpy/scipy on top of ``model.simulate`` (no Streamlit). Every function takes a complete
scenario (``values``) and an optional calibrated ``Baseline``; the status quo is always simulated
with the same draws as the scenario, because business assumptions vary per draw too.

One file per idea: ``ranges`` (low / likely / high, from the table or JSON), ``monte_carlo``
(correlated draws, no-response draws, odds and fan bands), ``tornado``, ``break_even`` (payback
search and goal seek), ``investment`` (the investment alone), ``optimise`` (honesty ×
investment for the company, the CEO and the board), ``report`` (everything at once).
"""

from model.analysis.break_even import (
    BREAK_EVEN_CHOICES,
    BREAK_EVEN_TARGETS,
    GOAL_TARGETS,
    BreakEven,
    GoalSeek,
    break_even,
    goal_figures,
    goal_grid,
    goal_seek,
    goal_seek_choices,
)
from model.analysis.investment import InvestmentCurve, investment_effects, optimise_investment
from model.analysis.monte_carlo import (
    BLOCK,
    DEFAULT_DRAWS,
    DISTRIBUTIONS,
    MAX_DRAWS,
    QUANTILES,
    Block,
    MonteCarlo,
    block_batch,
    check_draws,
    check_seed,
    fan_table,
    histogram,
    iman_conover,
    monte_carlo,
    n_blocks,
    no_response_block,
    pair,
    pearson_for_spearman,
    run_block,
    sample,
    sample_block,
    summarise,
)
from model.analysis.optimise import NEAR, OBJECTIVES, LeverMap, Objectives, Optimum, optimise_levers
from model.analysis.ranges import (
    DATA_GIVEN,
    Range,
    collapse,
    default_ranges,
    load_ranges,
    parse_ranges,
    response_names,
    uncertain_names,
    validate_ranges,
)
from model.analysis.report import analyze
from model.analysis.tornado import Tornado, TornadoRow, base_values, tornado
from model.assumptions import BY_NAME, ScenarioError

__all__ = [
    "BLOCK", "BREAK_EVEN_CHOICES", "BREAK_EVEN_TARGETS", "BY_NAME", "DATA_GIVEN", "DEFAULT_DRAWS",
    "DISTRIBUTIONS", "GOAL_TARGETS", "MAX_DRAWS", "NEAR", "OBJECTIVES", "QUANTILES", "Block",
    "BreakEven", "GoalSeek", "InvestmentCurve", "LeverMap", "MonteCarlo", "Objectives",
    "Optimum", "Range", "ScenarioError", "Tornado", "TornadoRow", "analyze", "base_values",
    "block_batch", "break_even", "check_draws", "check_seed", "collapse", "default_ranges",
    "fan_table", "goal_figures", "goal_grid", "goal_seek", "goal_seek_choices", "histogram", "iman_conover",
    "investment_effects", "load_ranges", "monte_carlo", "n_blocks", "no_response_block",
    "optimise_investment", "optimise_levers", "pair", "parse_ranges", "pearson_for_spearman",
    "response_names", "run_block", "sample", "sample_block", "summarise", "tornado",
    "uncertain_names", "validate_ranges",
]
