"""Read products and stacks, with everything the engine needs prefetched, limited to what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts import permissions
from formulator.models import Product, ProductLine, Stack, StackItem

_LINES = Prefetch(
    "lines",
    queryset=ProductLine.objects.select_related("compound").prefetch_related("compound__contributions__nutrient"),
)


def product_list(user: Any = None) -> QuerySet[Product]:
    """Products with their lines; only those the user may see when a user is given."""
    products = Product.objects.select_related("variant_of", "team").prefetch_related(_LINES, "variants")
    return permissions.visible(products, user) if user is not None else products


def stack_list(user: Any = None) -> QuerySet[Stack]:
    stacks = Stack.objects.select_related("team").prefetch_related(
        Prefetch("items", queryset=StackItem.objects.select_related("product").prefetch_related(
            Prefetch("product__lines", queryset=_LINES.queryset)
        ))
    )
    return permissions.visible(stacks, user) if user is not None else stacks
