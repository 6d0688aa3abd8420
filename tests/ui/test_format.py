"""Text for Streamlit markdown: user text escaped, the app's own amounts kept out of formulas."""

from __future__ import annotations

import re

from ui.format import WORD_JOINER, escape_dollars, escape_markdown


def test_escaped_text_has_no_autolink_left_once_escapes_are_resolved():
    """remark-gfm links http://, www. and user@host after resolving escapes: a word joiner stops it."""
    for text in ("![x](http://127.0.0.1:9/x.png)", "see WWW.evil.example", "a@b.example",
                 "https://example.org/a"):
        resolved = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escape_markdown(text))
        assert not re.search(r"(?i)https?://|www\.|\w@\w", resolved), resolved
        assert resolved.replace(WORD_JOINER, "") == text


def test_two_amounts_in_one_sentence_never_start_a_formula():
    text = "between $1.2M and $3.4M"
    assert escape_dollars(text) == "between \\$1.2M and \\$3.4M"
    assert escape_dollars("no money here") == "no money here"
