"""Shape engine results for pages and exports: names and sentences, numbers still unrounded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from compounds.models import Market, Nutrient, Population
from compounds.revision import Memo
from evidence import grading
from evidence.models import Interaction
from formulator import engine, labels


@dataclass(frozen=True)
class ReferenceText:
    """What the tables say of a reference value itself, whatever the design: worked out once per reference."""

    market: str
    market_name: str
    population_name: str
    nutrient_name: str
    kind: str
    qualifier: str
    per: str
    covers: str
    source: str
    url: str
    amount_text: str  # the reference amount as labels round it; "" when none is set
    no_amount_text: str  # what the tables say instead when none is set


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: the figures template memoises its rendering by it
class SafetyRow:
    """One reference value against a design: the numbers, and the texts the tables show (labels.py rounds them).

    The texts are ready because the workbench shows these rows on every keystroke: a template filter per
    number costs more than the number. What the reference itself says is shared by every row of it (`about`).
    """

    reference: engine.Reference
    about: ReferenceText
    amount_mg: Decimal
    percent: Decimal | None
    serving_percent: Decimal | None
    margin_mg: Decimal | None
    status: str
    reason: str
    status_class: str  # the status as a CSS class: "no-limit" for "no limit"
    governs: bool  # a limit that decides the design's status (engine.Assessment.governs)
    amount_text: str
    percent_text: str
    serving_percent_text: str
    margin_text: str
    by_theory_mg: Decimal | None = None  # engine.Assessment.by_theory_mg: the amount at the fractions by formula
    by_theory_status: str | None = None

    @property
    def undeclared(self) -> bool:
        """A US DV a serving reaches less than 2% of: the panel leaves the nutrient out (its 1.99% read beside the RDA's
        "2%" with nothing to say why)."""
        return ((self.reference.market, self.reference.kind) == ("US", engine.Kind.DV) and self.serving_percent is not None
                and self.serving_percent < labels.US_DECLARATION_PERCENT)


def nutrient_name(nutrients: Mapping[str, Nutrient], slug: str) -> str:
    nutrient = nutrients.get(slug)
    return nutrient.name if nutrient else slug


def nutrient_unit(nutrients: Mapping[str, Nutrient], slug: str) -> str:
    """The unit a nutrient is declared in, "mg" or "mcg"."""
    nutrient = nutrients.get(slug)
    return nutrient.label_unit if nutrient else labels.MG


def nutrient_step(nutrients: Mapping[str, Nutrient], slug: str) -> Decimal:
    """The finest step a nutrient's amounts are written to (labels.nutrient_step)."""
    nutrient = nutrients.get(slug)
    return nutrient.amount_step if nutrient else labels.WHOLE


NO_AMOUNT = "none set"
NO_AMOUNT_FOOD_ONLY = "none: food and formula only"
# A chosen market the library records no limit in for some of the design's nutrients, for its population
# (markets_without_limits): the safety tables, the spec sheets and the comparison say it in these words.
NO_LIMIT_RECORDED = ("The library records no upper limit for {nutrients} in {market} for this population: check the "
                     "market's rules before selling there.")
# Germany's own maximum, where the EU's limit, which applies there too, is checked: "no upper limit for vitamin B6 in DE"
# stood below the EU's 12 mg, checked for the same design.
NO_NATIONAL_LIMIT_RECORDED = ("The library records no German maximum for {nutrients} for this population; the EU's "
                              "limits apply there too and are checked with the EU's. Check Germany's rules before selling "
                              "there.")
# A design's nutrients that no market in the library limits, for any population (L-theanine, glycine): said once, not
# in every market's row (nutrients_without_limits).
NO_LIMIT_RECORDED_ANYWHERE = ("The library records no upper limit in any market for {nutrients}: check each market's "
                              "rules before selling there.")
MARKET_NAMES = dict(Market.choices)
POPULATION_NAMES = dict(Population.choices)


def population_in_words(population: str) -> str:
    """A population as a sentence names it: "adults", "children 9-13 years"."""
    return POPULATION_NAMES[population].lower()


def safety_rows(
    assessments: Iterable[engine.Assessment], nutrients: Mapping[str, Nutrient], population: str, limits: bool,
    memo: Memo | None = None,
) -> list[SafetyRow]:
    """Rows for the safety table (limits) or the intake table (DV, NRV, RDA ...), with the reason in words.

    With a memo (the library's), each row is made once per distinct assessment: typing in one line leaves the
    other nutrients' rows as they were.
    """
    population_name = "" if population == Population.ADULT else population_in_words(population)
    rows = []
    for assessment in assessments:
        if assessment.is_limit != limits:
            continue
        if memo is None:
            rows.append(safety_row(assessment, nutrients, population_name))
        else:
            rows.append(memo.get(("safety row", assessment, population_name), safety_row, assessment, nutrients,
                                 population_name))
    return rows


def intake_percent(reference: engine.Reference, percent: Decimal | None) -> str:
    """A share of an intake reference in the tables: a US DV's must not read as the 2% the panel declares from while
    under it (labels.dv_percent)."""
    if (reference.market, reference.kind) == ("US", engine.Kind.DV):
        return labels.dv_percent(percent)
    return labels.percent(percent)


def safety_row(assessment: engine.Assessment, nutrients: Mapping[str, Nutrient], population_name: str) -> SafetyRow:
    ref = assessment.reference
    about = about_reference(ref, nutrient_name(nutrients, ref.nutrient))
    limit = assessment.is_limit
    status = assessment.status.value
    return SafetyRow(
        reference=ref,
        about=about,
        amount_mg=assessment.amount_mg,
        percent=assessment.percent,
        serving_percent=assessment.per_serving_percent,
        margin_mg=assessment.margin_mg,
        status=status,
        reason=labels.describe(assessment, about.nutrient_name, population_name) if limit else "",
        status_class=status_class(status),
        governs=assessment.governs,
        # Beside a limit, an amount or percentage must not read as the limit itself while the status says over or near.
        amount_text=(labels.limit_amount(assessment.amount_mg, ref.amount_mg, ref.unit, ref.amount_step) if limit
                     else labels.amount(assessment.amount_mg, ref.unit, ref.amount_step)),
        percent_text=labels.limit_percent(assessment.percent) if limit else intake_percent(ref, assessment.percent),
        serving_percent_text="" if limit else intake_percent(ref, assessment.per_serving_percent),
        margin_text=(labels.limit_margin(assessment.amount_mg, ref.amount_mg, assessment.margin_mg, ref.unit, ref.amount_step)
                     if limit else ""),
        by_theory_mg=assessment.by_theory_mg,
        by_theory_status=assessment.by_theory_status.value if assessment.by_theory_status else None,
    )


@lru_cache(maxsize=1024)
def about_reference(ref: engine.Reference, nutrient_name: str) -> ReferenceText:
    """What the tables say of a reference; a pure function of its values, so kept per reference."""
    return ReferenceText(
        market=ref.market,
        market_name=MARKET_NAMES[ref.market],
        population_name=POPULATION_NAMES[ref.population],
        nutrient_name=nutrient_name,
        kind=ref.kind.value,
        qualifier=ref.qualifier,
        per=ref.per.value,
        covers=ref.covers,
        source=ref.source,
        url=ref.url,
        amount_text="" if ref.amount_mg is None else labels.reference_amount(ref.amount_mg, ref.significance, ref.unit),
        no_amount_text=NO_AMOUNT_FOOD_ONLY if ref.food_only else NO_AMOUNT,
    )


# A design with no limit to be assessed against: "no limit" alone read as "none applies", where the library records none.
OVERALL_NO_LIMIT = "none recorded"


def status_words(status: str) -> str:
    """A design's overall limits status in words: "none recorded" for "no limit"."""
    return OVERALL_NO_LIMIT if status == engine.Status.NO_LIMIT else status


def status_class(status: str) -> str:
    """A status as a CSS class: "no-limit" for "no limit"."""
    return status.replace(" ", "-")


@dataclass(frozen=True)
class MissingLimits:
    """A chosen market checked and found without a limit for some of a design's nutrients, for its population."""

    market: str
    nutrients: tuple[str, ...]  # slugs
    reason: str


def no_limit_recorded(market: str, nutrient_names: Sequence[str]) -> str:
    """NO_LIMIT_RECORDED for these nutrients: "… in EU for magnesium and vitamin B6 …"."""
    return NO_LIMIT_RECORDED.format(market=market, nutrients=labels.listed([labels.lower_first(name) for name in nutrient_names]))


def markets_without_limits(assessments: Iterable[engine.Assessment], markets: Sequence[str], design_nutrients: Sequence[str],
                           nutrients: Mapping[str, Nutrient], limited: Set[str]) -> tuple[MissingLimits, ...]:
    """Each chosen market's nutrients of the design without a limit there for this population: the tables must not
    just leave them out.

    A nutrient counts when the library limits it somewhere (`limited`: magnesium, vitamin B6), so that glycine, which no
    market limits, is not listed in every market: nutrients_without_limits says those once.
    """
    limits = limited_by_market(assessments)
    counted = [n for n in design_nutrients if n in limited]
    rows = []
    for market in markets:
        missing = [n for n in counted if n not in limits.get(market, ())]
        if missing:
            rows.append(MissingLimits(market, tuple(missing), no_limit_said(market, missing, nutrients, limits)))
    return tuple(rows)


@dataclass(frozen=True)
class NoLimitAnywhere:
    """A design's nutrients that no market in the library limits, and the sentence that says so."""

    nutrients: tuple[str, ...]  # slugs
    reason: str


def nutrients_without_limits(design_nutrients: Sequence[str], nutrients: Mapping[str, Nutrient],
                             limited: Set[str]) -> NoLimitAnywhere | None:
    """The design's nutrients no market limits (not in `limited`), said once for all markets; None where it has none.

    Boost's L-theanine read "no upper limit in US", then "in EU", while MoodFlow's, beside its magnesium, went unsaid.
    """
    unlimited = tuple(n for n in design_nutrients if n not in limited)
    if not unlimited:
        return None
    return NoLimitAnywhere(unlimited, NO_LIMIT_RECORDED_ANYWHERE.format(nutrients=nutrients_in_words(unlimited, nutrients)))


def limited_by_market(assessments: Iterable[engine.Assessment]) -> dict[str, set[str]]:
    """The nutrients each market limits in these assessments."""
    limits: dict[str, set[str]] = {}
    for assessment in assessments:
        if assessment.is_limit:
            limits.setdefault(assessment.reference.market, set()).add(assessment.reference.nutrient)
    return limits


def no_limit_said(market: str, missing: Sequence[str], nutrients: Mapping[str, Nutrient],
                  limits: Mapping[str, Set[str]]) -> str:
    """What a market without a limit for these nutrients is said with: for those Germany has no maximum for where the
    EU's limits are checked, NO_NATIONAL_LIMIT_RECORDED; for the others, NO_LIMIT_RECORDED. limits: limited_by_market."""
    eu_limited = [n for n in missing if market == Market.DE and n in limits.get(Market.EU, ())]
    others = [nutrient_name(nutrients, n) for n in missing if n not in eu_limited]
    said = [NO_NATIONAL_LIMIT_RECORDED.format(nutrients=labels.listed(
        [labels.lower_first(nutrient_name(nutrients, n)) for n in eu_limited]))] if eu_limited else []
    return " ".join([*said, no_limit_recorded(market, others)] if others else said)


def worst_status(assessments: Iterable[engine.Assessment]) -> str:
    """The most serious limit status of a design: over, then near, then ok."""
    statuses = {a.status for a in assessments if a.governs}
    for status in (engine.Status.OVER, engine.Status.NEAR, engine.Status.OK):
        if status in statuses:
            return status.value
    return engine.Status.NO_LIMIT.value


def status_nutrient_slugs(assessments: Iterable[engine.Assessment], status: str,
                          design_nutrients: Sequence[str]) -> tuple[str, ...]:
    """The nutrients a design is over (or near) a limit for, when that is its status, in the order of its totals
    (`design_nutrients`): "for vitamin B6" beside the badge, so that "over" above a magnesium headline does not read as
    magnesium's when it is another nutrient's."""
    if status not in (engine.Status.OVER, engine.Status.NEAR):
        return ()
    slugs = {a.reference.nutrient for a in assessments if a.governs and a.status == status}
    return tuple(slug for slug in design_nutrients if slug in slugs)


def nutrients_in_words(slugs: Sequence[str], nutrients: Mapping[str, Nutrient]) -> str:
    """Nutrients as a sentence names them: "vitamin B6 and magnesium"."""
    return labels.listed([labels.lower_first(nutrient_name(nutrients, slug)) for slug in slugs])


@dataclass(frozen=True)
class DeliveredText:
    slug: str
    name: str
    amount: str
    fraction: str
    basis: str
    by_formula: str = ""  # FORMULA_GIVES beside a specified fraction, where the formula's differs (formula_gives)


# Beside a supplier's specified fraction, the formula's where the two differ as written, as the product page's
# ingredients and the workbench's line cells say it: "7.20% specified; formula gives 8.25%" of Magtein's L-threonate.
FORMULA_GIVES = "formula gives {fraction}"


def formula_gives(amount: engine.NutrientAmount) -> str:
    """Say the fraction by formula beside a specified one where they differ as written; "" otherwise."""
    if amount.basis != engine.Basis.SPECIFIED or amount.theoretical is None:
        return ""
    shown = labels.fraction_percent(amount.theoretical)
    return "" if shown == labels.fraction_percent(amount.fraction) else FORMULA_GIVES.format(fraction=shown)


@dataclass(frozen=True)
class LineCell:
    """What an ingredient line delivers, as its row shows it; the workbench sends one per line per keystroke."""

    # The compound in full: beside the figures, the workbench's narrow compound menu read "Magnesium gl…" (gluconate
    # or glycerophosphate?), and a malate's anhydrous and trihydrate forms alike.
    compound: str
    delivers: tuple[DeliveredText, ...]
    formula: str  # compound put in with overage, when there is overage
    dose: str  # the daily dose against the studied doses: within, below, above ... or "" without studies
    dose_title: str
    studied: str  # the span of studied doses of the compound, per day
    # How the dose stands to each study's, where "within" the span alone would read as the studied dose (Recover's
    # 2,000 mg "within studied 1,000 mg–2,000 mg/day", twice Hausenblas's 1,000 mg), as the product page says it.
    tally: str = ""
    # Where the design has the compound on several lines, which: the dose is judged by their sum.
    together: str = ""


def line_cell(calc: engine.LineResult, alignment: grading.LineAlignment | None, nutrients: Mapping[str, Nutrient],
              together: str = "") -> LineCell:
    delivers = tuple(
        DeliveredText(slug, nutrient_name(nutrients, slug), labels.amount(n.label_mg, nutrient_unit(nutrients, slug), nutrient_step(nutrients, slug)),
                      labels.fraction_percent(n.fraction),
                      n.basis.value, formula_gives(n))
        for slug, n in calc.nutrients.items()
    )
    if alignment is None:
        return LineCell(calc.name, delivers, labels.compound_mass(calc.formula_mg, calc.label_mg) if calc.overage_percent else "",
                        "", "", "")
    return LineCell(
        compound=calc.name,
        delivers=delivers,
        formula=labels.compound_mass(calc.formula_mg, calc.label_mg) if calc.overage_percent else "",
        dose=alignment.overall.value,
        dose_title="".join(f"{s.dose.label}: {s.as_reported.value}; " for s in alignment.studies),
        # As the studies reported them: Bullarbo's and Walker's 300 mg of magnesium read "1,856.1 mg/day" of citrate.
        studied=(f"{labels.compound_span(alignment.span_elemental)}/day {alignment.nutrient_word}" if alignment.elemental_only
                 else f"{labels.compound_span(alignment.span_compound)}/day" if alignment.span_compound else ""),
        tally=alignment.tally,
        together=together,
    )


NO_STUDIED_DOSE = "no studied dose in the library"


def dose_alignment_text(alignment: grading.LineAlignment | None) -> str:
    """A compound's daily dose against its studied doses, in the words of the product page's dose table on one line:
    "within 2,000 mg/day (144 mg elemental); above 1 and within 1 of the 2 studies' doses"."""
    if alignment is None:
        return NO_STUDIED_DOSE
    asides = []
    if alignment.elemental_mg_per_day and alignment.elemental_mg_per_day != alignment.compound_mg_per_day:
        asides.append(f"{labels.amount(alignment.elemental_mg_per_day)} {alignment.nutrient_word}")
    if alignment.lines_text:
        asides.append(alignment.lines_text)
    text = f"{alignment.overall.value} {labels.compound_mass(alignment.compound_mg_per_day)}/day"
    text += f" ({', '.join(asides)})" if asides else ""
    return f"{text}; {alignment.tally}" if alignment.tally else text


@dataclass(frozen=True)
class InteractionRow:
    """An interaction or contraindication of a design, as its tables show it.

    A value, not the model: the workbench renders the table once per distinct set of rows (fragments.py).
    """

    kind: str
    kind_name: str
    agent: str
    compound_name: str  # the form it is recorded for; "" when it comes with the nutrient, whatever the form
    effect: str
    severity: str
    management: str
    source: str
    populations: tuple[str, ...]  # the codes of the populations it applies to; () for whoever takes it
    applies: bool  # it names the design's own population
    excluded_in: tuple[str, ...] = ()  # the markets whose law excludes those populations


def chart_line_name(references: Iterable[tuple[str, str]]) -> str:
    """Name the limits a chart draws as one line, each a market and a kind: "US, CA UL", or "EU UL, DE MAX"."""
    pairs = list(references)
    kinds = {kind for _, kind in pairs}
    if len(kinds) == 1:
        return f"{', '.join(market for market, _ in pairs)} {kinds.pop()}"
    return ", ".join(f"{market} {kind}" for market, kind in pairs)


def chart_line_text(name: str, amount_mg: Decimal) -> str:
    """A chart's limit line as labelled, "US UL 350 mg": one of food and formula only is drawn at nothing, and says so."""
    return f"{name} {labels.amount(amount_mg) if amount_mg else NO_AMOUNT_FOOD_ONLY}"


def legal_exclusions(rows: Iterable[InteractionRow], markets: Sequence[str]) -> list[tuple[InteractionRow, list[str]]]:
    """The rows naming the design's population that the law of some of these markets excludes, with those markets."""
    found = []
    for row in rows:
        excluded = [market for market in markets if market in row.excluded_in]
        if row.applies and excluded:
            found.append((row, excluded))
    return found


# What an interaction's row says of the markets whose law excludes its ingredient for its populations. A US product's
# rows of L-threonate read "Excluded by law in EU for these populations, which this design is not for": it is for
# none of them, but the EU is the reason the law does not touch it, and the populations were named as if they were.
NOTE_EXCLUDED = "Excluded by law in {markets}: a product for these populations sold there cannot be approved."
NOTE_EXCLUDED_OTHER_POPULATIONS = "Excluded by law in {markets} for these populations, which this design is not for."
NOTE_EXCLUDED_OTHER_MARKET = "Excluded by law for these populations in {markets}, a market this design is not for."
NOTE_EXCLUDED_OTHER_MARKETS = "Excluded by law for these populations in {markets}, markets this design is not for."


@dataclass(frozen=True)
class ExclusionNote:
    text: str
    # Said as a warning: a product for these populations sold there cannot be approved (on a design's page, it is one).
    blocks: bool


def exclusion_note(row: InteractionRow, markets: Sequence[str] | None) -> ExclusionNote | None:
    """What the row says of the law that excludes its ingredient: for a design, why it does not apply (none of those
    markets is the design's, or else its population is not one of those) or that it blocks it; markets None for no
    design (a compound's page), whose rows say what the law does to any product for those populations sold there."""
    if not row.excluded_in:
        return None
    if markets is not None and not set(row.excluded_in) & set(markets):
        note = NOTE_EXCLUDED_OTHER_MARKET if len(row.excluded_in) == 1 else NOTE_EXCLUDED_OTHER_MARKETS
        return ExclusionNote(note.format(markets=labels.listed(list(row.excluded_in))), blocks=False)
    if markets is None or row.applies:
        return ExclusionNote(NOTE_EXCLUDED.format(markets=", ".join(row.excluded_in)), blocks=True)
    return ExclusionNote(NOTE_EXCLUDED_OTHER_POPULATIONS.format(markets=", ".join(row.excluded_in)), blocks=False)


def exclusion_notes(rows: Iterable[InteractionRow],
                    markets: Sequence[str] | None) -> tuple[tuple[InteractionRow, ExclusionNote | None], ...]:
    """Each row with its exclusion_note, as the interactions tables of the pages and the sheets take them."""
    return tuple((row, exclusion_note(row, markets)) for row in rows)


def interaction_rows(interactions: Iterable[Interaction], population: str) -> tuple[InteractionRow, ...]:
    """The rows, those that name the design's population first, each group in the order given."""
    rows = [
        InteractionRow(
            kind=i.kind, kind_name=i.get_kind_display(), agent=i.agent, compound_name=i.compound.name if i.compound else "",
            effect=i.effect, severity=i.severity, management=i.management, source=i.source,
            populations=tuple(i.populations),
            applies=population in i.populations,
            excluded_in=tuple(i.excluded_in),
        )
        for i in interactions
    ]
    return tuple(sorted(rows, key=lambda row: not row.applies))
