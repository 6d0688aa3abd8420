"""A churn table in a database, fitted without moving its rows: the GROUP BY runs in the database.

Only counts travel: one row per (segment, duration, churned) with the customers, and the revenue
sum and count of each group — thousands of rows for a table of any size. The grouping is built with
SQLAlchemy Core, so it runs on PostgreSQL, DuckDB (the embedded engine for large local Parquet and
CSV files: ``read_parquet('…')`` / ``read_csv_auto('…')``), SQLite and others; the only dialect
pieces are the number of whole days between two timestamps. Columns are guessed from a sample of
``SAMPLE_ROWS`` rows (as the page's preview); the fit itself reads the counts alone.

Durations from dates are whole days (as for files: model/churn/_customers.py), durations from a
tenure column its whole values. The churned flag is read inside the database, in the GROUP BY, as
for files: Yes/No, 1/0, true/false and the other spellings, real booleans, or a column of churn
dates (filled in = churned, blank = active); beside start and end dates a flag must agree with
them (churned = flagged and ended), and a churned customer without an end date is refused. A table
with start dates is also grouped by start month (text "2024-01", the database's own date
functions), which gives the retention by start-month cohort without moving the rows. A connection address is never echoed: messages name the database by its dialect and
host, never with the password (``redacted``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import unquote

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from model.churn._cells import ACTIVE_SPELLINGS, CHURNED_SPELLINGS, looks_like_dates
from model.churn._columns import (
    MAX_SEGMENTS,
    MONTHS_PER,
    ColumnMapping,
    guess_mapping,
    with_overrides,
)
from model.churn._customers import DAYS_PER, DAYS_PER_MONTH, tenure_limit
from model.churn._dataset import ALL_CHURNED, Dataset, aggregate, month_cohorts
from model.churn._errors import MAX_TENURE_MONTHS, ChurnDataError, plural, quote, quote_id

SAMPLE_ROWS = 1_000
_FLAGGED_NOT_ENDED = -3  # a churned flag without an end date by the as-of date: refused


def redacted(url: str) -> str:
    """The address without its password (``postgresql://alice:***@db/x``)."""
    try:
        return unquote(make_url(url).render_as_string(hide_password=True))
    except Exception:  # noqa: BLE001 - an unreadable address is shown as nothing of it
        return "the database"


@dataclass(frozen=True)
class SqlSource:
    """A table (or a query) in a database named by a SQLAlchemy URL."""

    url: str
    table: str | None = None
    query: str | None = None

    def __post_init__(self) -> None:
        if (self.table is None) == (self.query is None):
            raise ChurnDataError("Name a table or a query (one of them): e.g. --table customers.")

    @property
    def label(self) -> str:
        """How the source is named on the page, in notes and in the calibration's label."""
        what = self.table if self.table is not None else "a query"
        return f"{what} in {redacted(self.url)}"

    def relation(self) -> sa.FromClause:
        if self.table is not None:
            schema, _, name = self.table.rpartition(".")
            return sa.table(name, schema=schema or None)
        return sa.text(self.query).columns().subquery("source")

    def engine(self) -> sa.Engine:
        try:
            return sa.create_engine(self.url)
        except Exception as e:  # noqa: BLE001 - a bad address or a driver that is missing
            raise ChurnDataError(f"Cannot use the database address ({_clean(e, self.url)}): write "
                                 f"it as dialect://user:password@host/database, e.g. "
                                 f"postgresql+psycopg://… or duckdb:///file.duckdb.") from None


LOCAL_TABLES = {".parquet": "read_parquet", ".csv": "read_csv_auto", ".gz": "read_csv_auto",
                ".tsv": "read_csv_auto"}


def local_file(path) -> SqlSource:
    """A large local Parquet or CSV file as a table of an in-memory DuckDB: grouped where it
    lies, never loaded whole into Python."""
    from pathlib import Path

    path = Path(path)
    reader = LOCAL_TABLES.get(path.suffix.lower())
    if reader is None:
        raise ChurnDataError(f"{path.name} is over the in-memory limit and only Parquet or CSV "
                             f"files can be read in place: convert it, or raise the limit.")
    literal = str(path.resolve()).replace("'", "''")
    return SqlSource("duckdb:///:memory:", query=f"select * from {reader}('{literal}')")


def _clean(e: Exception, url: str) -> str:
    """An error's first line, without the address or its password."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    try:
        parsed = make_url(url)
        for secret in (url, parsed.password):
            if secret:
                text = text.replace(str(secret), "***")
    except Exception:  # noqa: BLE001
        text = text.replace(url, "***")
    return text[:160]


def _run(source: SqlSource, statement) -> pd.DataFrame:
    try:
        with source.engine().connect() as conn:
            result = conn.execute(statement)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    except ChurnDataError:
        raise
    except Exception as e:  # noqa: BLE001 - every database error becomes a sentence
        raise ChurnDataError(f"The database refused the query ({_clean(e, source.url)}): check "
                             f"the table or query, and that {redacted(source.url)} is "
                             f"reachable.") from None


def sample(source: SqlSource, rows: int = SAMPLE_ROWS) -> pd.DataFrame:
    """The first rows, for guessing the columns and the preview."""
    frame = _run(source, sa.select(sa.text("*")).select_from(source.relation()).limit(rows))
    if frame.empty:
        raise ChurnDataError(f"{source.label} has no rows: choose another table or query.")
    return frame


def _text(col) -> sa.ColumnElement:
    return sa.func.lower(sa.func.trim(sa.cast(col, sa.String)))


def _flag(col) -> sa.ColumnElement:
    """1 churned, 0 active, −1 blank, −2 unreadable — read inside the database."""
    t = _text(col)
    return sa.case((col.is_(None), -1), (t == "", -1), (t.in_(sorted(CHURNED_SPELLINGS)), 1),
                   (t.in_(sorted(ACTIVE_SPELLINGS)), 0), else_=-2)


def _filled(col) -> sa.ColumnElement:
    """1 where a churn date is filled in, 0 where it is blank (still active)."""
    return sa.case((col.is_(None), 0), (sa.func.trim(sa.cast(col, sa.String)) == "", 0), else_=1)


def _event(source: SqlSource, rel, col: str) -> sa.ColumnElement:
    """The churned flag of ``col`` read inside the database: flags in any spelling, or — for a
    column of dates (the day each customer left) — filled in = churned. Which of the two is
    decided on the column's first filled cells, as for files."""
    first = _run(source, sa.select(sa.column(col)).select_from(rel)
                 .where(sa.column(col).is_not(None)).limit(50))
    if len(first) and looks_like_dates(first.iloc[:, 0]):
        return _filled(sa.column(col))
    return _flag(sa.column(col))


def _month(dialect: str, start) -> sa.ColumnElement:
    """The start month as text, "2024-01", in the database's own date functions."""
    if dialect == "sqlite":
        return sa.func.strftime("%Y-%m", start)
    if dialect == "duckdb":
        return sa.func.strftime(start, "%Y-%m")
    return sa.func.to_char(start, "YYYY-MM")


def _days(dialect: str, start, end) -> sa.ColumnElement:
    """Whole days from ``start`` to ``end`` in the database's own arithmetic."""
    if dialect == "sqlite":
        return sa.cast(sa.func.julianday(end) - sa.func.julianday(start), sa.Integer)
    if dialect == "duckdb":
        return sa.func.floor((sa.func.epoch(end) - sa.func.epoch(start)) / 86400)
    return sa.func.floor(sa.extract("epoch", end - start) / 86400)


def _unreadable(source: SqlSource, rel, col: str, flag) -> ChurnDataError:
    one = _run(source, sa.select(sa.column(col)).select_from(rel).where(flag == -2).limit(1))
    value = one.iloc[0, 0] if len(one) else "?"
    return ChurnDataError(f"Column {quote(col)} has a value that cannot be read as churned or "
                          f"active: {quote(value)}. Use Yes/No, 1/0, true/false or churned/active.")


def load_sql(source: SqlSource, mapping: ColumnMapping, dialect: str | None = None) -> Dataset:
    """Counts per segment, grouped inside the database (see the module docstring)."""
    if mapping.shape != "customers":
        raise ChurnDataError("A database table is read as one row per customer: map a tenure or "
                             "start and end dates, and a churned flag.")
    if mapping.cutoff:
        raise ChurnDataError("A backtest cut-off date needs each customer's dates, which stay in "
                             "the database: a table is backtested on the later periods of each "
                             "customer's life instead — leave the cut-off out, or export the "
                             "table to a file.")
    rel = source.relation()
    dialect = dialect or source.engine().dialect.name
    seg = sa.column(mapping.segment) if mapping.segment else sa.literal("All customers")
    notes: list[str] = []
    as_of_text = None
    if mapping.start:
        start, end = sa.column(mapping.start), sa.column(mapping.end) if mapping.end else None
        as_of = (pd.Timestamp(mapping.as_of) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
                 if mapping.as_of else None)
        if as_of is None:
            latest = [sa.func.max(start)] + ([sa.func.max(end)] if end is not None else [])
            row = _run(source, sa.select(*latest).select_from(rel)).iloc[0]
            as_of = max(pd.Timestamp(x) for x in row if pd.notna(x))
        as_of_text = str(as_of.date())
        limit = sa.literal(as_of.to_pydatetime(), sa.DateTime)
        ended = (sa.and_(end.is_not(None), end <= limit) if end is not None
                 else sa.literal(False))
        if mapping.event:  # a flag beside the dates: churned = flagged and ended (as files)
            flag = _event(source, rel, mapping.event)
            gone = sa.and_(ended, flag == 1)
            churned = sa.case((gone, 1), (flag == 1, _FLAGGED_NOT_ENDED), (flag == -2, -2),
                              (flag == -1, -1), else_=0)
        else:
            gone = ended
            churned = sa.case((gone, 1), else_=0)
        duration = _days(dialect, start, sa.case((gone, end), else_=limit))
    else:
        if not (mapping.duration and mapping.event):
            raise ChurnDataError("Map a tenure and a churned column, or start and end dates.")
        duration = sa.column(mapping.duration)
        churned = _event(source, rel, mapping.event)
    revenue = sa.column(mapping.revenue) if mapping.revenue else sa.cast(sa.null(), sa.Float)
    grouped = (sa.select(seg.label("segment"), duration.label("duration"), churned.label("churned"),
                         sa.func.count().label("n"), sa.func.sum(revenue).label("revenue_sum"),
                         sa.func.count(revenue).label("revenue_n"))
               .select_from(rel).group_by(sa.text("1"), sa.text("2"), sa.text("3")))
    counts = _run(source, grouped)
    dataset = _dataset(source, rel, mapping, counts, notes, as_of_text)
    if mapping.start:  # retention by start month, grouped inside the database as well
        dataset = replace(dataset, notes=(*dataset.notes, (
            "The backtest on the earlier calendar window needs each customer's dates, which "
            "stay in the database: this table is backtested on the later periods of each "
            "customer's life only (a file of it gets both).")))
        by_month = (sa.select(_month(dialect, start).label("month"), duration.label("duration"),
                              churned.label("churned"), sa.func.count().label("n"))
                    .select_from(rel).group_by(sa.text("1"), sa.text("2"), sa.text("3")))
        months = _run(source, by_month)
        keys, codes = np.unique(months["month"].astype(str).to_numpy(), return_inverse=True)
        dataset = replace(dataset, cohorts=month_cohorts(
            keys, codes.reshape(-1),
            np.maximum(pd.to_numeric(months["duration"]).to_numpy(dtype=np.int64),
                       (months["churned"].astype(int) == 1).to_numpy(dtype=np.int64)),
            (months["churned"].astype(int) == 1).to_numpy(), DAYS_PER_MONTH,
            months["n"].astype(float).to_numpy()))
    return dataset


def _dataset(source: SqlSource, rel, mapping: ColumnMapping, counts: pd.DataFrame,
             notes: list[str], as_of: str | None) -> Dataset:
    if counts.empty:
        raise ChurnDataError(f"{source.label} has no rows: choose another table or query.")
    flag = counts["churned"].astype(int).to_numpy()
    if (flag == -2).any():
        raise _unreadable(source, rel, mapping.event, _flag(sa.column(mapping.event)))
    if (flag == _FLAGGED_NOT_ENDED).any():
        n = int(counts.loc[flag == _FLAGGED_NOT_ENDED, "n"].sum())
        raise ChurnDataError(
            f"{plural(n, 'customer')} in {quote(mapping.event)} churned but "
            f"{'has' if n == 1 else 'have'} no end date on or before {as_of}: add the end dates "
            f"or correct the churned flags.")
    if (flag == -1).any():
        blank = int(counts.loc[flag == -1, "n"].sum())
        if not mapping.blank_is_active:
            raise ChurnDataError(f"Column {quote(mapping.event)} is blank in "
                                 f"{plural(blank, 'row')}: fill it in, or say that a blank means "
                                 f"the customer is still active.")
    dur = pd.to_numeric(counts["duration"], errors="coerce").to_numpy(dtype=float)
    what = mapping.duration or mapping.start
    if np.isnan(dur).any():
        n = int(counts.loc[np.isnan(dur), "n"].sum())
        raise ChurnDataError(f"Column {quote(what)} is blank or not a number in "
                             f"{plural(n, 'row')}: fill those in or leave those rows out of the "
                             f"query.")
    if (dur < 0).any():
        raise ChurnDataError(f"Column {quote(what)} gives a negative duration "
                             f"({quote_id(dur[dur < 0][0])}) in "
                             f"{plural(int(counts.loc[dur < 0, 'n'].sum()), 'row')}: fix those rows.")
    unit = "days" if mapping.start else mapping.period
    if dur.max() > tenure_limit(unit):
        raise ChurnDataError(f"Column {quote(what)} has a tenure of {quote(dur.max())} {unit}, over "
                             f"the maximum of {tenure_limit(unit):,} {unit} "
                             f"({MAX_TENURE_MONTHS // 12} years): fix that row, or check the unit.")
    if np.any(np.abs(dur - np.round(dur)) > 1e-9):
        raise ChurnDataError(f"Column {quote(what)} has fractional durations: durations must be "
                             f"whole {unit}.")
    churned = flag == 1
    ticks = np.round(dur).astype(np.int64)
    zero = churned & (ticks == 0)
    if zero.any():
        notes.append(f"{int(counts.loc[zero, 'n'].sum()):,} churned customers had a duration of "
                     f"0; counted as leaving after one {unit[:-1]}.")
        ticks = np.where(zero, 1, ticks)
    names_raw = counts["segment"].map(lambda x: "(blank)" if x is None or str(x).strip() == ""
                                      else str(x).strip())
    codes, names = pd.factorize(names_raw, sort=True)
    if len(names) > MAX_SEGMENTS:
        raise ChurnDataError(f"Column {quote(mapping.segment)} has {len(names):,} distinct values, "
                             f"too many segments (at most {MAX_SEGMENTS}): choose a column with a "
                             f"few groups, or no segment.")
    k = 12 if mapping.period == "years" and not mapping.start else 1
    if mapping.start or unit in ("days", "weeks"):
        days = ticks * (1 if mapping.start else int(DAYS_PER[unit]))
        tpp, ages = DAYS_PER_MONTH, np.floor(days / DAYS_PER_MONTH + 1e-9).astype(np.int64)
        ticks = days
    else:
        tpp, ages = 1.0, ticks * MONTHS_PER[unit]
    rev = counts["revenue_sum"].astype(float).fillna(0.0).to_numpy()
    rev_n = counts["revenue_n"].astype(float).to_numpy()
    segments = aggregate(codes, list(names), ticks, churned, rev if mapping.revenue else None,
                         ages, k, tpp, counts["n"].astype(float).to_numpy(),
                         rev_n if mapping.revenue else None)
    rows = int(counts["n"].sum())
    if sum(sd.counts.n_churned for sd in segments) == rows:
        notes.append(ALL_CHURNED)
    notes.insert(0, f"Grouped inside the database: {plural(len(counts), 'count row')} travelled "
                    f"for {plural(rows, 'customer')}.")
    return Dataset(tuple(segments), k, "customers", rows, tuple(notes), as_of,
                   "dates" if mapping.start else unit)


def sql_mapping(source: SqlSource, overrides=None) -> tuple[ColumnMapping, pd.DataFrame]:
    """The mapping guessed from a sample of the table, with the user's overrides."""
    frame = sample(source)
    return with_overrides(guess_mapping(frame, "customers"), dict(overrides or {})), frame
