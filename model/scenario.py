"""Scenario files: a flat JSON object of assumption name → value (fractions as fractions)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from model.assumptions import ScenarioError, validate


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise ScenarioError(f"key {key!r} appears more than once", key=key)
        seen[key] = value
    return seen


def parse_scenario(text: str | bytes) -> dict[str, float | int | bool]:
    """A complete, validated scenario from JSON text; names left out take their defaults.

    Raises ScenarioError with one line naming the key, the value and the allowed range.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError("the file is not UTF-8 text; a scenario is a JSON object") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise ScenarioError(
            f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    if not isinstance(data, dict):
        raise ScenarioError(
            "a scenario must be a JSON object of assumption name → value, e.g. {\"honesty\": 0.5}")
    return validate(data)


def load_scenario(path: str | Path) -> dict[str, float | int | bool]:
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise ScenarioError(f"cannot read {path}: {e.strerror or e}") from None
    return parse_scenario(raw)


def dump_scenario(values: Mapping[str, object]) -> str:
    """JSON text for a scenario, in registry order, readable by ``parse_scenario``."""
    return json.dumps(validate(values), indent=2, ensure_ascii=False) + "\n"


def write_atomically(path: str | Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    path = Path(path)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; the result is not
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# A text cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def safe_csv(table: pd.DataFrame) -> str:
    """CSV of ``table`` with text cells and headers neutralised; numbers stay numbers."""
    out = table.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
    # CRLF line ends (RFC 4180) also make the writer quote a text cell holding a lone CR.
    return out.to_csv(index=False, lineterminator="\r\n")
