"""The simulation in named steps, one small file each:

1. ``baseline`` — segments: today's hazards by age and customers by age;
2. ``levers`` — lever schedules and the two kinds of customer (over-sold, fairly sold);
3. ``trust`` — the trust path and attachment around a threshold;
4. ``flow`` — the customer flow by segment, class and age inside the market;
5. ``cash`` — revenue, costs and profit; 6. the end value of the customers still active;
then ``core.simulate`` runs them in order, ``compare`` sums up a scenario against its status
quo, and ``table`` gives the monthly table and one ``run``.
"""

from model.simulation.baseline import Baseline, Segment, baseline_basics, default_baseline
from model.simulation.compare import Summary, compare_batch
from model.simulation.core import Simulation, simulate
from model.simulation.levers import tenure_months
from model.simulation.table import Run, monthly_table, run, status_quo_of

__all__ = ["Baseline", "Run", "Segment", "Simulation", "Summary", "baseline_basics",
           "compare_batch", "default_baseline", "monthly_table", "run", "simulate",
           "status_quo_of", "tenure_months"]
