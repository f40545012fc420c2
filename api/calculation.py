"""The stateless calculator: library compounds or bare formulas in, the engine's figures and label text out.

Checks every field first and reports each problem where it is (a 422 lists them all); then runs the
engine once, as the workbench does, and rounds only the `label` block, through formulator.labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any

from django import forms as django_forms

from compounds.chemistry import FormulaParseError, ParsedFormula, formula_is_element
from compounds.models import Compound, Market, Nutrient, Population, markets_in_force
from compounds.selectors import (
    LEAD_PREVIEW,
    compound_molecular_weight,
    formula_doubts,
    parsed_formula,
    theoretical_fraction,
)
from formulator import engine, labels, panels, presenters
from formulator.forms import (ERROR_AMOUNT_WHOLE_DIGITS, ERROR_CHOOSE_MARKET, ERROR_CHOOSE_POPULATION, ERROR_NO_LINES,
                              ERROR_OVERAGE_RANGE, LineForm, ProductForm, field_problem, number_written,
                              serving_total_error)
from formulator.forms import ERROR_UNKNOWN_UNIT as ERROR_CHOOSE_UNIT  # the workbench's, for a unit left empty too
from formulator.reports import Library, formula_refused_notes, interaction_rows
from formulator.spec import interaction_json, markets_without_limits_json, nutrients_without_limits_json
from formulator.services import AMOUNT_LIMIT_MG

from api import output
from api.schemas import ERROR_UNKNOWN_POPULATION, CalculateIn, unknown_markets

ERROR_BOTH = "Give either a compound or a formula, not both."
ERROR_NEITHER = "Give a compound (a slug from /api/v1/compounds) or a molecular formula."
ERROR_UNKNOWN_COMPOUND = "Unknown compound “{slug}”: use a slug from /api/v1/compounds."
# A formula line as a doubt of its formula names it ("line 2's formula C4H8MgN204 counts 204 N atoms"), counted from 1
# as the editor's lines are.
LINE_NAME = "line {number}"
HUNDRED = Decimal(100)
MIXED = "mixed"
NO_DV = "†"
NO_NRV = "—"

Loc = tuple[str | int, ...]


class CalculationInputError(ValueError):
    """The request names things that do not exist or amounts the engine refuses; one message per field."""

    def __init__(self, errors: list[tuple[Loc, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(message for _, message in errors))


@dataclass(frozen=True)
class _Line:
    compound: Compound | None
    parsed: ParsedFormula | None
    input: engine.LineInput


_is_element = lru_cache(maxsize=256)(formula_is_element)


def element_nutrients(nutrients: Mapping[str, Nutrient]) -> list[tuple[Nutrient, str]]:
    """The library's element nutrients (magnesium = Mg ...) with their symbols."""
    chosen = []
    for nutrient in nutrients.values():
        if nutrient.formula and _is_element(nutrient.formula):
            (symbol,) = parsed_formula(nutrient.formula).atoms
            chosen.append((nutrient, symbol))
    return chosen


def formula_contributions(formula: str, elements: Sequence[tuple[Nutrient, str]]) -> tuple[engine.Contribution, ...]:
    """Theoretical fractions of every element nutrient of the library (see element_nutrients) in the formula."""
    parsed = parsed_formula(formula)
    contributions = []
    for nutrient, symbol in elements:
        if symbol in parsed.atoms:
            fraction = theoretical_fraction(formula, nutrient, None)
            assert fraction is not None
            contributions.append(engine.Contribution(nutrient.slug, fraction, engine.Basis.THEORETICAL, fraction))
    return tuple(contributions)


def _choices(values: Sequence[str]) -> str:
    return ", ".join(values)


def _form_field_problem(field: django_forms.Field, value: Decimal) -> str | None:
    """What the workbench's form field says of this value, if it refuses it: its rules, and its message."""
    return field_problem(field, number_written(value))


def _check_amount(amount: Decimal, unit: str) -> str | None:
    # Before any arithmetic: "-1e999999" g in mg overflows the decimal context.
    if not amount.is_finite():
        return engine.ERROR_AMOUNT_NOT_POSITIVE
    field = LineForm.base_fields["amount"]
    # The workbench's amount field holds no number this large, in any unit, and refuses one with this message
    # (AMOUNT_LIMIT_MG is read from that field). It quotes no number: none is written back as "1.000E+30 mg". Too
    # many decimals as well, it says both, as the field does ("1234567891.12345" read "100 g or more" here alone).
    if amount.copy_abs() >= AMOUNT_LIMIT_MG:  # copy_abs: no arithmetic, which a huge exponent overflows
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > field.decimal_places:
            return field.error_messages["max_digits"]
        return ERROR_AMOUNT_WHOLE_DIGITS if amount > 0 else engine.ERROR_AMOUNT_NOT_POSITIVE
    if amount <= 0:
        return engine.ERROR_AMOUNT_NOT_POSITIVE
    # Its decimal places too: 1e-400 mg is no amount a line holds, and no double can carry it back (it would read 0).
    problem = _form_field_problem(field, amount)
    if problem:
        return problem
    try:
        engine.validate_amount(amount, unit)
    except engine.EngineError as exc:
        return str(exc)
    return None


def _check_formula(formula: str) -> tuple[ParsedFormula | None, str | None]:
    try:
        return parsed_formula(formula), None
    except FormulaParseError as exc:
        return None, str(exc)


def prepare(payload: CalculateIn, library: Library) -> tuple[list[_Line], list[str]]:
    """Check the request field by field and build the engine's lines; raise CalculationInputError listing every problem."""
    errors: list[tuple[Loc, str]] = []
    # As a product's: from 0.25 to 20, in hundredths (1e-30 servings a day is no design's).
    servings_problem = _form_field_problem(ProductForm.base_fields["servings_per_day"], payload.servings_per_day)
    if servings_problem:
        errors.append((("servings_per_day",), servings_problem))
    if not payload.markets:
        errors.append((("markets",), ERROR_CHOOSE_MARKET))
    errors.extend((("markets", index), message) for index, message in unknown_markets(payload.markets))
    if not payload.population:
        errors.append((("population",), ERROR_CHOOSE_POPULATION))
    elif payload.population not in Population.values:
        errors.append((("population",), ERROR_UNKNOWN_POPULATION.format(
            value=payload.population, choices=_choices(Population.values))))
    if not payload.lines:
        errors.append((("lines",), ERROR_NO_LINES))

    slugs = {line.compound for line in payload.lines if line.compound}
    compounds = {slug: library.compounds[slug] for slug in slugs if slug in library.compounds}
    elements = element_nutrients(library.nutrients) if any(line.formula for line in payload.lines) else []
    lines: list[_Line] = []
    for index, line in enumerate(payload.lines):
        here: list[tuple[Loc, str]] = []
        compound, parsed = None, None
        if line.compound and line.formula:
            here.append((("lines", index), ERROR_BOTH))
        elif not line.compound and not line.formula:
            here.append((("lines", index), ERROR_NEITHER))
        elif line.compound:
            compound = compounds.get(line.compound)
            if compound is None:
                here.append((("lines", index, "compound"), ERROR_UNKNOWN_COMPOUND.format(slug=line.compound)))
        else:
            assert line.formula is not None
            parsed, problem = _check_formula(line.formula)
            if problem:
                here.append((("lines", index, "formula"), problem))
        if not line.unit:
            here.append((("lines", index, "unit"), ERROR_CHOOSE_UNIT))
        elif line.unit not in engine.MG_PER_UNIT:
            here.append((("lines", index, "unit"), engine.ERROR_UNKNOWN_UNIT.format(unit=line.unit)))
        else:
            problem = _check_amount(line.amount, line.unit)
            if problem:
                here.append((("lines", index, "amount"), problem))
        if not line.overage_percent.is_finite() or not 0 <= line.overage_percent <= HUNDRED:
            here.append((("lines", index, "overage_percent"), ERROR_OVERAGE_RANGE))
        else:  # its decimal places, as the workbench's field takes them
            problem = _form_field_problem(LineForm.base_fields["overage_percent"], line.overage_percent)
            if problem:
                here.append((("lines", index, "overage_percent"), problem))
        errors.extend(here)
        if here:
            continue
        # From the library revision's own memo, as the workbench takes them: a compound's fractions are worked out
        # when the library is loaded, a bare formula's once per revision.
        contributions = (library.contributions_of(compound) if compound is not None
                         else library.memo.get(("formula contributions", parsed.text), formula_contributions,  # type: ignore[union-attr]
                                               parsed.text, elements))  # type: ignore[union-attr]
        name = compound.name if compound is not None else parsed.text  # type: ignore[union-attr]
        lines.append(_Line(compound, parsed, engine.LineInput(
            key=str(index), name=name, amount=line.amount, unit=line.unit, contributions=contributions,
            overage_percent=line.overage_percent or Decimal(0),  # "-0" came back as -0.0, as the form's field does not
        )))
    if not errors and lines:
        total = serving_total_error((line.input.amount, line.input.unit) for line in lines)
        if total:
            errors.append((("lines",), total))
    if errors:
        raise CalculationInputError(errors)
    return lines, markets_in_force(list(payload.markets))  # each once: see api.schemas.Markets


def formula_warnings(lines: Sequence[_Line]) -> list[dict[str, Any]]:
    """Say the library's doubts of each formula line's formula (compounds.selectors.formula_doubts), and what the
    figures leave out of a compound line whose saved formula the library refuses (reports.formula_refused_notes), at
    its place."""
    doubts = [{"loc": ["body", "lines", index, "formula"], "msg": message}
              for index, line in enumerate(lines) if line.parsed is not None
              for message in formula_doubts(line.parsed.text, LINE_NAME.format(number=index + 1), LEAD_PREVIEW)]
    refused = [{"loc": ["body", "lines", index, "compound"], "msg": note}
               for index, line in enumerate(lines) if line.compound is not None
               for note in formula_refused_notes(line.compound) if note]
    return sorted(doubts + refused, key=lambda warning: warning["loc"][2])  # line by line


def _basis(calc: engine.LineResult, parsed: ParsedFormula | None) -> str:
    if parsed is not None:
        return engine.Basis.THEORETICAL.value
    bases = {n.basis.value for n in calc.nutrients.values()}
    return bases.pop() if len(bases) == 1 else MIXED


def _assessment(result: engine.ProductResult, market: str, kind: engine.Kind, nutrient: str) -> engine.Assessment | None:
    return next((a for a in result.assessments if (a.reference.market, a.reference.kind, a.reference.nutrient,
                 a.reference.per) == (market, kind, nutrient, engine.Per.DAY) and a.reference.amount_mg), None)


def label_rows(result: engine.ProductResult, compounds: Sequence[str | None], order: Sequence[str], markets: Sequence[str],
               nutrients: Mapping[str, Nutrient], references: Sequence[engine.Reference],
               sources: Sequence[str] = ()) -> dict[str, Any]:
    """Label text per market, rounded by formulator.labels, as the spec sheets' panels write it (formulator/panels.py):
    the US panel per serving and per day (which the sheets' panel prints above one serving a day), each nutrient as
    its sources give it ("Magnesium (as magnesium L-threonate)", sources being the lines' names as panels.source_name
    gives them); the EU table per day; each nutrient with a Daily Value (an NRV), then each line that gives none by its ingredient ("Ashwagandha root
    extract (standardised to 5% withanolides)"), not by its nutrient ("Withanolides 15 mg", which the sheets do not
    print)."""
    us: list[dict[str, Any]] | None = [] if Market.US in markets else None
    eu: list[dict[str, Any]] | None = [] if Market.EU in markets else None
    not_declared: list[str] = []
    if us is not None:
        dvs = {slug: _assessment(result, Market.US, engine.Kind.DV, slug) for slug in order}
        for slug, dv in dvs.items():
            if dv is None:
                continue
            serving, day = result.per_serving_label_mg[slug], result.per_day_label_mg[slug]
            if not labels.us_is_declared(serving, dv.reference.amount_mg):  # type: ignore[arg-type]
                not_declared.append(slug)
                continue
            dv_mg, step = dv.reference.amount_mg, dv.reference.significance
            given_by = panels.listed_once(
                source for source, line in zip(sources, result.lines, strict=True) if slug in line.nutrients)
            us.append({
                "nutrient": slug, "compound": None,
                "name": presenters.nutrient_name(nutrients, slug) + (f" (as {given_by})" if given_by else ""),
                "amount": labels.us_amount(serving, dv_mg, step, dv.reference.unit),
                "percent_dv": labels.us_percent(dv.per_serving_percent),  # type: ignore[arg-type]
                "amount_per_day": labels.us_amount(day, dv_mg, step, dv.reference.unit),
                "percent_dv_per_day": labels.us_percent(dv.percent),  # type: ignore[arg-type]
            })
        with_dv = {slug for slug, dv in dvs.items() if dv is not None}
        # Weighed as the sheet's panel weighs such an ingredient: "500 mcg" of melatonin.
        us.extend({"nutrient": None, "compound": key, "name": name, "amount": labels.mass(mg), "percent_dv": NO_DV,
                   "amount_per_day": labels.day_mass(mg, mg * result.servings_per_day), "percent_dv_per_day": NO_DV}
                  for key, name, mg in _ingredient_rows(result, compounds, with_dv, nutrients))
    if eu is not None:
        # As the sheet's table: a nutrient with an NRV for some population is declared by its amount, "—" without one
        # for the design's.
        labelled = {r.nutrient for r in references if (r.market, r.kind) == (Market.EU, engine.Kind.NRV)}
        with_nrv = [slug for slug in order if slug in labelled]
        for slug in with_nrv:
            nrv = _assessment(result, Market.EU, engine.Kind.NRV, slug)
            eu.append({"nutrient": slug, "compound": None, "name": presenters.nutrient_name(nutrients, slug),
                       "amount": labels.eu_amount(result.per_day_label_mg[slug], presenters.nutrient_unit(nutrients, slug),
                                                  presenters.nutrient_step(nutrients, slug)),
                       "percent_nrv": labels.percent(nrv.percent) if nrv else NO_NRV})
        eu.extend({"nutrient": None, "compound": key, "name": name,
                   "amount": labels.eu_mass(mg * result.servings_per_day), "percent_nrv": NO_NRV}
                  for key, name, mg in _ingredient_rows(result, compounds, set(with_nrv), nutrients))
    return {"US": us, "EU": eu, "not_declared": not_declared}


def _ingredient_rows(result: engine.ProductResult, compounds: Sequence[str | None], declared: set[str],
                     nutrients: Mapping[str, Nutrient]) -> list[tuple[str | None, str, Decimal]]:
    """The ingredients that give none of the `declared` nutrients, each with its compound's slug (None for a formula),
    its name as a label prints it (with its standardisation: panels.standardisation) and its mg a serving, one row for
    an ingredient on several lines (panels.ingredients_combined)."""
    return panels.ingredients_combined(
        (compound, f"{line.name}{panels.standardisation(line, nutrients)}", line.label_mg)
        for compound, line in zip(compounds, result.lines, strict=True) if not declared & line.nutrients.keys())


def calculate(payload: CalculateIn, library: Library | None = None) -> dict[str, Any]:
    """Run a stateless calculation; raise CalculationInputError for input the engine cannot use."""
    library = library or Library.load()
    lines, markets = prepare(payload, library)
    result = engine.calculate_product(
        [line.input for line in lines], payload.servings_per_day, references=library.references, markets=markets,
        population=payload.population,
    )
    nutrients = library.nutrients
    order = output.nutrient_order(result.per_day_label_mg, nutrients)
    compound_slugs = [line.compound.slug for line in lines if line.compound is not None]
    interactions = interaction_rows(library.evidence(), compound_slugs, result.per_day_label_mg, payload.population,
                                    library.memo)  # as output.interactions makes them, kept for the label warnings
    label = label_rows(result, [line.compound.slug if line.compound is not None else None for line in lines], order,
                       markets, nutrients, library.references,
                       [panels.source_name(line.compound) if line.compound is not None else calc.name
                        for line, calc in zip(lines, result.lines, strict=True)])
    # As the sheets carry them beside their labels: a rounded label of a design over a limit read as ready to print.
    safety = presenters.safety_rows(result.assessments, nutrients, payload.population, limits=True)
    label["warnings"] = {market: panels.label_warning_of(safety, interactions, markets, market)
                         for market in ("US", "EU") if label[market] is not None}
    line_rows = []
    for line, calc in zip(lines, result.lines, strict=True):
        line_order = output.nutrient_order(calc.nutrients, nutrients)
        weight = compound_molecular_weight(line.compound) if line.compound is not None else line.parsed.molecular_weight  # type: ignore[union-attr]
        line_rows.append({
            "compound": line.compound.slug if line.compound is not None else None,
            "formula": line.parsed.text if line.parsed is not None else None,
            "name": calc.name,
            "molecular_weight": output.number(weight),
            "amount_mg": float(calc.label_mg),
            "amount_with_overage_mg": float(calc.formula_mg),
            "overage_percent": float(calc.overage_percent),
            "fractions": {slug: float(calc.nutrients[slug].fraction) for slug in line_order},
            "fraction_basis": _basis(calc, line.parsed),
            "label_mg": {slug: float(calc.nutrients[slug].label_mg) for slug in line_order},
            "formula_mg": {slug: float(calc.nutrients[slug].formula_mg) for slug in line_order},
            "nutrients": output.line_nutrients(calc),
        })
    return {
        "lines": line_rows,
        "totals": {
            "per_serving_mg": output.by_nutrient(result.per_serving_label_mg, order),
            "per_serving_formula_mg": output.by_nutrient(result.per_serving_formula_mg, order),
            "per_day_mg": output.by_nutrient(result.per_day_label_mg, order),
            "per_day_formula_mg": output.by_nutrient(result.per_day_formula_mg, order),
        },
        "safety": output.safety(result.assessments, nutrients, payload.population),
        "markets_without_limits": markets_without_limits_json(
            presenters.markets_without_limits(result.assessments, markets, order, nutrients, library.limited_nutrients),
            payload.population),
        "nutrients_without_limits": nutrients_without_limits_json(
            presenters.nutrients_without_limits(order, nutrients, library.limited_nutrients)),
        "limit_status": presenters.worst_status(result.assessments),
        "interactions": [interaction_json(i) for i in interactions],
        "label": label,
        "warnings": formula_warnings(lines),
    }
