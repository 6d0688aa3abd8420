"""A churn table in a database (issue 21): the GROUP BY runs in the database and only counts travel;
the same fits as the file on DuckDB, PostgreSQL (the throwaway server) and SQLite; an address never
echoed with its password; ten million rows fitted without holding them in Python."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from model import churn as cd
from tests.support.app import ROOT

# Real database engines (DuckDB, SQLite files, a PostgreSQL server process): the integration
# tier, outside the fast one (README: `-m "not browser and not slow"`).
pytestmark = pytest.mark.slow

CORPUS = ROOT / "tests" / "corpus" / "analysts"


def summary(upload) -> list[tuple]:
    return [(f.data.name, f.data.counts.n, f.data.counts.n_churned, f.data.active,
             round(f.fits[f.best].loglik, 6), f.best) for f in upload.fitted]


def load_tables(url: str) -> None:
    engine = sa.create_engine(url)
    telco = pd.read_csv(CORPUS / "telco_like.csv")
    subs = pd.read_csv(CORPUS / "streaming_like.csv", dtype={"subscription_end": str})
    subs["subscription_start"] = pd.to_datetime(subs.subscription_start)
    subs["subscription_end"] = pd.to_datetime(subs.subscription_end)
    with engine.begin() as conn:
        telco.to_sql("telco", conn, index=False, if_exists="replace")
        subs.to_sql("subscriptions", conn, index=False, if_exists="replace")
    engine.dispose()


def assert_same_as_the_files(url: str) -> None:
    for table, file in (("telco", "telco_like.csv"), ("subscriptions", "streaming_like.csv")):
        pushed = cd.fit_sql(cd.SqlSource(url, table=table))
        assert summary(pushed) == summary(cd.fit_upload(CORPUS / file)), table
        travelled = int(pushed.dataset.notes[0].split(": ")[1].split(" count rows")[0]
                        .replace(",", ""))
        assert travelled < pushed.dataset.rows / 5  # counts, not rows


def test_duckdb_gives_the_fits_of_the_file(tmp_path):
    url = f"duckdb:///{tmp_path / 'churn.duckdb'}"
    load_tables(url)
    assert_same_as_the_files(url)
    query = cd.fit_sql(cd.SqlSource(url, query="select * from telco where Contract <> 'Two year'"))
    assert [f.data.name for f in query.fitted] == ["Month-to-month", "One year"]


def test_duckdb_reads_a_local_parquet_file_without_loading_it(tmp_path):
    frame = pd.read_csv(CORPUS / "telco_like.csv")
    frame.to_parquet(tmp_path / "telco.parquet")
    source = cd.SqlSource("duckdb:///:memory:",
                          query=f"select * from read_parquet('{tmp_path / 'telco.parquet'}')")
    assert summary(cd.fit_sql(source)) == summary(cd.fit_upload(CORPUS / "telco_like.csv"))


def test_postgresql_gives_the_fits_of_the_file(postgres_url):
    load_tables(postgres_url)
    assert_same_as_the_files(postgres_url)


def test_sqlite_tenure_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'churn.sqlite'}"
    load_tables(url)
    pushed = cd.fit_sql(cd.SqlSource(url, table="telco"))
    assert summary(pushed) == summary(cd.fit_upload(CORPUS / "telco_like.csv"))


def test_bad_values_and_addresses_are_sentences_without_the_password(tmp_path):
    url = f"duckdb:///{tmp_path / 'bad.duckdb'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        pd.DataFrame({"tenure": [1, 2, 3], "churned": ["yes", "maybe", "no"]}).to_sql(
            "t", conn, index=False)
    engine.dispose()
    with pytest.raises(cd.ChurnDataError, match="cannot be read as churned or active: 'maybe'"):
        cd.fit_sql(cd.SqlSource(url, table="t"))
    secret = "postgresql+psycopg://alice:s3cr3t-pw@127.0.0.1:1/x"
    with pytest.raises(cd.ChurnDataError) as info:
        cd.fit_sql(cd.SqlSource(secret, table="t"))
    assert "s3cr3t-pw" not in str(info.value) and "alice:***@127.0.0.1" in str(info.value)
    out = subprocess.run([sys.executable, "cli.py", "fit", "--sql", secret, "--table", "t"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "s3cr3t-pw" not in out.stderr + out.stdout


@pytest.mark.slow
def test_ten_million_rows_fit_without_holding_them_in_python(tmp_path):
    url = f"duckdb:///{tmp_path / 'big.duckdb'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "create table customers as select i as customer_id, "
            "case i % 3 when 0 then 'Consumer' when 1 then 'Small business' else 'Enterprise' "
            "end as segment, 1 + (hash(i) % 60) as tenure_months, "
            "case when hash(i * 7) % 100 < 35 then 'Yes' else 'No' end as churned "
            "from range(10000000) t(i)"))
    engine.dispose()
    tracemalloc.start()
    upload = cd.fit_sql(cd.SqlSource(url, table="customers"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert upload.dataset.rows == 10_000_000 and len(upload.fitted) == 3
    assert peak < 50e6  # ten million rows of four columns would be hundreds of MB


def flag_tables(url: str) -> dict[str, pd.DataFrame]:
    """Tables whose churned flag is spelled every way a warehouse spells it, each with the file
    (frame) it must fit the same as: Yes/No text, 0/1 integers, real booleans, a churn date
    (blank = active) beside a tenure, and a status flag beside start and end dates."""
    telco = pd.read_csv(CORPUS / "telco_like.csv")
    gone = (telco.Churn == "Yes").to_numpy()
    subs = pd.read_csv(CORPUS / "subscriptions_like.csv", dtype={"end_date": str})
    frames = {
        "yes_no": telco[["tenure", "Contract", "Churn"]],
        "zero_one": telco[["tenure", "Contract"]].assign(churned=gone.astype(int)),
        "booleans": telco[["tenure", "Contract"]].assign(churned=gone),
        "churn_dates": telco[["tenure", "Contract"]].assign(
            churn_date=np.where(gone, "2024-03-01", None)),
        "dated_flags": subs.assign(status=np.where(subs.end_date.notna(), "cancelled", "active")),
        "dates": subs,
    }
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for name, frame in frames.items():
            frame = frame.copy()
            for col in ("start_date", "end_date", "churn_date"):
                if col in frame:
                    frame[col] = pd.to_datetime(frame[col])
            frame.to_sql(name, conn, index=False, if_exists="replace")
    engine.dispose()
    return frames


def assert_flags_pushed_down(url: str) -> None:
    frames = flag_tables(url)
    for name, frame in frames.items():
        pushed = cd.fit_sql(cd.SqlSource(url, table=name))
        as_file = cd.fit_upload(frame.to_csv(index=False).encode(), name=f"{name}.csv")
        assert pushed.mapping.event == as_file.mapping.event, name
        assert summary(pushed) == summary(as_file), name
        travelled = int(pushed.dataset.notes[0].split(": ")[1].split(" count rows")[0]
                        .replace(",", ""))
        assert travelled < pushed.dataset.rows / 2, name  # counts (by whole day), not rows
        if as_file.dataset.cohorts is None:
            assert pushed.dataset.cohorts is None, name
        else:  # cohorts by start month, grouped inside the database
            pd.testing.assert_frame_equal(pushed.dataset.cohorts, as_file.dataset.cohorts,
                                          check_exact=False, rtol=1e-12, atol=1e-12)
            assert len(pushed.dataset.cohorts) == 60
    assert cd.fit_sql(cd.SqlSource(url, table="churn_dates")).mapping.event == "churn_date"
    assert cd.fit_sql(cd.SqlSource(url, table="dated_flags")).mapping.event == "status"


def test_churned_flags_and_start_month_cohorts_pushed_down_in_duckdb(tmp_path):
    url = f"duckdb:///{tmp_path / 'flags.duckdb'}"
    assert_flags_pushed_down(url)
    dated = cd.fit_sql(cd.SqlSource(url, table="dates"))
    assert all(f.calendar is None for f in dated.fitted)  # the rows stay in the database: said
    assert any("earlier calendar window" in n for n in dated.dataset.notes)
    with pytest.raises(cd.ChurnDataError, match="A backtest cut-off date needs each customer"):
        cd.fit_sql(cd.SqlSource(url, table="dates"), overrides={"cutoff": "2023-01-01"})


def test_churned_flags_and_start_month_cohorts_pushed_down_in_sqlite(tmp_path):
    assert_flags_pushed_down(f"sqlite:///{tmp_path / 'flags.sqlite'}")


def test_churned_flags_and_start_month_cohorts_pushed_down_in_postgresql(postgres_url):
    assert_flags_pushed_down(postgres_url)


def test_a_churned_flag_without_an_end_date_is_refused_inside_the_database(tmp_path):
    url = f"duckdb:///{tmp_path / 'bad_flags.duckdb'}"
    subs = pd.read_csv(CORPUS / "subscriptions_like.csv")
    subs["status"] = np.where(subs.end_date.notna(), "cancelled", "active")
    subs.loc[subs.end_date.isna().to_numpy().nonzero()[0][:3], "status"] = "cancelled"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        subs.assign(start_date=pd.to_datetime(subs.start_date),
                    end_date=pd.to_datetime(subs.end_date)).to_sql("s", conn, index=False)
    engine.dispose()
    with pytest.raises(cd.ChurnDataError, match="3 customers in 'status' churned but have no end "
                                                "date on or before 2024-01-01"):
        cd.fit_sql(cd.SqlSource(url, table="s"))
    with pytest.raises(cd.ChurnDataError, match="says the customer churned but has no end date"):
        cd.fit_upload(subs.to_csv(index=False).encode(), name="s.csv")
