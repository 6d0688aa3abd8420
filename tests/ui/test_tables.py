"""Tables: text cannot run as a spreadsheet formula in any view."""

from __future__ import annotations

import pandas as pd

from ui.tables import safe_frame


def test_safe_frame_neutralises_text_labels_and_index_but_keeps_numbers():
    frame = pd.DataFrame({"=a": ["=1+1", "+x", "ok"], "n": [-1.0, 2.0, 3.0]},
                         index=pd.Index(["-i", "j", "k"], name="@idx"))
    safe = safe_frame(frame)
    assert list(safe.columns) == ["'=a", "n"] and safe.index.name == "'@idx"
    assert list(safe["'=a"]) == ["'=1+1", "'+x", "ok"] and list(safe.index) == ["'-i", "j", "k"]
    assert list(safe["n"]) == [-1.0, 2.0, 3.0]
    assert list(safe_frame(frame, app_text=True)["'=a"]) == ["=1+1", "+x", "ok"]
    assert list(frame.columns) == ["=a", "n"]  # the caller's frame is untouched


