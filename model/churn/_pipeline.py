"""The one upload pipeline: read → guess the columns → load → fit, with the user's overrides.

Used by the command line (``python cli.py fit``), the Churn data page and benchmarks/bench_fit.py,
so a file gives the same fits, notes and messages wherever it is opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from model.churn._cohorts import cohort_dataset
from model.churn._columns import ColumnMapping, guess_mapping, guess_unit, with_overrides
from model.churn._customers import customer_dataset
from model.churn._dataset import Dataset
from model.churn._errors import quote
from model.churn._read import CsvFile, read_csv_bytes, read_csv_path
from model.churn._segment_fit import DEFAULT_HORIZON_MONTHS, Fitted, Progress, fit_dataset
from model.churn._sql import SqlSource, load_sql, sql_mapping

_CUSTOMER_ROLES = ("duration", "event", "start", "end")


@dataclass(frozen=True, eq=False)
class Upload:
    """A file read, mapped, loaded and fitted."""

    csv: CsvFile
    mapping: ColumnMapping
    dataset: Dataset
    fitted: Fitted

    @property
    def notes(self) -> tuple[str, ...]:
        """How the file was read, what loading it noticed, and the segments left out."""
        return self.csv.notes + self.dataset.notes + self.fitted.skipped


def load_dataset(frame: pd.DataFrame, mapping: ColumnMapping) -> Dataset:
    """Counts per segment from a table and its ``ColumnMapping`` (customer rows or a cohort
    table)."""
    if mapping.shape == "cohort":
        return cohort_dataset(frame, mapping)
    return customer_dataset(frame, mapping)


def read_source(source: CsvFile | bytes | str | Path, name: str | None = None,
                max_mb: float | None = None) -> CsvFile:
    """A parsed file from bytes, a path (size checked before reading) or an already read file."""
    if isinstance(source, CsvFile):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        return read_csv_bytes(bytes(source), name or "file.csv", max_mb)
    return read_csv_path(source, max_mb)


def mapping_for(csv: CsvFile, overrides: Mapping[str, object] | None = None,
                shape: str | None = None) -> ColumnMapping:
    """The guessed mapping with ``overrides`` (role → column or value) applied; ``shape`` forces
    customer rows or a cohort table (naming a customer column implies customer rows)."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    if shape is None and any(r in overrides for r in _CUSTOMER_ROLES):
        shape = "customers"
    return with_overrides(guess_mapping(csv.frame, shape), overrides)


def fit_upload(source: CsvFile | bytes | str | Path, *, name: str | None = None,
               mapping: ColumnMapping | None = None,
               overrides: Mapping[str, object] | None = None, shape: str | None = None,
               progress: Progress | None = None, max_mb: float | None = None,
               horizon_months: int = DEFAULT_HORIZON_MONTHS, holdout: int | None = None) -> Upload:
    """Read, map (``mapping`` as given, else guessed with ``overrides`` and ``shape``), load and
    fit. Every problem with the file raises ``ChurnDataError`` naming the line or column."""
    if progress is not None:
        progress(0.0, "Reading the file")
    csv = read_source(source, name, max_mb)
    as_guessed = mapping is None
    if as_guessed:
        mapping = mapping_for(csv, overrides, shape)
    if progress is not None:
        progress(0.2, f"Counting {len(csv.frame):,} rows by duration")
    dataset = load_dataset(csv.frame, mapping)
    guessed = (mapping.shape == "customers" and mapping.duration
               and (overrides or {}).get("period") is None)
    if guessed and (as_guessed or mapping == mapping_for(csv, overrides, shape)):
        unit, why = guess_unit(csv.frame, mapping.duration)
        if unit == mapping.period:
            dataset = replace(dataset, notes=(
                f"Durations in {quote(mapping.duration)} were read as {unit} ({why}); choose "
                f"another unit if they count something else.", *dataset.notes))

    def fitting(share: float, text: str) -> None:
        if progress is not None:
            progress(0.3 + 0.7 * share, text)

    # Trial points far from the optimum overflow on purpose; the fitters treat them as
    # impossible. numpy's floating-point state is per thread (a context), so a page's fit does
    # not silence another session's.
    with np.errstate(all="ignore"):
        fitted = fit_dataset(dataset, fitting, horizon_months, holdout)
    return Upload(csv, mapping, dataset, fitted)


def fit_sql(source: SqlSource, *, mapping: ColumnMapping | None = None,
            overrides: Mapping[str, object] | None = None, progress: Progress | None = None,
            horizon_months: int = DEFAULT_HORIZON_MONTHS, holdout: int | None = None) -> Upload:
    """A database table fitted from counts grouped inside the database (model/churn/_sql.py);
    ``mapping`` as given, else guessed from a sample with ``overrides``."""
    if progress is not None:
        progress(0.0, "Reading a sample of the table")
    if mapping is None:
        mapping, frame = sql_mapping(source, overrides)
    else:
        frame = pd.DataFrame()
    if progress is not None:
        progress(0.2, "Counting inside the database")
    dataset = load_sql(source, mapping)
    with np.errstate(all="ignore"):
        fitted = fit_dataset(dataset, progress, horizon_months, holdout)
    sample = CsvFile(frame, source.label, "database", "", ".",
                     (f"Columns guessed from the first {len(frame):,} rows.",) if len(frame) else ())
    return Upload(sample, mapping, dataset, fitted)
