"""Fixed colours (Okabe–Ito, readable by colour-blind viewers) shared by every chart."""

STATUS_QUO = "#7F7F7F"  # always grey
CUSTOMER_CENTRIC = "#0072B2"  # always blue
TENURE_RULE = "#D55E00"  # vermillion dashed rule at the tenure end
PAYBACK = "#009E73"  # green marker
SACRIFICE = "#CC79A7"  # deepest sacrifice marker
# Scenarios side by side on the Compare page, in order.
SCENARIO_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")
STRATEGY_LABELS = {"status_quo": "Status quo", "customer_centric": "Customer-centric"}
ZERO_LINE = "#999999"  # thin grey rule at y = 0
