"""The One Question, command-line front door: ``python cli.py COMMAND ...`` (see ``--help``).

Every command prints JSON (one writer, ``to_json``) or file names, and every failure is one line on
standard error with exit status 2 (``fail``). The web front door is ``streamlit run app.py``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

MAX_MESSAGE = 300  # characters of an error line; values in messages are cut before this


class CliError(Exception):
    """A failure to report as one line and exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (argparse prints the usage first)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if message.startswith("argument COMMAND: invalid choice"):
            message = "unknown command" + message.split("invalid choice", 1)[1]
        raise CliError(f"{self.prog}: {message} (see {self.prog} --help)")


def to_json(data: object) -> str:
    """JSON with NaN and infinity written as null (JSON has neither) and numpy scalars as numbers."""

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


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message as one line of at most ``limit`` characters."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fail(message: str) -> int:
    print(f"error: {one_line(message)}", file=sys.stderr)
    return 2


def _load_values(path: str) -> dict[str, object]:
    from model.assumptions import ScenarioError
    from model.scenario import load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as e:
        raise CliError(f"{path}: {e}") from None


# --- the commands ------------------------------------------------------------------------------


def cmd_defaults(args: argparse.Namespace) -> int:
    from model.assumptions import defaults

    print(to_json(defaults()))
    return 0


def _check_writable(path: Path) -> None:
    """Refuse before any work: a read-only file is not replaced (renaming over it would)."""
    if path.is_dir():
        raise CliError(f"{path} is a folder; give a file name for the table")
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o200):
        # (the mode check also holds for root, whom os.access always lets write)
        raise CliError(f"{path} is read-only; it was left as it is. Choose another file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CliError(f"cannot write in the folder {folder}; choose another file name")


def cmd_run(args: argparse.Namespace) -> int:
    from model.assumptions import ScenarioError
    from model.scenario import safe_csv, write_atomically
    from model.simulation import run

    if args.csv:
        _check_writable(Path(args.csv))
    try:
        result = run(_load_values(args.scenario))
    except ScenarioError as e:  # values each valid, but not together (the market's size)
        raise CliError(f"{args.scenario}: {e}") from None
    if args.csv:
        try:
            write_atomically(args.csv, safe_csv(result.combined_table()))
        except OSError as e:
            raise CliError(f"cannot write {args.csv}: {e.strerror or e}") from None
    print(to_json(result.summary.to_dict()))
    return 0


FIT_OVERRIDES = ("duration", "event", "start", "end", "segment", "revenue", "customer_id",
                 "period", "as_of")


def cmd_fit(args: argparse.Namespace) -> int:
    from model.churn import ChurnDataError, fit_report, fit_upload

    overrides = {k: getattr(args, k) for k in FIT_OVERRIDES}
    shape = {"cohorts": "cohort", "customers": "customers"}.get(args.shape)
    try:
        upload = fit_upload(Path(args.file), overrides=overrides, shape=shape)
    except ChurnDataError as e:
        raise CliError(f"{Path(args.file).name}: {e}") from None
    report = {"file": str(args.file), **fit_report(upload.fitted, upload.dataset)}
    report["notes"] = list(upload.notes)
    print(to_json(report))
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from model.analysis import (
        check_draws,
        check_seed,
        full_analysis,
        goal_seek_choices,
        load_ranges,
    )
    from model.assumptions import ScenarioError

    try:
        check_draws(args.draws)
        check_seed(args.seed)
    except ScenarioError as e:
        raise CliError(str(e)) from None
    values = _load_values(args.scenario)
    if args.goal_seek is not None and args.goal_seek not in goal_seek_choices():
        raise CliError(f"--goal-seek: {args.goal_seek!r} cannot be searched; choose one of "
                       f"{', '.join(goal_seek_choices())}")
    ranges = None
    if args.ranges is not None:
        try:
            ranges = load_ranges(args.ranges, values)
        except ScenarioError as e:
            raise CliError(f"{args.ranges}: {e}") from None
    try:
        analysis = full_analysis(values, None, args.draws, args.seed, args.distribution, ranges,
                                 args.goal_seek)
    except ScenarioError as e:  # values each valid, but not together (the market's size)
        raise CliError(f"{args.scenario}: {e}") from None
    print(to_json(analysis))
    return 0


def write_folder(out: Path, files: dict[str, bytes]) -> None:
    """All or nothing: every file is written into a temporary folder beside ``out`` first, then
    moved into place (the folder itself when ``out`` is new, else file by file, each a rename)."""
    import shutil
    import tempfile

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes the folder private; the report is not
        for file, data in files.items():
            with open(tmp / file, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        if not out.exists():
            os.replace(tmp, out)
            return
        for file in files:
            os.replace(tmp / file, out / file)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cmd_report(args: argparse.Namespace) -> int:
    from model.simulation import run
    from ui.report import report_files

    values = _load_values(args.scenario)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"{out} exists and is not a folder; choose another --out")
    name = args.name or Path(args.scenario).stem
    files = report_files(run(values), name, date.today())
    try:
        write_folder(out, files)
    except OSError as e:
        raise CliError(f"cannot write to {out}: {e.strerror or e}; nothing was written") from None
    for file in files:
        print(out / file)
    return 0


# --- workspaces and workshops (a store chosen as in the app: ONEQ_DATABASE_URL, else ONEQ_LIBRARY) --


def _store():
    from model.store import open_store

    return open_store()


def _read_json(path: str) -> object:
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CliError(f"{path}: not JSON ({e})") from None


def cmd_workspace(args: argparse.Namespace) -> int:
    from model.scenario import write_atomically
    from model.store import StoreError, scenarios, transfer

    store = _store()
    try:
        if args.action == "create":
            ws = scenarios.create_workspace(store, args.name)
            print(to_json({"workspace": ws.name, "scenarios": ws.scenarios}))
        elif args.action == "list":
            print(to_json([{"workspace": w.name, "scenarios": w.scenarios}
                           for w in scenarios.list_workspaces(store)]))
        elif args.action == "export":
            data = transfer.export_workspace(store, args.name)
            try:
                write_atomically(args.out, to_json(data) + "\n")
            except OSError as e:
                raise CliError(f"cannot write {args.out}: {e.strerror or e}") from None
            print(args.out)
        elif args.action == "import":
            ws = transfer.import_workspace(store, _read_json(args.file), args.name)
            print(to_json({"workspace": ws.name, "scenarios": ws.scenarios}))
        else:  # ranges
            saved = scenarios.load_ranges(store, args.name)
            print(to_json(json.loads(saved) if saved else {}))
    except StoreError as e:
        raise CliError(str(e)) from None
    return 0


def cmd_workshop(args: argparse.Namespace) -> int:
    from model import workshop
    from model.store import StoreError
    from model.store import workshops as shops

    store = _store()
    try:
        if args.action == "create":
            shop = shops.create(store, args.workspace, args.title or "")
            base = os.environ.get("ONEQ_BASE_URL", "").strip() or "http://localhost:8501"
            print(to_json({"workshop_id": shop.id,
                           "join_url": f"{base.rstrip('/')}/?join={shop.join_token}",
                           "facilitator_url": f"{base.rstrip('/')}/?facilitator="
                                              f"{shop.facilitator_token}"}))
        elif args.action == "answer":
            shops.get(store, args.workshop_id)
            answer = workshop.submit(store, args.workshop_id, _read_json(args.file))
            print(to_json({"stored": True, "participant": answer.participant,
                           "round": answer.round}))
        else:  # results
            shops.get(store, args.workshop_id)
            print(to_json(workshop.results(store, args.workshop_id).to_dict()))
    except (StoreError, workshop.AnswerError) as e:
        raise CliError(str(e)) from None
    return 0


# --- the parser --------------------------------------------------------------------------------


Command = Callable[..., argparse.ArgumentParser]  # adds one subcommand with its handler


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python cli.py",
                     description="The One Question from the command line: every command prints "
                                 "JSON (or the files it wrote); errors exit 2 with one line.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help: str,
                description: str | None = None) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=description or help)
        p.set_defaults(handler=handler)
        return p

    _model_commands(command)
    _store_commands(command)
    return parser


def _model_commands(command: Command) -> None:
    """defaults, run, fit, analyze, report: the model and the data, no store."""
    from model.analysis import DEFAULT_DRAWS, DISTRIBUTIONS, MAX_DRAWS

    command("defaults", cmd_defaults, "print the default scenario as JSON")

    p = command("run", cmd_run, "print the summary of a scenario as JSON (and the monthly table)",
                "Compare a scenario with the status quo.")
    p.add_argument("scenario", help="JSON object of assumption name → value")
    p.add_argument("--csv", metavar="OUT.csv", help="also write the monthly table of both")

    p = command("fit", cmd_fit, "fit retention curves to churn data",
                "Fit retention curves (constant churn, sBG, Weibull; Kaplan–Meier) to churn data. "
                "Columns are guessed; cohort tables are recognised without flags.")
    p.add_argument("file", help="CSV (or .csv.gz): one row per customer, or a cohort table")
    p.add_argument("--duration", help="column with tenure in periods")
    p.add_argument("--event", help="column saying whether the customer churned")
    p.add_argument("--start", help="column with start dates")
    p.add_argument("--end", help="column with end dates (blank = still active)")
    p.add_argument("--as-of", dest="as_of", help="date the data was taken (YYYY-MM-DD)")
    p.add_argument("--segment", help="column with the segment of each customer")
    p.add_argument("--revenue", help="column with revenue per customer per period")
    p.add_argument("--id", dest="customer_id", help="column with customer ids")
    p.add_argument("--period", choices=("months", "years"), help="unit of durations")
    p.add_argument("--shape", choices=("customers", "cohorts"),
                   help="force the reading: one row per customer, or a cohort table (period + "
                        "survivors per cohort); guessed when left out")

    p = command("analyze", cmd_analyze, "uncertainty, sensitivity, break-even, optimal levers",
                "Odds, sensitivity, break-even and optimal levers of a scenario (JSON).")
    p.add_argument("scenario", help="JSON object of assumption name → value")
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws, 1 to {MAX_DRAWS:,} (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--distribution", choices=DISTRIBUTIONS, default="pert",
                   help="shape of each assumption's uncertainty (default pert)")
    p.add_argument("--ranges", metavar="RANGES.json",
                   help='low / likely / high per assumption replacing the table\'s: '
                        '{"name": {"low": x, "likely": y, "high": z}, ...}')
    p.add_argument("--goal-seek", dest="goal_seek", metavar="NAME",
                   help="also find the value of this assumption at which the switch breaks "
                        "even inside the tenure, over the horizon and in cash")

    p = command("report", cmd_report, "write the HTML report, the monthly CSV and the charts",
                "Write report.html, monthly.csv and the charts (PNG) for a scenario.")
    p.add_argument("scenario", help="JSON object of assumption name → value")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    p.add_argument("--name", help="scenario name in the report (default: the file name)")


def _store_commands(command: Command) -> None:
    """workspace and workshop: what lives in the store."""
    p = command("workspace", cmd_workspace, "create, list, export or import a workspace",
                "Workspaces (one per client): create NAME | list | export NAME OUT.json | "
                "import FILE.json [--name NAME] | ranges NAME (the saved ranges, as JSON).")
    ws = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    ws.add_parser("create", help="a new workspace with the preset scenarios").add_argument("name")
    ws.add_parser("list", help="the workspaces as JSON")
    q = ws.add_parser("export", help="the whole workspace as one JSON file")
    q.add_argument("name")
    q.add_argument("out", metavar="OUT.json")
    q = ws.add_parser("import", help="a workspace from an exported JSON file")
    q.add_argument("file", metavar="FILE.json")
    q.add_argument("--name", help="import under this name (default: the name in the file)")
    ws.add_parser("ranges", help="the workspace's saved ranges (analyze --ranges format)"
                  ).add_argument("name")

    p = command("workshop", cmd_workshop, "create a workshop, store an answer, print results",
                "Workshops: create WORKSPACE [--title T] | answer WORKSHOP_ID ANSWER.json | "
                "results WORKSHOP_ID. Links use ONEQ_BASE_URL (default http://localhost:8501).")
    ws = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    q = ws.add_parser("create", help="a new workshop: prints its id, join and facilitator links")
    q.add_argument("workspace")
    q.add_argument("--title", help="shown to participants (default “Workshop”)")
    q = ws.add_parser("answer", help="store one participant's answer (JSON file)")
    q.add_argument("workshop_id", metavar="WORKSHOP_ID")
    q.add_argument("file", metavar="ANSWER.json")
    ws.add_parser("results", help="participants, votes and pooled ranges as JSON"
                  ).add_argument("workshop_id", metavar="WORKSHOP_ID")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        if getattr(args, "handler", None) is None:
            parser.print_help(sys.stderr)
            return 2
        status = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the guard, not at interpreter exit
        return status
    except CliError as e:
        return fail(str(e))
    except SystemExit as e:  # --help exits 0; anything else argparse decides is a usage error
        return int(e.code or 0) if isinstance(e.code, int) else 2
    except BrokenPipeError:  # the reader went away (``| head``): nothing left to tell anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except MemoryError:
        return fail("out of memory: the input is too large for this machine")
    except Exception as e:  # noqa: BLE001 - the promise: one line, never a traceback
        return fail(f"unexpected {type(e).__name__}: {e}")


if __name__ == "__main__":
    sys.exit(main())
