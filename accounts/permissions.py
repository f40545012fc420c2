"""Who may see and do what. Every view asks here; nothing else decides.

- Everyone signed in reads the library and evidence, and exports what they can see.
- A team's products and stacks are visible to its members; other teams see them only once they leave
  draft (in review or approved), and never edit them. Another team's draft is a 404, not a 403.
- Formulators and admins edit their team's designs while not approved; admins approve.
- Curators and admins edit the library in the admin.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Membership, Role

EDITOR_ROLES = frozenset({Role.FORMULATOR, Role.ADMIN})
CURATOR_ROLES = frozenset({Role.CURATOR, Role.ADMIN})
DRAFT = "draft"


def membership(user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership  # type: ignore[no-any-return]
    except Membership.DoesNotExist:
        return None


def role(user: Any) -> str | None:
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    m = membership(user)
    return m.role if m else None


def visible(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Products or stacks the user may see: their team's, and other teams' once out of draft."""
    if getattr(user, "is_superuser", False):
        return queryset
    m = membership(user)
    if m is None:
        return queryset.none()
    other_teams = ~Q(status=DRAFT) if "status" in {f.name for f in queryset.model._meta.fields} else Q(pk__in=[])
    return queryset.filter(Q(team_id=m.team_id) | other_teams)


def of_team(user: Any, design: Any) -> bool:
    """Whether a product or stack is the user's team's (a superuser's: any team's)."""
    if getattr(user, "is_superuser", False):
        return True
    m = membership(user)
    return bool(m and design.team_id == m.team_id)


def manages_every_team(user: Any) -> bool:
    """Create, delete and manage any team and its members in the admin: a superuser; a team's admin manages their own."""
    return bool(getattr(user, "is_superuser", False))


def team_id(user: Any) -> int | None:
    """The user's team, whose teams and memberships a team admin manages in the admin; None without one."""
    m = membership(user)
    return m.team_id if m else None


def can_edit(user: Any, design: Any) -> bool:
    """Edit a product or stack: an editor of its team, and never an approved product (make a new revision)."""
    if getattr(design, "status", DRAFT) == "approved":
        return False
    if getattr(user, "is_superuser", False):
        return True
    m = membership(user)
    return bool(m and m.role in EDITOR_ROLES and (design is None or design.team_id == m.team_id))


# A design belongs to the team of whoever creates it: one made by a superuser in no team belonged to none, and no one
# but a superuser could ever see it.
ERROR_NO_TEAM = "Designs belong to a team, and you are in none: add yourself to a team in the admin (Memberships) to create them."


def can_create(user: Any) -> bool:
    """Create a product or stack: an editor or admin of a team (a superuser too, once in a team)."""
    m = membership(user)
    return m is not None and (getattr(user, "is_superuser", False) or m.role in EDITOR_ROLES)


def create_refusal(user: Any, refused: str) -> str:
    """Why a user may not create designs: ERROR_NO_TEAM for a superuser in no team, else `refused`."""
    return ERROR_NO_TEAM if getattr(user, "is_superuser", False) and membership(user) is None else refused


def can_approve(user: Any, design: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    m = membership(user)
    return bool(m and m.role == Role.ADMIN and design.team_id == m.team_id)


def can_curate(user: Any) -> bool:
    return getattr(user, "is_superuser", False) or role(user) in CURATOR_ROLES


def can_revise(user: Any, product: Any) -> bool:
    """Start the next revision of an approved product: an editor of its team."""
    return product.status == "approved" and can_move(user, product)


def can_move(user: Any, product: Any) -> bool:
    """Take part in a product's review (submit, return, approve), whatever its status: an editor or admin of its team."""
    if getattr(user, "is_superuser", False):
        return True
    m = membership(user)
    return bool(m and m.role in EDITOR_ROLES and product.team_id == m.team_id)


def can_set_status(user: Any, product: Any, target: str) -> bool:
    """Draft → in review and back for editors; in review → approved for admins."""
    transitions = {("draft", "in-review"), ("in-review", "draft"), ("in-review", "approved")}
    if (product.status, target) not in transitions:
        return False
    if target == "approved":
        return can_approve(user, product)
    return can_edit(user, product) or can_approve(user, product)
