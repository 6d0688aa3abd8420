"""A churn table in a database (issue 21): the GROUP BY runs in the database and only counts travel;
the same fits as the file on DuckDB, PostgreSQL (the throwaway server) and SQLite; an address never
echoed with its password; ten million rows fitted without holding them in Python."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc

import pandas as pd
import pytest
import sqlalchemy as sa

from model import churn as cd
from tests.support.app import ROOT

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
