"""Decision analysis: the odds of paying back, what drives them, the best levers for each owner, goal seek."""

import hashlib
import json
import pickle

import streamlit as st

from model import analysis, workshop
from model.assumptions import BY_NAME, ScenarioError
from model.library import StoreError
from ui import analysis_charts as charts
from ui import optimum_charts as levers
from ui import state, workspace
from ui.format import escape_markdown, years
from ui.shell import require_app
from ui.widgets import from_widget, key_of, render_sidebar, to_widget, widget_label

require_app()

# --- cached model calls (hashable inputs: values as a sorted tuple, frozen baseline and ranges) --
# Each call's key leaves out the analysis settings it does not read, so moving the board's weight
# does not re-run the Monte Carlo and moving the odds' settings does not re-run the optimiser.


@st.cache_data(show_spinner=False, max_entries=48)
def _block(values_key, baseline, ranges, draws, seed, distribution, block):
    return analysis.run_block(dict(values_key), baseline, ranges, draws, seed, distribution, block)


@st.cache_data(show_spinner="Summarising the draws…", max_entries=16)
def _monte_carlo(values_key, baseline, ranges, draws, seed, distribution):
    blocks = [_block(values_key, baseline, ranges, draws, seed, distribution, k)
              for k in range(analysis.n_blocks(draws))]
    v = dict(values_key)
    return analysis.summarise(blocks, draws, seed, distribution, v["p_no_response"],
                              v["effect_correlation"])


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


def _key(values, *drop):
    return tuple(sorted((k, v) for k, v in values.items() if k not in drop))


def _label(name: str) -> str:
    return widget_label(BY_NAME[name])


def _md(text: str) -> str:
    return text.replace("$", "\\$")  # a bare $ starts LaTeX in Streamlit markdown


def _or_stop(fn, *args):
    """Run a cached model call; a scenario or calibration it cannot use stops the page politely."""
    try:
        return fn(*args)
    except (ValueError, ArithmeticError) as err:
        st.error(f"The analysis could not run with these inputs: {escape_markdown(err)}. Reset "
                 "the ranges or the calibration, or change the assumptions in the sidebar.")
        st.stop()


def _setting(column, name: str) -> float:
    """A slider for one decision-analysis assumption, kept in the scenario like the sidebar's."""
    a = BY_NAME[name]
    shown = column.slider(widget_label(a), min_value=to_widget(a, a.min),
                          max_value=to_widget(a, a.max), step=to_widget(a, a.step),
                          key=key_of(name), help=a.meaning, format="%.0f%%")
    x = from_widget(a, shown)
    if x != state.current_values()[name]:
        state.set_values({**state.current_values(), name: x}, sync_widgets=False)
    return x


def _reset_ranges() -> None:
    # A new key gives a fresh editor: Streamlit keeps a data editor's edits under its key.
    st.session_state["da_ranges_version"] = st.session_state.get("da_ranges_version", 0) + 1
    st.session_state.pop("da_ranges_good", None)


def _saved_ranges() -> tuple[workshop.RoomView | None, str | None]:
    """The room's view a workshop kept in the workspace (or None), and a store error."""
    if lib is None:
        return None, workspace.problem()
    try:
        return lib.room_view(), None
    except StoreError as err:
        return None, str(err)


def _source_ranges(source: str, saved: workshop.RoomView | None) -> tuple[tuple, str | None]:
    """The ranges the chosen source gives, and why it fell back to the table's (or None)."""
    table = analysis.default_ranges(values, baseline)
    if source == "file":
        loaded = st.session_state.get("da_ranges_loaded")
        return (loaded, None) if loaded else (table, "Load a file below; until then the "
                                              "analysis uses the table's ranges.")
    if source == "workshop":
        if saved is None:
            return table, ("No workshop has saved ranges in this workspace yet (the "
                           "facilitator's \"Use these ranges\"); the analysis uses the table's.")
        return workshop.apply_view(values, saved, baseline)[1], None
    return table, None


def _load_ranges_file() -> None:
    file = st.session_state.get("da_ranges_file")
    if file is None:
        return
    try:
        loaded = analysis.parse_ranges(json.loads(file.getvalue().decode("utf-8")),
                                       state.current_values(), state.current_baseline())
    except (ValueError, UnicodeDecodeError) as err:  # ScenarioError and JSON errors
        st.session_state["da_ranges_file_error"] = f"{file.name}: {err}"
        return
    _reset_ranges()
    st.session_state["da_ranges_loaded"] = loaded
    st.session_state["da_ranges_file_name"] = file.name
    st.session_state["da_ranges_source"] = "file"  # loading a file means: use it
    st.session_state.pop("da_ranges_file_error", None)


# --- read the scenario and the inputs -----------------------------------------------------------
values = render_sidebar()
lib = workspace.select()  # saved workshop ranges belong to the workspace
ws_name = lib.name if lib is not None else ""
baseline = state.current_baseline()
tenure_years = float(values["tenure_years"])
horizon = int(values["horizon_years"])

st.title("Decision analysis")
st.markdown("The dashboard shows one future. This page asks how sure you can be: the **odds** "
            "that the switch pays back, **what drives** the answer, the **best plan** for the "
            "company, for a leader who stays "
            f"{years(12 * tenure_years)} and for the board, and the **break-even** of any "
            "assumption.")
if baseline is not None:
    cal = state.current_calibration()
    st.info(f"Calibrated with your churn data ({escape_markdown(cal.label)}): customers, revenue "
            "per customer and churn come from the data and are not varied here.",
            icon=":material/dataset:")

# --- the odds -----------------------------------------------------------------------------------
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
c_p, c_rho = st.columns(2)
_setting(c_p, "p_no_response")
_setting(c_rho, "effect_correlation")
values = state.current_values()

saved, store_error = _saved_ranges()
file_name = st.session_state.get("da_ranges_file_name")
source_labels = {
    "table": "The table's",
    "workshop": (f"The workshop's (saved in {escape_markdown(ws_name)})" if saved is not None
                 else "The workshop's (none saved yet)"),
    "file": f"A file ({escape_markdown(file_name)})" if file_name else "A file",
}
source = st.radio("Ranges", tuple(source_labels), key="da_ranges_source", horizontal=True,
                  format_func=source_labels.get,  # user text escaped above
                  on_change=_reset_ranges,
                  help="Where low / likely / high come from: the assumption table's ranges, "
                       "the ranges a workshop pooled and saved in this workspace, or a JSON "
                       "file. Names a workshop or file leaves out keep the table's ranges.")
default_ranges, fallback = _source_ranges(source, saved)
if store_error and source == "workshop":
    st.error(escape_markdown(store_error), icon=":material/warning:")
elif fallback:
    st.info(escape_markdown(fallback), icon=":material/info:")
with st.expander("Uncertainty ranges — edit low / likely / high, or load a file"):
    st.caption("Likely starts at the scenario's value. When your value lies outside the usual "
               "range, the range keeps its relative width around your value. Percentages as in "
               "the sidebar. A JSON file {\"name\": {\"low\": …, \"likely\": …, \"high\": …}} "
               "replaces the ranges it names (model units: fractions as 0.25).")
    st.file_uploader("Load ranges (JSON)", type=["json"], key="da_ranges_file",
                     on_change=_load_ranges_file)
    if st.session_state.get("da_ranges_file_error"):
        st.error(escape_markdown(st.session_state["da_ranges_file_error"]),
                 icon=":material/warning:")
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
        st.error(_md(f"{err}. Until then the analysis uses the last valid ranges."),
                 icon=":material/warning:")

mc_key = _key(values, "board_weight")
spec = (mc_key, baseline, ranges, draws, seed, distribution)
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

n_effects = sum(1 for r in ranges if r.name in analysis.response_names())
edited_ranges = ranges != default_ranges  # edited in the table, against the chosen source
where = {"workshop": "the workshop's pooled ranges",
         "file": f"the ranges of {escape_markdown(file_name)}"}.get(source) if not fallback else None
# rests_on's own words hold no $ (no _md); the file name is escaped on its own.
st.markdown(charts.rests_on(mc, len(ranges), n_effects, edited_ranges, where))
for column, (title, p, line) in zip(st.columns(3), charts.odds_lines(
        mc, tenure_years, horizon, bool(values["include_terminal_value"])), strict=True):
    column.metric(title, charts.percent_text(p))
    column.caption(_md(line))
st.markdown(_md(charts.odds_sentence(mc)))
left, right = st.columns(2)
left.altair_chart(charts.fan_chart(mc), width="stretch", key="da_fan")
right.altair_chart(charts.delta_npv_histogram(mc), width="stretch", key="da_hist")

# --- sensitivity --------------------------------------------------------------------------------
st.header("What drives the answer", divider="gray")
st.caption("Each assumption moved alone to its low and its high end (the values at the bars' "
           "ends), all others at likely; sorted by how far the result swings.")
plain_key = _key(values, "board_weight", "p_no_response", "effect_correlation")
torn = _or_stop(_tornado, plain_key, baseline, ranges)
st.altair_chart(charts.tornado_chart(torn, "delta_npv", _label), width="stretch",
                key="da_tornado_npv")
st.altair_chart(charts.tornado_chart(torn, "delta_inside_tenure", _label), width="stretch",
                key="da_tornado_tenure")

# --- the best levers for each owner -------------------------------------------------------------
st.header("The best plan: for the company, for you, for the board", divider="gray")
(c_weight,) = st.columns(1)
_setting(c_weight, "board_weight")
values = state.current_values()
lm = _or_stop(_levers, _key(values, "p_no_response", "effect_correlation"), baseline)
st.markdown(_md(levers.gap_sentence(lm)))
for column, key in zip(st.columns(3), analysis.OBJECTIVES, strict=True):
    column.altair_chart(levers.heatmap_chart(lm, key), width="stretch", key=f"da_heat_{key}")
    column.markdown(_md(levers.optimum_sentence(lm, key)))
st.caption(f"{levers.MARKS_LEGEND}. Every other assumption as in the scenario, at its likely "
           "value. Blue: the switch "
           "gains against carrying on as today; orange: it loses. The board's view is the gain "
           "inside the tenure plus its weight times everything the switch adds after the tenure "
           "(the change in customer equity the next leader inherits).")

# --- goal seek ----------------------------------------------------------------------------------
st.header("Goal seek: where does the switch break even?", divider="gray")
choices = analysis.goal_seek_choices(baseline)
name = st.selectbox("Assumption", choices, format_func=_label, key="da_goal_name",
                    index=choices.index("discount_rate_annual"),
                    help="The value of this assumption at which the switch breaks even, searched "
                         "over its whole allowed range; everything else as in the scenario. On "
                         "the discount rate it is the switch's internal rate of return.")
gs = _or_stop(_goal_seek, plain_key, baseline, name)
for column, target in zip(st.columns(3), analysis.GOAL_TARGETS, strict=True):
    column.metric(levers.GOAL_TITLES[target], levers.goal_value(gs, target),
                  help=f"Assumed now: {charts.describe(name, gs.current)}.")
    column.caption(_md(levers.goal_sentence(gs, target)))
