"""CSV and XLSX import and export for curators (django-import-export); rows are validated like the admin's forms."""

from __future__ import annotations

from typing import Any

from import_export import fields, resources, widgets

from compounds.models import Compound, Nutrient, ReferenceValue
from compounds.services import compound_links_ensure


class CompoundResource(resources.ModelResource):
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


class ReferenceValueResource(resources.ModelResource):
    nutrient = fields.Field(attribute="nutrient", column_name="nutrient", widget=widgets.ForeignKeyWidget(Nutrient, "slug"))

    class Meta:
        model = ReferenceValue
        import_id_fields = ["nutrient", "kind", "market", "population", "sex", "per"]
        fields = ["nutrient", "kind", "market", "population", "sex", "per", "qualifier", "amount_mg", "label_significance",
                  "covers", "source_citation", "source_url", "effective_date", "notes"]
        clean_model_instances = True
        skip_unchanged = True
