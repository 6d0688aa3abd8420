"""The One Question: entry point. Sets the page up once and routes to the files in app_pages/.

The folder is not called pages/: Streamlit would then also run its legacy multipage mode, and a
direct link to a page (e.g. /compare) would skip this file (no navigation, no layout)."""

import streamlit as st

st.set_page_config(page_title="The One Question", page_icon=":material/balance:", layout="wide")

PAGES = [
    st.Page("app_pages/dashboard.py", title="Dashboard", icon=":material/balance:", default=True),
    st.Page("app_pages/compare.py", title="Scenarios & compare", icon=":material/compare:"),
    st.Page("app_pages/decision_analysis.py", title="Decision analysis", icon=":material/casino:"),
    st.Page("app_pages/churn_data.py", title="Churn data", icon=":material/monitoring:"),
    st.Page("app_pages/method.py", title="Method & sources", icon=":material/menu_book:"),
]

st.navigation(PAGES).run()
