"""Monthly actuals in: CSV with every bad cell named (line, column, fix), typed tables, YYYY-MM
months, and a customer-level file with start and end dates turned into monthly counts."""

from __future__ import annotations

import pandas as pd
import pytest

from model.tracking import (
    COLUMNS,
    ActualsError,
    actuals_from_customers,
    actuals_from_frame,
    read_actuals,
    template_csv,
)

GOOD = """month,customers_start,churned,new_customers,revenue,trust
1,100000,1800,1500,5000000,0.35
2,99700,1750,1520,4990000,
3,99470,1700,1490,4985000,0.37
"""


def test_good_file():
    a = read_actuals(GOOD)
    assert list(a.month) == [1, 2, 3]
    assert a.churned[1] == 1750 and pd.isna(a.trust[1])
    assert a.notes == ()  # 100000 − 1800 + 1500 = 99700 …


def test_round_trip_and_template():
    a = read_actuals(GOOD)
    assert read_actuals(a.to_csv()).churned.tolist() == a.churned.tolist()
    assert template_csv().strip().split(",") == list(COLUMNS)


def test_calendar_months_and_semicolons():
    text = GOOD.replace(",", ";").replace("\n1;", "\n2027-01;").replace("\n2;", "\n2027-02;")
    a = read_actuals(text, start_month="2027-01")
    assert list(a.month) == [1, 2, 3]


def test_every_bad_cell_is_named_with_its_line_and_column():
    bad = GOOD.replace("1750", "lots").replace("1490", "-3").replace("\n3,", "\n2,")
    with pytest.raises(ActualsError) as e:
        read_actuals(bad)
    text = "\n".join(e.value.lines())
    assert "line 3, column “churned”: “lots” is not a whole number" in text
    assert "line 4, column “new_customers”" in text


def test_duplicate_month_churn_above_start_and_months_outside_the_plan():
    with pytest.raises(ActualsError, match="already on line 2"):
        read_actuals(GOOD.replace("\n2,", "\n1,"))
    with pytest.raises(ActualsError, match="more than the"):
        read_actuals(GOOD.replace("1800", "200000"))
    with pytest.raises(ActualsError, match="not a month of the plan"):
        read_actuals(GOOD.replace("\n3,", "\n300,"), horizon_months=120)


def test_missing_columns_and_empty_file():
    with pytest.raises(ActualsError, match="missing: revenue"):
        read_actuals("month,customers_start,churned,new_customers\n1,1,0,0\n")
    with pytest.raises(ActualsError, match="empty"):
        read_actuals(b"")


def test_counts_that_do_not_follow_are_noted_not_refused():
    a = read_actuals(GOOD.replace("99700", "90000"))
    assert any("Month 2" in n for n in a.notes)


def test_typed_table():
    frame = pd.DataFrame({"month": [1, 2], "customers_start": [100, 98], "churned": [3, 2],
                          "new_customers": [1, 4], "revenue": [5000.0, 4900.0],
                          "trust": [None, None]})
    assert actuals_from_frame(frame).new_customers.tolist() == [1, 4]
    frame.loc[1, "churned"] = None
    with pytest.raises(ActualsError, match="line 3, column “churned”: is blank"):
        actuals_from_frame(frame)


def test_customer_file_to_monthly_actuals():
    rows = ["customer_id,start_date,end_date,monthly_revenue",
            "a,2026-11-10,,10", "b,2026-12-01,2027-01-15,20", "c,2027-01-05,,30",
            "d,2026-10-01,2027-02-20,40", "e,2027-02-03,,50", "f,2027-03-15,,60"]
    a = actuals_from_customers("\n".join(rows) + "\n", "2027-01")
    # months 2027-01 and 2027-02 are whole before the file's last date (2027-03-15)
    assert list(a.month) == [1, 2]
    assert a.customers_start.tolist() == [3, 3]  # a, b, d ; a, c, d
    assert a.churned.tolist() == [1, 1]  # b in Jan, d in Feb
    assert a.new_customers.tolist() == [1, 1]  # c, e


def test_customer_file_without_end_dates_is_refused():
    with pytest.raises(ActualsError, match="end date"):
        actuals_from_customers("customer_id,tenure,churned\na,3,1\nb,4,0\n", "2027-01")
