"""In a real browser: hostile scenario names and file names stay text on the compare page.

No request may leave for the image address (port 9), and no element showing a name may hold a link
or an image. Names are saved through the page itself and imported from a hostile file name.
"""

from __future__ import annotations

import pytest

from tests.support.server import screenshot, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser

IMAGE = "![x](http://127.0.0.1:9/x.png)"
LINK = "[Log in](https://example.org)"
NAMES = (IMAGE, LINK, "www.evil.example", "a@b.example")


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    proc, url = start_server({"ONEQ_LIBRARY": str(tmp_path_factory.mktemp("hostile") / "l.sqlite")})
    yield url
    stop_server(proc)


def settle(page) -> None:
    wait_for_app(page)
    page.wait_for_timeout(400)
    wait_for_app(page)


def visible(locator) -> str:
    """The text a reader sees (the invisible word joiners that stop autolinks left out)."""
    return locator.inner_text().replace("\u2060", "")


def test_hostile_names_render_as_text_and_fetch_nothing(hostile_url, page, tmp_path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(hostile_url)  # through the app's navigation, as a user arrives
    settle(page)
    page.get_by_role("link", name="Scenarios & compare").click()
    page.get_by_role("heading", name="Scenarios & compare").wait_for(timeout=30_000)
    settle(page)
    for name in NAMES:  # saved through the form, with a hostile note
        page.locator(".st-key-lib_save_name input").fill(name)
        page.locator(".st-key-lib_save_note textarea").fill(f"note {LINK}")
        page.locator(".st-key-lib_save button").click()
        settle(page)
        success = page.locator('[data-testid="stAlertContentSuccess"]')
        assert f"Saved “{name}”." in visible(success)
        assert success.locator("a[href], img").count() == 0, success.evaluate("e => e.outerHTML")
    # a scenario file whose name is an image
    upload = tmp_path / f"{IMAGE.replace('/', '_')}.json"
    upload.write_text('{"honesty": 0.5}')
    page.locator('.st-key-lib_import_file [data-testid="stFileUploaderDropzoneInput"]') \
        .set_input_files(str(upload))
    settle(page)
    # compared: the names show in the multiselect's chips and the table's caption
    for name in (LINK, "www.evil.example"):
        box = page.locator(".st-key-cmp_pick input")
        box.click()
        box.fill(name)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        settle(page)
    main = page.locator('[data-testid="stMain"]')
    text = visible(main)
    assert sum(name in text for name in NAMES) >= 2, text  # shown, as text
    for selector in ('[data-testid="stAlert"]', '[data-testid="stMarkdown"]',
                     '[data-testid="stSelectbox"]', '[data-testid="stMultiSelect"]',
                     '[data-testid="stCaptionContainer"]'):
        shown = main.locator(selector)
        for i in range(shown.count()):
            element = shown.nth(i)
            if any(n in visible(element) for n in (*NAMES, IMAGE.replace("/", "_"))):
                hrefs = element.locator("a[href]")
                assert hrefs.count() == 0, (selector, element.inner_text())
                assert element.locator("img").count() == 0, (selector, element.inner_text())
    assert page.locator('img[src*="127.0.0.1:9"], a[href*="example.org"], a[href^="mailto:"], '
                        'a[href*="evil.example"]').count() == 0
    screenshot(page, "hostile_names_compare")
    assert not [u for u in requests if ":9/" in u or "example.org" in u or "evil.example" in u]
