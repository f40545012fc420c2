"""Products and stacks in the admin: to look at, not to edit.

A design changes in its editor, which numbers the edit, keeps the review honest (a change in review returns it to
draft, an approved product is read-only) and refuses approval while something stands in its way. An admin form that
wrote the same rows would do none of that: an approved product could be changed and stay approved, at the same edit.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts import permissions
from formulator.models import Product, ProductLine, Stack, StackItem, Status


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DesignAdmin(SimpleHistoryAdmin):
    """A design's admin pages show it and its history; its editor changes it. A team admin sees what the site shows
    them: their team's designs, and other teams' once out of draft."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.visible(super().get_queryset(request), request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or permissions.of_team(request.user, obj))

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None) -> Any:
        # simple-history saves a posted past version without asking for the change permission: a revert is the
        # product history page's, recorded as an edit.
        if request.method == "POST":
            raise PermissionDenied
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_history_queryset(self, request: HttpRequest, history_manager: Any, pk_name: str, object_id: Any) -> Any:
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        design = self.get_object(request, object_id)
        if design is not None and hasattr(design, "status") and not permissions.of_team(request.user, design):
            return records.exclude(status=Status.DRAFT)  # as the product's history page: another team's drafts are hidden
        return records

    def _visible_or_404(self, request: HttpRequest, object_id: str) -> None:
        # simple-history shows the history of a row its admin's queryset leaves out, from the history table itself.
        if self.get_object(request, object_id) is None:
            raise Http404


class ProductLineInline(ReadOnlyInline):
    model = ProductLine
    fields = ["position", "compound", "amount", "unit", "overage_percent", "blend"]


@admin.register(Product)
class ProductAdmin(DesignAdmin):
    list_display = ["name", "team", "status", "revision", "version", "dosage_form", "servings_per_day", "updated_at"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter), "status", "dosage_form", "timing", "population", "brand"]
    search_fields = ["name", "slug", "brand", "claims", "lines__compound__name"]
    inlines = [ProductLineInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An approved product is a record of what was approved; a stack that takes a product keeps it (PROTECT).
        return super().has_delete_permission(request, obj) and (obj is None or obj.status != Status.APPROVED)


class StackItemInline(ReadOnlyInline):
    model = StackItem
    fields = ["position", "product", "servings_per_day", "timing"]


@admin.register(Stack)
class StackAdmin(DesignAdmin):
    list_display = ["name", "population", "updated_at"]
    list_filter = ["population"]
    search_fields = ["name", "slug", "items__product__name"]
    inlines = [StackItemInline]
