"""Read products and stacks and run them through the engine: the one path every page, export and API takes."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet

from compounds.models import Nutrient
from compounds.selectors import compound_contributions, reference_inputs
from formulator import engine
from formulator.models import Product, ProductLine, Stack, StackItem

_LINES = Prefetch(
    "lines",
    queryset=ProductLine.objects.select_related("compound").prefetch_related("compound__contributions__nutrient"),
)


def product_list() -> QuerySet[Product]:
    return Product.objects.select_related("variant_of").prefetch_related(_LINES, "variants")


def product_get(slug: str) -> Product:
    return product_list().get(slug=slug)


def stack_list() -> QuerySet[Stack]:
    return Stack.objects.prefetch_related(
        Prefetch("items", queryset=StackItem.objects.select_related("product").prefetch_related(
            Prefetch("product__lines", queryset=_LINES.queryset)
        ))
    )


def stack_get(slug: str) -> Stack:
    return stack_list().get(slug=slug)


def line_input(line: ProductLine) -> engine.LineInput:
    return engine.LineInput(
        key=str(line.pk or line.position),
        name=line.compound.name,
        amount=line.amount,
        unit=line.unit,
        overage_percent=line.overage_percent,
        contributions=compound_contributions(line.compound),
    )


def product_line_inputs(product: Product) -> tuple[engine.LineInput, ...]:
    return tuple(line_input(line) for line in product.lines.all())


def nutrients_by_slug() -> dict[str, Nutrient]:
    return {nutrient.slug: nutrient for nutrient in Nutrient.objects.all()}


def product_calculate(
    product: Product,
    references: Sequence[engine.Reference] | None = None,
    markets: Sequence[str] | None = None,
    population: str | None = None,
) -> engine.ProductResult:
    """Calculate a product against its own markets and population unless others are given."""
    return engine.calculate_product(
        product_line_inputs(product),
        product.servings_per_day,
        references=reference_inputs() if references is None else references,
        markets=product.markets if markets is None else markets,
        population=product.population if population is None else population,
        key=product.slug,
        name=product.name,
    )


def stack_calculate(
    stack: Stack,
    references: Sequence[engine.Reference] | None = None,
    markets: Sequence[str] | None = None,
    population: str | None = None,
) -> engine.StackResult:
    items = [
        engine.StackItemInput(
            key=item.product.slug,
            name=item.product.name,
            lines=product_line_inputs(item.product),
            servings_per_day=item.servings_per_day,
            timing=item.timing,
        )
        for item in stack.items.all()
    ]
    return engine.calculate_stack(
        items,
        references=reference_inputs() if references is None else references,
        markets=stack.markets if markets is None else markets,
        population=stack.population if population is None else population,
    )
