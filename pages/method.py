"""Method & sources: every equation of model/simulation/ as implemented, and the assumptions table."""

import pandas as pd
import streamlit as st

from ui import glossary, method
from ui.format import escape_dollars
from ui.shell import require_app

require_app()

# --- the equations, section by section (the text lives in ui/method.py) ---------------------------
st.title("Method & sources")
st.markdown(method.INTRO)
for section in method.SECTIONS:
    st.header(section.title)
    for kind, text in section.blocks:
        if kind == "latex":
            st.latex(text)
        elif kind == "sub":
            st.subheader(text)
        else:
            st.markdown(escape_dollars(text))  # "$250 … $312.50" is money, not a formula

st.header("Glossary: the words for every figure")
st.caption("The same words on every page, in the reports and in `cli.py run --explain` "
           "(ui/glossary.py). Every amount is a gain (+) or loss (−) against carrying on as "
           "today, in today's money; shown at three significant figures, exact in tooltips and "
           "CSVs.")
st.table(pd.DataFrame(glossary.table(), columns=["Words", "What the figure contains"]))

st.header("What this model leaves out")
st.markdown(method.LEAVES_OUT)

# --- every assumption, generated from the registry ------------------------------------------------
st.header("11. Every assumption")
st.caption("Generated from the registry in model/assumptions.py. Fractions are shown as "
           "percentages; scenario files and links write them as fractions (0.25, not 25). "
           "Assumptions marked as customer responses are scaled by the latent response in the "
           "odds.")
# Static tables, one per panel of the sidebar: every row and the full meaning visible at once.
# The unit is in every value shown, so it needs no column of its own on screen.
for title, table in method.tables_by_group():
    st.subheader(title)
    st.table(table)

st.header("Sources")
st.markdown(method.SOURCES)
