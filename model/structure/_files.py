"""Scenario files with structure: the flat assumptions plus ``segments``, ``tiers`` and
``fixes``, read with the same guards as every scenario file (size, depth, numbers, duplicate
keys) and written back so that the reader accepts them as written."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from model.assumptions import ScenarioError, non_defaults, validate
from model.scenario import parse_scenario, read_json, read_json_file
from model.structure._spec import STRUCTURE_KEYS, Structure, parse_structure

NOT_AN_OBJECT = ("a scenario must be a JSON object of assumption name → value, e.g. "
                 "{\"honesty\": 0.5}")


def split_scenario(data: object) -> tuple[dict[str, float | int | bool], Structure]:
    """A parsed scenario object → (validated values, structure)."""
    if not isinstance(data, dict):
        raise ScenarioError(NOT_AN_OBJECT)
    flat = {k: v for k, v in data.items() if k not in STRUCTURE_KEYS}
    values = parse_scenario(json.dumps(flat))
    return values, parse_structure(data)


def parse_structured(text: str | bytes) -> tuple[dict[str, float | int | bool], Structure]:
    """``model.scenario.parse_scenario`` that also reads segments, tiers and fixes."""
    return split_scenario(read_json(text))


def load_structured(path: str | Path) -> tuple[dict[str, float | int | bool], Structure]:
    """``parse_structured`` of a file; its size is checked before it is read."""
    return split_scenario(read_json_file(path))


def dump_structured(values: Mapping[str, object], structure: Structure) -> str:
    """JSON text of a scenario with its structure (assumptions in registry order, then the
    structure), readable by ``parse_structured``."""
    return json.dumps({**validate(values), **structure.to_dict()}, indent=2,
                      ensure_ascii=False) + "\n"


def compact(values: Mapping[str, object], structure: Structure) -> dict[str, object]:
    """Only what differs from the defaults, with the structure (share links, compact files)."""
    return {**non_defaults(values), **structure.to_dict()}
