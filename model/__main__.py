"""Command line: ``python -m model {defaults,run,fit,analyze,report} ...``; see ``--help``."""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
from collections.abc import Sequence

from model.assumptions import ScenarioError, defaults
from model.scenario import load_scenario, safe_csv, write_atomically
from model.simulate import run

# Subcommands that live beside the parts of the product they serve: "module:function(argv) -> int".
EXTERNAL = {
    "fit": ("model.churn_data", "cli"),
    "analyze": ("model.analysis", "cli"),
    "report": ("ui.report", "cli"),
}

USAGE = """usage: python -m model COMMAND ...

commands:
  defaults                         print the default scenario as JSON
  run SCENARIO.json [--csv OUT]    print the summary of a scenario as JSON (and the monthly table)
  fit FILE.csv [options]           fit retention curves to churn data (see: fit --help)
  analyze SCENARIO.json [options]  uncertainty, sensitivity, break-even, optimal investment
  report SCENARIO.json --out DIR   write the HTML report, the monthly CSV and the charts
"""


def to_json(data: object) -> str:
    """JSON with NaN and infinity written as null (JSON has neither)."""

    def clean(x: object) -> object:
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        if hasattr(x, "item") and not isinstance(x, (str, bytes)):  # numpy scalars
            return clean(x.item())
        return x

    return json.dumps(clean(data), indent=2, ensure_ascii=False)


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m model run",
                                     description="Compare a scenario with the status quo.")
    parser.add_argument("scenario", help="JSON object of assumption name → value")
    parser.add_argument("--csv", metavar="OUT.csv", help="also write the monthly table of both")
    args = parser.parse_args(argv)
    try:
        values = load_scenario(args.scenario)
    except ScenarioError as e:
        return fail(f"{args.scenario}: {e}")
    result = run(values)
    if args.csv:
        try:
            write_atomically(args.csv, safe_csv(result.combined_table()))
        except OSError as e:
            return fail(f"cannot write {args.csv}: {e.strerror or e}")
    print(to_json(result.summary.to_dict()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "defaults":
        print(to_json(defaults()))
        return 0
    if command == "run":
        return cmd_run(rest)
    if command in EXTERNAL:
        module, function = EXTERNAL[command]
        return getattr(importlib.import_module(module), function)(rest)
    return fail(f"unknown command {command!r}\n{USAGE}")


if __name__ == "__main__":
    sys.exit(main())
