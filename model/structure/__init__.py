"""Not one mass of customers: segments with their own economics, usage tiers (users → heavy users
→ super users) and a portfolio of fixes, on top of the plain model (``model.simulation``).

``parse_structure`` reads the scenario file's ``segments``, ``tiers`` and ``fixes``;
``run_structured`` runs a scenario with them (the sum over segments, and the segment, tier and
fixes reports); ``simulate_pair`` is the batch version the Monte Carlo and the tornado use. An
empty structure, one segment of share 1, tiers without transitions and no fixes reduce to the
plain model to the cent. Private modules: ``_spec`` (what a user writes, checked), ``_overlay``
(what fixes and tiers change inside a simulation), ``_engine`` (segments through the plain
model, summed), ``_run`` (one run and its reports).
"""

from model.structure._calibration import segments_from_calibration
from model.structure._engine import draw_keys, simulate_structured
from model.structure._files import (
    compact,
    dump_structured,
    load_structured,
    parse_structured,
    split_scenario,
)
from model.structure._fit import TierFit, fit_tiers
from model.structure._fixes_csv import fixes_csv_example, parse_fixes_csv
from model.structure._overlay import fix_key
from model.structure._run import (
    FixRank,
    StructuredRun,
    budget_curve,
    buys,
    fix_order,
    honest_ltv,
    rank_fixes,
    run_structured,
    simulate_pair,
)
from model.structure._spec import (
    MAX_FIXES,
    STRUCTURE_KEYS,
    FixSpec,
    SegmentSpec,
    Structure,
    TierSpec,
    parse_structure,
)
from model.structure._structured import Structured

__all__ = ["MAX_FIXES", "STRUCTURE_KEYS", "FixRank", "FixSpec", "SegmentSpec", "Structure", "Structured", "StructuredRun",
           "TierFit", "TierSpec", "budget_curve", "buys", "compact", "draw_keys", "dump_structured", "fix_key",
           "fit_tiers", "fix_order", "fixes_csv_example", "honest_ltv", "load_structured", "parse_fixes_csv", "parse_structure", "parse_structured",
           "rank_fixes", "run_structured", "segments_from_calibration", "simulate_pair", "simulate_structured",
           "split_scenario"]
