"""Turn library rows and engine reports into the API's response dictionaries (numbers unrounded)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from api.auth import caller
from compounds.models import Compound, Nutrient, ReferenceValue
from compounds.selectors import (compound_formula_checks, compound_fraction_rows, compound_molecular_weight,
                                 formula_normalised)
from evidence.models import Study
from formulator import engine, presenters
from formulator.models import Product, Stack
from formulator.selectors import original_seen
from formulator.reports import (
    Library,
    ProductReport,
    StackReport,
    interaction_rows,
    saved_product_report,
    saved_stack_report,
)
from formulator.spec import interaction_json, largest_doses_json, markets_without_limits_json, nutrients_without_limits_json


def number(value: Decimal | None) -> float | None:
    """A Decimal as a JSON number; the engine's exact value to double precision."""
    return None if value is None else float(value)


def by_nutrient(amounts: Mapping[str, Decimal], order: Sequence[str]) -> dict[str, float]:
    return {slug: float(amounts[slug]) for slug in order if slug in amounts}


def nutrient_order(slugs: Iterable[str], nutrients: Mapping[str, Nutrient]) -> list[str]:
    """Supplement Facts order (the library's label_order), as the pages list totals."""
    return sorted(slugs, key=lambda slug: (nutrients[slug].label_order if slug in nutrients else 10_000, slug))


def safety(assessments: Sequence[engine.Assessment], nutrients: Mapping[str, Nutrient], population: str) -> list[dict[str, Any]]:
    """Limits first, then intake references, each with the sentence the pages show."""
    rows = []
    for limits in (True, False):
        chosen = [a for a in assessments if a.is_limit == limits]
        shown = presenters.safety_rows(chosen, nutrients, population, limits=limits)
        for assessment, row in zip(chosen, shown, strict=True):
            ref = assessment.reference
            rows.append({
                "market": ref.market, "population": ref.population, "nutrient": ref.nutrient, "kind": ref.kind.value,
                "limit_mg": number(ref.amount_mg), "food_only": ref.food_only, "per": ref.per.value, "covers": ref.covers,
                "sex": ref.sex,
                "qualifier": ref.qualifier,
                "amount_mg": float(assessment.amount_mg), "percent": number(assessment.percent),
                "margin_mg": number(assessment.margin_mg), "status": assessment.status.value, "reason": row.reason,
                "governs": assessment.governs, "source": ref.source, "source_url": ref.url,
                "by_formula_amount_mg": number(assessment.by_theory_mg),
                "by_formula_status": assessment.by_theory_status.value if assessment.by_theory_status else None,
            })
    return rows


def interactions(library: Library, compound_slugs: Iterable[str], nutrient_slugs: Iterable[str],
                 population: str) -> list[dict[str, Any]]:
    """The interactions and contraindications of a design, as the spec sheet JSON's `interactions[]` holds them.

    The rows are the pages' and the sheet's (formulator.reports.interaction_rows, as ProductReport.interactions
    makes them, from the library revision's evidence), with the sheet's keys.
    """
    rows = interaction_rows(library.evidence(), compound_slugs, nutrient_slugs, population, library.memo)
    return [interaction_json(i) for i in rows]


def line_nutrients(calc: engine.LineResult) -> list[dict[str, Any]]:
    return [
        {"nutrient": slug, "fraction": float(n.fraction), "basis": n.basis.value, "theoretical": number(n.theoretical),
         "label_mg": float(n.label_mg), "formula_mg": float(n.formula_mg)}
        for slug, n in calc.nutrients.items()
    ]


# The library --------------------------------------------------------------------------------------


def compound_out(compound: Compound) -> dict[str, Any]:
    return {
        "slug": compound.slug, "name": compound.name, "synonyms": compound.synonym_list, "formula": compound.formula,
        # "" for a formula saved before the parser refused it, as molecular_weight is null: nothing is read from it.
        "normalised_formula": formula_normalised(compound.formula) or "",
        "molecular_weight": number(compound_molecular_weight(compound)), "form_class": compound.form_class,
        "label_source_name": compound.label_source_name, "grade": compound.grade, "supplier": compound.supplier,
        "bulk_density_g_per_ml": number(compound.bulk_density_g_per_ml), "cost_per_kg": number(compound.cost_per_kg),
        "fractions": [
            {"nutrient": row.nutrient.slug, "nutrient_name": row.nutrient.name, "fraction": float(row.used),
             "basis": row.basis.value, "theoretical": number(row.theoretical), "specified": number(row.specified),
             "specified_source": row.specified_source, "specified_url": row.specified_url}
            for row in compound_fraction_rows(compound)
        ],
        "formula_checks": compound_formula_checks(compound),
    }


def compounds_out(compounds: Sequence[Compound], request: Any = None) -> list[dict[str, Any]]:
    return [compound_out(c) for c in compounds]


def nutrients_out(nutrients: Sequence[Nutrient], request: Any = None) -> list[dict[str, Any]]:
    return [{"slug": n.slug, "name": n.name, "formula": n.formula, "is_element": n.is_element, "label_order": n.label_order}
            for n in nutrients]


def references_out(values: Sequence[ReferenceValue], request: Any = None) -> list[dict[str, Any]]:
    return [
        {"nutrient": v.nutrient.slug, "nutrient_name": v.nutrient.name, "kind": v.kind, "market": v.market,
         "population": v.population, "sex": v.sex, "qualifier": v.qualifier, "amount_mg": number(v.amount_mg),
         "food_only": v.food_only, "per": v.per, "covers": v.covers, "source_citation": v.source_citation, "source_url": v.source_url,
         "effective_date": v.effective_date, "notes": v.notes}
        for v in values
    ]


def study_out(study: Study) -> dict[str, Any]:
    return {
        "key": study.key, "citation": study.citation_short, "authors": study.authors, "year": study.year,
        "title": study.title, "journal": study.journal, "doi": study.doi, "pmid": study.pmid, "design": study.design,
        "population": study.population, "n": study.n, "compounds": [c.slug for c in study.compounds.all()],
        "form_studied": study.form_studied, "dose_compound_mg_min": number(study.dose_compound_mg_min),
        "dose_compound_mg_max": number(study.dose_compound_mg_max),
        "dose_elemental_mg_min": number(study.dose_elemental_mg_min),
        "dose_elemental_mg_max": number(study.dose_elemental_mg_max), "duration": study.duration,
        "funding": study.funding, "verification": study.verification, "seed_misquotes": study.seed_misquotes,
        "seed_file": study.seed_file, "seed_claim": study.seed_claim, "curator_notes": study.curator_notes,
        "outcomes": [{"outcome": o.outcome, "direction": o.direction, "effect": o.effect} for o in study.outcomes.all()],
    }


def studies_out(studies: Sequence[Study], request: Any = None) -> list[dict[str, Any]]:
    return [study_out(s) for s in studies]


# Products and stacks ------------------------------------------------------------------------------


def product_out(product: Product, report: ProductReport, library: Library, user: Any) -> dict[str, Any]:
    original = original_seen(product, user)
    return {
        "slug": product.slug, "name": product.name, "brand": product.brand, "team": product.team.slug if product.team else None,
        "status": product.status, "revision": product.revision, "version": product.version,
        "updated_at": product.updated_at, "variant_of": original.slug if original else None,
        "dosage_form": product.dosage_form, "capsule_size": product.capsule_size, "serving_size": product.serving_size,
        "servings_per_day": float(product.servings_per_day), "servings_per_container": product.servings_per_container,
        "timing": product.timing, "markets": list(product.markets), "population": product.population,
        "claims": product.claims, "other_ingredients": product.other_ingredients, "notes": product.notes,
        "lines": [
            {"compound": line.compound.slug, "compound_name": line.compound.name, "amount": float(line.amount),
             "unit": line.unit, "overage_percent": float(line.overage_percent), "blend": line.blend,
             "label_mg": float(calc.label_mg),
             "formula_mg": float(calc.formula_mg), "nutrients": line_nutrients(calc)}
            for line, calc in report.line_rows()
        ],
        "totals": [
            {"nutrient": t.nutrient.slug, "nutrient_name": t.nutrient.name, "per_serving_mg": float(t.serving),
             "per_day_mg": float(t.day), "per_day_formula_mg": float(t.day_formula)}
            for t in report.totals
        ],
        "formulas_refused": list(report.formulas_refused),
        "safety": safety(report.result.assessments, library.nutrients, product.population),
        "markets_without_limits": markets_without_limits_json(report.markets_without_limits, product.population),
        "nutrients_without_limits": nutrients_without_limits_json(report.nutrients_without_limits),
        "limit_status": report.status,
        "interactions": interactions(library, [line.compound.slug for line in report.lines], report.result.per_day_label_mg,
                                     product.population),
    }


def products_out(products: Sequence[Product], request: Any = None) -> list[dict[str, Any]]:
    """Calculate each product of a page with one load of the library."""
    if not products:
        return []
    library = Library.load()
    user = caller(request)
    return [product_out(p, saved_product_report(p, library), library, user) for p in products]


def stack_out(stack: Stack, report: StackReport, library: Library) -> dict[str, Any]:
    return {
        "slug": stack.slug, "name": stack.name, "team": stack.team.slug if stack.team else None,
        "version": stack.version, "updated_at": stack.updated_at,
        "markets": list(stack.markets), "population": stack.population, "notes": stack.notes,
        "items": [
            {"product": item.product.slug, "product_name": name,
             "seen_note": getattr(item.product, "seen_note", ""), "product_status": item.product.status, "note": note,
             "servings_per_day": float(item.servings_per_day), "timing": item.timing,
             "per_day_mg": by_nutrient(calc.per_day_label_mg, nutrient_order(calc.per_day_label_mg, library.nutrients))}
            for item, calc, name, note, _magnesium in report.item_rows()
        ],
        "totals": [
            {"nutrient": t.nutrient.slug, "nutrient_name": t.nutrient.name, "per_day_mg": float(t.day),
             "per_day_formula_mg": float(t.day_formula),
             "shares": [{"product": s.product_key, "name": s.product_name, "amount_mg": float(s.amount_mg), "fraction": number(s.fraction)}
                        for s in t.shares]}
            for t in report.totals
        ],
        "formulas_refused": list(report.formulas_refused),
        "safety": safety(report.result.assessments, library.nutrients, stack.population),
        "largest_doses": largest_doses_json(report, float),
        "markets_without_limits": markets_without_limits_json(report.markets_without_limits, stack.population),
        "nutrients_without_limits": nutrients_without_limits_json(report.nutrients_without_limits),
        "limit_status": report.status,
        "interactions": [interaction_json(i) for i in report.interactions],
    }


def stacks_out(stacks: Sequence[Stack], request: Any = None) -> list[dict[str, Any]]:
    if not stacks:
        return []
    library = Library.load()
    return [stack_out(s, saved_stack_report(s, library, library.evidence()), library) for s in stacks]
