"""Write evidence: check a study's doses against its compounds, keep each study's search document current."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet

from compounds.chemistry import FormulaParseError
from compounds.models import Compound, Nutrient, Population, ReferenceValue
from compounds.selectors import compound_fraction_rows, formula_normalised
from evidence.models import ERROR_ELEMENTAL_NOT_COMPOUND, ERROR_ELEMENTAL_WITHOUT_COMPOUND, ERROR_ELEMENTAL_WITHOUT_ELEMENT, Study
from formulator import labels


def study_search_document(study: Study) -> str:
    """The text full-text search looks in: citation, population, form, outcomes, claims, notes and compounds (names,
    synonyms and formulas)."""
    parts = [
        study.authors, str(study.year or ""), study.title, study.journal, study.population, study.form_studied,
        study.get_design_display(), study.seed_claim, study.curator_notes,
        *[o.get_outcome_display() + " " + o.effect for o in study.outcomes.all()],
        *[c.name + " " + c.synonyms + " " + c.formula for c in study.compounds.all()],
    ]
    text = " ".join(p for p in parts if p)
    # Each word with accents also without them, as most people type names: "odman" and "wlaz" found nothing.
    words = set(text.split())
    unaccented = [word for word in text_unaccented(text).split() if word not in words]
    # Each formula also in the one spelling a searched formula is put in (text_formulas_normalised).
    formulas = [word for word in text_formulas_normalised(text).split() if word not in words]
    return " ".join([text, *dict.fromkeys(unaccented + formulas)])


def text_unaccented(text: str) -> str:
    """The text without its accents: "Ödman" is "Odman"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# What may enclose a formula in a sentence or a search ("MgCl2.6H2O," or "-MgCl2*6H2O", websearch's "not").
_AROUND_FORMULA = re.compile(r"^([-\"'“”‘’]*)(.*?)([\"'“”‘’,;:!?.]*)$")


def text_formulas_normalised(text: str, phrases: bool = False) -> str:
    """The text with each formula in the library's one spelling of hydrates (normalise_formula): "MgCl2.6H2O",
    "MgCl2*6H2O" and "MgCl2·6H2O" are each "MgCl2(H2O)6". Other words are left as they are.

    With phrases, a formula respelt outside double quotes is put in them, for a websearch query: PostgreSQL reads
    "MgCl2(H2O)6" as three words, which unquoted need only each be somewhere, so the tetrahydrate found the
    hexahydrate's study."""
    def respelt(match: re.Match[str]) -> str:
        word = match.group()
        spelt = _formula_normalised(word)
        if phrases and spelt != word and text.count('"', 0, match.start()) % 2 == 0 and '"' not in word:
            return f'"{spelt}"' if spelt[:1] != "-" else f'-"{spelt[1:]}"'
        return spelt

    return re.sub(r"\S+", respelt, text)


def _formula_normalised(word: str) -> str:
    before, formula, after = _AROUND_FORMULA.match(word).groups()  # type: ignore[union-attr]
    # In brackets as a sentence has it, "(MgCl2·6H2O)": respelt inside them, which stay where they were.
    if formula[:1] == "(" and formula[-1:] == ")":
        before, formula, after = before + "(", formula[1:-1], ")" + after
    # Only what the library reads as a formula, with a count: "B.C" reads as boron and carbon, and is not one.
    if not any(c.isdigit() for c in formula):
        return word
    spelt = formula_normalised(formula)
    return word if spelt is None else before + spelt + after


def study_refresh_search(study: Study) -> None:
    study.search_document = study_search_document(study)
    Study.objects.filter(pk=study.pk).update(search_document=study.search_document)
    studies_refresh_vectors(Study.objects.filter(pk=study.pk))


def compound_studies_refresh_search(compound: Compound) -> None:
    """Refresh the search text of the compound's studies, which holds its name and synonyms: a synonym added to a
    compound found its studies in the workbench, not in the evidence search."""
    for study in compound.studies.prefetch_related("outcomes", "compounds"):
        study_refresh_search(study)


def studies_refresh_search(studies: QuerySet[Study]) -> int:
    """Rewrite the search text of the studies whose text is not what it is built as now; return how many were."""
    rewritten = 0
    for study in studies.prefetch_related("outcomes", "compounds"):
        document = study_search_document(study)
        if study.search_document != document:
            Study.objects.filter(pk=study.pk).update(search_document=document)  # no field the history keeps
            rewritten += 1
    studies_refresh_vectors(studies)
    return rewritten


def studies_refresh_vectors(studies: QuerySet[Study]) -> None:
    """Recompute the stored full-text vectors from the search documents (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        studies.update(search_vector=SearchVector("search_document", config="english"))


# A paper's rounding ("250 mg" of 414 mg MgO, which holds 249.6 mg) is not a wrong figure.
ELEMENTAL_TOLERANCE = Decimal("0.05")


# A study's daily dose of an element is at least a hundredth of its smallest adult intake reference and at most twenty
# times its largest adult limit: magnesium 4.2 mg to 7,000 mg. Outside it, a unit was mistyped: 2 mg of threonate (2 g
# meant, 0.14 mg of magnesium) and 300,000 mg of magnesium (300 mcg typed as mg) saved, and stretched the studied span on
# product pages to "144 mcg–144 mg" and "300 mcg–300,000 mg".
PLAUSIBLE_LOW_SHARE = Decimal("0.01")
PLAUSIBLE_HIGH_TIMES = 20
ERROR_DOSE_IMPLAUSIBLE = ("%(dose)s a day of the compound gives %(amount)s of %(element)s, %(side)s any dose a study gives "
                          "(%(low)s to %(high)s a day, from its reference values): check the unit (g or mcg typed as mg?).")
ERROR_ELEMENTAL_IMPLAUSIBLE = ("%(amount)s of %(element)s a day is %(side)s any dose a study gives (%(low)s to %(high)s a day, "
                               "from its reference values): check the unit (g or mcg typed as mg?).")


def plausible_daily_mg(nutrient: Nutrient) -> tuple[Decimal, Decimal] | None:
    """The span of daily amounts of a nutrient a study may give (PLAUSIBLE_LOW_SHARE, PLAUSIBLE_HIGH_TIMES); None
    without adult reference values to draw it from."""
    values = ReferenceValue.objects.filter(nutrient=nutrient, population=Population.ADULT, amount_mg__gt=0)
    intake = [v.amount_mg for v in values if v.kind not in (ReferenceValue.Kind.UL, ReferenceValue.Kind.MAX)]
    limits = [v.amount_mg for v in values if v.kind in (ReferenceValue.Kind.UL, ReferenceValue.Kind.MAX)]
    if not intake or not limits:
        return None
    return min(intake) * PLAUSIBLE_LOW_SHARE, max(limits) * PLAUSIBLE_HIGH_TIMES


def _implausible_doses(chosen: list[tuple[Compound, Any]], compound_mg: tuple[Decimal | None, Decimal | None],
                       elemental_mg: tuple[Decimal | None, Decimal | None]) -> dict[str, ValidationError]:
    """A dose whose element is outside what studies give (plausible_daily_mg), by field: the elemental dose as given,
    else the compound dose at its compounds' fractions."""
    element = chosen[0][1].nutrient
    span = plausible_daily_mg(element)
    if span is None:
        return {}
    low, high = span
    fractions = [f for _, row in chosen for f in (row.theoretical, row.specified) if f is not None]
    errors = {}
    for index, bound in enumerate(("min", "max")):
        elemental, compound = elemental_mg[index], compound_mg[index]  # a dose of 0 has a message of its own
        if elemental:
            field, dose, least, most = f"dose_elemental_mg_{bound}", elemental, elemental, elemental
            message = ERROR_ELEMENTAL_IMPLAUSIBLE
        elif compound and fractions:
            field, dose, least, most = f"dose_compound_mg_{bound}", compound, compound * min(fractions), compound * max(fractions)
            message = ERROR_DOSE_IMPLAUSIBLE
        else:
            continue
        if most < low or least > high:
            errors[field] = ValidationError(message, code="dose_implausible", params={
                "dose": labels.compound_mass(dose), "element": labels.lower_first(element.name),
                "amount": labels.compound_span((least, most)), "side": "below" if most < low else "above",
                "low": labels.compound_mass(low), "high": labels.compound_mass(high)})
    return errors


def study_elemental_errors(compounds: Iterable[Compound], compound_mg: tuple[Decimal | None, Decimal | None],
                           elemental_mg: tuple[Decimal | None, Decimal | None]) -> dict[str, ValidationError]:
    """Refuse an elemental dose that the study's compounds cannot hold at its compound dose, by field.

    The elemental dose is the compound's magnesium (else its first element), as the dose alignment reads it: 255 mg
    "elemental" of 828 mg of MgO (499.3 mg) was saved, and a study of glycine took an elemental dose it has none of.
    Either fraction may be what a paper used, the formula's or the supplier's (Magtein: 8.25% or 7.2%)."""
    fields = ("dose_elemental_mg_min", "dose_elemental_mg_max")
    compounds = list(compounds)
    chosen = []
    for compound in compounds:
        try:
            rows = [row for row in compound_fraction_rows(compound) if row.nutrient.is_element]
        except FormulaParseError:
            continue
        magnesium = [row for row in rows if row.nutrient.slug == "magnesium"]
        if magnesium or rows:
            chosen.append((compound, (magnesium or rows)[0]))
    if all(e is None for e in elemental_mg):
        return _implausible_doses(chosen, compound_mg, elemental_mg) if chosen else {}
    if not chosen:
        # Without compounds, nothing holds the element either: 1,000 mg of nothing "with 50 mg elemental" was saved.
        message, code = ((ERROR_ELEMENTAL_WITHOUT_ELEMENT, "elemental_without_element") if compounds else
                         (ERROR_ELEMENTAL_WITHOUT_COMPOUND, "elemental_without_compound"))
        return {f: ValidationError(message, code=code) for f, e in zip(fields, elemental_mg) if e is not None}
    fractions = [f for _, row in chosen for f in (row.theoretical, row.specified) if f is not None]
    low_fraction, high_fraction = min(fractions), max(fractions)
    given = [c for c in compound_mg if c is not None]
    errors = {}
    for field, elemental, compound_dose in zip(fields, elemental_mg, (min(given, default=None), max(given, default=None))):
        if elemental is None or compound_dose is None or elemental > compound_dose:  # above: the model's own message
            continue
        low, high = compound_dose * low_fraction, compound_dose * high_fraction
        if low * (1 - ELEMENTAL_TOLERANCE) <= elemental <= high * (1 + ELEMENTAL_TOLERANCE):
            continue
        errors[field] = ValidationError(ERROR_ELEMENTAL_NOT_COMPOUND, code="elemental_not_compound", params={
            "compound": labels.compound_mass(compound_dose),
            "names": labels.listed([labels.lower_first(c.name) for c, _ in chosen], "or"),
            "expected": labels.compound_span((low, high)),
            "element": labels.lower_first(chosen[0][1].nutrient.name),
            "elemental": labels.compound_mass(elemental),
        })
    implausible = _implausible_doses(chosen, compound_mg, elemental_mg)
    return {**implausible, **errors}
