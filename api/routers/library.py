"""Read the library: compounds with their computed fractions, nutrients and reference values."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from api import output
from api.pagination import Page
from api.schemas import (
    CompoundFilters,
    CompoundOut,
    ErrorOut,
    NutrientOut,
    ReferenceFilters,
    ReferenceValueOut,
    Slug,
    ValidationErrorOut,
)
from compounds.models import Compound, Nutrient, ReferenceValue
from compounds.selectors import compound_list, reference_value_list

router = Router(tags=["library"])

LIST_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut}
ONE_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


@router.get("/compounds", response={200: list[CompoundOut], **LIST_ERRORS})
@paginate(Page, render=output.compounds_out)
def compounds(request: HttpRequest, filters: Query[CompoundFilters]) -> QuerySet[Compound]:
    """Compounds with molecular weight and each nutrient's theoretical and specified fraction (and its source)."""
    found = compound_list(filters.q.strip())
    if filters.nutrient:
        found = found.filter(contributions__nutrient__slug=filters.nutrient).distinct()
    return found.order_by(*Compound._meta.ordering)  # regardless of case, as the library lists them


@router.get("/compounds/{slug}", response={200: CompoundOut, **ONE_ERRORS})
def compound(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    found = compound_list().filter(slug=slug).first()
    if found is None:
        raise HttpError(404, f"No compound “{slug}”.")
    return output.compound_out(found)


@router.get("/nutrients", response={200: list[NutrientOut], **LIST_ERRORS})
@paginate(Page, render=output.nutrients_out)
def nutrients(request: HttpRequest) -> QuerySet[Nutrient]:
    """Nutrients in Supplement Facts order; element nutrients (magnesium = Mg) are what formula lines deliver."""
    return Nutrient.objects.all()


@router.get("/reference-values", response={200: list[ReferenceValueOut], **LIST_ERRORS})
@paginate(Page, render=output.references_out)
def reference_values(request: HttpRequest, filters: Query[ReferenceFilters]) -> QuerySet[ReferenceValue]:
    """Daily Values, NRVs, RDAs, upper limits and national maximums, with their sources."""
    values = reference_value_list()
    if filters.market:
        values = values.filter(market=filters.market)
    if filters.kind:
        values = values.filter(kind=filters.kind)
    if filters.population:
        values = values.filter(population=filters.population)
    if filters.nutrient:
        values = values.filter(nutrient__slug=filters.nutrient)
    return values
