"""Give users their team and role; the role decides the Django groups (admin and API permissions)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Membership, Role, Team

LIBRARY_MODELS = ["compound", "compoundnutrient", "nutrient", "referencevalue", "capsulesize", "study",
                  "studyoutcome", "gradeoverride", "interaction"]
DESIGN_MODELS = ["product", "productline", "stack", "stackitem"]
GROUPS = {
    Role.VIEWER: ("Viewers", ["view"], LIBRARY_MODELS + DESIGN_MODELS),
    Role.FORMULATOR: ("Formulators", ["view", "add", "change", "delete"], DESIGN_MODELS),
    Role.CURATOR: ("Curators", ["view", "add", "change", "delete"], LIBRARY_MODELS),
    Role.ADMIN: ("Admins", ["view", "add", "change", "delete"], LIBRARY_MODELS + DESIGN_MODELS + ["team", "membership"]),
}


def groups_ensure() -> dict[str, Group]:
    """Create the role groups with their model permissions (idempotent)."""
    groups = {}
    for role, (name, actions, models) in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [f"{action}_{model}" for action in actions for model in models]
        group.permissions.set(Permission.objects.filter(codename__in=codenames))
        groups[role] = group
    return groups


@transaction.atomic
def membership_set(user: Any, team: Team, role: str) -> Membership:
    """Put a user in a team with a role; curators and admins may use the Django admin."""
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"team": team, "role": role})
    groups = groups_ensure()
    user.groups.remove(*groups.values())
    user.groups.add(groups[role])
    user.is_staff = user.is_superuser or role in (Role.CURATOR, Role.ADMIN)  # a superuser keeps the admin, whatever role
    user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_remove(user: Any) -> None:
    """Take a user out of their team: no role, so none of the roles' groups, and no Django admin."""
    Membership.objects.filter(user=user).delete()
    user.groups.remove(*groups_ensure().values())
    user.is_staff = user.is_superuser
    user.save(update_fields=["is_staff"])
