"""Shape engine results for pages and exports: names and sentences, numbers still unrounded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from compounds.models import Market, Nutrient, Population
from evidence import grading
from formulator import engine, labels


@dataclass(frozen=True)
class SafetyRow:
    market: str
    market_name: str
    population_name: str
    nutrient_name: str
    kind: str
    qualifier: str
    reference_mg: Decimal | None
    per: str
    covers: str
    amount_mg: Decimal
    percent: Decimal | None
    serving_percent: Decimal | None
    margin_mg: Decimal | None
    status: str
    reason: str
    source: str
    url: str


def nutrient_name(nutrients: Mapping[str, Nutrient], slug: str) -> str:
    nutrient = nutrients.get(slug)
    return nutrient.name if nutrient else slug


def safety_rows(
    assessments: Iterable[engine.Assessment], nutrients: Mapping[str, Nutrient], population: str, limits: bool
) -> list[SafetyRow]:
    """Rows for the safety table (limits) or the intake table (DV, NRV, RDA ...), with the reason in words."""
    population_name = "" if population == Population.ADULT else Population(population).label.lower()
    rows = []
    for assessment in assessments:
        if assessment.is_limit != limits:
            continue
        ref = assessment.reference
        name = nutrient_name(nutrients, ref.nutrient)
        rows.append(
            SafetyRow(
                market=ref.market,
                market_name=Market(ref.market).label,
                population_name=Population(ref.population).label,
                nutrient_name=name,
                kind=ref.kind.value,
                qualifier=ref.qualifier,
                reference_mg=ref.amount_mg,
                per=ref.per.value,
                covers=ref.covers,
                amount_mg=assessment.amount_mg,
                percent=assessment.percent,
                serving_percent=assessment.per_serving_percent,
                margin_mg=assessment.margin_mg,
                status=assessment.status.value,
                reason=labels.describe(assessment, name, population_name) if limits else "",
                source=ref.source,
                url=ref.url,
            )
        )
    return rows


def worst_status(assessments: Iterable[engine.Assessment]) -> str:
    """The most serious limit status of a design: over, then near, then ok."""
    statuses = {a.status for a in assessments if a.is_limit}
    for status in (engine.Status.OVER, engine.Status.NEAR, engine.Status.OK):
        if status in statuses:
            return status.value
    return engine.Status.NO_LIMIT.value


@dataclass(frozen=True)
class DeliveredText:
    slug: str
    name: str
    amount: str
    fraction: str
    basis: str


@dataclass(frozen=True)
class LineCell:
    """What an ingredient line delivers, as its row shows it; the workbench sends one per line per keystroke."""

    delivers: tuple[DeliveredText, ...]
    formula: str  # compound put in with overage, when there is overage
    dose: str  # the daily dose against the studied doses: within, below, above ... or "" without studies
    dose_title: str
    studied: str  # the span of studied doses of the compound, per day


def line_cell(calc: engine.LineResult, alignment: grading.LineAlignment | None, nutrients: Mapping[str, Nutrient]) -> LineCell:
    delivers = tuple(
        DeliveredText(slug, nutrient_name(nutrients, slug), labels.amount(n.label_mg), labels.fraction_percent(n.fraction),
                      n.basis.value)
        for slug, n in calc.nutrients.items()
    )
    if alignment is None:
        return LineCell(delivers, labels.compound_mass(calc.formula_mg) if calc.overage_percent else "", "", "", "")
    return LineCell(
        delivers=delivers,
        formula=labels.compound_mass(calc.formula_mg) if calc.overage_percent else "",
        dose=alignment.overall.value,
        dose_title="".join(f"{s.dose.label}: {s.by_compound.value}; " for s in alignment.studies),
        studied=labels.compound_span(alignment.span_compound),
    )


def line_cells(lines: Iterable[engine.LineResult], alignments: Iterable[grading.LineAlignment | None],
               nutrients: Mapping[str, Nutrient]) -> list[LineCell]:
    """One LineCell per line; alignments may be empty (no evidence loaded)."""
    alignments = list(alignments)
    return [line_cell(calc, alignments[i] if i < len(alignments) else None, nutrients) for i, calc in enumerate(lines)]
