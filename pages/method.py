"""Method & sources: every equation of model/simulate.py in plain words, and the assumptions table."""

import pandas as pd
import streamlit as st

from model.assumptions import GROUP_TITLES, REGISTRY, Assumption
from ui.format import CURRENCY, count, value_with_unit


def _show(x: float, unit: str) -> str:
    """A registry value as people read it (counts with separators, not 1e+08)."""
    if unit.startswith("customers"):
        return f"{count(x)} {unit}"
    if unit.startswith("currency") and 0 < abs(x) < 1:  # $0.01, not $0
        return f"{CURRENCY}{x:.2f}{unit.removeprefix('currency')}"
    return value_with_unit(x, unit)


def _range(a: Assumption) -> str:
    if a.kind == "bool":
        return "yes or no"
    return f"{_show(a.min, a.unit)} … {_show(a.max, a.unit)}"


def _uncertainty(a: Assumption) -> str:
    if not a.uncertain:
        return "— (treated as known)"
    return f"{_show(a.low, a.unit)} … {_show(a.high, a.unit)}"


def assumptions_table() -> pd.DataFrame:
    """One row per registry entry, so this page cannot drift from the code."""
    return pd.DataFrame([{
        "Assumption": a.label,
        "Name": a.name,
        "Group": GROUP_TITLES[a.group] + ("" if a.section in GROUP_TITLES.values()
                                          else f" · {a.section}"),
        "Unit": a.unit,
        "Default": _show(a.default, a.unit),
        "Range": _range(a),
        "Uncertainty range": _uncertainty(a),
        "Meaning": a.meaning,
    } for a in REGISTRY])


st.title("Method & sources")
st.markdown(
    "How the dashboard turns the levers into numbers. Everything below describes exactly what "
    "`model/simulate.py` computes; the table at the end is generated from the same registry "
    "the sliders, scenario files and command line read. **The default values are illustrative** "
    "— a mid-sized subscription business chosen so the first screen tells the story of the "
    "question — not benchmarks: replace them with your own figures or calibrate the baseline "
    "with your churn data.")

st.header("1. Time and money")
st.markdown(
    "The model runs in monthly steps t = 0 … H − 1, with H = 12 × the horizon in years. A "
    "customer active at the start of a month pays for that month; churn happens at the end of the "
    "month; new customers arrive at the end of the month and pay from the next one. People enter "
    "yearly rates; the model converts them to monthly ones:")
st.latex(r"q = 1 - (1 - \text{annual churn})^{1/12}, \qquad i = (1 + \text{annual discount rate})^{1/12} - 1")
st.markdown("The cash of month t is received at the end of the month and discounted to today:")
st.latex(r"\text{NPV} = \sum_{t=0}^{H-1} \frac{\text{profit}_t}{(1+i)^{t+1}} \; + \; \text{terminal value}")

st.subheader("A check that the arithmetic is right (the golden identity)")
st.markdown(
    "With N₀ customers, a constant monthly retention r = 1 − q, a margin m per customer-month, "
    "no acquisition and no levers, the simulated NPV equals the closed form of a geometric series "
    "(tested to 1e-9 relative):")
st.latex(r"\text{NPV} = \frac{N_0\, m}{1 + i - r}\left(1 - \left(\frac{r}{1+i}\right)^{H}\right)")

st.header("2. Customers: age-structured cohorts")
st.markdown(
    "Customers are tracked by age in months (the last age bucket, 20 years, absorbs older "
    "customers). Each month a customer of age a leaves with probability")
st.latex(r"\min\bigl(1,\; h_0(a)\cdot M_t\bigr)")
st.markdown(
    "where h₀ is the **baseline retention curve** — constant churn from the sidebar, or a curve "
    "fitted to your churn data (shifted-beta-geometric, Weibull or Kaplan–Meier), per segment — "
    "and M_t is the scenario's **hazard multiplier** (below). New customers, bought and referred, "
    "enter at age 0, so the count is conserved exactly every month:")
st.latex(r"N_{t+1} = N_t - \text{churned}_t + \text{bought}_t + \text{referred}_t")
st.markdown(
    "Today's age mix is the steady state of the baseline curve unless the data gives the observed "
    "one. A calibration from churn data replaces the customers, revenue per customer and churn "
    "assumptions per segment, and the new customers per month too: the customers younger than a "
    "year who are still active are the survivors of a year of starts, so the monthly inflow is "
    "their number divided by Σ_{a<12} S(a) of the fitted curve. Age matters when customers differ: with a curve whose churn falls with age, a model that "
    "assumes constant churn undervalues retention (Fader & Hardie 2007). With a constant curve the "
    "model keeps one age bucket, which gives the same numbers faster.")

st.header("3. The status quo and the levers")
st.markdown(
    "The **status quo** is the business as measured today: the same model with every lever off "
    "(no honesty, no investment). With every lever off the customer-centric path equals the status "
    "quo to the cent. The levers move the scenario away from it:")

st.subheader("Honest expectation setting, h from 0 to 100 %")
st.markdown(
    "- **Bad profits are given up** (Reichheld 2006): a share b of today's revenue comes from fees, "
    "traps and upsells customers would refuse if they understood them. Revenue becomes")
st.latex(r"\text{revenue}_t = R_t\,(1-b) + R_t\, b\,(1 - h)")
st.markdown(
    "- **Over-promising stops**: a share p of today's new customers were won by promises the "
    "product does not keep; bought customers become new × (1 − p·h).\n"
    "- **Disappointment churn falls**: a share d of today's churn comes from broken promises; the "
    "churn factor is (1 − d·h).\n"
    "- If *Successor returns to bad profits* is on, honesty drops to 0 after your tenure.")

st.subheader("Investment in fixing broken experiences, K")
st.markdown(
    "The one-off amount K is spent evenly over the build months (K / build per month). Its effect "
    "has **diminishing returns**: the share of the largest possible churn reduction e_fix that K "
    "buys is")
st.latex(r"f = \frac{K}{K + K_{1/2}}")
st.markdown(
    "so K_{1/2} buys half of it. After the build the fixes ramp in linearly over the ramp-up "
    "months (progress p_t from 0 to 1), giving the churn factor (1 − e_fix · f · p_t). Once live, "
    "running and maintaining the fixes costs a yearly share of K (K × share / 12 per month), so "
    "no investment means no run cost.")

st.subheader("Turmoil: living in the house while you rebuild it")
st.markdown(
    "The size of the change is c = (h + f) / 2 (zero when nothing changes). For the first months "
    "of turmoil, churn rises by the factor (1 + e_turmoil · c) and a share s · c of the gross "
    "margin is lost to disruption each month.")

st.subheader("Your tenure")
st.markdown(
    "The tenure does not change the business; it splits every result into *inside* your tenure "
    "(the first round(12 × tenure) months, at least one, at most the horizon) and *after* it.")

st.header("4. Trust and referrals")
st.markdown(
    "Trust τ_t ∈ [0, 1] is a stock — the customer's secure base. The status quo holds today's "
    "level τ₀. A scenario's target rises with honesty and with the progress of the fixes:")
st.latex(r"\tau^*_t = \tau_0 + (1-\tau_0)\,\min\bigl(1,\; g_h\, h_t + g_f\, f\, p_t\bigr)")
st.markdown(
    "Trust moves toward its target slowly when rising and fast when falling (time constants in "
    "months: *months to build trust* T_b and *months to lose trust* T_l):")
st.latex(r"\tau_{t+1} = \tau_t + (\tau^*_t - \tau_t)\,\bigl(1 - e^{-1/T}\bigr), \quad "
         r"T = T_b \text{ when rising, } T_l \text{ when falling}")
st.markdown(
    "The trust gained, g_t = (τ_t − τ₀) / (1 − τ₀), lowers churn by the factor "
    "(1 − e_trust · g_t), raises spend per customer by (1 + u · g_t), and brings **referrals**: "
    "each month N_t × (referrals at full trust) × g_t new customers arrive at a fraction of the "
    "acquisition cost of a bought one.")

st.header("5. The hazard multiplier and profit")
st.markdown("The four churn effects multiply:")
st.latex(r"M_t = (1 - e_{fix} f p_t)\,(1 - e_{trust} g_t)\,(1 - d\, h_t)\,"
         r"(1 + e_{turmoil}\, c\, [t < D])")
st.markdown("Each month's profit is")
st.latex(r"\text{profit}_t = \text{gross margin}\times\text{revenue}_t - \text{CAC}\,(\text{bought}_t"
         r" + c_{ref}\,\text{referred}_t) - \text{investment}_t - \text{run cost}_t - "
         r"\text{turmoil cost}_t")

st.header("6. Customers still active at the horizon end (terminal value)")
st.markdown(
    "Stopping the count at the horizon would treat every customer still active then as worthless "
    "and bias the answer toward the short term (Gupta, Lehmann & Stuart 2004 value a customer base "
    "as the discounted margin it will still bring). When *Count customers still active at the "
    "horizon end* is on, the model adds their expected discounted remaining margin under the "
    "conditions of the last month (its churn, spend per customer, honesty and run cost per "
    "customer), with no new acquisition. For a customer of age a, with v = 1 / (1 + i) and "
    "margin m per month:")
st.latex(r"V(a) = v\,\bigl(m + (1 - q(a))\,V(a+1)\bigr), \qquad "
         r"V(\text{oldest}) = \frac{v\, m}{1 - v\,(1 - q)}")
st.markdown("The sum over the customers active after the last month is discounted to today by v^H.")

st.header("7. What the verdict reports")
st.markdown(
    "- **Cumulative Δ discounted profit** (the *sacrifice curve*): customer-centric minus status "
    "quo, discounted, summed month by month.\n"
    "- **Δ inside your tenure**: the sacrifice curve at the last month of your tenure.\n"
    "- **ΔNPV over the horizon**: the difference in NPV, including the terminal value when it is "
    "counted.\n"
    "- **Payback month**: the first month from which the cumulative Δ stays at or above zero until "
    "the horizon end (month 1 when it is never below zero; *not within the horizon* when it ends "
    "below zero). The terminal value is not part of payback. A cumulative Δ within 10⁻¹² of the "
    "total discounted profit counts as zero, so rounding noise is never reported as a sacrifice.\n"
    "- **Deepest sacrifice**: the lowest point of the cumulative Δ and the month it is reached.\n"
    "- Customers, churn and trust at the horizon end, for both strategies.")

st.header("8. Every assumption")
st.caption("Generated from the registry in model/assumptions.py. Fractions are shown as "
           "percentages; scenario files and links write them as fractions (0.25, not 25).")
# Static tables, one per panel of the sidebar: every row and the full meaning visible at once.
# The unit is in every value shown, so it needs no column of its own on screen.
table = assumptions_table()
for group, title in GROUP_TITLES.items():
    st.subheader(title)
    names = [a.name for a in REGISTRY if a.group == group]
    rows = table[table["Name"].isin(names)]
    st.table(rows.drop(columns=["Group", "Unit"]).set_index("Assumption"))

st.header("Sources")
st.markdown(
    "- Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. "
    "*Journal of Interactive Marketing*, 21(1), 76–90. — why retention rises with age when "
    "customers differ, and the shifted-beta-geometric curve.\n"
    "- Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *Journal of Marketing "
    "Research*, 41(1), 7–18. — the value of a customer base as discounted future margin.\n"
    "- Reichheld, F. (2006). *The Ultimate Question: Driving Good Profits and True Growth*. "
    "Harvard Business School Press. — \"bad profits\": earned at the expense of customer "
    "relationships.")
