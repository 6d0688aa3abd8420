"""The facilitator's live view of a workshop, for a projector: the join link and its controls,
the votes, the room's pooled views, and the odds on the room's ranges beside the table's.

The odds are the Decision analysis page's and ``cli.py analyze``'s figure: the room's view is
applied by ``model.workshop.apply_view`` and simulated by Decision analysis's own cached Monte
Carlo with its default draws and seed (``analysis.DEFAULT_DRAWS``, seed 0, PERT), so the three
agree draw for draw on the same scenario (tests/pages/test_workshop.py).
The live part refreshes itself; it redraws in place, without fading (``STEADY_CSS``).
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from model import workshop
from model.analysis import DEFAULT_DRAWS, MonteCarlo
from model.assumptions import defaults
from model.library import Library, StoreError, Workshop
from model.structure import Structure, Structured
from ui import analysis_runs, flash, workshop_charts, workshop_links
from ui.analysis_charts import ADDS_VALUE
from ui.format import escape_markdown, percent

REFRESH_SECONDS = 3
NO_STRUCTURE = Structure()  # a scenario of one mass of customers
SEED = 0
LIVE_KEY = "f_live"
# A refresh redraws the live part in about a tenth of a second: Streamlit's fade of elements being
# recomputed would only flicker on a projector. The numbers stay until new ones replace them.
STEADY_CSS = (f"<style>.st-key-{LIVE_KEY} .stElementContainer {{transition: none !important;}}"
              f" .st-key-{LIVE_KEY} .stElementContainer[data-stale='true'] "
              "{opacity: 1 !important;}</style>")
ODDS = (("Pays back inside your tenure", "p_payback_inside_tenure"),
        ("Pays back inside the horizon", "p_payback_inside_horizon"),
        (ADDS_VALUE, "p_delta_npv_positive"))


def room_odds(values: dict, view: workshop.RoomView | None,
              structure: Structure = NO_STRUCTURE) -> MonteCarlo:
    """The odds of ``values`` with the room's view applied (None: the table's ranges): Decision
    analysis's own cached Monte Carlo (one cache, one key), with its default draws and seed. With
    the analysed scenario's segments, tiers and fixes, each fix the room estimated is drawn from
    the room's low / likely / high (``workshop.apply_fixes``)."""
    applied, ranges = workshop.apply_view(values, view)
    if structure.empty:
        return analysis_runs.odds(applied, None, ranges, DEFAULT_DRAWS, SEED, "pert")
    structure, _ = workshop.apply_fixes(structure, view)
    return analysis_runs.odds(applied, Structured(structure, applied), ranges, DEFAULT_DRAWS,
                              SEED, "pert")


def header(lib: Library, shop: Workshop) -> None:
    """Where the room joins (link and QR code), and the round's controls."""
    left, right = st.columns([3, 1])
    with left:
        st.caption(f"Workspace {escape_markdown(shop.workspace)} · round: **{shop.current_round} "
                   f"the analysis** · {'open' if shop.status == 'open' else 'closed'}")
        st.markdown("**Join on your phone:** scan the code or open")
        st.code(workshop_links.join_url(shop), language=None)
        b1, b2, _ = st.columns(3)
        change = None
        if shop.status == "open" and shop.current_round == "before" and b1.button(
                "Start the vote after the analysis", key="f_after", type="primary"):
            change = {"current_round": "after"}
        if shop.status == "open" and b2.button("Close the workshop", key="f_close"):
            change = {"status": "closed"}
        if shop.status == "closed" and b2.button("Reopen the workshop", key="f_reopen"):
            change = {"status": "open"}
        if change is not None:
            lib.set_workshop(shop.id, **change)
            st.rerun()
    right.image(workshop_links.qr_png(workshop_links.join_url(shop), 8), caption="Scan to join",
                width=220)


def scenario(lib: Library, shop: Workshop) -> tuple[dict, Structure]:
    """The scenario the odds are computed for (the model's defaults unless one is picked), and
    its segments, tiers and fixes. Its fixes are what the phones ask the room to estimate: their
    names are kept with the workshop when the pick changes them."""
    try:
        entries = [e for e in lib.entries() if e.values is not None]
    except StoreError:
        entries = []
    choices = {"The model's defaults": (defaults(), Structure()),
               **{e.name: (e.values, e.structure) for e in entries}}
    # Opened again, the view starts from a scenario whose fixes the phones already ask about
    # (so a reload, or a list set with `cli.py workshop fixes`, is not wiped by the default).
    start = next((i for i, (_, st_) in enumerate(choices.values())
                  if shop.fixes and tuple(f.name for f in st_.fixes) == shop.fixes), 0)
    picked = st.selectbox("Scenario analysed", list(choices), key="f_scenario", index=start,
                          help="The odds below are those of this scenario; Decision analysis "
                               "shows the same figures for it on the workshop's ranges.")
    values, structure = choices[picked]
    names = tuple(f.name for f in structure.fixes)
    if names != shop.fixes:
        try:
            lib.set_workshop_fixes(shop.id, list(names))
        except StoreError as err:
            st.warning(escape_markdown(f"The phones could not be given this scenario's fixes: "
                                       f"{err}"))
    if structure.fixes:
        st.markdown("**Fixes the room can estimate** on their phones (the share of today's "
                    "churn fixing each removes):")
        st.text(", ".join(names))
    return values, structure


def _analysis(res: workshop.Results, values: dict, structure: Structure) -> None:
    st.subheader("The odds: the table's ranges beside the room's")
    table, room = room_odds(values, None, structure), room_odds(values, res.view(), structure)
    _, unknown = workshop.apply_fixes(structure, res.view())
    if unknown:  # st.text: names as typed stay plain text
        st.text("Estimated, but not a fix of this scenario (left out): " + ", ".join(unknown))
    for label, field in ODDS:
        a, b, c = st.columns([2, 1, 1])
        a.markdown(label)
        b.metric("Table", percent(getattr(table, field)), label_visibility="visible")
        c.metric("Room", percent(getattr(room, field)),
                 delta=f"{(getattr(room, field) - getattr(table, field)) * 100:+.0f} points")
    st.vega_lite_chart(spec=workshop_charts.spec(workshop_charts.fans_chart(table, room)),
                       width="stretch")
    st.caption(f"Room: the Monte Carlo ({DEFAULT_DRAWS:,} draws, seed {SEED}) draws each asked "
               "assumption from low = the smallest low, likely = the pooled median, high = the "
               "largest high; the chance of no response is the pooled median; a fix the room "
               "estimated is drawn the same way from its share of churn. Other assumptions "
               "and fixes keep the table's ranges.")


def live(lib: Library, shop: Workshop, values: dict,
         structure: Structure = NO_STRUCTURE) -> None:
    """Everything that changes as answers come in, redrawn every few seconds."""
    st.html(STEADY_CSS)

    @st.fragment(run_every=REFRESH_SECONDS)
    def refresh() -> None:
        with st.container(key=LIVE_KEY):
            try:
                res = lib.results(shop.id)
            except StoreError as err:
                st.warning(escape_markdown(str(err)))
                return
            st.caption(f"Updated {datetime.now():%H:%M:%S} · refreshes every {REFRESH_SECONDS} s",
                       help="The room's answers, votes and odds as they are now.")
            answered = {r: sum(res.votes[r].values()) for r in workshop.ROUNDS}
            c1, c2, c3 = st.columns(3)
            c1.metric("Participants", res.participants, help="People who sent an answer")
            c2.metric("Voted before", answered["before"])
            c3.metric("Voted after", answered["after"])
            if res.names:
                # st.text: plain text, never markdown (a name like "http://…" stays unlinked)
                st.text("Named: " + ", ".join(" ".join(n.split())[:40] for n in res.names))
            st.subheader("The vote: are you ready to sacrifice bad profits now?")
            st.vega_lite_chart(spec=workshop_charts.spec(workshop_charts.votes_chart(res)),
                               width="stretch")
            if not res.pooled:
                st.info("No estimates yet: they appear here as participants send them.")
                return
            st.subheader("What the room thinks")
            st.dataframe(workshop_charts.pooled_table(res, values, structure), hide_index=True,
                         width="stretch")
            cols = st.columns(2)
            for i, (name, p) in enumerate(res.pooled.items()):
                with cols[i % 2]:
                    st.markdown(f"**{escape_markdown(workshop_charts.question(name))}**")
                    st.vega_lite_chart(spec=workshop_charts.spec(
                        workshop_charts.pooled_chart(p, res.estimates[name])), width="stretch")
            _analysis(res, values, structure)

    refresh()


def keep_ranges(lib: Library, shop: Workshop) -> None:
    """"Use these ranges": keep the room's view in the workspace for Decision analysis and the
    command line (outside the live part, so its confirmation is not redrawn away)."""
    if not st.button("Use these ranges", key="f_use", help="Keep the room's ranges in the "
                     "workspace for the Decision analysis page and `cli.py analyze --ranges`"):
        return
    try:
        view = lib.results(shop.id).view()
        lib.keep_room_view(view)
    except StoreError as err:
        st.error(escape_markdown(str(err)))
        return
    flash.rerun_with("success", f"Saved {len(view.ranges)} ranges in workspace "
                                f"{escape_markdown(shop.workspace)}: Decision analysis uses "
                                "them when its ranges are “The workshop's”.")
