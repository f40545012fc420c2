"""Read products and stacks, with everything the engine needs prefetched, limited to what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from accounts import permissions
from formulator.models import Product, ProductLine, Stack, StackItem

_LINES = Prefetch(
    "lines",
    queryset=ProductLine.objects.select_related("compound").prefetch_related("compound__contributions__nutrient"),
)


def product_list(user: Any = None, *, lines: bool = True) -> QuerySet[Product]:
    """Products with their lines (unless lines=False); only those the user may see when a user is given."""
    products = Product.objects.select_related("variant_of", "team")
    if lines:
        products = products.prefetch_related(_LINES, "variants")
    return permissions.visible(products, user) if user is not None else products


def product_lines_load(product: Product) -> None:
    """Load a product's lines with their compounds, as product_list does, for one read without them."""
    prefetch_related_objects([product], _LINES)


def stack_list(user: Any = None) -> QuerySet[Stack]:
    stacks = Stack.objects.select_related("team").prefetch_related(
        Prefetch("items", queryset=StackItem.objects.select_related("product").prefetch_related(
            Prefetch("product__lines", queryset=_LINES.queryset)
        ))
    )
    return permissions.visible(stacks, user) if user is not None else stacks
