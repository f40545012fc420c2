"""Text as people paste it, cleaned where it is saved: names, notes, DOIs and titles."""

from __future__ import annotations

import unicodedata


_KEPT_CONTROLS = frozenset("\t\n\r")  # a note's line breaks and tabs: whitespace, which names fold to spaces


def visible(text: str) -> str:
    """The text without its format characters (Unicode category Cf: zero-width space and joiners, word joiner, BOM,
    soft hyphen, direction marks and overrides) and control characters other than tabs and line breaks (Cc: BEL, ESC,
    DEL …), which show as nothing: "Recover" followed by a zero-width space or a BEL listed beside "Recover" as its
    twin, and a DOI with one after it was a second paper."""
    return "".join(char for char in text
                   if not (unicodedata.category(char) in ("Cf", "Cc") and char not in _KEPT_CONTROLS))
