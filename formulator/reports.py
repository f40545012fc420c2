"""Everything a page or export shows about a product or stack, computed once by the engine.

The same builder serves the saved product's detail page and the workbench's unsaved draft, so the
two can never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from django.utils import translation

from compounds.models import CapsuleSize, Compound, Nutrient, markets_in_force
from compounds.revision import Memo, library_cache
from compounds.selectors import compound_contributions, compound_formula_refused, compound_list, reference_inputs
from evidence import grading
from evidence.selectors import ClaimView, EvidenceIndex, same_salt_note
from formulator import engine, forms, labels, presenters, selectors, services
from formulator.models import DosageForm, Product, Stack, Status
from formulator.services import ItemData, LineData, lines_of

MAGNESIUM = "magnesium"


@dataclass(frozen=True)
class Library:
    """The reference data a calculation needs: the compounds with their fractions, nutrients, limits.

    Loaded in a fixed number of queries and kept by the process while the library is unchanged
    (compounds/revision.py), so it is shared between requests and must be treated as read-only.
    """

    references: tuple[engine.Reference, ...]
    nutrients: Mapping[str, Nutrient]
    capsule_volumes: Mapping[str, Decimal]
    compounds: Mapping[str, Compound] = field(default_factory=dict)
    compound_choices: tuple[tuple[str, str], ...] = ()
    contributions: Mapping[str, tuple[engine.Contribution, ...]] = field(default_factory=dict)
    # What this revision's lines and safety rows work out to (line_report, safety_rows): typing changes one
    # line at a time.
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)
    evidence_indexes: Memo = field(default_factory=lambda: Memo(maxsize=128), compare=False, repr=False)

    @classmethod
    def load(cls) -> Library:
        return library_cache.get("library", cls._read)

    @classmethod
    def _read(cls) -> Library:
        compounds = list(compound_list())
        references = tuple(reference_inputs())  # each with its nutrient's amount step (labels.nutrient_step)
        nutrients = list(Nutrient.objects.all())
        steps = {reference.nutrient: reference.amount_step for reference in references}
        for nutrient in nutrients:  # the library's own instances, read-only once loaded
            nutrient.amount_step = steps.get(nutrient.slug, labels.WHOLE)
        return cls(
            references=references,
            nutrients=MappingProxyType({n.slug: n for n in nutrients}),
            capsule_volumes=MappingProxyType({c.code: c.volume_ml for c in CapsuleSize.objects.all()}),
            compounds=MappingProxyType({c.slug: c for c in compounds}),
            compound_choices=tuple((c.slug, c.name) for c in compounds),
            contributions=MappingProxyType(_contributions(compounds)),
        )

    def evidence(self, compound_slugs: Iterable[str] | None = None) -> EvidenceIndex:
        """The evidence of this library revision, for some compounds only when they are named.

        As EvidenceIndex.load, without reading the revision token a second time: a page that has the library
        gets its evidence from the same revision.
        """
        slugs = None if compound_slugs is None else frozenset(compound_slugs)
        return self.evidence_indexes.get(slugs, lambda: EvidenceIndex.read(slugs))

    def references_for(self, markets: Sequence[str], population: str) -> tuple[engine.Reference, ...]:
        """The references of these markets and population, as the engine would choose them from all: a keystroke's
        choice among a dozen instead of every reference of the library."""
        key = ("references", tuple(markets), population)
        return self.memo.get(key, lambda: tuple(r for r in self.references if r.market in markets and r.population == population))

    @cached_property
    def limited_nutrients(self) -> frozenset[str]:
        """The nutrients some market limits for some population: a design's safety table names each one it lacks."""
        return frozenset(r.nutrient for r in self.references if r.kind in engine.LIMIT_KINDS)

    def contributions_of(self, compound: Compound) -> tuple[engine.Contribution, ...]:
        """The fractions the engine uses for a compound, computed once per library revision."""
        found = self.contributions.get(compound.slug)
        return found if found is not None else compound_contributions(compound)


def _contributions(compounds: Sequence[Compound]) -> dict[str, tuple[engine.Contribution, ...]]:
    # A formula the parser refuses gives no fraction, said where the compound is used (formula_refused_notes).
    return {compound.slug: compound_contributions(compound) for compound in compounds}


# A line's compound whose formula was saved before the parser refused it ("MgS04·7H2O"): no fraction is worked out from
# it. Its product's pages were a 500; they must not now read as if every nutrient it is linked to were counted.
NOTE_FORMULA_REFUSED = ("{compound}'s formula {formula} is refused by the library now: {reason} These figures count none "
                        "of its {nutrients} until a curator corrects the formula in the library.")
NOTE_FORMULA_REFUSED_SPECIFIED = ("{compound}'s formula {formula} is refused by the library now: {reason} These figures "
                                  "count its {nutrients} at the supplier's specified fraction alone, with no formula to "
                                  "check it against.")


def formula_refused_notes(compound: Compound) -> tuple[str, str]:
    """What a design's figures leave out of a compound whose formula the library refuses (NOTE_FORMULA_REFUSED), and
    what they count at a supplier's fraction alone (NOTE_FORMULA_REFUSED_SPECIFIED); "" for neither."""
    refused = compound_formula_refused(compound)
    if refused is None:
        return "", ""
    named = {"compound": compound.name, "formula": compound.formula, "reason": refused.reason}
    return (NOTE_FORMULA_REFUSED.format(nutrients=labels.listed(list(refused.uncounted)), **named) if refused.uncounted else "",
            NOTE_FORMULA_REFUSED_SPECIFIED.format(nutrients=labels.listed(list(refused.specified)), **named)
            if refused.specified else "")


class _DayTexts:
    """A totals row's day amounts as the tables show them: never reading as one of its nutrient's limits."""

    day: Decimal
    day_formula: Decimal
    limits: tuple[Decimal, ...]

    nutrient: Nutrient

    @property
    def day_text(self) -> str:
        return labels.amount_apart(self.day, self.limits, self.nutrient.label_unit, self.nutrient.amount_step)

    @property
    def day_formula_text(self) -> str:
        return labels.amount_apart(self.day_formula, self.limits, self.nutrient.label_unit, self.nutrient.amount_step)


@dataclass(frozen=True)
class TotalRow(_DayTexts):
    nutrient: Nutrient
    serving: Decimal
    day: Decimal
    day_formula: Decimal
    limits: tuple[Decimal, ...] = ()  # the nutrient's limits (limit_amounts): no total reads as one it is not equal to

    @property
    def serving_text(self) -> str:
        return labels.amount_apart(self.serving, self.limits, self.nutrient.label_unit, self.nutrient.amount_step)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: fragments.py memoises its rendering by it
class LineReport:
    """One ingredient line's own figures: what it delivers, weighs and costs, and its dose against the studies."""

    calc: engine.LineResult
    physical: engine.PhysicalLine
    alignment: grading.LineAlignment | None
    nutrients: Mapping[str, Nutrient]
    together: str = ""  # "lines 1 and 3 together": the lines of its compound its dose sums (compound_alignments)

    @cached_property
    def cell(self) -> presenters.LineCell:
        """What the line delivers, as its row in the workbench shows it."""
        return presenters.line_cell(self.calc, self.alignment, self.nutrients, self.together)


EXCLUDED_BY_LAW = "{compound} is excluded by law for this population in {markets}."


def exclusions_in_words(rows: Sequence[presenters.InteractionRow], markets: Sequence[str]) -> tuple[str, ...]:
    """In words, each ingredient the law of one of these markets excludes for the design's population."""
    return tuple(EXCLUDED_BY_LAW.format(compound=row.compound_name or row.agent, markets=", ".join(excluded))
                 for row, excluded in presenters.legal_exclusions(rows, markets))


def limit_amounts(assessments: Iterable[engine.Assessment], nutrient: str) -> tuple[Decimal, ...]:
    """The amounts of a nutrient's limits a design is assessed against: a total that rounds to one of them while not
    equal to it must not read as it (250.4 mg is over the EU's 250 mg, and "250 mg" would seem to meet it)."""
    return tuple(a.reference.amount_mg for a in assessments
                 if a.is_limit and a.reference.nutrient == nutrient and a.reference.amount_mg is not None)


def headline_mg(amount_mg: Decimal, assessments: Iterable[engine.Assessment]) -> str:
    """A design's magnesium (a serving, a day) as its headline says it: never reading as a magnesium limit it is not
    equal to, beside a badge that says over or near it."""
    return labels.amount_apart(amount_mg, limit_amounts(assessments, MAGNESIUM))


class _LimitStatus:
    """A design's limits status as its badge shows it (a CSS class, and words), and beside it what that status does
    not say: an ingredient a market's law excludes for the design's population."""

    status: str
    interactions: Sequence[presenters.InteractionRow]
    markets: Sequence[str]

    @cached_property
    def exclusions(self) -> tuple[str, ...]:
        """Each ingredient a market's law excludes for this population, in words."""
        return exclusions_in_words(self.interactions, self.markets)

    @cached_property
    def interaction_notes(self) -> tuple[tuple[presenters.InteractionRow, presenters.ExclusionNote | None], ...]:
        """The interactions, each with what it says of the law excluding its ingredient for this design's markets."""
        return presenters.exclusion_notes(self.interactions, self.markets)

    @cached_property
    def excluded_in(self) -> str:
        """The markets whose law excludes one of the design's ingredients for its population: "EU"; "" for none."""
        found = {market for _, markets in presenters.legal_exclusions(self.interactions, self.markets) for market in markets}
        return ", ".join(market for market in self.markets if market in found)

    @property
    def status_class(self) -> str:
        return presenters.status_class(self.status)

    @property
    def status_text(self) -> str:
        return presenters.status_words(self.status)


NOTE_NO_CLAIM_STUDY = ("{compound}: none of its studies with a dose measured the design's claims ({claims}): its dose is "
                       "read against studies of other outcomes.")
NOTE_CLAIM_DOSE_APART = ("{compound}: within the span of its studied doses, but not within the dose of any study of "
                         "{claim}, a claim of the design: {studies}.")
NO_DENSITY_SOURCE = "no source recorded"
# 21 CFR 101.9(g)(4): an added mineral must test at 100% or more of the declared amount. Luna's 150 mg of magnesium
# rests on citrate's 16.16% by formula, where USP trimagnesium citrate may assay 14.5%: 134.6 mg, said nowhere.
NOTE_CLAIM_AT_FORMULA = ("The label claim of {compounds} rests on the fraction by formula, with no overage: a lot assaying "
                         "under theory (water, purity) tests under the declared amount, where 21 CFR 101.9(g)(4) asks for "
                         "100% or more. Record the supplier's specified fraction, or add an overage.")


FILL_UNSUITED = (engine.FillStatus.OVER, engine.FillStatus.TIGHT, engine.FillStatus.UNDERFILLED)
FILL_SIZES = "In {count} capsule{s} a serving, {sizes} would suit it."


@dataclass(frozen=True)
class ProductReport(_LimitStatus):
    result: engine.ProductResult
    lines: Sequence[LineData]
    totals: list[TotalRow]
    safety: list[presenters.SafetyRow]
    intake: list[presenters.SafetyRow]
    status: str
    fill: engine.CapsuleFill | None
    cost: engine.Cost
    capsule_size: str
    magnesium_serving: Decimal
    magnesium_day: Decimal
    line_reports: Sequence[LineReport] = ()
    evidence: EvidenceIndex | None = field(default=None, repr=False, compare=False)
    claims_text: str = ""
    population: str = ""
    memo: Memo | None = field(default=None, repr=False, compare=False)  # the library's, for the interactions
    markets_without_limits: tuple[presenters.MissingLimits, ...] = ()
    nutrients_without_limits: presenters.NoLimitAnywhere | None = None
    markets: tuple[str, ...] = ()
    status_nutrient_slugs: tuple[str, ...] = ()  # presenters.status_nutrient_slugs
    status_nutrients: str = ""  # the same in words
    capsule_size_missing: bool = False  # capsules of a size not in the library (a curator deleted it): no fill check
    # Where the size chosen does not suit the serving (over, tight or underfilled): the sizes that would, with as many
    # capsules (engine.capsule_sizes_that_fit). "Underfilled: a smaller size may do" named none.
    fill_sizes: tuple[tuple[str, Decimal], ...] = ()

    @property
    def fill_sizes_text(self) -> str:
        if not self.fill_sizes or self.fill is None:
            return ""
        sizes = [f"size {code} ({labels.fill_percent(fraction)} full)" for code, fraction in self.fill_sizes]
        count = self.fill.capsules_per_serving
        return FILL_SIZES.format(count=count, s="" if count == 1 else "s", sizes=labels.listed(sizes, "or"))

    @cached_property
    def magnesium_day_text(self) -> str:
        """The headline's magnesium a day (headline_mg)."""
        return headline_mg(self.magnesium_day, self.result.assessments)

    @cached_property
    def magnesium_serving_text(self) -> str:
        """The headline's magnesium a serving (headline_mg)."""
        return headline_mg(self.magnesium_serving, self.result.assessments)

    @property
    def alignments(self) -> list[grading.LineAlignment | None]:
        """Each line's dose against the studied doses; none without evidence."""
        return [line.alignment for line in self.line_reports] if self.evidence is not None else []

    @cached_property
    def claims(self) -> list[ClaimView]:
        """Each claim with the grades behind it; worked out when a page shows them (the workbench does not)."""
        if self.evidence is None:
            return []
        return self.evidence.claims(self.claims_text, [line.compound.slug for line in self.lines],
                                    {line.compound.slug: line.compound.name for line in self.lines})

    @cached_property
    def interactions(self) -> tuple[presenters.InteractionRow, ...]:
        """Interactions and contraindications of the design's compounds and nutrients, for its population."""
        if self.evidence is None:
            return ()
        return interaction_rows(self.evidence, [line.compound.slug for line in self.lines], self.result.per_day_label_mg,
                                self.population, self.memo)

    @property
    def lines_note(self) -> str:
        """Said under the ingredients where a nutrient's line amounts, each rounded on its own, do not add up to its
        total a serving."""
        for total in self.totals:
            parts = [labels.amount(calc.nutrients[total.nutrient.slug].label_mg, total.nutrient.label_unit,
                                   total.nutrient.amount_step)
                     for calc in self.result.lines if total.nutrient.slug in calc.nutrients]
            if len(parts) > 1 and not labels.parts_add_up(total.serving_text, parts):
                return labels.LINES_ROUNDED_APART
        return ""

    @cached_property
    def claims_at_formula(self) -> tuple[Compound, ...]:
        """The compounds of lines declaring a mineral or vitamin at its fraction by formula with no overage
        (NOTE_CLAIM_AT_FORMULA): a mineral, or a nutrient with a Daily Value or NRV (vitamin B6 from pyridoxine
        hydrochloride's 82.27%), which 21 CFR 101.9(g)(4)(i) holds to 100% of its claim as it does minerals."""
        with_reference = {row.reference.nutrient for row in self.intake if row.reference.kind in (engine.Kind.DV, engine.Kind.NRV)}
        held = {total.nutrient.slug for total in self.totals if total.nutrient.is_element or total.nutrient.slug in with_reference}
        found = {line.compound.slug: line.compound for line, calc in self.line_rows()
                 if not calc.overage_percent and any(amount.basis == engine.Basis.THEORETICAL and slug in held
                                                     for slug, amount in calc.nutrients.items())}
        return tuple(found.values())

    @cached_property
    def _formula_notes(self) -> tuple[tuple[str, str], ...]:
        """formula_refused_notes of each line's compound, once each, in line order."""
        return tuple(formula_refused_notes(compound) for compound in {line.compound.slug: line.compound for line in self.lines}.values())

    @property
    def formulas_refused(self) -> tuple[str, ...]:
        """For each line's compound whose formula the library refuses, what these figures leave out or count at a
        supplier's fraction alone."""
        return tuple(note for notes in self._formula_notes for note in notes if note)

    @property
    def formulas_uncounted(self) -> tuple[str, ...]:
        """The notes of formulas_refused that say a nutrient is not counted at all."""
        return tuple(uncounted for uncounted, _ in self._formula_notes if uncounted)

    @property
    def claims_at_formula_text(self) -> str:
        names = [labels.lower_first(compound.name) for compound in self.claims_at_formula]
        return NOTE_CLAIM_AT_FORMULA.format(compounds=labels.listed(names)) if names else ""

    @cached_property
    def densities(self) -> tuple[tuple[str, str], ...]:
        """The densities the capsule fill is worked out at, by their source: ("magnesium L-threonate 0.6 g/mL",
        "Typical tapped density for planning …"). A fill found over at a planning density may fit at the supplier's
        (the seed monograph puts 1,000 mg of the threonate in one size 00 capsule): the figures must say which it is."""
        by_source: dict[str, list[str]] = {}
        for compound in {line.compound.name: line.compound for line in self.lines}.values():  # each once, in line order
            if compound.bulk_density_g_per_ml:
                by_source.setdefault(compound.bulk_density_source or NO_DENSITY_SOURCE, []).append(
                    f"{labels.lower_first(compound.name)} {labels.plain_number(compound.bulk_density_g_per_ml)} g/mL")
        return tuple((", ".join(named), source) for source, named in by_source.items())

    def line_rows(self) -> list[tuple[LineData, engine.LineResult]]:
        return list(zip(self.lines, self.result.lines, strict=True))

    def evidence_rows(self) -> list[tuple[LineData, grading.LineAlignment | None]]:
        """Each compound once, at its first line, with the design's day of it against the studies (compound_alignments)."""
        rows: dict[str, tuple[LineData, grading.LineAlignment | None]] = {}
        for line, alignment in zip(self.lines, self.alignments, strict=True):
            rows.setdefault(line.compound.slug, (line, alignment))
        return list(rows.values())

    @cached_property
    def claim_dose_notes(self) -> tuple[str, ...]:
        """Where a compound's dose is judged against studies of other outcomes than the design's claims: within the span
        of all its studies, Recover's 2,000 mg of L-threonate is double the one sleep trial's dose, and Luna's citrate
        was read against trials of blood pressure and absorption only, for claims of sleep and muscle relaxation."""
        claims = [claim for claim in self.claims if claim.outcomes]
        if not claims:
            return ()
        wanted = {outcome for claim in claims for outcome in claim.outcomes}
        named = labels.listed([claim.claim for claim in claims])
        notes = []
        for line, alignment in self.evidence_rows():
            if alignment is None:
                continue
            if not any(wanted & set(s.dose.outcome_codes) for s in alignment.studies):
                notes.append(NOTE_NO_CLAIM_STUDY.format(compound=line.compound.name, claims=named))
                continue
            if alignment.overall != grading.Alignment.WITHIN:
                continue  # the verdict says it already
            for claim in claims:  # each claim's studies: cognition's being within says nothing of sleep's
                relevant = [s for s in alignment.studies if set(claim.outcomes) & set(s.dose.outcome_codes)]
                if relevant and not any(s.as_reported == grading.Alignment.WITHIN for s in relevant):
                    notes.append(NOTE_CLAIM_DOSE_APART.format(compound=line.compound.name, claim=claim.claim, studies="; ".join(
                        f"{s.as_reported} that of {s.dose.label} ({s.dose.outcomes})" for s in relevant)))
        return tuple(notes)

    @cached_property
    def same_salt_notes(self) -> dict[str, str]:
        """For a line's compound, where the entries of its salt are recorded if not under it (selectors.same_salt_note)."""
        if self.evidence is None:
            return {}
        return {slug: same_salt_note(names) for slug, names in self.evidence.same_salt.items()}


def _physical(compound: Compound, calc: engine.LineResult) -> engine.PhysicalLine:
    """What a line weighs in, fills and costs: its compound's formula mass, density and price."""
    return engine.PhysicalLine(compound.name, calc.formula_mg, compound.bulk_density_g_per_ml, compound.cost_per_kg)


def _line_input(index: int, line: LineData, library: Library) -> engine.LineInput:
    return engine.LineInput(
        key=str(index),
        name=line.compound.name,
        amount=line.amount,
        unit=line.unit,
        overage_percent=line.overage_percent,
        contributions=library.contributions_of(line.compound),
    )


def _sorted_totals(result_day: Mapping[str, Decimal], nutrients: Mapping[str, Nutrient]) -> list[str]:
    return sorted(result_day, key=lambda slug: (nutrients[slug].label_order, slug))


def line_report(index: int, line: LineData, servings_per_day: Decimal, library: Library,
                evidence: EvidenceIndex | None) -> LineReport:
    """Calculate one line of a product; once per distinct line for the library's own compounds.

    A line's figures depend on its compound, amount, unit and overage, the servings per day and the library
    revision alone, so the workbench recalculates only the line being typed in. A compound that is not the
    library's own object (a saved product's line) is calculated afresh: it may not be the library's version.
    """
    def calculate() -> LineReport:
        calc = engine.calculate_line(_line_input(index, line, library))
        compound = line.compound
        return LineReport(
            calc=calc,
            physical=_physical(compound, calc),
            alignment=line_alignment(line, calc, servings_per_day, evidence, library.nutrients) if evidence is not None else None,
            nutrients=library.nutrients,
        )

    if library.compounds.get(line.compound.slug) is not line.compound:
        return calculate()
    # Decimals by their text: 1.50 and 1.5 are equal, but their figures are shown with their own decimals.
    key = ("line", index, line.compound.slug, str(line.amount), line.unit, str(line.overage_percent), str(servings_per_day),
           evidence is not None)
    return library.memo.get(key, calculate)


@dataclass(frozen=True)
class TypedLine:
    """An ingredient row as the user typed it: its messages by field, or its line and the line's figures."""

    errors: Mapping[str, tuple[str, ...]]
    line: LineData | None = None
    report: LineReport | None = None  # none either when the servings per day are invalid


# The posted fields a line's checks and figures depend on: the page posts others (what the line's cell shows).
_checked_fields = itemgetter(*forms.LINE_CHECKED_FIELDS)


def typed_lines(rows: Sequence[Mapping[str, str]], servings_per_day: Decimal | None, library: Library,
                evidence: EvidenceIndex | None) -> list[TypedLine]:
    """Check and calculate the workbench's posted rows, once per distinct row.

    Typing changes one row at a time, so each keystroke looks every other row up in one step, instead of checking
    it, making its line and looking up its figures. The checks are lines_clean's (forms.line_clean); the figures
    line_report's.
    """
    language = translation.get_language()
    servings = None if servings_per_day is None else str(servings_per_day)
    get = library.memo.get
    return [
        get(("typed line", index, _checked_fields(row), servings, language, evidence),
            _typed_line, index, row, servings_per_day, language, library, evidence)
        for index, row in enumerate(rows)
    ]


def _typed_line(index: int, row: Mapping[str, str], servings_per_day: Decimal | None, language: str | None,
                library: Library, evidence: EvidenceIndex | None) -> TypedLine:
    values, errors = forms.line_clean(row, library.compounds, language)
    if errors:
        return TypedLine(MappingProxyType(errors))
    line = LineData(library.compounds[values["compound"]], values["amount"], values["unit"], values["overage_percent"],
                    values["blend"])
    report = None if servings_per_day is None else line_report(index, line, servings_per_day, library, evidence)
    return TypedLine(MappingProxyType({}), line, report)


def solve_design(fields: Mapping[str, Any] | None, rows: Sequence[Mapping[str, str]], index: int, library: Library,
                 evidence: EvidenceIndex | None) -> engine.Design | None:
    """The rest of the design the editor's row `index` is solved in, as its figures count it: the other rows that are
    lines, with the product's valid fields (None while a field is invalid: the figures wait for it)."""
    if fields is None:
        return None
    # The rows being typed are each looked up once (typed_lines): the figures after the solve read the same.
    typed = typed_lines(rows, fields["servings_per_day"], library, evidence)
    others = tuple(t.report.calc for i, t in enumerate(typed) if i != index and t.report is not None)
    markets = tuple(fields["markets"])
    return engine.Design(others, fields["servings_per_day"], library.references_for(markets, fields["population"]),
                         markets, fields["population"])


def product_report(
    *,
    lines: Sequence[LineData],
    servings_per_day: Decimal,
    markets: Sequence[str],
    population: str,
    dosage_form: str,
    capsule_size: str,
    serving_size: int,
    library: Library,
    key: str = "",
    name: str = "",
    claims: str = "",
    evidence: EvidenceIndex | None = None,
    parts: Sequence[LineReport] | None = None,
) -> ProductReport:
    """Calculate a product, saved or draft, with everything the pages show (and its evidence, if given).

    parts are the lines' own figures when the caller has them (typed_lines): they must be line_report's for these
    lines, servings per day, library and evidence.
    """
    if parts is None:
        parts = [line_report(i, line, servings_per_day, library, evidence) for i, line in enumerate(lines)]
    if evidence is not None:
        parts = compound_alignments(lines, parts, servings_per_day, evidence, library)
    result = engine.product_from_lines(
        tuple(part.calc for part in parts),
        servings_per_day,
        references=library.references_for(markets, population),
        markets=markets,
        population=population,
        key=key,
        name=name,
    )
    physical = [part.physical for part in parts]
    fill = None
    if dosage_form == DosageForm.CAPSULE and capsule_size in library.capsule_volumes:
        fill = engine.capsule_fill(physical, library.capsule_volumes[capsule_size], serving_size)
    fill_sizes = (engine.capsule_sizes_that_fit(fill, library.capsule_volumes)
                  if fill is not None and fill.status in FILL_UNSUITED else ())
    magnesium_serving = result.per_serving_label_mg.get(MAGNESIUM, engine.ZERO)
    nutrients = library.nutrients
    ordered = _sorted_totals(result.per_day_label_mg, nutrients)
    status = presenters.worst_status(result.assessments)
    status_slugs = presenters.status_nutrient_slugs(result.assessments, status, ordered)
    return ProductReport(
        result=result,
        lines=lines,
        totals=[
            TotalRow(nutrients[slug], result.per_serving_label_mg[slug], result.per_day_label_mg[slug],
                     result.per_day_formula_mg[slug], limit_amounts(result.assessments, slug))
            for slug in ordered
        ],
        safety=presenters.safety_rows(result.assessments, nutrients, population, limits=True, memo=library.memo),
        intake=presenters.safety_rows(result.assessments, nutrients, population, limits=False, memo=library.memo),
        status=status,
        status_nutrient_slugs=status_slugs,
        status_nutrients=presenters.nutrients_in_words(status_slugs, nutrients),
        fill=fill,
        cost=engine.cost(physical, servings_per_day, magnesium_serving),
        capsule_size=capsule_size,
        magnesium_serving=magnesium_serving,
        magnesium_day=result.per_day_label_mg.get(MAGNESIUM, engine.ZERO),
        line_reports=parts,
        evidence=evidence,
        claims_text=claims,
        population=population,
        memo=library.memo,
        markets_without_limits=presenters.markets_without_limits(result.assessments, markets, ordered, nutrients,
                                                                 library.limited_nutrients),
        nutrients_without_limits=presenters.nutrients_without_limits(ordered, nutrients, library.limited_nutrients),
        markets=tuple(markets),
        capsule_size_missing=dosage_form == DosageForm.CAPSULE and fill is None,
        fill_sizes=fill_sizes,
    )


def interaction_rows(evidence: EvidenceIndex, compound_slugs: Iterable[str], nutrient_slugs: Iterable[str],
                     population: str, memo: Memo | None = None) -> tuple[presenters.InteractionRow, ...]:
    """The interactions and contraindications of these compounds and nutrients, for a population.

    With a memo (the library's), worked out once per distinct set of them: typing an amount leaves them as they were.
    """
    compounds, nutrients = frozenset(compound_slugs), frozenset(nutrient_slugs)

    def rows() -> tuple[presenters.InteractionRow, ...]:
        return presenters.interaction_rows(evidence.interactions_for(compounds, nutrients), population)

    return rows() if memo is None else memo.get(("interactions", evidence, compounds, nutrients, population), rows)


def line_alignment(line: LineData, calc: engine.LineResult, servings_per_day: Decimal, evidence: EvidenceIndex,
                   nutrients: Mapping[str, Nutrient], calcs: Sequence[engine.LineResult] = ()) -> grading.LineAlignment | None:
    """A line's daily dose against the studied doses of its compound (magnesium, else its first nutrient).

    calcs are all the design's lines of the compound, this one among them, where it is on several: their sum is the
    day's dose of it.
    """
    calcs = calcs or (calc,)
    nutrient = MAGNESIUM if MAGNESIUM in calc.nutrients else next(iter(calc.nutrients), None)
    amount = calc.nutrients.get(nutrient) if nutrient else None
    doses = evidence.doses(line.compound.slug, amount.fraction if amount else None)
    if not doses:
        return None
    elemental = sum((c.nutrients[nutrient].label_mg for c in calcs), engine.ZERO) * servings_per_day if amount else engine.ZERO
    known = nutrients.get(nutrient) if nutrient else None
    word = labels.lower_first(known.name) if known is not None and not known.is_element else "elemental"
    return grading.align(sum((c.label_mg for c in calcs), engine.ZERO) * servings_per_day, elemental, doses, word,
                         lines=len(calcs))


def compound_alignments(lines: Sequence[LineData], parts: Sequence[LineReport], servings_per_day: Decimal,
                        evidence: EvidenceIndex, library: Library) -> Sequence[LineReport]:
    """The lines' figures with each dose against the studies as the design's whole dose of its compound.

    Two lines of 150 mg of a compound are a day's 300 mg: each alone read "below" trials of 300 mg. Worked out once
    per distinct set of such lines (line_report keeps a line's figures by its values). Their cells name the lines, not
    the sum, so that typing in one sends the others' cells only when what they say of the dose changes.
    """
    by_compound: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        by_compound.setdefault(line.compound.slug, []).append(index)
    combined = list(parts)
    for indexes in by_compound.values():
        if len(indexes) < 2 or parts[indexes[0]].alignment is None:
            continue
        group = tuple(parts[i] for i in indexes)

        def together(group: tuple[LineReport, ...] = group, indexes: list[int] = indexes) -> tuple[LineReport, ...]:
            calcs = [part.calc for part in group]
            alignment = line_alignment(lines[indexes[0]], calcs[0], servings_per_day, evidence, library.nutrients, calcs)
            named = f"lines {labels.listed([str(i + 1) for i in indexes])} together"
            return tuple(replace(part, alignment=alignment, together=named) for part in group)

        # Keyed by the line reports themselves (compared by identity) and what else the sum depends on.
        for index, part in zip(indexes, library.memo.get(("compound-dose", group, str(servings_per_day)), together), strict=True):
            combined[index] = part
    return combined


def saved_product_report(
    product: Product, library: Library, evidence: EvidenceIndex | None = None,
    markets: Sequence[str] | None = None, population: str | None = None, lines: Sequence[LineData] | None = None,
) -> ProductReport:
    """A saved product's report, against its own markets and population unless others are given (comparisons).

    lines are the product's own unless given: a past version's, with the version's fields as the product. The evidence is
    the library's unless given: without it, the page said the library records no interaction for the design.
    """
    return product_report(
        lines=lines_of(product) if lines is None else lines,
        servings_per_day=product.servings_per_day,
        markets=product.markets if markets is None else markets,
        population=product.population if population is None else population,
        dosage_form=product.dosage_form,
        capsule_size=product.capsule_size,
        serving_size=product.serving_size,
        library=library,
        key=product.slug,
        name=product.name,
        claims=product.claims,
        evidence=library.evidence() if evidence is None else evidence,
    )


# Stacks -----------------------------------------------------------------------------------------

# No red or orange next to the red limit lines; twelve, as a stack of nine products drew two in one colour with eight.
BAR_COLOURS = ["#2356a8", "#2f9e6e", "#8e44ad", "#16a0b5", "#4d7c0f", "#7f8c8d", "#b8860b", "#5d6d7e",
               "#00695c", "#6d4c41", "#1a237e", "#827717"]


@dataclass(frozen=True)
class StackTotalRow(_DayTexts):
    nutrient: Nutrient
    day: Decimal
    day_formula: Decimal
    shares: tuple[engine.Share, ...]
    limits: tuple[Decimal, ...] = ()  # as TotalRow's

    @cached_property
    def share_texts(self) -> list[tuple[engine.Share, str, str]]:
        """Each product's share as "From" lists it: its amount, as its own page writes it, and its percentage of the
        day, the percentages adding up to 100%."""
        amounts = labels.shares_amounts([s.amount_mg for s in self.shares], self.nutrient.label_unit, self.nutrient.amount_step,
                                        self.limits)
        return list(zip(self.shares, amounts, labels.shares_percent([s.fraction for s in self.shares]), strict=True))

    @property
    def shares_add_up(self) -> bool:
        return labels.parts_add_up(self.day_text, [amount for _, amount, _ in self.share_texts])


@dataclass(frozen=True)
class StackReport(_LimitStatus):
    result: engine.StackResult
    items: Sequence[ItemData]
    totals: list[StackTotalRow]
    safety: list[presenters.SafetyRow]
    intake: list[presenters.SafetyRow]
    status: str
    chart: dict[str, Any] | None = field(default=None)
    cost: engine.Cost = engine.Cost(None, None, None)
    interactions: tuple[presenters.InteractionRow, ...] = ()
    markets_without_limits: tuple[presenters.MissingLimits, ...] = ()
    nutrients_without_limits: presenters.NoLimitAnywhere | None = None
    markets: tuple[str, ...] = ()
    status_nutrient_slugs: tuple[str, ...] = ()  # presenters.status_nutrient_slugs
    status_nutrients: str = ""  # the same in words
    population: str = ""
    formulas_refused: tuple[str, ...] = ()  # stack_formulas_refused

    @property
    def magnesium_day(self) -> Decimal:
        return self.result.per_day_label_mg.get(MAGNESIUM, engine.ZERO)

    @cached_property
    def magnesium_day_text(self) -> str:
        """The headline's magnesium a day (headline_mg)."""
        return headline_mg(self.magnesium_day, self.result.assessments)

    def item_rows(self) -> list[tuple[ItemData, engine.ProductResult, str, str, str]]:
        """Each item with its product's figures, its product's name (services.stack_product_names), what the stack's
        pages and sheets say of it beside its name (stack_item_note) and its magnesium a day, as the totals write it."""
        limits = limit_amounts(self.result.assessments, MAGNESIUM)
        return [(item, calc, name, stack_item_note(item.product, self.population, self.markets, item.servings_per_day),
                 labels.amount_apart(calc.per_day_label_mg.get(MAGNESIUM, engine.ZERO), limits))
                for item, calc, name in zip(self.items, self.result.products, services.stack_product_names(self.items),
                                            strict=True)]

    @cached_property
    def judged_doses(self) -> tuple[tuple[Nutrient, engine.LargestDose], ...]:
        """The largest single dose of each nutrient a per-dose rule judges (Germany's 125 mg of magnesium), in the
        order of the totals."""
        nutrients = {a.reference.nutrient for a in self.result.assessments if a.reference.per == engine.Per.DOSE}
        return tuple((t.nutrient, self.result.largest_doses[t.nutrient.slug]) for t in self.totals
                     if t.nutrient.slug in nutrients and t.nutrient.slug in self.result.largest_doses)

    @cached_property
    def dose_notes(self) -> tuple[str, ...]:
        """When each judged dose is taken, and of which products: "339 mg in one dose is 214 mg over" named neither."""
        return tuple((NOTE_LARGEST_DOSE if dose.timing else NOTE_LARGEST_DOSE_UNTIMED).format(
            nutrient=nutrient.name, amount=labels.amount(dose.amount_mg, nutrient.label_unit, nutrient.amount_step),
            timing=dose.timing, products=labels.listed(list(dose.product_names))) for nutrient, dose in self.judged_doses)

    @property
    def shares_note(self) -> str:
        """Said under the totals where a total's "From" amounts, each rounded on its own, do not add up to it."""
        return "" if all(t.shares_add_up for t in self.totals if t.shares) else labels.SHARES_ROUNDED_APART


NOTE_LARGEST_DOSE = "{nutrient}: the largest single dose, {amount} with overage, is taken in the {timing}: {products}."
NOTE_LARGEST_DOSE_UNTIMED = "{nutrient}: the largest single dose, {amount} with overage, is {products}, taken at no set time."
# A stack takes its own team's products as they are now: a sheet of it must not pass off a draft's amounts as approved.
NOTE_DRAFT = "Revision {revision} is in draft: not approved, and its amounts may still change."
NOTE_IN_REVIEW = "Revision {revision} is in review: not approved yet."
# An adult's product in a stack for children 4-8 was listed as any other: its serving, its label and its approval were
# made for adults, and only the stack's totals are checked against the children's limits.
NOTE_OTHER_POPULATION = "Designed for {product_population}, not {population}: its serving and label were set for them."
# MagTech, made for the US, in a stack sold in the EU too was listed as any other: its label and its approval were made
# for the US, and only the stack's totals are checked against the EU's limits.
NOTE_OTHER_MARKETS = "Designed for {product_markets}, not {markets}: its label was set for those markets."
# The product's serving changed after the stack was saved (2 capsules a serving, taken at 0.5 servings, became 1): the
# stack's editor refuses it, and its page and sheets listed half a capsule a day without a word.
NOTE_WHOLE_UNITS = "{problem} Its serving changed since this stack was saved: edit the stack."
# A product's compound whose formula the library refuses (formula_refused_notes) leaves its nutrients out of the stack's
# totals as out of the product's, and the stack's pages, sheets and API said nothing of it.
NOTE_STACK_FORMULA_REFUSED = "In {products}: {note}"


def stack_item_note(product: Product, population: str = "", markets: Sequence[str] = (),
                    servings_per_day: Decimal | None = None) -> str:
    """What a stack says of a product beside its name: another team's taken back to draft, as it was last shown
    (selectors.product_as_seen); one not approved, as it is now; nothing of an approved one; one designed for another
    population than the stack's, or not for all of its markets; and a day of it that is no whole number of capsules."""
    seen_note = getattr(product, "seen_note", "")
    if seen_note:
        notes = [seen_note]
    elif product.status == Status.DRAFT:
        notes = [NOTE_DRAFT.format(revision=product.revision)]
    elif product.status == Status.IN_REVIEW:
        notes = [NOTE_IN_REVIEW.format(revision=product.revision)]
    else:
        notes = []
    if population and product.population != population:
        notes.append(NOTE_OTHER_POPULATION.format(product_population=presenters.population_in_words(product.population),
                                                  population=presenters.population_in_words(population)))
    designed = markets_in_force(product.markets)
    missing = [market for market in markets if market not in designed]
    if missing:
        notes.append(NOTE_OTHER_MARKETS.format(product_markets=labels.listed(designed) or "no market",
                                               markets=labels.listed(missing, "or")))
    problem = forms.whole_units_error(product.dosage_form, product.serving_size, servings_per_day)
    if problem:
        notes.append(NOTE_WHOLE_UNITS.format(problem=problem))
    return " ".join(notes)


def stack_formulas_refused(items: Sequence[ItemData], item_lines: Sequence[Sequence[LineData]]) -> tuple[str, ...]:
    """Each note of formula_refused_notes for the stack's products' compounds, once a compound, naming its products."""
    compounds: dict[str, Compound] = {}
    products: dict[str, list[str]] = {}
    for name, lines in zip(services.stack_product_names(items), item_lines, strict=True):
        for line in lines:
            compounds[line.compound.slug] = line.compound
            named = products.setdefault(line.compound.slug, [])
            if name not in named:  # a product taken at two times is one product
                named.append(name)
    return tuple(NOTE_STACK_FORMULA_REFUSED.format(products=labels.listed(products[slug]), note=note)
                 for slug, compound in compounds.items() for note in formula_refused_notes(compound) if note)


def stack_report(
    *, items: Sequence[ItemData], markets: Sequence[str], population: str, library: Library,
    evidence: EvidenceIndex | None = None,
) -> StackReport:
    item_lines = [lines_of(item.product) for item in items]  # the figures and the costs read them
    result = engine.calculate_stack(
        [
            engine.StackItemInput(
                key=item.product.slug,
                name=name,
                lines=tuple(_line_input(i, line, library) for i, line in enumerate(lines)),
                servings_per_day=item.servings_per_day,
                timing=item.timing,
            )
            for item, name, lines in zip(items, _item_names(items), item_lines, strict=True)
        ],
        references=library.references_for(markets, population),
        markets=markets,
        population=population,
    )
    nutrients = library.nutrients
    ordered = _sorted_totals(result.per_day_label_mg, nutrients)
    status = presenters.worst_status(result.assessments)
    status_slugs = presenters.status_nutrient_slugs(result.assessments, status, ordered)
    costs = []
    for lines, product in zip(item_lines, result.products, strict=True):
        physical = [_physical(line.compound, calc) for line, calc in zip(lines, product.lines, strict=True)]
        costs.append((engine.cost(physical, product.servings_per_day, engine.ZERO), product.servings_per_day))
    return StackReport(
        result=result,
        items=items,
        totals=[
            StackTotalRow(nutrients[slug], result.per_day_label_mg[slug], result.per_day_formula_mg[slug], result.shares[slug],
                          limit_amounts(result.assessments, slug))
            for slug in ordered
        ],
        safety=presenters.safety_rows(result.assessments, nutrients, population, limits=True),
        intake=presenters.safety_rows(result.assessments, nutrients, population, limits=False),
        status=status,
        status_nutrient_slugs=status_slugs,
        status_nutrients=presenters.nutrients_in_words(status_slugs, nutrients),
        population=population,
        chart=stacked_bar(result, MAGNESIUM, nutrients),
        cost=engine.stack_cost(costs, result.per_day_label_mg.get(MAGNESIUM, engine.ZERO)),
        markets_without_limits=presenters.markets_without_limits(result.assessments, markets, ordered, nutrients,
                                                                 library.limited_nutrients),
        nutrients_without_limits=presenters.nutrients_without_limits(ordered, nutrients, library.limited_nutrients),
        markets=tuple(markets),
        formulas_refused=stack_formulas_refused(items, item_lines),
        interactions=interaction_rows(
            evidence, [line.compound.slug for item in items for line in item.product.lines.all()], result.per_day_label_mg,
            population, library.memo,
        ) if evidence is not None else (),
    )


def _item_names(items: Sequence[ItemData], names: Sequence[str] | None = None) -> list[str]:
    """Each item's name in the shares and the chart (or its given name, as a list words it): a product taken twice is
    told apart by its time, then position."""
    products = Counter(item.product.slug for item in items)
    doses = Counter((item.product.slug, item.timing) for item in items)
    given = services.stack_product_names(items) if names is None else names
    names = []
    for position, (item, name) in enumerate(zip(items, given, strict=True), 1):
        if products[item.product.slug] > 1:
            again = f", item {position}" if doses[item.product.slug, item.timing] > 1 else ""
            name = f"{name} ({item.timing}{again})"
        names.append(name)
    return names


def stack_item_names(stack: Stack, user: Any) -> list[str]:
    """A stack's products as the stack list names them: as lists name designs (selectors.design_name, with another
    team's name), a product taken twice told apart by its time ("Luna (evening), Luna (morning)"), as the stack's
    own page and chart do."""
    items = list(stack.items.all())
    return _item_names(items, [selectors.design_name(item.product, user) for item in items])


def saved_stack_report(
    stack: Stack, library: Library, evidence: EvidenceIndex | None = None,
    markets: Sequence[str] | None = None, population: str | None = None,
) -> StackReport:
    """A saved stack's report, against its own markets and population unless others are given (comparisons), with the
    library's evidence unless other is given: without it, the stack list and the editor's figures from the last save
    left out an ingredient excluded by law, the population's caution and every interaction."""
    items = [ItemData(item.product, item.servings_per_day, item.timing) for item in stack.items.all()]
    return stack_report(items=items, markets=stack.markets if markets is None else markets,
                        population=stack.population if population is None else population,
                        library=library, evidence=library.evidence() if evidence is None else evidence)


# The stack chart's limit labels: 13 units, so that on a phone, where the drawing is at least 32rem (512 px) wide for
# its 640 units, they are still drawn at 10 px.
STACK_LIMIT_FONT = 13
STACK_TRACK_HEIGHT = 28
STACK_LIMITS_TO_TRACK = 12  # from the baseline of the last row of limit labels down to the bar
STACK_LINE_BELOW = 8  # a limit line reaches this far below the bar
STACK_MARGIN = 8  # around the bar, with no limit to label above it
STACK_OVERAGE = "Overage"  # the last segment: the products' overages, which count against the limits
STACK_OVERAGE_COLOUR = "#c5cbd6"  # light, and apart from BAR_COLOURS: not a product
STACK_WITH_OVERAGE = "{amount} with overage"


def stacked_bar(result: engine.StackResult, nutrient: str, nutrients: Mapping[str, Nutrient],
                width: int = 640) -> dict[str, Any] | None:
    """Geometry of a horizontal stacked bar (one segment per product) with each limit as a line.

    The limits' labels stand above the bar, placed as the comparison's daily chart places them (compare.limit_labels):
    in rows, each beside the top of its own line, never over another label or cut by the drawing's edges, however far
    the total runs past the limits and crowds their lines together. Geometry is computed here, not in the template,
    which only draws what it is given.
    """
    # compare builds on this module's reports, so it is imported when a chart is drawn rather than with this module.
    from formulator import compare, labels

    shares = result.shares.get(nutrient, ())
    # A limit of food and formula only (the IOM's for infants) is drawn at nothing: left out, the chart of a stack over
    # it drew no limit at all.
    limits = [a for a in result.assessments if a.is_limit and a.reference.nutrient == nutrient
              and (a.reference.amount_mg or a.reference.food_only) and a.reference.per == engine.Per.DAY]
    total = result.per_day_label_mg.get(nutrient, engine.ZERO)
    judged = result.per_day_formula_mg.get(nutrient, engine.ZERO)  # with overage: what the limits are judged on
    if not shares and not limits:
        return None
    scale_max = max([judged, total, *[a.reference.amount_mg for a in limits if a.reference.amount_mg]]) * Decimal("1.1")
    if not scale_max:  # nothing taken, against a limit of nothing
        return None
    left, bar_width = 8, Decimal(width - 16)
    x = Decimal(left)
    segments = []
    unit = nutrients[nutrient].label_unit if nutrient in nutrients else labels.MG
    step = nutrients[nutrient].amount_step if nutrient in nutrients else labels.WHOLE
    # As the totals table writes them: never reading as a limit drawn beside them that they are not equal to.
    limit_mgs = [a.reference.amount_mg for a in limits if a.reference.amount_mg is not None]
    total_text = labels.amount_apart(total, limit_mgs, unit, step)
    amount_texts = labels.shares_amounts([share.amount_mg for share in shares], unit, step, limit_mgs)
    for index, (share, amount_text) in enumerate(zip(shares, amount_texts, strict=True)):
        seg_width = share.amount_mg / scale_max * bar_width
        segments.append({
            "x": round(x, 1), "width": round(seg_width, 1), "colour": BAR_COLOURS[index % len(BAR_COLOURS)],
            "name": share.product_name, "amount_mg": share.amount_mg, "amount_text": amount_text, "fraction": share.fraction,
        })
        x += seg_width
    judged_text = ""
    if judged > total:
        # After the products' declared amounts, so that a stack over a limit never stops short of its line.
        seg_width = (judged - total) / scale_max * bar_width
        judged_text = STACK_WITH_OVERAGE.format(amount=labels.amount_apart(judged, limit_mgs, unit, step))
        segments.append({"x": round(x, 1), "width": round(seg_width, 1), "colour": STACK_OVERAGE_COLOUR,
                         "name": STACK_OVERAGE, "amount_mg": judged - total,
                         "amount_text": labels.amount(judged - total, unit, step), "fraction": None})
        x += seg_width
    # Markets with the same limit share one line and one label: drawn apart, their labels would print over each other.
    by_amount: dict[Decimal, list[engine.Assessment]] = {}
    for a in limits:
        by_amount.setdefault(a.reference.amount_mg or engine.ZERO, []).append(a)
    lines = []
    for amount_mg, group in sorted(by_amount.items()):
        label = presenters.chart_line_name((a.reference.market, a.reference.kind.value) for a in group)
        lines.append({"x": round(left + amount_mg / scale_max * bar_width, 1), "label": label, "amount_mg": amount_mg,
                      "text": presenters.chart_line_text(label, amount_mg),
                      "status": presenters.worst_status(group)})
    places = compare.limit_labels([(line["x"], line["text"]) for line in lines], width, font=STACK_LIMIT_FONT)
    for line, place in zip(lines, places, strict=True):
        line.update(place)
    track_y = max(line["label_y"] for line in lines) + STACK_LIMITS_TO_TRACK if lines else STACK_MARGIN
    line_bottom = track_y + STACK_TRACK_HEIGHT + STACK_LINE_BELOW
    return {"width": width, "height": line_bottom + STACK_MARGIN, "track_x": left, "track_y": track_y,
            "track_width": bar_width, "track_height": STACK_TRACK_HEIGHT, "line_bottom": line_bottom,
            "limit_font": STACK_LIMIT_FONT, "segments": segments, "limits": lines,
            "total_mg": total, "total_text": total_text, "judged_text": judged_text, "nutrient": nutrients[nutrient].name if nutrient in nutrients else nutrient, "total_x": round(x, 1)}
