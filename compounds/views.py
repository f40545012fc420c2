from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from compounds import selectors
from compounds.models import Compound, ReferenceValue


def compound_list(request: HttpRequest) -> HttpResponse:
    """List the library with each compound's molecular weight and nutrient fractions."""
    query = request.GET.get("q", "").strip()[:100]
    compounds = [
        {
            "compound": compound,
            "molecular_weight": selectors.compound_molecular_weight(compound),
            "fractions": selectors.compound_fraction_rows(compound),
        }
        for compound in selectors.compound_list(query)
    ]
    return render(request, "compounds/compound_list.html", {"compounds": compounds, "query": query})


def compound_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        compound = selectors.compound_list().get(slug=slug)
    except Compound.DoesNotExist:
        raise Http404("No compound with that name.") from None
    context = {
        "compound": compound,
        "molecular_weight": selectors.compound_molecular_weight(compound),
        "normalised_formula": selectors.parsed_formula(compound.formula).normalised if compound.formula else "",
        "fractions": selectors.compound_fraction_rows(compound),
    }
    return render(request, "compounds/compound_detail.html", context)


def reference_list(request: HttpRequest) -> HttpResponse:
    values = ReferenceValue.objects.select_related("nutrient")
    return render(request, "compounds/reference_list.html", {"values": values})
