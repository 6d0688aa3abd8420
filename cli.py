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


def _load_structured(path: str):
    """(values, structure): the scenario file with its segments, tiers and fixes, if any."""
    from model.assumptions import ScenarioError
    from model.structure import load_structured

    try:
        return load_structured(path)
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
    from model.structure import run_structured

    if args.csv:
        _check_writable(Path(args.csv))
    values, structure = _load_structured(args.scenario)
    try:
        structured = run_structured(values, structure)
    except ScenarioError as e:  # values each valid, but not together (the market's size)
        raise CliError(f"{args.scenario}: {e}") from None
    result = structured.run
    if args.csv:
        try:
            write_atomically(args.csv, safe_csv(result.combined_table()))
        except OSError as e:
            raise CliError(f"cannot write {args.csv}: {e.strerror or e}") from None
    out = structured.to_dict()
    if args.explain:  # every summary field with its words from the app's glossary (ui/glossary.py)
        from ui.glossary import explain

        fields = set(result.summary.to_dict())
        words = explain([k for k in out if k in fields])
        out = {k: ({**words[k], "value": v} if k in words else v) for k, v in out.items()}
    print(to_json(out))
    return 0


def cmd_fixes(args: argparse.Namespace) -> int:
    from model.assumptions import ScenarioError
    from model.structure import budget_curve, buys, rank_fixes

    values, structure = _load_structured(args.scenario)
    if not structure.fixes:
        raise CliError(f"{args.scenario}: the scenario has no \"fixes\" list; see "
                       "docs/segments.md for an example")
    budget = float(values["investment"]) if args.budget is None else args.budget
    if not (budget >= 0 and math.isfinite(budget)):
        raise CliError(f"--budget: {args.budget!r} is not allowed; give an amount of 0 or more")
    try:
        ranking = rank_fixes(values, structure)
        out = {"ranking": [r.to_dict() for r in ranking], "budget": budget,
               "bought": buys(values, structure, budget),
               "budget_curve": budget_curve(values, structure)}
    except ScenarioError as e:
        raise CliError(f"{args.scenario}: {e}") from None
    print(to_json(out))
    return 0


def cmd_tiers(args: argparse.Namespace) -> int:
    from model.assumptions import ScenarioError
    from model.churn import ChurnDataError, read_source
    from model.structure import fit_tiers

    try:
        frame = read_source(Path(args.file)).frame
        order = None if args.order is None else [o for o in args.order.split(",") if o.strip()]
        fit = fit_tiers(frame, args.then, args.now, args.months, order, args.revenue)
    except (ChurnDataError, ScenarioError) as e:
        raise CliError(f"{Path(args.file).name}: {e}") from None
    print(to_json(fit.to_dict()))
    return 0


FIT_OVERRIDES = ("duration", "event", "start", "end", "segment", "revenue", "customer_id",
                 "period", "as_of", "cutoff")


def cmd_fit(args: argparse.Namespace) -> int:
    from model.churn import ChurnDataError, curves_table, fit_report, fit_sql, fit_upload
    from model.scenario import safe_csv, write_atomically

    if args.curves_csv:
        _check_writable(Path(args.curves_csv))
    overrides = {k: getattr(args, k) for k in FIT_OVERRIDES}
    shape = {"cohorts": "cohort", "customers": "customers"}.get(args.shape)
    source = _fit_source(args)
    try:
        if isinstance(source, Path):
            upload = fit_upload(source, overrides=overrides, shape=shape, holdout=args.holdout)
        else:
            upload = fit_sql(source, overrides=overrides, holdout=args.holdout)
    except ChurnDataError as e:
        where = Path(args.file).name if args.file else source.label
        raise CliError(f"{where}: {e}") from None
    name = Path(args.file).name if args.file else source.label
    report = {"file" if args.file else "source": str(args.file or name),
              **fit_report(upload.fitted, upload.dataset)}
    report["notes"] = list(upload.notes)
    report["calibration"] = _calibration(upload.fitted, name, args)
    if args.curves_csv:
        try:
            write_atomically(args.curves_csv,
                             safe_csv(curves_table(upload.fitted, upload.dataset)))
        except OSError as e:
            raise CliError(f"cannot write {args.curves_csv}: {e.strerror or e}") from None
    print(to_json(report))
    return 0


def _fit_source(args: argparse.Namespace):
    """The file, or the database table or query (``--sql``); the address is never printed."""
    from model.churn import ChurnDataError, SqlSource, local_file, max_upload_mb

    if args.sql is None:
        if args.file is None or args.table or args.query:
            raise CliError("give a file, or --sql URL with --table T or --query Q")
        path = Path(args.file)
        if path.is_file() and path.stat().st_size / 1e6 > max_upload_mb():
            try:  # too big to read into memory: DuckDB groups it where it lies
                return local_file(path)
            except ChurnDataError as e:
                raise CliError(str(e)) from None
        return path
    if args.file is not None:
        raise CliError("give a file or --sql, not both")
    try:
        return SqlSource(args.sql, args.table, args.query)
    except ChurnDataError as e:
        raise CliError(str(e)) from None


def _calibration(fitted, name: str, args: argparse.Namespace) -> dict[str, object]:
    """What "Use in model" would run on (the default scenario, each segment's best curve): the
    business's size and where each number came from."""
    from model.assumptions import defaults
    from model.churn import ChurnDataError, build_baseline, market_size_for
    from model.structure import Structure, segments_from_calibration

    values = defaults()
    try:
        baseline = build_baseline(fitted, "best", values, name, new_customers=args.new_customers)
    except ChurnDataError as e:
        return {"error": str(e)}
    market, said = market_size_for(baseline, values, args.market_size)
    segments = Structure(segments=segments_from_calibration(baseline)).to_dict()
    return {"customers": sum(s.customers for s in baseline.segments),
            "new_customers_monthly": baseline.new_customers_monthly, "market_size": market,
            "origins": [*baseline.origins, said],
            # a scenario's "segments" list to start from (docs/segments.md)
            "segments": segments.get("segments", [])}


def cmd_analyze(args: argparse.Namespace) -> int:
    from model.analysis import check_draws, check_seed, full_analysis, goal_seek_choices
    from model.assumptions import ScenarioError

    try:
        check_draws(args.draws)
        check_seed(args.seed)
    except ScenarioError as e:
        raise CliError(str(e)) from None
    values, structure = _load_structured(args.scenario)
    if args.goal_seek is not None and args.goal_seek not in goal_seek_choices():
        from model.scenario import shorten

        raise CliError(f"--goal-seek: {shorten(args.goal_seek)} cannot be searched; give the "
                       "name of an assumption of `python cli.py defaults`, e.g. "
                       "discount_rate_annual")
    ranges = None
    if args.ranges is not None:
        try:
            values, ranges, structure = _ranges_file(args.ranges, values, structure)
        except ScenarioError as e:
            raise CliError(f"{args.ranges}: {e}") from None
    try:
        analysis = full_analysis(values, None, args.draws, args.seed, args.distribution, ranges,
                                 args.goal_seek, structure)
    except ScenarioError as e:  # values each valid, but not together (the market's size)
        raise CliError(f"{args.scenario}: {e}") from None
    print(to_json(analysis))
    return 0


def _ranges_file(path: str, values: dict, structure):
    """A ranges file: ``{name: {low, likely, high}}`` (the table's ranges for the rest), or a
    room's view as ``workspace ranges`` prints it (``{"ranges": …, "values": …, "fixes": …}``:
    its values, the room's chance of no response, replace the scenario's, and its view of a fix's
    share of churn the fix's own range), read with the scenario file's guards. Returns (values,
    ranges, structure)."""
    from model.analysis import parse_ranges
    from model.scenario import read_json_file
    from model.workshop import RoomView, apply_fixes, apply_view

    data = read_json_file(path, "ranges")
    if isinstance(data, dict) and ("ranges" in data or "values" in data or "fixes" in data):
        view = RoomView.from_dict(data)
        values, ranges = apply_view(values, view)
        structure, unknown = apply_fixes(structure, view)
        if unknown:
            print(f"note: {path}: not a fix of the scenario, left out: {', '.join(unknown)}",
                  file=sys.stderr)
        return values, ranges, structure
    return values, parse_ranges(data, values), structure


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
    from model.assumptions import ScenarioError
    from model.structure import run_structured
    from ui.report import report_files

    values, structure = _load_structured(args.scenario)  # segments, tiers, fixes: summed
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"{out} exists and is not a folder; choose another --out")
    name = args.name or Path(args.scenario).stem
    try:
        result = run_structured(values, structure).run
    except ScenarioError as e:
        raise CliError(f"{args.scenario}: {e}") from None
    files = report_files(result, name, date.today())
    try:
        write_folder(out, files)
    except OSError as e:
        raise CliError(f"cannot write to {out}: {e.strerror or e}; nothing was written") from None
    for file in files:
        print(out / file)
    return 0


# --- workspaces and workshops (a store chosen as in the app: ONEQ_DATABASE_URL, else ONEQ_LIBRARY) --
# Through model.library, as the pages: a workspace of another user does not exist for --user.


def _workspaces(args: argparse.Namespace):
    from model.library import Workspaces, open_store

    return Workspaces(open_store(), args.user)


def _read_json(path: str, what: str) -> object:
    from model.assumptions import ScenarioError
    from model.scenario import read_json_file

    try:
        return read_json_file(path, what)
    except ScenarioError as e:
        raise CliError(f"{path}: {e}") from None


def cmd_workspace(args: argparse.Namespace) -> int:
    from model.library import StoreError
    from model.scenario import write_atomically

    try:
        spaces = _workspaces(args)
        if args.action == "create":
            ws = spaces.create(args.name)
            print(to_json({"workspace": ws.name, "scenarios": ws.scenarios}))
        elif args.action == "list":
            print(to_json([{"workspace": w.name, "scenarios": w.scenarios, "owner": w.owner}
                           for w in spaces.list()]))
        elif args.action == "export":
            _check_writable(Path(args.out))
            data = spaces.open(args.name).export()
            try:
                write_atomically(args.out, to_json(data) + "\n")
            except OSError as e:
                raise CliError(f"cannot write {args.out}: {e.strerror or e}") from None
            print(args.out)
        elif args.action == "import":
            ws = spaces.import_path(args.file, args.name)
            print(to_json({"workspace": ws.name, "scenarios": ws.scenarios}))
        elif args.action == "share":
            print(to_json({"workspace": args.name,
                           "members": spaces.open(args.name).share(args.other)}))
        elif args.action == "unshare":
            print(to_json({"workspace": args.name,
                           "members": spaces.open(args.name).unshare(args.other)}))
        else:  # ranges
            view = spaces.open(args.name).room_view()
            print(to_json({"ranges": {}, "values": {}} if view is None else view.to_dict()))
    except StoreError as e:
        raise CliError(str(e)) from None
    return 0


def cmd_workshop(args: argparse.Namespace) -> int:
    from model.library import StoreError
    from model.workshop import AnswerError

    try:
        spaces = _workspaces(args)
        if args.action == "create":
            shop = spaces.open(args.workspace).start_workshop(args.title or "")
            base = os.environ.get("ONEQ_BASE_URL", "").strip() or "http://localhost:8501"
            print(to_json({"workshop_id": shop.id,
                           "join_url": f"{base.rstrip('/')}/?join={shop.join_token}",
                           "facilitator_url": f"{base.rstrip('/')}/?facilitator="
                                              f"{shop.facilitator_token}"}))
        elif args.action == "answer":
            library, shop = spaces.workshop(args.workshop_id)
            answer = library.answer(shop.id, _read_json(args.file, "answer"))
            print(to_json({"stored": True, "participant": answer.participant,
                           "round": answer.round}))
        elif args.action == "fixes":
            library, shop = spaces.workshop(args.workshop_id)
            names = ([] if args.scenario is None
                     else [f.name for f in library.get(args.scenario).structure.fixes])
            shop = library.set_workshop_fixes(shop.id, names)
            print(to_json({"workshop_id": shop.id, "fixes": list(shop.fixes)}))
        else:  # results
            library, shop = spaces.workshop(args.workshop_id)
            print(to_json(library.results(shop.id).to_dict()))
    except (StoreError, AnswerError) as e:
        raise CliError(str(e)) from None
    return 0


def _staging(args: argparse.Namespace):
    from model.tracking import Staging

    given = [args.pilot_share, args.gate_month, args.threshold]
    if all(x is None for x in given):
        return None
    if any(x is None for x in given):
        raise CliError("staging needs all three of --pilot-share, --gate-month and --threshold")
    return Staging(args.pilot_share, args.gate_month, args.threshold)


def cmd_plan(args: argparse.Namespace) -> int:
    from model.assumptions import ScenarioError
    from model.library import StoreError
    from model.tracking import check_start_month, when_will_we_know

    try:
        library = _workspaces(args).open(args.workspace)
        if args.action == "list":
            print(to_json([{"plan_id": p.id, "scenario": p.scenario, "created_at": p.created_at,
                            "created_by": p.created_by, "superseded_by": p.superseded_by}
                           for p in library.plans()]))
            return 0
        today = date.today()
        start = args.start_month or (f"{today.year + today.month // 12:04d}-"
                                     f"{today.month % 12 + 1:02d}")
        stored, plan = library.commit_plan(args.scenario, check_start_month(start), args.seed,
                                           args.draws, _staging(args))
        when = when_will_we_know(plan.simulate(), seed=plan.seed)
        print(to_json({"plan_id": stored.id, "workspace": stored.workspace,
                       "scenario": stored.scenario, "start_month": plan.start_month,
                       "seed": plan.seed, "draws": plan.draws,
                       "criterion": plan.staging.sentence() if plan.staging else None,
                       "odds": plan.odds, "when_will_we_know": when.to_dict()}))
    except (StoreError, ScenarioError) as e:
        raise CliError(str(e)) from None
    return 0


def cmd_track(args: argparse.Namespace) -> int:
    from model.library import StoreError
    from model.tracking import ActualsError, actuals_from_customers, read_actuals, update
    from model.tracking import when_will_we_know as when

    try:
        library, stored = _workspaces(args).plan(args.plan_id)
        _, plan = library.plan(stored.id)
        draws = plan.simulate()
        if args.when:
            print(to_json({"plan_id": stored.id, **when(draws, seed=plan.seed).to_dict()}))
            return 0
        if args.actuals:
            path = Path(args.actuals)
            try:
                raw = path.read_bytes()
            except OSError as e:
                raise CliError(f"cannot read {args.actuals}: {e.strerror or e}") from None
            actuals = (actuals_from_customers(raw, plan.start_month, path.name) if args.customers
                       else read_actuals(raw, plan.start_month, plan.horizon_months))
            if args.save:
                library.save_actuals(stored.id, actuals, "customers" if args.customers else "csv")
        else:
            actuals = library.actuals(stored.id)
            if actuals is None:
                raise CliError(f"plan {stored.id} has no saved actuals: give an ACTUALS.csv")
        result = update(draws, plan.values, actuals, plan.staging)
        drift = plan.drift(draws)
        notes = list(result.to_dict()["notes"])
        if drift > 1e-6:
            notes.append(f"The model has changed since the plan was committed: its forecast "
                         f"differs from the frozen one by up to {drift:.1%}.")
        print(to_json({"plan_id": stored.id, "scenario": stored.scenario,
                       "start_month": plan.start_month, "live": stored.live,
                       "criterion": plan.staging.sentence() if plan.staging else None,
                       **result.to_dict(), "notes": notes, "saved": bool(args.save)}))
    except ActualsError as e:
        raise CliError(f"{args.actuals}: {e}") from None
    except StoreError as e:
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
    _track_commands(command)
    return parser


def _model_commands(command: Command) -> None:
    """defaults, run, fit, analyze, report: the model and the data, no store."""
    from model.analysis import DEFAULT_DRAWS, DISTRIBUTIONS, MAX_DRAWS

    command("defaults", cmd_defaults, "print the default scenario as JSON")

    p = command("run", cmd_run, "print the summary of a scenario as JSON (and the monthly table)",
                "Compare a scenario with the status quo.")
    p.add_argument("scenario", help="JSON object of assumption name → value")
    p.add_argument("--csv", metavar="OUT.csv", help="also write the monthly table of both")
    p.add_argument("--explain", action="store_true",
                   help="print each field as {name, meaning, value}: the words the app and the "
                        "reports use for it")

    p = command("fit", cmd_fit, "fit retention curves to churn data",
                "Fit retention curves (constant churn, sBG, Weibull; Kaplan–Meier) to churn data. "
                "Columns are guessed; cohort tables are recognised without flags.")
    p.add_argument("file", nargs="?",
                   help="CSV (or .csv.gz), Parquet or Excel: one row per customer, or a cohort "
                        "table")
    p.add_argument("--sql", metavar="URL",
                   help="fit a database table instead of a file, counted inside the database "
                        "(SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db or "
                        "duckdb:///file.duckdb); never printed back")
    p.add_argument("--table", help="with --sql: the table (schema.table)")
    p.add_argument("--query", help="with --sql: a SELECT whose rows are customers")
    p.add_argument("--duration", help="column with tenure in periods")
    p.add_argument("--event", help="column saying whether the customer churned")
    p.add_argument("--start", help="column with start dates")
    p.add_argument("--end", help="column with end dates (blank = still active)")
    p.add_argument("--as-of", dest="as_of", help="date the data was taken (YYYY-MM-DD)")
    p.add_argument("--segment", help='column with the segment of each customer ("" for none, '
                                     'dropping a guessed one)')
    p.add_argument("--revenue", help='column with revenue per customer per period ("" for none)')
    p.add_argument("--id", dest="customer_id", help='column with customer ids ("" for none)')
    p.add_argument("--unit", "--period", dest="period", choices=("days", "weeks", "months", "years"),
                   help="unit of the tenure column (guessed from its name and range when left "
                        "out); a cohort table's periods are months or years")
    p.add_argument("--new-customers", dest="new_customers", type=float, metavar="N",
                   help="new customers a month, when the data has no recent starts (default: the "
                        "assumption scaled to the data's customers)")
    p.add_argument("--market-size", dest="market_size", type=float, metavar="N",
                   help="market size (default: the assumption scaled to the data's customers)")
    p.add_argument("--holdout", type=int, metavar="N",
                   help="backtest: fit on each customer's first N periods and project the rest "
                        "(default: two thirds of the periods observed)")
    p.add_argument("--cutoff", metavar="YYYY-MM-DD",
                   help="date files: the calendar backtest fits on what was seen by this date "
                        "and projects the customers active then (default: a third of the "
                        "window before the as-of date)")
    p.add_argument("--curves-csv", dest="curves_csv", metavar="FILE",
                   help="also write every fitted curve by period and segment (survival and churn "
                        "with 95 %% bands) as CSV")
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

    p = command("fixes", cmd_fixes, "rank a scenario's fixes by value per dollar",
                "Rank the scenario's fixes (its \"fixes\" list) by net value per dollar over "
                "the horizon and inside the tenure, say which a budget buys, and print the "
                "investment curve the list builds.")
    p.add_argument("action", choices=("rank",), help="rank: the ranking, the budget's fixes "
                                                     "and the curve")
    p.add_argument("scenario", help="JSON scenario with a \"fixes\" list")
    p.add_argument("--budget", type=float, metavar="AMOUNT",
                   help="the budget to spend (default: the scenario's investment)")

    p = command("tiers", cmd_tiers, "fit usage tiers from a customer file at two dates",
                "Tier shares, monthly upgrade/downgrade rates and churn multipliers from a "
                "customer file with a tier (or plan) column at two dates; prints a \"tiers\" "
                "list for a scenario.")
    p.add_argument("action", choices=("fit",), help="fit: the tiers as JSON")
    p.add_argument("file", help="CSV (or .csv.gz), Parquet or Excel: one row per customer")
    p.add_argument("--then", required=True, help="column with the tier at the first date")
    p.add_argument("--now", required=True,
                   help="column with the tier at the second date (blank = churned)")
    p.add_argument("--months", required=True, type=float, help="months between the dates")
    p.add_argument("--order", help="tiers from the lightest to the heaviest, comma-separated")
    p.add_argument("--revenue", help="column with revenue per customer per month")

    p = command("report", cmd_report, "write the HTML report, the monthly CSV and the charts",
                "Write report.html, monthly.csv and the charts (PNG) for a scenario.")
    p.add_argument("scenario", help="JSON object of assumption name → value")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    p.add_argument("--name", help="scenario name in the report (default: the file name)")


def _store_commands(command: Command) -> None:
    """workspace and workshop: what lives in the store, as one user sees it (--user)."""
    from model.library import LOCAL_USER

    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--user", default=LOCAL_USER, metavar="USER",
                     help="act as this user (an e-mail address or id, as signed in to the app); "
                          f"default {LOCAL_USER!r}, the one user of an app without sign-in")
    p = command("workspace", cmd_workspace,
                "create, list, export, import, share or unshare a workspace",
                "Workspaces (one per client), as one user sees them: create NAME | list | "
                "export NAME OUT.json | import FILE.json [--name NAME] | share NAME USER | "
                "unshare NAME USER | ranges NAME (the kept ranges, as JSON).")
    ws = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    ws.add_parser("create", help="a new workspace with the preset scenarios",
                  parents=[who]).add_argument("name")
    ws.add_parser("list", help="the workspaces as JSON", parents=[who])
    q = ws.add_parser("export", help="the whole workspace as one JSON file", parents=[who])
    q.add_argument("name")
    q.add_argument("out", metavar="OUT.json")
    q = ws.add_parser("import", help="a workspace from an exported JSON file", parents=[who])
    q.add_argument("file", metavar="FILE.json")
    q.add_argument("--name", help="import under this name (default: the name in the file)")
    q = ws.add_parser("share", help="let another user see the workspace", parents=[who])
    q.add_argument("name")
    q.add_argument("other", metavar="USER", help="their e-mail address or id")
    q = ws.add_parser("unshare", help="stop another user seeing the workspace (the owner "
                                      "removes anyone else; a member only themselves)",
                      parents=[who])
    q.add_argument("name")
    q.add_argument("other", metavar="USER", help="their e-mail address or id")
    ws.add_parser("ranges", help="the room's view kept in the workspace: ranges and values, "
                                 "as analyze --ranges reads them",
                  parents=[who]).add_argument("name")

    p = command("workshop", cmd_workshop, "create a workshop, store an answer, print results",
                "Workshops: create WORKSPACE [--title T] | answer WORKSHOP_ID ANSWER.json | "
                "fixes WORKSHOP_ID [SCENARIO] | results WORKSHOP_ID. Links use ONEQ_BASE_URL "
                "(default http://localhost:8501).")
    ws = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    q = ws.add_parser("create", help="a new workshop: prints its id, join and facilitator links",
                      parents=[who])
    q.add_argument("workspace")
    q.add_argument("--title", help="shown to participants (default “Workshop”)")
    q = ws.add_parser("answer", help="store one participant's answer (JSON file)", parents=[who])
    q.add_argument("workshop_id", metavar="WORKSHOP_ID")
    q.add_argument("file", metavar="ANSWER.json")
    q = ws.add_parser("fixes", help="ask the room to estimate a saved scenario's fixes on the "
                      "phone (without SCENARIO: none)", parents=[who])
    q.add_argument("workshop_id", metavar="WORKSHOP_ID")
    q.add_argument("scenario", metavar="SCENARIO", nargs="?",
                   help="a saved scenario of the workshop's workspace")
    ws.add_parser("results", help="participants, votes and pooled ranges as JSON",
                  parents=[who]).add_argument("workshop_id", metavar="WORKSHOP_ID")


def _track_commands(command: Command) -> None:
    """plan and track: commit a saved scenario as the plan, then weigh the actuals against it."""
    from model.library import LOCAL_USER
    from model.tracking import DEFAULT_PLAN_DRAWS

    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--user", default=LOCAL_USER, metavar="USER",
                     help=f"act as this user (default {LOCAL_USER!r})")
    p = command("plan", cmd_plan, "commit a saved scenario as the plan, or list the plans",
                "Plans: commit SCENARIO --workspace W [--start-month YYYY-MM] [--pilot-share S "
                "--gate-month G --threshold X] | list --workspace W. A plan is never edited; a "
                "new commit of the same scenario supersedes it.")
    ws = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    q = ws.add_parser("commit", help="freeze a saved scenario as the plan (prints its id)",
                      parents=[who])
    q.add_argument("scenario", metavar="SCENARIO", help="a saved scenario's name")
    q.add_argument("--workspace", help="the workspace (default: your default one)")
    q.add_argument("--start-month", dest="start_month", metavar="YYYY-MM",
                   help="the plan's month 1 (default: next month)")
    q.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    q.add_argument("--draws", type=int, default=DEFAULT_PLAN_DRAWS,
                   help=f"Monte Carlo draws kept by the plan (default {DEFAULT_PLAN_DRAWS:,})")
    q.add_argument("--pilot-share", dest="pilot_share", type=float, metavar="S",
                   help="staging: share of the investment spent first (e.g. 0.3)")
    q.add_argument("--gate-month", dest="gate_month", type=int, metavar="G",
                   help="staging: the month the rest is released or not")
    q.add_argument("--threshold", type=float, metavar="X",
                   help="staging: release the rest if P(customers respond) ≥ X by the gate")
    q = ws.add_parser("list", help="the workspace's plans, newest first", parents=[who])
    q.add_argument("--workspace", help="the workspace (default: your default one)")

    p = command("track", cmd_track, "weigh monthly actuals against a committed plan",
                "Track a plan: the posterior of the customer response, the odds before and now, "
                "the gate's verdict and each month's surprise (JSON). ACTUALS.csv has the columns "
                "month, customers_start, churned, new_customers, revenue (trust optional); "
                "without it the plan's saved actuals are used. --when: by which month the "
                "evidence is expected to tell response from no response.", )
    p.add_argument("--user", default=LOCAL_USER, metavar="USER",
                   help=f"act as this user (default {LOCAL_USER!r})")
    p.add_argument("plan_id", metavar="PLAN_ID")
    p.add_argument("actuals", metavar="ACTUALS.csv", nargs="?")
    p.add_argument("--when", action="store_true", help="print the pre-posterior instead")
    p.add_argument("--save", action="store_true",
                   help="also store the actuals with the plan (a new version; the old stay)")
    p.add_argument("--customers", action="store_true",
                   help="ACTUALS is a customer-level file with start and end dates")


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
