"""Small tables shown whole: every column uncut, long text (metric names, notes) wrapping.

``st.dataframe`` cuts cells at its column width and cannot wrap; ``st.table`` shows every cell in
full but renders Markdown in every cell, header and index label. So ``show_static`` escapes all
text first (``ui.format.escape_markdown``): a scenario called ``![x](http://…)`` or
``[Log in](https://…)`` stays literal text. For tables people read, not download (a table to
download goes through ``ui.tables.show_table``). Text is neutralised against spreadsheet
formulas first, as ``show_table`` does (``ui.tables.safe_frame``): a cell copied from the page
into a spreadsheet must not run either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ui.format import escape_markdown
from ui.tables import safe_frame


def _text(x: object) -> object:
    return escape_markdown(x) if isinstance(x, str) else x


def plain_frame(data: pd.DataFrame | Iterable[Mapping[str, Any]],
                app_text: bool = False) -> pd.DataFrame:
    """A copy of ``data`` whose text cells and labels render literally in ``st.table`` (and
    are formula-safe; ``app_text`` as in ``safe_frame``)."""
    frame = safe_frame(data, app_text)
    frame.columns = pd.Index([_text(c) for c in frame.columns],
                             name=_text(frame.columns.name) if frame.columns.name else None)
    # Every label and cell is looked at, whatever its dtype: pandas 3 stores text as ``str``
    # (not ``object``), and a mixed column can hold text beside numbers.
    frame.index = pd.Index([_text(i) for i in frame.index],
                           name=_text(frame.index.name) if frame.index.name else None)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(_text)
    return frame


def show_static(data: pd.DataFrame | Iterable[Mapping[str, Any]], *, app_text: bool = False,
                **kwargs: Any) -> Any:
    """``st.table`` of ``plain_frame(data, app_text)``; keyword arguments go to ``st.table``."""
    import streamlit as st  # imported here: the rest of this module is usable without Streamlit

    return st.table(plain_frame(data, app_text), **kwargs)
