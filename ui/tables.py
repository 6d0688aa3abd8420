"""Tables a user can download, formula-safe whichever button they use.

``st.dataframe`` has its own toolbar with "Download as CSV", which exports the raw cells and cannot
be turned off in Streamlit 1.67. So every table that holds text from a user or a file (scenario
names and notes, segment names, column headers of an uploaded file) goes through ``show_table``:
its text cells, column labels and index labels are neutralised first (``model.scenario.neutralise``:
a leading apostrophe before ``= + - @``, tab or CR), so a name like ``=HYPERLINK("http://evil")``
is shown and exported as text, never run by a spreadsheet. Numbers stay numbers.

``app_text=True`` leaves the cells alone when every cell is text the app formatted itself (the
compare table's ``+$1.2M``), while still neutralising the labels, which carry user names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from model.scenario import neutralise


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def _labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(neutralise(x) for x in t) for t in index],
                                         names=index.names)
    if _is_text(index.to_series()):
        return pd.Index([neutralise(x) for x in index], name=neutralise(index.name))
    return index


def safe_frame(data: pd.DataFrame | Iterable[Mapping[str, Any]],
               app_text: bool = False) -> pd.DataFrame:
    """A copy of ``data`` whose text cannot run as a spreadsheet formula (see the module doc)."""
    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data))
    frame.columns = _labels(frame.columns)
    frame.index = _labels(frame.index)
    if not app_text:
        for column in frame.columns:
            if _is_text(frame[column]):
                frame[column] = frame[column].map(neutralise)
    return frame


def show_table(data: pd.DataFrame | Iterable[Mapping[str, Any]], *, app_text: bool = False,
               **kwargs: Any) -> Any:
    """``st.dataframe`` of ``safe_frame(data)``; keyword arguments go to ``st.dataframe``."""
    import streamlit as st  # imported here: the rest of this module is usable without Streamlit

    return st.dataframe(safe_frame(data, app_text), **kwargs)
