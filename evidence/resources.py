"""CSV and XLSX import and export of studies (compounds are slugs separated by "|", outcomes a JSON list) and interactions."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields

from compounds.models import Compound, Market, Nutrient, Population
from compounds.resources import (
    ERROR_IMPORT_COMPOUND, ERROR_IMPORT_NUTRIENT, BlankTextResource, CodesWidget, SlugsWidget, SlugWidget, number_field,
    whole_number_field,
)
from evidence.models import ERROR_COMPOUND_OR_NUTRIENT, ERROR_OUTCOME_TWICE, Direction, Interaction, Outcome, Study, StudyOutcome, outcome_again
from evidence.services import study_elemental_errors, study_refresh_search


DOSE_FIELDS = {"dose_compound_mg_min", "dose_compound_mg_max", "dose_elemental_mg_min", "dose_elemental_mg_max"}
OUTCOME_KEYS = ("outcome", "direction", "effect")
ERROR_IMPORT_OUTCOMES = ('Give the outcomes as the export writes them, a JSON list such as [{{"outcome": "sleep-quality", '
                         '"direction": "benefit", "effect": "…"}}]; outcomes: {outcomes}; directions: {directions}.')
EFFECT_MAX = StudyOutcome._meta.get_field("effect").max_length


def outcomes_text(outcomes: list[dict[str, str]]) -> str:
    """A study's outcomes as its file's cell holds them: JSON, in a fixed order, so an unchanged file compares equal."""
    return json.dumps(sorted(outcomes, key=lambda o: (o["outcome"], o["direction"], o["effect"])), ensure_ascii=False)


def outcomes_read(text: Any) -> list[dict[str, str]]:
    """The outcomes a cell gives (empty: none); ValueError, in the curator's words, for anything else."""
    if text is None or not str(text).strip():
        return []
    problem = ValueError(ERROR_IMPORT_OUTCOMES.format(outcomes=", ".join(Outcome.values),
                                                      directions=", ".join(Direction.values)))
    try:
        outcomes = json.loads(str(text))
    except ValueError:
        raise problem from None
    if not isinstance(outcomes, list) or not all(isinstance(o, dict) and set(o) <= set(OUTCOME_KEYS) for o in outcomes):
        raise problem
    read = [{"outcome": o.get("outcome"), "direction": o.get("direction", Direction.NOT_REPORTED), "effect": o.get("effect", "")}
            for o in outcomes]
    if any(o["outcome"] not in Outcome.values or o["direction"] not in Direction.values
           or not isinstance(o["effect"], str) or len(o["effect"]) > EFFECT_MAX for o in read):
        raise problem
    seen: set[str] = set()
    for o in read:
        if outcome_again(o["outcome"], seen):
            raise ValueError(ERROR_OUTCOME_TWICE)
        seen.add(o["outcome"])
    return read


class StudyResource(BlankTextResource):
    import_max_rows = 200  # 1,000 studies took 25 s to preview, past SQLite's 20 s wait for its write lock
    compounds = fields.Field(attribute="compounds", column_name="compounds",
                             widget=SlugsWidget(Compound, field="slug", separator="|"))
    # Read and written by the resource itself (import_instance, after_save_instance): they are rows of their own.
    outcomes = fields.Field(column_name="outcomes", attribute=None)
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
                  "curator_notes", "outcomes"]
        clean_model_instances = True
        skip_unchanged = True

    def import_instance(self, instance: Study, row: Any, **kwargs: Any) -> None:
        """Read the row's outcomes (saved in after_save_instance); refuse outcomes that cannot be read, and an elemental
        dose the row's compounds cannot hold, as the admin's form does."""
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            compounds = self._row_compounds(instance, row)
        except ValueError as error:
            # Beside the row: refused as its compounds were saved, after its checks, it was a line of the errors above
            # the preview ("magnesium-l-threonat"), which then showed no other row's.
            compounds, errors["compounds"] = None, [str(error)]
        if "outcomes" in row:
            try:
                instance.imported_outcomes = outcomes_read(row["outcomes"])  # type: ignore[attr-defined]
            except ValueError as error:
                errors["outcomes"] = [str(error)]
        if compounds is not None and not errors.keys() & DOSE_FIELDS:
            errors.update(study_elemental_errors(
                compounds.prefetch_related("contributions__nutrient"),
                (instance.dose_compound_mg_min, instance.dose_compound_mg_max),
                (instance.dose_elemental_mg_min, instance.dose_elemental_mg_max)))
        if errors:
            raise ValidationError(errors)

    def _row_compounds(self, instance: Study, row: Any) -> Any:
        """The row's compounds, or the study's where the file has no column for them; ValueError for a slug unknown."""
        field = self.fields["compounds"]
        if field.column_name not in row:  # an update that leaves them as they are
            return instance.compounds.all() if instance.pk else None
        return field.clean(row)

    def dehydrate_outcomes(self, study: Study) -> str:
        return outcomes_text(_saved_outcomes(study))

    def skip_row(self, instance: Study, original: Study, row: Any, import_validation_errors: Any = None) -> bool:
        """Unchanged only if its outcomes are too: a changed finding changes the grades."""
        imported = getattr(instance, "imported_outcomes", None)
        if imported is not None and outcomes_text(imported) != outcomes_text(_saved_outcomes(original) if original.pk else []):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance: Study, row: Any, **kwargs: Any) -> None:
        if kwargs.get("dry_run"):
            return
        imported = getattr(instance, "imported_outcomes", None)
        if imported is not None and outcomes_text(imported) != outcomes_text(_saved_outcomes(instance)):
            for outcome in instance.outcomes.all():
                outcome.delete()  # one by one, so that the history records each
            for outcome in imported:
                StudyOutcome.objects.create(study=instance, **outcome)
        study_refresh_search(instance)


def _saved_outcomes(study: Study) -> list[dict[str, str]]:
    return [{"outcome": o.outcome, "direction": o.direction, "effect": o.effect} for o in study.outcomes.all()]


class InteractionResource(BlankTextResource):
    """Interactions, contraindications and population cautions, each matched by its kind, its compound or nutrient (one
    of the two, by slug; the other cell empty) and its agent; populations and markets are codes separated by "|"."""

    compound = fields.Field(attribute="compound", column_name="compound", widget=SlugWidget(Compound, ERROR_IMPORT_COMPOUND))
    nutrient = fields.Field(attribute="nutrient", column_name="nutrient", widget=SlugWidget(Nutrient, ERROR_IMPORT_NUTRIENT))
    populations = fields.Field(attribute="populations", column_name="populations", widget=CodesWidget(Population))
    excluded_in = fields.Field(attribute="excluded_in", column_name="excluded_in", widget=CodesWidget(Market))

    class Meta:
        model = Interaction
        import_id_fields = ["kind", "compound", "nutrient", "agent"]
        fields = ["kind", "compound", "nutrient", "agent", "effect", "severity", "management", "source", "populations",
                  "excluded_in"]
        clean_model_instances = True  # full_clean(): one of compound and nutrient, populations for a caution, once each
        skip_unchanged = True
        report_skipped = True

    def import_key(self, row: Any) -> tuple[Any, ...]:
        """The key cells, the agent as the model compares agents (Interaction.clean): the second of two rows that
        differ only in case was told to change "that record", the first row of the same file, not yet imported."""
        *rest, agent = super().import_key(row)
        return (*rest, " ".join(str(agent or "").split()).casefold())

    def import_instance(self, instance: Interaction, row: Any, **kwargs: Any) -> None:
        """Say at the compound's column that a row names both a compound and a nutrient, or neither: the model's
        constraint says it of the row as a whole, which the import page headed "non field specific"."""
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "compound" not in errors and "nutrient" not in errors and (instance.compound_id is None) == (
                instance.nutrient_id is None):
            errors["compound"] = [ERROR_COMPOUND_OR_NUTRIENT]
        if errors:
            raise ValidationError(errors)
