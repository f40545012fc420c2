"""Read the evidence library: grades, studied doses, claims, interactions and search."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet

from compounds.chemistry import FormulaParseError, salt_of
from compounds.models import Compound
from compounds.revision import library_cache
from compounds.selectors import compound_fraction_rows
from evidence import grading
from evidence.models import DOI, PMID, GradeOverride, Interaction, Outcome, Study, StudyOutcome, Verification
from evidence.services import text_formulas_normalised, text_unaccented
from formulator import engine, labels

# What a product's claim words mean as outcomes in the library.
CLAIM_OUTCOMES: dict[str, tuple[str, ...]] = {
    "sleep": ("sleep-quality", "insomnia"),
    "insomnia": ("insomnia", "sleep-quality"),
    "cognition": ("cognition", "memory"),
    "memory": ("memory", "cognition"),
    "focus": ("cognition",),
    "anxiety": ("anxiety", "stress"),
    "stress": ("stress", "anxiety"),
    "mood": ("mood", "depression"),
    "depression": ("depression", "mood"),
    "muscle relaxation": ("muscle-cramps",),
    "cramps": ("muscle-cramps",),
    "migraine": ("migraine",),
    "blood pressure": ("blood-pressure",),
    "fatigue": ("fatigue",),
}
# A claim may also name an outcome as the library does ("sleep quality", "muscle-cramps"): it read "No outcome in the
# library matches this claim" beside the grades page's C for the same compound and outcome.
CLAIM_OUTCOMES.update({word: (outcome.value,) for outcome in Outcome if outcome != Outcome.OTHER
                       for word in (outcome.label.lower(), outcome.value) if word not in CLAIM_OUTCOMES})
CLAIM_SEPARATORS = re.compile(r"[,;]")
CLAIM_RULE = ("A product's claims are graded on the outcomes they name: {pooled} each take in the studies of both "
              "outcomes, and a study reporting both counts with the better of its two results. Some are graded on an "
              "outcome of another name: {single}; any other claim on the outcome it names as this page does (sleep "
              "quality, serum magnesium). A curator's override grades the claims whose first outcome it is for: "
              "sleep's, not insomnia's, for sleep quality.")


def claim_rule() -> str:
    """CLAIM_RULE, naming the claims that pool two outcomes, and those graded on an outcome of another name."""
    def label(outcome: str) -> str:
        return Outcome(outcome).label.lower()

    pooled = [f"{word} ({' and '.join(label(o) for o in outcomes)})" for word, outcomes in CLAIM_OUTCOMES.items()
              if len(outcomes) > 1]
    single = [f"{word} on {label(outcomes[0])}" for word, outcomes in CLAIM_OUTCOMES.items()
              if len(outcomes) == 1 and word not in (label(outcomes[0]), outcomes[0])]
    return CLAIM_RULE.format(pooled=labels.listed(pooled), single=labels.listed(single))


SAME_SALT_NOTE = ("Entries for its salt are recorded under {names}, the same salt with other water of hydration, and "
                  "are not counted here.")


def same_salt_note(names: Sequence[str]) -> str:
    """SAME_SALT_NOTE for these compounds; "" for none."""
    return SAME_SALT_NOTE.format(names=labels.listed(list(names))) if names else ""


def _same_salt(compound_slugs: frozenset[str] | None) -> dict[str, tuple[str, ...]]:
    """EvidenceIndex.same_salt for these compounds (every one for None)."""
    compounds = Compound.objects.all() if compound_slugs is None else Compound.objects.filter(
        Q(slug__in=compound_slugs) | Q(studies__isnull=False))
    rows = compounds.annotate(entries=Count("studies")).values_list("slug", "name", "formula", "entries")
    by_salt: dict[str, list[tuple[str, str, int]]] = {}
    for slug, name, formula, entries in rows:
        salt = salt_of(formula) if formula else None
        if salt:
            by_salt.setdefault(salt, []).append((slug, name, entries))
    found = {}
    for members in by_salt.values():
        for slug, _, _ in members:
            others = tuple(name for other, name, entries in members if other != slug and entries)
            if (compound_slugs is None or slug in compound_slugs) and others:
                found[slug] = others
    return found


SEVERITY_RANK = {"high": 0, "moderate": 1, "low": 2}
DIRECTION_RANK = {"benefit": 0, "mixed": 1, "no-effect": 2, "harm": 3, "undetermined": 4, "not-reported": 5}
# What a DOI or PMID is written after when copied from a paper or a reference list: "doi:", "https://dx.doi.org/",
# "PMID: ".
IDENTIFIER_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|pmid:?\s*)", re.IGNORECASE)



NOTE_OVERRIDE = "curator override of {computed}: {reason}"


@dataclass(frozen=True)
class GradeView:
    compound: str
    compound_name: str
    outcomes: tuple[str, ...]
    computed: grading.GradeResult
    override: GradeOverride | None
    studies: tuple[Study, ...]

    @property
    def grade(self) -> str:
        return self.override.grade if self.override else self.computed.grade.value

    @property
    def override_note(self) -> str:
        """ "curator override of C: <reason>", for a grade a curator set; "" for a computed one."""
        return NOTE_OVERRIDE.format(computed=self.computed.grade.value, reason=self.override.reason) if self.override else ""


@dataclass(frozen=True)
class ClaimView:
    claim: str
    outcomes: tuple[str, ...]
    grades: tuple[GradeView, ...]  # one per compound of the design with any entry, best first
    best: str  # the best grade among the design's compounds, E when nothing supports the claim
    # The design's compounds with no entry for the claim, by name: MoodFlow's anxiety claim listed L-theanine's C alone,
    # and read as if its 240 mg of magnesium were behind it.
    without_entries: tuple[GradeView, ...] = ()

    @property
    def supported(self) -> bool:
        return any(g.studies for g in self.grades)


@dataclass(eq=False)  # compared and hashed by identity: what is worked out from it is memoised by it
class EvidenceIndex:
    """All evidence a page needs, loaded in a fixed number of queries."""

    studies_by_compound: dict[str, list[Study]] = field(default_factory=dict)
    compound_names: dict[str, str] = field(default_factory=dict)
    overrides: dict[tuple[str, str], GradeOverride] = field(default_factory=dict)
    interactions: list[Interaction] = field(default_factory=list)
    # For a compound loaded, the other hydrates of its salt that have entries, by name: evidence is recorded
    # for the form a study gave, and the common nonahydrate citrate read "no studied dose" though its anhydrous
    # form has two trials.
    same_salt: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, compound_slugs: Iterable[str] | None = None) -> EvidenceIndex:
        """The evidence, for some compounds only when they are named (the workbench's lines).

        Kept by the process while the library is unchanged (compounds/revision.py): treat it as read-only.
        """
        slugs = None if compound_slugs is None else frozenset(compound_slugs)
        return library_cache.get(("evidence", slugs), lambda: cls.read(slugs))

    @classmethod
    def read(cls, compound_slugs: frozenset[str] | None) -> EvidenceIndex:
        """Read the evidence afresh (load keeps it while the library is unchanged)."""
        index = cls()
        studies = Study.objects.prefetch_related("compounds", Prefetch("outcomes", queryset=StudyOutcome.objects.all()))
        if compound_slugs is not None:
            studies = studies.filter(compounds__slug__in=list(compound_slugs)).distinct()
        for study in studies:
            for compound in study.compounds.all():
                index.studies_by_compound.setdefault(compound.slug, []).append(study)
                index.compound_names[compound.slug] = compound.name
        index.same_salt = _same_salt(compound_slugs)
        index.overrides = {(o.compound.slug, o.outcome): o for o in GradeOverride.objects.select_related("compound")}
        index.interactions = list(Interaction.objects.select_related("compound", "nutrient"))
        return index

    def grade(self, compound: str, outcomes: Sequence[str]) -> GradeView:
        """Grade a compound for a set of outcomes (a claim), with the curator's override for the first outcome."""
        relevant = []
        evidence = []
        for study in self.studies_by_compound.get(compound, []):
            rows = [o for o in study.outcomes.all() if o.outcome in outcomes]
            if not rows:
                continue
            relevant.append(study)
            direction = min((o.direction for o in rows), key=lambda d: DIRECTION_RANK.get(d, 9))
            evidence.append(grading.Evidence(study.key, study.design, study.n, direction, study.verification == "disputed"))
        # Only the first outcome's: the claim is about it. An override of sleep quality graded the claim "insomnia",
        # whose outcomes take in sleep quality's studies, though the grades page kept insomnia's own grade.
        override = self.overrides.get((compound, outcomes[0])) if outcomes else None
        name = self.compound_names.get(compound) or (override.compound.name if override else compound)
        return GradeView(compound, name, tuple(outcomes), grading.grade(evidence), override, tuple(relevant))

    def claims(self, claims_text: str, compound_slugs: Iterable[str], names: Mapping[str, str] | None = None) -> list[ClaimView]:
        """Each claim of a design with the grade of every compound behind it, and the compounds with no entry for it
        (named by `names` where the evidence names none: it names only compounds with entries)."""
        names = names or {}
        compounds = list(dict.fromkeys(compound_slugs))
        views = []
        # Spaced or cased otherwise, a claim is the same claim: "Sleep  Quality" matched no outcome, "sleep, Sleep" was
        # graded twice.
        for claim in dict.fromkeys(" ".join(c.split()).lower() for c in CLAIM_SEPARATORS.split(claims_text) if c.strip()):
            outcomes = CLAIM_OUTCOMES.get(claim, ())
            grades = sorted((self.grade(c, outcomes) for c in compounds), key=lambda g: g.grade) if outcomes else []
            supported = [g for g in grades if g.studies or g.override]
            best = supported[0].grade if supported else grading.Grade.E.value
            views.append(ClaimView(claim, outcomes, tuple(supported), best, tuple(
                replace(g, compound_name=names.get(g.compound, g.compound_name)) for g in grades
                if not (g.studies or g.override))))
        return views

    def doses(self, compound: str, fraction: Decimal | None) -> list[grading.DoseRange]:
        """Studied daily doses of a compound, both as compound and elemental mass (converting with the fraction).

        A disputed study's dose is left out, as it is from the grades: the sheet put MgO's 310 mg "below" doses of
        studies the grade beside it did not count. So is a dose not given to people (an animal's, a marketing
        claim's): a rat study's 500 mg/day joined the studied range a product's daily dose is read against."""
        ranges = []
        for study in self.studies_by_compound.get(compound, []):
            if study.verification == Verification.DISPUTED or study.design not in grading.HUMAN_DESIGNS:
                continue
            c_min, c_max = study.dose_compound_mg_min, study.dose_compound_mg_max
            e_min, e_max = study.dose_elemental_mg_min, study.dose_elemental_mg_max
            if c_min is None and c_max is None and e_min is None and e_max is None:
                continue
            elemental_only = c_min is None and c_max is None
            compound_only = e_min is None and e_max is None
            if fraction:
                if c_min is None and c_max is None:
                    c_min = e_min / fraction if e_min is not None else None
                    c_max = e_max / fraction if e_max is not None else None
                if e_min is None and e_max is None:
                    e_min = c_min * fraction if c_min is not None else None
                    e_max = c_max * fraction if c_max is not None else None
            # Those it reports a result for, by name ("could not be determined" is none): "other" names none.
            reported = [o for o in study.outcomes.all() if o.direction in grading.RESULTS and o.outcome != Outcome.OTHER]
            outcomes = ", ".join(dict.fromkeys(labels.lower_first(o.get_outcome_display()) for o in reported))
            ranges.append(grading.DoseRange(study.key, study.citation_short, c_min, c_max, e_min, e_max,
                                             label_whole=study.citation_whole, elemental_only=elemental_only,
                                             compound_only=compound_only, outcomes=outcomes,
                                             outcome_codes=tuple(dict.fromkeys(o.outcome for o in reported))))
        return ranges

    def interactions_for(self, compound_slugs: Iterable[str], nutrient_slugs: Iterable[str]) -> list[Interaction]:
        compounds, nutrients = set(compound_slugs), set(nutrient_slugs)
        chosen = [
            i for i in self.interactions
            if (i.compound and i.compound.slug in compounds) or (i.nutrient and i.nutrient.slug in nutrients)
        ]
        return sorted(chosen, key=lambda i: (i.kind, SEVERITY_RANK.get(i.severity, 9), i.agent))


# A study that gives its compound's dose only: Hausenblas 2024's 1,000 mg of Magtein showed no magnesium, though the
# specification's 7.2% gives 72 mg, the figure a product's dose is set against.
MAGNESIUM = "magnesium"
DOSE_WORKED_OUT = "{amount} {nutrient}, worked out at {basis}"
BASIS_SPECIFIED = "the specified {fraction}"
BASIS_FORMULA = "{fraction} by formula"


def _dose_span(low: Decimal | None, high: Decimal | None, text: Any) -> str:
    """A studied range as text, one end given alone as the one dose (as the dose alignment reads it)."""
    ends = [text(value) for value in (low, high) if value is not None]
    return ends[0] if len(set(ends)) == 1 else "–".join(ends)


def study_dose_lines(study: Study) -> list[str]:
    """A study's daily dose as its pages show it: the compound's and the element's, as recorded; where only the
    compound's is, and of a single compound of a single element, the element's worked out at that compound's fraction
    in the library (with several compounds, the share of each is unknown). Prefetch compounds__contributions__nutrient."""
    lines = []
    compound_low, compound_high = study.dose_compound_mg_min, study.dose_compound_mg_max
    if compound_low is not None or compound_high is not None:
        lines.append(f"{_dose_span(compound_low, compound_high, labels.compound_mass)} compound")
    if study.dose_elemental_mg_min is not None or study.dose_elemental_mg_max is not None:
        lines.append(f"{_dose_span(study.dose_elemental_mg_min, study.dose_elemental_mg_max, labels.amount)} elemental")
    elif lines and (worked_out := _elemental_worked_out(study)):
        lines.append(worked_out)
    return lines


def _elemental_worked_out(study: Study) -> str:
    compounds = list(study.compounds.all())
    if len(compounds) != 1:
        return ""
    try:
        rows = [row for row in compound_fraction_rows(compounds[0]) if row.nutrient.is_element]
    except FormulaParseError:
        return ""
    # Magnesium's, the dose a product's is set against, where a compound gives other elements too (chloride, added to
    # the library, is given by magnesium chloride); otherwise only a compound's single element is told apart.
    magnesium = [row for row in rows if row.nutrient.slug == MAGNESIUM]
    if magnesium:
        rows = magnesium
    if len(rows) != 1:
        return ""
    (row,) = rows
    fraction = labels.fraction_percent(row.used)
    basis = (BASIS_FORMULA if row.basis is engine.Basis.THEORETICAL else BASIS_SPECIFIED).format(fraction=fraction)
    amount = _dose_span(*(None if value is None else value * row.used
                          for value in (study.dose_compound_mg_min, study.dose_compound_mg_max)), labels.amount)
    return DOSE_WORKED_OUT.format(amount=amount, nutrient=labels.lower_first(row.nutrient.name), basis=basis)


def study_search(
    query: str = "",
    compound: str = "",
    outcome: str = "",
    design: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
) -> QuerySet[Study]:
    """Filter studies; free text uses PostgreSQL full-text search (GIN index), or LIKE on SQLite."""
    studies = Study.objects.all()
    if compound:
        studies = studies.filter(compounds__slug=compound)
    if outcome:
        studies = studies.filter(outcomes__outcome=outcome)
    if design:
        studies = studies.filter(design=design)
    if year_from is not None:
        studies = studies.filter(year__gte=year_from)
    if year_to is not None:
        studies = studies.filter(year__lte=year_to)
    if query:
        # A DOI or PMID copied from a paper finds it, as its page shows them; the text search reads neither.
        # Only for a query that may be one: joined to every search, it kept PostgreSQL from its GIN index.
        identifier = IDENTIFIER_PREFIX.sub("", query.strip())
        by_identifier = (Q(doi__iexact=identifier) | Q(pmid=identifier) if DOI.fullmatch(identifier) or PMID.fullmatch(identifier)
                         else Q(pk__in=[]))
        # A hydrate is searched in the one spelling the document holds each formula in too: "MgCl2.6H2O" and
        # "MgCl2*6H2O" found nothing of magnesium chloride hexahydrate, MgCl2·6H2O.
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank

            # search_vector is stored and GIN-indexed (migration 0003): matching and ranking read no text.
            search = SearchQuery(text_formulas_normalised(query, phrases=True), config="english", search_type="websearch")
            studies = studies.filter(Q(search_vector=search) | by_identifier).annotate(
                rank=SearchRank(F("search_vector"), search)).order_by("-rank", F("year").desc(nulls_last=True), "key")
        else:
            condition = Q()
            # Without its accents, as the document holds each accented word too: SQLite folds the case of ASCII
            # letters only, so "ödman" did not find "Ödman" (nor "wlaź" "Wlaź") where "odman" did.
            for word in text_unaccented(text_formulas_normalised(query)).split()[:8]:
                condition &= Q(search_document__icontains=word)
            studies = studies.filter(condition | by_identifier)
    return studies.distinct() if (compound or outcome) else studies


def study_outcome_history(study_id: Any) -> QuerySet[Any]:
    """The recorded changes of a study's outcomes, newest first: a finding changed from benefit to no effect regrades."""
    return (StudyOutcome.history.filter(study_id=study_id)  # type: ignore[attr-defined]
            .select_related("history_user").order_by("-history_date", "-history_id"))


def study_outcomes_changed_since(study: Study, version_id: Any) -> tuple[str, str] | None:
    """The study's findings now and at one of its recorded versions, in words, where they differ: ("Cognition:
    benefit", "Cognition: no effect"); None where they are the same."""
    at = study.history.get(history_id=version_id).history_date  # type: ignore[attr-defined]

    def words(rows: Iterable[StudyOutcome]) -> str:
        return "; ".join(sorted(str(row) for row in rows)) or "none"

    now_text = words(study.outcomes.all())
    then_text = words(StudyOutcome.history.as_of(at).filter(study_id=study.pk))  # type: ignore[attr-defined]
    return None if now_text == then_text else (now_text, then_text)


# A grade raised above what the library's studies give: every claim of the compound shows it, and an A with no study
# behind it was saved without a word.
MESSAGE_OVERRIDE_RAISED = ("Saved, but check: the library's studies give {compound} grade {computed} for {outcome} "
                           "({reason}), and this override makes it {grade} on every claim of it.")


def grade_override_raised(override: GradeOverride) -> str | None:
    """What a curator's grade raises above the computed one, in words; None when it is no better."""
    slug = override.compound.slug
    computed = EvidenceIndex.read(frozenset([slug])).grade(slug, [override.outcome]).computed
    if override.grade >= computed.grade.value:  # A is the best, E the worst
        return None
    return MESSAGE_OVERRIDE_RAISED.format(compound=override.compound.name, computed=computed.grade.value,
                                          outcome=override.get_outcome_display().lower(), reason=computed.reason.rstrip("."),
                                          grade=override.grade)
