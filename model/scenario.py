"""Scenario files: a flat JSON object of assumption name → value (fractions as fractions)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

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
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
