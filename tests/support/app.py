"""The app under Streamlit's AppTest (no browser, no server)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
APP = str(ROOT / "app.py")


def open_app(page: str | None = None, timeout: float = 60):
    """An AppTest of app.py that has run, switched to ``page`` (e.g. "pages/compare.py")."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception
    return at
