"""The Jinja2 environment of the figures templates (``*.jinja``), which the editors render on every keystroke.

Pages are Django templates with named partials. The figures they show are the one region rendered again while the
user types, and Django's template language costs 2 to 3 µs for each variable shown, more than working the figures
out; Jinja2 compiles a template to Python and renders the same figures in about a quarter of the time. A Django
template shows a figures macro with ``{% jinja "formulator/_figures.jinja#product" report=report %}``.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from jinja2 import Environment, StrictUndefined

from formulator import fragments, labels, presenters
from formulator.templatetags import numbers


def environment(**options: Any) -> Environment:
    """The environment Django's Jinja2 backend renders with: the label filters, and memo() and memo_each for repeated regions."""
    # A misspelt name must fail, not show an empty figure.
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    env.filters.update({
        "mg": numbers.mg, "compound_mg": numbers.compound_mg, "fraction_pct": numbers.fraction_pct,
        "fill_pct": numbers.fill_pct, "money": numbers.money, "plain": numbers.plain, "count": numbers.count,
        "capfirst": capfirst, "memo_each": fragments.memo_each, "population_in_words": presenters.population_in_words,
    })
    env.globals["memo"] = fragments.memo
    env.globals["STATUS_LEGEND"] = labels.STATUS_LEGEND
    return env
