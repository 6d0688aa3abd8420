"""Workshop links: the base URL they are built on, and opening the workshop a link names."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

from model.store import Store, StoreError, open_store
from model.store import workshops as shops


def base_url() -> str:
    """``ONEQ_BASE_URL`` when set (behind a proxy), else the address this page was opened at."""
    env = os.environ.get("ONEQ_BASE_URL", "").strip()
    if env:
        return env.rstrip("/")
    parts = urlsplit(st.context.url or "http://localhost:8501")
    return f"{parts.scheme}://{parts.netloc}"


def plain_stop(title: str, text: str) -> None:
    """A plain page (a title and a sentence) and nothing more of the app."""
    st.title(title)
    st.write(text)
    st.stop()


def open_from_link(kind: str, missing: str) -> tuple[Store, shops.Workshop]:
    """The store and the workshop whose ``kind`` token ("join" or "facilitator") is in the link;
    a plain page when the store is unreachable or the token opens nothing (``missing`` says why)."""
    try:
        store = open_store()
        shop = shops.by_token(store, st.query_params.get(kind), kind)
    except StoreError:
        plain_stop("The workshop cannot be reached", "Please try again in a minute.")
    if shop is None:
        plain_stop("This link does not open a workshop", missing)
    return store, shop
