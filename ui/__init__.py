"""Streamlit and Altair helpers shared by the pages: state, lever widgets, charts, formatting."""
