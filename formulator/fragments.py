"""Fragments rendered once per distinct value: the workbench sends every line's cell on each keystroke."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

from formulator.presenters import LineCell


@lru_cache(maxsize=4096)
def line_cell_html(index: int, cell: LineCell | None, oob: bool) -> SafeString:
    """Render what line `index` delivers ("—" without a cell); memoised, as it depends on nothing else."""
    # Typing changes one line at a time, so all but one cell come from here; rendering 50 cells through the
    # template engine on every keystroke cost about 4 ms.
    return render_to_string("formulator/product_edit.html#line_calc", {"index": index, "cell": cell, "oob": oob})


@receiver(file_changed, dispatch_uid="formulator_fragments_file_changed")
def fragments_forget(sender: Any, file_path: Path, **kwargs: Any) -> None:
    """Forget rendered fragments when the development server sees a template change."""
    if file_path.suffix == ".html":
        line_cell_html.cache_clear()
