"""Workshop mode: participants' answers, the linear opinion pool, votes, results. No Streamlit."""

from model.workshop.answers import (
    ASKED,
    QUESTIONS,
    ROUNDS,
    VOTE_LABELS,
    VOTES,
    Answer,
    AnswerError,
    Estimate,
    validate_answer,
)
from model.workshop.pool import Pooled, mixture_quantiles, pool
from model.workshop.service import Results, overlay, ranges_json, results, submit, tally

__all__ = ["ASKED", "QUESTIONS", "ROUNDS", "VOTES", "VOTE_LABELS", "Answer", "AnswerError",
           "Estimate", "Pooled", "Results", "mixture_quantiles", "overlay", "pool",
           "ranges_json", "results", "submit", "tally", "validate_answer"]
