"""Read products and stacks, with everything the engine needs prefetched, limited to what a user may see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Prefetch, QuerySet, prefetch_related_objects

from accounts import permissions
from compounds.models import Compound
from formulator.forms import ProductForm, StackForm
from formulator.models import Product, ProductLine, Stack, StackItem, Status
from formulator.services import ItemData, LineData

ERROR_UNKNOWN_VERSION = "That version is not in this {kind}'s history."  # "product" or "stack"
ERROR_COMPARE_TWO = "Choose two versions to compare: the page was asked for one only."
NOTE_AS_SEEN = "Its team is working on a new revision, in draft: this stack takes revision {revision}, as it was {status}."
# Taken back to draft without a new revision ("Return to draft" from review): no new revision is being made.
NOTE_BACK_IN_DRAFT = "Its team has taken it back to draft: this stack takes it as it was {status}."
NOTE_NEVER_SHOWN = "Its team has it in draft: it is not counted."
NAME_NEVER_SHOWN = "Another team's product"

_LINES = Prefetch(
    "lines",
    queryset=ProductLine.objects.select_related("compound").prefetch_related("compound__contributions__nutrient"),
)


def product_list(user: Any = None, *, lines: bool = True) -> QuerySet[Product]:
    """Products with their lines (unless lines=False); only those the user may see when a user is given."""
    products = Product.objects.select_related("variant_of__team", "team")
    if lines:
        products = products.prefetch_related(_LINES)
    return permissions.visible(products, user) if user is not None else products


def original_seen(product: Product, user: Any) -> Product | None:
    """The product a variant was copied from, if the user may see it: another team's draft is no product to them (its
    name, as it is being typed, was listed as what the variant is a variant of)."""
    original = product.variant_of
    return original if original is not None and not hidden_from(original, user) else None


def design_name(design: Product | Stack, user: Any) -> str:
    """A design's name as lists and pickers show it to the user: another team's with its team's, as two teams may name
    theirs alike (two "Luna" told nothing apart). The design's team must be loaded (select_related)."""
    return _named(design.name, design.team_id, design.team.name, permissions.team_id(user))


def _named(name: str, team_id: int, team_name: str, own_team_id: int | None) -> str:
    return name if team_id == own_team_id else f"{name} ({team_name})"


def product_choices(user: Any, stack: Stack | None = None) -> list[tuple[str, str]]:
    """The slug and name of each product the user may see, by name: what a stack item can be; and those the stack
    takes already, another team's product in a new draft as it was last shown (product_as_seen)."""
    own = permissions.team_id(user)
    choices = [(slug, _named(name, team_id, team_name, own)) for slug, name, team_id, team_name in
               permissions.visible(Product.objects.all(), user).values_list("slug", "name", "team_id", "team__name")]
    listed = {slug for slug, _ in choices}
    kept = [p for p in _kept_products(stack, user) if p.slug not in listed]
    return choices + [(p.slug, design_name(p, user)) for p in kept]


def products_by_slug(user: Any, slugs: Iterable[str], compounds: Mapping[str, Compound],
                     stack: Stack | None = None) -> dict[str, Product]:
    """The products with these slugs that the user may see, with their lines; the others are left unread; and those
    the stack takes already that another team has taken back to draft, as they were last shown (product_as_seen).

    Each line's compound is taken from compounds (the library's, by slug) rather than read again.
    """
    wanted = set(slugs)
    lines = Prefetch("lines", queryset=ProductLine.objects.annotate(compound_slug=F("compound__slug")))
    products = permissions.visible(Product.objects.prefetch_related(lines), user).filter(slug__in=wanted)
    found = {}
    for product in products:
        for line in product.lines.all():
            compound = compounds.get(line.compound_slug)
            if compound is not None:  # else the line reads its own when asked, as any foreign key does
                line.compound = compound
        found[product.slug] = product
    if wanted - found.keys():
        found.update((p.slug, p) for p in _kept_products(stack, user) if p.slug in wanted - found.keys())
    return found


def _kept_products(stack: Stack | None, user: Any) -> list[Product]:
    """The products a saved stack takes that the user may no longer see, each as it was last shown."""
    if stack is None or stack.pk is None:
        return []
    drafts = Product.objects.filter(stack_items__stack=stack, status=Status.DRAFT).distinct()
    return [product_as_seen(product, user) for product in drafts if hidden_from(product, user)]


def hidden_from(product: Product, user: Any) -> bool:
    """Whether another team has taken the product back to draft (a new revision, a change in review), which hides it."""
    return product.status == Status.DRAFT and not permissions.of_team(user, product)


def product_as_seen(product: Product, user: Any) -> Product:
    """The product as the user may see it: another team's in draft, as it was when last out of draft, with its lines
    then, and a `seen_note` that says so (if it never was out of draft, it has no lines).

    A stack that takes another team's approved product showed the draft of its next revision as it was typed: its
    lines, its interactions and the limits it broke, to a team that cannot open the product itself.
    """
    if not hidden_from(product, user):
        return product
    versions = product_versions(product, user)
    if versions:
        record, lines = versions[-1].record, versions[-1].lines
        seen = record.instance
        seen.updated_at = record.history_date  # not kept in the history: the instance had the current edit's time
    else:
        # Never shown (or its history pruned): not even its name, which is the draft's as typed.
        record, lines, seen = None, [], Product(pk=product.pk, slug=product.slug, name=NAME_NEVER_SHOWN,
                                                 team_id=product.team_id, status=product.status, revision=product.revision)
    rows = [ProductLine(product=seen, compound=line.compound, amount=line.amount, unit=line.unit,
                        overage_percent=line.overage_percent, blend=line.blend, position=index)
            for index, line in enumerate(lines)]
    cached = seen.lines.all()  # a queryset not read: given its rows, as prefetch_related gives them
    cached._result_cache, cached._prefetch_done = rows, True
    seen._prefetched_objects_cache = {"lines": cached}
    if record is None:
        seen.seen_note = NOTE_NEVER_SHOWN
    else:
        note = NOTE_AS_SEEN if product.revision > record.revision else NOTE_BACK_IN_DRAFT
        seen.seen_note = note.format(revision=record.revision, status=record.get_status_display().lower())
    return seen


def product_lines_load(product: Product) -> None:
    """Load a product's lines with their compounds, as product_list does, for one read without them."""
    prefetch_related_objects([product], _LINES)


_ITEMS = Prefetch(
    "items",
    queryset=StackItem.objects.select_related("product__team").prefetch_related(Prefetch("product__lines", queryset=_LINES.queryset)),
)


class _StacksAsSeen(QuerySet[Stack]):
    """Stacks whose items give another team's product taken back to draft as it was last shown (product_as_seen)."""

    seen_by: Any = None

    def _clone(self) -> _StacksAsSeen:
        clone = super()._clone()
        clone.seen_by = self.seen_by
        return clone

    def _prefetch_related_objects(self) -> None:
        super()._prefetch_related_objects()
        if self.seen_by is not None:
            for stack in self._result_cache or []:
                _items_as_seen(stack, self.seen_by)


def _items_as_seen(stack: Stack, user: Any) -> None:
    for item in stack.items.all():
        if hidden_from(item.product, user):
            item.product = product_as_seen(item.product, user)


def stack_list(user: Any = None, *, items: bool = True) -> QuerySet[Stack]:
    """Stacks with their items' products and lines (unless items=False), each product as the user may see it; only
    the stacks the user may see when a user is given."""
    stacks = _StacksAsSeen(model=Stack).select_related("team")
    if items:
        stacks = stacks.prefetch_related(_ITEMS)
    if user is None:
        return stacks
    stacks.seen_by = user
    return permissions.visible(stacks, user)


def stack_items_load(stack: Stack, user: Any = None) -> None:
    """Load a stack's items with their products and lines, as stack_list does, for one read without them."""
    prefetch_related_objects([stack], _ITEMS)
    if user is not None:
        _items_as_seen(stack, user)


@dataclass(frozen=True)
class ProductVersion:
    """A recorded state of a product: its historical record and its lines as they then were."""

    record: Any  # a HistoricalProduct
    lines: list[LineData]

    @property
    def fields(self) -> dict[str, Any]:
        return {name: getattr(self.record, name) for name in ProductForm.Meta.fields}


_JUST_BEFORE = timedelta(microseconds=1)


def version_with_id(versions: Sequence[Any], history_id: object) -> Any:
    """The version (of a product or a stack) of this history id, given as a URL (a number) or a form (its text) gives
    it; None if none."""
    return next((v for v in versions if str(v.record.history_id) == str(history_id)), None)


def _records_with_rows(design: Product | Stack, part: type[ProductLine] | type[StackItem],
                       **owner: Any) -> list[tuple[Any, list[Any]]]:
    """Each historical record of the design, oldest first, with its parts (lines, items) as they then were, in order.

    A save writes the design's record first and replaces its parts just after, so a version's parts are the ones that
    existed just before the next version's record (or now, for the latest).
    """
    records = list(design.history.order_by("history_date", "history_id").select_related("history_user"))
    states = []
    for index, record in enumerate(records):
        if index + 1 < len(records):
            rows = part.history.as_of(records[index + 1].history_date - _JUST_BEFORE).filter(**owner)
        else:
            rows = part.objects.filter(**owner)
        states.append((record, sorted(rows, key=lambda r: (r.position, r.pk))))
    return states


def product_versions(product: Product, user: Any = None) -> list[ProductVersion]:
    """Every recorded state of the product, oldest first, each with its lines as they then were (_records_with_rows);
    for a `user` of another team, only those out of draft, as their drafts are hidden from it."""
    compounds = {c.pk: c for c in Compound.objects.prefetch_related("contributions__nutrient")}
    versions = [ProductVersion(record, [LineData(compounds[r.compound_id], r.amount, r.unit, r.overage_percent, r.blend)
                                        for r in rows])
                for record, rows in _records_with_rows(product, ProductLine, product_id=product.pk)]
    if user is not None and not permissions.of_team(user, product):
        # Another team sees a product once submitted: its history showed every draft edit made before.
        versions = [version for version in versions if version.record.status != Status.DRAFT]
    return versions


@dataclass(frozen=True)
class StackVersion:
    """A recorded state of a stack: its historical record and its items as they then were."""

    record: Any  # a HistoricalStack
    items: list[ItemData]
    deleted: int = 0  # items whose product has since been deleted, which its items leave out
    # Those items, each with its product as last recorded and named so: a diff said "No difference" of an edit that
    # took such a product out of the stack.
    deleted_items: tuple[ItemData, ...] = ()

    @property
    def fields(self) -> dict[str, Any]:
        return {name: getattr(self.record, name) for name in StackForm.Meta.fields}


def stack_versions(stack: Stack, user: Any) -> list[StackVersion]:
    """Every recorded state of the stack, oldest first, each with its items as they then were; each product as the
    user may see it (product_as_seen)."""
    states = _records_with_rows(stack, StackItem, stack_id=stack.pk)
    ids = {r.product_id for _, rows in states for r in rows}
    seen = {p.pk: product_as_seen(p, user) for p in Product.objects.filter(pk__in=ids)}
    gone = _deleted_products(ids - seen.keys())
    return [StackVersion(record, [ItemData(seen[r.product_id], r.servings_per_day, r.timing) for r in rows
                                  if r.product_id in seen], sum(r.product_id not in seen for r in rows),
                         tuple(ItemData(gone[r.product_id], r.servings_per_day, r.timing) for r in rows
                               if r.product_id not in seen))
            for record, rows in states]


DELETED_PRODUCT = "{name} (since deleted)"


def _deleted_products(ids: set[int]) -> dict[int, Product]:
    """Each deleted product as its history last recorded it, named as deleted (DELETED_PRODUCT); unsaved, to read only."""
    last: dict[int, Product] = {}
    for record in Product.history.filter(id__in=ids).order_by("id", "-history_date", "-history_id"):
        if record.id not in last:
            last[record.id] = Product(pk=record.id, slug=record.slug, team_id=record.team_id,
                                      name=DELETED_PRODUCT.format(name=record.name))
    # A product whose history is gone too (a purged table) is still an item that changed.
    return {pk: last.get(pk) or Product(pk=pk, slug=f"product-{pk}", name=DELETED_PRODUCT.format(name=f"product {pk}"))
            for pk in ids}


def products_changed_since(products: Sequence[Product], when: datetime, user: Any = None) -> list[Product]:
    """Those of the products saved (or changed in status) after a moment, in the order given; for a `user` of another
    team, in the versions it may see (product_versions): another team's draft edits, hidden from it, leave its figures
    as they were, and saying them told it when that team edited its drafts."""
    records = Product.history.filter(id__in=[p.pk for p in products], history_date__gt=when)
    if user is not None:
        theirs = [p.pk for p in products if not permissions.of_team(user, p)]
        records = records.exclude(id__in=theirs, status=Status.DRAFT)
    changed = set(records.values_list("id", flat=True))
    return [p for p in dict.fromkeys(products) if p.pk in changed]
