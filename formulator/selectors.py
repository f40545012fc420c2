"""Read products and stacks, with everything the engine needs prefetched, limited to what a user may see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import F, Prefetch, QuerySet, prefetch_related_objects

from accounts import permissions
from compounds.models import Compound
from formulator.forms import ProductForm
from formulator.models import Product, ProductLine, Stack, StackItem, Status
from formulator.services import LineData

ERROR_UNKNOWN_VERSION = "That version is not in this product's history."

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


def product_choices(user: Any) -> list[tuple[str, str]]:
    """The slug and name of each product the user may see, by name: what a stack item can be."""
    return list(permissions.visible(Product.objects.all(), user).values_list("slug", "name"))


def products_by_slug(user: Any, slugs: Iterable[str], compounds: Mapping[str, Compound]) -> dict[str, Product]:
    """The products with these slugs that the user may see, with their lines; the others are left unread.

    Each line's compound is taken from compounds (the library's, by slug) rather than read again.
    """
    lines = Prefetch("lines", queryset=ProductLine.objects.annotate(compound_slug=F("compound__slug")))
    products = permissions.visible(Product.objects.prefetch_related(lines), user).filter(slug__in=set(slugs))
    found = {}
    for product in products:
        for line in product.lines.all():
            compound = compounds.get(line.compound_slug)
            if compound is not None:  # else the line reads its own when asked, as any foreign key does
                line.compound = compound
        found[product.slug] = product
    return found


def product_lines_load(product: Product) -> None:
    """Load a product's lines with their compounds, as product_list does, for one read without them."""
    prefetch_related_objects([product], _LINES)


_ITEMS = Prefetch(
    "items",
    queryset=StackItem.objects.select_related("product").prefetch_related(Prefetch("product__lines", queryset=_LINES.queryset)),
)


def stack_list(user: Any = None, *, items: bool = True) -> QuerySet[Stack]:
    """Stacks with their items' products and lines (unless items=False); only those the user may see when a user is given."""
    stacks = Stack.objects.select_related("team")
    if items:
        stacks = stacks.prefetch_related(_ITEMS)
    return permissions.visible(stacks, user) if user is not None else stacks


def stack_items_load(stack: Stack) -> None:
    """Load a stack's items with their products and lines, as stack_list does, for one read without them."""
    prefetch_related_objects([stack], _ITEMS)


@dataclass(frozen=True)
class ProductVersion:
    """A recorded state of a product: its historical record and its lines as they then were."""

    record: Any  # a HistoricalProduct
    lines: list[LineData]

    @property
    def fields(self) -> dict[str, Any]:
        return {name: getattr(self.record, name) for name in ProductForm.Meta.fields}


_JUST_BEFORE = timedelta(microseconds=1)


def product_version(versions: Sequence[ProductVersion], history_id: object) -> ProductVersion | None:
    """The version of this history id, given as a URL (a number) or a form (its text) gives it; None if none."""
    return next((v for v in versions if str(v.record.history_id) == str(history_id)), None)


def product_versions(product: Product, user: Any = None) -> list[ProductVersion]:
    """Every recorded state of the product, oldest first, each with its lines as they then were; for a `user` of
    another team, only those out of draft, as their drafts are hidden from it.

    A save writes the product's record first and replaces the lines just after, so a version's lines are
    the ones that existed just before the next version's record (or now, for the latest).
    """
    records = list(product.history.order_by("history_date", "history_id").select_related("history_user"))
    compounds = {c.pk: c for c in Compound.objects.prefetch_related("contributions__nutrient")}
    versions = []
    for index, record in enumerate(records):
        if index + 1 < len(records):
            moment = records[index + 1].history_date - _JUST_BEFORE
            rows = ProductLine.history.as_of(moment).filter(product_id=product.pk)
        else:
            rows = ProductLine.objects.filter(product=product)
        lines = [LineData(compounds[r.compound_id], r.amount, r.unit, r.overage_percent, r.blend)
                 for r in sorted(rows, key=lambda r: (r.position, r.pk))]
        versions.append(ProductVersion(record, lines))
    if user is not None and not permissions.of_team(user, product):
        # Another team sees a product once submitted: its history showed every draft edit made before.
        versions = [version for version in versions if version.record.status != Status.DRAFT]
    return versions
