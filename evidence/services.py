"""Write evidence: keep each study's search document current."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from evidence.models import Study


def study_search_document(study: Study) -> str:
    """The text full-text search looks in: citation, population, form, outcomes, claims and notes."""
    parts = [
        study.authors, str(study.year or ""), study.title, study.journal, study.population, study.form_studied,
        study.get_design_display(), study.seed_claim, study.curator_notes,
        *[o.get_outcome_display() + " " + o.effect for o in study.outcomes.all()],
        *[c.name + " " + c.synonyms for c in study.compounds.all()],
    ]
    return " ".join(p for p in parts if p)


def study_refresh_search(study: Study) -> None:
    study.search_document = study_search_document(study)
    Study.objects.filter(pk=study.pk).update(search_document=study.search_document)
    studies_refresh_vectors(Study.objects.filter(pk=study.pk))


def studies_refresh_vectors(studies: QuerySet[Study]) -> None:
    """Recompute the stored full-text vectors from the search documents (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        studies.update(search_vector=SearchVector("search_document", config="english"))
