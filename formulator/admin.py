"""Products and stacks in the admin: to look at, not to edit.

A design changes in its editor, which numbers the edit, keeps the review honest (a change in review returns it to
draft, an approved product is read-only) and refuses approval while something stands in its way. An admin form that
wrote the same rows would do none of that: an approved product could be changed and stay approved, at the same edit.
"""

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.text import capfirst

from accounts import permissions
from compounds.admin import HistoryIdsCheckedAdmin
from formulator.models import Product, ProductLine, Stack, StackItem, Status
from formulator.selectors import product_as_seen


MESSAGE_OTHER_TEAMS_ITEMS = "{count} item{s} of another team's stacks"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DesignAdmin(HistoryIdsCheckedAdmin):
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
        self._ids_checked(object_id, version_id)
        self._visible_or_404(request, object_id)
        # simple-history opens a record by its id, not from the history this page lists: another team's draft edits,
        # left out of the list, opened at their (sequential) ids with every field as typed.
        records = self.get_history_queryset(request, self.model.history, self.model._meta.pk.attname, object_id)
        if not records.filter(history_id=version_id).exists():
            raise Http404
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

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """What deleting would take, and the stack items that keep it from being deleted: another team's only counted.

        Stacks are their team's alone: the delete page listed another team's stack items ("Luna × 1 (morning)")."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:  # a stack item's product is the only protected link to a product
            items = StackItem.objects.filter(product__in=list(objs)).select_related("stack", "product")
            own = [item for item in items if permissions.of_team(request.user, item.stack)]
            others = len(items) - len(own)
            protected = [_deleted_entry(item) for item in own] + (
                [MESSAGE_OTHER_TEAMS_ITEMS.format(count=others, s="" if others == 1 else "s")] if others else [])
        return deleted, counts, perms_needed, protected


class StackItemFormSet(BaseInlineFormSet):
    """A stack's items with each product as the stack's team may see it: another team's taken back to draft, as it was
    last shown (its row was named as the draft was being retyped, "Recover TOPSECRET")."""

    user: Any = None  # set on the class StackItemInline.get_formset makes for each request

    def get_queryset(self) -> Any:
        items = super().get_queryset()  # the same queryset each call: its rows, once changed, stay so
        if not getattr(self, "_seen", False):
            for item in items:
                item.product = product_as_seen(item.product, self.user)
            self._seen = True
        return items


class StackItemInline(ReadOnlyInline):
    model = StackItem
    formset = StackItemFormSet
    fields = ["position", "product", "servings_per_day", "timing"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # a class of its own for each request
        formset.user = request.user
        return formset


@admin.register(Stack)
class StackAdmin(DesignAdmin):
    list_display = ["name", "population", "updated_at"]
    list_filter = ["population"]
    # Not by its products' names: another team's product in draft was found by the name it is being given.
    search_fields = ["name", "slug"]
    inlines = [StackItemInline]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """What deleting would take, each item's product as the stack's team may see it: the page named another team's
        product taken back to draft as it is being retyped ("Stack item: Recover TOPSECRET × 1 (morning)")."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        seen = {}
        for item in StackItem.objects.filter(stack__in=list(objs)).select_related("product"):
            typed = _deleted_entry(item)
            item.product = product_as_seen(item.product, request.user)
            seen[typed] = _deleted_entry(item)
        return _named_as_seen(deleted, seen), counts, perms_needed, protected


def _deleted_entry(item: StackItem) -> str:
    """A stack item as the admin's delete pages list it (StackItem has no admin page to link to)."""
    return f"{capfirst(StackItem._meta.verbose_name)}: {item}"


def _named_as_seen(objects: list[Any], seen: dict[str, str]) -> list[Any]:
    """The nested list of what a deletion takes, each entry named as `seen` names it."""
    return [_named_as_seen(o, seen) if isinstance(o, list) else seen.get(o, o) for o in objects]


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> Any:
    """The admin's "view on site" redirect (staff only, as the admin's), for a product or stack only the user may see;
    else Django's own.

    Django's answers for any id, so staff of any team listed every team's design addresses, drafts and stacks among
    them, by asking for ids 1, 2, 3 …"""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model not in (Product, Stack):
        return shortcut(request, content_type_id, object_id)
    design = permissions.visible(model.objects.all(), request.user).filter(pk=object_id).first() if object_id.isdigit() else None
    if design is None:
        raise Http404
    return HttpResponseRedirect(design.get_absolute_url())
