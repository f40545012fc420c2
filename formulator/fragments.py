"""The figures templates' macros, called by name, and rendered once per distinct value where they repeat.

A macro is named as a partial is, ``"formulator/_figures.jinja#product"``. It sees only the values it is given,
never the request or the page's context, so a memoised one cannot depend on anything its key leaves out. Model
instances are refused as memo values: they compare by primary key, so a renamed compound would be served as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.dispatch import receiver
from django.template import engines
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from formulator.presenters import LineCell as LineCellText
    from formulator.reports import LineReport

ERROR_MODEL_VALUE = "{name}: a model instance is no key for a memoised fragment (it compares by primary key); pass its values."
ERROR_MACRO_NAME = "{name}: name a macro as template#macro."
LINE_CELL = "formulator/_figures.jinja#line_cell"
LINE_FIGURES = "formulator/_figures.jinja#line_figures"


def render(name: str, **values: Any) -> SafeString:
    """Render the macro `template#macro` with these values."""
    return mark_safe(macro(name)(**values))


def memo(name: str, **values: Hashable) -> SafeString:
    """Render the macro `template#macro` with these values, once per distinct set of them."""
    for key, value in values.items():
        if isinstance(value, Model):
            raise TypeError(ERROR_MODEL_VALUE.format(name=key))
    return _memo(name, tuple(sorted(values.items())))


def memo_each(rows: Iterable[Hashable], name: str) -> SafeString:
    """Render the macro `template#macro` for each row (its argument `row`), once per distinct row; joined.

    A template filter: a table's rows in one call from the template, not one call per row.
    """
    return mark_safe("".join([memo(name, row=row) for row in rows]))


@lru_cache(maxsize=8192)
def _memo(name: str, values: tuple[tuple[str, Hashable], ...]) -> SafeString:
    return render(name, **dict(values))


@lru_cache(maxsize=256)
def macro(name: str) -> Callable[..., str]:
    """The macro `template#macro` of the Jinja2 engine."""
    template_name, _, macro_name = name.partition("#")
    if not macro_name:
        raise ValueError(ERROR_MACRO_NAME.format(name=name))
    module = engines["jinja2"].env.get_template(template_name).module  # type: ignore[attr-defined]
    return getattr(module, macro_name)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class LineCell:
    """What a line's cell shows, rendered, and a digest of it that the page posts back with each keystroke."""

    html: SafeString
    shown: str


@lru_cache(maxsize=8192)
def line_cell(index: int, line: LineReport | None, oob: bool) -> LineCell:
    """What line `index` delivers ("—" without figures).

    Typing changes one line at a time, so all but one cell come from the cache, keyed on the arguments themselves
    (not memo's sorted values: fifty lines look fifty cells up a keystroke). A LineReport is its own key (it
    compares by identity): the library's memo hands out the same one while the line is unchanged.
    """
    return _line_cell_shown(index, None if line is None else line.cell, oob)


@lru_cache(maxsize=8192)
def _line_cell_shown(index: int, cell: LineCellText | None, oob: bool) -> LineCell:
    """line_cell by what the cell says: typing in one of a compound's lines gives each of its others a new LineReport
    (its dose is their sum, reports.compound_alignments), which mostly says what it said."""
    figures = render(LINE_FIGURES, cell=cell)
    shown = hashlib.blake2b(f"{index}\n{figures}".encode(), digest_size=8).hexdigest()
    return LineCell(render(LINE_CELL, index=index, figures=figures, oob=oob, shown=shown), shown)


@receiver(file_changed, dispatch_uid="formulator_fragments_file_changed")
def fragments_forget(sender: Any, file_path: Path, **kwargs: Any) -> None:
    """Forget macros and what they rendered when the development server sees a template change."""
    if file_path.suffix in (".html", ".jinja"):
        _memo.cache_clear()
        line_cell.cache_clear()
        _line_cell_shown.cache_clear()
        macro.cache_clear()
