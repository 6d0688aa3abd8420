"""Decision analysis: the odds of paying back, what drives them, break-even effects, the investment gap."""

import hashlib
import pickle

import streamlit as st

from model import analysis
from model.assumptions import BY_NAME, ScenarioError
from ui import analysis_charts as charts
from ui import state
from ui.format import years
from ui.widgets import render_sidebar, widget_label

# --- cached model calls (hashable inputs: values as a sorted tuple, frozen baseline and ranges) --


@st.cache_data(show_spinner=False, max_entries=48)
def _block(values_key, baseline, ranges, draws, seed, distribution, block):
    return analysis.run_block(dict(values_key), baseline, ranges, draws, seed, distribution, block)


@st.cache_data(show_spinner="Summarising the draws…", max_entries=16)
def _monte_carlo(values_key, baseline, ranges, draws, seed, distribution):
    blocks = [_block(values_key, baseline, ranges, draws, seed, distribution, k)
              for k in range(analysis.n_blocks(draws))]
    return analysis.summarise(blocks, draws, seed, distribution)


@st.cache_data(show_spinner="Sensitivity: each assumption at its low and its high end…",
               max_entries=32)
def _tornado(values_key, baseline, ranges):
    return analysis.tornado(dict(values_key), baseline, ranges)


@st.cache_data(show_spinner="Searching the break-even…", max_entries=128)
def _break_even(values_key, baseline, name, target):
    return analysis.break_even(dict(values_key), name, target, baseline)


@st.cache_data(show_spinner="Searching the best investment for each horizon…", max_entries=32)
def _optimise(values_key, baseline):
    return analysis.optimise_investment(dict(values_key), baseline)


def _label(name: str) -> str:
    return widget_label(BY_NAME[name])


def _md(text: str) -> str:
    return text.replace("$", "\\$")  # a bare $ starts LaTeX in Streamlit markdown


def _or_stop(fn, *args):
    """Run a cached model call; a scenario or calibration it cannot use stops the page politely."""
    try:
        return fn(*args)
    except (ValueError, ArithmeticError) as err:
        st.error(f"The analysis could not run with these inputs: {err}. Reset the ranges or the "
                 "calibration, or change the assumptions in the sidebar.")
        st.stop()


def _reset_ranges() -> None:
    # A new key gives a fresh editor: Streamlit keeps a data editor's edits under its key.
    st.session_state["da_ranges_version"] = st.session_state.get("da_ranges_version", 0) + 1
    st.session_state.pop("da_ranges_good", None)


# --- read the scenario and the inputs -----------------------------------------------------------
values = render_sidebar()
baseline = state.current_baseline()
values_key = tuple(sorted(values.items()))
tenure_years = float(values["tenure_years"])
tenure_text = years(12 * tenure_years)
horizon = int(values["horizon_years"])

st.title("Decision analysis")
st.markdown("The dashboard shows one future. This page asks how sure you can be: the **odds** "
            "that the switch pays back, **what drives** the answer, how strong an effect must be "
            "to **break even**, and how much to **invest** — for the company, and for a leader "
            f"who stays {tenure_text}.")
if baseline is not None:
    cal = state.current_calibration()
    st.info(f"Calibrated with your churn data ({cal.label}): customers, revenue per customer "
            "and churn come from the data and are not varied here.", icon=":material/dataset:")

st.header("The odds", divider="gray")
c_draws, c_seed, c_dist = st.columns([1, 1, 2])
draws = int(c_draws.number_input(
    "Draws", min_value=100, max_value=analysis.MAX_DRAWS, value=analysis.DEFAULT_DRAWS,
    step=500, key="da_draws",
    help=f"Futures to simulate, up to {analysis.MAX_DRAWS:,}. More draws, steadier odds."))
seed = int(c_seed.number_input(
    "Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="da_seed",
    help="The same seed gives the same numbers; change it to see how much the odds move."))
distribution = c_dist.radio(
    "Shape of each range", analysis.DISTRIBUTIONS, horizontal=True, key="da_distribution",
    format_func={"pert": "PERT (most weight near likely)", "triangular": "Triangular"}.get,
    help="How the draws spread between low, likely and high.")

default_ranges = analysis.default_ranges(values, baseline)
with st.expander("Uncertainty ranges — edit low / likely / high to match your own view"):
    st.caption("Likely starts at the scenario's value. When your value lies outside the usual "
               "range, the range keeps its relative width around your value. Percentages as in "
               "the sidebar.")
    version = st.session_state.get("da_ranges_version", 0)
    edited = st.data_editor(
        charts.ranges_frame(default_ranges, _label), key=f"da_ranges_{version}",
        hide_index=True, num_rows="fixed", width="stretch",
        column_order=("Assumption", "Low", "Likely", "High"), disabled=("Assumption",),
        column_config={c: st.column_config.NumberColumn(c, format="%g", required=True)
                       for c in ("Low", "Likely", "High")})
    st.button("Reset ranges", key="da_reset_ranges", on_click=_reset_ranges)
    try:
        ranges = analysis.validate_ranges(charts.rows_from_frame(edited), show=charts.describe)
        st.session_state["da_ranges_good"] = ranges
    except ScenarioError as err:
        ranges = st.session_state.get("da_ranges_good", default_ranges)
        st.error(_md(f"{err}. Until then the analysis uses the last valid ranges."), icon=":material/warning:")

spec = (values_key, baseline, ranges, draws, seed, distribution)
# Run the blocks one by one under a progress bar, unless this exact analysis is already warm
# (then the cached summary below answers at once and no bar flickers).
memo = hashlib.sha256(pickle.dumps(spec)).hexdigest()
if st.session_state.get("da_mc_warm") != memo:
    bar = st.progress(0.0, text=f"Simulating {draws:,} futures…")
    total = analysis.n_blocks(draws)
    for k in range(total):
        _or_stop(_block, *spec, k)
        done = min((k + 1) * analysis.BLOCK, draws)
        bar.progress((k + 1) / total, text=f"Simulated {done:,} of {draws:,} futures…")
    bar.empty()
    st.session_state["da_mc_warm"] = memo
mc = _or_stop(_monte_carlo, *spec)

m1, m2, m3 = st.columns(3)
m1.metric("Pays back inside your tenure", charts.percent_text(mc.p_payback_inside_tenure),
          help=f"Share of draws in which the cumulative Δ discounted profit is ≥ 0 from the end "
               f"of your {charts.tenure_phrase(tenure_years)} on.")
m2.metric(f"Pays back within {horizon} years", charts.percent_text(mc.p_payback_inside_horizon),
          help="Share of draws in which the cumulative Δ discounted profit ends the horizon "
               "at or above zero.")
m3.metric("Adds value (ΔNPV > 0)", charts.percent_text(mc.p_delta_npv_positive),
          help="Share of draws in which the switch is worth more than the status quo over the "
               "horizon" + (", counting customers still active at its end."
                            if values["include_terminal_value"] else "."))
st.markdown(_md(charts.odds_sentence(mc)))
left, right = st.columns(2)
left.altair_chart(charts.fan_chart(mc), width="stretch", key="da_fan")
right.altair_chart(charts.delta_npv_histogram(mc), width="stretch", key="da_hist")

# --- sensitivity --------------------------------------------------------------------------------
st.header("What drives the answer", divider="gray")
st.caption("Each assumption moved alone to its low and its high end, all others at likely; "
           "sorted by how far the result swings.")
torn = _or_stop(_tornado, values_key, baseline, ranges)
st.altair_chart(charts.tornado_chart(torn, "delta_npv", _label), width="stretch",
                key="da_tornado_npv")
st.altair_chart(charts.tornado_chart(torn, "delta_inside_tenure", _label), width="stretch",
                key="da_tornado_tenure")

# --- break-even ---------------------------------------------------------------------------------
st.header("Break-even", divider="gray")
name = st.selectbox("Effect", analysis.BREAK_EVEN_CHOICES, format_func=_label,
                    key="da_break_even_name",
                    help="The smallest value of this effect at which the switch pays back, "
                         "searched over its whole allowed range; everything else as in the "
                         "scenario.")
b1, b2 = st.columns(2)
for column, target, title in ((b1, "tenure",
                               f"To pay back inside your {charts.tenure_phrase(tenure_years)}"),
                              (b2, "horizon", f"To pay back within {horizon} years")):
    be = _or_stop(_break_even, values_key, baseline, name, target)
    column.metric(title, charts.break_even_value(be),
                  help=f"Assumed now: {charts.describe(name, be.current)}.")
    column.caption(_md(charts.break_even_sentence(be, tenure_years)))

# --- investment ---------------------------------------------------------------------------------
st.header("How much to invest: the tenure gap", divider="gray")
curve = _or_stop(_optimise, values_key, baseline)
st.markdown(_md(charts.gap_sentence(curve)))
st.altair_chart(charts.investment_chart(curve), width="stretch", key="da_investment")
st.caption("Honesty and every other assumption stay as in the scenario; only the investment "
           "moves. Over the horizon = ΔNPV; inside your tenure = cumulative Δ discounted profit "
           "at the tenure end.")
