"""Teams and memberships. A role is given through accounts.services, which gives its Django groups too: a role
changed here by saving the row alone left the user with the old role's permissions in the admin and the API.

A team's admin manages their own team only: its name and its members, and users in no team yet. Another team, its
members and new teams are a superuser's: a team admin could otherwise rename a rival team or move its members into
their own.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from accounts import permissions
from accounts.models import Membership, Team
from accounts.services import membership_remove, membership_set


def _own_team(request: HttpRequest, queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
    """The rows of the user's own team (every row for a superuser)."""
    if permissions.manages_every_team(request.user):
        return queryset
    return queryset.filter(**{field: permissions.team_id(request.user)})


def _joinable_users(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The users a team admin may give a role: their team's, and those in no team; never a superuser, whom a team admin
    pulled into their team as a viewer (and so out of the admin)."""
    if permissions.manages_every_team(request.user):
        return queryset
    return queryset.filter(Q(membership__isnull=True) | Q(membership__team_id=permissions.team_id(request.user)),
                           is_superuser=False)


class _OwnTeamChoices:
    """Offer only the user's own team and the users it may take (the form refuses any other)."""

    def get_autocomplete_fields(self, request: HttpRequest) -> list[str]:
        # The autocomplete asks the users' admin, which a team admin may not view, and it would offer every user: a
        # team admin picks from the users the form takes, in a select.
        return ["user"] if permissions.manages_every_team(request.user) else []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "team":
            kwargs["queryset"] = _own_team(request, Team.objects.all(), "pk")
        elif db_field.name == "user":
            kwargs["queryset"] = _joinable_users(request, get_user_model().objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class MembershipInline(_OwnTeamChoices, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return _own_team(request, super().get_queryset(request), "pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.manages_every_team(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.manages_every_team(request.user) and super().has_delete_permission(request, obj)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_remove(membership.user)
        for membership in memberships:
            membership_set(membership.user, membership.team, membership.role)
        return None


@admin.register(Membership)
class MembershipAdmin(_OwnTeamChoices, admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter), "role"]
    search_fields = ["user__username", "team__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return _own_team(request, super().get_queryset(request), "team_id")

    def save_model(self, request: Any, obj: Membership, form: Any, change: bool) -> None:
        obj.pk = membership_set(obj.user, obj.team, obj.role).pk

    def delete_model(self, request: Any, obj: Membership) -> None:
        membership_remove(obj.user)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for membership in queryset:
            membership_remove(membership.user)
