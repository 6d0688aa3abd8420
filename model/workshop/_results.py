"""What the room says: votes counted once per participant, estimates pooled, and the room's view
as the decision analysis uses it.

Which estimate counts: for each participant and assumption the latest round that has one
(``after`` if given, else ``before``), so a participant who revises after the analysis is
counted once, with the revised view. Votes are counted once per participant per round.

The room's view (``RoomView``) is converted once, here: pooled estimates become ``Range``s of the
Monte Carlo (and the pooled medians of ``AS_VALUES`` scenario values). The facilitator's odds, the
view kept by "Use these ranges" and the Decision analysis page all apply it with ``apply_view``,
so the same scenario, seed and number of draws give the same odds draw for draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from model.analysis import Range, default_ranges, validate_ranges
from model.assumptions import ScenarioError, coerce
from model.simulation import Baseline
from model.structure import Structure
from model.workshop._answers import (
    ASKED,
    ROUNDS,
    VOTES,
    AnswerError,
    Estimate,
    StoredAnswer,
    fix_estimate_key,
    fix_name_of,
    parse_estimates,
    validate_estimate,
)
from model.workshop._pool import Pooled, for_people, pool

# Asked in the workshop but not an uncertain range of the Monte Carlo: the pooled median is used
# as the scenario's value instead (``analyze --ranges`` accepts only uncertain assumptions).
AS_VALUES = ("p_no_response",)


@dataclass(frozen=True)
class RoomView:
    """The room's view as the analysis uses it: ranges in place of the table's, and values."""

    ranges: tuple[Range, ...]  # pooled ranges of the asked uncertain assumptions
    values: tuple[tuple[str, float], ...] = ()  # (name, pooled median) of AS_VALUES; hashable
    # (fix name, low, likely, high): the room's view of each fix's share of churn
    fixes: tuple[tuple[str, float, float, float], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """``{"ranges": {name: {low, likely, high}}, "values": {name: x}}``: a ranges file
        ``cli.py analyze --ranges`` reads (its values replace the scenario's); with the room's
        view of fixes also ``"fixes": {name: {low, likely, high}}``."""
        out: dict[str, object] = {
            "ranges": {r.name: {"low": r.low, "likely": r.likely, "high": r.high}
                       for r in self.ranges},
            "values": dict(self.values)}
        if self.fixes:
            out["fixes"] = {n: {"low": lo, "likely": li, "high": hi}
                            for n, lo, li, hi in self.fixes}
        return out

    @classmethod
    def from_dict(cls, data: object) -> RoomView:
        """The view back from ``to_dict``'s form, checked as strictly as the app's forms (a
        flat ``{name: {low, likely, high}}`` is a view of ranges alone). Raises ScenarioError
        naming the entry at fault."""
        if isinstance(data, Mapping) and not {"ranges", "values", "fixes"} & set(data):
            data = {"ranges": data}
        if not isinstance(data, Mapping) or not isinstance(data.get("ranges", {}), Mapping) \
                or not isinstance(data.get("values", {}), Mapping) \
                or not isinstance(data.get("fixes", {}), Mapping):
            raise ScenarioError('a room\'s view is {"ranges": {name: {"low": x, "likely": y, '
                                '"high": z}}, "values": {name: x}}')
        unknown = sorted(set(data) - {"ranges", "values", "fixes"})
        if unknown:
            raise ScenarioError(f"{str(unknown[0])[:40]!r} is not a part of a room's view; use "
                                "ranges, values and fixes")
        fixes = []
        for name, entry in data.get("fixes", {}).items():
            try:
                e = validate_estimate(fix_estimate_key(str(name)), entry)
            except AnswerError as err:
                raise ScenarioError(f"fixes: {str(err).removeprefix('estimates.')}") from None
            fixes.append((fix_name_of(fix_estimate_key(str(name))), e.low, e.likely, e.high))
        rows = []
        for name, entry in data.get("ranges", {}).items():
            if not isinstance(entry, Mapping) or set(entry) != {"low", "likely", "high"}:
                raise ScenarioError(f"ranges.{str(name)[:40]}: give exactly low, likely and high")
            rows.append({**entry, "name": name})
        values = []
        for name, x in data.get("values", {}).items():
            if name not in AS_VALUES:
                raise ScenarioError(f"values.{str(name)[:40]}: only {', '.join(AS_VALUES)} may "
                                    "be given beside the ranges")
            try:
                values.append((name, float(coerce(name, x))))
            except ScenarioError as e:
                raise ScenarioError(f"values: {e}") from None
        try:
            return cls(validate_ranges(rows), tuple(values), tuple(fixes))
        except ScenarioError as e:
            raise ScenarioError(f"ranges: {e}") from None


def apply_view(values: Mapping[str, object], view: RoomView | None,
               baseline: Baseline | None = None) -> tuple[dict[str, object], tuple[Range, ...]]:
    """The scenario and its Monte Carlo ranges with the room's view in place of the table's.

    Returns (values, ranges) for ``model.analysis.monte_carlo``: the table's ranges around the
    scenario (``default_ranges``) with the room's in their place, and the values with the room's
    ``AS_VALUES``. Without a view: the scenario and the table's ranges unchanged."""
    if view is None:
        return dict(values), default_ranges(values, baseline)
    values = {**values, **dict(view.values)}
    room = {r.name: r for r in view.ranges}
    return values, tuple(room.get(r.name, r) for r in default_ranges(values, baseline))


def _same(name: str) -> str:
    return " ".join(name.split()).casefold()


def apply_fixes(structure: Structure, view: RoomView | None) -> tuple[Structure, tuple[str, ...]]:
    """The analysed scenario's fixes with the room's view of their effect: each fix the room
    estimated (its name matched without regard to case or spacing) drawn from the room's low /
    likely / high instead of its own. Returns the structure and the names the room estimated
    that are not fixes of this scenario (left out)."""
    if view is None or not view.fixes:
        return structure, ()
    room = {_same(n): (lo, li, hi) for n, lo, li, hi in view.fixes}
    fixes = []
    for f in structure.fixes:
        got = room.get(_same(f.name))
        fixes.append(f if got is None else replace(f, low=got[0], churn_share=got[1],
                                                   high=got[2]))
    own = {_same(f.name) for f in structure.fixes}
    return (replace(structure, fixes=tuple(fixes)),
            tuple(n for n, *_ in view.fixes if _same(n) not in own))


@dataclass(frozen=True)
class Results:
    participants: int  # distinct participants who answered any round
    names: tuple[str, ...]  # display names given (others are counted, not named)
    votes: dict[str, dict[str, int]]  # round → vote → count
    confidence: dict[str, dict[str, float]]  # round → vote → mean confidence (absent = no votes)
    pooled: dict[str, Pooled]  # assumption → the room's view
    estimates: dict[str, list[Estimate]]  # assumption → each participant's counted estimate

    def view(self) -> RoomView:
        """The room's view for the analysis (what "Use these ranges" keeps)."""
        fixes = []
        for k, p in self.pooled.items():
            if fix_name_of(k) is not None:
                r = p.as_range()
                fixes.append((fix_name_of(k), r.low, r.likely, r.high))
        return RoomView(tuple(p.as_range() for k, p in self.pooled.items()
                              if k not in AS_VALUES and fix_name_of(k) is None),
                        tuple((k, for_people(p.likely)) for k, p in self.pooled.items()
                              if k in AS_VALUES), tuple(fixes))

    def to_dict(self) -> dict[str, object]:
        return {"participants": self.participants, "votes": self.votes, **self.view().to_dict()}


def tally(rows: Sequence[StoredAnswer]) -> Results:
    """The room's votes and pooled estimates from the stored answers."""
    votes = {r: dict.fromkeys(VOTES, 0) for r in ROUNDS}
    sure: dict[str, dict[str, list[float]]] = {r: {v: [] for v in VOTES} for r in ROUNDS}
    latest: dict[str, dict[str, Estimate]] = {}
    names: dict[str, str] = {}
    spelling: dict[str, str] = {}  # a fix's key without case or spacing → the first spelling
    for row in sorted(rows, key=lambda r: ROUNDS.index(r.round) if r.round in ROUNDS else 0):
        if row.round not in ROUNDS or row.vote not in VOTES:
            continue  # written by something else: never counted
        votes[row.round][row.vote] += 1
        sure[row.round][row.vote].append(row.confidence)
        mine = parse_estimates(row.estimates_json)
        for k in [k for k in mine if fix_name_of(k) is not None]:  # one fix, however typed
            mine[spelling.setdefault(_same(k), k)] = mine.pop(k)
        latest.setdefault(row.participant_key, {}).update(mine)
        if row.display_name:
            names[row.participant_key] = row.display_name
    asked = [*ASKED, *sorted({k for est in latest.values() for k in est
                              if fix_name_of(k) is not None})]  # and each fix estimated
    by_name = {k: [est[k] for est in latest.values() if k in est] for k in asked}
    by_name = {k: v for k, v in by_name.items() if v}
    return Results(
        participants=len(latest), names=tuple(names.values()), votes=votes,
        confidence={r: {v: sum(x) / len(x) for v, x in sure[r].items() if x} for r in ROUNDS},
        pooled={k: pool(k, v) for k, v in by_name.items()}, estimates=by_name)
