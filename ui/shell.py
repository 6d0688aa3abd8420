"""The app shell: who is asking (sign-in), and pages run inside app.py's navigation.

Sign-in is OpenID Connect through Streamlit's own ``st.login`` / ``st.user``, switched on by an
``[auth]`` section in ``.streamlit/secrets.toml`` (docs/deploy.md). Then every page but a
participant's join page asks for it (``require_sign_in``), and the user is the e-mail address the
identity provider vouches for (``user``). Without that section the app is one local user on one
machine (``LOCAL_USER``), and says so in the sidebar.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from model.library import LOCAL_USER
from ui.format import escape_markdown

APP_MARK = "_ran_through_app"  # set by app.py before it runs a page


def mark_app_ran() -> None:
    st.session_state[APP_MARK] = True


def require_app() -> None:
    """Rerun through app.py when Streamlit ran this page file directly.

    A fresh server decides once, from the folder's name, whether to run its legacy multipage
    mode; until app.py has called ``st.navigation`` once, a direct link (e.g. /compare) as the
    very first visit runs the page file alone (no navigation, no layout). Switching the mode off
    and rerunning runs app.py with the same page.
    """
    if not st.session_state.get(APP_MARK):
        PagesManager.uses_pages_directory = False
        st.rerun()


def _auth_section() -> dict:
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, OSError, ValueError):  # no or unreadable secrets.toml: no sign-in
        return {}
    return dict(section) if section else {}


def sign_in_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section: sign-in is required."""
    return bool(_auth_section())


def _provider() -> str | None:
    """``st.login``'s provider: None for a flat ``[auth]``, else its first ``[auth.NAME]``."""
    section = _auth_section()
    if "client_id" in section or "server_metadata_url" in section:
        return None
    return next((k for k, v in section.items() if isinstance(v, dict)), None)


def identity(claims: dict) -> str | None:
    """The user key of a signed-in person: the e-mail address their identity provider vouches
    for (``email_verified`` not false), else the provider's subject id; None when neither."""
    email = claims.get("email")
    if isinstance(email, str) and email.strip() and claims.get("email_verified") is not False:
        return email.strip().casefold()
    sub = claims.get("sub")
    return str(sub).strip().casefold() if sub else None


def user() -> str:
    """Who is asking: the signed-in user's key, or the local user when sign-in is not configured.

    Pages call this only after ``require_sign_in`` (app.py), so a signed-in user is there."""
    if not sign_in_configured():
        return LOCAL_USER
    key = identity(st.user.to_dict()) if st.user.is_logged_in else None
    if key is None:  # not signed in (a page reached without app.py's check): nobody's data
        require_sign_in()
    return key


def signed_in() -> bool:
    """True when a user is known: signed in, or sign-in is not configured (the local user)."""
    return not sign_in_configured() or bool(st.user.is_logged_in and identity(st.user.to_dict()))


# Streamlit's sign-in always comes back to the app's root. The page asked for (path and query) is
# kept for ten minutes in a cookie of the app's own origin, set by the sign-in page, and the first
# signed-in run goes back there. Only a path of this app is ever followed (no scheme, no host).
NEXT_COOKIE = "oneq_next"
_SAFE_NEXT = re.compile(r"/(?!/)[A-Za-z0-9_\-./]*(\?[A-Za-z0-9_\-.~=&%+]*)?")


def _requested(url_path: str) -> str | None:
    """Path and query of the page asked for (``url_path``: the page's, "" for the first page);
    None for the bare root or an address that is not plainly this app's."""
    query = urlencode(st.query_params.to_dict(), quote_via=quote)
    target = "/" + url_path + (f"?{query}" if query else "")
    return target if target != "/" and _SAFE_NEXT.fullmatch(target) else None


def _script(code: str) -> None:
    st.html(f"<script>{code}</script>", unsafe_allow_javascript=True)


def set_browser_cookie(name: str, value: str, seconds: int, same_site: str = "Strict") -> None:
    """A cookie of the app's own origin, set from the page itself (Streamlit has no server-side
    cookie API); ``Secure`` whenever the page came over https. ``seconds`` 0 forgets it."""
    _script("document.cookie = " + json.dumps(
        f"{name}={value}; path=/; max-age={seconds}; SameSite={same_site}")
        + " + (location.protocol === 'https:' ? '; Secure' : '');")


def return_after_sign_in(url_path: str) -> None:
    """The first run after sign-in: back to the page asked for before it (then forget it)."""
    target = st.context.cookies.get(NEXT_COOKIE)
    # The session keeps the cookies its page was opened with: handled once, never again in it.
    if not target or st.session_state.get(NEXT_COOKIE):
        return
    st.session_state[NEXT_COOKIE] = True
    set_browser_cookie(NEXT_COOKIE, "", 0, "Lax")
    if isinstance(target, str) and _SAFE_NEXT.fullmatch(target) and _requested(url_path) is None:
        _script(f"window.location.replace({json.dumps(target)});")
        st.stop()


def require_sign_in(url_path: str = "") -> None:
    """Ask for sign-in (and stop) unless it is not configured or the user has signed in;
    ``url_path`` is the page asked for (``st.navigation``'s page), to come back to it."""
    if signed_in():
        if sign_in_configured():
            return_after_sign_in(url_path)
        return
    st.title("The One Question")
    st.markdown("Sign in to see your workspaces, scenarios and workshops. Each workspace is seen "
                "only by the people who created it or were added to it.")
    target = _requested(url_path)
    if target is not None:  # come back here after signing in
        set_browser_cookie(NEXT_COOKIE, target, 600, "Lax")
    st.button("Sign in", key="sign_in", type="primary", on_click=st.login,
              args=(() if _provider() is None else (_provider(),)))
    st.stop()


def account() -> None:
    """Who is signed in (with a way out), or that the app runs as one local user."""
    if not sign_in_configured():
        st.sidebar.caption("Local mode: one user on this machine, no sign-in. A team server "
                           "signs people in (docs/deploy.md).")
        return
    st.sidebar.caption(f"Signed in as {escape_markdown(user())}")
    st.sidebar.button("Sign out", key="sign_out", on_click=st.logout)
