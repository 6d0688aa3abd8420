"""The Method page cites the segment, tier and fixes sources with their equations."""

from __future__ import annotations

from ui import method


def test_the_sources_and_the_section_are_there():
    for ref in ("Reinartz, W. & Kumar, V. (2002)", "Pfeifer, P. E. & Carraway, R. L. (2000)",
                "Reichheld, F. (2006)"):
        assert ref in method.SOURCES
    section = next(s for s in method.SECTIONS if "segments" in s.title)
    text = " ".join(t for _, t in section.blocks)
    assert r"\text{LTV}_{\text{honest}}" in text and r"\pi_{t+1}" in text and "R_t" in text
    assert "vulture" in text
    assert "\t" not in text and "\f" not in text  # raw strings: no escapes lost
