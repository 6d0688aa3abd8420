"""What a scenario file may add to the flat assumptions: segments, usage tiers and a portfolio
of fixes, checked like every other input (a message names the list, the item, the field, the
value and the fix).

| key        | item fields (required in bold)                                                      |
|------------|-------------------------------------------------------------------------------------|
| `segments` | **name**, **share** (of today's customers), arpu, churn (annual), bad_profit_share,  |
|            | over_promise_share, cac, honesty (default: the scenario's, "same for all"),         |
|            | new_share (of new customers; default: share × churn, normalised)                    |
| `tiers`    | **name**, **share** (of today's customers), **arpu**, churn_multiplier (1),         |
|            | referral_multiplier (1), upgrade, downgrade (monthly probabilities to the next tier |
|            | up / down, 0), entry_share (of new customers; default: share)                       |
| `fixes`    | **name**, **capex**, opex_per_year (0), **churn_share** (a number or {low, likely,  |
|            | high}), segments ("all" or a list of segment names), build_months (the scenario's)  |

A field left out of a segment takes the scenario's value; tiers are listed from the lightest
use to the heaviest (the last tier's customers are the super users).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from model.assumptions import BY_NAME, ScenarioError, coerce

STRUCTURE_KEYS = ("segments", "tiers", "fixes")
MAX_SEGMENTS = 20
MAX_TIERS = 6
MAX_FIXES = 50
MAX_NAME = 60
SHARE_TOLERANCE = 1e-6  # shares must add up to 1 within this

# Segment field → the registry assumption whose range and unit it takes.
SEGMENT_FIELDS = {
    "arpu": "arpu_monthly", "churn": "annual_churn", "bad_profit_share": "bad_profit_share",
    "over_promise_share": "overpromise_share", "cac": "cac", "honesty": "honesty",
}


@dataclass(frozen=True)
class SegmentSpec:
    """A group of customers with its own economics; ``None`` = the scenario's value."""

    name: str
    share: float  # of today's customers
    arpu: float | None = None  # revenue per customer-month (currency/month)
    churn: float | None = None  # annual churn, status quo
    bad_profit_share: float | None = None
    over_promise_share: float | None = None
    cac: float | None = None
    honesty: float | None = None  # None: the scenario's honesty ("same for all")
    new_share: float | None = None  # of new customers; None: share × monthly churn, normalised

    def overrides(self) -> dict[str, float]:
        """Registry name → value for the fields this segment sets."""
        return {reg: getattr(self, f) for f, reg in SEGMENT_FIELDS.items()
                if getattr(self, f) is not None}


@dataclass(frozen=True)
class TierSpec:
    """A usage tier (user, heavy user, super user): its revenue, churn and referrals."""

    name: str
    share: float  # of today's customers
    arpu: float  # revenue per customer-month in this tier
    churn_multiplier: float = 1.0  # × the churn of the base
    referral_multiplier: float = 1.0  # × the referrals of the base
    upgrade: float = 0.0  # monthly probability of moving one tier up (at today's attachment)
    downgrade: float = 0.0  # monthly probability of moving one tier down (at today's trust)
    entry_share: float | None = None  # of new customers; None: share


@dataclass(frozen=True)
class FixSpec:
    """A broken experience to fix: what it costs, how much churn it causes, whom it hits."""

    name: str
    capex: float  # one-off, spread over the build months (currency)
    opex_per_year: float  # run cost once live (currency/year)
    churn_share: float  # likely share of today's churn it causes (fraction)
    low: float  # the share's range (equal to churn_share when given as one number)
    high: float
    segments: tuple[str, ...] | None = None  # None = all customers
    build_months: int | None = None  # None: the scenario's build_months

    @property
    def uncertain(self) -> bool:
        return self.high > self.low


@dataclass(frozen=True)
class Structure:
    """Segments, tiers and fixes of a scenario (each empty when not given)."""

    segments: tuple[SegmentSpec, ...] = field(default_factory=tuple)
    tiers: tuple[TierSpec, ...] = field(default_factory=tuple)
    fixes: tuple[FixSpec, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not (self.segments or self.tiers or self.fixes)

    def describe(self) -> str:
        """What the structure holds, e.g. "5 segments, 3 tiers, 10 fixes" (empty: "")."""
        parts = []
        for n, one in ((len(self.segments), "segment"), (len(self.tiers), "tier"),
                       (len(self.fixes), "fix")):
            if n:
                parts.append(f"{n} {one}" + ("" if n == 1 else "es" if one == "fix" else "s"))
        return ", ".join(parts)

    def to_dict(self) -> dict[str, list[dict[str, object]]]:
        """JSON-ready, readable back by ``parse_structure`` (fields left out stay out)."""
        out: dict[str, list[dict[str, object]]] = {}
        if self.segments:
            out["segments"] = [{k: v for k, v in s.__dict__.items() if v is not None}
                               for s in self.segments]
        if self.tiers:
            out["tiers"] = [{k: v for k, v in t.__dict__.items() if v is not None}
                            for t in self.tiers]
        if self.fixes:
            rows = []
            for f in self.fixes:
                row: dict[str, object] = {"name": f.name, "capex": f.capex,
                                          "opex_per_year": f.opex_per_year}
                row["churn_share"] = (f.churn_share if not f.uncertain else
                                      {"low": f.low, "likely": f.churn_share, "high": f.high})
                row["segments"] = "all" if f.segments is None else list(f.segments)
                if f.build_months is not None:
                    row["build_months"] = f.build_months
                rows.append(row)
            out["fixes"] = rows
        return out


# --- checking -----------------------------------------------------------------------------------


def _fail(where: str, message: str) -> ScenarioError:
    return ScenarioError(f"{where}: {message}", key=where.split("[")[0])


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 42 else text[:40] + "…"


def _number(where: str, value: object, low: float, high: float, whole: bool = False,
            open_low: bool = False) -> float:
    kind = "a whole number" if whole else "a number"
    expected = f"expected {kind} {'above' if open_low else 'from'} {low:g} {'up ' if open_low else ''}to {high:g}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, f"{_short(value)} is not a number; {expected}")
    x = float(value)
    if not math.isfinite(x):
        raise _fail(where, f"{_short(value)} is not a finite number; {expected}")
    if whole and not x.is_integer():
        raise _fail(where, f"{_short(value)} is not a whole number; {expected}")
    if x < low or x > high or (open_low and x <= low):
        hint = (" (fractions are written as fractions: 0.25, not 25)" if high == 1.0 and x > 1
                else "")
        raise _fail(where, f"{_short(value)} is out of range; {expected}{hint}")
    return x


def _registry(where: str, name: str, value: object) -> float:
    """A field checked against the registry assumption it stands for (range and unit)."""
    try:
        return float(coerce(name, value))
    except ScenarioError as e:
        text = str(e)
        raise _fail(where, text.split(": ", 1)[1] if ": " in text else text) from None


def _name(where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{_short(value)} is not a name; give a short text, e.g. \"Small "
                           "business\"")
    if len(value) > MAX_NAME:
        raise _fail(where, f"{_short(value)} is longer than {MAX_NAME} characters")
    return value.strip()


def _items(data: Mapping[str, object], key: str, limit: int) -> list[Mapping[str, object]]:
    items = data[key]
    if not isinstance(items, list) or not items:
        raise _fail(key, "expected a list of objects, e.g. "
                         "[{\"name\": \"…\", …}] (see docs/segments.md)")
    if len(items) > limit:
        raise _fail(key, f"{len(items)} items; at most {limit}")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(f"{key}[{i}]", f"{_short(item)} is not an object; expected "
                                       "{\"name\": …, …}")
    return items


def _known(where: str, item: Mapping[str, object], allowed: tuple[str, ...],
           required: tuple[str, ...]) -> None:
    for k in item:
        if k not in allowed:
            raise _fail(where, f"unknown field {_short(k)}; the fields are {', '.join(allowed)}")
    for k in required:
        if k not in item:
            raise _fail(where, f"the field {k!r} is missing")


def _unique(key: str, names: list[str]) -> None:
    seen: set[str] = set()
    for i, n in enumerate(names):
        if n.casefold() in seen:
            raise _fail(f"{key}[{i}].name", f"{n!r} appears more than once; give each a "
                                            "different name")
        seen.add(n.casefold())


def _shares_add_up(key: str, shares: list[float], what: str) -> None:
    total = sum(shares)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise _fail(key, f"the {what} add up to {total:.6g}; they must add up to 1")


def _all_or_none_shares(key: str, shares: list[float | None], field: str, each: str) -> None:
    """An optional share (``new_share``, ``entry_share``): given for every item or for none, and
    then adding up to 1."""
    given = [x for x in shares if x is not None]
    if given and len(given) != len(shares):
        raise _fail(key, f"{field} is given for some {key} only; give it for every {each} or "
                         "for none")
    if given:
        _shares_add_up(key, given, f"{key}' {field} values")


def parse_segments(data: Mapping[str, object]) -> tuple[SegmentSpec, ...]:
    fields = ("name", "share", *SEGMENT_FIELDS, "new_share")
    out = []
    for i, item in enumerate(_items(data, "segments", MAX_SEGMENTS)):
        where = f"segments[{i}]"
        _known(where, item, fields, ("name", "share"))
        kw: dict[str, object] = {"name": _name(f"{where}.name", item["name"]),
                                 "share": _number(f"{where}.share", item["share"], 0.0, 1.0,
                                                  open_low=True)}
        for f, reg in SEGMENT_FIELDS.items():
            if item.get(f) is not None:
                kw[f] = _registry(f"{where}.{f}", reg, item[f])
        if item.get("new_share") is not None:
            kw["new_share"] = _number(f"{where}.new_share", item["new_share"], 0.0, 1.0)
        out.append(SegmentSpec(**kw))
    _unique("segments", [s.name for s in out])
    _shares_add_up("segments", [s.share for s in out], "segments' shares")
    _all_or_none_shares("segments", [s.new_share for s in out], "new_share", "segment")
    return tuple(out)


def parse_tiers(data: Mapping[str, object]) -> tuple[TierSpec, ...]:
    fields = ("name", "share", "arpu", "churn_multiplier", "referral_multiplier", "upgrade",
              "downgrade", "entry_share")
    out = []
    items = _items(data, "tiers", MAX_TIERS)
    for i, item in enumerate(items):
        where = f"tiers[{i}]"
        _known(where, item, fields, ("name", "share", "arpu"))
        kw: dict[str, object] = {
            "name": _name(f"{where}.name", item["name"]),
            "share": _number(f"{where}.share", item["share"], 0.0, 1.0),
            "arpu": _registry(f"{where}.arpu", "arpu_monthly", item["arpu"]),
        }
        for f in ("churn_multiplier", "referral_multiplier"):
            if item.get(f) is not None:
                kw[f] = _number(f"{where}.{f}", item[f], 0.0, 10.0)
        for f in ("upgrade", "downgrade"):
            if item.get(f) is not None:
                kw[f] = _number(f"{where}.{f}", item[f], 0.0, 0.5)
        if item.get("entry_share") is not None:
            kw["entry_share"] = _number(f"{where}.entry_share", item["entry_share"], 0.0, 1.0)
        out.append(TierSpec(**kw))
    _unique("tiers", [t.name for t in out])
    _shares_add_up("tiers", [t.share for t in out], "tiers' shares")
    _all_or_none_shares("tiers", [t.entry_share for t in out], "entry_share", "tier")
    if out[-1].upgrade > 0:
        raise _fail(f"tiers[{len(out) - 1}].upgrade", "the heaviest tier has no tier above it; "
                                                     "set its upgrade to 0")
    if out[0].downgrade > 0:
        raise _fail("tiers[0].downgrade", "the lightest tier has no tier below it; set its "
                                          "downgrade to 0")
    for i, t in enumerate(out):
        if t.upgrade + t.downgrade > 0.5:
            raise _fail(f"tiers[{i}]", "upgrade + downgrade is above 0.5 a month; these are "
                                       "monthly probabilities")
    return tuple(out)


def _churn_share(where: str, value: object) -> tuple[float, float, float]:
    if isinstance(value, dict):
        for k in value:
            if k not in ("low", "likely", "high"):
                raise _fail(where, f"unknown field {_short(k)}; give low, likely and high")
        missing = [k for k in ("low", "likely", "high") if k not in value]
        if missing:
            raise _fail(where, f"{', '.join(missing)} missing; give low, likely and high")
        low, likely, high = (_number(f"{where}.{k}", value[k], 0.0, 0.9)
                             for k in ("low", "likely", "high"))
        if not low <= likely <= high:
            raise _fail(where, f"low {low:g} ≤ likely {likely:g} ≤ high {high:g} does not hold; "
                               "put them in order")
        return low, likely, high
    x = _number(where, value, 0.0, 0.9)
    return x, x, x


def parse_fixes(data: Mapping[str, object], segment_names: tuple[str, ...] = ()
                ) -> tuple[FixSpec, ...]:
    fields = ("name", "capex", "opex_per_year", "churn_share", "segments", "build_months")
    top = BY_NAME["investment"].max
    out = []
    for i, item in enumerate(_items(data, "fixes", MAX_FIXES)):
        where = f"fixes[{i}]"
        _known(where, item, fields, ("name", "capex", "churn_share"))
        low, likely, high = _churn_share(f"{where}.churn_share", item["churn_share"])
        hits = item.get("segments", "all")
        if hits == "all" or hits is None:
            segments = None
        else:
            if not isinstance(hits, list) or not hits:
                raise _fail(f"{where}.segments", f"{_short(hits)} is not allowed; expected "
                                                 "\"all\" or a list of segment names")
            segments = tuple(_name(f"{where}.segments[{j}]", h) for j, h in enumerate(hits))
            known = {n.casefold(): n for n in segment_names}
            for j, h in enumerate(segments):
                if h.casefold() not in known:
                    names = ", ".join(segment_names) if segment_names else "none are given"
                    raise _fail(f"{where}.segments[{j}]", f"{h!r} is not a segment of the "
                                                          f"scenario (segments: {names})")
            segments = tuple(known[h.casefold()] for h in segments)
        build = item.get("build_months")
        out.append(FixSpec(
            name=_name(f"{where}.name", item["name"]),
            capex=_number(f"{where}.capex", item["capex"], 0.0, top),
            opex_per_year=(0.0 if item.get("opex_per_year") is None else
                           _number(f"{where}.opex_per_year", item["opex_per_year"], 0.0, top)),
            churn_share=likely, low=low, high=high, segments=segments,
            build_months=(None if build is None else
                          int(_registry(f"{where}.build_months", "build_months", build))),
        ))
    _unique("fixes", [f.name for f in out])
    return tuple(out)


def parse_structure(data: Mapping[str, object]) -> Structure:
    """The segments, tiers and fixes of a scenario object (keys left out: none)."""
    segments = parse_segments(data) if "segments" in data else ()
    tiers = parse_tiers(data) if "tiers" in data else ()
    fixes = (parse_fixes(data, tuple(s.name for s in segments)) if "fixes" in data else ())
    return Structure(segments, tiers, fixes)
