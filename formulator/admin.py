from typing import Any

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from formulator import services
from formulator.models import Product, ProductLine, Stack, StackItem


class DesignAdminForm(forms.ModelForm):
    """A design's name as the editors save it: without invisible characters, and none that reads as another's of the team."""

    def clean_name(self) -> str:
        return services.name_cleaned(self.cleaned_data["name"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("name"):
            try:
                services.design_name_check(self._meta.model, cleaned["name"], cleaned.get("team"), self.instance.pk)
            except services.NameTaken as exc:
                self.add_error("name", str(exc))
        return cleaned


class ProductLineInline(admin.TabularInline):
    model = ProductLine
    extra = 0
    autocomplete_fields = ["compound"]
    fields = ["position", "compound", "amount", "unit", "overage_percent"]


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    form = DesignAdminForm
    list_display = ["name", "team", "status", "revision", "version", "dosage_form", "servings_per_day", "updated_at"]
    list_filter = ["team", "status", "dosage_form", "timing", "population", "brand"]
    search_fields = ["name", "slug", "brand", "claims", "lines__compound__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProductLineInline]


class StackItemInline(admin.TabularInline):
    model = StackItem
    extra = 0
    autocomplete_fields = ["product"]


@admin.register(Stack)
class StackAdmin(SimpleHistoryAdmin):
    form = DesignAdminForm
    list_display = ["name", "population", "updated_at"]
    list_filter = ["population"]
    search_fields = ["name", "slug", "items__product__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StackItemInline]
