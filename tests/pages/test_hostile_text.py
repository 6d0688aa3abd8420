"""Hostile names through every page (issue 13, row 3): text from users and files stays text.

Scenario names and notes in the library, an imported scenario's file name, an uploaded churn file's
name and its segment names are all hostile markdown. After saving, importing, uploading and
calibrating, every page is rendered and every field Streamlit renders as markdown (bodies of
markdown, captions, titles, alerts and toasts; labels and help of widgets, metrics, expanders and
tabs) is checked: no hostile string may appear unescaped, so no link, image or autolink survives.
The browser side (no request leaves, no ``a[href]``/``img``) is tests/browser/test_hostile_text.py.
"""

from __future__ import annotations

import csv
import io
import re

from streamlit.testing.v1 import AppTest

from model.assumptions import defaults
from tests.support.app import ROOT, open_app
from tests.support.store import lib

HOSTILE = ("![x](http://127.0.0.1:9/x.png)", "[Log in](https://example.org)", "www.evil.example",
           "a@b.example")
# What the browser's renderer would turn into a link or an image: markdown link/image syntax in the
# raw text (an unescaped "](") or, in the text once escapes are resolved, an autolink literal
# (remark-gfm finds those after escapes, so a backslash does not stop them).
LINK_SYNTAX = re.compile(r"(?<!\\)\]\(")
AUTOLINK = re.compile(r"(?i)https?://(127\.0\.0\.1|example\.org)|www\.evil|a@b\.example")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def would_link(text: str) -> bool:
    return bool(LINK_SYNTAX.search(text) or AUTOLINK.search(_ESCAPE.sub(r"\1", text)))


MARKDOWN_FIELDS = {"body", "label", "help", "delta", "caption", "text"}
PAGES = ("pages/dashboard.py", "pages/compare.py", "pages/decision_analysis.py",
         "pages/churn_data.py", "pages/method.py", "pages/track.py")
def hostile_csv() -> bytes:
    """The sample customers file with hostile segment names (and nothing else changed)."""
    rows = list(csv.reader(io.StringIO((ROOT / "data/churn/customers.csv").read_text())))
    header, body = rows[0], rows[1:1201]
    seg = header.index("segment")
    for i, row in enumerate(body):
        row[seg] = HOSTILE[i % len(HOSTILE)]
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode("utf-8")


def markdown_texts(at: AppTest) -> list[str]:
    """Every string Streamlit renders as markdown on the current page."""
    found: list[str] = []

    def walk_proto(message) -> None:
        for field, value in message.ListFields():
            if field.type == field.TYPE_MESSAGE:
                if hasattr(value, "ListFields"):
                    walk_proto(value)
                else:  # repeated or map
                    for item in (value.values() if hasattr(value, "values") else value):
                        if hasattr(item, "ListFields"):
                            walk_proto(item)
            elif field.type == field.TYPE_STRING and field.name in MARKDOWN_FIELDS:
                found.extend([value] if isinstance(value, str) else list(value))

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            walk_proto(proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def leaks(at: AppTest) -> list[str]:
    return [t for t in markdown_texts(at) if would_link(t)]


def _drive() -> dict[str, list[str]]:
    import streamlit as st

    st.cache_data.clear()
    for name in HOSTILE:
        lib().save(name, {**defaults(), "honesty": 0.3}, note=f"note {name}")
    at = open_app("pages/compare.py", timeout=180)  # a whole tour: generous on a busy machine
    # import a scenario whose file name is hostile (valid, then invalid content)
    at.file_uploader(key="lib_import_file").set_value(
        (f"{HOSTILE[0]}.json", b'{"honesty": 0.5}', "application/json"))
    at.run()
    found = {"compare: import": leaks(at)}
    at.file_uploader(key="lib_import_file").set_value(
        (f"{HOSTILE[1]}.json", b'{"' + HOSTILE[2].encode() + b'": 1}', "application/json"))
    at.run()
    found["compare: bad import"] = leaks(at)
    at.multiselect(key="cmp_pick").set_value(list(HOSTILE[:3]))
    at.selectbox(key="lib_pick").set_value(HOSTILE[1])
    at.run()
    at.button(key="lib_load").click()
    at.run()
    found["compare: load"] = leaks(at)
    # upload hostile segments in a hostile file name on the churn page and calibrate with it
    at.switch_page("pages/churn_data.py")
    at.run()
    at.file_uploader(key="churn_upload").set_value((f"{HOSTILE[3]} {HOSTILE[0]}.csv",
                                                    hostile_csv(), "text/csv"))
    at.run()
    found["churn: upload"] = leaks(at)
    use = [b for b in at.button if b.key == "churn_use"]
    if use:
        use[0].click()
        at.run()
    found["churn: calibrate"] = leaks(at)
    assert not at.exception, at.exception
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
        found[page] = leaks(at)
    return found


def test_no_link_or_image_survives_on_any_page(tmp_path, monkeypatch):
    """One tour of the app with hostile input in its own library; every step is checked."""
    monkeypatch.setenv("ONEQ_LIBRARY", str(tmp_path / "hostile.sqlite"))
    found = _drive()
    assert set(found) == {"compare: import", "compare: bad import", "compare: load",
                          "churn: upload", "churn: calibrate", *PAGES}  # every step ran
    assert {step: texts for step, texts in found.items() if texts} == {}
