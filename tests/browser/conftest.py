"""The real server (one per test session) and headless Debian Chromium for the browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server


@pytest.fixture(scope="session")
def server_library(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "library.sqlite"


@pytest.fixture(scope="session")
def app_url(server_library):
    """Base URL of a real server running app.py (one per test session)."""
    proc, url = start_server({"ONEQ_LIBRARY": str(server_library)})
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()
