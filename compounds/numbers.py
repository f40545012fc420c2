"""How numbers are written where people and other systems type them: the editors, the API and curators' files."""

from __future__ import annotations

import re

# A number in the digits 0-9, with a point for decimals. Python reads more ("2_000", "1e3", "٢٠٠٠", "２０００"), which
# would be read silently as 2000 or 1000; the API writes the JSON numbers it takes so first (forms.number_written).
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
# The API's numbers, which other systems write: JSON's own notation, exponent included, and nothing else.
JSON_NUMBER = re.compile(PLAIN_NUMBER.pattern + r"(?:[eE][+-]?\d+)?", re.ASCII)
