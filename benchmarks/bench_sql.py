"""A warehouse table fitted by pushing the GROUP BY into the database, against reading every row
into pandas first — on the same DuckDB table, in one run.

Ours: ``model.churn.fit_sql`` (a 1,000-row sample for the columns, then counts by segment,
tenure and churned grouped inside DuckDB: a few hundred rows travel). Peer: ``pandas.read_sql_query``
of the whole table through the same SQLAlchemy engine, then the same fit from the frame
(``fit_upload`` on it). Time: median of ``--repeats``; peak memory: tracemalloc (Python and
numpy allocations, the rows pandas holds included), one extra pass each. Printed as ratios.

Run: python -m benchmarks.bench_sql [--rows N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from model import churn as cd


def make_table(url: str, rows: int) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "create table customers as select i as customer_id, "
            "case i % 3 when 0 then 'Consumer' when 1 then 'Small business' else 'Enterprise' "
            "end as segment, 1 + (hash(i) % 60) as tenure_months, "
            "case when hash(i * 7) % 100 < 35 then 'Yes' else 'No' end as churned, "
            f"20 + (hash(i * 3) % 100) as monthly_revenue from range({rows}) t(i)"))
    engine.dispose()


def pushed(url: str):
    return cd.fit_sql(cd.SqlSource(url, table="customers"))


def read_everything(url: str):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        frame = pd.read_sql_query(sa.text("select * from customers"), conn)
    engine.dispose()
    return cd.fit_upload(cd.CsvFile(frame, "customers", "database", "", "."))


def measure(fn, repeats: int) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"duckdb:///{Path(tmp) / 'warehouse.duckdb'}"
        make_table(url, args.rows)
        t_ours, m_ours, ours = measure(lambda: pushed(url), args.repeats)
        t_peer, m_peer, peer = measure(lambda: read_everything(url), args.repeats)
    same = all(abs(a.fits[a.best].loglik - b.fits[b.best].loglik) < 1e-6
               for a, b in zip(ours.fitted, peer.fitted, strict=True))
    print(f"DuckDB table of {args.rows:,} customers, 3 segments, median of {args.repeats}")
    print(f"  pushdown (GROUP BY in the database): {t_ours:7.2f} s, peak {m_ours / 1e6:8.1f} MB")
    print(f"  read every row into pandas, then fit: {t_peer:7.2f} s, peak {m_peer / 1e6:8.1f} MB")
    print(f"  ratio pushdown / read-everything: time {t_ours / t_peer:.3f}, "
          f"peak memory {m_ours / m_peer:.4f}")
    print(f"  same fits: {same}")
    return 0 if same and t_ours < t_peer and m_ours < m_peer else 1


if __name__ == "__main__":
    sys.exit(main())
