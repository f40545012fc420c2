"""Read the evidence library: studies by compound, outcome, design, year and free text."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from api import output
from api.pagination import Page
from api.schemas import ErrorOut, Slug, StudyFilters, StudyOut, ValidationErrorOut
from evidence.models import Study
from evidence.selectors import study_search

router = Router(tags=["evidence"])


@router.get("/studies", response={200: list[StudyOut], 401: ErrorOut, 422: ValidationErrorOut})
@paginate(Page, render=output.studies_out)
def studies(request: HttpRequest, filters: Query[StudyFilters]) -> QuerySet[Study]:
    """Studies, newest first (best match first for free text on PostgreSQL)."""
    found = study_search(filters.q.strip(), filters.compound, filters.outcome or "", filters.design or "",
                         filters.year_from, filters.year_to)
    if not filters.q.strip():
        found = found.order_by("-year", "authors", "pk")
    return found.prefetch_related("compounds", "outcomes")


@router.get("/studies/{key}", response={200: StudyOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut})
def study(request: HttpRequest, key: Slug) -> dict[str, Any]:
    found = Study.objects.prefetch_related("compounds", "outcomes").filter(key=key).first()
    if found is None:
        raise HttpError(404, f"No study “{key}”.")
    return output.study_out(found)
