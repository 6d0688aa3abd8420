"""Where the Churn data page's data comes from: the sample files, the uploader, and uploads parsed
once and kept (shared by every session, bounded in bytes)."""

from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from model import churn as cd
from ui.bounded_cache import BytesLRU
from ui.format import escape_markdown
from ui.tables import show_table

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "churn"
SAMPLE_FILES = (
    ("customers.csv", "One row per customer: segment, start and end dates, churned flag, revenue"),
    ("tenure.csv", "One row per customer: tenure in months, 1/0 churned flag, contract"),
    ("cohorts.csv", "Cohort table: survivors of two cohorts by year"),
)

# Parsed uploads, shared by all sessions and bounded in bytes (stated in SECURITY.md): a parsed
# 200 MB file can take a few hundred MB, so entries alone would not bound the memory. (It lives
# here, not in the page: a page file is run afresh on every rerun, and its globals with it.)
PARSED_UPLOADS_BYTES = 768_000_000
_parsed: BytesLRU[cd.CsvFile] = BytesLRU(
    PARSED_UPLOADS_BYTES, lambda csv: int(csv.frame.memory_usage(deep=True).sum()))


@dataclass(frozen=True, eq=False)
class Source:
    """An uploaded file, parsed: its name, the digest of its bytes (widget keys and caches
    follow it, so a new file gets fresh guesses) and the table."""

    name: str
    digest: str
    csv: cd.CsvFile  # the file, or a sample of the database table for the column widgets
    sql: cd.SqlSource | None = None  # set for a database table: the fit groups inside it


def sample_downloads() -> None:
    with st.expander("No data at hand? Download a sample file and upload it", expanded=False):
        st.caption("Made by data/churn/make_samples.py from known curves (fixed seeds), so a good "
                   "fit should find them again.")
        for i, (name, what) in enumerate(SAMPLE_FILES):
            path = SAMPLES / name
            if path.exists():
                st.download_button(f"⬇ {name}", path.read_bytes(), file_name=name,
                                   mime="text/csv", key=f"churn_sample_{i}", help=what)
                st.caption(what)


SQL_KEY = "churn_sql"  # the connected table and its sample (the address stays in this session)


def choose_kind() -> str:
    """Where the data comes from: "file" or "database"."""
    return st.radio("The data is in", ["file", "database"], horizontal=True,
                    key="churn_source_kind",
                    format_func={"file": "a file (CSV, Parquet, Excel)",
                                 "database": "a database table"}.get)


def database() -> Source | None:
    """A table or query in a database: the address (shown as dots, never echoed back), then a
    sample for the column widgets; ``None`` until connected. Raises ``ChurnDataError``."""
    with st.form("churn_database"):
        url = st.text_input("Database address (SQLAlchemy URL)", type="password",
                            key="churn_db_url",
                            help="e.g. postgresql+psycopg://user:password@host/database or "
                                 "duckdb:///warehouse.duckdb — never shown back or saved.")
        table = st.text_input("Table", key="churn_db_table", placeholder="schema.customers")
        query = st.text_area("… or a query (one row per customer)", key="churn_db_query",
                             placeholder="select * from read_parquet('customers.parquet')")
        connect = st.form_submit_button("Connect", key="churn_db_connect")
    if connect:
        st.session_state.pop(SQL_KEY, None)
        source = cd.SqlSource(url.strip(), table.strip() or None, query.strip() or None)
        st.session_state[SQL_KEY] = (source, cd.sample(source))
    held = st.session_state.get(SQL_KEY)
    if held is None:
        return None
    source, frame = held
    digest = hashlib.sha1(f"{source.label}|{source.table}|{source.query}".encode()).hexdigest()[:12]
    return Source(source.label, digest, cd.CsvFile(frame, source.label, "database", "", "."),
                  source)


def uploader():
    """The file uploader (``None`` until a file is chosen)."""
    return st.file_uploader(
        f"Churn data — CSV (or .csv.gz), Parquet or Excel, up to {cd.max_upload_mb():g} MB",
        type=["csv", "gz", "txt", "parquet", "xlsx", "xlsm", "xls", "ods"],
        key="churn_upload",
        help="One row per customer (tenure or start/end dates, churned flag, optional segment and "
             "revenue), or a cohort table (period + survivors per cohort).")


def parsed(upload) -> Source:
    """The uploaded file parsed, kept by the digest of its bytes (parsing 200 MB on every rerun
    would be slow). Raises ``ChurnDataError`` for a file that cannot be read."""
    data = upload.getvalue()
    digest = hashlib.sha1(data).hexdigest()[:12]
    key = (digest, upload.name, cd.max_upload_mb())  # a file over a lowered limit is refused
    csv = _parsed.get(key)
    if csv is None:
        # Earlier uploads leave parsed frames in reference cycles; the product skips Streamlit's
        # collection after every run (it cost each slider move 100 ms), so collect before a new
        # file is parsed: 20 uploads of 50 MB then left the server at 720 MB resident, not 1,630 MB.
        gc.collect()
        csv = _parsed.put(key, cd.read_source(data, upload.name))
    return Source(upload.name, digest, csv)


def preview(source: Source) -> None:
    """The first rows and how the file was read."""
    csv = source.csv
    rows = (f"a sample of {len(csv.frame):,} rows" if source.sql is not None
            else f"{len(csv.frame):,} rows")
    with st.expander(f"Preview of {escape_markdown(source.name, limit=80)} — {rows}, "
                     f"{csv.frame.shape[1]} columns", expanded=True):
        show_table(csv.frame.head(20), width="stretch")
        for note in csv.notes:
            st.caption(escape_markdown(note))
