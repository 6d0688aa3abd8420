"""One participant's answer to a workshop round: the vote, how sure, and their own estimates.

The data contract (the participant page and ``cli.py workshop answer`` build the same object and
pass it through ``validate_answer``, so both refuse exactly the same things):

| field         | meaning                                              | type                     |
|---------------|------------------------------------------------------|--------------------------|
| participant   | who answers (a key; the page makes a random one)     | text, 1–80 characters    |
| name          | optional display name shown to the room              | text, ≤ 40 characters    |
| round         | ``before`` or ``after`` the analysis                 | text                     |
| vote          | ``yes`` / ``not_yet`` / ``no`` to the one question   | text                     |
| confidence    | how sure they are                                    | number 0–1               |
| estimates     | ``{name: {low, likely, high}}`` for asked assumptions | low ≤ likely ≤ high, each inside the registry range |
|               | and ``{"fix:NAME": {low, likely, high}}``: the share of today's churn a fix of the analysed scenario removes | fractions 0–0.9, as a fix's ``churn_share`` |

Every refusal is an ``AnswerError`` whose message starts with the field at fault
(``estimates.bad_profit_share.low: …``).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from model.assumptions import BY_NAME

ROUNDS = ("before", "after")
VOTES = ("yes", "not_yet", "no")
VOTE_LABELS = {"yes": "Yes", "not_yet": "Not yet", "no": "No"}
MAX_PARTICIPANT = 80
MAX_DISPLAY_NAME = 40
FIELDS = ("participant", "name", "round", "vote", "confidence", "estimates")

# The assumptions the room is asked about: those that move the answer most in the tornado, each
# with a question in plain words. Units and ranges come from the registry.
QUESTIONS: dict[str, str] = {
    "fix_churn_reduction_max": "How much of today's churn could fixing broken experiences remove, "
                               "at most?",
    "disappointment_churn_share": "How much of today's churn comes from customers disappointed by "
                                  "what they were promised?",
    "trust_churn_reduction_max": "If customers fully trusted us, how much less would they churn?",
    "bad_profit_share": "How much of today's revenue is bad profit — fees, traps and upsells "
                        "customers would refuse if they understood them?",
    "turmoil_churn_increase": "While we rebuild, how much extra churn will the turmoil cause?",
    "p_no_response": "What is the chance that customers do not respond to the change at all?",
}
ASKED: tuple[str, ...] = tuple(QUESTIONS)

# A fix's effect: "fix:NAME" for the fix NAME of the analysed scenario (model.structure), its
# share of today's churn, in the range a scenario file allows for a fix's churn_share.
FIX_PREFIX = "fix:"
FIX_SHARE_MAX = 0.9
MAX_FIX_NAME = 60


def fix_estimate_key(name: str) -> str:
    """The estimates key of a fix's effect: "fix:" + its name as written (spaces trimmed)."""
    return FIX_PREFIX + " ".join(str(name).split())


def fix_name_of(key: str) -> str | None:
    """The fix's name of an estimates key, or None when the key is an assumption's."""
    return key[len(FIX_PREFIX):] if key.startswith(FIX_PREFIX) else None


class AnswerError(ValueError):
    """An answer that cannot be stored; ``field`` names what is wrong (also first in the text)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Estimate:
    low: float
    likely: float
    high: float


@dataclass(frozen=True)
class Answer:
    participant: str
    name: str  # display name, "" = anonymous
    round: str
    vote: str
    confidence: float
    estimates: dict[str, Estimate]

    def estimates_json(self) -> str:
        return json.dumps({k: {"low": e.low, "likely": e.likely, "high": e.high}
                           for k, e in self.estimates.items()}, sort_keys=True)


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as the store keeps it (``estimates_json`` as written by ``Answer``)."""

    participant_key: str
    display_name: str
    round: str
    vote: str
    confidence: float
    estimates_json: str
    updated_at: str


def _text(field: str, value: object, limit: int, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise AnswerError(field, "must be text")
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise AnswerError(field, "is empty")
    if len(text) > limit:
        raise AnswerError(field, f"is {len(text)} characters long; use at most {limit}")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\u200c\u200d"
           for c in text):
        raise AnswerError(field, "contains a line break or control character")
    return text


def _choice(field: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise AnswerError(field, f"{value!r} is not allowed; use one of {', '.join(allowed)}")
    return str(value)


def _number(field: str, value: object, lo: float, hi: float, show) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AnswerError(field, f"{value!r} is not a number; enter one from {show(lo)} to "
                                 f"{show(hi)}")
    x = float(value)
    if not lo <= x <= hi:
        raise AnswerError(field, f"{show(x)} is outside the allowed range {show(lo)} to "
                                 f"{show(hi)}")
    return x


def _plain(x: float) -> str:
    return f"{x:g}"


def validate_estimate(name: str, raw: object, show=_plain) -> Estimate:
    """low ≤ likely ≤ high, each inside the registry's min..max of ``name``."""
    field = f"estimates.{name}"
    fix = fix_name_of(name)
    if fix is not None:
        _text(field, fix, MAX_FIX_NAME, True)  # a name of 1–60 characters, one line
    elif name not in QUESTIONS:
        raise AnswerError(field, f"is not asked in a workshop; ask about {', '.join(ASKED)} "
                                 "or a fix's effect as fix:NAME")
    if not isinstance(raw, Mapping):
        raise AnswerError(field, "must be an object with low, likely and high")
    extra = set(raw) - {"low", "likely", "high"}
    if extra:
        raise AnswerError(f"{field}.{sorted(map(str, extra))[0]}", "is not a known field; use "
                                                                  "low, likely and high")
    a_min, a_max = (0.0, FIX_SHARE_MAX) if fix is not None else (BY_NAME[name].min,
                                                                    BY_NAME[name].max)
    lo, li, hi = (_number(f"{field}.{k}", raw.get(k), a_min, a_max, show)
                  for k in ("low", "likely", "high"))
    if not lo <= li <= hi:
        raise AnswerError(field, f"low {show(lo)}, likely {show(li)} and high {show(hi)} are "
                                 "out of order; make low ≤ likely ≤ high")
    return Estimate(lo, li, hi)


def validate_answer(raw: object, show=_plain) -> Answer:
    """Check one answer (see the module docstring); raises AnswerError naming the field."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answer", "must be a JSON object with participant, round, vote, "
                                    "confidence and estimates")
    for key in raw:
        if key not in FIELDS:
            raise AnswerError(str(key), f"is not a known field; use {', '.join(FIELDS)}")
    estimates = raw.get("estimates", {})
    if estimates is None:
        estimates = {}
    if not isinstance(estimates, Mapping):
        raise AnswerError("estimates", "must be an object of name → {low, likely, high}")
    return Answer(
        participant=_text("participant", raw.get("participant"), MAX_PARTICIPANT, True),
        name=_text("name", raw.get("name"), MAX_DISPLAY_NAME, False),
        round=_choice("round", raw.get("round"), ROUNDS),
        vote=_choice("vote", raw.get("vote"), VOTES),
        confidence=_number("confidence", raw.get("confidence"), 0.0, 1.0, show),
        estimates={_key(str(k)): validate_estimate(_key(str(k)), v, show)
                   for k, v in estimates.items()},
    )


def _key(name: str) -> str:
    return fix_estimate_key(fix_name_of(name)) if fix_name_of(name) is not None else name


def parse_estimates(text: str) -> dict[str, Estimate]:
    """Estimates as stored (JSON); entries that no longer validate are left out."""
    out = {}
    try:
        raw = json.loads(text)
    except ValueError:
        return out
    for k, v in raw.items() if isinstance(raw, dict) else ():
        try:
            out[k] = validate_estimate(k, v)
        except AnswerError:
            continue
    return out
