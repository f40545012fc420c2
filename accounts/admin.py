"""Teams and memberships. A role is given through accounts.services, which gives its Django groups too: a role
changed here by saving the row alone left the user with the old role's permissions in the admin and the API."""

from typing import Any

from django.contrib import admin

from accounts.models import Membership, Team
from accounts.services import membership_remove, membership_set


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["team", "role"]
    search_fields = ["user__username", "team__name"]

    def save_model(self, request: Any, obj: Membership, form: Any, change: bool) -> None:
        obj.pk = membership_set(obj.user, obj.team, obj.role).pk

    def delete_model(self, request: Any, obj: Membership) -> None:
        membership_remove(obj.user)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for membership in queryset:
            membership_remove(membership.user)
