"""Churn data in, calibrated baseline out: read a CSV, map its columns, aggregate, fit, calibrate.

| file          | holds                                                                      |
|---------------|----------------------------------------------------------------------------|
| errors.py     | ``ChurnDataError``, the upload limit, the longest tenure, quoting in messages |
| read.py       | bytes → table: size, gzip, file type, encoding, delimiter, decimal commas  |
| columns.py    | ``ColumnMapping`` and the guesses (customer rows or cohort table)           |
| cells.py      | numbers, churned flags and dates out of cells                               |
| dataset.py    | ``Dataset`` / ``SegmentData`` and the aggregation by distinct duration      |
| customers.py  | customer rows → datasets (tenure or dates)                                  |
| cohorts.py    | cohort survival tables → datasets                                           |
| fit.py        | Kaplan–Meier and every curve per segment, plain-words checks                |
| calibrate.py  | fitted segments → the model's ``Baseline``                                  |
| report.py     | the CLI's JSON and the Kaplan–Meier table                                   |
| pipeline.py   | ``fit_upload``: read → guess → load → fit, for the CLI, the page, benchmarks |

Every problem with a file raises ``ChurnDataError`` with one sentence saying what is wrong and how
to fix it (naming the line or column at fault). Nothing here imports Streamlit.
"""

from model.churn.calibrate import (
    build_baseline,
    chosen_keys,
    curve_for,
    expected_survivors_of_a_year,
)
from model.churn.cells import dates, flags, numbers
from model.churn.cohorts import cohort_dataset
from model.churn.columns import (
    DEFAULT_COHORT_SIZE,
    MAX_SEGMENTS,
    MONTHS_PER,
    SHAPES,
    ColumnMapping,
    guess_mapping,
    with_overrides,
)
from model.churn.customers import DAYS_PER_MONTH, customer_dataset
from model.churn.dataset import Dataset, SegmentData, load_dataset
from model.churn.errors import (
    MAX_TENURE_MONTHS,
    MAX_UPLOAD_ENV,
    ChurnDataError,
    max_upload_mb,
    quote,
)
from model.churn.fit import SegmentFit, fit_checks, fit_dataset
from model.churn.pipeline import Upload, fit_upload, mapping_for, read_source
from model.churn.read import CsvFile, read_csv_bytes, read_csv_path
from model.churn.report import fit_report, km_table

__all__ = ["DAYS_PER_MONTH", "DEFAULT_COHORT_SIZE", "MAX_SEGMENTS", "MAX_TENURE_MONTHS",
           "MAX_UPLOAD_ENV", "MONTHS_PER", "SHAPES", "ChurnDataError", "ColumnMapping", "CsvFile",
           "Dataset", "SegmentData", "SegmentFit", "Upload", "build_baseline", "chosen_keys",
           "cohort_dataset", "curve_for", "customer_dataset", "dates", "expected_survivors_of_a_year",
           "fit_checks", "fit_dataset", "fit_report", "fit_upload", "flags", "guess_mapping",
           "km_table", "load_dataset", "mapping_for", "max_upload_mb", "numbers", "quote",
           "read_csv_bytes", "read_csv_path", "read_source", "with_overrides"]
