"""Scenario files: a flat JSON object of assumption name → value (fractions as fractions).

Also the guarded JSON reader (``read_json``) every JSON a user hands in goes through: scenario,
ranges, answer and workspace files get the same depth, number and size guards."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from model.assumptions import BY_NAME, ScenarioError, allowed, unknown_key, validate

# Guards: a scenario is a flat object of a few dozen numbers, a few kilobytes. Anything far beyond
# is refused before it can cost memory, time or a traceback (json's recursion, int's digit limit).
MAX_SCENARIO_BYTES = 1_000_000
MAX_DEPTH = 20  # nesting of brackets; a valid scenario has 1
MAX_NUMBER_CHARS = 40  # a float's round-trip text is at most ~25 characters
MAX_KEY_CHARS = 100
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def shorten(value: object, limit: int = 40) -> str:
    """``repr(value)`` of at most about ``limit`` characters, cut with "…": a quoted value never
    floods a message."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + "…"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise ScenarioError(f"key {shorten(key)} appears more than once", key=key[:MAX_KEY_CHARS])
        seen[key] = value
    return seen


def _number(text: str) -> float | int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ScenarioError(f"a number of {len(text):,} characters is too long; write a number "
                            f"of at most {MAX_NUMBER_CHARS} characters")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _check_depth(text: str, what: str) -> None:
    """Refuse deep nesting before json recurses into it (``[`` × 200,000 would)."""
    depth = 0
    for m in _BRACKETS.finditer(_STRINGS.sub("", text)):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            shape = ("a scenario is a flat JSON object of assumption name → value"
                     if what == "scenario" else f"a {what} file nests a few levels at most")
            raise ScenarioError(f"brackets nested more than {MAX_DEPTH} deep; {shape}")


def _too_big(size: int, what: str, limit: int) -> ScenarioError:
    return ScenarioError(f"the file is {size:,} bytes; a {what} file is at most {limit:,} bytes")


def read_json(text: str | bytes, what: str = "scenario",
              max_bytes: int = MAX_SCENARIO_BYTES) -> object:
    """JSON text read with the guards of a scenario file, for every JSON a user hands in.

    Refused with one sentence (ScenarioError, never a RecursionError, a MemoryError or a
    traceback): more than ``max_bytes``, not UTF-8, brackets nested beyond ``MAX_DEPTH``, a
    number longer than ``MAX_NUMBER_CHARS``, a key given twice, or not JSON at all.
    """
    if len(text) > max_bytes:
        raise _too_big(len(text), what, max_bytes)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError(f"the file is not UTF-8 text, so not JSON; a {what} file is JSON "
                                "in UTF-8") from None
    _check_depth(text, what)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_number,
                          parse_float=_number)
    except json.JSONDecodeError as e:
        what_is_wrong = "not valid JSON" if what == "scenario" else "the file is not JSON"
        raise ScenarioError(
            f"{what_is_wrong} (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:  # belt and braces: _check_depth refuses this first
        raise ScenarioError("brackets nested too deeply") from None


def read_json_file(path: str | Path, what: str = "scenario",
                   max_bytes: int = MAX_SCENARIO_BYTES) -> object:
    """``read_json`` of a file whose size is checked before a byte of it is read."""
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            raise _too_big(size, what, max_bytes)
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1)  # a file that grew since: still never more than this
    except OSError as e:
        raise ScenarioError(f"cannot read {path}: {e.strerror or e}") from None
    return read_json(raw, what, max_bytes)


def _short_values(data: dict[str, object]) -> dict[str, object]:
    """Unknown keys, and values whose quote would be long, refused here with short quotes (the
    registry's own messages quote the whole value)."""
    for key, value in data.items():
        if key not in BY_NAME:
            raise ScenarioError(unknown_key(key[:MAX_KEY_CHARS], shorten(key)),
                                key=key[:MAX_KEY_CHARS])
        if not isinstance(value, (bool, int, float)) and len(repr(value)) > 42:
            a = BY_NAME[key]
            what = "is not allowed" if a.kind == "bool" else "is not a number"
            raise ScenarioError(f"{key}: {shorten(value)} {what}; expected {allowed(a)}", key=key)
    return data


def parse_scenario(text: str | bytes) -> dict[str, float | int | bool]:
    """A complete, validated scenario from JSON text; names left out take their defaults.

    Raises ScenarioError with one short line naming the key, the value and the allowed range; a
    file over ``MAX_SCENARIO_BYTES``, nested beyond ``MAX_DEPTH`` or with a number longer than
    ``MAX_NUMBER_CHARS`` is refused with a sentence (``read_json``).
    """
    data = read_json(text)
    if not isinstance(data, dict):
        raise ScenarioError(
            "a scenario must be a JSON object of assumption name → value, e.g. {\"honesty\": 0.5}")
    return validate(_short_values(data))


def load_scenario(path: str | Path) -> dict[str, float | int | bool]:
    """``parse_scenario`` of a file; its size is checked before it is read."""
    data = read_json_file(path)
    if not isinstance(data, dict):
        raise ScenarioError(
            "a scenario must be a JSON object of assumption name → value, e.g. {\"honesty\": 0.5}")
    return validate(_short_values(data))


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
