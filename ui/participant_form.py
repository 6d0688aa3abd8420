"""The participant's form on a phone: who they are, their vote and how sure, their own low /
likely / high for the assumptions the room is asked about, and sending it.

Built for 390 px: one column, one form, one button. Everything a participant types is checked by
``model.workshop.validate_answer`` (the same rules as ``cli.py workshop answer``); a refusal names
the assumption and keeps what was typed.

Who answers (``participant_key``): a secret made by the server for this browser and kept in a
cookie of the app's own origin (set by a script on the page; ``SameSite=Strict``), never in the
address. The stored key is a hash of it. Reloading the page, or opening the link again in the same
browser, is the same participant; the same link opened anywhere else (a copied address bar, a
forwarded link) is a new participant and can never overwrite anyone's answer. Within one visit
the secret also lives in ``st.session_state``, so it holds before the browser has sent the cookie
back (Streamlit reads cookies when a page is opened).

Rounds: the form remembers the round it was drawn for (``DRAWN_KEY``) and sends its answer for
that round; when the facilitator moved on meanwhile, the store refuses it and the page says so
(a "before" answer never becomes an "after" vote).
"""

from __future__ import annotations

import hashlib
import re
import secrets

import streamlit as st

from model import workshop
from model.assumptions import BY_NAME
from model.library import Room, StoreError, Workshop
from ui import workshop_charts
from ui.format import escape_markdown, percent
from ui.shell import set_browser_cookie

OLD_ME = "me"  # the query parameter that carried a participant's key in earlier versions
ROUND_WORDS = {"before": "before the analysis", "after": "after the analysis"}
PARTS = ("low", "likely", "high")
SEND_KEY = "p_send"  # the send button: True in the run it was pressed
DRAWN_KEY = "p_round"  # the round the form was last drawn for
COOKIE_DAYS = 30
_SECRET = re.compile(r"[A-Za-z0-9_-]{32,64}")


def show(x: float) -> str:
    return percent(x, 1)


def _cookie_name(shop: Workshop) -> str:
    return f"oneq_p_{shop.id}"


def participant_key(shop: Workshop) -> str:
    """Who answers in this browser (see the module docstring)."""
    name = _cookie_name(shop)
    secret = st.session_state.get(name) or st.context.cookies.get(name)
    if not isinstance(secret, str) or not _SECRET.fullmatch(secret):
        secret = secrets.token_urlsafe(32)
    st.session_state[name] = secret
    if st.context.cookies.get(name) != secret:
        set_browser_cookie(name, secret, COOKIE_DAYS * 86400)
    if OLD_ME in st.query_params:  # an identity in the address is never used, nor kept there
        del st.query_params[OLD_ME]
    return "p-" + hashlib.sha256(f"{shop.id}.{secret}".encode()).hexdigest()[:40]


def prefill(room: Room, shop: Workshop, me: str) -> bool:
    """Fill the form once per round: this round's stored answer, else the vote left empty (a new
    round asks for a new vote) and the estimates kept. Returns True when the round just changed
    under an open form."""
    if st.session_state.get("prefilled") == shop.current_round:
        return False
    moved_on = st.session_state.get("prefilled") is not None
    st.session_state["prefilled"] = shop.current_round
    st.session_state.setdefault("p_sure", 50)
    mine = room.mine(me)
    stored = mine.get(shop.current_round) or (None if moved_on else mine.get("before"))
    st.session_state["p_vote"] = (workshop.VOTE_LABELS[stored.vote]
                                  if stored is not None and shop.current_round in mine else None)
    if stored is None:
        return moved_on
    st.session_state.update(p_name=stored.display_name, p_sure=round(stored.confidence * 100))
    asked = {_same(f): i for i, f in enumerate(shop.fixes)}
    for name, e in workshop.parse_estimates(stored.estimates_json).items():
        fix = workshop.fix_name_of(name)
        if fix is not None:  # a fix's effect goes to that fix's row, if the room is asked it
            if _same(fix) not in asked:
                continue
            name = f"fix{asked[_same(fix)]}"
        for part in PARTS:
            st.session_state[f"p_{name}_{part}"] = round(getattr(e, part) * 100, 2)
    return moved_on


def closed_page() -> None:
    """The plain page of a closed workshop; says so when an answer arrived just after closing."""
    late = bool(st.session_state.get(SEND_KEY))
    st.title("The workshop is closed")
    st.write("Your last answer arrived after the facilitator closed the workshop, so it was not "
             "stored. Thank you for taking part." if late else "Thank you for taking part.")
    st.stop()


def estimate_inputs(name: str, today: float) -> dict[str, float | None] | None:
    """Three inputs in percent; None when all are empty (no view given)."""
    a = BY_NAME[name]
    st.markdown(f"**{workshop.QUESTIONS[name]}**")
    st.caption(f"{a.label}. Today's value in the model: **{show(today)}** "
               f"(allowed {show(a.min)} to {show(a.max)}). Leave empty if you have no view.")
    cols = st.columns(3)
    got = {part: col.number_input(f"{part.capitalize()} (%)", min_value=0.0, max_value=100.0,
                                  value=None, step=1.0, format="%.1f", key=f"p_{name}_{part}",
                                  placeholder="—")
           for col, part in zip(cols, PARTS, strict=True)}
    if all(v is None for v in got.values()):
        return None
    return {part: (None if v is None else v / 100) for part, v in got.items()}


def _same(name: str) -> str:
    """A fix's name as the room's pooling matches it (spaces and case ignored)."""
    return " ".join(name.split()).casefold()


def fix_inputs(fixes: tuple[str, ...]) -> dict[str, dict[str, float | None]]:
    """Every fix the facilitator asks about (the analysed scenario's, by name): the share of
    today's churn fixing it removes (low / likely / high, in percent), each optional."""
    if not fixes:
        return {}
    st.markdown("**What fixing each broken experience is worth** (optional): how much of "
                "today's churn does fixing it remove?")
    out = {}
    with st.expander(f"The scenario's fixes ({len(fixes)})", expanded=len(fixes) <= 3):
        for i, name in enumerate(fixes):
            st.text(name)  # a name someone typed: plain text, never markdown
            cols = st.columns(3)
            got = {part: col.number_input(f"{part.capitalize()} (%)", min_value=0.0,
                                          max_value=workshop.FIX_SHARE_MAX * 100, value=None,
                                          step=1.0, format="%.1f", key=f"p_fix{i}_{part}",
                                          placeholder="—")
                   for col, part in zip(cols, PARTS, strict=True)}
            if all(v is None for v in got.values()):
                continue
            out[workshop.fix_estimate_key(name)] = {
                part: (None if v is None else v / 100) for part, v in got.items()}
    return out


def form(shop: Workshop, me: str, today: dict) -> dict | None:
    """The answer form; the raw answer when it was sent (else None), for the round it was drawn
    for."""
    drawn = st.session_state.get(DRAWN_KEY, shop.current_round)
    st.session_state[DRAWN_KEY] = shop.current_round
    with st.form("answer", border=False):
        name = st.text_input("Your name (optional)", key="p_name", max_chars=40)
        st.subheader("The one question")
        st.write("Are you ready to sacrifice short-term gains from your customers (“bad "
                 "profits”) for the sake of long-term relationships — knowing the payback is "
                 "uncertain and may come after your tenure ends?")
        vote = st.radio("Your answer", [workshop.VOTE_LABELS[v] for v in workshop.VOTES],
                        index=None, key="p_vote", horizontal=True)
        sure = st.slider("How sure are you? (%)", 0, 100, step=5, key="p_sure")
        st.subheader("Your estimates")
        estimates = {}
        for asked in workshop.ASKED:
            got = estimate_inputs(asked, float(today[asked]))
            if got is not None:
                estimates[asked] = got
        estimates.update(fix_inputs(shop.fixes))
        st.caption(f"Your answer goes to the vote **{ROUND_WORDS[shop.current_round]}**.")
        if not st.form_submit_button("Send my answer", type="primary", width="stretch",
                                     key=SEND_KEY):
            return None
    votes = {workshop.VOTE_LABELS[v]: v for v in workshop.VOTES}
    return {"participant": me, "name": name or None, "round": drawn,
            "vote": votes.get(vote), "confidence": sure / 100, "estimates": estimates}


def send(room: Room, shop: Workshop, raw: dict) -> None:
    """Check and store the answer; say so, or say (in the participant's words) what to fix."""
    try:
        if raw["round"] != shop.current_round:  # checked again by the store, under its lock
            raise workshop.AnswerError("round", f"the vote {ROUND_WORDS[raw['round']]} closed "
                                                "while you were answering")
        if raw["vote"] is None:
            raise workshop.AnswerError("vote", "choose yes, not yet or no")
        missing = next((k for k, e in raw["estimates"].items() if None in e.values()), None)
        if missing is not None:
            raise workshop.AnswerError(f"estimates.{missing}",
                                       "fill in low, likely and high, or leave all three empty")
        room.submit(raw, show=show)
        st.success("Thank you — your answer is stored. You can change it and send it again.",
                   icon=":material/check_circle:")
    except workshop.AnswerError as err:
        if err.field == "round":  # the facilitator moved on (or closed) while the form was open
            st.error(f"Your answer was not stored: {escape_markdown(str(err).split(': ', 1)[1])}. "
                     "The form now shows the current round: check your answer and send it "
                     "again.", icon=":material/warning:")
            return
        st.error(escape_markdown(f"{_field_label(err.field)}: {str(err)[len(err.field) + 2:]}"),
                 icon=":material/warning:")
    except StoreError as err:
        st.error(escape_markdown(str(err)), icon=":material/warning:")


def _field_label(field: str) -> str:
    """A refused field in the participant's words: the assumption's or the fix's label."""
    parts = field.split(".")
    if parts[0] == "estimates" and len(parts) > 1:
        key = field.removeprefix("estimates.")
        for end in (".low", ".likely", ".high"):
            key = key.removesuffix(end)
        return workshop_charts.label(key) if key in BY_NAME or workshop.fix_name_of(key) \
            is not None else field
    return field


@st.fragment(run_every=5)
def watch_round(room: Room, shop: Workshop) -> None:
    """Reload the page when the facilitator opens the next round or closes the workshop."""
    try:
        now = room.state()
    except StoreError:
        return
    if (now.status, now.current_round) != (shop.status, shop.current_round):
        st.rerun(scope="app")
