"""Workshop links: the base URL they are built on, their QR codes, and opening what a link names.

A join link (``?join=ID.SECRET``) reaches one ``Room`` and nothing else; a facilitator link
(``?facilitator=ID.SECRET``) reaches the live view only for a member of the workshop's workspace.
A wrong link, or the store out of reach, gets a plain page and nothing more of the app.
"""

from __future__ import annotations

import io
import os
from urllib.parse import urlsplit

import segno
import streamlit as st

from model.library import Library, Room, StoreError, Workshop, join, open_store
from ui import workspace


def base_url() -> str:
    """``ONEQ_BASE_URL`` when set (behind a proxy), else the address this page was opened at."""
    env = os.environ.get("ONEQ_BASE_URL", "").strip()
    if env:
        return env.rstrip("/")
    parts = urlsplit(st.context.url or "http://localhost:8501")
    return f"{parts.scheme}://{parts.netloc}"


def join_url(shop: Workshop) -> str:
    return f"{base_url()}/?join={shop.join_token}"


def facilitator_url(shop: Workshop) -> str:
    return f"{base_url()}/?facilitator={shop.facilitator_token}"


def qr_png(url: str, scale: int = 6) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


def links(shop: Workshop) -> None:
    """Both links of a workshop, and the join link's QR code for the projector."""
    left, right = st.columns([3, 1])
    left.markdown("Join link for participants (show the QR code on the projector):")
    left.code(join_url(shop), language=None)
    left.markdown("Your facilitator link — **keep it to yourself**; it opens the live view for "
                  "the members of this workspace:")
    left.code(facilitator_url(shop), language=None)
    right.image(qr_png(join_url(shop)), caption="Join", width=180)


def plain_stop(title: str, text: str) -> None:
    """A plain page (a title and a sentence) and nothing more of the app."""
    st.title(title)
    st.write(text)
    st.stop()


UNREACHABLE = ("The workshop cannot be reached", "Please try again in a minute.")


def room_from_link() -> Room:
    """The workshop the join link opens, or a plain page."""
    try:
        room = join(open_store(), st.query_params.get("join"))
    except StoreError:
        plain_stop(*UNREACHABLE)
    if room is None:
        plain_stop("This link does not open a workshop", "The link may be mistyped or the "
                   "workshop may have ended. Ask the facilitator for the current link or QR code.")
    return room


def facilitated_from_link() -> tuple[Library, Workshop]:
    """The workspace and workshop the facilitator link opens for this user, or a plain page."""
    try:
        found = workspace.workspaces().facilitate(st.query_params.get("facilitator"))
    except StoreError:
        plain_stop(*UNREACHABLE)
    if found is None:
        plain_stop("This link does not open a workshop", "The link may be mistyped, the "
                   "workshop's workspace was deleted, or you are not one of its members.")
    return found
