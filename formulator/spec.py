"""Spec sheets: one builder for the print HTML, the PDF, the JSON and the CSV of a product or stack.

The JSON keys are stable and documented in docs/spec-json.md. Decimal values are strings of 12 significant digits
(labels.export_number), not rounded as a label rounds: the label panels hold the rounded, printed text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from compounds.selectors import compound_fraction_rows
from compounds.spreadsheets import SpreadsheetWriter
from formulator import engine, labels, panels, presenters, services
from compounds.models import Market
from formulator.models import Product, Stack, Status
from formulator.selectors import ProductVersion
from formulator.reports import Library, ProductReport, StackReport, saved_product_report, saved_stack_report

# v2: safety[].population and safety[].nutrient are codes, as everywhere else in the sheet, with their names beside
# them (population_name, nutrient_name): v1 gave the names under the keys that hold codes elsewhere. Interactions
# gained excluded_in.
SCHEMA = "mag-formulator/spec-sheet/v2"
STACK_SCHEMA = "mag-formulator/stack-sheet/v2"


_d = labels.export_number  # every number of a sheet's JSON and CSV


def interaction_json(i: presenters.InteractionRow) -> dict[str, Any]:
    """An interaction or contraindication as a product's sheet and the API give it (docs/spec-json.md)."""
    return {"kind": i.kind, "agent": i.agent, "compound_name": i.compound_name or None, "effect": i.effect,
            "severity": i.severity, "management": i.management, "source": i.source, "populations": list(i.populations),
            "applies_to_population": i.applies, "excluded_in": list(i.excluded_in)}


def largest_doses_json(report: StackReport, amount: Callable[[Decimal], Any] = _d) -> list[dict[str, Any]]:
    """The largest single dose of each nutrient a per-dose rule judges (StackReport.judged_doses), as a stack's sheet
    and the API give it (docs/spec-json.md). `amount` writes its mg: the sheets write every number as text, the API
    as a JSON number."""
    return [{"nutrient": nutrient.slug, "amount_mg": amount(dose.amount_mg), "timing": dose.timing,
             "products": list(dose.product_names)}
            for nutrient, dose in report.judged_doses]


def _limits(report: ProductReport | StackReport) -> dict[str, Any]:
    """The design's limit status, as its badge says it: the worst of its limits, and the nutrients it is for."""
    return {"status": report.status, "status_text": report.status_text, "nutrients": list(report.status_nutrient_slugs),
            "nutrients_text": report.status_nutrients}


def _safety(report: ProductReport | StackReport) -> list[dict[str, Any]]:
    return [
        {"market": r.about.market, "population": r.reference.population, "population_name": r.about.population_name,
         "nutrient": r.reference.nutrient, "nutrient_name": r.about.nutrient_name,
         "kind": r.about.kind, "sex": r.reference.sex, "qualifier": r.about.qualifier, "limit_mg": _d(r.reference.amount_mg),
         "food_only": r.reference.food_only, "per": r.about.per, "covers": r.about.covers,
         "amount_mg": _d(r.amount_mg), "percent": _d(r.percent), "margin_mg": _d(r.margin_mg), "status": r.status,
         "reason": r.reason, "governs": r.governs, "source": r.about.source, "source_url": r.about.url,
         "by_formula_amount_mg": _d(r.by_theory_mg), "by_formula_status": r.by_theory_status}
        for r in [*report.safety, *report.intake]
    ]


@dataclass(frozen=True)
class SourceNote:
    """A source of the reference values a sheet shows, numbered as the sheet's tables cite it."""

    number: int
    text: str
    url: str


def reference_sources(report: ProductReport | StackReport) -> tuple[list[SourceNote], dict[str, int]]:
    """The sources of a sheet's limits, intake references and interactions, each once in the order the tables cite
    them, and each source's number by its text: a printed sheet has no links to follow, so it lists what every value
    and every caution rests on."""
    cited = [(row.about.source, row.about.url) for row in [*report.safety, *report.intake]]
    notes: dict[str, SourceNote] = {}
    for text, url in [*cited, *((i.source, "") for i in report.interactions)]:
        if text not in notes:
            notes[text] = SourceNote(len(notes) + 1, text, url)
    return list(notes.values()), {text: note.number for text, note in notes.items()}


def markets_without_limits_json(rows: Iterable[presenters.MissingLimits], population: str) -> list[dict[str, Any]]:
    """The chosen markets checked and found without an upper limit for some of the design's nutrients
    (presenters.markets_without_limits, the rows the pages add to the safety table), in the pages' words: with no
    safety row of their own, they would read as not checked. The sheets and the API give them alike."""
    return [
        {"market": row.market, "population": population, "population_name": presenters.POPULATION_NAMES[population],
         "nutrients": list(row.nutrients), "reason": row.reason}
        for row in rows
    ]


def nutrients_without_limits_json(row: presenters.NoLimitAnywhere | None) -> dict[str, Any] | None:
    """The design's nutrients that no market in the library limits (presenters.nutrients_without_limits), said once in
    the pages' words, as the safety tables add it; null where it has none. The sheets and the API give it alike."""
    return None if row is None else {"nutrients": list(row.nutrients), "reason": row.reason}


def product_sheet(product: Product, version: ProductVersion | None = None) -> dict[str, Any]:
    """Everything a product's spec sheet shows, for every format; of a past version of it, if given.

    A past version is calculated with today's library and reference values, as the sheet says.
    """
    library = Library.load()
    current = product
    if version is not None:
        product = version.record.instance
        # Not kept in the history (excluded): the instance had the current edit's time, after the past edit's own.
        product.updated_at = version.record.history_date
    report = saved_product_report(product, library, library.evidence(), lines=version.lines if version else None)
    fractions = {line.compound.slug: {row.nutrient.slug: row for row in compound_fraction_rows(line.compound)}
                 for line in report.lines}
    us = panels.us_supplement_facts(product, report, library.references, library.nutrients) if Market.US in product.markets else None
    eu = panels.eu_table(product, report, library.references, library.nutrients) if Market.EU in product.markets else None
    sources, source_numbers = reference_sources(report)
    rows = report.line_rows()
    per_container, container_total = engine.per_container([calc.formula_mg for _, calc in rows], product.servings_per_container)
    return {"product": product, "report": report, "fractions": fractions, "us_panel": us, "eu_table": eu,
            "ingredient_rows": [(line, calc, weigh) for (line, calc), weigh in zip(rows, per_container, strict=True)],
            "container_total_mg": container_total,
            "generated_at": timezone.now(), "nutrients": library.nutrients, "version": version, "current": current,
            "markets_without_limits": markets_without_limits_json(report.markets_without_limits, product.population),
            "sources": sources, "source_numbers": source_numbers,
            # An approved product the library has changed under: its sheet must not go out as approved, unsaid.
            "approved_no_longer": services.product_approval_blockers(report, product.markets)
            if product.status == Status.APPROVED else [],
            "approved_no_longer_text": services.MESSAGE_APPROVED_NO_LONGER}


def product_sheet_json(sheet: dict[str, Any]) -> dict[str, Any]:
    product: Product = sheet["product"]
    report: ProductReport = sheet["report"]
    fill = report.fill
    us, eu = sheet["us_panel"], sheet["eu_table"]
    return {
        "schema": SCHEMA,
        "generated_at": sheet["generated_at"].isoformat(),
        "product": {
            "slug": product.slug, "name": product.name, "brand": product.brand, "revision": product.revision,
            "status": product.status, "version": product.version,
            "approved_no_longer": sheet["approved_no_longer"],
            "past_version": None if sheet["version"] is None else {
                "recorded_at": sheet["version"].record.history_date.isoformat(), "current_version": sheet["current"].version},
            "updated_at": product.updated_at.isoformat(), "dosage_form": product.dosage_form,
            "capsule_size": product.capsule_size or None, "serving_size": product.serving_size,
            "serving_description": product.serving_description, "servings_per_day": _d(product.servings_per_day),
            "servings_per_container": product.servings_per_container, "timing": product.timing,
            "markets": list(product.markets), "population": product.population,
            "population_name": presenters.POPULATION_NAMES[product.population], "claims": product.claims,
            "other_ingredients": product.other_ingredients,
        },
        "ingredients": [
            {
                "compound": line.compound.name, "compound_slug": line.compound.slug, "grade": line.compound.grade,
                "supplier": line.compound.supplier, "formula": line.compound.formula, "label_amount": _d(line.amount),
                "unit": line.unit, "label_mg": _d(calc.label_mg), "overage_percent": _d(line.overage_percent),
                "blend": line.blend or None,
                "formula_mg": _d(calc.formula_mg), "per_container_mg": _d(per_container),
                "nutrients": [
                    {"nutrient": slug, "fraction_used": _d(n.fraction), "basis": n.basis.value,
                     "theoretical_fraction": _d(sheet["fractions"][line.compound.slug][slug].theoretical),
                     "specified_fraction": _d(sheet["fractions"][line.compound.slug][slug].specified),
                     "label_mg": _d(n.label_mg), "formula_mg": _d(n.formula_mg)}
                    for slug, n in calc.nutrients.items()
                ],
            }
            for line, calc, per_container in sheet["ingredient_rows"]
        ],
        "per_container_mg": _d(sheet["container_total_mg"]),
        "claims_at_formula_fraction": {"compound_slugs": [c.slug for c in report.claims_at_formula],
                                       "note": report.claims_at_formula_text or None},
        "formulas_refused": list(report.formulas_refused),
        "totals": [
            {"nutrient": t.nutrient.slug, "per_serving_mg": _d(t.serving), "per_day_mg": _d(t.day),
             "per_day_formula_mg": _d(t.day_formula)}
            for t in report.totals
        ],
        "limits": _limits(report),
        "safety": _safety(report),
        "markets_without_limits": sheet["markets_without_limits"],
        "nutrients_without_limits": nutrients_without_limits_json(report.nutrients_without_limits),
        "capsule_fill": None if fill is None else {
            "capsule_size": report.capsule_size, "capsule_volume_ml": _d(fill.capsule_volume_ml),
            "capsules_per_serving": fill.capsules_per_serving, "mg_per_capsule": _d(fill.mg_per_capsule),
            "capacity_mg_per_capsule": _d(fill.capacity_mg_per_capsule), "fill_fraction": _d(fill.fill_fraction),
            "capsules_needed": fill.capsules_needed, "status": fill.status.value,
            "missing_density": list(fill.missing_density),
            "sizes_that_fit": [{"capsule_size": code, "fill_fraction": _d(fraction)} for code, fraction in report.fill_sizes],
        },
        "cost": {"per_serving_usd": _d(report.cost.per_serving), "per_day_usd": _d(report.cost.per_day),
                 "per_100_mg_magnesium_usd": _d(report.cost.per_100_mg), "missing_cost": list(report.cost.missing_cost)},
        "claims": [
            {"claim": c.claim, "grade": c.best, "outcomes": list(c.outcomes),
             "studies": sorted({s.key for g in c.grades for s in g.studies}),
             # Which compound each grade is for, and whether a curator set it: an override read as the evidence's.
             "grades": [{"compound_slug": g.compound, "grade": g.grade, "computed_grade": g.computed.grade.value,
                         "override_reason": g.override.reason if g.override else None,
                         "studies": [s.key for s in g.studies]} for g in c.grades],
             "compounds_without_entries": [g.compound for g in c.without_entries]}
            for c in report.claims
        ],
        "dose_alignment": [
            {"compound_slug": line.compound.slug, "overall": a.overall.value if a else None, "lines": a.lines if a else None,
             "studies": [{"study": s.dose.key, "by_compound": s.by_compound.value, "by_elemental": s.by_elemental.value}
                         for s in a.studies] if a else []}
            for line, a in report.evidence_rows()
        ],
        "claim_dose_notes": list(report.claim_dose_notes),
        "interactions": [interaction_json(i) for i in report.interactions],
        "labels": {
            "US": None if us is None else {
                "serving_size": us.serving_size, "servings_per_container": us.servings_per_container,
                "per_day_column": us.per_day_column,
                "rows": [{"name": r.name, "amount": r.amount, "percent_dv": r.percent_dv, "amount_per_day": r.amount_day or None,
                          "percent_dv_per_day": r.percent_dv_day or None, "components": r.components or None}
                         for r in us.rows],
                "footnote": panels.DAGGER_FOOTNOTE if us.dagger_footnote else None,
                "other_ingredients": us.other_ingredients, "not_declared": list(us.not_declared),
                "warning": us.warning or None,
            },
            "EU": None if eu is None else {
                "daily_portion": eu.daily_portion,
                "rows": [{"name": r.name, "amount_per_day": r.amount, "percent_nrv": r.percent_nrv} for r in eu.rows],
                "statements": list(eu.statements), "warning": eu.warning or None,
            },
        },
    }


def _csv_scalar(value: Any) -> str:
    """A JSON value as the CSV writes it: as the JSON does (true, false), and nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(data: dict[str, Any]) -> str:
    """Flatten a sheet's JSON into section, item, field, value rows: the same figures, one per line."""
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow(["section", "item", "field", "value"])

    def walk(section: str, item: str, value: Any, prefix: str = "") -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(section, item, sub, f"{prefix}{key}." if isinstance(sub, (dict, list)) else f"{prefix}{key}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, sub in enumerate(value):
                walk(section, f"{item}{'/' if item else ''}{prefix.rstrip('.') or section}[{index}]", sub)
        elif isinstance(value, list):
            writer.writerow([section, item, prefix.rstrip("."), "; ".join(_csv_scalar(v) for v in value)])
        else:
            writer.writerow([section, item, prefix.rstrip("."), _csv_scalar(value)])

    for section, value in data.items():
        if isinstance(value, list):
            for index, entry in enumerate(value):
                walk(section, f"{section}[{index}]", entry)
        else:
            walk(section, "", value)
    return out.getvalue()


def stack_sheet(stack: Stack) -> dict[str, Any]:
    library = Library.load()
    report = saved_stack_report(stack, library, library.evidence())
    sources, source_numbers = reference_sources(report)
    return {"stack": stack, "report": report, "generated_at": timezone.now(),
            "markets_without_limits": markets_without_limits_json(report.markets_without_limits, stack.population),
            "sources": sources, "source_numbers": source_numbers}


def stack_sheet_json(sheet: dict[str, Any]) -> dict[str, Any]:
    stack: Stack = sheet["stack"]
    report: StackReport = sheet["report"]
    return {
        "schema": STACK_SCHEMA,
        "generated_at": sheet["generated_at"].isoformat(),
        "stack": {"slug": stack.slug, "name": stack.name, "version": stack.version, "markets": list(stack.markets),
                  "population": stack.population, "population_name": presenters.POPULATION_NAMES[stack.population]},
        "products": [
            # Named as the shares name it: a product taken twice is told apart by its time.
            {"product_slug": item.product.slug, "name": calc.name, "seen_note": getattr(item.product, "seen_note", ""),
             "status": item.product.status, "note": note,
             # Which edit of it: the stack's edit stays as it is when a product of it changes, and its sheet with it.
             "revision": item.product.revision, "version": item.product.version if item.product.updated_at else None,
             "updated_at": item.product.updated_at.isoformat() if item.product.updated_at else None,
             "timing": item.timing,
             "servings_per_day": _d(item.servings_per_day),
             "per_day_mg": {n: _d(mg) for n, mg in calc.per_day_label_mg.items()},
             "per_day_formula_mg": {n: _d(mg) for n, mg in calc.per_day_formula_mg.items()}}
            for item, calc, _name, note, _magnesium in report.item_rows()
        ],
        "totals": [
            {"nutrient": t.nutrient.slug, "per_day_mg": _d(t.day), "per_day_formula_mg": _d(t.day_formula),
             "shares": [{"product_slug": s.product_key, "name": s.product_name, "amount_mg": _d(s.amount_mg), "fraction": _d(s.fraction)} for s in t.shares]}
            for t in report.totals
        ],
        "formulas_refused": list(report.formulas_refused),
        "limits": _limits(report),
        "safety": _safety(report),
        "largest_doses": largest_doses_json(report),
        "markets_without_limits": sheet["markets_without_limits"],
        "nutrients_without_limits": nutrients_without_limits_json(report.nutrients_without_limits),
        "cost": {"per_day_usd": _d(report.cost.per_day), "per_100_mg_magnesium_usd": _d(report.cost.per_100_mg),
                 "missing_cost": list(report.cost.missing_cost)},
        "interactions": [interaction_json(i) for i in report.interactions],
    }
