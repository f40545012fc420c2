"""Read the library: compound fractions (computed from formulas) and reference values for the engine."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache, reduce
from typing import Any

from django.db.models import Case, Model, Q, QuerySet, Value, When
from django.db.models.functions import Replace

from compounds.chemistry import (FormulaParseError, ParsedFormula, element_symbol, hydrate_in_brackets, parse_formula,
                                 release_check)
from compounds.models import (SPECIFIED_ABOVE_THEORY, Compound, CompoundNutrient, Market, Nutrient, Population,
                              ReferenceValue)
from formulator import engine, labels


@lru_cache(maxsize=2048)
def parsed_formula(formula: str) -> ParsedFormula:
    """Parse a formula once per process; formulas are immutable text, so caching is safe."""
    return parse_formula(formula)


# Memoised as parsed_formula is, which keeps what it reads but not what it refuses: the library list asks it of every row.
@lru_cache(maxsize=2048)
def formula_refused(formula: str) -> str | None:
    """The parser's message for a formula it refuses; None for one it reads, or none at all."""
    try:
        parsed_formula(formula) if formula else None
    except FormulaParseError as exc:
        return str(exc)
    return None


def formula_normalised(text: str) -> str | None:
    """A formula in the library's one spelling of hydrates whatever its spelling ("MgCl2.6H2O" is "MgCl2(H2O)6"); None
    for text the library does not read as a formula."""
    try:
        return parsed_formula(text).normalised
    except FormulaParseError:
        return None


def released_fraction(compound_formula: str, nutrient: Nutrient, units_per_formula: int | None) -> Decimal | None:
    """theoretical_fraction, once the formula is known to hold what it releases; FormulaParseError if it does not.

    An element nutrient must be in the formula (theoretical_fraction says so); a molecular one, its atoms other than
    hydrogen (release_check): the fraction of a weight ratio alone would give magnesium oxide 372% glycine.
    """
    fraction = theoretical_fraction(compound_formula, nutrient, units_per_formula)
    if fraction is not None and element_symbol(parsed_formula(nutrient.formula)) is None:
        release_check(parsed_formula(compound_formula), parsed_formula(nutrient.formula), units_per_formula or 1,
                      labels.lower_first(nutrient.name))
    return fraction


def theoretical_fraction(compound_formula: str, nutrient: Nutrient, units_per_formula: int | None) -> Decimal | None:
    """Return the stoichiometric mass fraction of a nutrient in a compound, or None without formulas."""
    if not compound_formula or not nutrient.formula:
        return None
    compound = parsed_formula(compound_formula)
    carried = parsed_formula(nutrient.formula)
    symbol = element_symbol(carried)
    if symbol is not None:
        return compound.element_fraction(symbol)
    return Decimal(units_per_formula or 1) * carried.molecular_weight / compound.molecular_weight


@dataclass(frozen=True)
class FractionRow:
    """One nutrient of a compound: both fractions, the deviation, and which one calculations use."""

    nutrient: Nutrient
    theoretical: Decimal | None
    specified: Decimal | None
    specified_source: str
    specified_url: str
    basis: engine.Basis
    used: Decimal

    @property
    def deviation(self) -> Decimal | None:
        """Specified minus theoretical, as a fraction (−0.0105 is −1.05 percentage points)."""
        if self.specified is None or self.theoretical is None:
            return None
        return self.specified - self.theoretical

    @property
    def deviation_is_notable(self) -> bool:
        """Flag deviations of more than half a percentage point or more than 5% relative."""
        deviation = self.deviation
        if deviation is None or self.theoretical is None:
            return False
        return abs(deviation) > Decimal("0.005") or abs(deviation) > self.theoretical * Decimal("0.05")


def fraction_row(link: CompoundNutrient, compound_formula: str) -> FractionRow | None:
    """The link's fractions; None where it has none to use: no supplier's fraction, and no formula that gives one."""
    # A formula saved before the parser refused it, or a nutrient it no longer holds as read now, gives no fraction: it
    # made every page with the compound a 500 (compound_formula_checks says why).
    # Asked first, as it is memoised: a refusal is parsed anew at every ask of theoretical_fraction, once a row.
    refused = formula_refused(compound_formula) is not None
    try:
        theoretical = None if refused else theoretical_fraction(compound_formula, link.nutrient, link.units_per_formula)
    except FormulaParseError:
        theoretical = None
    if link.specified_fraction is not None:
        # A supplier's figure beside a formula read no more is still the figure of a compound with a formula.
        by_formula = theoretical is not None or refused
        basis = engine.Basis.SPECIFIED if by_formula else engine.Basis.DECLARED
        used = link.specified_fraction
    elif theoretical is not None:
        basis, used = engine.Basis.THEORETICAL, theoretical
    else:
        return None
    return FractionRow(
        nutrient=link.nutrient,
        theoretical=theoretical,
        specified=link.specified_fraction,
        specified_source=link.specified_source,
        specified_url=link.specified_url,
        basis=basis,
        used=used,
    )


def compound_fraction_rows(compound: Compound) -> list[FractionRow]:
    """Return every nutrient a compound delivers; prefetch contributions__nutrient to avoid queries."""
    return [row for link in compound.contributions.all() if (row := fraction_row(link, compound.formula)) is not None]


# A chelate's fractions can add up to more than 100% (bisglycinate: 14.10% magnesium + 87.07% glycine): each nutrient
# is weighed as the free molecule the body gets, and a free amino acid has the hydrogen that magnesium replaced in the
# chelate. Without a word, such a table reads as an error.
MESSAGE_FRACTIONS_OVER_WHOLE = ("The fractions add up to {total}, more than the compound itself: {names} {verb} weighed "
                                "as the free molecule, which carries the hydrogen that {metals} {takes} the place of "
                                "in the compound.")


def fractions_over_whole(fractions: list[FractionRow]) -> str:
    """Why the fractions a compound's calculations use add up to more than the whole; "" when they do not."""
    total = sum((f.used for f in fractions), Decimal(0))
    if total <= 1:
        return ""
    # The element (magnesium, zinc) stands in the compound for the molecules' hydrogen: it is not one of them.
    metals = [labels.lower_first(f.nutrient.name) for f in fractions if f.nutrient.is_element]
    names = [labels.lower_first(f.nutrient.name) for f in fractions if not f.nutrient.is_element]
    return MESSAGE_FRACTIONS_OVER_WHOLE.format(
        total=labels.fraction_percent(total), names=labels.listed(names), verb="is" if len(names) == 1 else "are",
        metals=labels.listed(metals) or "the metal", takes="takes" if len(metals) < 2 else "take")


# Led by "Saved, but check" where it was saved, by "Check" in an import's preview, which saves nothing yet.
LEAD_SAVED = "Saved, but check"
LEAD_PREVIEW = "Check"

# Suppliers' figures run below the formula's (Magtein 7.2% against 8.25%; a hydrate sold under its anhydrous formula,
# about two thirds of it), rarely under half: a figure that far below is most likely a slip (0.0072 typed for 0.072),
# and every dose and limit of a product reads it. Said, not refused: the formula may be the one to correct.
SPECIFIED_FAR_BELOW = Decimal("0.5")
MESSAGE_SPECIFIED_FAR_BELOW = ("{lead}: {compound}'s specified {specified} {nutrient} is less than half the "
                               "{theoretical} its formula {formula} holds, and products' doses and limits read it. A "
                               "percentage divided by 100 twice reads so (0.0072 for 0.072); if the material is a "
                               "hydrate or a blend, give the formula it has.")


def compound_specified_far_below(compound: Compound, lead: str = LEAD_SAVED) -> list[str]:
    """What is implausible about the compound's specified fractions beside its formula's, one message a nutrient."""
    if not compound.formula:
        return []
    said = []
    for link in compound.contributions.select_related("nutrient").filter(specified_fraction__isnull=False):
        row = fraction_row(link, compound.formula)
        if row is not None and row.theoretical is not None and row.specified is not None and row.specified < row.theoretical * SPECIFIED_FAR_BELOW:
            said.append(MESSAGE_SPECIFIED_FAR_BELOW.format(
                lead=lead, compound=compound.name, specified=labels.fraction_percent(row.specified),
                nutrient=labels.lower_first(row.nutrient.name), theoretical=labels.fraction_percent(row.theoretical),
                formula=compound.formula))
    return said


# Formulas that parse, but as no supplement's: a capital I for chlorine's small l ("MgCI2", read as carbon and iodine:
# 8.38% magnesium for 25.53%), a digit 1 for it ("MgC12", twelve carbons), both saved without a word.
MESSAGE_FORMULA_CI = ("{lead}: {compound}'s formula {formula} reads “CI” as carbon and iodine. Chlorine is Cl, with a "
                      "small L (MgCl2).")
MESSAGE_FORMULA_BARE_CARBON = ("{lead}: {compound}'s formula {formula} holds carbon with neither hydrogen nor oxygen, "
                               "as no supplement ingredient does. Chlorine is Cl, with a small L (MgCl2, not MgC12).")
# A zero typed for the letter O inside a count: "C4H8MgN204" (the bisglycinate's N2O4) weighed 2,937.78 g/mol, 0.83%
# magnesium for 14.10%, and "Mg3(C6H507)2" 5.89% for 16.16%. Said, not refused: a lipid may hold 104 hydrogens.
MESSAGE_FORMULA_ZERO_INSIDE = ("{lead}: {compound}'s formula {formula} counts {count} {element} atoms. If a 0 (zero) was "
                               "typed for the letter O, write {suggested}.")
_ZERO_INSIDE = re.compile(r"([A-Z][a-z]?)([1-9])0([1-9])(?!\d)")


# Two compounds of one formula: designs with either are not counted as the same ingredient, and a supplier's fraction
# or a price set on one is missing from the other. The same spelling or another ("MgCl2.6H2O", "MgCl2·6H2O").
MESSAGE_SAME_FORMULA = ("{lead}: {compound} has the formula of {others} ({formula}). If it is the same material, use "
                        "that compound instead of two.")


def formula_doubts(formula: str, name: str, lead: str) -> list[str]:
    """Say what in a formula that parses looks like a slip of the keyboard, naming it as `name`'s formula."""
    try:
        atoms = parsed_formula(formula).atoms
    except FormulaParseError:
        return []  # refused by its own check
    said = []
    if re.search(r"CI(?![a-z])", formula):
        said.append(MESSAGE_FORMULA_CI.format(lead=lead, compound=name, formula=formula))
    elif "C" in atoms and "H" not in atoms and "O" not in atoms:
        said.append(MESSAGE_FORMULA_BARE_CARBON.format(lead=lead, compound=name, formula=formula))
    if found := _ZERO_INSIDE.search(formula):
        symbol, before, after = found.groups()
        said.append(MESSAGE_FORMULA_ZERO_INSIDE.format(
            lead=lead, compound=name, formula=formula, count=f"{before}0{after}",
            element=symbol, suggested=_ZERO_INSIDE.sub(r"\1\2O\3", formula)))
    return said


def compound_formula_doubts(compound: Compound, lead: str = LEAD_SAVED,
                            formulas: dict[int, str] | None = None) -> list[str]:
    """What is doubtful about a compound's formula, which parses: a slip of the keyboard, or another compound's."""
    if not compound.formula:
        return []
    try:
        atoms = parsed_formula(compound.formula).atoms
    except FormulaParseError:
        return []  # refused by its own check
    said = formula_doubts(compound.formula, compound.name, lead)
    # `formulas` (compound_formulas) is an import's, kept as its rows are saved: each row reading every compound made a
    # preview grow with the square of its rows (500 new compounds read 136,750). Only the alike are read, for their names.
    same_ids = []
    for pk, formula in (compound_formulas() if formulas is None else formulas).items():
        try:
            if pk != compound.pk and formula and parsed_formula(formula).atoms == atoms:
                same_ids.append(pk)
        except FormulaParseError:
            continue
    same = list(Compound.objects.filter(pk__in=same_ids).order_by("name").values_list("name", flat=True)) if same_ids else []
    if same:
        said.append(MESSAGE_SAME_FORMULA.format(lead=lead, compound=compound.name, others=labels.listed(same),
                                                formula=compound.formula))
    return said


# Saved before the parser refused it ("MgS04·7H2O", "Mg(0H)2", "(MgCl2·6H2O)2"), a formula made the library's list, the
# compound's page and every product with it a 500.
MESSAGE_FORMULA_REFUSED = ("{lead}: {compound}'s formula {formula} was saved before the library refused it: {reason} "
                           "Until it is corrected, no molecular weight or fraction is worked out from it, and products "
                           "with it count only what a supplier's specified fraction gives.")
# "(MgCl2·6H2O)" was weighed as (MgCl2(H2O))6, 21.47% magnesium, until the parser read it as the hexahydrate's 11.96%:
# nothing worked out from it is stored, so products changed with it, unsaid.
MESSAGE_FORMULA_READ_ANEW = ("{lead}: {compound}'s formula {formula} is read as the hydrate in its brackets, "
                             "{normalised}. If it was saved before the library read it so, it was weighed then as the salt "
                             "with its water taken as many times as the water's count, and products' figures were other "
                             "then. Write it without the brackets, {within}.")
# A supplier's figure was checked against the formula as read when it was saved; read otherwise now, it may be more
# than the pure compound holds (20% saved against (MgCl2(H2O))6's 21.47%, beside the hexahydrate's 11.96%).
MESSAGE_SPECIFIED_ABOVE_FORMULA = ("{lead}: {compound}'s specified {specified} {nutrient} is more than its formula "
                                   "{formula} holds as the library reads it now ({theoretical}), and no material assays "
                                   "above its pure compound. Products count the specified figure: check it, or the "
                                   "formula.")
MESSAGE_LINK_NOT_IN_FORMULA = ("{lead}: {compound} is linked to {nutrient}, which its formula {formula} does not give as "
                               "the library reads it now: {reason} Products count {nutrient} from it only at a "
                               "supplier's specified fraction.")
# Marks a compound compound_formula_checks says something of, where a list has no room for what it says.
FORMULA_NEEDS_CHECK = "Formula needs checking"
MESSAGE_LIBRARY_CHECKED = "{count} compounds checked: every formula is read, and the figures saved with it agree."
MESSAGE_LIBRARY_NEEDS_CHECK = "{count} of {total} compounds need their formula checked:"


def compound_formula_checks(compound: Compound, lead: str = LEAD_PREVIEW) -> list[str]:
    """Say where a compound's saved formula is refused now, or read otherwise than its saved figures were checked
    against; prefetch contributions__nutrient to avoid queries."""
    if not compound.formula:
        return []
    reason = formula_refused(compound.formula)
    if reason is not None:
        return [MESSAGE_FORMULA_REFUSED.format(lead=lead, compound=compound.name, formula=compound.formula, reason=reason)]
    said = []
    within = hydrate_in_brackets(compound.formula)
    if within is not None:
        said.append(MESSAGE_FORMULA_READ_ANEW.format(lead=lead, compound=compound.name, formula=compound.formula,
                                                     normalised=parsed_formula(compound.formula).normalised, within=within))
    for link in compound.contributions.all():
        nutrient = labels.lower_first(link.nutrient.name)
        try:
            theoretical = released_fraction(compound.formula, link.nutrient, link.units_per_formula)
        except FormulaParseError as exc:
            said.append(MESSAGE_LINK_NOT_IN_FORMULA.format(lead=lead, compound=compound.name, nutrient=nutrient,
                                                           formula=compound.formula, reason=exc))
            continue
        specified = link.specified_fraction
        if theoretical is not None and specified is not None and specified > theoretical * SPECIFIED_ABOVE_THEORY:
            said.append(MESSAGE_SPECIFIED_ABOVE_FORMULA.format(
                lead=lead, compound=compound.name, specified=labels.fraction_percent(specified), nutrient=nutrient,
                formula=compound.formula, theoretical=labels.fraction_percent(theoretical)))
    return said


@dataclass(frozen=True)
class RefusedFormula:
    """A compound's saved formula the parser refuses now, and the nutrients it is linked to, by whether a supplier's
    fraction stands in for the formula's."""

    reason: str
    uncounted: tuple[str, ...]  # names, lower first: no fraction at all without the formula
    specified: tuple[str, ...]


def compound_formula_refused(compound: Compound) -> RefusedFormula | None:
    """What a product with the compound counts of it while the parser refuses its saved formula; None if it reads it."""
    reason = formula_refused(compound.formula)
    if reason is None:
        return None
    links = list(compound.contributions.all())
    return RefusedFormula(
        reason=reason,
        uncounted=tuple(labels.lower_first(l.nutrient.name) for l in links if l.specified_fraction is None),
        specified=tuple(labels.lower_first(l.nutrient.name) for l in links if l.specified_fraction is not None),
    )


def compounds_needing_check() -> list[tuple[Compound, list[str]]]:
    """Every compound whose saved formula needs checking (compound_formula_checks), with what is said of it."""
    found = [(compound, compound_formula_checks(compound)) for compound in compound_list()]
    return [(compound, said) for compound, said in found if said]


def compound_formulas() -> dict[int, str]:
    """Read every compound's formula by its id, those without one left out (formula_matches, compound_formula_doubts)."""
    return dict(Compound.objects.exclude(formula="").values_list("pk", "formula"))


# A formula changed changes every design with the compound (L-threonate given its dihydrate: 8.25% magnesium became
# 7.35%), and the preview of an import showed only the text of the formula changed.
MESSAGE_FRACTIONS_CHANGED = ("{compound} {gives} by its formula {new} (was {old}): {changes}. Every design with it changes "
                             "with it, where no supplier's fraction stands in.")


def compound_fractions_changed(compound: Compound, old_formula: str, saved: bool = True) -> str | None:
    """What a compound's new formula changes in the fractions it gives by formula, in words; None if nothing."""
    if not old_formula or not compound.formula or old_formula == compound.formula:
        return None
    changes = []
    for link in compound.contributions.select_related("nutrient"):
        try:
            old = theoretical_fraction(old_formula, link.nutrient, link.units_per_formula)
            new = theoretical_fraction(compound.formula, link.nutrient, link.units_per_formula)
        except FormulaParseError:
            return None  # the formula's own check says what is wrong with it
        if old != new:
            changes.append(f"{labels.lower_first(link.nutrient.name)} "
                           f"{labels.fraction_percent(new) if new is not None else 'none'} "
                           f"(was {labels.fraction_percent(old) if old is not None else 'none'})")
    if not changes:
        return None
    return MESSAGE_FRACTIONS_CHANGED.format(compound=compound.name, gives="now gives" if saved else "would give",
                                            new=compound.formula, old=old_formula, changes="; ".join(changes))


def compound_contributions(compound: Compound) -> tuple[engine.Contribution, ...]:
    """Return the engine's view of a compound: the fraction it will use for each nutrient."""
    return tuple(
        engine.Contribution(nutrient=row.nutrient.slug, fraction=row.used, basis=row.basis, theoretical=row.theoretical)
        for row in compound_fraction_rows(compound)
    )


def nutrient_formula_links(nutrient: Nutrient) -> QuerySet[CompoundNutrient]:
    """The links of an element nutrient that its formula made and no curator added to: no supplier fraction or source.

    A molecular nutrient's links are a curator's (how many units a formula releases): none of them.
    """
    if not nutrient.is_element:
        return CompoundNutrient.objects.none()
    return CompoundNutrient.objects.filter(nutrient=nutrient, specified_fraction__isnull=True, specified_source="",
                                           specified_url="")


def compound_molecular_weight(compound: Compound) -> Decimal | None:
    """The compound's molecular weight; None without a formula, or with one the parser refuses (saved before it did)."""
    return None if formula_refused(compound.formula) or not compound.formula else parsed_formula(compound.formula).molecular_weight


def formula_matches(query: str) -> list[int] | None:
    """The compounds whose formula has the composition of the query, if it reads as a whole formula; else None.

    Hydrates are spelt many ways ("MgCl2.6H2O", "MgCl2 6H2O", "MgCl2(H2O)6", "MgCl2·6H2O"): compared as parsed, any
    spelling finds the compound, and "MgO" finds magnesium oxide, not every formula with "MgO" in it (C8H14MgO10).
    """
    if not query[:1].isupper():  # names and synonyms ("Magnesium", "Boost") are not formulas, whatever the parser says
        return None
    try:
        wanted = parsed_formula(query).hill
    except FormulaParseError:
        return None
    found = []
    for pk, formula in compound_formulas().items():
        try:
            if parsed_formula(formula).hill == wanted:
                found.append(pk)
        except FormulaParseError:
            pass  # named where the compound is shown, not in every search
    return found


# Trade marks are no part of a name as the library writes it: the seeds write "Magtein®".
_TRADE_MARKS = str.maketrans("", "", "®™©")


def _search_words(query: str) -> list[str]:
    """The words of a search as names are written: "Mg" is magnesium, as labels and the seeds abbreviate it ("Mg
    Oxide", "Mg L-Threonate"), and a hyphen parts words as a space does ("magnesium-l-threonate", "5 htp")."""
    return ["magnesium" if word.lower() == "mg" else word for word in re.split(r"[\s-]+", query) if word]


def _named(text: str) -> Q:
    return Q(name__icontains=text) | Q(synonyms__icontains=text) | Q(grade__icontains=text) | Q(supplier__icontains=text)


def _without_parting(field: str) -> Replace:
    """A text field with its hyphens and spaces taken out: "5-HTP" as "5HTP"."""
    return Replace(Replace(field, Value("-"), Value("")), Value(" "), Value(""))


def compound_list(query: str = "") -> QuerySet[Compound]:
    """Compounds with their nutrients, optionally filtered by name, synonym, formula, grade or supplier, best match
    first; a search of several words finds the compounds that have each of them."""
    compounds = Compound.objects.prefetch_related("contributions__nutrient")
    query = query.translate(_TRADE_MARKS).strip()
    if query:
        by_formula = formula_matches(query)
        # A whole formula finds the compounds of that composition; a part of one ("MgCl", while typing) finds the
        # formulas it is part of.
        formula = Q(pk__in=by_formula) if by_formula else Q(formula__icontains=query)
        words = _search_words(query)
        each_word = reduce(operator.and_, map(_named, words)) if words != [query] else Q(pk__in=[])
        # Written without its hyphen or space, a name is found too: "5htp" found nothing, "5 htp" 5-HTP.
        joined = re.sub(r"[\s-]+", "", query)
        run_together = Q(name_joined__icontains=joined) | Q(synonyms_joined__icontains=joined) if joined else Q(pk__in=[])
        compounds = compounds.alias(name_joined=_without_parting("name"), synonyms_joined=_without_parting("synonyms"))
        compounds = compounds.filter(_named(query) | formula | each_word | run_together).annotate(
            # What the query names comes first.
            match_rank=Case(
                When(Q(name__iexact=query) | Q(formula__iexact=query) | Q(pk__in=by_formula or []), then=0),
                When(name__istartswith=query, then=1),
                When(name__icontains=query, then=2),
                When(synonyms__icontains=query, then=3),
                default=4,
            )
        ).order_by("match_rank", *Compound._meta.ordering)
    return compounds


# Populations from the youngest: by code, "adult" would come first and "infant" after the children.
POPULATIONS_BY_AGE = (Population.INFANT, Population.CHILD_1_3, Population.CHILD_4_8, Population.CHILD_9_13,
                      Population.TEEN_14_18, Population.ADULT, Population.PREGNANCY, Population.LACTATION)


def reference_value_list() -> QuerySet[ReferenceValue]:
    """Reference values by nutrient, market (as the safety tables list them: US, EU, CA, AU-NZ, DE) and kind, then
    population from the youngest, with their nutrients."""
    age = Case(*(When(population=code, then=Value(i)) for i, code in enumerate(POPULATIONS_BY_AGE)),
               default=Value(len(POPULATIONS_BY_AGE)))
    market = Case(*(When(market=code, then=Value(i)) for i, code in enumerate(Market.values)), default=Value(len(Market)))
    return ReferenceValue.objects.select_related("nutrient").alias(age=age, market_rank=market).order_by(
        "nutrient__label_order", "market_rank", "market", "kind", "age", "sex", "per", "pk")


def reference_inputs(nutrient_slugs: Iterable[str] | None = None) -> list[engine.Reference]:
    """Load reference values as the engine's plain records, in one query and without model instances."""
    values = ReferenceValue.objects.all()
    if nutrient_slugs is not None:
        values = values.filter(nutrient__slug__in=list(nutrient_slugs))
    fields = ["nutrient__slug", "kind", "market", "population", "amount_mg", "per", "covers", "source_citation",
              "qualifier", "source_url", "sex", "food_only", "label_significance", "nutrient__label_unit"]
    references = [reference_input(row) for row in values.values(*fields)]
    by_nutrient: dict[str, list[engine.Reference]] = {}
    for reference in references:
        by_nutrient.setdefault(reference.nutrient, []).append(reference)
    # Each reference carries its nutrient's amount step (labels.nutrient_step), worked out from them all.
    steps = {slug: labels.nutrient_step(refs) for slug, refs in by_nutrient.items()}
    return [replace(r, amount_step=steps[r.nutrient]) for r in references]


def reference_input(row: dict[str, Any]) -> engine.Reference:
    qualifier = row["qualifier"]
    if row["sex"] != ReferenceValue.Sex.ANY:
        sex = ReferenceValue.Sex(row["sex"]).label.lower()
        qualifier = f"{sex}, {qualifier}" if qualifier else sex
    return engine.Reference(
        nutrient=row["nutrient__slug"],
        kind=engine.Kind(row["kind"]),
        market=row["market"],
        population=row["population"],
        amount_mg=row["amount_mg"],
        per=engine.Per(row["per"]),
        covers=row["covers"],
        source=row["source_citation"],
        qualifier=qualifier,
        url=row["source_url"],
        food_only=row["food_only"],
        sex=row["sex"],
        significance=row["label_significance"],
        unit=row["nutrient__label_unit"],
    )


@dataclass(frozen=True)
class LinkChange:
    """One recorded change of a compound's nutrient link, as its history page lists it."""

    nutrient_name: str
    specified_text: str  # "7.20%", or what stands in for none
    specified_source: str
    units_per_formula: int | None
    history_date: Any
    history_type: str
    history_user: Any

    def get_history_type_display(self) -> str:
        return {"+": "Created", "~": "Changed", "-": "Deleted"}.get(self.history_type, self.history_type)


NO_SPECIFIED_FRACTION = "none: the formula's"


def compound_link_history(compound_id: Any) -> list[LinkChange]:
    """The recorded changes of a compound's nutrient links, newest first: who changed a specified fraction, and when."""
    records = (CompoundNutrient.history.filter(compound_id=compound_id)  # type: ignore[attr-defined]
               .select_related("history_user").order_by("-history_date", "-history_id"))
    names = dict(Nutrient.objects.values_list("id", "name"))
    return [
        LinkChange(
            nutrient_name=names.get(r.nutrient_id, f"nutrient {r.nutrient_id} (deleted)"),
            specified_text=NO_SPECIFIED_FRACTION if r.specified_fraction is None else labels.fraction_percent(r.specified_fraction),
            specified_source=r.specified_source, units_per_formula=r.units_per_formula, history_date=r.history_date,
            history_type=r.history_type, history_user=r.history_user,
        )
        for r in records
    ]


def records_deleted(model: type[Model]) -> QuerySet[Any]:
    """The last recorded version of each of the model's records deleted and not recovered since, newest first."""
    history = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
    # Latest of each before the deletions are picked out: a record recovered since has a later version than its "-".
    return (history.all().latest_of_each().filter(history_type="-")
            .exclude(**{f"{model._meta.pk.attname}__in": model._default_manager.values("pk")})
            .select_related("history_user").order_by("-history_date", "-history_id"))


def compound_links_changed_since(compound: Compound, version_id: Any) -> list[str]:
    """How the compound's nutrient links now differ from what they were at one of its recorded versions, in words:
    "magnesium: specified 7.50% (CoA lot 9) now, specified 7.20% (Magtein) in that version"."""
    at = compound.history.get(history_id=version_id).history_date  # type: ignore[attr-defined]
    then = {link.nutrient_id: link for link in CompoundNutrient.history.as_of(at).filter(compound_id=compound.pk)}  # type: ignore[attr-defined]
    changes = []
    for link in compound.contributions.select_related("nutrient").order_by("nutrient__label_order", "nutrient__name"):
        old = then.get(link.nutrient_id)
        now_text = _specified_text(link.specified_fraction, link.specified_source)
        old_text = "no link" if old is None else _specified_text(old.specified_fraction, old.specified_source)
        if old is None or (old.specified_fraction, old.specified_source, old.units_per_formula) != (
                link.specified_fraction, link.specified_source, link.units_per_formula):
            changes.append(f"{labels.lower_first(link.nutrient.name)}: {now_text} now, {old_text} in that version")
    return changes


def _specified_text(fraction: Any, source: str) -> str:
    if fraction is None:
        return NO_SPECIFIED_FRACTION
    return f"specified {labels.fraction_percent(fraction)}" + (f" ({source})" if source else "")


def compound_studies_disagreeing(compound: Compound) -> list[str]:
    """The keys of the compound's studies whose elemental dose its saved formula and fractions cannot hold."""
    from evidence.services import study_elemental_errors  # the evidence builds on the library

    keys = []
    for study in compound.studies.prefetch_related("compounds__contributions__nutrient").order_by("key"):
        doses = (study.dose_compound_mg_min, study.dose_compound_mg_max)
        elemental = (study.dose_elemental_mg_min, study.dose_elemental_mg_max)
        if study_elemental_errors(study.compounds.all(), doses, elemental):
            keys.append(study.key)
    return keys


# One nutrient's values of a sort span about eight-fold in the library (magnesium's limits: 65 mg for children 1-3 to
# Canada's 500 mg), B6's limits 45-fold; a value ten times outside them is most likely a unit slip: 350 g of magnesium
# a day for 350 mg, 0.35 mg for 350.
OUTLIER_FACTOR = Decimal(10)
OUTLIER_SPREAD = Decimal(100)  # a recorded value this far from the middle of its sort is itself a slip
MESSAGE_REFERENCE_HIGH = ("{lead} the amount of the {market} {kind} for {population}: {amount} mg is more than "
                          "ten times the highest {sort} recorded for {nutrient} ({low} to {high} mg). An amount in mcg "
                          "typed as mg reads so.")
MESSAGE_REFERENCE_LOW = ("{lead} the amount of the {market} {kind} for {population}: {amount} mg is less than "
                         "a tenth of the lowest {sort} recorded for {nutrient} ({low} to {high} mg). An amount in g "
                         "typed as mg reads so.")

# A limit a dose above the same market's limit a day for the same people: a dose is part of a day, so one of the two
# is a slip (Germany's 125 mg a dose typed 1,250 is within ten times the other limits, and was taken without a word).
MESSAGE_DOSE_ABOVE_DAY = ("{lead} the amount of the {market} {kind} a dose for {population}: {amount} mg is more than "
                          "the {market} limit a day for them, {other} mg, and a dose is part of a day.")
MESSAGE_DAY_BELOW_DOSE = ("{lead} the amount of the {market} {kind} a day for {population}: {amount} mg is less than "
                          "the {market} limit a dose for them, {other} mg, and a dose is part of a day.")


def _dose_day_conflict(value: ReferenceValue, lead: str) -> str | None:
    """A limit a dose above the market's limit a day for the same nutrient and people, or a day's below a dose's."""
    if value.kind not in engine.LIMIT_KINDS:
        return None
    others = ReferenceValue.objects.filter(
        nutrient_id=value.nutrient_id, market=value.market, population=value.population, kind__in=engine.LIMIT_KINDS,
        amount_mg__isnull=False).exclude(pk=value.pk).exclude(per=value.per)
    if value.sex != ReferenceValue.Sex.ANY:
        others = others.filter(sex__in=[value.sex, ReferenceValue.Sex.ANY])
    dose = value.per == ReferenceValue.Per.DOSE
    amounts = list(others.values_list("amount_mg", flat=True))
    other = min(amounts, default=None) if dose else max(amounts, default=None)
    if other is None or (value.amount_mg <= other if dose else value.amount_mg >= other):
        return None
    return (MESSAGE_DOSE_ABOVE_DAY if dose else MESSAGE_DAY_BELOW_DOSE).format(
        lead=lead, market=value.market, kind=value.kind, population=value.get_population_display().lower(),
        amount=labels.plain_number(value.amount_mg), other=labels.plain_number(other))


# The same people's values of a sort in other markets agree within a few times (magnesium's adult limits: 250 to 350 mg;
# B6's: 12 to 100 mg): ten times one of them is a slip the nutrient's whole range hides (3,500 mg for the US adults' 350,
# within ten times children's 65 to Canada's 500 mg; 3,000 mg for the EU's children 1-3, whom the US gives 65 mg).
MESSAGE_MARKETS_HIGH = ("{lead} the amount of the {market} {kind} for {population}: {amount} mg is ten times or more "
                        "the middle of the other markets' {sorts} for them, {middle} mg ({others}). A slipped digit "
                        "reads so.")
MESSAGE_MARKETS_LOW = ("{lead} the amount of the {market} {kind} for {population}: {amount} mg is a tenth or less of "
                       "the middle of the other markets' {sorts} for them, {middle} mg ({others}). A slipped digit "
                       "reads so.")


def _across_markets(value: ReferenceValue, lead: str) -> str | None:
    """What is implausible about a value's amount beside the same people's values of its sort in other markets."""
    limit = value.kind in engine.LIMIT_KINDS
    others = ReferenceValue.objects.filter(nutrient_id=value.nutrient_id, population=value.population, per=value.per,
                                           amount_mg__isnull=False).exclude(market=value.market)
    others = others.filter(kind__in=engine.LIMIT_KINDS) if limit else others.exclude(kind__in=engine.LIMIT_KINDS)
    if value.sex != ReferenceValue.Sex.ANY:
        others = others.filter(sex__in=[value.sex, ReferenceValue.Sex.ANY])
    found = list(others.order_by("amount_mg", "market", "kind"))
    if not found:
        return None
    # Their middle, not the highest: Canada's 500 mg monograph maximum hid 3,500 mg for the US adults' 350.
    middle = found[len(found) // 2].amount_mg
    if value.amount_mg >= middle * OUTLIER_FACTOR:
        message = MESSAGE_MARKETS_HIGH
    elif value.amount_mg * OUTLIER_FACTOR <= middle:
        message = MESSAGE_MARKETS_LOW
    else:
        return None
    return message.format(
        lead=lead, market=value.market, kind=value.kind, population=value.get_population_display().lower(),
        amount=labels.plain_number(value.amount_mg), sorts="limits" if limit else "intake references",
        middle=labels.plain_number(middle), others=", ".join(f"{o.market} {o.kind} {labels.plain_number(o.amount_mg)} mg" for o in found))


# A nutrient labelled in mcg has its values in mg too: vitamin D's DV of 20 mcg typed 20 was saved as 20,000 mcg, and as
# its first value there was no other to compare it with. No such nutrient's reference reaches 5 mg (iodine's UL: 1.1 mg).
MCG_NUTRIENT_IMPLAUSIBLE_MG = Decimal(5)
MESSAGE_MCG_AS_MG = ("{lead} the amount of the {market} {kind} for {population}: {amount} mg is {mcg} mcg of {nutrient}, "
                     "which is labelled in mcg. An amount in mcg typed as mg reads so: 20 mcg is 0.02 mg.")


def _mcg_typed_as_mg(value: ReferenceValue, lead: str) -> str | None:
    """An amount of a nutrient labelled in mcg that no reference of such a nutrient reaches."""
    if value.nutrient.label_unit != Nutrient.LabelUnit.MCG or value.amount_mg < MCG_NUTRIENT_IMPLAUSIBLE_MG:
        return None
    return MESSAGE_MCG_AS_MG.format(lead=lead, market=value.market, kind=value.kind,
                                    population=value.get_population_display().lower(),
                                    amount=labels.plain_number(value.amount_mg),
                                    mcg=labels.plain_number(value.amount_mg * 1000), nutrient=labels.lower_first(value.nutrient.name))


def reference_value_outlier(value: ReferenceValue, lead: str = LEAD_SAVED) -> str | None:
    """What is implausible about a value's amount beside the nutrient's other values of its sort (limits, or intake
    references), the same people's in other markets, or the market's limit a day or a dose for the same people, in
    words; None if nothing, or if it has no amount or they have none."""
    if value.amount_mg is None:
        return None
    # Both, where both hold: 125,000 mg a dose (mcg typed as mg) is above the day's limit and needs its unit checked.
    # The markets' check only where the nutrient's range has not said it: one slip, one warning.
    said = [m for m in (_dose_day_conflict(value, lead),
                        _mcg_typed_as_mg(value, lead) or _outlier(value, lead) or _across_markets(value, lead)) if m]
    return " ".join(said) or None


def _outlier(value: ReferenceValue, lead: str) -> str | None:
    """What is implausible about a value's amount beside the nutrient's other values of its sort."""
    others = ReferenceValue.objects.filter(nutrient_id=value.nutrient_id, amount_mg__isnull=False).exclude(pk=value.pk)
    limit = value.kind in engine.LIMIT_KINDS
    others = others.filter(kind__in=engine.LIMIT_KINDS) if limit else others.exclude(kind__in=engine.LIMIT_KINDS)
    amounts = sorted(others.values_list("amount_mg", flat=True))
    if not amounts:
        return None
    # Not counting those far from the others' middle: one slip saved despite its warning (350,000 mg) widened the
    # range every later value was checked against to "65 to 350,000 mg".
    middle = amounts[len(amounts) // 2]
    kept = [a for a in amounts if middle / OUTLIER_SPREAD <= a <= middle * OUTLIER_SPREAD] or amounts
    low, high = kept[0], kept[-1]
    if value.amount_mg > high * OUTLIER_FACTOR:
        message = MESSAGE_REFERENCE_HIGH
    elif value.amount_mg * OUTLIER_FACTOR < low:
        message = MESSAGE_REFERENCE_LOW
    else:
        return None
    return message.format(lead=lead, market=value.market, kind=value.kind, population=value.get_population_display().lower(),
                          amount=labels.plain_number(value.amount_mg), sort="limit" if limit else "intake reference",
                          nutrient=labels.lower_first(value.nutrient.name), low=labels.plain_number(low),
                          high=labels.plain_number(high))
