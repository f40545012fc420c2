"""CSV and XLSX import and export of studies; compounds are slugs separated by "|"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields

from compounds.models import Compound
from compounds.resources import BlankTextResource, SlugsWidget, number_field, whole_number_field
from evidence.models import Study
from evidence.services import study_elemental_errors, study_refresh_search


DOSE_FIELDS = {"dose_compound_mg_min", "dose_compound_mg_max", "dose_elemental_mg_min", "dose_elemental_mg_max"}


class StudyResource(BlankTextResource):
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

    def import_instance(self, instance: Study, row: Any, **kwargs: Any) -> None:
        """Refuse an elemental dose the row's compounds cannot hold, as the admin's form does."""
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        compounds = self._row_compounds(instance, row)
        if compounds is not None and not errors.keys() & DOSE_FIELDS:
            errors.update(study_elemental_errors(
                compounds.prefetch_related("contributions__nutrient"),
                (instance.dose_compound_mg_min, instance.dose_compound_mg_max),
                (instance.dose_elemental_mg_min, instance.dose_elemental_mg_max)))
        if errors:
            raise ValidationError(errors)

    def _row_compounds(self, instance: Study, row: Any) -> Any:
        field = self.fields["compounds"]
        if field.column_name not in row:  # an update that leaves them as they are
            return instance.compounds.all() if instance.pk else None
        try:
            return field.clean(row)
        except ValueError:  # refused at its own column when the row's compounds are saved
            return None

    def after_save_instance(self, instance: Study, row: Any, **kwargs: Any) -> None:
        if not kwargs.get("dry_run"):
            study_refresh_search(instance)
