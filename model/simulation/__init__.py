"""The simulation: a scenario against its status quo, month by month (DESIGN §2).

``run(values)`` is the one call most readers want: it validates a scenario, simulates it beside
its status quo and returns a ``Run`` (``Summary`` plus monthly tables). ``simulate`` runs a
batch of assumption sets (Monte Carlo, optimiser), ``simulate_pair`` a batch beside its status
quo. The steps live in private modules, one small file each, in the order they run:

1. ``_baseline`` — segments: today's hazards by age and customers by age;
2. ``_levers`` — lever schedules and the two kinds of customer (over-sold, fairly sold);
3. ``_trust`` — the trust path and attachment around a threshold;
4. ``_flow`` — the customer flow by segment, class and age inside the market;
5. ``_cash`` — revenue, costs and profit; 6. the end value of the customers still active;
then ``_core.simulate`` runs them in order, ``_compare`` sums up a scenario against its status
quo, and ``_run`` gives one ``run`` with its monthly tables.
"""

from model.simulation._baseline import Baseline, Segment, baseline_basics
from model.simulation._compare import COMPARED, Summary, compare_batch, summary_of
from model.simulation._core import Simulation, simulate
from model.simulation._levers import tenure_months
from model.simulation._notes import amount_in_words, horizon_note, notes_of
from model.simulation._run import (
    Run,
    longest_horizon_notes,
    member,
    members,
    run,
    simulate_pair,
    status_quo_of,
)

__all__ = ["COMPARED", "Baseline", "amount_in_words", "horizon_note", "Run", "Segment", "Simulation", "Summary", "baseline_basics",
           "compare_batch", "longest_horizon_notes", "member", "members", "notes_of", "run", "simulate", "simulate_pair",
           "status_quo_of", "summary_of", "tenure_months"]
