"""The One Question: entry point. Sets the page up once and routes to the files in pages/."""

import streamlit as st

st.set_page_config(page_title="The One Question", page_icon="⚖️", layout="wide")

PAGES = [
    st.Page("pages/dashboard.py", title="Dashboard", icon="⚖️", default=True),
    st.Page("pages/compare.py", title="Scenarios & compare", icon="🗂️"),
    st.Page("pages/decision_analysis.py", title="Decision analysis", icon="🎲"),
    st.Page("pages/churn_data.py", title="Churn data", icon="📈"),
    st.Page("pages/method.py", title="Method & sources", icon="📖"),
]

st.navigation(PAGES).run()
