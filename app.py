"""The One Question, web front door: sets the page up once and routes to the files in pages/.

``st.navigation`` owns routing, so a direct link to any page (e.g. /compare) runs this file first;
on a fresh server the very first such link is rerouted through here by ``ui.shell.require_app``
(tests/browser/test_navigation.py guards both). A workshop link (``?join=…`` or ``?facilitator=…``)
gets only its one page and no navigation at all: nothing else of the library is reachable from it.

Who may see what: with sign-in configured (``[auth]`` in .streamlit/secrets.toml, docs/deploy.md)
every page but a participant's join page asks for it first (``ui.shell.require_sign_in``), and
each page shows only the signed-in user's workspaces. The command-line front door is ``cli.py``."""

import streamlit as st

from ui.shell import account, mark_app_ran, require_sign_in, signed_in

st.set_page_config(page_title="The One Question", page_icon=":material/balance:", layout="wide")

PAGES = [
    st.Page("pages/dashboard.py", title="Dashboard", icon=":material/balance:", default=True),
    st.Page("pages/compare.py", title="Scenarios & compare", icon=":material/compare:"),
    st.Page("pages/decision_analysis.py", title="Decision analysis", icon=":material/casino:"),
    st.Page("pages/track.py", title="Track the plan", icon=":material/timeline:"),
    st.Page("pages/walkthrough.py", title="The five demands", icon=":material/stairs:"),
    st.Page("pages/workshop.py", title="Workspaces & workshops", icon=":material/groups:"),
    st.Page("pages/churn_data.py", title="Churn data", icon=":material/monitoring:"),
    st.Page("pages/method.py", title="Method & sources", icon=":material/menu_book:"),
]
TOKEN_PAGES = {  # query parameter → the one page its link opens
    "join": st.Page("pages/participant.py", title="Workshop", icon=":material/how_to_vote:"),
    "facilitator": st.Page("pages/facilitator.py", title="Facilitator",
                           icon=":material/co_present:"),
}

token_page = next((p for k, p in TOKEN_PAGES.items() if k in st.query_params), None)
participant = token_page is TOKEN_PAGES["join"]
page = (st.navigation([token_page], position="hidden") if token_page is not None
        else st.navigation(PAGES, position="sidebar" if signed_in() else "hidden"))
mark_app_ran()
if not participant:
    require_sign_in(page.url_path)  # stops here with a sign-in page when it is configured and nobody is in
if token_page is None:
    account()
page.run()
