"""Uncertainty ranges: low / likely / high per assumption, from the registry, an edited table or JSON.

Data contract of a ranges mapping (``parse_ranges``; the workshop's pooled estimates use it too):

| key    | meaning                                   | type   |
|--------|-------------------------------------------|--------|
| name   | a registry assumption with a range        | str    |
| low    | lowest plausible value, registry units    | number |
| likely | most likely value (optional: the scenario's value) | number |
| high   | highest plausible value                   | number |

As JSON: ``{"gross_margin": {"low": 0.5, "likely": 0.6, "high": 0.7}, ...}``. Names left out keep
the table's ranges; values must satisfy min ≤ low ≤ likely ≤ high ≤ max of the registry.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.assumptions import BY_NAME, REGISTRY, ScenarioError, validate
from model.scenario import read_json_file
from model.simulation import Baseline

# Taken from the calibrated baseline when there is one (model.simulation ignores them then).
DATA_GIVEN: tuple[str, ...] = ("customers", "arpu_monthly", "annual_churn")
RANGE_KEYS: tuple[str, ...] = ("low", "likely", "high")


@dataclass(frozen=True)
class Range:
    """Low / likely / high of one uncertain assumption, in its registry unit."""

    name: str
    low: float
    likely: float
    high: float

    @property
    def collapsed(self) -> bool:
        return self.low == self.high


def calibrated(baseline: object | None) -> bool:
    """The business basics come from churn data (a ``model.structure.Structured`` wraps its
    calibration, if any, as ``inner``)."""
    return getattr(baseline, "inner", baseline) is not None


def uncertain_names(baseline: Baseline | None = None) -> tuple[str, ...]:
    """Registry assumptions with a low/high range (minus those the calibrated data gives)."""
    return tuple(a.name for a in REGISTRY
                 if a.uncertain and not (calibrated(baseline) and a.name in DATA_GIVEN))


def response_names() -> tuple[str, ...]:
    """Assumptions a customer response stands behind, read from the registry at call time."""
    return tuple(a.name for a in REGISTRY if a.response)


def default_ranges(values: Mapping[str, object],
                   baseline: Baseline | None = None) -> tuple[Range, ...]:
    """Registry ranges around the scenario: likely = the scenario's value.

    When the scenario's value lies outside the registry's low..high (the user moved it), the
    range keeps its relative width around that value (low·x/default, high·x/default, clipped to
    the assumption's min..max) rather than pinning the likely value to an edge; for a value of
    zero, where a relative width means nothing, the range is stretched to include it.
    """
    full = validate(values)
    out = []
    for name in uncertain_names(baseline):
        a = BY_NAME[name]
        x = float(full[name])
        lo, hi = float(a.low), float(a.high)
        if not lo <= x <= hi:
            d = float(a.default)
            if d > 0 and x > 0:
                lo = x * min(lo / d, 1.0)
                hi = x * max(hi / d, 1.0)
            else:
                lo, hi = min(lo, x), max(hi, x)
            lo, hi = max(lo, a.min), min(hi, a.max)
            if a.kind == "int":
                lo, hi = float(math.floor(lo)), float(math.ceil(hi))
        out.append(Range(name, lo, x, hi))
    return tuple(out)


def collapse(ranges: Iterable[Range]) -> tuple[Range, ...]:
    """Every range shrunk to its likely value (Monte Carlo then equals the deterministic run)."""
    return tuple(Range(r.name, r.likely, r.likely, r.likely) for r in ranges)


def _plain(name: str, x: float) -> str:
    return f"{x:g}"


def _number(name: str, column: str, value: object, show: Callable[[str, float], str]) -> float:
    a = BY_NAME[name]
    allowed = f"from {show(name, a.min)} to {show(name, a.max)}"
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
            or not math.isfinite(float(value)):
        raise ScenarioError(f"{a.label}: {column} is empty or not a number; enter a value "
                            f"{allowed}", key=name)
    x = float(value)
    if a.kind == "int":
        x = float(round(x))
    if x < a.min or x > a.max:
        raise ScenarioError(f"{a.label}: {column} {show(name, x)} is outside the allowed range; "
                            f"enter a value {allowed}", key=name)
    return x


def validate_ranges(rows: Iterable[Mapping[str, object]],
                    show: Callable[[str, float], str] = _plain) -> tuple[Range, ...]:
    """Check edited rows (``name``, ``low``, ``likely``, ``high``) and return them as Ranges.

    Whole-number assumptions are rounded. Raises ScenarioError with one sentence naming the
    assumption, what is wrong and how to fix it; ``show(name, x)`` writes values in messages
    (the page passes one that writes fractions as percentages, as its table shows them).
    """
    out, seen = [], set()
    for row in rows:
        name = row.get("name")
        a = BY_NAME.get(name) if isinstance(name, str) else None
        if a is None or not a.uncertain:
            raise ScenarioError(f"{name!r} is not an uncertain assumption; known: "
                                f"{', '.join(uncertain_names())}", key=str(name))
        if name in seen:
            raise ScenarioError(f"{a.label} appears twice; keep one row", key=name)
        seen.add(name)
        lo, li, hi = (_number(name, c, row.get(c), show) for c in RANGE_KEYS)
        if not lo <= li <= hi:
            raise ScenarioError(f"{a.label}: low {show(name, lo)}, likely {show(name, li)} and "
                                f"high {show(name, hi)} are out of order; make low ≤ likely ≤ "
                                f"high", key=name)
        out.append(Range(name, lo, li, hi))
    return tuple(out)


def parse_ranges(mapping: object, values: Mapping[str, object],
                 baseline: Baseline | None = None) -> tuple[Range, ...]:
    """The table's ranges for ``values`` with the entries of ``mapping`` in their place.

    ``mapping`` is ``{name: {"low": x, "likely": y, "high": z}}`` (``likely`` may be left out:
    the scenario's value). Raises ScenarioError whose message starts with the key at fault.
    """
    if not isinstance(mapping, Mapping):
        raise ScenarioError("ranges must be a JSON object of assumption name → "
                            '{"low": x, "likely": y, "high": z}', key=None)
    table = {r.name: r for r in default_ranges(values, baseline)}
    for name, entry in mapping.items():
        try:
            if name not in table:
                why = ("comes from your churn data and is not varied"
                       if calibrated(baseline) and name in DATA_GIVEN
                       else "is not an uncertain assumption")
                raise ScenarioError(f"{why}; known: {', '.join(table)}", key=name)
            if not isinstance(entry, Mapping):
                raise ScenarioError('expected an object {"low": x, "likely": y, "high": z}',
                                    key=name)
            extra = sorted(set(entry) - set(RANGE_KEYS))
            if extra:
                raise ScenarioError(f"unknown field {extra[0]!r}; use low, likely and high",
                                    key=name)
            missing = [k for k in ("low", "high") if k not in entry]
            if missing:
                raise ScenarioError(f"{missing[0]} is missing; give low, likely and high",
                                    key=name)
            row = {"name": name, "likely": table[name].likely, **entry}
            table[name] = validate_ranges([row])[0]
        except ScenarioError as err:
            raise ScenarioError(f"{name}: {err}", key=name) from None
    return tuple(table.values())


def load_ranges(path: str | Path, values: Mapping[str, object],
                baseline: Baseline | None = None) -> tuple[Range, ...]:
    """``parse_ranges`` of a JSON file; unreadable or invalid files raise ScenarioError.

    Read with a scenario file's guards (``model.scenario.read_json_file``: size checked before
    reading, nesting and number lengths capped), so a huge or deeply nested file is a sentence."""
    return parse_ranges(read_json_file(path, "ranges"), values, baseline)
