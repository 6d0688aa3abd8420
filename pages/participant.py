"""A participant's page, reached only by a workshop's join link (``?join=ID.SECRET``).

Shows that one workshop and nothing else: a vote on the one question (with how sure), and the
participant's own low / likely / high for the assumptions that drive the answer most. A wrong or
expired link gets a plain page.
"""

from __future__ import annotations

import streamlit as st

from model.assumptions import defaults
from model.library import StoreError
from ui import participant_form
from ui.format import escape_markdown
from ui.shell import require_app
from ui.workshop_links import UNREACHABLE, plain_stop, room_from_link

require_app()

# --- the workshop behind the link, and who answers ------------------------------------------------
room = room_from_link()
try:
    shop = room.state()
except StoreError:
    plain_stop(*UNREACHABLE)
st.title(escape_markdown(room.title))
if shop.status != "open":
    plain_stop("The workshop is closed", "Thank you for taking part.")
participant_form.watch_round(room, shop)
me = participant_form.participant_key()
participant_form.prefill(room, shop, me)
st.caption(f"Round: **{participant_form.ROUND_WORDS[shop.current_round]}**. You can change your "
           "answer until the facilitator closes the round. Your name is optional; without one "
           "you are counted, not named.")

# --- the form, and sending it --------------------------------------------------------------------
raw = participant_form.form(shop, me, defaults())
if raw is not None:
    participant_form.send(room, raw)
