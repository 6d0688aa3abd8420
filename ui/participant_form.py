"""The participant's form on a phone: who they are, their vote and how sure, their own low /
likely / high for the assumptions the room is asked about, and sending it.

Built for 390 px: one column, one form, one button. Everything a participant types is checked by
``model.workshop.validate_answer`` (the same rules as ``cli.py workshop answer``); a refusal names
the assumption and keeps what was typed.
"""

from __future__ import annotations

import secrets

import streamlit as st

from model import workshop
from model.assumptions import BY_NAME
from model.library import Room, StoreError, Workshop
from ui.format import escape_markdown, percent

ME = "me"  # query parameter: the participant's key, so a reload keeps their answers together
ROUND_WORDS = {"before": "before the analysis", "after": "after the analysis"}
PARTS = ("low", "likely", "high")


def show(x: float) -> str:
    return percent(x, 1)


def participant_key() -> str:
    key = st.session_state.get("participant_key") or st.query_params.get(ME)
    if not isinstance(key, str) or not 8 <= len(key) <= 40 or not key.replace("-", "").replace(
            "_", "").isalnum():
        key = secrets.token_urlsafe(12)
    st.session_state["participant_key"] = key
    st.query_params[ME] = key
    return key


def prefill(room: Room, shop: Workshop, me: str) -> None:
    """Put the participant's stored answer (this round, else the last) into the form once."""
    if st.session_state.get("prefilled") == shop.current_round:
        return
    mine = room.mine(me)
    stored = mine.get(shop.current_round) or mine.get("before")
    st.session_state["prefilled"] = shop.current_round
    if stored is None:
        return
    st.session_state.update(p_name=stored.display_name, p_sure=round(stored.confidence * 100))
    if shop.current_round in mine:
        st.session_state["p_vote"] = workshop.VOTE_LABELS[stored.vote]
    for name, e in workshop.parse_estimates(stored.estimates_json).items():
        for part in PARTS:
            st.session_state[f"p_{name}_{part}"] = round(getattr(e, part) * 100, 2)


def estimate_inputs(name: str, today: float) -> dict[str, float | None] | None:
    """Three inputs in percent; None when all are empty (no view given)."""
    a = BY_NAME[name]
    st.markdown(f"**{workshop.QUESTIONS[name]}**")
    st.caption(f"{a.label}. Today's value in the model: **{show(today)}** "
               f"(allowed {show(a.min)} to {show(a.max)}). Leave empty if you have no view.")
    cols = st.columns(3)
    got = {part: col.number_input(f"{part.capitalize()} (%)", min_value=0.0, max_value=100.0,
                                  value=None, step=1.0, format="%.1f", key=f"p_{name}_{part}",
                                  placeholder=f"{today * 100:g}")
           for col, part in zip(cols, PARTS, strict=True)}
    if all(v is None for v in got.values()):
        return None
    return {part: (None if v is None else v / 100) for part, v in got.items()}


def form(shop: Workshop, me: str, today: dict) -> dict | None:
    """The answer form; the raw answer when it was sent (else None)."""
    with st.form("answer", border=False):
        name = st.text_input("Your name (optional)", key="p_name", max_chars=40)
        st.subheader("The one question")
        st.write("Are you ready to sacrifice short-term gains from your customers (“bad "
                 "profits”) for the sake of long-term relationships — knowing the payback is "
                 "uncertain and may come after your tenure ends?")
        vote = st.radio("Your answer", [workshop.VOTE_LABELS[v] for v in workshop.VOTES],
                        index=None, key="p_vote", horizontal=True)
        sure = st.slider("How sure are you? (%)", 0, 100, 50, step=5, key="p_sure")
        st.subheader("Your estimates")
        estimates = {}
        for asked in workshop.ASKED:
            got = estimate_inputs(asked, float(today[asked]))
            if got is not None:
                estimates[asked] = got
        if not st.form_submit_button("Send my answer", type="primary", width="stretch"):
            return None
    votes = {workshop.VOTE_LABELS[v]: v for v in workshop.VOTES}
    return {"participant": me, "name": name or None, "round": shop.current_round,
            "vote": votes.get(vote), "confidence": sure / 100, "estimates": estimates}


def send(room: Room, raw: dict) -> None:
    """Check and store the answer; say so, or say (in the participant's words) what to fix."""
    try:
        if raw["vote"] is None:
            raise workshop.AnswerError("vote", "choose yes, not yet or no")
        missing = next((k for k, e in raw["estimates"].items() if None in e.values()), None)
        if missing is not None:
            raise workshop.AnswerError(BY_NAME[missing].label,
                                       "fill in low, likely and high, or leave all three empty")
        room.submit(raw, show=show)
        st.success("Thank you — your answer is stored. You can change it and send it again.",
                   icon=":material/check_circle:")
    except workshop.AnswerError as err:
        label = next((BY_NAME[p].label for p in err.field.split(".") if p in BY_NAME), err.field)
        st.error(escape_markdown(f"{label}: {str(err).split(': ', 1)[1]}"),
                 icon=":material/warning:")
    except StoreError as err:
        st.error(escape_markdown(str(err)), icon=":material/warning:")


@st.fragment(run_every=5)
def watch_round(room: Room, shop: Workshop) -> None:
    """Reload the page when the facilitator opens the next round or closes the workshop."""
    try:
        now = room.state()
    except StoreError:
        return
    if (now.status, now.current_round) != (shop.status, shop.current_round):
        st.rerun(scope="app")
