"""Evidence grades and dose alignment: plain Python, no Django, so the rule can be read and tested alone.

The grade of a compound for an outcome is computed from the studies that link the two. The rule is
written out in RULE_TEXT, which the evidence pages show word for word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from formulator import labels


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


GRADE_NAMES = {
    Grade.A: "Strong",
    Grade.B: "Moderate",
    Grade.C: "Limited",
    Grade.D: "Preclinical only",
    Grade.E: "Unsupported",
}

# The seed monograph's tiers, mapped onto the grades so its classifications can be checked.
SEED_TIERS = {
    "Tier 1: Foundation": Grade.A,
    "Tier 2: Supported": Grade.B,
    "Tier 3: Emerging": Grade.C,
    "Tier 4: Experimental": Grade.D,
}

DESIGN_WEIGHTS: dict[str, Decimal] = {
    "meta-analysis": Decimal(4),
    "systematic-review": Decimal(3),
    "rct": Decimal(3),
    "non-randomised-trial": Decimal(2),
    "observational": Decimal("1.5"),
    "case-series": Decimal(1),
    "animal": Decimal("0.5"),
    "in-vitro": Decimal("0.25"),
    "narrative-review": Decimal("0.25"),
    "marketing-claim": Decimal(0),
}
HUMAN_DESIGNS = frozenset({"meta-analysis", "systematic-review", "rct", "non-randomised-trial", "observational", "case-series"})
RANDOMISED = frozenset({"meta-analysis", "systematic-review", "rct"})
# The directions that are a result; "undetermined" (measured, no result either way) and "not-reported" are not.
RESULTS = frozenset({"benefit", "no-effect", "harm", "mixed"})
UNDETERMINED = "undetermined"
NULL_DIRECTIONS = frozenset({"no-effect", "harm"})
DIRECTION_WORDS = {"no-effect": "no effect", "harm": "harm"}
CONSISTENT_SHARE = Decimal("0.75")
STRONG_TOTAL_N = 200
MODERATE_TOTAL_N = 50

RULE_TEXT = (
    "Each study counts with its design's weight (meta-analysis 4, systematic review 3, randomised trial 3, "
    "non-randomised trial 2, observational 1.5, case series 1, animal 0.5, in vitro and narrative review 0.25, "
    "manufacturer or marketing claim 0). Disputed entries are left out. Consistency is the weighted share of "
    "human studies reporting a benefit among those reporting a result: a benefit, no effect, harm, mixed results, or "
    "a result that could not be determined (no support, nor a null result). "
    "A (strong): at least two randomised trials, or one meta-analysis or systematic review, consistency of 75% "
    "or more, and at least 200 participants in all. "
    "B (moderate): at least one randomised trial, meta-analysis or systematic review, consistency of 75% or more, "
    "and at least 50 participants. For A and B, only the studies reporting a benefit, no effect, harm or mixed "
    "results count, and their participants. "
    "C (limited): other human evidence: randomised evidence that is small or inconsistent, non-randomised "
    "studies, or studies that report no direction. "
    "D (preclinical only): animal, in vitro or narrative evidence without human studies. "
    "E (unsupported): human studies that report a direction found only no effect or harm (a null result is not "
    "weak support), or nothing but marketing claims, or no entry at all. "
    "A curator may override a grade; the override shows its reason beside the computed grade."
)


@dataclass(frozen=True)
class Evidence:
    """One study's contribution to a compound and outcome."""

    key: str
    design: str
    n: int | None
    direction: str  # benefit, no-effect, harm, mixed, undetermined, not-reported
    disputed: bool = False


@dataclass(frozen=True)
class GradeResult:
    grade: Grade
    reason: str
    studies: int
    human_studies: int
    randomised: int  # the randomised or pooled studies that found a result ("could not be determined" is none)
    total_n: int  # the participants of the human studies that found a result
    consistency: Decimal | None  # share of weighted human evidence reporting benefit, among those reporting a result

    @property
    def name(self) -> str:
        return GRADE_NAMES[self.grade]


def _benefit_share(evidence: Sequence[Evidence]) -> Decimal:
    """The weighted share of the studies reporting a benefit."""
    weight = sum((DESIGN_WEIGHTS[e.design] for e in evidence), Decimal(0))
    return sum((DESIGN_WEIGHTS[e.design] for e in evidence if e.direction == "benefit"), Decimal(0)) / weight


def _studies(count: int, kind: str) -> str:
    return f"{count} {kind} {'study' if count == 1 else 'studies'}"


def grade(evidence: Sequence[Evidence]) -> GradeResult:
    """Grade a compound for an outcome from the studies linking them, by RULE_TEXT."""
    counted = [e for e in evidence if not e.disputed]
    human = [e for e in counted if e.design in HUMAN_DESIGNS]
    # The studies that measured the outcome and say what they found, "could not be determined" included: a trial that
    # could not tell its effect from placebo's is no support, and weighs against consistency as one that found none
    # would, but is no null result (E). A study that does not report the outcome's result counts for nothing here.
    reporting = [e for e in human if e.direction in RESULTS or e.direction == UNDETERMINED]
    directed = [e for e in reporting if e.direction in RESULTS]
    undetermined = len(reporting) - len(directed)
    consistency = _benefit_share(reporting) if reporting else None  # every human design weighs more than 0
    consistent = consistency is not None and consistency >= CONSISTENT_SHARE
    # A and B rest on the studies that found something: one that could not tell, or does not report the result, is no
    # second trial, nor are its participants: it can lower a grade (above), never raise one.
    randomised = [e for e in directed if e.design in RANDOMISED]
    total_n = sum(e.n or 0 for e in directed)
    meta = any(e.design in ("meta-analysis", "systematic-review") for e in randomised)
    rcts = sum(1 for e in randomised if e.design == "rct")

    def result(g: Grade, reason: str) -> GradeResult:
        return GradeResult(g, reason, len(counted), len(human), len(randomised), total_n, consistency)

    if (meta or rcts >= 2) and consistent and total_n >= STRONG_TOTAL_N:
        return result(Grade.A, f"{_studies(len(randomised), 'randomised or pooled')}, consistent, {total_n} participants.")
    if randomised and consistent and total_n >= MODERATE_TOTAL_N:
        return result(Grade.B, f"{_studies(len(randomised), 'randomised')}, consistent, {total_n} participants.")
    # A trial that found nothing is evidence against the claim, not a little evidence for it: grading it C
    # ("limited") would read as weak support on a product's claims.
    if directed and all(e.direction in NULL_DIRECTIONS for e in directed):
        nulls = " or ".join(DIRECTION_WORDS[d] for d in DIRECTION_WORDS if any(e.direction == d for e in directed))
        return result(Grade.E, f"No benefit shown: {_studies(len(directed), 'human')}, {nulls}.")
    if human:
        if consistency is None:
            why = "no direction reported"
        elif not directed:
            why = "no result either way"
        elif randomised and not consistent:
            if undetermined and _benefit_share(directed) >= CONSISTENT_SHARE:
                # The results found agree: what is short is the trials that could not tell.
                why = f"{undetermined} could not determine a result"
            else:
                # Studies that each found mixed results agree: Walker 2003's one "mixed" finding read "inconsistent results".
                why = "mixed results" if all(e.direction == "mixed" for e in directed) else "inconsistent results"
        else:
            why = ("no randomised evidence" if not randomised else f"only {total_n} participants" if total_n
                   else "participants not reported")
        return result(Grade.C, f"{_studies(len(human), 'human')}; {why}.")
    if any(DESIGN_WEIGHTS[e.design] > 0 for e in counted):
        return result(Grade.D, "Animal, in vitro or narrative evidence only.")
    if counted:
        return result(Grade.E, "Nothing but marketing claims.")
    if evidence:  # the entries are listed beside the grade: say why none of them counts
        return result(Grade.E, f"Only disputed entries ({len(evidence)}), left out of the grade.")
    return result(Grade.E, "No entry in the library.")


class Alignment(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DoseRange:
    """A studied daily dose: compound mass and elemental (or nutrient) mass, each a range, either unknown."""

    key: str
    label: str
    compound_min: Decimal | None
    compound_max: Decimal | None
    elemental_min: Decimal | None
    elemental_max: Decimal | None
    label_whole: str = ""  # the label, not shortened, for a printed sheet
    # What the study measured ("sleep quality"): a design's dose within the span of a sleep trial's and a cognition
    # trial's doses read as studied, though double the sleep trial's.
    outcomes: str = ""
    outcome_codes: tuple[str, ...] = ()  # the same, as the library's outcome codes ("sleep-quality")
    # Given as elemental (or nutrient) mass only, its compound mass worked out from the fraction: a study is shown
    # and judged by the figure it reported (Bullarbo's 300 mg of magnesium read "1,856.1 mg" of a citrate it never
    # weighed).
    elemental_only: bool = False
    # Given as compound mass only, its elemental (or nutrient) mass worked out from the fraction: Chandrasekhar's 600 mg
    # of extract read "30 mg withanolides", from the 5% of the product's own extract.
    compound_only: bool = False


def _align(value: Decimal, low: Decimal | None, high: Decimal | None) -> Alignment:
    if low is None and high is None:
        return Alignment.UNKNOWN
    low = low if low is not None else high
    high = high if high is not None else low
    assert low is not None and high is not None
    if _to_step_of(value, low) < low:
        return Alignment.BELOW
    if _to_step_of(value, high) > high:
        return Alignment.ABOVE
    return Alignment.WITHIN


FINEST_DOSE_STEP = -6  # a microgram's thousandth: finer than any dose a study reports


def _to_step_of(value: Decimal, dose: Decimal) -> Decimal:
    """A design's dose to the step a study wrote its dose to: 1,856 mg of a citrate is 299.99 mg of magnesium, the
    300 mg the trials gave, not "below" it (a dose is recorded to 0.001 mg, so 300 mg reads 300.000: its step is 1)."""
    exponent = dose.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    # A dose worked out from a fraction (a compound mass from the elemental dose given) has the engine's 28 digits:
    # no study wrote it so, and its last digit is no step to round to.
    step = Decimal(1).scaleb(min(max(exponent, FINEST_DOSE_STEP), 0))
    return value.quantize(step, rounding=ROUND_HALF_UP, context=labels.APART_CONTEXT)


@dataclass(frozen=True)
class StudyAlignment:
    dose: DoseRange
    by_compound: Alignment
    by_elemental: Alignment

    @property
    def as_reported(self) -> Alignment:
        """The alignment by the figure the study reported."""
        return self.by_elemental if self.dose.elemental_only else self.by_compound


@dataclass(frozen=True)
class LineAlignment:
    compound_mg_per_day: Decimal
    elemental_mg_per_day: Decimal
    studies: tuple[StudyAlignment, ...]
    overall: Alignment  # against the span of all studied doses, compound mass first
    span_compound: tuple[Decimal, Decimal] | None
    span_elemental: tuple[Decimal, Decimal] | None
    # What the second figure is a mass of: "elemental" magnesium, or a molecular nutrient by name ("withanolides"),
    # which is no element.
    nutrient_word: str = "elemental"
    lines: int = 1  # how many of the design's lines of the compound the dose sums

    @property
    def lines_text(self) -> str:
        """ "2 lines together" where the dose is the sum of several lines of the compound."""
        return f"{self.lines} lines together" if self.lines > 1 else ""

    @property
    def tally(self) -> str:
        """ "above 3 and within 1 of the 4 studies' doses" where the dose is within their span but not within each.

        "within" the span alone read as the studied dose: 600 mg of MgO is within 422.9–828 mg, and above three of the
        four trials' doses."""
        if self.overall != Alignment.WITHIN:
            return ""
        counts = Counter(s.as_reported for s in self.studies)
        if counts[Alignment.WITHIN] == len(self.studies):
            return ""
        words = {Alignment.ABOVE: "above", Alignment.WITHIN: "within", Alignment.BELOW: "below",
                 Alignment.UNKNOWN: "not comparable with"}
        parts = [f"{word} {counts[a]}" for a, word in words.items() if counts[a]]
        return f"{labels.listed(parts)} of the {len(self.studies)} studies' doses"

    @property
    def elemental_only(self) -> bool:
        """Every study gave its dose as elemental (or nutrient) mass only: the span is shown as they reported it."""
        return bool(self.studies) and self.span_elemental is not None and all(s.dose.elemental_only for s in self.studies)

    @property
    def compound_only(self) -> bool:
        """Every study gave its dose as compound mass only."""
        return bool(self.studies) and self.span_compound is not None and all(s.dose.compound_only for s in self.studies)

    @property
    def span_compound_shown(self) -> tuple[Decimal, Decimal] | None:
        """The span in compound mass, where a study reported one: Bullarbo's and Walker's 300 mg of magnesium read
        "1,856.1 mg compound", a citrate mass neither weighed."""
        return None if self.elemental_only else self.span_compound

    @property
    def span_elemental_shown(self) -> tuple[Decimal, Decimal] | None:
        """The span in elemental (or nutrient) mass, where a study reported one and it says more than the compound's."""
        if self.compound_only or self.span_elemental is None:
            return None
        return self.span_elemental if self.elemental_only or self.span_elemental != self.span_compound else None


def _span(lows: list[Decimal | None], highs: list[Decimal | None]) -> tuple[Decimal, Decimal] | None:
    values = [v for v in [*lows, *highs] if v is not None]
    return (min(values), max(values)) if values else None


def align(compound_mg_per_day: Decimal, elemental_mg_per_day: Decimal, doses: Sequence[DoseRange],
          nutrient_word: str = "elemental", lines: int = 1) -> LineAlignment:
    """Place a design's daily dose of a compound (of its lines of it) against each studied dose and their whole span."""
    studies = tuple(
        StudyAlignment(
            dose,
            _align(compound_mg_per_day, dose.compound_min, dose.compound_max),
            _align(elemental_mg_per_day, dose.elemental_min, dose.elemental_max),
        )
        for dose in doses
    )
    span_compound = _span([d.compound_min for d in doses], [d.compound_max for d in doses])
    span_elemental = _span([d.elemental_min for d in doses], [d.elemental_max for d in doses])
    if span_compound and not (span_elemental and doses and all(d.elemental_only for d in doses)):
        overall = _align(compound_mg_per_day, *span_compound)
    elif span_elemental:  # by what the studies reported
        overall = _align(elemental_mg_per_day, *span_elemental)
    else:
        overall = Alignment.UNKNOWN
    return LineAlignment(compound_mg_per_day, elemental_mg_per_day, studies, overall, span_compound, span_elemental,
                         nutrient_word, lines)
