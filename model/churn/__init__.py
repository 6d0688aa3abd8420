"""Churn data in, calibrated baseline out: read a file, map its columns, aggregate, fit, calibrate.

| file             | holds                                                                        |
|------------------|------------------------------------------------------------------------------|
| _errors.py       | ``ChurnDataError``, the upload limit, the longest tenure, quoting in messages |
| _read.py         | bytes → table: size, gzip, file type, encoding, delimiter, decimal commas    |
| _columns.py      | ``ColumnMapping`` and the guesses (customer rows or cohort table)             |
| _cells.py        | numbers, churned flags and dates out of cells                                 |
| _dataset.py      | ``Dataset`` / ``SegmentData`` and the aggregation by distinct duration        |
| _customers.py    | customer rows → a dataset (tenure or dates)                                   |
| _cohorts.py      | cohort survival tables → a dataset                                            |
| _calendar.py     | a date file as it stood on a cut-off date: the calendar-window holdout        |
| _segment_fit.py  | Kaplan–Meier and every curve per segment, plain-words checks                  |
| _calibrate.py    | fitted segments → the model's ``Baseline``                                    |
| _export.py       | fitted segments as plain data: CLI JSON, Kaplan–Meier table, curves CSV       |
| _sql.py          | a database table: GROUP BY pushed down, only counts travel                    |
| _pipeline.py     | ``fit_upload`` / ``fit_sql``: read → guess → load → fit, everywhere           |

Every problem with a file raises ``ChurnDataError`` with one sentence saying what is wrong and how
to fix it (naming the line or column at fault). Nothing here imports Streamlit.
"""

from model.churn._calibrate import build_baseline, chosen_keys, market_size_for
from model.churn._columns import (
    DEFAULT_COHORT_SIZE,
    SHAPES,
    ColumnMapping,
    guess_mapping,
    guess_unit,
)
from model.churn._customers import DAYS_PER_MONTH
from model.churn._dataset import Dataset, SegmentData
from model.churn._errors import MAX_TENURE_MONTHS, ChurnDataError, max_upload_mb
from model.churn._export import curves_table, fit_report, km_table
from model.churn._pipeline import (
    Upload,
    fit_sql,
    fit_upload,
    load_dataset,
    mapping_for,
    read_source,
)
from model.churn._read import CsvFile
from model.churn._segment_fit import Fitted, SegmentFit, fit_dataset
from model.churn._sql import SqlSource, local_file, redacted, sample

__all__ = ["DAYS_PER_MONTH", "DEFAULT_COHORT_SIZE", "MAX_TENURE_MONTHS", "SHAPES",
           "ChurnDataError", "ColumnMapping", "CsvFile", "Dataset", "Fitted", "SegmentData",
           "SegmentFit", "SqlSource", "Upload", "build_baseline", "chosen_keys", "curves_table",
           "fit_dataset", "fit_report", "fit_sql", "fit_upload", "guess_mapping", "guess_unit",
           "km_table", "load_dataset", "local_file", "mapping_for", "market_size_for", "max_upload_mb",
           "read_source", "redacted", "sample"]
