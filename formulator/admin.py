from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from formulator.models import Product, ProductLine, Stack, StackItem


class ProductLineInline(admin.TabularInline):
    model = ProductLine
    extra = 0
    autocomplete_fields = ["compound"]
    fields = ["position", "compound", "amount", "unit", "overage_percent"]


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
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
    list_display = ["name", "population", "updated_at"]
    list_filter = ["population"]
    search_fields = ["name", "slug", "items__product__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StackItemInline]
