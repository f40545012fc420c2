"""Products and stacks: read them with their calculated totals; create and update products.

Every read and write goes through api.access.designs, the one place that decides who sees what.
Writes are checked as the workbench checks them (same rules, same messages) and save through
formulator.services, whose optimistic locking turns a stale version into a 409.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, QueryDict
from ninja import Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from api import access, output, schemas
from api.auth import PRODUCT_WRITERS, caller
from api.calculation import ERROR_UNKNOWN_COMPOUND
from api.pagination import Page
from api.schemas import (
    ERROR_VERSION_AHEAD,
    ConflictOut,
    ErrorOut,
    ProductIn,
    ProductOut,
    ProductUpdateIn,
    Slug,
    StackOut,
    ValidationErrorOut,
)
from formulator import engine, services, spec
from formulator.forms import ERROR_UNKNOWN_COMPOUND as ERROR_UNKNOWN_COMPOUND_MENU
from formulator.forms import ERROR_UNKNOWN_UNIT as ERROR_UNKNOWN_UNIT_MENU
from formulator.forms import ProductForm, lines_clean, number_written, product_fields_clean
from formulator.models import Product, Stack
from formulator.reports import Library, saved_product_report, saved_stack_report

router = Router(tags=["products and stacks"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut}
ONE_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
# 400: not JSON; 413: a body over DATA_UPLOAD_MAX_MEMORY_SIZE; 415: a body not sent as JSON (api/urls.py)
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 415: ErrorOut,
                                422: ValidationErrorOut}
# Why a version was recorded, as the product's history page shows it: each says what the version did, once.
REASON_CREATED = "Created through the API"
REASON_CHANGED = "Changed through the API"
# The workbench's conflict message says "saving again replaces it": its page takes the current version. An API client
# has to send it.
ERROR_CONFLICT = ("This product was saved after the version you sent: you sent edit {mine}, and it is now at "
                  "edit {theirs}. Nothing was written. Where the saved product differs from yours is in changes: to "
                  "apply your edit anyway, GET the product again and send your edit with version {theirs}.")


def _product_response(request: HttpRequest, product: Product) -> dict[str, Any]:
    fresh = access.designs(caller(request), "product", slug=product.slug)
    library = Library.load()
    return output.product_out(fresh, saved_product_report(fresh, library), library, caller(request))


def _posted(value: Any) -> str:
    """A payload value as the workbench's form would post it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number_written(value)
    return str(value)


def _validated(payload: ProductIn, team: Any, current: Product | None = None) -> tuple[dict[str, Any], list[services.LineData]]:
    """Check the payload with the workbench's own checks, and an update's version against the `current` product;
    raise a 422 naming every bad field, a name another product of the `team` has among them."""
    data = QueryDict(mutable=True)
    for name in ProductForm.Meta.fields:
        value = getattr(payload, name)
        data.setlist(name, [_posted(v) for v in value] if isinstance(value, list) else [_posted(value)])
    rows = [{"compound": line.compound, "amount": _posted(line.amount), "unit": line.unit,
             "overage_percent": _posted(line.overage_percent), "blend": line.blend, "target_mg": ""}
            for line in payload.lines]
    library = Library.load()
    fields = product_fields_clean(data)
    checked = lines_clean(rows, library.compounds)
    # Each unknown market at its place, naming the codes there are, as /calculate says it (the form's checkboxes
    # would only say that one is not among its choices).
    errors: list[dict[str, Any]] = [{"loc": ["body", "markets", index], "msg": message, "type": "value_error"}
                                    for index, message in schemas.unknown_markets(payload.markets)]
    for field, messages in fields.errors.items():
        if field == "markets" and errors:
            continue
        loc = ["body"] if field == "__all__" else ["body", field]
        errors.extend({"loc": loc, "msg": message, "type": "value_error"} for message in messages)
    # With the other messages, as the workbench says it: checked only on saving, it came in a second 422.
    if "name" not in fields.errors and (name := services.name_cleaned(payload.name)):
        try:
            services.design_name_check(Product, name, team, current.pk if current is not None else None)
        except services.NameTaken as exc:
            errors.append({"loc": ["body", "name"], "msg": str(exc), "type": "value_error"})
    errors.extend({"loc": ["body", "lines"], "msg": message, "type": "value_error"} for message in checked.non_form_errors)
    for key, messages in checked.errors.items():
        _, index, field = key.split("-", 2)  # lines-0-amount
        errors.extend({"loc": ["body", "lines", int(index), field], "type": "value_error",
                       "msg": _line_message(message, payload.lines[int(index)])} for message in messages)
    # Versions only go up: an edit above the product's, as read for this request, never was; the save would call it
    # a conflict with no changes. A version below it is a conflict, found (and answered 409) by the save.
    if isinstance(payload, ProductUpdateIn) and current is not None and payload.version > current.version:
        errors.append({"loc": ["body", "version"], "type": "value_error",
                       "msg": ERROR_VERSION_AHEAD.format(version=payload.version, current=current.version)})
    if errors or fields.values is None:
        raise ValidationError(errors)
    lines = [services.LineData(library.compounds[v["compound"]], v["amount"], v["unit"], v["overage_percent"], v["blend"])
             for v in checked.lines]
    return fields.values, lines


def _line_message(message: str, line: Any) -> str:
    """A line's message as /calculate says it: an unknown compound or unit is named, with what there is. The
    workbench's messages ("choose one from the library", "Choose mg, g or mcg.") are for its menus, and for a unit
    left empty."""
    if message == ERROR_UNKNOWN_COMPOUND_MENU:
        return ERROR_UNKNOWN_COMPOUND.format(slug=line.compound)
    if message == ERROR_UNKNOWN_UNIT_MENU and line.unit:  # left empty, "choose mg, g or mcg" is what to do
        return engine.ERROR_UNKNOWN_UNIT.format(unit=line.unit)
    return message


def _name_taken(exc: services.NameTaken) -> ValidationError:
    """A name another product of the team has: a 422 at the name, as the workbench says it at the field."""
    return ValidationError([{"loc": ["body", "name"], "msg": str(exc), "type": "value_error"}])


@router.get("/products", response={200: list[ProductOut], **READ_ERRORS})
@paginate(Page, render=output.products_out)
def products(request: HttpRequest) -> QuerySet[Product]:
    """Products with their lines, the nutrients each line delivers, totals and safety against each reference."""
    return access.designs(caller(request), "product").order_by(Lower("name"), "name", "pk")  # as the pages list them


@router.get("/products/{slug}", response={200: ProductOut, **ONE_ERRORS})
def product(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    found = access.designs(caller(request), "product", slug=slug)
    library = Library.load()
    return output.product_out(found, saved_product_report(found, library), library, caller(request))


@router.get("/products/{slug}/spec", response={200: dict[str, Any], **ONE_ERRORS})
def product_spec(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The product's spec sheet as its page's JSON gives it (docs/spec-json.md): amounts as exact decimal strings,
    the labels as printed, the sources."""
    return spec.product_sheet_json(spec.product_sheet(access.designs(caller(request), "product", slug=slug)))


# A write and its answer are one transaction: a save whose answer failed was kept, and a client retrying the 500 it
# got made the product twice.
@router.post("/products", response={201: ProductOut, **WRITE_ERRORS}, auth=PRODUCT_WRITERS)
@transaction.atomic
def product_create(request: HttpRequest, payload: ProductIn) -> Status[dict[str, Any]]:
    """Create a product with its lines (validated as the workbench does); answers the saved product, version 1."""
    user = caller(request)
    access.designs(user, "product", "create")
    fields, lines = _validated(payload, access.team_of(user))
    try:
        saved = services.product_save(product=None, fields=fields, lines=lines, expected_version=None, user=user,
                                      team=access.team_of(user), reason=REASON_CREATED)
    except services.NameTaken as exc:
        raise _name_taken(exc) from None
    return Status(201, _product_response(request, saved))


@router.put("/products/{slug}", response={200: ProductOut, 404: ErrorOut, 409: ConflictOut, **WRITE_ERRORS},
            auth=PRODUCT_WRITERS)
@transaction.atomic
def product_update(request: HttpRequest, slug: Slug, payload: ProductUpdateIn) -> Status[dict[str, Any]]:
    """Replace a product's fields and lines. Send the `version` you edited: if someone saved since, nothing is
    written and the answer is 409 with the current version and what differs. A version above the product's edit
    was never an edit: a 422."""
    user = caller(request)
    current = access.designs(user, "product", "write", slug=slug)
    fields, lines = _validated(payload, current.team, current)
    # As the workbench: sending what is saved makes no edit, which would send a product in review back to draft.
    if payload.version <= current.version and services.product_unchanged(current, fields, lines):
        return Status(200, _product_response(request, current))
    try:
        saved = services.product_save(product=current, fields=fields, lines=lines, expected_version=payload.version,
                                      user=user, reason=REASON_CHANGED)
    except services.SaveConflict as exc:
        return Status(409, {"detail": ERROR_CONFLICT.format(mine=exc.mine, theirs=exc.current.version),
                            "current_version": exc.current.version,
                            "changes": services.product_diff(exc.current, fields, lines)})
    except services.NameTaken as exc:
        raise _name_taken(exc) from None
    return Status(200, _product_response(request, saved))


@router.get("/stacks", response={200: list[StackOut], **READ_ERRORS})
@paginate(Page, render=output.stacks_out)
def stacks(request: HttpRequest) -> QuerySet[Stack]:
    """Stacks with each product's daily amounts, totals with each product's share, and safety."""
    return access.designs(caller(request), "stack").order_by(Lower("name"), "name", "pk")  # as the pages list them


@router.get("/stacks/{slug}", response={200: StackOut, **ONE_ERRORS})
def stack(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    found = access.designs(caller(request), "stack", slug=slug)
    library = Library.load()
    return output.stack_out(found, saved_stack_report(found, library, library.evidence()), library)


@router.get("/stacks/{slug}/spec", response={200: dict[str, Any], **ONE_ERRORS})
def stack_spec(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The stack's spec sheet as its page's JSON gives it (docs/spec-json.md)."""
    return spec.stack_sheet_json(spec.stack_sheet(access.designs(caller(request), "stack", slug=slug)))
