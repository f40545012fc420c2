"""How numbers are written where people and other systems type them: the editors, the API and curators' files."""

from __future__ import annotations

import re

# A number in the digits 0-9, with a point for decimals. Python reads more ("2_000", "1e3", "٢٠٠٠", "２０００"), which
# would be read silently as 2000 or 1000; the API writes the JSON numbers it takes so first (forms.number_written).
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
# Thousands separators that can mean nothing else, as the figures print amounts: groups of three before a decimal point
# ("1,418.9") or more than one group ("1,418,900"), the first without a leading zero as printed ("0,500.5" is not).
# "1,500" alone may be one and a half in much of Europe: not this.
GROUPED_NUMBER = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+\.\d+|[+-]?[1-9]\d{0,2}(?:,\d{3}){2,}(?:\.\d+)?", re.ASCII)
# The API's numbers, which other systems write: JSON's own notation, exponent included, and nothing else.
JSON_NUMBER = re.compile(PLAIN_NUMBER.pattern + r"(?:[eE][+-]?\d+)?", re.ASCII)
