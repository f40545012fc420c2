"""Fragments rendered once per distinct value: the workbench re-renders its figures on every keystroke.

A memoised fragment is rendered with only the values it is given, never the request or the page's context,
so it cannot depend on anything else; the values are its key. Model instances are refused as values: they
compare by primary key, so a renamed compound would be served as it was.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from formulator.reports import LineReport

ERROR_MODEL_VALUE = "{name}: a model instance is no key for a memoised fragment (it compares by primary key); pass its values."
LINE_CELL = "formulator/product_edit.html#line_calc"


def render_memo(template_name: str, values: Sequence[tuple[str, Hashable]]) -> SafeString:
    """Render a template or partial with these values only, once per distinct set of them.

    The values are (name, value) pairs in name order, as the {% memo %} tag sorts them once, when it is parsed.
    """
    for name, value in values:
        if isinstance(value, Model):
            raise TypeError(ERROR_MODEL_VALUE.format(name=name))
    return _render(template_name, tuple(values))


@lru_cache(maxsize=8192)
def _render(template_name: str, values: tuple[tuple[str, Hashable], ...]) -> SafeString:
    return _template(template_name).render(dict(values))


@lru_cache(maxsize=256)
def _template(template_name: str) -> Any:
    # The loaders' own lookup of a partial costs as much as rendering a small one.
    return get_template(template_name)


def line_cell_html(index: int, line: LineReport | None, oob: bool) -> SafeString:
    """What line `index` delivers ("—" without figures).

    Typing changes one line at a time, so all but one cell come from the memo. A LineReport is its own key
    (it compares by identity): the library's memo hands out the same one while the line is unchanged.
    """
    return _render(LINE_CELL, (("index", index), ("line", line), ("oob", oob)))


@receiver(file_changed, dispatch_uid="formulator_fragments_file_changed")
def fragments_forget(sender: Any, file_path: Path, **kwargs: Any) -> None:
    """Forget rendered fragments when the development server sees a template change."""
    if file_path.suffix == ".html":
        _render.cache_clear()
        _template.cache_clear()
