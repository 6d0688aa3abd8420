"""Decision analysis's model calls, cached on hashable inputs (values as a sorted tuple, frozen
baseline and ranges), and the Monte Carlo run block by block under a progress bar.

Each call's key leaves out the analysis settings it does not read, so moving the board's weight
does not re-run the Monte Carlo and moving the odds' settings does not re-run the optimiser. A
scenario or calibration the model cannot use stops the page with a sentence, never a traceback.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping

import streamlit as st

from model import analysis
from model.simulation import Baseline
from ui import state
from ui.fields import no_change
from ui.format import escape_markdown

_WARM_KEY = "da_mc_warm"  # the Monte Carlo whose blocks are all cached already
# The analyses this server process has summarised already (any session): a new visitor to a
# warm server gets the cached odds at once, without walking the blocks under a progress bar
# (issue 22, defect 11: the first figure on a warm server). Bounded like the cache it mirrors.
_WARM_MEMOS: dict[str, None] = {}
_WARM_MAX = 16


def _key(values: Mapping[str, object], *drop: str) -> tuple:
    return tuple(sorted((k, v) for k, v in values.items() if k not in drop))


@st.cache_data(show_spinner=False, max_entries=48)
def _block(values_key, baseline, ranges, draws, seed, distribution, block):
    return analysis.run_block(dict(values_key), baseline, ranges, draws, seed, distribution, block)


@st.cache_data(show_spinner="Summarising the draws…", max_entries=16)
def _monte_carlo(values_key, baseline, ranges, draws, seed, distribution):
    blocks = [_block(values_key, baseline, ranges, draws, seed, distribution, k)
              for k in range(analysis.n_blocks(draws))]
    v = dict(values_key)
    return analysis.summarise(blocks, draws, seed, distribution, v["p_no_response"],
                              v["effect_correlation"], v["response_likely"],
                              v["response_spread"])


@st.cache_data(show_spinner="Sensitivity: each assumption at its low and its high end…",
               max_entries=32)
def _tornado(values_key, baseline, ranges):
    return analysis.tornado(dict(values_key), baseline, ranges)


@st.cache_data(show_spinner="Searching the best honesty and investment for each owner…",
               max_entries=32)
def _levers(values_key, baseline):
    return analysis.optimise_levers(dict(values_key), baseline)


@st.cache_data(show_spinner="Goal seek…", max_entries=128)
def _goal_seek(values_key, baseline, name):
    return analysis.goal_seek(dict(values_key), name, baseline)


def _or_stop(fn, *args):
    """Run a cached model call; a scenario or calibration it cannot use stops the page politely."""
    try:
        return fn(*args)
    except (ValueError, ArithmeticError) as err:
        st.error(f"The analysis could not run with these inputs: {escape_markdown(err)}. Reset "
                 "the ranges or the calibration, or change the assumptions in the sidebar.")
        st.stop()


def monte_carlo(values: Mapping[str, object], baseline: Baseline | None, ranges: tuple,
                draws: int, seed: int, distribution: str) -> analysis.MonteCarlo:
    """The odds: the blocks one by one under a progress bar, unless this exact analysis is warm
    already (then the cached summary answers at once and no bar flickers)."""
    spec = (_key(values, "board_weight"), baseline, ranges, draws, seed, distribution)
    memo = hashlib.sha256(pickle.dumps(spec)).hexdigest()
    if st.session_state.get(_WARM_KEY) != memo and memo not in _WARM_MEMOS:
        bar = st.progress(0.0, text=f"Simulating {draws:,} futures…")
        total = analysis.n_blocks(draws)
        for k in range(total):
            _or_stop(_block, *spec, k)
            done = min((k + 1) * analysis.BLOCK, draws)
            bar.progress((k + 1) / total, text=f"Simulated {done:,} of {draws:,} futures…")
        bar.empty()
    st.session_state[_WARM_KEY] = memo
    mc = _or_stop(_monte_carlo, *spec)
    _WARM_MEMOS[memo] = None
    while len(_WARM_MEMOS) > _WARM_MAX:
        _WARM_MEMOS.pop(next(iter(_WARM_MEMOS)))
    return mc


def odds(values: Mapping[str, object], baseline: Baseline | None, ranges: tuple, draws: int,
         seed: int, distribution: str) -> analysis.MonteCarlo:
    """The same cached Monte Carlo as ``monte_carlo``, without a progress bar: for a view that
    refreshes itself (the workshop facilitator's), so both pages share one cache and one key."""
    return _or_stop(_monte_carlo, _key(values, "board_weight"), baseline, ranges, draws, seed,
                    distribution)


def has_switch(values: Mapping[str, object], baseline: Baseline | None) -> bool:
    """False when every lever is off: the scenario is the status quo to the cent, so there are no
    odds of a payback, no spread of a gain and nothing to break even (the dashboard's own run,
    cached)."""
    try:
        return not no_change(state.cached_run(dict(values), baseline).summary)
    except (ValueError, ArithmeticError):
        return True  # the analysis itself says why it cannot run


def _plain(values: Mapping[str, object]) -> tuple:
    """The scenario without the settings tornado and goal seek do not read."""
    return _key(values, "board_weight", "p_no_response", "response_likely", "response_spread",
                "effect_correlation")


def tornado(values: Mapping[str, object], baseline: Baseline | None,
            ranges: tuple) -> analysis.Tornado:
    """Each assumption alone at its low and its high end."""
    return _or_stop(_tornado, _plain(values), baseline, ranges)


def best_levers(values: Mapping[str, object], baseline: Baseline | None) -> analysis.LeverMap:
    """Honesty × investment for the company, the tenure and the board (reads the board's weight)."""
    return _or_stop(_levers, _key(values, "p_no_response", "response_likely",
                                  "response_spread", "effect_correlation"), baseline)


def goal_seek(values: Mapping[str, object], baseline: Baseline | None,
              name: str) -> analysis.GoalSeek:
    """The break-even value of one assumption."""
    return _or_stop(_goal_seek, _plain(values), baseline, name)
