"""Workshop mode: participants' answers, the linear opinion pool, the room's votes and view; the
five demands walked one at a time (``demands``). Pure: storing answers is ``model.store``'s job,
reaching them ``model.library``'s. No Streamlit."""

from model.workshop import demands
from model.workshop._answers import (
    ASKED,
    FIX_SHARE_MAX,
    MAX_FIX_NAME,
    QUESTIONS,
    ROUNDS,
    VOTE_LABELS,
    VOTES,
    Answer,
    AnswerError,
    Estimate,
    StoredAnswer,
    fix_estimate_key,
    fix_name_of,
    parse_estimates,
    validate_answer,
)
from model.workshop._pool import Pooled, mixture_cdf, mixture_pdf, mixture_quantiles, pool
from model.workshop._results import AS_VALUES, Results, RoomView, apply_fixes, apply_view, tally

__all__ = ["AS_VALUES", "ASKED", "FIX_SHARE_MAX", "MAX_FIX_NAME", "QUESTIONS", "ROUNDS", "VOTES", "VOTE_LABELS", "Answer",
           "AnswerError", "Estimate", "Pooled", "Results", "RoomView", "StoredAnswer",
           "apply_fixes", "apply_view", "demands", "fix_estimate_key", "fix_name_of", "mixture_cdf", "mixture_pdf", "mixture_quantiles",
           "parse_estimates", "pool", "tally", "validate_answer"]
