"""The five demands, one step per screen (placeholder until step 5 is built)."""

import streamlit as st

st.title("The five demands")
