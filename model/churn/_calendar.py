"""A date file as it stood on an earlier cut-off date: the calendar-window holdout of each segment.

Every customer who had started by the cut-off is kept, censored there (a churn after the cut-off
is not yet seen), and the customers still active on the cut-off are followed to the as-of date:
their share still active 1, 2, … periods later is what the curves fitted on the window must
project (``model.fitting.calendar_backtest``). The cut-off defaults to a third of the observed
window before the as-of date (at least one period), on a whole day.
"""

from __future__ import annotations

import numpy as np

from model.churn._errors import ChurnDataError, quote
from model.fitting import CalendarHoldout, Counts

_DAY = np.timedelta64(86_400, "s")


def default_cut(start: np.ndarray, as_of: np.datetime64, ticks_per_period: float) -> np.datetime64:
    """The as-of date less a third of the window observed (at least one period), on a day."""
    window = (as_of - start.min()) / _DAY / ticks_per_period  # periods
    held = max(1, int(np.floor(window / 3)))
    return (as_of - np.timedelta64(int(np.ceil(held * ticks_per_period)), "D")).astype("M8[D]")


def read_cut(text: str, start: np.ndarray, as_of: np.datetime64) -> np.datetime64:
    """A cut-off date given by the user, checked to lie inside the data's window."""
    try:
        cut = np.datetime64(str(text).strip()[:10], "D")
    except ValueError:
        raise ChurnDataError(f"The backtest cut-off date {quote(text)} cannot be read: write it "
                             f"as YYYY-MM-DD.") from None
    first = start.min().astype("M8[D]")
    last = as_of.astype("M8[D]")
    if not first < cut < last:
        raise ChurnDataError(f"The backtest cut-off date {cut} is outside the data's window "
                             f"({first} to {last}): choose a date between the two.")
    return cut


def calendar_holdouts(codes: np.ndarray, segments: int, start: np.ndarray, days: np.ndarray,
                      churned: np.ndarray, as_of: np.datetime64, ticks_per_period: float,
                      cut: np.datetime64) -> list[CalendarHoldout | None]:
    """Per segment (``codes`` 0 … segments − 1): the holdout on the cut-off date ``cut`` (see the
    module docstring); None for a segment without a customer active on the cut-off.

    ``days``: each customer's whole days from the start to the churn (``churned``) or to the
    as-of date; ``start`` the start times (datetime64[s])."""
    cut_s = cut.astype("M8[s]")
    age = (cut_s - start) // _DAY  # whole days on the cut-off (negative: not started yet)
    began = age >= 0
    seen_churn = churned & (days <= age)  # churned by the cut-off
    train_days = np.minimum(days, age)
    active = began & ~seen_churn
    after = (as_of - cut_s) / _DAY  # days followed after the cut-off
    steps = np.arange(1, int(np.floor(after / ticks_per_period + 1e-9)) + 1)
    left = np.where(churned, days - age, np.inf)  # days after the cut-off until the churn
    label = str(cut)
    out: list[CalendarHoldout | None] = []
    for j in range(segments):
        inside = codes == j
        now = inside & active
        if not now.any() or not steps.size:
            out.append(None)
            continue
        train = Counts.from_arrays(train_days[inside & began], seen_churn[inside & began],
                                   ticks_per_period)
        ages, n = np.unique(age[now], return_counts=True)
        gone = np.sort(left[now])
        still = 1.0 - np.searchsorted(gone, steps * ticks_per_period, side="right") / gone.size
        out.append(CalendarHoldout(label, train, ages / ticks_per_period, n.astype(float),
                                   steps, still))
    return out
