"""The One Question's model: assumptions, retention curves, simulation, summary. No Streamlit."""

from model.assumptions import BY_NAME, REGISTRY, ScenarioError, defaults, validate
from model.curves import ConstantChurn
from model.simulation import Baseline, Run, Segment, Summary, run, simulate

__all__ = ["BY_NAME", "REGISTRY", "Baseline", "ConstantChurn", "Run", "ScenarioError", "Segment",
           "Summary", "defaults", "run", "simulate", "validate"]
