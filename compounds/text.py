"""Text as people paste it, cleaned where it is saved: names, notes, DOIs and titles."""

from __future__ import annotations

import unicodedata


def visible(text: str) -> str:
    """The text without its format characters (Unicode category Cf: zero-width space and joiners, word joiner, BOM,
    soft hyphen, direction marks and overrides), which show as nothing: "Recover" followed by a zero-width space listed
    beside "Recover" as its twin, and a DOI with one after it was a second paper."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")
