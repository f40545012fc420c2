"""Curated evidence: studies linked to compounds, outcomes and doses; grade overrides; interactions."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from simple_history.models import HistoricalRecords

from compounds.models import Compound, CompoundNutrient, Market, Nutrient, Population
from compounds.text import visible

ERROR_EXCLUDED_WITHOUT_POPULATIONS = ("Name the populations the law excludes: “excluded by law in” applies to them, and with "
                                      "none it would block no product. For a caution only, leave the markets empty.")
ERROR_CAUTION_WITHOUT_POPULATIONS = "Tick the populations the caution is for: with none it would be shown for everyone."
ERROR_INTERACTION_RECORDED = ("This is recorded already for this compound or for its nutrient (every form of it): change "
                              "that record instead.")
ERROR_POPULATIONS = "Name populations by their codes: {codes}."
ERROR_MARKETS = "Name markets by their codes: {codes}."


def validate_markets(value: object) -> None:
    """Accept a list of market codes only: approval matches them against a product's markets."""
    if not isinstance(value, list) or any(code not in Market.values for code in value):
        raise ValidationError(ERROR_MARKETS.format(codes=", ".join(Market.values)), code="invalid_market")


def validate_populations(value: object) -> None:
    """Accept a list of population codes only: the workbench matches them against a design's population."""
    if not isinstance(value, list) or any(code not in Population.values for code in value):
        raise ValidationError(ERROR_POPULATIONS.format(codes=", ".join(Population.values)), code="invalid_population")


class Design(models.TextChoices):
    META_ANALYSIS = "meta-analysis", "Meta-analysis"
    SYSTEMATIC_REVIEW = "systematic-review", "Systematic review"
    RCT = "rct", "Randomised controlled trial"
    NON_RANDOMISED = "non-randomised-trial", "Non-randomised trial"
    CASE_SERIES = "case-series", "Case series"
    OBSERVATIONAL = "observational", "Observational study"
    ANIMAL = "animal", "Animal study"
    IN_VITRO = "in-vitro", "In vitro study"
    NARRATIVE_REVIEW = "narrative-review", "Narrative review"
    MARKETING_CLAIM = "marketing-claim", "Manufacturer or marketing claim"


class Outcome(models.TextChoices):
    SLEEP_QUALITY = "sleep-quality", "Sleep quality"
    INSOMNIA = "insomnia", "Insomnia"
    ANXIETY = "anxiety", "Anxiety"
    STRESS = "stress", "Stress"
    DEPRESSION = "depression", "Depression"
    MOOD = "mood", "Mood"
    COGNITION = "cognition", "Cognition"
    MEMORY = "memory", "Memory"
    MIGRAINE = "migraine", "Migraine"
    MUSCLE_CRAMPS = "muscle-cramps", "Muscle cramps"
    BLOOD_PRESSURE = "blood-pressure", "Blood pressure"
    SERUM_MAGNESIUM = "serum-magnesium", "Serum magnesium"
    BRAIN_MAGNESIUM = "brain-magnesium", "Brain magnesium"
    ABSORPTION = "absorption", "Absorption"
    GI_TOLERANCE = "gi-tolerance", "GI tolerance"
    FATIGUE = "fatigue", "Fatigue"
    OTHER = "other", "Other"


class Direction(models.TextChoices):
    BENEFIT = "benefit", "Benefit"
    NO_EFFECT = "no-effect", "No effect"
    HARM = "harm", "Harm"
    MIXED = "mixed", "Mixed"
    # Measured, but with no result either way: Liu 2016's sleep and anxiety, lost in the placebo effect. Not a null
    # result, which grades as evidence against.
    UNDETERMINED = "undetermined", "Could not be determined"
    NOT_REPORTED = "not-reported", "Not reported"


class Verification(models.TextChoices):
    """What an entry's own fields rest on. A seed's misquoting of a work is another matter (Study.seed_misquotes)."""

    AS_CITED = "as-cited", "As cited by a seed document"
    CHECKED = "checked", "Checked against the paper"
    # The entry itself does not hold: a claim the cited works contradict. Left out of grades and studied doses.
    DISPUTED = "disputed", "Disputed"


ERROR_DOSE_REVERSED = "The upper dose is below the lower dose."
ERROR_DOSE_NONE = "A daily dose of 0 mg is no dose: leave it blank if the study gives none."
# A trial of 0 counted as one of the two randomised trials an A asks for.
ERROR_N_NONE = "A study of 0 participants is no study: leave n blank if it does not say how many took part."
ERROR_ELEMENTAL_ABOVE_COMPOUND = ("The elemental dose is more than the compound dose it is part of: check which figure "
                                  "is which, and their units.")
ERROR_ELEMENTAL_WITHOUT_COMPOUND = "Choose the study's compounds: an elemental dose is a part of what they hold."
ERROR_ELEMENTAL_WITHOUT_ELEMENT = ("None of the study's compounds is a form of an element (magnesium): give its dose as the "
                                   "compound dose.")
ERROR_ELEMENTAL_NOT_COMPOUND = ("%(compound)s of %(names)s holds %(expected)s %(element)s, not %(elemental)s: check the "
                                "compound (which hydrate was studied), the figures and their units.")
ERROR_MISQUOTE_WITHOUT_CLAIM = "Quote what the seed says of the work in the seed claim: the entry is marked misquoted."
ERROR_STUDY_RECORDED = ("The study {key} has this {what}: change that entry. A second would count the trial twice in the "
                        "grades.")
ERROR_KEY_RECORDED = ("“{key}” is another entry's key already{case}: edit that entry, or give this one a key of its own.")
KEY_IN_ANOTHER_CASE = ", in another case"
ERROR_DOI = "Enter a DOI as it is registered, e.g. 10.3390/nu9050429, without https://doi.org/."
ERROR_PMID = "Enter a PubMed ID as its digits, e.g. 28445426."
DOI = re.compile(r"10\.\d{4,9}(\.\d+)*/\S+", re.ASCII)  # a registrant may have subdivisions: 10.1000.10/123456
PMID = re.compile(r"[1-9][0-9]{0,8}")
ERROR_OUTCOME_TWICE = ("This outcome is recorded already for this study: give it one result, mixed where its "
                      "measures or arms differ.")


def outcome_again(outcome: str, seen: set[str]) -> bool:
    """Whether a study gives this outcome a second result (among those `seen`): one each, but "other", which holds
    measures of every kind."""
    return outcome in seen and outcome != Outcome.OTHER
ERROR_DISPUTED_WITHOUT_NOTE = "Say in the curator notes why the entry is disputed: it is left out of grades and doses."
ERROR_YEAR_FUTURE = "A study's year cannot be after this one ({year}): check it."
YEAR_MAX = 2100
DASHES = re.compile(r"[\u2010-\u2015\u2212]")  # hyphen, non-breaking hyphen, figure, en and em dash, bar, minus


def doi_cleaned(doi: str) -> str:
    """A DOI as it is registered: pasted from a sentence, it came with the sentence's full stop ("10.3390/nu9050429.")."""
    return visible(doi).strip().rstrip(".")


def title_key(title: str) -> str:
    """A title as papers are told apart: any case, dash, spacing or closing full stop (the seeds write Boyle's title with
    an en dash, the journal with a hyphen)."""
    text = DASHES.sub("-", unicodedata.normalize("NFKC", visible(title))).casefold()
    return re.sub(r"\s*-\s*", "-", " ".join(text.split())).rstrip(". ")  # "… magnesium ." too


class Study(models.Model):
    key = models.SlugField(max_length=80, unique=True)
    authors = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(YEAR_MAX)])
    title = models.CharField(max_length=500)
    journal = models.CharField(max_length=200, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    pmid = models.CharField("PMID", max_length=20, blank=True)
    design = models.CharField(max_length=25, choices=Design.choices)
    population = models.CharField(max_length=300, blank=True)
    n = models.PositiveIntegerField("participants (n)", null=True, blank=True,
                                    validators=[MinValueValidator(1, message=ERROR_N_NONE)])
    compounds = models.ManyToManyField(Compound, blank=True, related_name="studies")
    form_studied = models.CharField(max_length=200, blank=True)
    dose_compound_mg_min = models.DecimalField("daily compound dose from (mg)", max_digits=10, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    dose_compound_mg_max = models.DecimalField("daily compound dose to (mg)", max_digits=10, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    dose_elemental_mg_min = models.DecimalField("daily elemental dose from (mg)", max_digits=10, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    dose_elemental_mg_max = models.DecimalField("daily elemental dose to (mg)", max_digits=10, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    duration = models.CharField(max_length=100, blank=True)
    funding = models.CharField("funding or conflict", max_length=300, blank=True)
    verification = models.CharField(max_length=10, choices=Verification.choices, default=Verification.AS_CITED)
    seed_file = models.CharField(max_length=100, blank=True)
    seed_claim = models.TextField(blank=True)
    seed_misquotes = models.BooleanField(
        "misquoted by a seed", default=False,
        help_text="The seed's account (seed claim) contradicts the work as recorded here. The entry still counts in "
                  "grades: what it records is the work's own findings, not the seed's.",
    )
    curator_notes = models.TextField(blank=True)
    search_document = models.TextField(blank=True, editable=False, help_text="Kept by the services for full-text search.")
    # Filled on PostgreSQL only (from search_document), so ranking reads a stored vector instead of parsing text.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_document", "search_vector"], m2m_fields=[compounds])

    class Meta:
        # Undated entries last on every database (PostgreSQL sorts nulls first when descending), and the key to break
        # ties: a product's sheet listed its studies in another order on PostgreSQL, and a page of the API could
        # repeat one.
        ordering = [models.F("year").desc(nulls_last=True), "authors", "key"]
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return self.citation_short

    def get_absolute_url(self) -> str:
        return reverse("evidence:detail", args=[self.key])

    @property
    def citation_short(self) -> str:
        """ "Hausenblas et al. 2024", or for an unsourced claim the start of what it claims."""
        return self._citation(whole=False)

    @property
    def citation_whole(self) -> str:
        """As citation_short, an unsourced claim in full: a printed sheet has no link to the rest of it."""
        return self._citation(whole=True)

    def _citation(self, whole: bool) -> str:
        if not self.authors:
            claim = self.title.strip("[] ")
            for prefix in ("Unsourced claim:", "Unattributed"):
                if claim.startswith(prefix):
                    claim = claim[len(prefix):].strip()
            return f"Unsourced: {claim[:45]}…" if len(claim) > 45 and not whole else f"Unsourced: {claim}"
        # "de Baaij JHF", "Tarighat Esfanjani A": the surname is all but the initials, and may be two words.
        names = self.authors.split(",")[0].split()
        initials = len(names) > 1 and names[-1].isalpha() and names[-1].isupper() and len(names[-1]) <= 4
        first = " ".join(names[:-1]) if initials else names[0]
        etal = " et al." if "," in self.authors else ""
        return f"{first}{etal} {self.year or 'n.d.'}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for low, high in (("dose_compound_mg_min", "dose_compound_mg_max"), ("dose_elemental_mg_min", "dose_elemental_mg_max")):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                errors[high] = ERROR_DOSE_REVERSED
            for name, value in ((low, a), (high, b)):  # 0-0, or 0-300, pulled a studied range down to 0 mg
                if value == 0:
                    errors.setdefault(name, ERROR_DOSE_NONE)
        # The magnesium of a dose is part of its compound: 600 mg elemental of 500 mg of MgO was saved and shown.
        # A dose of 0 is refused as such: measured against it, every elemental dose read as "more than the compound dose".
        compound = [v for v in (self.dose_compound_mg_min, self.dose_compound_mg_max) if v]
        lowest, highest = (min(compound), max(compound)) if compound else (None, None)
        for elemental, bound in (("dose_elemental_mg_min", lowest), ("dose_elemental_mg_max", highest)):
            value = getattr(self, elemental)
            if value is not None and bound is not None and value > bound:
                errors.setdefault(elemental, ERROR_ELEMENTAL_ABOVE_COMPOUND)
        # Left out of the grades and the studied doses: the reason must be there for the next curator to weigh.
        if self.verification == Verification.DISPUTED and not (self.curator_notes or "").strip():
            errors["curator_notes"] = ERROR_DISPUTED_WITHOUT_NOTE
        # Flagged as misquoted, the entry must say what the seed said: the flag is shown wherever the entry is cited.
        if self.seed_misquotes and not (self.seed_claim or "").strip():
            errors["seed_claim"] = ERROR_MISQUOTE_WITHOUT_CLAIM
        self.doi, self.pmid = doi_cleaned(self.doi), visible(self.pmid).strip()
        # Past the field's own bound it says so itself: 3012 read "at most 2100" and "not after 2026" together.
        if self.year and timezone.now().year < self.year <= YEAR_MAX:
            errors["year"] = ERROR_YEAR_FUTURE.format(year=timezone.now().year)
        if self.doi and not DOI.fullmatch(self.doi.strip()):
            errors["doi"] = ERROR_DOI
        if self.pmid and not PMID.fullmatch(self.pmid.strip()):  # "٢٨٤٤٥" and "00000" made broken PubMed links
            errors["pmid"] = ERROR_PMID
        # One entry a paper: entered again under a new key, a trial counted twice and raised grades (MgO for
        # migraine from B to A).
        others = Study.objects.exclude(pk=self.pk)
        for field, label, lookup in (("doi", "DOI", "doi__iexact"), ("pmid", "PMID", "pmid")):
            value = getattr(self, field).strip()
            same = others.filter(**{lookup: value}).first() if value and field not in errors else None
            if same is not None:
                errors[field] = ERROR_STUDY_RECORDED.format(key=same.key, what=label)
        # Without a DOI or PMID, the same trial under a new key raised magnesium oxide for insomnia from C to B.
        if self.title.strip() and self.year and not errors.keys() & {"title", "doi", "pmid"}:  # said once a paper
            key = title_key(self.title)
            same = next((other for other in others.filter(year=self.year).only("key", "title")
                         if title_key(other.title) == key), None)
            if same is not None:
                errors["title"] = ERROR_STUDY_RECORDED.format(key=same.key, what="title and year")
        # "Hausenblas-2024" beside "hausenblas-2024" was a second entry of the same trial, which only its case told apart.
        if self.key and "key" not in errors:
            same = others.filter(key__iexact=self.key).first()
            if same is not None:
                errors["key"] = ERROR_KEY_RECORDED.format(key=same.key, case="" if same.key == self.key else KEY_IN_ANOTHER_CASE)
        if errors:
            raise ValidationError(errors)


class StudyOutcome(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    direction = models.CharField(max_length=15, choices=Direction.choices, default=Direction.NOT_REPORTED)
    effect = models.CharField("effect as reported", max_length=400, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.get_direction_display()}"


class GradeOverride(models.Model):
    """A curator's grade for a compound and outcome, which must say why."""

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="grade_overrides")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    grade = models.CharField(max_length=1, choices=[(g, g) for g in "ABCDE"])
    reason = models.TextField()
    history = HistoricalRecords()
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["compound", "outcome"], name="unique_grade_override")]

    def __str__(self) -> str:
        return f"{self.compound} / {self.get_outcome_display()}: {self.grade}"

    def clean(self) -> None:
        # Blank is the field's own "This field is required."; said again here, it was said twice.
        if self.reason and not self.reason.strip():
            raise ValidationError({"reason": "An override needs its reason."})


ERROR_COMPOUND_OR_NUTRIENT = ("Record it for a compound or for a nutrient (every form of it), one of the two: "
                              "not both, not neither.")


class Interaction(models.Model):
    """A drug interaction, contraindication or population caution for a compound or a nutrient."""

    class Kind(models.TextChoices):
        DRUG = "drug", "Drug interaction"
        CONDITION = "condition", "Contraindication"
        POPULATION = "population", "Population caution"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, null=True, blank=True, related_name="interactions")
    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE, null=True, blank=True, related_name="interactions")
    agent = models.CharField("drug, condition or population", max_length=200)
    effect = models.CharField(max_length=300)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    management = models.CharField(max_length=300)
    source = models.CharField(max_length=300)
    populations = models.JSONField(
        default=list, blank=True, validators=[validate_populations],
        help_text="The populations it applies to (codes such as pregnancy or child-4-8); none: whoever takes it.",
    )
    excluded_in = models.JSONField(
        "excluded by law in", default=list, blank=True, validators=[validate_markets],
        help_text="The markets whose law excludes these populations (EU for L-threonate in pregnancy): a product for one "
                  "of them sold there cannot be approved. None: a caution only.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "agent"]  # severity is ranked by the selectors, not alphabetically
        constraints = [
            # One or the other: recorded for a compound, it is listed for designs with that compound and named by
            # it; for a nutrient, for every form of it. Both would list it for every form, named by one of them.
            models.CheckConstraint(
                condition=(models.Q(compound__isnull=False, nutrient__isnull=True)
                           | models.Q(compound__isnull=True, nutrient__isnull=False)),
                name="interaction_names_compound_or_nutrient",
                violation_error_message=ERROR_COMPOUND_OR_NUTRIENT,
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} ({self.get_kind_display().lower()})"

    def clean(self) -> None:
        # The law excludes populations: with none named, the page said "excluded by law in EU" and blocked nothing.
        if self.excluded_in and not self.populations:
            raise ValidationError({"populations": ERROR_EXCLUDED_WITHOUT_POPULATIONS})
        # A caution for no population was shown on every design, adults' included.
        if self.kind == self.Kind.POPULATION and not self.populations:
            raise ValidationError({"populations": ERROR_CAUTION_WITHOUT_POPULATIONS})
        # Recorded twice, it was listed twice on every design with the compound: for the compound and again for its
        # nutrient too, or with its words spaced otherwise.
        if self.agent and self._recorded_already():
            raise ValidationError({"agent": ERROR_INTERACTION_RECORDED})

    def _recorded_already(self) -> bool:
        if self.compound_id is not None:
            compounds = {self.compound_id}
            nutrients = set(CompoundNutrient.objects.filter(compound_id=self.compound_id).values_list("nutrient_id", flat=True))
        else:
            nutrients = {self.nutrient_id}
            compounds = set(CompoundNutrient.objects.filter(nutrient_id=self.nutrient_id).values_list("compound_id", flat=True))
        agent = " ".join(self.agent.split()).casefold()
        others = Interaction.objects.filter(models.Q(compound_id__in=compounds) | models.Q(nutrient_id__in=nutrients),
                                            kind=self.kind).exclude(pk=self.pk)
        return any(" ".join(other.split()).casefold() == agent for other in others.values_list("agent", flat=True))
