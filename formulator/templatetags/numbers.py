"""Template filters that present the engine's numbers through the label rules; they do no arithmetic."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import template

from formulator import labels, presenters

if TYPE_CHECKING:
    from compounds.models import Nutrient, ReferenceValue
    from formulator.engine import NutrientAmount

register = template.Library()


@register.filter
def mg(value: Decimal | None, unit: str = labels.MG) -> str:
    """An amount as labels.amount words it, in mcg whatever its size for a nutrient declared in mcg (`unit`)."""
    return "—" if value is None else labels.amount(value, unit or labels.MG)


@register.filter
def nutrient_amount(value: Decimal | None, nutrient: Nutrient | None) -> str:
    """An amount of a nutrient as labels.amount words it, in the nutrient's unit and to its step ("10.3 mg" of B6)."""
    if value is None:
        return "—"
    return labels.amount(value, nutrient.label_unit, nutrient.amount_step) if nutrient else labels.amount(value)


@register.filter
def reference_mg(value: ReferenceValue) -> str:
    """A reference value's amount as the regulation writes it ("DV 2.0 mg"), where its level of significance is known."""
    return labels.reference_amount(value.amount_mg, value.label_significance, value.nutrient.label_unit)  # type: ignore[arg-type]


@register.filter
def compound_mg(value: Decimal | None, claimed: Decimal | None = None) -> str:
    """A compound mass to weigh out (labels.compound_mass), no coarser than the label claim it is made from."""
    return "—" if value is None else labels.compound_mass(value, claimed)


@register.filter
def compound_span(span: tuple[Decimal, Decimal] | None) -> str:
    return labels.compound_span(span)


@register.filter
def pct(value: Decimal | None) -> str:
    return labels.percent(value)


@register.filter
def fraction_pct(value: Decimal | None) -> str:
    return labels.fraction_percent(value)


@register.filter
def formula_gives(amount: NutrientAmount) -> str:
    """The fraction by formula beside a specified one, as the workbench's line cells say it (presenters.formula_gives)."""
    return presenters.formula_gives(amount)


@register.filter
def margin(value: Decimal | None) -> str:
    return labels.margin(value)


@register.filter
def mw(value: Decimal | None) -> str:
    return "—" if value is None else labels.molecular_weight(value)


@register.filter
def plain(value: Decimal | None) -> str:
    """A stored decimal without trailing zeros: 2000.0000 → 2,000."""
    if value is None:
        return "—"
    normal = value.normalize()
    return f"{normal:,f}" if normal != normal.to_integral_value() else f"{normal.quantize(Decimal(1)):,}"


@register.filter
def count(value: int | None) -> str:
    """A count with thousands separators, as every amount beside it has them: "1,671 needed", "10,000 servings"."""
    return "—" if value is None else labels.plain_number(value)


@register.filter
def get(mapping: dict, key: str):  # type: ignore[type-arg]
    return mapping.get(key)


@register.filter
def deviation_pp(row) -> str:  # type: ignore[no-untyped-def]
    """Specified minus theoretical of a FractionRow, in percentage points."""
    if row.specified is None or row.theoretical is None:
        return "—"
    return labels.deviation_points(row.specified, row.theoretical)


@register.filter
def index(sequence, position: int):  # type: ignore[no-untyped-def]
    """Item at a position, or None past the end."""
    try:
        return sequence[position]
    except (IndexError, TypeError, KeyError):
        return None


@register.filter
def money(value: Decimal | None) -> str:
    return labels.money(value)


@register.filter
def fill_pct(value: Decimal | None) -> str:
    return labels.fill_percent(value)


@register.filter
def named_for(design: Any, user: Any) -> str:
    """A design's name for the user: another team's with its team's (selectors.design_name)."""
    from formulator.selectors import design_name

    return design_name(design, user)


@register.simple_tag
def status_legend() -> str:
    """What ok, near and over mean, as the safety tables say it."""
    return labels.STATUS_LEGEND
