"""The one gate for products and stacks: every API read and write of them asks here first.

Reading shows what the web pages show the same user (accounts.permissions: the team's designs, and other
teams' once out of draft). Writing needs the model's Django change permission (the formulator and admin
role groups carry it; superusers have it) and the pages' own rule for the design: an editor of its team,
never an approved product. Narrowing who may do what later means changing this module only.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import QuerySet
from ninja.errors import HttpError

from accounts import permissions
from formulator import selectors

Kind = Literal["product", "stack"]
Action = Literal["read", "create", "write"]

PERMISSIONS: dict[Kind, str] = {"product": "formulator.change_product", "stack": "formulator.change_stack"}
ERROR_NO_PERMISSION = "You may read {kind}s but not change them: that needs the “{perm}” permission (a formulator or admin role)."
ERROR_NOT_YOURS = "Your role or team does not allow changing {kind} “{slug}”."
ERROR_APPROVED = "{name} is approved and read-only: start revision {next} on its page to change it."
# To someone who may not revise it (another team's), which the advice above sent to a page with no such button.
ERROR_APPROVED_NOT_YOURS = "{name} is approved and read-only."
ERROR_NOT_FOUND = "No {kind} “{slug}”."


def designs(user: Any, kind: Kind, action: Action = "read", slug: str | None = None) -> Any:
    """The products or stacks a user may read, or the one design (by slug) they may read or write.

    - read without a slug: the visible queryset, loaded with what the reports need;
    - read or write with a slug: that design, 404 when the user may not see it, 403 when they may not change it;
    - create: the visible queryset once the user may create designs, else 403.
    """
    queryset: QuerySet[Any] = selectors.product_list(user) if kind == "product" else selectors.stack_list(user)
    if action in ("create", "write") and not user.has_perm(PERMISSIONS[kind]):
        raise HttpError(403, ERROR_NO_PERMISSION.format(kind=kind, perm=PERMISSIONS[kind]))
    if action == "create" and not permissions.can_create(user):
        raise HttpError(403, permissions.create_refusal(user, ERROR_NO_PERMISSION.format(kind=kind, perm=PERMISSIONS[kind])))
    if slug is None:
        return queryset
    design = queryset.filter(slug=slug).first()
    if design is None:
        raise HttpError(404, ERROR_NOT_FOUND.format(kind=kind, slug=slug))
    if action == "write" and not permissions.can_edit(user, design):
        if getattr(design, "status", "") == "approved":
            raise HttpError(403, ERROR_APPROVED.format(name=design.name, next=design.revision + 1)
                            if permissions.can_revise(user, design) else ERROR_APPROVED_NOT_YOURS.format(name=design.name))
        raise HttpError(403, ERROR_NOT_YOURS.format(kind=kind, slug=slug))
    return design


def team_of(user: Any) -> Any:
    """The team a new design made by this user belongs to (permissions.can_create: there is one)."""
    membership = permissions.membership(user)
    return membership.team if membership else None
