"""Write products and stacks. A save names the version it was based on; a stale one is refused."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from compounds.models import Compound
from compounds.selectors import compound_contributions, compound_fraction_rows
from compounds.text import visible
from formulator import engine, labels, presenters
from formulator.models import Product, ProductLine, Stack, StackItem, Status

if TYPE_CHECKING:
    from formulator.reports import ProductReport

ERROR_SOLVE_NEEDS_TARGET = "Enter the magnesium this line should deliver, e.g. 150, then solve."
ERROR_SOLVE_NEEDS_COMPOUND = "Choose this line's compound, then solve."
ERROR_SOLVE_POSITIVE = "Enter a target above 0 mg."
ERROR_SOLVE_NO_NUTRIENT = "{compound} delivers no {nutrient}: solve with a compound that does, or enter the amount."
# As engine.ERROR_AMOUNT_ABSURD: more than 100 g of one ingredient a serving is a typo.
# Solving gives a hair more than the target: said, so a figure above it is never a surprise.
MESSAGE_SOLVE_ROUNDED_UP = ("Rounded up to {amount} of {compound}, which gives {delivered} {nutrient}: a label must not "
                            "claim more than the line gives.")
# Rounded up, a target at a limit took the design a hair over it, and "over" stood where the target itself was within.
MESSAGE_SOLVE_ROUNDED_DOWN = ("Rounded down to {amount} of {compound}, which gives {delivered} {nutrient}: rounding up "
                              "would take {crossed}.")
SOLVE_CROSSED = "{nutrient} over {limits}"  # one nutrient's limits crossed, in MESSAGE_SOLVE_ROUNDED_DOWN
SOLVE_LIMIT = "the {market} {kind} of {amount}{per}"
ERROR_SOLVE_TOO_LARGE = "That target needs more than 100 g of {compound} a serving: check the target."
ERROR_CONFLICT = (
    "This {what} was saved after you opened it, by someone else or in another tab: you started from edit {mine}, and it "
    "is now at edit {theirs}. Nothing was overwritten and your edits are still here. Where the saved {what} differs "
    "from yours is listed below: saving again replaces it with yours, so keep what you want of it first."
)
# A page's edit number that the design never had (above its edit, or none): a tampered or broken form, not a
# colleague's save, so it says so, and is handled as a conflict: nothing is overwritten blindly.
ERROR_UNKNOWN_EDIT = (
    "This page does not say which edit of this {what} it started from (it says edit {mine}; the {what} is at edit "
    "{theirs}). Nothing was overwritten and your edits are still here. Where the saved {what} differs from yours is "
    "listed below: saving again replaces it with yours."
)
ERROR_NAME_TAKEN = "{team} already has a {what} named “{name}”: give this one another name, so that lists tell them apart."
ERROR_APPROVAL_BLOCKED = "{name} was not approved. Approval needs these fixed first: {blockers}"
# An approval stands, whatever the library says since: said where it no longer would be given, a lowered limit left an
# approved product "Approved" beside "Limits: over", and its sheet went to the manufacturer so.
MESSAGE_APPROVED_NO_LONGER = ("Approved, but it would not be approved with the library as it is now, which has changed "
                              "since:")
BLOCKER_EXCLUDED = "{compound} is excluded for this population in {markets}: {management}."
BLOCKER_FILL = "The serving does not fit in {capsules}: it needs {needed} at no more than 95% fill."
BLOCKER_NO_CAPSULE_SIZE = ("Size {size} capsules are not in the library, so the fill cannot be checked: a curator adds the size "
                           "back (Capsule sizes), or choose another.")
CHANGE_ORDER = "Order of ingredients"
CHANGE_STACK_ORDER = "Order of products"
CHANGE_STATUS = "Status"
CHANGE_REVISION = "Revision"
# A review is of one edit: a change made during it leaves nothing reviewed, so the product goes back to draft.
REASON_CHANGED_IN_REVIEW = "Changed in review: returned to draft"
REASON_ALSO_OUT_OF_REVIEW = "{reason}; this returned it from review to draft"  # after the change's own reason
MESSAGE_OUT_OF_REVIEW = "The change returned it from review to draft: submit it again when it is ready."


_AMOUNT_FIELD = ProductLine._meta.get_field("amount")
# A line's amount stays below this many mg: the field holds max_digits - decimal_places whole digits.
AMOUNT_LIMIT_MG = Decimal(10) ** (_AMOUNT_FIELD.max_digits - _AMOUNT_FIELD.decimal_places)
SOLVE_STEP_MG = Decimal("0.1")
# The finest amount a line holds: a small mass is solved to this, not to 0.1 mg, which would be many times its target.
AMOUNT_STEP_MG = Decimal(1).scaleb(-_AMOUNT_FIELD.decimal_places)
SOLVE_DIGITS = 4  # at least this many significant digits of a solved mass


class SaveConflict(Exception):
    """The object changed since the editor loaded it; carries the current version."""

    def __init__(self, what: str, mine: int, current: Product | Stack) -> None:
        self.current = current
        self.mine = mine
        message = ERROR_CONFLICT if 1 <= mine <= current.version else ERROR_UNKNOWN_EDIT
        super().__init__(message.format(what=what, mine=mine, theirs=current.version))


class NameTaken(Exception):
    """Another design of the team has this name: the lists, pickers and menus show designs by name alone."""


def name_cleaned(name: str) -> str:
    """A design's name as it is saved and shown: no invisible characters (compounds.text.visible), composed (NFC),
    single spaces."""
    return " ".join(text_cleaned(name).split())


def text_cleaned(text: str) -> str:
    """Notes as they are saved and shown: no invisible characters, composed (NFC), line breaks kept."""
    return unicodedata.normalize("NFC", visible(text)).strip()


def _name_key(name: str) -> str:
    """A name as people tell names apart: any case, any width, any run of spaces ("Mood  Flow" is "mood flow"),
    no invisible characters (also in names saved before the forms cleaned them)."""
    return " ".join(unicodedata.normalize("NFKC", name_cleaned(name)).casefold().split())


def _name_taken(model: type[Product] | type[Stack], name: str, team: Any, exclude_pk: int | None = None) -> str | None:
    """The name, as it was saved, of the team's other design that reads as this name; None if there is none."""
    # Compared here, not by the database: SQLite's iexact folds only A to Z, so "Ölbad" and "ölbad" would differ.
    if team is None:
        return None
    key = _name_key(name)
    others = model.objects.filter(team=team).exclude(pk=exclude_pk).values_list("name", flat=True)
    return next((other for other in others if _name_key(other) == key), None)


def design_name_check(model: type[Product] | type[Stack], name: str, team: Any, exclude_pk: int | None) -> None:
    """Raise NameTaken if another design of the team reads as this name (name_cleaned's)."""
    # The name as the list shows it: "MoodFlow", whoever typed "MOODFLOW", is the one to look for.
    if taken := _name_taken(model, name, team, exclude_pk):
        raise NameTaken(ERROR_NAME_TAKEN.format(team=team, what=model._meta.verbose_name, name=taken))


@contextmanager
def _name_guard(model: type[Product] | type[Stack], name: str, team: Any, exclude_pk: int | None) -> Iterator[None]:
    """Check the name, then write; a name another save took meanwhile, refused by the database, is NameTaken too."""
    design_name_check(model, name, team, exclude_pk)
    try:
        with transaction.atomic():  # a savepoint: the transaction stays usable to look the name up again
            yield
    except IntegrityError:
        design_name_check(model, name, team, exclude_pk)
        raise


class ApprovalRefused(Exception):
    """The product cannot be approved (product_approval_blockers); carries what stands in the way."""

    def __init__(self, name: str, blockers: Sequence[str]) -> None:
        self.blockers = list(blockers)
        super().__init__(ERROR_APPROVAL_BLOCKED.format(name=name, blockers=" ".join(blockers)))


@dataclass(frozen=True)
class LineData:
    compound: Compound
    amount: Decimal
    unit: str
    overage_percent: Decimal
    blend: str = ""  # a proprietary blend's name, shared by its lines


@dataclass(frozen=True)
class ItemData:
    product: Product
    servings_per_day: Decimal
    timing: str


# The editors' addresses: a product named "New" at /products/new/ opened a blank editor, and its own page was lost.
RESERVED_SLUGS = frozenset({"new"})


def unique_slug(model: type[Product] | type[Stack], name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:140] or "untitled"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


SLUG_ATTEMPTS = 10  # designs of one slug created at the very same time, each taking the next free one


def _insert_under_free_slug(design: Product | Stack) -> None:
    """Insert a new design under the first free slug of its name: another save that took the same one meanwhile (their
    names differ only in what a slug leaves out, "Race!" and "Race?") was refused by the database, a 500 on PostgreSQL.
    A refusal for anything else, its name taken, is the caller's (_name_guard)."""
    model = type(design)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the transaction usable
                design.save()
            return
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1 or not model.objects.filter(slug=design.slug).exists():
                raise
            design.slug = unique_slug(model, design.name)


def _versioned_update(model: type[Product] | type[Stack], obj: Product | Stack, what: str, expected_version: int,
                      fields: dict[str, Any], user: Any = None, reason: str = "") -> None:
    """Write fields only if nobody saved since expected_version; bump the version in the same statement.

    One conditional UPDATE is the lock (it is atomic on SQLite and PostgreSQL alike); as .update() sends no
    signals, the history record is written here.
    """
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise SaveConflict(what, expected_version, model.objects.get(pk=obj.pk))
    model.history.bulk_history_create(  # type: ignore[attr-defined]
        [model.objects.get(pk=obj.pk)], update=True, default_user=_user(user), default_change_reason=reason or None
    )


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def product_save(
    *, product: Product | None, fields: dict[str, Any], lines: Sequence[LineData], expected_version: int | None,
    user: Any = None, team: Any = None, reason: str = "",
) -> Product:
    """Create a product, or update one if it is still at expected_version; lines are replaced whole.

    Every change is recorded in the history with its user, lines included. A product in review returns to draft.
    NameTaken if the team has another product of that name.
    """
    with _name_guard(Product, fields["name"], team if product is None else product.team, product and product.pk):
        if product is None:
            product = Product(slug=unique_slug(Product, fields["name"]), team=team, **fields)
            product._change_reason = reason or None  # type: ignore[attr-defined]
            product._history_user = _user(user)  # type: ignore[attr-defined]  # not only from a request's middleware
            _insert_under_free_slug(product)
        else:
            if product.status == Status.IN_REVIEW:
                fields = {**fields, "status": Status.DRAFT}
                reason = REASON_ALSO_OUT_OF_REVIEW.format(reason=reason) if reason else REASON_CHANGED_IN_REVIEW
            _versioned_update(Product, product, "product", expected_version or 0, fields, user, reason)
            for line in product.lines.all():
                line.delete()
    bulk_create_with_history(
        [ProductLine(product=product, compound=line.compound, amount=line.amount, unit=line.unit,
                     overage_percent=line.overage_percent, blend=line.blend, position=index)
         for index, line in enumerate(lines)],
        ProductLine, default_user=_user(user), default_change_reason=reason or None,
    )
    return Product.objects.get(pk=product.pk)


@transaction.atomic
def stack_save(*, stack: Stack | None, fields: dict[str, Any], items: Sequence[ItemData], expected_version: int | None,
               user: Any = None, team: Any = None, reason: str = "") -> Stack:
    """Create a stack, or update one if it is still at expected_version; items are replaced whole.

    Every change is recorded in the history with its user, items included. NameTaken if the team has another stack of
    that name.
    """
    with _name_guard(Stack, fields["name"], team if stack is None else stack.team, stack and stack.pk):
        if stack is None:
            stack = Stack(slug=unique_slug(Stack, fields["name"]), team=team, **fields)
            stack._change_reason = reason or None  # type: ignore[attr-defined]
            stack._history_user = _user(user)  # type: ignore[attr-defined]  # not only from a request's middleware
            _insert_under_free_slug(stack)
        else:
            _versioned_update(Stack, stack, "stack", expected_version or 0, fields, user, reason)
            for item in stack.items.all():
                item.delete()
    bulk_create_with_history(
        [StackItem(stack=stack, product=item.product, servings_per_day=item.servings_per_day, timing=item.timing,
                   position=index)
         for index, item in enumerate(items)],
        StackItem, default_user=_user(user), default_change_reason=reason or None,
    )
    return Stack.objects.get(pk=stack.pk)


# Editing rows in posted form data -------------------------------------------------------------------
# The editor keeps its rows in the POST itself, so add, remove, reorder and pick work the same with
# and without JavaScript: the view edits the rows, then re-renders the formset from them.


# The most rows an editor takes (a product's lines, a stack's products), as the API's. A form posting more is read
# whole, for the forms to refuse and the page to keep every row: the rows past the 200th were dropped without a word,
# and the rest saved; read to one past it, a 202nd line typed was lost on the next keystroke. ROWS_READ bounds only
# what a forged row count makes the view build (Django's field limit bounds the rows actually posted).
ROWS_MAX = 200
ROWS_READ = 1000


def rows_from_post(data: MultiValueDict[str, str], prefix: str, fields: Sequence[str]) -> list[dict[str, str]]:
    """The posted rows (at most ROWS_READ), each a mapping of its fields to their last posted values."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), ROWS_READ)
    except (TypeError, ValueError):
        total = 0
    # Each name's last value, as data.get gives it, straight from the lists the MultiValueDict holds: a 50-line form
    # has 300 names, and data.get costs a method call and a copy-free but Python-level lookup for each.
    lists = dict.get
    return [{field: (lists(data, name) or ("",))[-1] for field, name in row} for row in _row_names(prefix, tuple(fields), total)]


@lru_cache(maxsize=64)
def _row_names(prefix: str, fields: tuple[str, ...], total: int) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Each row's fields with their names in the form (lines-0-amount ...), worked out once per size of form."""
    return tuple(tuple((field, f"{prefix}-{i}-{field}") for field in fields) for i in range(total))


def rows_to_post(data: Any, prefix: str, rows: Sequence[dict[str, str]]) -> Any:
    """Return a mutable copy of data whose formset part holds exactly these rows, renumbered."""
    data = data.copy()
    for key in [k for k in data if k.startswith(f"{prefix}-")]:
        del data[key]
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    for i, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{i}-{field}"] = value
    return data


def rows_apply(action: str, rows: list[dict[str, str]], blank: dict[str, str]) -> list[dict[str, str]]:
    """Apply an editor action such as "add", "remove-2", "up-1" or "down-0" to the rows."""
    rows = list(rows)
    name, _, index_text = action.partition("-")
    if name == "add":
        rows.append(dict(blank))
        return rows
    try:
        index = int(index_text)
    except ValueError:
        return rows
    if not 0 <= index < len(rows):
        return rows
    if name == "remove":
        del rows[index]
    elif name == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif name == "down" and index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
    return rows


def item_rows_label_fill(rows: Sequence[dict[str, str]], products: Mapping[str, Product]) -> None:
    """Fill each stack item's empty servings and timing with its product's own, as the label says: MoodFlow's 2 a day
    in the evening, not 1 in the morning (the per-dose rule adds up what is taken at one time of day)."""
    for row in rows:
        product = products.get(row["product"])
        if product is None:
            continue
        if not row["servings_per_day"].strip():
            row["servings_per_day"] = f"{product.servings_per_day.normalize():f}"
        if not row["timing"]:
            row["timing"] = product.timing


def _solve_step(mass: Decimal) -> Decimal:
    """The step a solved mass is rounded up to: 0.1 mg, finer for a small one, so it keeps SOLVE_DIGITS digits."""
    step = SOLVE_STEP_MG
    while step > AMOUNT_STEP_MG and mass < step.scaleb(SOLVE_DIGITS - 1):
        step = step.scaleb(-1)
    return step


def solved_mass(mass: Decimal) -> Decimal:
    """A compound mass that gives a target, as Solve writes it: rounded up (a label must not promise more than the line
    delivers, 21 CFR 101.9(g)(4)), to 0.1 mg or finer for a small one. The compound comparison shows the same."""
    return mass.quantize(_solve_step(mass), rounding=ROUND_CEILING)


@dataclass(frozen=True)
class Solved:
    """A solved amount in its line's unit, and the limits rounding it up would have taken the design over."""

    amount: Decimal
    crossed: tuple[engine.Assessment, ...] = ()


def solved_amount(line: engine.LineInput, design: engine.Design | None = None) -> Solved:
    """Round a line's exact solved amount, in its unit, to the step Solve writes: up (a label must not promise more
    than the line delivers, 21 CFR 101.9(g)(4)), unless that takes the design over a limit the exact amount is within."""
    factor = engine.MG_PER_UNIT[line.unit]
    # In the line's own unit, to no more decimals than an amount holds: in g, 0.1 mg at the finest.
    step = max(_solve_step(line.amount * factor) / factor, AMOUNT_STEP_MG)
    up = line.amount.quantize(step, rounding=ROUND_CEILING)
    if design is None or up == line.amount:
        return Solved(up)
    down = line.amount.quantize(step, rounding=ROUND_FLOOR)
    crossed = engine.limits_crossed(design, line, up)
    # A hair under the target is the formulator's to weigh against the label; a design over a limit its target keeps
    # is no design. Rounded down to nothing, though, it is no line: up it stays, and says over.
    return Solved(down, crossed) if crossed and down > 0 else Solved(up)


def _solve_overage(row: Mapping[str, str]) -> Decimal | None:
    """A row's overage as the limits count it; None when it is no overage, and the design's figures wait for it."""
    try:
        overage = Decimal(row.get("overage_percent", "").strip() or 0)
    except InvalidOperation:
        return None
    return overage if overage.is_finite() and overage >= 0 else None


def _solve_line(row: Mapping[str, str], compound: Compound, chosen: engine.Contribution, target: Decimal) -> engine.LineInput:
    """The row's line at the exact compound mass that delivers the target, in the row's unit."""
    unit = row.get("unit") if row.get("unit") in engine.MG_PER_UNIT else "mg"
    mass = engine.compound_mass_for_target(target, chosen.fraction, chosen.nutrient)
    return engine.LineInput("solved", compound.name, mass / engine.MG_PER_UNIT[unit], unit,
                            compound_contributions(compound), _solve_overage(row) or engine.ZERO)


def _solve_design(row: Mapping[str, str], design: engine.Design | None) -> engine.Design | None:
    # With no overage to count, the limits cannot be judged: the figures show none until it is fixed.
    return design if _solve_overage(row) is not None else None


def row_solve(row: dict[str, str], compound: Compound | None, nutrient: str = "magnesium",
              design: engine.Design | None = None) -> str | None:
    """Set a line row's amount to the compound mass that delivers its target of the nutrient; return an error or None.

    A compound without the nutrient is refused: the editor labels the target "mg magnesium", and 150 mg of
    melatonin for "150 mg magnesium" would be a silent, wrong answer. Given the rest of its `design`, the mass is
    rounded down where rounding it up would take the design over a limit (solved_amount).
    """
    try:
        target = Decimal(row.get("target_mg", "").strip())
    except InvalidOperation:
        return ERROR_SOLVE_NEEDS_TARGET
    if not target.is_finite():  # Decimal reads "NaN" and "Infinity" as values
        return ERROR_SOLVE_NEEDS_TARGET
    if target <= 0:
        return ERROR_SOLVE_POSITIVE
    if compound is None:
        return ERROR_SOLVE_NEEDS_COMPOUND
    chosen = _contribution(compound, nutrient)
    if chosen is None:
        return ERROR_SOLVE_NO_NUTRIENT.format(compound=compound.name, nutrient=nutrient)
    # No fraction is above 1, so the mass is at least the target: past a line's limit, it is refused before dividing,
    # which for 1e999999 mg would overflow what a Decimal can hold.
    if target > engine.MAX_LINE_MG:
        return ERROR_SOLVE_TOO_LARGE.format(compound=labels.lower_first(compound.name))
    try:
        line = _solve_line(row, compound, chosen, target)
    except engine.EngineError as exc:
        return str(exc)
    # A mass past the limit is not rounded: it may have more digits than a Decimal can quantize.
    factor = engine.MG_PER_UNIT[line.unit]
    amount = line.amount
    if amount * factor <= engine.MAX_LINE_MG:
        amount = solved_amount(line, _solve_design(row, design)).amount
    if amount * factor > engine.MAX_LINE_MG:
        # Refused, and the amount typed stays: written in, the mass would only be refused as absurd at the amount, and
        # the valid amount it replaced would be lost.
        return ERROR_SOLVE_TOO_LARGE.format(compound=labels.lower_first(compound.name))
    row["amount"] = f"{amount.normalize():f}"
    row["unit"] = line.unit
    return None


def _contribution(compound: Compound, nutrient: str) -> engine.Contribution | None:
    return next((c for c in compound_contributions(compound) if c.nutrient == nutrient), None)


def row_solved_note(row: dict[str, str], compound: Compound, nutrient: str = "magnesium",
                    design: engine.Design | None = None) -> str:
    """What a row solved by row_solve (with the same `design`) gives beside its target, when rounding its mass gives
    more or less; else ""."""
    chosen = _contribution(compound, nutrient)
    assert chosen is not None  # row_solve refused a compound without the nutrient
    amount, target = Decimal(row["amount"]), Decimal(row["target_mg"].strip())
    unit = row.get("unit", "mg")
    delivered = amount * engine.MG_PER_UNIT[unit] * chosen.fraction
    if delivered == target:
        return ""
    # The amount as set in the field, not rounded again: "498 mcg" named a mass other than the 0.4975 mg put there.
    written = f"{labels.plain_number(amount)} {unit}"
    said = {"amount": written, "compound": labels.lower_first(compound.name),
            "delivered": labels.amount_beside(delivered, target), "nutrient": nutrient}
    if delivered > target:
        return MESSAGE_SOLVE_ROUNDED_UP.format(**said)
    crossed = solved_amount(_solve_line(row, compound, chosen, target), _solve_design(row, design)).crossed
    return MESSAGE_SOLVE_ROUNDED_DOWN.format(**said, crossed=_limits_crossed_said(crossed, compound))


def _limits_crossed_said(crossed: Sequence[engine.Assessment], compound: Compound) -> str:
    """The limits rounding up would have crossed, by nutrient: "magnesium over the EU limit of 250 mg/day"."""
    # Only the solved line's compound changed, so only its nutrients can have crossed one.
    names = {row.nutrient.slug: labels.lower_first(row.nutrient.name) for row in compound_fraction_rows(compound)}
    limits: dict[str, list[str]] = {}
    for assessment in crossed:
        ref = assessment.reference
        assert ref.amount_mg is not None  # a limit of none (food only) is over at any amount: never crossed
        limits.setdefault(ref.nutrient, []).append(SOLVE_LIMIT.format(
            market=ref.market, kind=labels.KIND_WORDS[ref.kind], per=" a dose" if ref.per == engine.Per.DOSE else "/day",
            amount=labels.reference_amount(ref.amount_mg, ref.significance, ref.unit)))
    return labels.listed([SOLVE_CROSSED.format(nutrient=names.get(slug, slug), limits=labels.listed(said))
                          for slug, said in limits.items()])


def _shown(value: Any) -> str:
    """A field's value as the diffs and conflict lists write it: numbers as the pages do (2,000, not 2000)."""
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value) if value not in ("", None) else "empty"


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a design: a field, or an ingredient line."""

    what: str
    before: str
    after: str


def _line_text(amount: Decimal, unit: str, overage: Decimal, blend: str = "") -> str:
    return (f"{_shown(amount)} {unit}" + (f" +{_shown(overage)}% overage" if overage else "")
            + (f" in {blend}" if blend else ""))


def fields_of(product: Product) -> dict[str, Any]:
    from formulator.forms import ProductForm  # forms import this module's neighbours; avoid a cycle

    return {name: getattr(product, name) for name in ProductForm.Meta.fields}


def lines_of(product: Product) -> list[LineData]:
    return [LineData(l.compound, l.amount, l.unit, l.overage_percent, l.blend) for l in product.lines.all()]


def product_unchanged(product: Product, fields: Mapping[str, Any], lines: Sequence[LineData]) -> bool:
    """Whether saving these fields and lines, in this order, would leave the saved product as it is."""
    def line_key(line: LineData) -> tuple[Any, ...]:
        return line.compound.pk, line.amount, line.unit, line.overage_percent, line.blend

    return (fields_of(product) == dict(fields)
            and [line_key(line) for line in lines_of(product)] == [line_key(line) for line in lines])


def stack_unchanged(stack: Stack, fields: Mapping[str, Any], items: Sequence[ItemData]) -> bool:
    """Whether saving these fields and items, in this order, would leave the saved stack as it is."""
    saved = [(item.product_id, item.servings_per_day, item.timing) for item in stack.items.all()]
    return ({name: getattr(stack, name) for name in fields} == dict(fields)
            and saved == [(item.product.pk, item.servings_per_day, item.timing) for item in items])


def _field_changes(model: type[Product] | type[Stack], before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Field by field, named as the model names them, what differs between two versions.

    A coded choice reads as the pages write it (Evening, Pregnancy, not evening, pregnancy).
    """
    changes = []
    for name, value in after.items():
        if before.get(name) != value:
            field = model._meta.get_field(name)
            labels = dict(field.flatchoices) if field.choices else {}

            def shown(v: Any) -> str:
                return _shown(labels.get(v, v) if isinstance(v, str) else v)

            changes.append(Change(str(field.verbose_name).capitalize(), shown(before.get(name)), shown(value)))
    return changes


def _part_changes(before: Iterable[tuple[str, str]], after: Iterable[tuple[str, str]], absent: str) -> list[Change]:
    """Part by part (an ingredient, a product), what differs between two versions; a part's entries read as one."""

    def by_name(parts: Iterable[tuple[str, str]]) -> dict[str, str]:
        texts: dict[str, list[str]] = {}
        for name, text in parts:
            texts.setdefault(name, []).append(text)
        return {name: " and ".join(entries) for name, entries in texts.items()}

    before_map, after_map = by_name(before), by_name(after)
    return [
        Change(name, before_map.get(name, absent), after_map.get(name, absent))
        for name in [*before_map, *[n for n in after_map if n not in before_map]]
        if before_map.get(name, absent) != after_map.get(name, absent)
    ]


def design_changes(
    before_fields: dict[str, Any], before_lines: Sequence[LineData], after_fields: dict[str, Any],
    after_lines: Sequence[LineData],
) -> list[Change]:
    """Field by field, then ingredient by ingredient (matched by compound), what differs between two versions."""

    def entries(lines: Sequence[LineData]) -> Iterator[tuple[str, str]]:
        for line in lines:
            yield line.compound.name, _line_text(line.amount, line.unit, line.overage_percent, line.blend)

    # A label lists ingredients in the design's order, so a move is a change even when every line stays as it was.
    return (_field_changes(Product, before_fields, after_fields)
            + _part_changes(entries(before_lines), entries(after_lines), "not in the design")
            + _order_changes(CHANGE_ORDER, [line.compound.name for line in before_lines],
                             [line.compound.name for line in after_lines]))


def version_changes(before: Any, after: Any) -> list[Change]:
    """What differs between two recorded versions of a product (selectors.ProductVersion): first the status (by the
    names the pages use: Draft, In review) and the revision, which the edit form does not hold, then the fields and
    ingredients."""
    workflow = []
    if before.record.status != after.record.status:
        workflow.append(Change(CHANGE_STATUS, before.record.get_status_display(), after.record.get_status_display()))
    if before.record.revision != after.record.revision:
        workflow.append(Change(CHANGE_REVISION, str(before.record.revision), str(after.record.revision)))
    return workflow + design_changes(before.fields, before.lines, after.fields, after.lines)


def _order_changes(what: str, before: Sequence[str], after: Sequence[str]) -> list[Change]:
    """The order of the parts both versions have, where it differs (each part named once, where it first appears)."""
    before_order, after_order = list(dict.fromkeys(before)), list(dict.fromkeys(after))
    kept_before = [name for name in before_order if name in after_order]
    kept_after = [name for name in after_order if name in before_order]
    return [Change(what, ", ".join(kept_before), ", ".join(kept_after))] if kept_before != kept_after else []


def _conflict_list(changes: Sequence[Change]) -> list[str]:
    # Both sides differ from the version the editor started from, so neither side's differences are "theirs" alone.
    return [f"{change.what}: saved {change.before}, yours {change.after}" for change in changes]


def product_diff(saved: Product, fields: dict[str, Any], lines: Sequence[LineData]) -> list[str]:
    """Say how a saved product differs from an edit of it, for the conflict message."""
    return _conflict_list(design_changes(fields_of(saved), lines_of(saved), fields, lines))


def stack_product_names(items: Sequence[ItemData | StackItem], among: Iterable[ItemData | StackItem] = ()) -> list[str]:
    """Each item's product by name, with its team's where another product of the stack (or of `among`, the other
    version a diff compares) has its name: two teams may name theirs alike, and a stack of both read "Luna 150 mg
    (66%); Luna 78 mg (34%)"."""
    slugs_named: dict[str, set[str]] = {}
    for item in (*items, *among):
        slugs_named.setdefault(item.product.name.casefold(), set()).add(item.product.slug)
    return [f"{item.product.name} ({item.product.team.name if item.product.team else item.product.slug})"
            if len(slugs_named[item.product.name.casefold()]) > 1 else item.product.name for item in items]


def stack_changes(before_fields: Mapping[str, Any], before_items: Sequence[ItemData | StackItem],
                  after_fields: Mapping[str, Any], after_items: Sequence[ItemData | StackItem]) -> list[Change]:
    """What differs between two versions of a stack: its fields, then product by product, then their order."""

    before_names = stack_product_names(before_items, among=after_items)
    after_names = stack_product_names(after_items, among=before_items)

    def entries(items: Sequence[ItemData | StackItem], names: list[str]) -> Iterator[tuple[str, str]]:
        for item, name in zip(items, names, strict=True):
            yield name, f"{_shown(item.servings_per_day)} a day, {item.timing}"

    # The sheets and the chart list products in the stack's order: a move is a change, as it is for ingredients.
    return (_field_changes(Stack, before_fields, after_fields)
            + _part_changes(entries(before_items, before_names), entries(after_items, after_names), "not in the stack")
            + _order_changes(CHANGE_STACK_ORDER, before_names, after_names))


def stack_diff(saved: Stack, fields: dict[str, Any], items: Sequence[ItemData]) -> list[str]:
    """Say how a saved stack differs from an edit of it, for the conflict message: its fields, then product by product.

    Its items as loaded (selectors.stack_items_load): each product as the user may see it."""
    saved_fields = {name: getattr(saved, name) for name in fields}
    return _conflict_list(stack_changes(saved_fields, list(saved.items.all()), fields, items))


@transaction.atomic
def product_duplicate_as_variant(product: Product, user: Any = None, team: Any = None) -> Product:
    """Copy a product and its lines as the next free variant: recover → recover-v2 (then -v3 ...)."""
    team = team or product.team
    root = product.variant_of or product
    if root.status == Status.DRAFT and root.team_id != team.pk:
        # Another team's draft is no original to the copier, who may not see it: "Boost v2" copied as a variant of
        # the name its team was typing ("Boost SECRET ROOT NAME v3").
        root = product
    n = 2
    fields = fields_of(product)
    while True:
        while Product.objects.filter(slug=f"{root.slug}-v{n}").exists() or _name_taken(Product, f"{root.name} v{n}", team):
            n += 1
        fields["name"] = f"{root.name} v{n}"
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the transaction usable
                variant = Product.objects.create(slug=f"{root.slug}-v{n}", variant_of=root, team=team, **fields)
            break
        except IntegrityError:  # another duplication took this slug or name meanwhile: take the next
            n += 1
    bulk_create_with_history(
        [ProductLine(product=variant, compound=l.compound, amount=l.amount, unit=l.unit,
                     overage_percent=l.overage_percent, blend=l.blend, position=l.position)
         for l in product.lines.all()],
        ProductLine, default_user=_user(user),
    )
    return variant


STATUS_REASONS = {"in-review": "Submitted for review", "approved": "Approved", "draft": "Returned to draft"}


def product_approval_blockers(report: ProductReport, markets: Sequence[str]) -> list[str]:
    """What stops a product's approval, in words: each limit its daily amount is over, an ingredient the law of one
    of its markets excludes for its population, capsules it does not fit, and nutrients a refused formula leaves out.

    The report must carry its evidence (the interactions come with it).
    """
    blockers = [row.reason for row in report.safety if row.status == engine.Status.OVER and row.governs]
    for row, excluded in presenters.legal_exclusions(report.interactions, markets):
        blockers.append(BLOCKER_EXCLUDED.format(compound=row.compound_name or row.agent, markets=", ".join(excluded),
                                                management=row.management))
    fill = report.fill
    if fill is not None and fill.status == engine.FillStatus.OVER:
        count = fill.capsules_per_serving
        capsules = f"{count} size {report.capsule_size} capsule{'' if count == 1 else 's'}"
        blockers.append(BLOCKER_FILL.format(capsules=capsules, needed=fill.capsules_needed))
    elif report.capsule_size_missing:
        blockers.append(BLOCKER_NO_CAPSULE_SIZE.format(size=report.capsule_size or "—"))
    # Its limits were judged without the nutrients a refused formula leaves out: "ok" says nothing of them.
    blockers.extend(report.formulas_uncounted)
    return blockers


@transaction.atomic
def product_set_status(product: Product, status: str, user: Any = None, expected_version: int | None = None) -> Product:
    """Move a product through draft, in review and approved; recorded in its history.

    With expected_version, only the edit the user saw (SaveConflict otherwise): approving is approving that edit.
    Approval is refused while product_approval_blockers names anything in the saved product.
    """
    expected = product.version if expected_version is None else expected_version
    if status == "approved":
        from formulator.reports import Library, saved_product_report  # reports builds on this module

        current = Product.objects.get(pk=product.pk)
        if current.version != expected:  # what changed since matters first: the blockers are the new edit's
            raise SaveConflict("product", expected, current)
        library = Library.load()
        blockers = product_approval_blockers(saved_product_report(current, library, library.evidence()), current.markets)
        if blockers:
            raise ApprovalRefused(product.name, blockers)
    _versioned_update(Product, product, "product", expected, {"status": status}, user, STATUS_REASONS[status])
    return Product.objects.get(pk=product.pk)


@transaction.atomic
def product_revise(product: Product, user: Any = None) -> Product:
    """Start the next revision of an approved product as a draft; the approved one stays in the history."""
    fields = {"status": "draft", "revision": product.revision + 1}
    _versioned_update(Product, product, "product", product.version, fields, user, f"Started revision {product.revision + 1}")
    return Product.objects.get(pk=product.pk)
