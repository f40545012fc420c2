"""Label panels: the US Supplement Facts panel (21 CFR 101.36) and the EU food supplement table.

Every amount comes from the engine through the report; every rounding goes through formulator.labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from compounds.models import Compound, Nutrient, Population
from formulator import engine, labels, presenters
from formulator.models import Product
from formulator.reports import ProductReport, exclusions_in_words

K = TypeVar("K")  # what tells ingredients apart: a compound's slug, or None for a formula

DAGGER = "†"
DAGGER_FOOTNOTE = "† Daily Value not established."
# The recommended daily portion, after its number of units: a whole number of servings is taken so many times a
# day; a fraction of servings a day cannot be, so it is said as the share of servings it is.
PORTION_TIMES = "{portion} ({serving}, {servings} times a day)"
PORTION_HALF = "{portion} (half a serving of {serving})"
PORTION_SERVINGS = "{portion} ({servings} servings of {serving})"
# Beside a label for a market whose limit the design is over: a label rounds (250.4 mg prints "250 mg"), and however
# it rounds, a design over the limit must not go to print there.
LABEL_OVER_LIMIT = "Over {limits}: not for sale there as designed, whatever the rounded amounts below say."
LABEL_OVER_MARKET = "the {market} limit for {nutrient} ({over})"
LABEL_OVER_MARKET_LIMITS = "the {market} limits for {nutrient} ({over})"  # a day's and a dose's
LABEL_OVER_ITEM = "{amount} a {per} with overage, against {limit}"
# Beside a label for a market whose law excludes an ingredient for the design's population: a clean label there
# looked ready to print while the sheet's head said the design could not be approved.
LABEL_EXCLUDED = "{excluded} Not for sale there as designed."
# The serving size is the label's first line: Recover's "2 Capsules" of 1,000 mg each (175% of a size 00) went out with
# no word of it on the panel.
LABEL_DOES_NOT_FIT = ("The serving does not fit in {capsules} (the serving size below): it needs {needed} at no more than "
                      "95% fill. Not to be made as designed.")
# A US DV recorded for other populations but not the design's: the panel would call the nutrient's Daily Value "not
# established", which the CFR may well establish (vitamin A for children 4-8, entered for adults only).
LABEL_NO_DV_FOR_POPULATION = ("No US Daily Value is recorded for {nutrients} for {population}, though one is for others: "
                              "the panel below marks {them} “Daily Value not established”. Record the value for this "
                              "population before printing.")
# The EU's alike: a children 1-3 table read "—" for magnesium's %NRV, as for glycine, which has none, without a word.
LABEL_NO_NRV_FOR_POPULATION = ("No EU NRV is recorded for {nutrients} for {population}, though one is for others: the "
                               "table below gives {them} no %NRV. Record the value for this population before printing.")
# The markets a label is sold in: the EU's is Germany's too, with the BfR's lower limits.
LABEL_MARKETS = {"US": ("US",), "EU": ("EU", "DE")}
# An ingredient the EU authorises for some consumers only (L-threonate: adults, not in pregnancy or lactation, Reg. (EU)
# 2024/2694) carries its conditions of use to the label: the table bore the general statements alone.
LABEL_NOT_FOR = "Not to be consumed by {consumers} ({compound}: its conditions of use in the EU)."
CONSUMERS = {Population.INFANT: "infants", Population.CHILD_1_3: "children", Population.CHILD_4_8: "children",
             Population.CHILD_9_13: "children", Population.TEEN_14_18: "adolescents",
             Population.PREGNANCY: "pregnant women", Population.LACTATION: "lactating women", Population.ADULT: "adults"}
EU_STATEMENTS = (
    "Food supplement.",
    "Do not exceed the recommended daily dose.",
    "Food supplements should not be used as a substitute for a varied diet.",
    "Keep out of reach of young children.",
)


@dataclass(frozen=True)
class PanelRow:
    name: str
    amount: str
    percent_dv: str
    amount_day: str = ""
    percent_dv_day: str = ""
    components: str = ""  # a proprietary blend's ingredients, in descending order of weight


@dataclass(frozen=True)
class SupplementFacts:
    serving_size: str
    servings_per_container: int
    per_day_column: bool
    servings_per_day: str
    rows: tuple[PanelRow, ...]
    dagger_footnote: bool
    other_ingredients: str  # the ingredient statement: sources the panel does not name, then the design's own
    not_declared: tuple[str, ...]  # vitamins and minerals under 2% of their DV
    warning: str = ""  # label_warning's


@dataclass(frozen=True)
class EuRow:
    name: str
    amount: str
    percent_nrv: str


@dataclass(frozen=True)
class EuTable:
    daily_portion: str
    rows: tuple[EuRow, ...]
    statements: tuple[str, ...]
    warning: str = ""  # label_warning's


def label_warning(report: ProductReport, label: str) -> str:
    """What a label (US, EU) must carry beside it while the design is over a limit of a market it is sold in, has an
    ingredient that market's law excludes for its population, or a serving that does not fit its capsules; "" if none."""
    return label_warning_of(report.safety, report.interactions, report.markets, label, report.fill, report.capsule_size)


def label_warning_of(safety: Sequence[presenters.SafetyRow], interactions: Sequence[presenters.InteractionRow],
                     markets: Sequence[str], label: str, fill: engine.CapsuleFill | None = None, capsule_size: str = "") -> str:
    """label_warning of a design's safety rows, interactions and capsule fill: the calculator has no report."""
    limits = []
    for market in LABEL_MARKETS[label]:
        over: dict[str, list[str]] = {}  # by nutrient: Germany's day and dose limits are both magnesium's
        rows = [row for row in safety
                if row.about.market == market and row.governs and row.status == engine.Status.OVER]
        # One amount is written alike in one sentence, with the decimals its nearest limit needs: a serving that is
        # the whole day read "250.4 mg a day ...; 250 mg a dose" beside Germany's 250 mg a day and 125 mg a dose.
        texts: dict[tuple[str, Decimal], str] = {}
        for row in rows:
            key = (row.about.nutrient_name, row.amount_mg)
            texts[key] = max(texts.get(key, ""), row.amount_text, key=len)
        for row in rows:
            about = row.about
            over.setdefault(labels.lower_first(about.nutrient_name), []).append(LABEL_OVER_ITEM.format(
                amount=texts[(about.nutrient_name, row.amount_mg)], per=about.per,
                limit=f"{about.amount_text}/{about.per}" if about.amount_text else about.no_amount_text))
        limits.extend((LABEL_OVER_MARKET if len(items) == 1 else LABEL_OVER_MARKET_LIMITS).format(
            market=market, nutrient=nutrient, over="; ".join(items)) for nutrient, items in over.items())
    warnings = [LABEL_OVER_LIMIT.format(limits=labels.listed(limits))] if limits else []
    warnings += [LABEL_EXCLUDED.format(excluded=excluded) for excluded in exclusions_in_words(
        interactions, [market for market in LABEL_MARKETS[label] if market in markets])]
    if fill is not None and fill.status == engine.FillStatus.OVER:
        count = fill.capsules_per_serving
        warnings.append(LABEL_DOES_NOT_FIT.format(
            capsules=f"{count} size {capsule_size} capsule{'' if count == 1 else 's'}",
            needed=labels.plain_number(fill.capsules_needed)))
    return " ".join(warnings)


def _reference(references: Sequence[engine.Reference], market: str, kind: engine.Kind, population: str,
               nutrient: str) -> Decimal | None:
    for ref in references:
        if (ref.market, ref.kind, ref.population, ref.nutrient, ref.per) == (market, kind, population, nutrient, engine.Per.DAY):
            return ref.amount_mg
    return None


def listed_once(names: Iterable[str], conjunction: str = "and") -> str:
    """Names as a sentence lists them (labels.listed), each once, where it first comes."""
    return labels.listed(list(dict.fromkeys(names)), conjunction)


def source_name(compound: Compound) -> str:
    """A compound as a panel names a nutrient's source: "(as magnesium L-threonate)"."""
    return compound.label_source_name or compound.name.lower()


def _sources(report: ProductReport, nutrient: str) -> str:
    return listed_once([source_name(line.compound) for line, calc in report.line_rows() if nutrient in calc.nutrients])


def _day_percent(report: ProductReport, market: str, kind: engine.Kind, nutrient: str) -> engine.Assessment | None:
    return next((a for a in report.result.assessments if (a.reference.market, a.reference.kind, a.reference.nutrient,
                 a.reference.per) == (market, kind, nutrient, engine.Per.DAY)), None)


def _dv_nutrients(report: ProductReport, references: Sequence[engine.Reference], population: str) -> set[str]:
    return {t.nutrient.slug for t in report.totals if _reference(references, "US", engine.Kind.DV, population, t.nutrient.slug)}


def standardisation(line_calc: engine.LineResult, nutrients: dict[str, Nutrient]) -> str:
    declared = [n for n in line_calc.nutrients.values() if n.basis == engine.Basis.DECLARED]
    if not declared:
        return ""
    parts = [f"{labels.fraction_percent(n.fraction).replace('.00', '')} {nutrients[n.nutrient].name.lower()}" for n in declared]
    return f" (standardised to {listed_once(parts)})"


def ingredients_combined(rows: Iterable[tuple[K, str, Decimal]]) -> list[tuple[K, str, Decimal]]:
    """Ingredient rows (key, name as printed, mg a serving) with one row for each ingredient, its lines' amounts summed,
    where it first appears: glycine on two lines (two suppliers' lots) was declared twice, as 500 mg and 300 mg."""
    combined: dict[tuple[K, str], Decimal] = {}
    for key, name, mg in rows:
        combined[key, name] = combined.get((key, name), engine.ZERO) + mg
    return [(key, name, mg) for (key, name), mg in combined.items()]


def us_supplement_facts(product: Product, report: ProductReport, references: Sequence[engine.Reference],
                        nutrients: dict[str, Nutrient]) -> SupplementFacts:
    """Build the Supplement Facts panel: DV nutrients in regulation order, then the rest with a dagger."""
    population = product.population
    per_day = product.servings_per_day > 1
    rows: list[PanelRow] = []
    not_declared: list[str] = []
    declared: set[str] = set()
    for total in report.totals:
        assessment = _day_percent(report, "US", engine.Kind.DV, total.nutrient.slug)
        dv = assessment.reference.amount_mg if assessment else None
        step = assessment.reference.significance if assessment else None
        if assessment is None or dv is None or assessment.percent is None or assessment.per_serving_percent is None:
            continue
        if not labels.us_is_declared(total.serving, dv):
            not_declared.append(total.nutrient.name)
            continue
        declared.add(total.nutrient.slug)
        rows.append(PanelRow(
            name=f"{total.nutrient.name} (as {_sources(report, total.nutrient.slug)})",
            amount=labels.us_amount(total.serving, dv, step, total.nutrient.label_unit),
            percent_dv=labels.us_percent(assessment.per_serving_percent),
            amount_day=labels.us_amount(total.day, dv, step, total.nutrient.label_unit) if per_day else "",
            percent_dv_day=labels.us_percent(assessment.percent) if per_day else "",
        ))
    with_dv = _dv_nutrients(report, references, population)
    dagger = False
    # One blend for one name in any case or spacing, named as its first line writes it: "Sleep Matrix" and "sleep matrix"
    # were declared as two proprietary blends.
    blends: dict[str, tuple[str, list[tuple[str, str, Decimal]]]] = {}
    for line, calc in report.line_rows():
        if line.blend:
            key = " ".join(line.blend.casefold().split())
            blends.setdefault(key, (line.blend, []))[1].append((line.compound.slug, line.compound.name, calc.label_mg))
    # 101.36(c): a proprietary blend is declared by its total weight, components by descending weight; a
    # nutrient with a DV (magnesium) in it is still declared on its own line above.
    # A blend and an ingredient without a DV are compounds, weighed as masses are (labels.mass: "500 mcg" of melatonin).
    for name, members in blends.values():
        dagger = True
        total = sum((mg for _, _, mg in members), engine.ZERO)
        ordered = sorted(ingredients_combined(members), key=lambda member: member[2], reverse=True)
        rows.append(PanelRow(
            name=f"{name} (proprietary blend)",
            amount=labels.mass(total),
            percent_dv=DAGGER,
            amount_day=labels.day_mass(total, total * product.servings_per_day) if per_day else "",
            percent_dv_day=DAGGER if per_day else "",
            components=", ".join(compound for _, compound, _ in ordered),
        ))
    unnamed: list[tuple[Decimal, str]] = []
    others = []
    for line, calc in report.line_rows():
        if line.blend:
            continue  # in its blend's row
        if any(n in with_dv for n in calc.nutrients):
            # Named as a declared nutrient's source ("as magnesium oxide"), or else in the ingredient statement: a
            # source of nutrients under 2% of their DV, left off the panel, appeared nowhere on the label.
            if not any(n in declared for n in calc.nutrients):
                unnamed.append((calc.label_mg, line.compound.name))
            continue
        others.append((line.compound.slug, f"{line.compound.name}{standardisation(calc, nutrients)}", calc.label_mg))
    for _, name, mg in ingredients_combined(others):
        dagger = True
        rows.append(PanelRow(
            name=name,
            amount=labels.mass(mg),
            percent_dv=DAGGER,
            amount_day=labels.day_mass(mg, mg * product.servings_per_day) if per_day else "",
            percent_dv_day=DAGGER if per_day else "",
        ))
    return SupplementFacts(
        serving_size=product.serving_description,
        servings_per_container=product.servings_per_container,
        per_day_column=per_day,
        servings_per_day=labels.plain_number(product.servings_per_day),
        rows=tuple(rows),
        dagger_footnote=dagger,
        other_ingredients=_ingredient_statement(unnamed, product.other_ingredients),
        not_declared=tuple(not_declared),
        warning=" ".join(filter(None, [label_warning(report, "US"),
                                       _no_dv_for_population(report, references, population, with_dv),
                                       _serving_above_the_day(product)])),
    )


# The panel declares a serving; at less than one a day, what is taken at one time is less than it, and the EU table's
# daily portion (and the per-dose limits) say so where the panel does not.
LABEL_SERVING_ABOVE_THE_DAY = ("At {servings} servings a day, no more than {portion} is taken at one time, less than the "
                               "serving of {serving} this panel declares: a US serving size is the most the label "
                               "recommends at one time (21 CFR 101.12(b), Table 2), so declare {portion} as the serving.")


def _serving_above_the_day(product: Product) -> str:
    """A panel's word where a serving is more than the day takes (LABEL_SERVING_ABOVE_THE_DAY); "" otherwise."""
    if product.servings_per_day >= 1:
        return ""
    return LABEL_SERVING_ABOVE_THE_DAY.format(
        servings=labels.plain_number(product.servings_per_day), serving=product.serving_description.lower(),
        portion=product.units_text(product.serving_size * product.servings_per_day).lower())


def _no_dv_for_population(report: ProductReport, references: Sequence[engine.Reference], population: str,
                          with_dv: set[str]) -> str:
    """LABEL_NO_DV_FOR_POPULATION for the design's nutrients with a US DV for some population but not its own
    (`with_dv`, _dv_nutrients'); ""."""
    with_any_dv = {ref.nutrient for ref in references if (ref.market, ref.kind) == ("US", engine.Kind.DV)}
    missing = [total.nutrient.name for total in report.totals
               if total.nutrient.slug in with_any_dv and total.nutrient.slug not in with_dv]
    return _no_reference_for_population(LABEL_NO_DV_FOR_POPULATION, missing, population)


def _no_reference_for_population(message: str, nutrient_names: Sequence[str], population: str) -> str:
    """LABEL_NO_DV_FOR_POPULATION or LABEL_NO_NRV_FOR_POPULATION for these nutrients; "" for none."""
    if not nutrient_names:
        return ""
    return message.format(nutrients=labels.listed([labels.lower_first(n) for n in nutrient_names]),
                          population=presenters.population_in_words(population),
                          them="it" if len(nutrient_names) == 1 else "them")


def _ingredient_statement(unnamed: list[tuple[Decimal, str]], other_ingredients: str) -> str:
    """The ingredient statement below the panel: the sources the panel does not name, heaviest first (21 CFR
    101.4(a)), then the design's other ingredients as written."""
    names = [name for _, name in sorted(unnamed, key=lambda item: item[0], reverse=True)]
    return ", ".join([*names, *([other_ingredients.strip()] if other_ingredients.strip() else [])])


def eu_table(product: Product, report: ProductReport, references: Sequence[engine.Reference],
             nutrients: dict[str, Nutrient]) -> EuTable:
    """Amounts per recommended daily portion with %NRV, and the mandatory statements (Directive 2002/46/EC)."""
    # A vitamin or mineral with an NRV is declared by its amount whatever the population: the library records the NRV
    # (one labelling reference) for no infants or children 1-3, and without it magnesium would vanish from their
    # label behind its compound. Its %NRV then reads "—".
    labelled = {ref.nutrient for ref in references if (ref.market, ref.kind) == ("EU", engine.Kind.NRV)}
    rows: list[EuRow] = []
    with_nrv = set()
    no_nrv = []
    for total in report.totals:
        if total.nutrient.slug not in labelled:
            continue
        with_nrv.add(total.nutrient.slug)
        assessment = _day_percent(report, "EU", engine.Kind.NRV, total.nutrient.slug)
        if assessment is None:
            no_nrv.append(total.nutrient.name)
        rows.append(EuRow(total.nutrient.name, labels.eu_amount(total.day, total.nutrient.label_unit, total.nutrient.amount_step),
                          labels.percent(assessment.percent if assessment else None)))
    others = [(line.compound.slug, f"{line.compound.name}{standardisation(calc, nutrients)}", calc.label_mg)
              for line, calc in report.line_rows() if not any(n in with_nrv for n in calc.nutrients)]
    rows.extend(EuRow(name, labels.eu_mass(mg * product.servings_per_day), "—") for _, name, mg in ingredients_combined(others))
    portion = daily_portion(product)
    return EuTable(daily_portion=portion, rows=tuple(rows),
                   statements=(EU_STATEMENTS[0], f"Recommended daily portion: {portion}.", *EU_STATEMENTS[1:],
                               *_eu_conditions_of_use(report)),
                   warning=" ".join(filter(None, [label_warning(report, "EU"), _no_reference_for_population(
                       LABEL_NO_NRV_FOR_POPULATION, no_nrv, product.population)])))


def _eu_conditions_of_use(report: ProductReport) -> list[str]:
    """For each ingredient the EU excludes for some consumers, the statement saying whom it is not for."""
    by_compound: dict[str, list[str]] = {}
    for row in report.interactions:
        if "EU" in row.excluded_in and row.populations:
            by_compound.setdefault(row.compound_name or row.agent, []).extend(row.populations)
    return [LABEL_NOT_FOR.format(compound=labels.lower_first(compound), consumers=listed_once(
                (CONSUMERS[Population(code)] for code in Population.values if code in codes), "or"))
            for compound, codes in by_compound.items()]


def daily_portion(product: Product) -> str:
    """The recommended daily portion in units, and how it is made of servings: "3 capsules (1.5 servings of 2 capsules)"."""
    servings = product.servings_per_day
    portion = product.units_text(product.serving_size * servings).lower()
    if servings == 1:
        return portion
    serving = product.serving_description.lower()
    if servings == servings.to_integral_value():
        return PORTION_TIMES.format(portion=portion, serving=serving, servings=labels.plain_number(servings))
    if servings == Decimal("0.5"):
        return PORTION_HALF.format(portion=portion, serving=serving)
    return PORTION_SERVINGS.format(portion=portion, serving=serving, servings=labels.plain_number(servings))
