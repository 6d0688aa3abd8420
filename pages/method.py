"""Method & sources: every equation of model/simulation/ in plain words, and the assumptions table."""

import pandas as pd
import streamlit as st

from model.assumptions import GROUP_TITLES, REGISTRY, Assumption
from ui.format import CURRENCY, count, value_with_unit
from ui.shell import require_app

require_app()


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
    "`model/simulation/` computes; the table at the end is generated from the same registry "
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

st.header("3. Two kinds of customer")
st.markdown(
    "Customers won by over-promising (the **over-sold**) churn faster than customers sold "
    "fairly, and both kinds sold under today's practices pay the bad-profit share of the price. "
    "Each segment's customers are split into three classes: over-sold, fairly sold at bad prices, "
    "and honestly sold (a price without the bad-profit share b). With d the share of today's "
    "churn caused by broken promises and p the share of today's new customers won by "
    "over-promising, today's over-sold share of the customers and their churn are")
st.latex(r"s = \frac{p - d}{1 - d}, \qquad h_{\text{over}}(a) = h_0(a)\Bigl(1 - d + \frac{d}{s}\Bigr),"
         r"\qquad h_{\text{fair}}(a) = h_0(a)\,(1 - d)")
st.markdown(
    "so that the blend s·h_over + (1 − s)·h_fair is exactly today's h₀ — and a business whose "
    "inflow replaces its churn stays exactly at today's churn every month (tested to 10⁻¹²). "
    "Broken promises can only drive away the over-sold, so d is capped at 0.9·p (d = p would "
    "mean the over-sold leave the moment they arrive).")

st.header("4. The status quo and the levers")
st.markdown(
    "The **status quo** is the business as measured today, with every lever off (no honesty, no "
    "investment); with every lever off the customer-centric path equals it to the cent. The "
    "levers move the scenario away from it:")
st.subheader("Honest expectation setting, h from 0 to 100 %")
st.markdown(
    "Honesty acts on **new sales**: a share h of new customers is sold honestly. Of today's "
    "inflow B, the classes become over-sold B·p·(1 − h), fair at bad prices B·(1 − p)·(1 − h) and "
    "honest B·(1 − p)·h, so the over-promised inflow B·p·h is forgone (Reichheld 2006: bad "
    "profits are earned at the expense of the relationship). Customers already over-sold keep "
    "their churn and their prices and leave at their own pace: in month 1, with turmoil and trust "
    "off, churn and revenue equal the status quo's. If *Successor returns to bad profits* is on, "
    "h drops to 0 after your tenure.")
st.subheader("Investment in fixing broken experiences, K")
st.markdown(
    "The one-off amount K is spent evenly over the build months. Its effect has **diminishing "
    "returns**: the share of the broken-experience churn it removes is")
st.latex(r"f = \frac{K}{K + K_{1/2}}")
st.markdown(
    "After the build the fixes ramp in linearly (progress p_t from 0 to 1). Once live, running "
    "them costs a yearly share of K each month — inside the horizon and after it alike. The "
    "dashboard offers K as a share of a year's revenue (customers × ARPU × 12), so one slider "
    "fits 5,000 customers and 5 million; scenario files keep K in currency. A churn-data "
    "calibration moves K and K½ with a year's revenue and CAC with ARPU, and the dashboard warns "
    "when K exceeds a year's revenue, K½ lies outside 1 %–100 % of it, or CAC exceeds a "
    "customer's lifetime margin.")
st.subheader("Turmoil: living in the house while you rebuild it")
st.markdown(
    "The size of the change is c = (h + f) / 2. For the first D months churn rises by the "
    "factor (1 + e_turmoil · c) and a share s_t · c of the gross margin is lost each month.")
st.subheader("Your tenure")
st.markdown(
    "The tenure does not change the business; it splits every result into *inside* your tenure "
    "(the first round(12 × tenure) months, at least one, at most the horizon) and *after* it.")

st.header("5. Churn has named shares: every cap is a cap")
st.markdown(
    "Today's churn is split into broken promises d (honesty's share), broken experiences e_fix "
    "(the fixes' share, at most 1 − d) and the rest 1 − d − e_fix, of which full attachment "
    "prevents at most e_trust. The fairly sold churn at h₀(a)·k_t·T_t, the over-sold at "
    "h₀(a)·(k_t + d/s)·T_t, with")
st.latex(r"k_t = e_{fix}\,(1 - f\,p_t) + (1 - d - e_{fix})\,(1 - e_{trust}\, g_t), \qquad "
         r"T_t = 1 + e_{turmoil}\, c\, [t < D]")
st.markdown(
    "No channel counts twice: honesty removes only the over-sold's extra churn (as they leave), "
    "the fixes only their share, trust only part of the rest. Full honesty and unlimited "
    "investment held long enough bring churn down to")
st.latex(r"\text{annual churn} \times (1 - d - e_{fix}) \times (1 - e_{trust})")
st.markdown("and never lower (a test holds the floor and every random mix of shares above it).")

st.header("6. Trust: a secure base with a threshold")
st.markdown(
    "Trust τ_t ∈ [0, 1] is a stock. Without effort it drifts by δ per year while bad profits "
    "continue (base_t = τ₀ + δ/12 · Σ_{s<t} (1 − h_s)); honesty and the fixes raise its target:")
st.latex(r"\tau^*_t = \text{base}_t + (1-\text{base}_t)\,\min\bigl(1,\; g_h\, h_t + g_f\, f\, p_t\bigr)")
st.latex(r"\tau_{t+1} = \tau_t + (\tau^*_t - \tau_t)\,\bigl(1 - e^{-1/T}\bigr), \quad "
         r"T = T_b \text{ when rising, } T_l \text{ when falling}")
st.markdown(
    "Customers **attach** — churn less, spend more, refer — as trust passes the threshold θ "
    "(they attach if they trust you not to exploit them). Attachment is a logistic of width "
    "w = 0.1, rescaled to run from 0 at no trust to 1 at full trust, and effects are measured "
    "from today's attachment, so today's trust changes the answer. Eroding trust follows the "
    "same line (customers barely attached today have little to lose), a loss capped at what "
    "full attachment would gain:")
st.latex(r"A(\tau) = \frac{\sigma\!\left(\frac{\tau-\theta}{w}\right) - \sigma\!\left(\frac{-\theta}{w}"
         r"\right)}{\sigma\!\left(\frac{1-\theta}{w}\right) - \sigma\!\left(\frac{-\theta}{w}\right)},"
         r"\qquad g_t = \frac{A(\tau_t) - A(\tau_0)}{1 - A(\tau_0)} \in [-1, 1]")
st.markdown(
    "g_t lowers the rest of the churn by (1 − e_trust · g_t), raises spend per customer by "
    "(1 + u · g_t), and brings N_t × (referrals at full trust) × max(g_t, 0) referred customers "
    "a month at a share of the acquisition cost of a bought one.")

st.header("7. The market, the status quo's decay, and profit")
st.markdown(
    "**The market has an edge.** With M customers the business could ever have, bought and "
    "referred inflow is scaled by the headroom left, min(1, (M − N_t) / (M − N₀)) — today's "
    "business keeps today's inflow — and cut so that customers never exceed M. Customers are "
    "conserved exactly:")
st.latex(r"N_{t+1} = N_t - \text{churned}_t + \text{bought}_t + \text{referred}_t \le M")
st.markdown(
    "**The status quo can decay.** While bad profits continue, trust drifts by δ per year "
    "(default −0.02: about a fifth of today's trust lost over ten years, as customers learn what "
    "the fees and traps are) and a new customer costs (1 + κ) more per year (default κ = 2 %: "
    "word of mouth turns and paid channels must make up for it). Both count the share of bad "
    "profits that continues, so they act on the status quo and on a scenario after a successor "
    "reverts; at 0 the status quo is today's business for ever. Both are responses of the "
    "market and are switched off with every other response in the Monte Carlo's no-response "
    "draws.")
st.latex(r"\text{CAC}_t = \text{CAC}\,(1 + \kappa)^{\sum_{s<t}(1 - h_s)/12}")
st.markdown("Each month's profit is")
st.latex(r"\text{profit}_t = \text{gross margin}\times\text{revenue}_t - \text{CAC}_t\,(\text{bought}_t"
         r" + c_{ref}\,\text{referred}_t) - \text{investment}_t - \text{run cost}_t - "
         r"\text{turmoil cost}_t")

st.header("8. Customers still active at the horizon end (terminal value)")
st.markdown(
    "Stopping the count at the horizon would treat every customer still active then as worthless "
    "and bias the answer toward the short term (Gupta, Lehmann & Stuart 2004). The **end value** "
    "is their expected discounted remaining margin under the last month's conditions (each "
    "class's churn and price, spend per customer), with no new acquisition, minus the fixes' run "
    "cost, which goes on after the horizon as a fixed monthly amount just as inside it. For a "
    "customer of age a, with v = 1 / (1 + i) and margin m per month:")
st.latex(r"V(a) = v\,\bigl(m + (1 - q(a))\,V(a+1)\bigr), \qquad "
         r"V(\text{oldest}) = \frac{v\, m}{1 - v\,(1 - q)}")
st.latex(r"\text{end value} = v^H \sum_a N_H(a)\, V(a) \; - \; \text{run cost}\,\frac{v^{H+1}}{1 - v}")
st.markdown(
    "A settled business therefore has the same NPV plus end value at any horizon (tested at 1, "
    "5, 10 and 20 years to 10⁻⁹). The dashboard always shows the end value apart from the cash "
    "earned within the horizon.")
st.subheader("Reconciling with Gupta, Lehmann & Stuart")
st.markdown(
    "GLS value a customer with margin $100, retention 80 % and discount 12 % at "
    "m·r/(1 + i − r) = **$250**: their first margin arrives after a year, and only if the "
    "customer stayed. Here a customer active at the start of a period pays for it (at its end), "
    "so the same customer is worth m/(1 + i − r) = 100/0.32 = **$312.50** — exactly GLS's value "
    "divided by r (a test reproduces both).")

st.header("9. What the verdict reports")
st.markdown(
    "- **Cumulative Δ discounted profit** (the *sacrifice curve*): customer-centric minus status "
    "quo, in cash, discounted, summed month by month. Its end is the verdict's *in cash* figure.\n"
    "- **Δ inside your tenure**: the sacrifice curve at the last month of your tenure.\n"
    "- **Δ after your tenure**: the cash from the tenure end to the horizon end plus, when "
    "counted, the change in the end value.\n"
    "- **ΔNPV with the customers still active**: cash over the horizon plus the Δ end value.\n"
    "- **Payback month**: the first month from which the cumulative Δ stays at or above zero until "
    "the horizon end (cash only; *not within the horizon* when it ends below zero). A "
    "cumulative Δ within 10⁻¹² of the total discounted profit counts as zero.\n"
    "- **Deepest sacrifice**: the lowest point of the cumulative Δ and the month it is reached.\n"
    "- Customers (at the end and at their peak), churn and trust at the horizon end.")

st.header("What this model leaves out")
st.markdown(
    "- **Competitors' moves**: the market size and the status quo's decay stand in for them; "
    "nobody reacts to your switch.\n"
    "- **Conditions after the horizon**: the end value freezes the last month — trust, churn, "
    "prices — and counts no new customers; the status quo's decay stops at the horizon.\n"
    "- **Existing customers' prices**: honesty changes the price of new sales only; removing "
    "fees from customers already on them is not modelled (it would be an extra, immediate cost).\n"
    "- **Who the over-sold are**: they share the segment's retention curve shape and revenue; "
    "only the level of their churn differs.\n"
    "- **Referrals within the current inflow**: today's referrals are part of today's new "
    "customers; only referrals from attachment above today's are added.\n"
    "- **Taxes, working capital, financing** and the timing of cash within a month.\n"
    "- **Uncertainty in one run**: a single run uses the likely values; the Decision analysis "
    "page draws the ranges.")

st.header("10. Every assumption")
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
