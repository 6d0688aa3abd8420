"""Usage tiers fitted from a customer file with a tier (or plan) column at two dates, on the
dashboard's "Usage tiers" tab: the fit of ``cli.py tiers fit`` (``model.structure.fit_tiers``,
Pfeifer & Carraway's one-step Markov chain), shown for checking, then used as the scenario's tiers.

Nothing is used until "Use these tiers" is pressed; a file or a choice that cannot be fitted says
why and leaves the tiers as they were. Without a revenue column each tier's ARPU is asked for
(it starts at the scenario's ARPU for every tier, and the table says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from model.assumptions import ScenarioError
from model.churn import ChurnDataError, read_source
from model.structure import TierFit, fit_tiers, parse_structure
from ui.format import escape_markdown, percent
from ui.segments_state import current_structure, set_structure
from ui.static_tables import show_static

NO_REVENUE = "(no revenue column)"
FILE_TYPES = ["csv", "gz", "parquet", "xlsx", "xls"]


def fit_panel(values: Mapping[str, object], version: int) -> None:
    """The upload, the column choice, the fitted tiers, and "Use these tiers"."""
    # A toggle, not an expander: the panel around it is one (Streamlit does not nest them).
    if not st.toggle("Fit the tiers from a customer file (each customer's tier at two dates)",
                     key="tier_fit_open"):
        return
    upload = st.file_uploader("Customer file (CSV, Excel or Parquet)", type=FILE_TYPES,
                              key=f"tier_file_{version}")
    st.caption("One row per customer: the tier (or plan) at a first date, the tier at a second "
               "date (blank: no longer a customer), and optionally the revenue per month at the "
               "first date. The same fit as `cli.py tiers fit`.")
    if upload is None:
        return
    try:
        frame = read_source(upload.getvalue(), upload.name).frame
    except ChurnDataError as e:
        st.error(escape_markdown(f"{upload.name}: {e}"), icon=":material/error:")
        return
    fit = _fit(frame)
    if fit is None:
        return
    tiers = _arpu(fit, float(values["arpu_monthly"]))
    if st.button("Use these tiers", key="tier_fit_use", type="primary",
                 help="Replaces the tiers in the table above with these."):
        try:
            new = parse_structure({"tiers": tiers}).tiers
        except ScenarioError as e:
            st.error(escape_markdown(f"Not used: {e}"), icon=":material/error:")
            return
        set_structure(replace(current_structure(), tiers=new))
        try:
            st.rerun(scope="fragment")
        except StreamlitAPIException:  # not inside a fragment run: a full one
            st.rerun()


def _fit(frame: pd.DataFrame) -> TierFit | None:
    columns = [str(c) for c in frame.columns]
    frame = frame.set_axis(columns, axis=1)
    left, right = st.columns(2)
    tiers, numbers = _guess(frame)
    then = left.selectbox("Tier at the first date", columns, index=tiers[0], key="tier_fit_then")
    now = right.selectbox("Tier at the second date", columns, index=tiers[1],
                          key="tier_fit_now")
    revenue = left.selectbox("Revenue per month at the first date", [NO_REVENUE, *columns],
                             index=numbers, key="tier_fit_revenue")
    months = right.number_input("Months between the two dates", min_value=0.5, max_value=120.0,
                                value=12.0, step=1.0, format="%.1f",
                                key="tier_fit_months")
    order = st.text_input("Tiers from the lightest to the heaviest (optional, separated by "
                          "commas)", key="tier_fit_order", max_chars=500)
    if then == now:
        st.info("Choose two different columns: the tier at the first date and at the second.")
        return None
    try:
        fit = fit_tiers(frame, then, now, float(months),
                        [o for o in order.split(",") if o.strip()] or None,
                        None if revenue == NO_REVENUE else revenue)
    except ScenarioError as e:
        st.error(escape_markdown(str(e)), icon=":material/error:")
        return None
    st.caption(f"{fit.customers:,} customers at the first date, {fit.churned:,} of them gone "
               f"by the second ({percent(fit.churned / fit.customers, 1)}), {fit.months:g} "
               "months apart. Upgrade and downgrade are monthly probabilities of a one-tier "
               "move; a tier's churn multiplier is its share gone over the whole file's.")
    for note in fit.notes:
        if note.startswith("No revenue column"):  # asked for below, with the ARPU table
            continue
        st.caption(escape_markdown(note.replace("(--order", "(the order box").replace(
            "(give --order to set it)", "(set the order box to change it)")))
    return fit


def _guess(frame: pd.DataFrame) -> tuple[tuple[int, int], int]:
    """First guesses: the first two text columns with a few distinct values (tiers), and the
    first numeric column after them (revenue; 0 = none)."""
    head = frame.head(5_000)
    few = [i for i, c in enumerate(head.columns)
           if not pd.api.types.is_numeric_dtype(head[c]) and 1 <= head[c].nunique() <= 50]
    pair = (few[0], few[1]) if len(few) >= 2 else (0, min(1, len(head.columns) - 1))
    numeric = [i for i, c in enumerate(head.columns)
               if i > pair[1] and pd.api.types.is_numeric_dtype(head[c])]
    return pair, (numeric[0] + 1 if numeric and few else 0)


def _arpu(fit: TierFit, scenario_arpu: float) -> list[dict[str, object]]:
    """The fitted tiers, with each tier's ARPU from the file, else asked for here."""
    table = pd.DataFrame(fit.tiers)
    if "arpu" in table:
        show_static(_shown(table), app_text=True)
        return fit.tiers
    st.warning(f"The file has no revenue column: give each tier's ARPU a month (it starts at the "
               f"scenario's {scenario_arpu:,.2f} for every tier, which would make the tiers "
               "differ only in churn and referrals).", icon=":material/edit:")
    table.insert(2, "arpu", scenario_arpu)
    edited = st.data_editor(_shown(table), key="tier_fit_arpu", hide_index=True,
                            disabled=[c for c in _shown(table).columns if c != "ARPU a month"],
                            width="stretch")
    arpu = pd.to_numeric(edited["ARPU a month"], errors="coerce").tolist()
    return [{**t, "arpu": a} for t, a in zip(fit.tiers, arpu, strict=True)]


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "Tier": table["name"].astype(str),
        "Share today": table["share"].map(lambda x: percent(x, 1)),
    })
    if "arpu" in table:
        out["ARPU a month"] = table["arpu"].astype(float)
    out["Churn ×"] = table["churn_multiplier"].map(lambda x: f"{x:.2f}")
    out["Upgrade a month"] = table["upgrade"].map(lambda x: percent(x, 2))
    out["Downgrade a month"] = table["downgrade"].map(lambda x: percent(x, 2))
    return out
