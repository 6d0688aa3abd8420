"""Defect 1 of issue 22: the investment slider at its maximum (200 % of a year's revenue) kept its
value. It used to snap back to 0 % (the slider widened its range at the top, Streamlit took it for
a new widget and started it at its minimum) while the exact box still showed the amount."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from model.simulation import run
from tests.support.app import ROOT
from tests.support.server import screenshot, wait_for_app
from ui.verdict import verdict_sentence

pytestmark = pytest.mark.browser

SLIDER = '.st-key-w_investment input[type="range"]'
EXACT = ".st-key-w_investment_exact input"
TOP = 120_000_000.0  # 200 % of the default business's $60M a year


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(".st-key-verdict", timeout=30_000)
    wait_for_app(page)


def _verdict(page) -> str:
    return page.locator(".st-key-verdict").inner_text().strip()


def _settle_on(page, amount: float) -> None:
    """Wait until the address bar holds ``amount`` and nothing reruns."""
    page.wait_for_function("a => location.search.includes('investment=' + a)",
                           arg=f"{amount:.0f}", timeout=20_000)
    wait_for_app(page)
    page.wait_for_timeout(600)  # a late rerun would undo it: give it the chance
    wait_for_app(page)


def _check_at(page, amount: float, tmp_path) -> None:
    share = round(100 * amount / 60_000_000, 1)
    assert float(page.locator(SLIDER).get_attribute("value")) == pytest.approx(share)
    assert f"investment={amount:.0f}" in page.url
    assert float(page.locator(EXACT).input_value()) == pytest.approx(amount)
    scenario = {"investment": amount}
    assert _verdict(page) == verdict_sentence(run(scenario).summary)
    # ... and the CLI, run as a user would on the same scenario, agrees with the screen.
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    out = subprocess.run([sys.executable, "cli.py", "run", str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    cli = json.loads(out.stdout)
    assert cli["delta_npv"] == run(scenario).summary.delta_npv
    assert cli["delta_npv"] < 0  # at 200 % the switch loses money (at 0 % it gained)


def test_drag_end_and_arrow_keep_the_maximum(app_url, page, tmp_path):
    _open(page, app_url)
    thumb = page.locator(SLIDER)
    box = page.locator(".st-key-w_investment").bounding_box()
    tb = thumb.locator("xpath=../..").bounding_box()  # the visible thumb around the input
    # Drag the thumb well past the far right of the track.
    page.mouse.move(tb["x"] + tb["width"] / 2, tb["y"] + tb["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] + 200, tb["y"] + tb["height"] / 2, steps=12)
    page.mouse.up()
    _settle_on(page, TOP)
    _check_at(page, TOP, tmp_path)
    screenshot(page, "investment_dragged_to_max")

    # Back down one step, then End.
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    _settle_on(page, TOP - 300_000)
    _check_at(page, TOP - 300_000, tmp_path)
    thumb.focus()
    page.keyboard.press("End")
    _settle_on(page, TOP)
    _check_at(page, TOP, tmp_path)

    # From 199.5 %, ArrowRight reaches 200 % and stays there; the slider still works after.
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    _settle_on(page, TOP - 300_000)
    thumb.focus()
    page.keyboard.press("ArrowRight")
    _settle_on(page, TOP)
    _check_at(page, TOP, tmp_path)
    thumb.focus()
    page.keyboard.press("ArrowRight")  # at the top: nothing moves
    page.wait_for_timeout(800)
    wait_for_app(page)
    _check_at(page, TOP, tmp_path)
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    _settle_on(page, TOP - 300_000)
    _check_at(page, TOP - 300_000, tmp_path)
