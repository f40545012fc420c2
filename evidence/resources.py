"""CSV and XLSX import and export of studies; compounds are slugs separated by "|"."""

from __future__ import annotations

from typing import Any

from import_export import fields

from compounds.models import Compound
from compounds.resources import CuratorResource, SlugsWidget, number_field, whole_number_field
from evidence.models import Study
from evidence.services import study_refresh_search


class StudyResource(CuratorResource):
    compounds = fields.Field(attribute="compounds", column_name="compounds",
                             widget=SlugsWidget(Compound, field="slug", separator="|"))
    year = whole_number_field("year")
    n = whole_number_field("n")
    dose_compound_mg_min = number_field("dose_compound_mg_min")
    dose_compound_mg_max = number_field("dose_compound_mg_max")
    dose_elemental_mg_min = number_field("dose_elemental_mg_min")
    dose_elemental_mg_max = number_field("dose_elemental_mg_max")

    class Meta:
        model = Study
        import_id_fields = ["key"]
        fields = ["key", "authors", "year", "title", "journal", "doi", "pmid", "design", "population", "n", "compounds",
                  "form_studied", "dose_compound_mg_min", "dose_compound_mg_max", "dose_elemental_mg_min",
                  "dose_elemental_mg_max", "duration", "funding", "verification", "seed_file", "seed_claim", "seed_misquotes",
                  "curator_notes"]
        clean_model_instances = True
        skip_unchanged = True

    def after_save_instance(self, instance: Study, row: Any, **kwargs: Any) -> None:
        if not kwargs.get("dry_run"):
            study_refresh_search(instance)
