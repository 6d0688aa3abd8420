"""The Method page's content: every equation of model/simulation/ as implemented, in sections of
markdown and LaTeX, and the assumptions table generated from the registry (no Streamlit here)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.assumptions import GROUP_TITLES, REGISTRY, Assumption
from ui.format import CURRENCY, count, value_with_unit

INTRO = (
    "How the dashboard turns the levers into numbers. Everything below describes exactly what "
    "`model/simulation/` computes; the table at the end is generated from the same registry "
    "the sliders, scenario files and command line read. **The default values are illustrative** "
    "— a mid-sized subscription business chosen so the first screen tells the story of the "
    "question — not benchmarks: replace them with your own figures or calibrate the baseline "
    "with your churn data. Each assumption's source is in the table (or the word "
    "*illustrative*).")


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[tuple[str, str], ...]  # ("md" | "latex" | "sub", text), in order


def _s(title: str, *blocks: tuple[str, str]) -> Section:
    return Section(title, blocks)


def md(text: str) -> tuple[str, str]:
    return ("md", text)


def tex(text: str) -> tuple[str, str]:
    return ("latex", text)


def sub(text: str) -> tuple[str, str]:
    return ("sub", text)


SECTIONS: tuple[Section, ...] = (
    _s("1. Time and money",
       md("The model runs in monthly steps t = 0 … H − 1, with H = 12 × the horizon in years. A "
          "customer active at the start of a month pays for that month; churn happens at the end "
          "of the month; new customers arrive at the end of the month and pay from the next one. "
          "People enter yearly rates; the model converts them to monthly ones:"),
       tex(r"q = 1 - (1 - \text{annual churn})^{1/12}, \qquad i = (1 + \text{annual discount "
           r"rate})^{1/12} - 1, \qquad v = \frac{1}{1+i}"),
       md("The cash of month t is received at the end of the month and discounted to today; the "
          "end value (section 8) adds what the business is worth after the horizon:"),
       tex(r"\text{NPV} = \sum_{t=0}^{H-1} \text{profit}_t\, v^{t+1} \; + \; \text{end value}"
           r"_{\text{still active}} + \text{end value}_{\text{still to come}}"),
       sub("A check that the arithmetic is right (the golden identity)"),
       md("Its conditions: one kind of customer (no broken promises), a constant monthly "
          "retention r = 1 − q, a margin m per customer-month, no acquisition, no levers and no "
          "decay. Then the simulated NPV without the end value equals the closed form of a "
          "geometric series (tested to 1e-9 relative):"),
       tex(r"\text{NPV} = \frac{N_0\, m}{1 + i - r}\left(1 - \left(\frac{r}{1+i}\right)^{H}"
           r"\right)")),
    _s("2. Customers: age-structured cohorts",
       md("Customers are tracked by age in months (the last age bucket, 20 years, absorbs older "
          "customers). Each month a customer of age a in class c leaves with probability"),
       tex(r"\min\bigl(1,\; h_0(a)\cdot k_{c,t}\bigr)"),
       md("where h₀ is the **baseline retention curve** — constant churn from the sidebar, or a "
          "curve fitted to your churn data (shifted-beta-geometric, Weibull or Kaplan–Meier), "
          "per segment — and k the class's churn factor (sections 3 and 5); a probability above "
          "100 % is capped and said in the notes. New customers, bought and referred, enter at "
          "age 0, so the count is conserved exactly every month:"),
       tex(r"N_{t+1} = N_t - \text{churned}_t + \text{bought}_t + \text{referred}_t"),
       md("A calibration from churn data replaces the customers, revenue per customer and churn "
          "per segment, and the new customers per month too (the survivors younger than a year, "
          "divided by Σ_{a<12} S(a) of the fitted curve). Age matters when customers differ: with "
          "a curve whose churn falls with age, a model that assumes constant churn undervalues "
          "retention (Fader & Hardie 2007).")),
    _s("3. Two kinds of customer",
       md("Customers won by over-promising (the **over-sold**) churn faster than customers sold "
          "fairly. Each segment's customers are in three classes: over-sold, fairly sold the old "
          "way, and sold honestly. With d the share of today's churn caused by broken promises "
          "and p the share of today's new customers won by over-promising, the fairly sold "
          "churn at (1 − d)·h₀ and the over-sold at (1 − d + x)·h₀. With constant churn, "
          "today's over-sold share of the customers and their churn are"),
       tex(r"s = \frac{p - d}{1 - d}, \qquad h_{\text{over}} = h_0\Bigl(1 - d + \frac{d}{s}"
           r"\Bigr), \qquad h_{\text{fair}} = h_0\,(1 - d)"),
       md("For a retention curve that changes with age, x solves the same condition — each "
          "class's expected lifetime L (months, Σ S(a)) weighted by its inflow share equals "
          "today's — and today's customers start in the two classes' joint steady state:"),
       tex(r"p\, L\bigl((1 - d + x)\,h_0\bigr) + (1 - p)\, L\bigl((1 - d)\,h_0\bigr) = L(h_0)"),
       md("So a status quo whose inflow replaces today's churn stays exactly where it is, for any "
          "curve (tested to 10⁻⁹ with constant churn, sBG and Weibull). In steady state each "
          "class's churn equals its inflow, so broken promises cause exactly the share d of "
          "today's churn. They can only drive away the over-sold: d is capped at 0.9·p (the "
          "notes say so).")),
    _s("4. The status quo and the levers",
       md("The **status quo** is the business as measured today, with every lever off; with "
          "every lever off the customer-centric path equals it to the cent."),
       sub("Honest expectation setting, h from 0 to 100 %"),
       md("Honesty costs what the seed says it costs. **Bad profits are earned on the whole "
          "base** (fees, penalties, exploited inertia; Reichheld 2006): honesty takes its share "
          "of them off every bill — existing customers' too — in equal steps over M_b months, "
          "so revenue falls in month 1. The billed bad-profit share is"),
       tex(r"b\,(1 - y_t), \qquad y_t = h_t \min\Bigl(1, \frac{t + 1}{M_b}\Bigr)"),
       md("**Competitors keep over-promising.** A share h of sales is honest. Of today's bought "
          "inflow B the classes become over-sold B·p·(1 − h), fairly sold the old way "
          "B·(1 − p)·(1 − h) and sold honestly B·((1 − p)·h + p·h·w_t): the p·h customers "
          "over-promising used to win go to competitors, except the share w_t that trust wins "
          "back (section 6). **The sales budget is committed**: the acquisition cost of the "
          "customers lost goes on being spent at first — each bought customer costs more — and "
          "falls away over M_s months:"),
       tex(r"\text{acquisition}_t = \text{CAC}_t\,\bigl(\text{bought}_t + c_t\, \text{lost}_t"
           r"\bigr) + c_{ref}\,\text{CAC}\,\text{referred}_t, \qquad c_t = \max\Bigl(0, 1 - "
           r"\frac{t}{M_s}\Bigr)"),
       md("Customers already over-sold keep their churn and leave at their own pace. If "
          "*Successor returns to bad profits* is on, h drops to 0 after your tenure: the fees and "
          "the over-promising come back at once, and trust falls (section 6)."),
       sub("Investment in fixing broken experiences, K"),
       md("The one-off amount K is spent evenly over the build months. Its effect has "
          "**diminishing returns**: the share of the broken-experience churn it removes is"),
       tex(r"f = \frac{K}{K + K_{1/2}}"),
       md("After the build the fixes ramp in linearly (progress p_t from 0 to 1). Once live, "
          "running them costs a yearly share of K each month — inside the horizon and after it "
          "alike, while their effect goes on too. The dashboard offers K as a share of a year's "
          "revenue; a churn-data calibration moves K and K½ with revenue and CAC with ARPU, and "
          "the dashboard warns when money assumptions look out of proportion."),
       sub("Turmoil: living in the house while you rebuild it"),
       md("The size of the change is c = (h + f) / 2. For the first D months churn rises by the "
          "factor (1 + e_turmoil · c) and a share s_t · c of the gross margin is lost each "
          "month."),
       sub("Your tenure"),
       md("The tenure does not change the business; it splits every result into *inside* your "
          "tenure (the first round(12 × tenure) months, at least one, at most the horizon) and "
          "*after* it.")),
    _s("5. Churn has named shares: every cap is a cap",
       md("Today's churn is split into broken promises d (honesty's share), broken experiences "
          "e_fix (the fixes' share, at most 1 − d) and the rest 1 − d − e_fix, of which "
          "attachment prevents part. The fairly sold churn at h₀(a)·k_t·T_t, the over-sold at "
          "h₀(a)·(k_t + x)·T_t, with a_t the attachment's factor (section 6):"),
       tex(r"k_t = e_{fix}\,(1 - f\,p_t) + (1 - d - e_{fix})\, a_t, \qquad T_t = 1 + "
           r"e_{turmoil}\, c\, [t < D]"),
       md("No channel counts twice. Full honesty and unlimited investment held long enough "
          "bring churn down to"),
       tex(r"\text{annual churn} \times (1 - d - e_{fix}) \times \frac{1 - e_{trust}}"
           r"{1 - e_{trust}\,A(\tau_0)}"),
       md("and never lower (a test holds the floor and every random mix of shares above it).")),
    _s("6. Trust: a secure base with a threshold",
       md("**Trust follows what customers experience.** The honesty they experience is the "
          "share y_t of bad profits already off the bills and the share φ_t of the base sold "
          "honestly, which grows only as new customers replace those sold the old way, at "
          "today's pace ρ = new customers / customers, weighted by ω:"),
       tex(r"\varepsilon_t = \omega\, y_t + (1 - \omega)\,\varphi_t, \qquad \varphi_{t+1} = "
           r"\varphi_t + \rho\,(h_t - \varphi_t), \quad \varphi_0 = 0"),
       md("The switch's trust τˢ moves toward a target that the fixes raise **in proportion to "
          "what is broken**; it rises slowly (T_b) and falls fast (T_l):"),
       tex(r"\tau^*_t = \tau_0 + (1-\tau_0)\,\min\Bigl(1,\; g_h\, \varepsilon_t + g_f\, f\, p_t"
           r"\,\frac{e_{fix}}{1 - d}\Bigr)"),
       tex(r"\tau^s_{t+1} = \tau^s_t + (\tau^*_t - \tau^s_t)\,\bigl(1 - e^{-1/T}\bigr), \quad "
           r"T = T_b \text{ when rising, } T_l \text{ when falling}"),
       md("After a successor reverts, the honest years count for nothing — the target falls to "
          "the status quo's path, keeps the fixes' part and loses the **betrayal penalty** π "
          "times the honesty betrayed — so trust ends below the status quo's."),
       md("Customers **attach** — churn less, spend more, refer — as trust passes the threshold "
          "θ. Attachment is a logistic of width w = 0.1, rescaled to run from 0 at no trust to 1 "
          "at full trust. The switch changes it by G_t; every month of bad profits costs the "
          "attachment the status quo loses that month (its trust drifting by δ a year), in "
          "proportion to the share 1 − h that continues:"),
       tex(r"A(\tau) = \frac{\sigma\!\left(\frac{\tau-\theta}{w}\right) - \sigma\!\left("
           r"\frac{-\theta}{w}\right)}{\sigma\!\left(\frac{1-\theta}{w}\right) - \sigma\!\left("
           r"\frac{-\theta}{w}\right)}, \qquad G_t = A(\tau^s_t) - A(\tau_0)"),
       tex(r"g_t = G_t + \sum_{s<t} (1 - h_s)\Bigl(A\bigl(\tau_0 + \tfrac{\delta (s+1)}{12}"
           r"\bigr) - A\bigl(\tau_0 + \tfrac{\delta s}{12}\bigr)\Bigr) \in [-A(\tau_0),\, 1 - "
           r"A(\tau_0)]"),
       md("Bounded and smooth even near full trust (no division by 1 − A(τ₀)): the rest of the "
          "churn, spend per customer, referrals and the customers won back from competitors are"),
       tex(r"a_t = \frac{1 - e_{trust}\,(A(\tau_0) + g_t)}{1 - e_{trust}\,A(\tau_0)}, \qquad "
           r"\text{spend}_t = \frac{1 + u\,(A(\tau_0) + g_t)}{1 + u\,A(\tau_0)}"),
       tex(r"\text{referred}_t = N_t\, r_{ref} \max(G_t, 0), \qquad w_t = \frac{\max(G_t, 0)}"
           r"{1 - A(\tau_0)}"),
       md("Referrals cost a share of today's acquisition cost. More honesty never makes the "
          "status quo's decay help the switch less: its cost scales with the share of bad "
          "profits that continues (tested over the plausible ranges, honesty held). The trust "
          "shown is τˢ_t + δ/12 · Σ_{s<t} (1 − h_s), within 0 … 1.")),
    _s("7. The market, the status quo's decay, and profit",
       md("**The market has an edge.** With M customers the business could ever have, bought "
          "and referred inflow is scaled by the headroom left, min(1, (M − N_t) / (M − N₀)), and "
          "cut so that customers never exceed M. A market smaller than today's customers is "
          "refused."),
       tex(r"N_{t+1} = N_t - \text{churned}_t + \text{bought}_t + \text{referred}_t \le M"),
       md("**The status quo can decay.** While bad profits continue, trust drifts by δ per year "
          "(default −0.02: about a fifth of today's trust lost over ten years, as customers learn "
          "what the fees and traps are) and a bought customer costs (1 + κ) more per year "
          "(default κ = 2 %: word of mouth turns and paid channels must make up for it). Both "
          "count the share of bad profits that continues, so they act on the status quo and on "
          "a scenario after a successor reverts; at 0 the status quo is today's business for "
          "ever. Both are responses of the market, scaled by the latent response (section 10)."),
       tex(r"\text{CAC}_t = \text{CAC}\,(1 + \kappa)^{\sum_{s<t}(1 - h_s)/12}"),
       md("Each month's profit is"),
       tex(r"\text{profit}_t = \text{gross margin}\times\text{revenue}_t - \text{acquisition}_t"
           r" - \text{investment}_t - \text{run cost}_t - \text{turmoil cost}_t")),
    _s("8. The value after the horizon (terminal value), in two parts",
       md("Stopping the count at the horizon would treat the business as worthless after it and "
          "bias the answer toward the short term (Gupta, Lehmann & Stuart 2004). The **end "
          "value** is measured under the last month's conditions — each class's churn, the "
          "price, spend per customer, acquisition cost, the fixes' effect and their run cost — "
          "and has two parts, always shown apart. For a customer of age a with margin m a "
          "month:"),
       tex(r"V(a) = v\,\bigl(m + (1 - q(a))\,V(a+1)\bigr), \qquad V(\text{oldest}) = "
           r"\frac{v\, m}{1 - v\,(1 - q)}"),
       md("**The customers still active** at the horizon end, and **the customers still to "
          "come** after it: the last month's arrivals every month, each worth V(0), net of their "
          "acquisition cost, less the fixes' run cost:"),
       tex(r"\text{still active} = v^H \sum_a N_H(a)\, V(a), \qquad \text{still to come} = "
           r"\frac{v^{H+1}}{1 - v}\Bigl(\sum_c \text{arrivals}_{c}\, V_c(0) - "
           r"\text{acquisition} - \text{run cost}\Bigr)"),
       md("Its conditions: for a settled business — inflow replacing today's churn, no decay, "
          "the market's edge not reached — NPV plus both parts is the same at every horizon "
          "(tested to 10⁻⁶ at 1 to 20 years, with constant churn, sBG and Weibull); the horizon "
          "only decides how much of the value is cash you see. At the defaults the total ΔNPV "
          "at 10, 15 and 20 years agrees within 10 % (tested). For a switch whose costs come "
          "before its gains, ΔNPV falls as the discount rate rises and crosses zero once, at "
          "its internal rate of return (tested over 1–30 %)."),
       sub("Reconciling with Gupta, Lehmann & Stuart"),
       md(f"GLS value a customer with margin {CURRENCY}100, retention 80 % and discount 12 % at "
          f"m·r/(1 + i − r) = **{CURRENCY}250**: their first margin arrives after a year, and "
          "only if the customer stayed. Here a customer active at the start of a period pays "
          f"for it (at its end), so the same customer is worth m/(1 + i − r) = 100/0.32 = "
          f"**{CURRENCY}312.50** — exactly GLS's value divided by r (a test reproduces both).")),
    _s("9. What the verdict reports",
       md("- **Cumulative Δ discounted profit** (the *sacrifice curve*): customer-centric minus "
          "status quo, in cash, discounted, summed month by month. Its end is the verdict's *in "
          "cash* figure.\n"
          "- **Δ inside your tenure**: the sacrifice curve at the last month of your tenure.\n"
          "- **Δ after your tenure**: the cash from the tenure end to the horizon end plus, when "
          "counted, the change in the end value.\n"
          "- **ΔNPV**: cash over the horizon plus the Δ end value, its two parts shown apart "
          "(customers still active, customers still to come).\n"
          "- **Payback month**: the first month from which the cumulative Δ stays at or above "
          "zero until the horizon end (cash only). A cumulative Δ within 10⁻¹² of the total "
          "discounted profit counts as zero.\n"
          "- **Deepest sacrifice**: the lowest point of the cumulative Δ and its month.\n"
          "- Customers (at the end and at their peak), churn and trust at the horizon end.\n"
          "- **Notes**: every input that was capped, clipped or left out of the horizon, in a "
          "sentence (the command line prints the same list).")),
    _s("10. Uncertainty: a latent response, not a coin",
       md("Every uncertain assumption has low / likely / high (PERT or triangular draws; the "
          "effects customers must deliver are rank-correlated by Iman–Conover). A **latent "
          "response** r ∈ [0, 1] scales every one of those effects in a draw — churn removed, "
          "trust gained, spend, referrals, the status quo's decay, the betrayal — while the "
          "sacrifice and the costs stay. Its prior has a mass at r = 0 (customers do not "
          "respond at all, *p_no_response*) and a PERT above it:"),
       tex(r"r = 0 \text{ with probability } p_0, \quad \text{else } r \sim \text{PERT}\bigl("
           r"\max(0, m - s),\; m,\; \min(1, m + s)\bigr)"),
       md("Each draw keeps its r and the scenario's expected customers, churned and new "
          "customers by month, so monthly actuals can re-weight the draws by their likelihood. "
          "The guided walk's *accept that you do not know* takes the expectation over r's prior "
          "by Gauss–Legendre quadrature.")),
    _s("Beyond one mass: segments, usage tiers and fixes",
       md("When a scenario names **segments**, each is run as the plain model on its own (its "
          "share of the customers, the market and the investment; its share of new customers in "
          "proportion to share × monthly churn; its own ARPU, churn, bad-profit and over-promise "
          "shares, CAC and honesty) and the results are summed. Profitable and loyal customers "
          "are not the same customers (Reinartz & Kumar 2002): the table shows where today's bad "
          "profits sit and each segment's lifetime value when sold and billed honestly,"),
       tex(r"\text{LTV}_{\text{honest}} = \frac{m\,v}{1 - v\,(1 - q_{\text{fair}})}, \quad "
           r"m = \text{gross margin}\times\text{ARPU}\times(1-b), \quad "
           r"q_{\text{fair}} = (1-d)\,q"),
       md("A segment with LTV_honest < CAC is a *vulture segment* (bad profits are all that "
          "make it pay; Reichheld 2006): re-price it to at least CAC·ARPU/LTV_honest a month, or "
          "stop acquiring it. **Usage tiers** are a Markov chain of the active base "
          "(Pfeifer & Carraway 2000); g_t is the change in attachment the switch brings and ρ "
          "today's turnover:"),
       tex(r"\pi_{t+1} = (1-\rho)\,\pi_t P_t + \rho\,e, \quad "
           r"P_t[k,k{+}1] = u_k(1+g_t), \; P_t[k,k{-}1] = d_k(1-g_t)"),
       tex(r"\text{spend}_t = \frac{\pi_t\cdot a}{\pi_0\cdot a}, \quad "
           r"\text{churn} \times \frac{\pi_t\cdot c}{\pi_0\cdot c}, \quad "
           r"\text{referrals} \times \frac{\pi_t\cdot r}{\pi_0\cdot r}"),
       md("Spend replaces the flat uplift at full trust; with every transition at zero the "
          "factors are exactly 1. A **portfolio of fixes** names the churn broken experiences "
          "cause, fix by fix: the share removed in month t is"),
       tex(r"R_t = \frac{\sum_j \text{bought}_j\, e_j\, p_j(t)}{\sum_j e_j}, \quad "
           r"p_j(t) = \min\Bigl(1, \frac{t - \text{build}_j + 1}{\text{ramp}}\Bigr)"
           r"\text{ from } t = \text{build}_j"),
       md("in place of f·p_t; the investment is a budget that buys the fixes in order of net "
          "ΔNPV per discounted dollar, each fix's one-off cost spread over its build months and "
          "its run cost from then on. In the odds each fix's share is drawn from its low / "
          "likely / high and scaled by the latent response. Scenario files: docs/segments.md.")),
)

LEAVES_OUT = (
    "- **Competitors' other moves**: they keep over-promising and win the customers honest "
    "selling forgoes; the market size and the status quo's decay stand in for the rest.\n"
    "- **Conditions after the horizon**: the end value freezes the last month — trust, churn, "
    "prices, inflow — and any transition still under way (a phase-out, a committed budget, "
    "turmoil) stops at the horizon (the notes say so).\n"
    "- **Who the over-sold are**: they share the segment's retention curve shape and revenue; "
    "only the level of their churn differs.\n"
    "- **The base sold honestly**, for trust, grows at today's pace of new customers, not the "
    "scenario's own inflow.\n"
    "- **Referrals within the current inflow**: today's referrals are part of today's new "
    "customers; only referrals from attachment gained above today's are added.\n"
    "- **Taxes, working capital, financing** and the timing of cash within a month.\n"
    "- **Uncertainty in one run**: a single run uses the likely values and a full response; the "
    "Decision analysis page draws the ranges and the latent response.")

SOURCES = (
    "- Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. *Journal of "
    "Interactive Marketing*, 21(1), 76–90. — why retention rises with age when customers differ, "
    "and the shifted-beta-geometric curve.\n"
    "- Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *Journal of "
    "Marketing Research*, 41(1), 7–18. — the value of a customer base as discounted future "
    "margin, new customers included.\n"
    "- Iman, R. L. & Conover, W. J. (1982). A distribution-free approach to inducing rank "
    "correlation among input variables. *Communications in Statistics – Simulation and "
    "Computation*, 11(3). — the correlated draws.\n"
    "- Pfeifer, P. E. & Carraway, R. L. (2000). Modeling customer relationships as Markov "
    "chains. *Journal of Interactive Marketing*, 14(2), 43–55. — customer value with "
    "transitions between states (here: usage tiers).\n"
    "- Reichheld, F. (2006). *The Ultimate Question: Driving Good Profits and True Growth*. "
    "Harvard Business School Press. — \"bad profits\": earned at the expense of customer "
    "relationships, across the whole base.\n"
    "- Reinartz, W. & Kumar, V. (2002). The mismanagement of customer loyalty. *Harvard "
    "Business Review*, 80(7), 86–94. — profitable and loyal customers are not the same "
    "customers: segments with their own economics.")


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
    """One row per registry entry, so the page cannot drift from the code."""
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
        "Customer response": "scaled by the latent response" if a.response else "",
        "Source": a.source,
    } for a in REGISTRY])


def tables_by_group() -> list[tuple[str, pd.DataFrame]]:
    """The assumptions table split by panel of the sidebar, indexed by the label."""
    table = assumptions_table()
    out = []
    for group, title in GROUP_TITLES.items():
        names = [a.name for a in REGISTRY if a.group == group]
        rows = table[table["Name"].isin(names)]
        out.append((title, rows.drop(columns=["Group", "Unit"]).set_index("Assumption")))
    return out
