"""CSV and XLSX import and export for curators (django-import-export); rows are validated like the admin's forms."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, TextField
from import_export import fields, resources, widgets

from compounds.models import Compound, Nutrient, ReferenceValue
from compounds.services import compound_links_ensure


class BlankTextResource(resources.ModelResource):
    """A resource whose empty text cells import as empty text: an XLSX cell left empty reads as None, which a text
    column cannot hold, so an exported file would not import back."""

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for field in self._meta.model._meta.get_fields():
            name = getattr(field, "name", "")
            if isinstance(field, (CharField, TextField)) and name in row and row[name] is None:
                row[name] = ""


class CompoundResource(BlankTextResource):
    class Meta:
        model = Compound
        import_id_fields = ["slug"]
        fields = ["slug", "name", "synonyms", "formula", "form_class", "label_source_name", "bulk_density_g_per_ml",
                  "bulk_density_source", "cost_per_kg", "cost_source", "grade", "supplier", "notes"]
        clean_model_instances = True  # full_clean(): a formula that does not parse is an error on its row
        skip_unchanged = True
        report_skipped = True

    def after_save_instance(self, instance: Compound, row: Any, **kwargs: Any) -> None:
        if not kwargs.get("dry_run"):
            compound_links_ensure(instance)


class ReferenceValueResource(BlankTextResource):
    nutrient = fields.Field(attribute="nutrient", column_name="nutrient", widget=widgets.ForeignKeyWidget(Nutrient, "slug"))

    class Meta:
        model = ReferenceValue
        import_id_fields = ["nutrient", "kind", "market", "population", "sex", "per"]
        # food_only too: without it, a limit that allows no supplemental amount came back from a file as "not set".
        fields = ["nutrient", "kind", "market", "population", "sex", "per", "qualifier", "amount_mg", "label_significance",
                  "covers", "food_only", "source_citation", "source_url", "effective_date", "notes"]
        clean_model_instances = True
        skip_unchanged = True
