"""A workshop's operations on top of the store: submit an answer, tally the room, pooled ranges.

Which estimate counts: for each participant and assumption the latest round that has one
(``after`` if given, else ``before``), so a participant who revises after the analysis is
counted once, with the revised view. Votes are counted once per participant per round.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from model.store import workshops as shop_store
from model.store.db import Store, StoreError
from model.workshop.answers import (
    ASKED,
    ROUNDS,
    VOTES,
    Answer,
    AnswerError,
    Estimate,
    parse_estimates,
    validate_answer,
)
from model.workshop.pool import Pooled, pool

# Asked in the workshop but not an uncertain range of the Monte Carlo: the pooled median is used
# as the scenario's value instead (``analyze --ranges`` accepts only uncertain assumptions).
AS_VALUES = ("p_no_response",)


def submit(store: Store, workshop_id: str, raw: object, show=None) -> Answer:
    """Validate and store one answer (a second one from the same participant replaces it)."""
    answer = validate_answer(raw) if show is None else validate_answer(raw, show)
    try:
        shop_store.upsert_answer(store, workshop_id, answer.participant, answer.name,
                                 answer.round, answer.vote, answer.confidence,
                                 answer.estimates_json())
    except StoreError as e:
        text = str(e)
        if text.startswith("round: "):
            raise AnswerError("round", text.removeprefix("round: ")) from None
        raise
    return answer


@dataclass(frozen=True)
class Results:
    participants: int  # distinct participants who answered any round
    names: tuple[str, ...]  # display names given (others are counted, not named)
    votes: dict[str, dict[str, int]]  # round → vote → count
    confidence: dict[str, dict[str, float]]  # round → vote → mean confidence (absent = no votes)
    pooled: dict[str, Pooled]  # assumption → the room's view
    estimates: dict[str, list[Estimate]]  # assumption → each participant's counted estimate

    def ranges(self) -> dict[str, dict[str, float]]:
        """Pooled ranges in the ``analyze --ranges`` format (uncertain assumptions only)."""
        return {k: p.as_range() for k, p in self.pooled.items() if k not in AS_VALUES}

    def values(self) -> dict[str, float]:
        """Pooled medians of the asked assumptions that are scenario values, not ranges."""
        return {k: p.likely for k, p in self.pooled.items() if k in AS_VALUES}

    def to_dict(self) -> dict[str, object]:
        return {"participants": self.participants, "votes": self.votes,
                "ranges": self.ranges(), "values": self.values()}


def tally(rows: Sequence[shop_store.StoredAnswer]) -> Results:
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


def results(store: Store, workshop_id: str) -> Results:
    return tally(shop_store.answers(store, workshop_id))


def overlay(values: Mapping[str, object], results_: Results, baseline=None):
    """The scenario and Monte Carlo ranges with the room's pooled views in place of the table's.

    Returns (values, ranges) for ``model.analysis.monte_carlo``: ``default_ranges`` overlaid by
    the pooled ranges, and the values with the pooled medians of ``AS_VALUES``."""
    from model.analysis import Range, default_ranges

    pooled = results_.ranges()
    ranges = [Range(r.name, *(pooled[r.name][k] for k in ("low", "likely", "high")))
              if r.name in pooled else r for r in default_ranges(values, baseline)]
    return {**values, **results_.values()}, tuple(ranges)


def ranges_json(results_: Results) -> str:
    """What "Use these ranges" keeps in the workspace (the ``analyze --ranges`` format)."""
    return json.dumps(results_.ranges(), sort_keys=True)
