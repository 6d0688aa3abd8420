"""The staging of an investment: a pilot share first, the rest released at a gate month if the
chance that customers respond has reached a threshold — the criterion set in advance."""

from __future__ import annotations

from dataclasses import dataclass

from model.assumptions import ScenarioError


@dataclass(frozen=True)
class Staging:
    """Spend ``pilot_share`` of the investment first; at month ``gate_month`` release the rest
    if P(customers respond | the evidence by then) ≥ ``threshold``."""

    pilot_share: float = 0.3
    gate_month: int = 12
    threshold: float = 0.7

    def __post_init__(self) -> None:
        if not 0.0 < float(self.pilot_share) < 1.0:
            raise ScenarioError(f"pilot_share: {self.pilot_share!r} is not allowed; expected a "
                                "fraction above 0 and below 1 (e.g. 0.3)", key="pilot_share")
        if isinstance(self.gate_month, bool) or int(self.gate_month) != self.gate_month or not (
                1 <= int(self.gate_month) <= 240):
            raise ScenarioError(f"gate_month: {self.gate_month!r} is not allowed; expected a "
                                "whole month from 1 to 240", key="gate_month")
        if not 0.0 <= float(self.threshold) <= 1.0:
            raise ScenarioError(f"threshold: {self.threshold!r} is not allowed; expected a "
                                "probability from 0 to 1 (e.g. 0.7)", key="threshold")

    def sentence(self) -> str:
        """The criterion as the user reads it back."""
        return (f"Spend {self.pilot_share:.0%} of the investment first; release the rest if, "
                f"by month {int(self.gate_month)}, the chance that customers respond is at "
                f"least {self.threshold:.0%}.")

    def to_dict(self) -> dict[str, float | int]:
        return {"pilot_share": float(self.pilot_share), "gate_month": int(self.gate_month),
                "threshold": float(self.threshold)}

    @classmethod
    def from_dict(cls, data: object) -> Staging:
        if not isinstance(data, dict):
            raise ScenarioError("staging must be an object with pilot_share, gate_month and "
                                "threshold", key="staging")
        unknown = set(data) - {"pilot_share", "gate_month", "threshold"}
        if unknown:
            raise ScenarioError(f"staging: unknown key {sorted(unknown)[0]!r}; use pilot_share,"
                                " gate_month, threshold", key="staging")
        return cls(**data)


def verdict(p_respond: float, staging: Staging, rest: float | None = None) -> tuple[str, str]:
    """("continue" | "stop", the reason in one sentence) for the chance of a response at the
    gate; ``rest`` is the investment still to release, in currency (for the sentence)."""
    p, x, g = float(p_respond), float(staging.threshold), int(staging.gate_month)
    if p >= x:
        return "continue", (f"By month {g} the chance that customers respond is {p:.0%}, at "
                            f"least the {x:.0%} the plan set: release the rest of the "
                            "investment.")
    money = f" ({rest:,.0f})" if rest is not None else ""
    return "stop", (f"By month {g} the chance that customers respond is {p:.0%}, below the "
                    f"{x:.0%} the plan set: stop; the rest of the investment{money} stays "
                    "unspent.")
