"""The monthly table as people read it: plain column names, whole customers, whole money.

Pure pandas (no Streamlit). The dashboard shows ``readable_table(run.combined_table())`` with
``COLUMN_FORMATS`` (thousands separators); the CSV download keeps the model's full precision.
"""

from __future__ import annotations

import pandas as pd

from ui import theme
from ui.format import CURRENCY

# model column → (plain name, kind): "count" whole customers, "money" whole currency units,
# "share" a percentage with one decimal, "whole" an integer (month, year).
COLUMNS: dict[str, tuple[str, str]] = {
    "month": ("Month", "whole"),
    "year": ("Year", "whole"),
    "customers_active": ("Active customers", "count"),
    "new_bought": ("New customers, bought", "count"),
    "new_referred": ("New customers, referred", "count"),
    "churned": ("Customers lost", "count"),
    "monthly_churn": ("Churn this month (%)", "share"),
    "revenue": (f"Revenue ({CURRENCY})", "money"),
    "revenue_bad": (f"of which bad profits ({CURRENCY})", "money"),
    "margin": (f"Margin ({CURRENCY})", "money"),
    "acquisition_cost": (f"Acquisition cost ({CURRENCY})", "money"),
    "investment_spend": (f"Investment ({CURRENCY})", "money"),
    "run_cost": (f"Running cost ({CURRENCY})", "money"),
    "turmoil_cost": (f"Turmoil cost ({CURRENCY})", "money"),
    "profit": (f"Profit ({CURRENCY})", "money"),
    "discounted_profit": (f"Profit in today's money ({CURRENCY})", "money"),
    "cumulative_discounted_profit": (f"Running total in today's money ({CURRENCY})", "money"),
    "trust": ("Trust (%)", "share"),
}
STRATEGY = "Strategy"
# Streamlit column formats by kind (``st.column_config.NumberColumn(format=...)``).
FORMATS = {"whole": "%d", "count": "localized", "money": "localized", "share": "%.1f%%"}


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """``Run.combined_table()`` with plain names, rounded for reading (never for the CSV)."""
    out = pd.DataFrame({STRATEGY: table["strategy"].map(
        lambda k: theme.STRATEGY_LABELS.get(k, str(k)))})
    for column, (name, kind) in COLUMNS.items():
        if column not in table:
            continue
        x = table[column]
        if kind in ("count", "money", "whole"):
            out[name] = x.round().astype("int64")
        else:
            out[name] = (100 * x).round(1)
    return out


def column_formats() -> dict[str, str]:
    """Plain column name → Streamlit number format."""
    return {name: FORMATS[kind] for name, kind in COLUMNS.values()}
