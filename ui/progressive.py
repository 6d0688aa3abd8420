"""A page's first useful figure before the rest of it (issue 22, defect 11: first figure fast).

A browser draws what a script run sends, and when everything arrives at once (a warm server
answers from its caches in a fraction of a second) it draws the charts below the first figure in
the same go: the figure appears only after every chart of the page is drawn, seconds on a busy
machine. So the first run of a page in a browser session stops right after its first figure
(``rest_of_page`` returns False and the page calls ``st.stop()``); a fragment timer, which the
browser fires only when it is free, asks for the whole page at its second firing — after the
browser has drawn that run — and a second run sends it (the top again, unchanged, so nothing
moves). Every later run of the page in the session draws it whole at once. On a cold server the
heavy computing below the first figure moves to the second run as well.

A session without a browser (``streamlit.testing``'s AppTest, which has no request headers) gets
the whole page in one run: nothing there would ask for the rest.
"""

from __future__ import annotations

import streamlit as st

DRAWN_KEY = "_pages_drawn_whole"  # the pages this session has drawn whole at least once
ASKING_KEY = "_page_asking_for_rest"  # (page, timer runs so far) waiting for the browser
TICK = 0.15  # seconds between the browser's timer runs (each waits until the browser is free)
TICKS = 2  # the timer's runs before the rest is asked for: the first figure's own scripts and
#            data may still be loading when the browser is first free (st.table's, a metric's)


def browser() -> bool:
    """True when a browser is on the other end of the session (its request's headers)."""
    return bool(st.context.headers)


@st.fragment(run_every=TICK)
def _ask_for_rest() -> None:
    """Draws nothing. Run inside the first run it only registers the browser's timer; when the
    timer has fired ``TICKS`` times (the browser has drawn the first run), the page reruns whole."""
    asking = st.session_state.get(ASKING_KEY)
    if asking is None:
        return
    page, ticks = asking
    if ticks + 1 < TICKS:
        st.session_state[ASKING_KEY] = (page, ticks + 1)
        return
    st.session_state[ASKING_KEY] = None
    st.session_state.setdefault(DRAWN_KEY, set()).add(page)
    st.rerun(scope="app")


def rest_of_page(page: str) -> bool:
    """True when this run draws the whole ``page``; False on its first run in a browser
    session, after the first figure: the page then stops, and the browser asks for the rest."""
    if page in st.session_state.get(DRAWN_KEY, ()) or not browser():
        return True
    st.session_state[ASKING_KEY] = None  # the timer's run inside this one must not rerun yet
    _ask_for_rest()
    st.session_state[ASKING_KEY] = (page, 0)
    return False
