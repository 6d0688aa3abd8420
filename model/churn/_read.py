"""Bytes to a table: size limits, gzip, Parquet and Excel, file-type sniffing, text encodings,
delimiters, decimal commas.

Parquet is read with pyarrow (already the app's engine for big CSVs: columnar, typed, no text to
guess); Excel workbooks (.xlsx, .xlsm, .xls, .ods) with python-calamine through pandas — a Rust
reader, several times faster than openpyxl and without its XML parser, maintained with pandas'
own engine for it. A workbook's first sheet is read (the note says which, and how many more).

Detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Latin-1/Windows-1252), the
delimiter (comma, semicolon, tab, pipe) and decimal commas. Files over the upload limit are refused
before they are read whole (``read_csv_path`` checks the size on disk; gzip is decompressed only up
to the limit).
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.churn._errors import MAX_UPLOAD_ENV, ChurnDataError, max_upload_mb, quote


@dataclass(frozen=True, eq=False)
class CsvFile:
    """A parsed file and how it was read."""

    frame: pd.DataFrame
    name: str
    encoding: str
    delimiter: str
    decimal: str
    notes: tuple[str, ...] = ()


_SIGNATURES = (
    (b"PK\x03\x04", "a zip archive (or a damaged Excel workbook)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format", "an SQLite database"),
)
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
MAX_COLUMNS = 2_000  # a churn file needs a handful; column guessing is bounded by this
_ARROW_FROM_BYTES = 4_000_000  # below this pandas' C parser is as fast and more forgiving
_EMPTY = ("The file is empty: upload a CSV with a header row and one row per customer (or a "
          "cohort table).")


def _too_big(size_mb: float, limit: float) -> ChurnDataError:
    return ChurnDataError(
        f"The file is {size_mb:,.1f} MB, over the upload limit of {limit:g} MB: upload only "
        f"the columns you need, compress it as .csv.gz, or raise the limit with the "
        f"{MAX_UPLOAD_ENV} environment variable.")


def read_csv_bytes(data: bytes, name: str = "file.csv", max_mb: float | None = None) -> CsvFile:
    """Parse uploaded bytes (CSV, optionally gzip-compressed) into a DataFrame."""
    limit = max_upload_mb() if max_mb is None else max_mb
    if len(data) / 1e6 > limit:
        raise _too_big(len(data) / 1e6, limit)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, limit)
    if not data.strip():
        raise ChurnDataError(_EMPTY)
    if data[:4] == b"PAR1":
        return _checked(_parquet(data), name, "parquet", "", ".", [])
    if data[:4] == b"\xd0\xcf\x11\xe0" or (data[:4] == b"PK\x03\x04" and _is_workbook(data)):
        frame, notes = _workbook(data, limit)
        return _checked(frame, name, "excel", "", ".", notes)
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise ChurnDataError(
                f"This is {what}, not a CSV file: open it in its program and save or export it "
                f"as CSV, Parquet or Excel (in Excel: File › Save As › CSV UTF-8), then upload "
                f"that.")
    data, encoding, notes = _text(data)
    data, hinted = _sep_line(data)
    delimiter, decimal, more = _dialect(data, encoding, hinted)
    _check_width(data, delimiter)
    frame = _parse(data, encoding, delimiter, decimal)
    return _checked(frame, name, encoding, delimiter, decimal, notes + more)


def _too_wide(columns: int) -> ChurnDataError:
    return ChurnDataError(
        f"The file has {columns:,} columns, more than the {MAX_COLUMNS:,} a churn file can have: "
        f"keep the few it needs (tenure or start and end dates, the churned flag, and a segment, "
        f"revenue or id if you like) and upload it again.")


def _check_width(data: bytes, delimiter: str) -> None:
    """Refuse a header of thousands of columns before parsing it: guessing what each column
    means costs time per column, and a wide file is not a churn file."""
    end = data.find(b"\n")
    header = data if end < 0 else data[:end]
    columns = header.count(delimiter.encode("utf-8")) + 1
    if columns > MAX_COLUMNS:
        raise _too_wide(columns)


def _checked(frame: pd.DataFrame, name: str, encoding: str, delimiter: str, decimal: str,
             notes: list[str]) -> CsvFile:
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.shape[1] < 2:
        raise ChurnDataError(
            f"Only one column was found ({quote(frame.columns[0])}): the file needs at least a "
            f"duration and a churn column (comma- or semicolon-separated).")
    if len(frame) == 0:
        raise ChurnDataError(
            "The file has a header row but no data rows: add one row per customer (or per "
            "period for a cohort table).")
    return CsvFile(frame, name, encoding, delimiter, decimal, tuple(notes))


def _parquet(data: bytes) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        columns = len(pq.read_schema(io.BytesIO(data)).names)
        if columns > MAX_COLUMNS:
            raise _too_wide(columns)
        table = pq.read_table(io.BytesIO(data))
    except ChurnDataError:
        raise
    except Exception as e:  # noqa: BLE001 - pyarrow raises several kinds for a broken file
        raise ChurnDataError(f"The Parquet file could not be read ({str(e).strip()[:120]}): "
                             f"write it again, or export the table as CSV.") from None
    return _numpy_backed(table.to_pandas(types_mapper=pd.ArrowDtype))


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
    except zipfile.BadZipFile:
        return False
    return any(n.startswith(("xl/", "content.xml")) for n in names)


def _workbook(data: bytes, limit_mb: float) -> tuple[pd.DataFrame, list[str]]:
    """The first sheet of a workbook; refused when its parts unpack past the upload limit (a
    zip bomb stops at its table of contents)."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
        if unpacked > 4 * limit_mb * 1e6:
            raise ChurnDataError(
                f"The workbook unpacks to {unpacked / 1e6:,.0f} MB, over four times the upload "
                f"limit of {limit_mb:g} MB: save the sheet you need as CSV and upload that.")
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="calamine", nrows=0)
        first = next(iter(sheets))
        frame = pd.read_excel(io.BytesIO(data), sheet_name=first, engine="calamine")
    except ChurnDataError:
        raise
    except Exception as e:  # noqa: BLE001 - calamine raises several kinds for a broken file
        kind = "an old Excel workbook (.xls)" if data[:4] == b"\xd0\xcf\x11\xe0" else (
            "an Excel workbook")
        raise ChurnDataError(f"This looks like {kind} but could not be read "
                             f"({str(e).strip()[:80]}): open it in Excel and save it again "
                             f"(File › Save As), or save the sheet as CSV UTF-8.") from None
    notes = [f"Read the first sheet, {quote(first)}"
             + (f", of {len(sheets)}." if len(sheets) > 1 else ".")]
    return frame.dropna(how="all"), notes


def _text(data: bytes) -> tuple[bytes, str, list[str]]:
    """The bytes as UTF-8 when they were UTF-16, the encoding to read them with, and notes."""
    encoding = _encoding(data)
    notes: list[str] = []
    if encoding == "utf-16":
        data = data.decode("utf-16").encode("utf-8")
        encoding, notes = "utf-8", ["The file was UTF-16 text; read it as such."]
    if b"\x00" in data[:65536]:
        raise ChurnDataError("The file is binary, not text: upload a CSV (comma- or "
                             "semicolon-separated text with a header row).")
    if encoding == "cp1252":
        notes.append("The file is not UTF-8; read it as Latin-1 / Windows-1252.")
    return data, encoding, notes


_SEP_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?\"?sep=(.)\"?[ \t]*\r?\n")


def _sep_line(data: bytes) -> tuple[bytes, str | None]:
    """Excel's ``sep=;`` first line names the delimiter: read it, then drop the line."""
    m = _SEP_LINE.match(data[:64])
    if m is None:
        return data, None
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return bom + data[m.end():], m.group(1).decode("latin-1")


def _dialect(data: bytes, encoding: str,
             hinted: str | None = None) -> tuple[str, str, list[str]]:
    """Delimiter and decimal mark from the first 64 kB (the delimiter from a ``sep=`` line when
    the file has one)."""
    head_text = data[:65536].decode(encoding, errors="replace")
    lines = [ln for ln in head_text.splitlines() if ln.strip()]
    header = lines[0] if lines else ""
    delimiter = max(_DELIMITERS, key=header.count)
    if header.count(delimiter) == 0:
        delimiter = ","
    notes = []
    if hinted is not None:
        delimiter = hinted
        notes.append(f"The first line, sep={hinted} (Excel's note of the delimiter), was read and "
                     f"skipped.")
    decimal = "."
    if delimiter != "," and any(re.search(r"(?<![\d.])\d+,\d+(?![\d,])", ln) for ln in lines[1:50]):
        decimal = ","
        notes.append("Numbers were read with decimal commas (e.g. 12,5 = 12.5).")
    if delimiter != ",":
        notes.append(f"Columns are separated by {_DELIMITER_NAMES.get(delimiter, repr(delimiter))}s.")
    return delimiter, decimal, notes


def _parse(data: bytes, encoding: str, delimiter: str, decimal: str) -> pd.DataFrame:
    try:
        if len(data) > _ARROW_FROM_BYTES and decimal == "." and encoding.startswith("utf-8"):
            try:  # multi-threaded and several times faster on big files
                return _numpy_backed(pd.read_csv(io.BytesIO(data), sep=delimiter,
                                                 encoding=encoding, engine="pyarrow",
                                                 dtype_backend="pyarrow"))
            except Exception:  # noqa: BLE001 - the C engine below gives the precise message
                pass
        return pd.read_csv(io.BytesIO(data), sep=delimiter, decimal=decimal, encoding=encoding,
                           skipinitialspace=True, low_memory=False)
    except pd.errors.EmptyDataError:
        raise ChurnDataError(_EMPTY) from None
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            raise ChurnDataError(
                f"Line {m.group(2)} has {m.group(3)} values but the header has {m.group(1)}: "
                f"check the delimiter and quotes on that line.") from None
        raise ChurnDataError(f"The file is not a readable CSV ({str(e).strip()[:120]}): check "
                             f"its delimiter and quotes.") from None
    except UnicodeDecodeError:
        raise ChurnDataError("The file's text encoding could not be read: save it as CSV "
                             "UTF-8 and upload again.") from None


def _numpy_backed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers and dates from Arrow into numpy (NaN / NaT for blanks); text stays in Arrow, where
    hashing a million strings is cheap and no Python objects are made."""
    import pyarrow as pa

    out = {}
    for c in frame.columns:
        s = frame[c]
        t = getattr(s.dtype, "pyarrow_dtype", None)
        if t is None or pa.types.is_string(t) or pa.types.is_large_string(t):
            out[c] = s
        elif pa.types.is_integer(t) and not s.isna().any():
            out[c] = s.to_numpy(dtype=np.int64)
        elif pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
            out[c] = s.to_numpy(dtype=float, na_value=np.nan)
        elif pa.types.is_date(t) or pa.types.is_timestamp(t):
            arr = pa.compute.cast(pa.chunked_array(s.array._pa_array), pa.timestamp("s"),
                                  safe=False)  # whole seconds: fractions of one are dropped
            out[c] = arr.to_numpy()
        else:
            out[c] = s.astype(str)
    return pd.DataFrame(out, index=frame.index)


def _gunzip(data: bytes, limit_mb: float) -> bytes:
    """Decompress at most the limit plus one byte (a gzip bomb stops there)."""
    try:
        out = gzip.GzipFile(fileobj=io.BytesIO(data)).read(int(limit_mb * 1e6) + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise ChurnDataError(f"The file looks gzip-compressed but could not be decompressed "
                             f"({e}): compress it again or upload the plain CSV.") from None
    if len(out) > limit_mb * 1e6:
        raise ChurnDataError(f"The decompressed file is over the upload limit of {limit_mb:g} MB: "
                             f"upload only the columns you need or raise {MAX_UPLOAD_ENV}.")
    return out


def _encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def read_csv_path(path: str | Path, max_mb: float | None = None) -> CsvFile:
    """Read a file from disk, refusing one over the limit from its size before reading it."""
    p = Path(path)
    limit = max_upload_mb() if max_mb is None else max_mb
    try:
        size = p.stat().st_size
        if size / 1e6 > limit:
            raise _too_big(size / 1e6, limit)
        data = p.read_bytes()
    except OSError as e:
        raise ChurnDataError(f"Cannot read {p.name}: {e.strerror or e}.") from None
    return read_csv_bytes(data, p.name, limit)
