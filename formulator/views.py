from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from compounds.selectors import reference_inputs
from formulator import presenters, selectors
from formulator.models import Product, Stack


def home(request: HttpRequest) -> HttpResponse:
    return redirect("formulator:product_list")


def product_list(request: HttpRequest) -> HttpResponse:
    """List products with their daily magnesium and worst limit status."""
    references = reference_inputs()
    rows = [
        {"product": product, "result": (result := selectors.product_calculate(product, references)),
         "status": presenters.worst_status(result.assessments)}
        for product in selectors.product_list()
    ]
    return render(request, "formulator/product_list.html", {"rows": rows})


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        product = selectors.product_get(slug)
    except Product.DoesNotExist:
        raise Http404("No product with that name.") from None
    result = selectors.product_calculate(product)
    nutrients = selectors.nutrients_by_slug()
    lines = list(zip(product.lines.all(), result.lines, strict=True))
    context = {
        "product": product,
        "result": result,
        "lines": lines,
        "nutrients": nutrients,
        "totals": [
            {
                "nutrient": nutrients[slug],
                "serving": result.per_serving_label_mg[slug],
                "day": result.per_day_label_mg[slug],
                "day_formula": result.per_day_formula_mg[slug],
            }
            for slug in sorted(result.per_day_label_mg, key=lambda s: (nutrients[s].label_order, s))
        ],
        "safety": presenters.safety_rows(result.assessments, nutrients, product.population, limits=True),
        "intake": presenters.safety_rows(result.assessments, nutrients, product.population, limits=False),
        "status": presenters.worst_status(result.assessments),
    }
    return render(request, "formulator/product_detail.html", context)


def stack_list(request: HttpRequest) -> HttpResponse:
    references = reference_inputs()
    rows = [
        {"stack": stack, "result": (result := selectors.stack_calculate(stack, references)),
         "status": presenters.worst_status(result.assessments)}
        for stack in selectors.stack_list()
    ]
    return render(request, "formulator/stack_list.html", {"rows": rows})


def stack_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        stack = selectors.stack_get(slug)
    except Stack.DoesNotExist:
        raise Http404("No stack with that name.") from None
    result = selectors.stack_calculate(stack)
    nutrients = selectors.nutrients_by_slug()
    context = {
        "stack": stack,
        "result": result,
        "items": list(zip(stack.items.all(), result.products, strict=True)),
        "totals": [
            {"nutrient": nutrients[slug], "day": mg, "day_formula": result.per_day_formula_mg[slug],
             "shares": result.shares[slug]}
            for slug, mg in sorted(result.per_day_label_mg.items(), key=lambda kv: (nutrients[kv[0]].label_order, kv[0]))
        ],
        "safety": presenters.safety_rows(result.assessments, nutrients, stack.population, limits=True),
        "intake": presenters.safety_rows(result.assessments, nutrients, stack.population, limits=False),
        "status": presenters.worst_status(result.assessments),
    }
    return render(request, "formulator/stack_detail.html", context)
