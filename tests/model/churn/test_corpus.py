"""Bad churn files, one per case (tests/corpus/churn/), each with the sentence it must give — through
the upload pipeline the page uses (tests/cli/test_fit.py gives them to ``python cli.py fit``: exit 2, one line)."""

from __future__ import annotations

import json
import re

import pytest

from model import churn as cd
from tests.support.app import ROOT

CORPUS = ROOT / "tests" / "corpus" / "churn"
CASES = {k: v for k, v in json.loads((CORPUS / "messages.json").read_text("utf-8")).items()
         if not k.startswith("_")}


def test_every_file_in_the_corpus_has_its_message():
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".gz")}
    described = {case.get("file", name) for name, case in CASES.items()}
    assert files == described


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_gives_its_sentence(name):
    case = CASES[name]
    path = CORPUS / case.get("file", name)
    if case.get("fits"):  # fitted, with the sentence among the notes
        notes = cd.fit_upload(path, shape=case.get("shape")).notes
        message = next((n for n in notes if case["message"] in n), " | ".join(notes))
    else:
        with pytest.raises(cd.ChurnDataError) as info:
            cd.fit_upload(path, shape=case.get("shape"))
        message = str(info.value)
    assert case["message"] in message
    assert not re.search(r"np\.\w+\(|numpy|Traceback|\bnan\b", message), message
    assert len(message) <= 400 and "\n" not in message
    if case["names"] == "line":
        assert re.search(r"\b[Ll]ines? \d", message), message
    elif case["names"] == "column":
        assert "column" in message.lower()
