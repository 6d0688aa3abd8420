"""The facilitator's view of one workshop, reached only by its own link (``?facilitator=ID.SECRET``).

For a projector: the join link and its QR code, who has answered, the votes before and after, each
assumption's pooled view with the spread of opinion, and the decision analysis on the room's
ranges beside the table's. The live part refreshes itself every few seconds.
"""

from __future__ import annotations

import io

import segno
import streamlit as st

from model import workshop
from model.analysis import MonteCarlo, Range, default_ranges, monte_carlo
from model.assumptions import defaults
from model.scenario import dump_scenario, parse_scenario
from model.store import StoreError, scenarios
from model.store import workshops as shops
from ui import workshop_charts
from ui.format import escape_markdown, percent
from ui.shell import require_app
from ui.workshop_links import base_url, open_from_link

require_app()

REFRESH_SECONDS = 3
DRAWS = 1_000


def qr_png(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=8, border=2)
    return buf.getvalue()


@st.cache_data(max_entries=32, show_spinner=False)
def odds(values_json: str, ranges: tuple[tuple[str, float, float, float], ...]) -> MonteCarlo:
    """The Monte Carlo for one scenario and one set of ranges (cached: the view refreshes often)."""
    return monte_carlo(parse_scenario(values_json), None,
                       [Range(*r) for r in ranges], DRAWS, seed=0)


def as_key(ranges) -> tuple[tuple[str, float, float, float], ...]:
    return tuple((r.name, float(r.low), float(r.likely), float(r.high)) for r in ranges)


# --- the workshop behind the link ---------------------------------------------------------------
store, shop = open_from_link("facilitator",
                             "The link may be mistyped, or the workshop's workspace was deleted.")

st.title(escape_markdown(shop.title))
join_url = f"{base_url()}/?join={shop.join_token}"
left, right = st.columns([3, 1])
with left:
    st.caption(f"Workspace {escape_markdown(shop.workspace)} · round: **{shop.current_round} the "
               f"analysis** · {'open' if shop.status == 'open' else 'closed'}")
    st.markdown("**Join on your phone:** scan the code or open")
    st.code(join_url, language=None)
    b1, b2, b3 = st.columns(3)
    if shop.status == "open" and shop.current_round == "before" and b1.button(
            "Start the vote after the analysis", key="f_after", type="primary"):
        shops.set_state(store, shop.id, current_round="after")
        st.rerun()
    if shop.status == "open" and b2.button("Close the workshop", key="f_close"):
        shops.set_state(store, shop.id, status="closed")
        st.rerun()
    if shop.status == "closed" and b2.button("Reopen the workshop", key="f_reopen"):
        shops.set_state(store, shop.id, status="open")
        st.rerun()
with right:
    st.image(qr_png(join_url), caption="Scan to join", width=220)

try:
    entries = [e for e in scenarios.list_entries(store, shop.workspace) if e.values is not None]
except StoreError:
    entries = []
choices = {"The model's defaults": defaults(), **{e.name: e.values for e in entries}}
picked = st.selectbox("Scenario analysed", list(choices), key="f_scenario",
                      format_func=escape_markdown, index=min(len(choices) - 1, 3))
values = choices[picked]


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    """Everything that changes as answers come in."""
    try:
        res = workshop.results(store, shop.id)
    except StoreError as err:
        st.warning(escape_markdown(str(err)))
        return
    answered = {r: sum(res.votes[r].values()) for r in workshop.ROUNDS}
    c1, c2, c3 = st.columns(3)
    c1.metric("Participants", res.participants, help="People who sent at least one answer")
    c2.metric("Voted before", answered["before"])
    c3.metric("Voted after", answered["after"])
    if res.names:
        # st.text: plain text, never markdown (a name like "http://…" stays unlinked)
        st.text("Named: " + ", ".join(" ".join(n.split())[:40] for n in res.names))
    st.subheader("The vote: are you ready to sacrifice bad profits now?")
    st.vega_lite_chart(spec=workshop_charts.spec(workshop_charts.votes_chart(res)), width="stretch")
    if not res.pooled:
        st.info("No estimates yet: they appear here as participants send them.")
        return
    st.subheader("What the room thinks")
    st.dataframe(workshop_charts.pooled_table(res, values), hide_index=True,
                 width="stretch")
    cols = st.columns(2)
    for i, (name, p) in enumerate(res.pooled.items()):
        with cols[i % 2]:
            st.markdown(f"**{escape_markdown(workshop.QUESTIONS[name])}**")
            st.vega_lite_chart(spec=workshop_charts.spec(
                workshop_charts.pooled_chart(p, res.estimates[name])), width="stretch")
    analysis(res)


def analysis(res: workshop.Results) -> None:
    st.subheader("The odds: the table's ranges beside the room's")
    room_values, room_ranges = workshop.overlay(values, res)
    table = odds(dump_scenario(values), as_key(default_ranges(values)))
    room = odds(dump_scenario(room_values), as_key(room_ranges))
    rows = [("Pays back inside your tenure", "p_payback_inside_tenure"),
            ("Pays back inside the horizon", "p_payback_inside_horizon"),
            ("Gains value over the horizon (ΔNPV > 0)", "p_delta_npv_positive")]
    for label, field in rows:
        a, b, c = st.columns([2, 1, 1])
        a.markdown(label)
        b.metric("Table", percent(getattr(table, field)), label_visibility="visible")
        c.metric("Room", percent(getattr(room, field)),
                 delta=f"{(getattr(room, field) - getattr(table, field)) * 100:+.0f} points")
    st.vega_lite_chart(spec=workshop_charts.spec(workshop_charts.fans_chart(table, room)),
                       width="stretch")
    if st.button("Use these ranges", key="f_use", help="Keep the room's ranges in the workspace "
                 "for the Decision analysis page and `cli.py analyze --ranges`"):
        try:
            scenarios.save_ranges(store, shop.workspace, workshop.ranges_json(res))
            st.success(f"Saved {len(res.ranges())} ranges in workspace "
                       f"{escape_markdown(shop.workspace)}.")
        except StoreError as err:
            st.error(escape_markdown(str(err)))
    st.caption("Room: the Monte Carlo draws each asked assumption from low = the smallest low, "
               "likely = the pooled median, high = the largest high; the chance of no response "
               "is the pooled median. Other assumptions keep the table's ranges.")


live()
