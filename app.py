"""The One Question, web front door: sets the page up once and routes to the files in pages/.

``st.navigation`` owns routing, so a direct link to any page (e.g. /compare) runs this file first
(tests/test_browser_navigation.py guards it). The command-line front door is ``cli.py``."""

import streamlit as st

st.set_page_config(page_title="The One Question", page_icon=":material/balance:", layout="wide")

PAGES = [
    st.Page("pages/dashboard.py", title="Dashboard", icon=":material/balance:", default=True),
    st.Page("pages/compare.py", title="Scenarios & compare", icon=":material/compare:"),
    st.Page("pages/decision_analysis.py", title="Decision analysis", icon=":material/casino:"),
    st.Page("pages/churn_data.py", title="Churn data", icon=":material/monitoring:"),
    st.Page("pages/method.py", title="Method & sources", icon=":material/menu_book:"),
]

st.navigation(PAGES).run()
