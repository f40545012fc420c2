"""A product's or a stack's history: every recorded version, a diff between any two, and revert (itself recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from accounts import permissions
from formulator import labels, selectors, services
from formulator.decorators import require_post
from formulator.models import Product, Stack, Status
from formulator.services import SaveConflict
from formulator.views import MESSAGE_APPROVED_READ_ONLY

# What a recorded version did, when it carries no reason (services records one for a status change, a revert ...).
WHAT_CREATED = "Created"
WHAT_CHANGED = "Changed"
WHAT_DELETED = "Deleted"
DIFF_NONE = "No difference in fields or ingredients"  # nor in status or revision: those are rows of the diff
STACK_DIFF_NONE = "No difference in fields or products"
ERROR_REVERT_CONFLICT = ("This {what} was saved after you opened its history: it is now at edit {theirs}, which the "
                         "page you reverted from did not list. Nothing was reverted: see the new edit below, then revert "
                         "again if you still mean to.")
# Reverting a stack brings back its products, as they are now: a user reverting for a known total got another one.
MESSAGE_PRODUCTS_CHANGED_SINCE = ("{products} changed since edit {version}: the figures are of {pronoun} as {verb} now, not "
                                  "as at edit {version}.")
# A revert to what is current made an edit that changed nothing, and took a product in review back to draft.
MESSAGE_REVERT_NOTHING = "Nothing to revert: {name} is as it was at edit {version}, so no edit was made."
ERROR_VERSION_DELETED = ("Edit {version} took {count} that {verb} since been deleted: it cannot be made current again. "
                         "Edit the stack instead.")
# The diff's rows for what the edit form does not hold, named as the versions table names its columns.
CHANGE_STATUS = services.CHANGE_STATUS
CHANGE_REVISION = services.CHANGE_REVISION


@dataclass(frozen=True)
class VersionRow:
    """A row of the versions table: the recorded version, and what it did in words."""

    record: Any  # a HistoricalProduct
    lines: list[services.LineData]
    what: str


def version_what(record: Any) -> str:
    """What a recorded version did, said once: a reason says it ("Submitted for review", "Changed in review: returned
    to draft", "Created through the API"), so it is not prefixed with "Changed" or "Created"."""
    default = {"+": WHAT_CREATED, "-": WHAT_DELETED}.get(record.history_type, WHAT_CHANGED)
    return record.history_change_reason or default


def _product(request: HttpRequest, slug: str) -> Product:
    return get_object_or_404(selectors.product_list(request.user), slug=slug)


def _compared(request: HttpRequest, versions: list[Any], kind: str) -> tuple[str | None, str | None, Any, Any, str]:
    """The versions ?a=&b= (history ids) name, the last two when neither is given; and an error for one not there, or
    for one of the two not given."""
    by_id = {str(v.record.history_id): v for v in versions}
    a, b = request.GET.get("a"), request.GET.get("b")
    if not a and not b and len(versions) >= 2:
        a, b = str(versions[-2].record.history_id), str(versions[-1].record.history_id)
    if not (a or b):
        return a, b, None, None, ""
    if a in by_id and b in by_id:
        return a, b, by_id[a], by_id[b], ""
    if not (a and b) and (a or b) in by_id:
        return a, b, None, None, selectors.ERROR_COMPARE_TWO
    return a, b, None, None, selectors.ERROR_UNKNOWN_VERSION.format(kind=kind)


@require_safe
def product_history(request: HttpRequest, slug: str) -> HttpResponse:
    """List the versions; with ?a=&b= (history ids) show what changed from a to b."""
    product = _product(request, slug)
    versions = selectors.product_versions(product, request.user)
    a, b, before, after, error = _compared(request, versions, "product")
    diff = before and {"before": before, "after": after, "changes": services.version_changes(before, after), "none": DIFF_NONE}
    context = {
        "product": product, "versions": [VersionRow(v.record, v.lines, version_what(v.record)) for v in reversed(versions)],
        "diff": diff, "error": error,
        "a": a, "b": b, "nav": "products", "can_revert": permissions.can_edit(request.user, product),
    }
    return render(request, "formulator/product_history.html", context)


def _seen_version(request: HttpRequest, design: Product | Stack) -> int:
    """The edit of the design the history page showed when its revert was pressed: a revert from a page opened before
    someone else's save discarded that save unseen. A post without it (an older page) reverts the design as it is."""
    seen = request.POST.get("current", "")
    return int(seen) if seen.isdigit() else design.version


def _stack(request: HttpRequest, slug: str) -> Stack:
    return get_object_or_404(selectors.stack_list(request.user, items=False), slug=slug)


@require_safe
def stack_history(request: HttpRequest, slug: str) -> HttpResponse:
    """List the stack's versions; with ?a=&b= (history ids) show what changed from a to b."""
    stack = _stack(request, slug)
    versions = selectors.stack_versions(stack, request.user)
    a, b, before, after, error = _compared(request, versions, "stack")
    diff = before and {"before": before, "after": after, "none": STACK_DIFF_NONE,
                       "changes": services.stack_changes(before.fields, [*before.items, *before.deleted_items], after.fields,
                                                         [*after.items, *after.deleted_items])}
    context = {
        "stack": stack, "versions": [(v, version_what(v.record)) for v in reversed(versions)],
        "diff": diff, "error": error,
        "a": a, "b": b, "nav": "stacks", "can_revert": permissions.can_edit(request.user, stack),
    }
    return render(request, "formulator/stack_history.html", context)


@require_post
def stack_revert(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a past version of the stack current again, as a new recorded version."""
    stack = _stack(request, slug)
    if not permissions.can_edit(request.user, stack):
        raise PermissionDenied("Your role or team does not allow this change.")
    target = selectors.version_with_id(selectors.stack_versions(stack, request.user), request.POST.get("version"))
    if target is None or target.deleted:
        messages.error(request, selectors.ERROR_UNKNOWN_VERSION.format(kind="stack") if target is None else ERROR_VERSION_DELETED.format(
            version=target.record.version, count="a product" if target.deleted == 1 else f"{target.deleted} products",
            verb="has" if target.deleted == 1 else "have"))
        return redirect("formulator:stack_history", stack.slug)
    if services.stack_unchanged(stack, target.fields, target.items):
        messages.info(request, MESSAGE_REVERT_NOTHING.format(name=stack.name, version=target.record.version))
        return redirect("formulator:stack_history", stack.slug)
    try:
        stack = services.stack_save(stack=stack, fields=target.fields, items=target.items, expected_version=_seen_version(request, stack),
                                    user=request.user, reason=f"Reverted to edit {target.record.version}")
    except SaveConflict as exc:
        messages.error(request, ERROR_REVERT_CONFLICT.format(what="stack", theirs=exc.current.version))
        return redirect("formulator:stack_history", slug)
    except services.NameTaken as exc:  # another stack may have taken the old name since
        messages.error(request, str(exc))
        return redirect("formulator:stack_history", slug)
    message = f"Reverted {stack.name} to edit {target.record.version}; this is edit {stack.version}."
    changed = selectors.products_changed_since([item.product for item in target.items], target.record.history_date,
                                               request.user)
    if changed:
        message += " " + MESSAGE_PRODUCTS_CHANGED_SINCE.format(
            products=labels.listed([p.name for p in changed]), version=target.record.version,
            pronoun="it" if len(changed) == 1 else "them", verb="it is" if len(changed) == 1 else "they are")
    messages.success(request, message)
    return redirect("formulator:stack_history", stack.slug)


@require_post
def product_revert(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a past version current again, as a new recorded version."""
    product = _product(request, slug)
    if product.status == Status.APPROVED and permissions.can_revise(request.user, product):
        # Approved since its history page was opened: the reason is the approval, not the user's role.
        messages.error(request, MESSAGE_APPROVED_READ_ONLY.format(name=product.name, next=product.revision + 1))
        return redirect("formulator:product_history", product.slug)
    if not permissions.can_edit(request.user, product):
        raise PermissionDenied("Your role or team does not allow this change.")
    target = selectors.version_with_id(selectors.product_versions(product), request.POST.get("version"))
    if target is None:
        messages.error(request, selectors.ERROR_UNKNOWN_VERSION.format(kind="product"))
        return redirect("formulator:product_history", product.slug)
    if services.product_unchanged(product, target.fields, target.lines):
        messages.info(request, MESSAGE_REVERT_NOTHING.format(name=product.name, version=target.record.version))
        return redirect("formulator:product_history", product.slug)
    was_in_review = product.status == Status.IN_REVIEW
    try:
        product = services.product_save(
            product=product, fields=target.fields, lines=target.lines, expected_version=_seen_version(request, product),
            user=request.user, reason=f"Reverted to edit {target.record.version}",
        )
    except SaveConflict as exc:
        messages.error(request, ERROR_REVERT_CONFLICT.format(what="product", theirs=exc.current.version))
        return redirect("formulator:product_history", slug)
    except services.NameTaken as exc:  # another product may have taken the old name since
        messages.error(request, str(exc))
        return redirect("formulator:product_history", slug)
    message = f"Reverted {product.name} to edit {target.record.version}; this is edit {product.version}."
    if was_in_review:  # as any change in review does (services.product_save)
        message += " " + services.MESSAGE_OUT_OF_REVIEW
    messages.success(request, message)
    return redirect("formulator:product_history", product.slug)
