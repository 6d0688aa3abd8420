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
from dataclasses import dataclass

from model.analysis import Range, default_ranges
from model.simulation import Baseline
from model.workshop._answers import ASKED, ROUNDS, VOTES, Estimate, StoredAnswer, parse_estimates
from model.workshop._pool import Pooled, pool

# Asked in the workshop but not an uncertain range of the Monte Carlo: the pooled median is used
# as the scenario's value instead (``analyze --ranges`` accepts only uncertain assumptions).
AS_VALUES = ("p_no_response",)


@dataclass(frozen=True)
class RoomView:
    """The room's view as the analysis uses it: ranges in place of the table's, and values."""

    ranges: tuple[Range, ...]  # pooled ranges of the asked uncertain assumptions
    values: tuple[tuple[str, float], ...] = ()  # (name, pooled median) of AS_VALUES; hashable

    def to_dict(self) -> dict[str, object]:
        """The ``analyze --ranges`` mapping, with the room's scenario values beside it."""
        return {"ranges": {r.name: {"low": r.low, "likely": r.likely, "high": r.high}
                           for r in self.ranges},
                "values": dict(self.values)}


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
        return RoomView(tuple(p.as_range() for k, p in self.pooled.items() if k not in AS_VALUES),
                        tuple((k, p.likely) for k, p in self.pooled.items() if k in AS_VALUES))

    def to_dict(self) -> dict[str, object]:
        return {"participants": self.participants, "votes": self.votes, **self.view().to_dict()}


def tally(rows: Sequence[StoredAnswer]) -> Results:
    """The room's votes and pooled estimates from the stored answers."""
    votes = {r: dict.fromkeys(VOTES, 0) for r in ROUNDS}
    sure: dict[str, dict[str, list[float]]] = {r: {v: [] for v in VOTES} for r in ROUNDS}
    latest: dict[str, dict[str, Estimate]] = {}
    names: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: ROUNDS.index(r.round) if r.round in ROUNDS else 0):
        if row.round not in ROUNDS or row.vote not in VOTES:
            continue  # written by something else: never counted
        votes[row.round][row.vote] += 1
        sure[row.round][row.vote].append(row.confidence)
        latest.setdefault(row.participant_key, {}).update(parse_estimates(row.estimates_json))
        if row.display_name:
            names[row.participant_key] = row.display_name
    by_name = {k: [est[k] for est in latest.values() if k in est] for k in ASKED}
    by_name = {k: v for k, v in by_name.items() if v}
    return Results(
        participants=len(latest), names=tuple(names.values()), votes=votes,
        confidence={r: {v: sum(x) / len(x) for v, x in sure[r].items() if x} for r in ROUNDS},
        pooled={k: pool(k, v) for k, v in by_name.items()}, estimates=by_name)
