"""What the store accepts: names and notes, its one error class, and its clock.

Names are free text in any language (joiners such as ZWJ/ZWNJ included): trimmed, NFC, 1–80
characters, no control characters; unique ignoring case (``name_key``, which works beyond ASCII,
unlike SQL's NOCASE) inside their scope.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

MAX_NAME_LENGTH = 80
MAX_NOTE_LENGTH = 2_000
# Zero-width joiner and non-joiner are part of words (Persian, emoji sequences such as 👩‍💻);
# every other format, control or separator character is refused.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


class StoreError(ValueError):
    """A store operation that cannot be done; the message says why and what to do."""


def now() -> str:
    """The time stamp of a row: ISO 8601, UTC, to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def name_key(name: str) -> str:
    """The key that makes names unique ignoring case."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def has_control(text: str) -> bool:
    """True when ``text`` holds a line break, a control or a format character (joiners aside)."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in _ALLOWED_FORMAT
               for c in text)


def clean_name(name: object, what: str = "scenario", limit: int = MAX_NAME_LENGTH) -> str:
    """The name as it is stored (trimmed, NFC); raises StoreError with the rule it breaks."""
    if not isinstance(name, str):
        raise StoreError(f"a {what} name must be text")
    text = unicodedata.normalize("NFC", name).strip()
    if not text:
        raise StoreError(f"the {what} name is empty; type a name such as “Bold, 2027 budget”")
    if len(text) > limit:
        raise StoreError(f"the {what} name is {len(text)} characters long; use at most {limit}")
    if has_control(text):
        raise StoreError(f"the {what} name contains a line break or control character; "
                         "use one line of ordinary text")
    return text


def clean_note(note: object) -> str:
    """The note as it is stored (trimmed; empty for None)."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise StoreError("the note must be text")
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise StoreError(f"the note is {len(note)} characters long; use at most {MAX_NOTE_LENGTH}")
    return note
