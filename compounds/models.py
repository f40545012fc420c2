"""The library: nutrients, compounds and the reference values they are judged against."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from simple_history.models import HistoricalRecords

from compounds.chemistry import FormulaParseError, element_symbol, formula_is_element, parse_formula
from formulator.labels import fraction_percent, lower_first, reference_amount


class Market(models.TextChoices):
    US = "US", "United States"
    EU = "EU", "European Union"
    CA = "CA", "Canada"
    AU_NZ = "AU-NZ", "Australia / New Zealand"
    DE = "DE", "Germany (BfR national rule)"


def markets_in_force(markets: list[str]) -> list[str]:
    """The markets whose rules a design sold in these must meet, each once, in the order of Market: Germany's national
    rule comes on top of EU law, which applies there too (its upper limits, and the novel-food authorisation that
    excludes L-threonate for pregnancy), so choosing Germany brings in the EU.

    A set, in one order: ["EU", "US"] sent to the API for a design saved as ["US", "EU"] was an edit, and took a
    product in review back to draft. Codes that are no market are left out (the forms and the API refuse them)."""
    chosen = set(markets) | ({Market.EU.value} if Market.DE in markets else set())
    return [code for code in Market.values if code in chosen]


class Population(models.TextChoices):
    ADULT = "adult", "Adults"
    INFANT = "infant", "Infants 0-12 months"
    CHILD_1_3 = "child-1-3", "Children 1-3 years"
    CHILD_4_8 = "child-4-8", "Children 4-8 years"
    CHILD_9_13 = "child-9-13", "Children 9-13 years"
    TEEN_14_18 = "teen-14-18", "Adolescents 14-18 years"
    PREGNANCY = "pregnancy", "Pregnancy"
    LACTATION = "lactation", "Lactation"


class Nutrient(models.Model):
    """Something a label declares and a limit applies to: magnesium, vitamin B6, glycine ..."""

    # The finest step its amounts are written to, from its Daily Values and NRVs (labels.nutrient_step); the library
    # (formulator.reports.Library) sets it on the instances it loads. Whole units for any other instance.
    amount_step = Decimal(1)

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    formula = models.CharField(
        max_length=100,
        blank=True,
        help_text="An element symbol (Mg) or a molecular formula (C2H5NO2). Empty for standardised "
        "botanical markers, which have no single formula.",
    )
    label_order = models.PositiveSmallIntegerField(
        default=1000, help_text="Order on a Supplement Facts panel (21 CFR 101.36: vitamins, then minerals ...)."
    )
    # Its label unit decides how every amount of it is written: a change is kept, with who made it.
    history = HistoricalRecords()

    class LabelUnit(models.TextChoices):
        MG = "mg", "mg"
        MCG = "mcg", "mcg (µg)"

    # The regulations give each vitamin and mineral its unit, and the US and the EU agree on it: no amount tells it
    # (copper's DV is 0.9 mg, vitamin A's 900 mcg).
    label_unit = models.CharField(
        max_length=3, choices=LabelUnit.choices, default=LabelUnit.MG,
        help_text="The unit labels declare it in (21 CFR 101.9(c)(8)(iv); Reg. (EU) 1169/2011 Annex XIII): mcg for "
                  "vitamins A, D, K and B12, folate, biotin, iodine, selenium, chromium and molybdenum; mg for the rest.",
    )

    class Meta:
        ordering = ["label_order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        slug_case_check(self)
        if self.formula:
            try:
                symbol = element_symbol(parse_formula(self.formula))
            except FormulaParseError as exc:
                raise ValidationError({"formula": str(exc)}) from exc
            if symbol in ORGANIC_ELEMENTS:
                raise ValidationError({"formula": ERROR_ELEMENT_ORGANIC.format(symbol=symbol)})
            # Every compound is linked to each element nutrient its formula holds: a second "Mg" gave Recover 165 mg
            # of "elemental magnesium" beside its 144 mg of magnesium, against no limit.
            others = Nutrient.objects.exclude(pk=self.pk).exclude(formula="") if symbol else []
            other = next((n for n in others if _element_of(n.formula) == symbol), None)
            if other is not None:
                raise ValidationError({"formula": ERROR_ELEMENT_TAKEN.format(symbol=symbol, other=other.name)})
        if self.pk is not None and self.label_unit == self.LabelUnit.MG:
            # As a reference value is refused for it (ReferenceValue.clean): vitamin D put back in mg printed its
            # 25 mcg as "0.10 mg" beside 500%.
            small = (self.reference_values.filter(kind__in=LABEL_UNIT_KINDS, amount_mg__lt=LABEL_UNIT_MG_FROM)
                     .order_by("amount_mg").first())
            if small is not None:
                raise ValidationError({"label_unit": ERROR_LABEL_UNIT_SMALL_VALUE.format(
                    kind=small.kind, market=small.market, amount=f"{small.amount_mg.normalize():f}")})

    @property
    def is_element(self) -> bool:
        return bool(self.formula) and formula_is_element(self.formula)


def _element_of(formula: str) -> str | None:
    """The element a stored nutrient formula is, if it is one; None for one that no longer parses (saved before a rule
    that refuses it now): it is named where it is used, and did not make every other nutrient's save a 500."""
    try:
        return element_symbol(parse_formula(formula))
    except FormulaParseError:
        return None


class Compound(models.Model):
    """An ingredient as bought: a magnesium salt, an amino acid, a botanical extract."""

    class FormClass(models.TextChoices):
        INORGANIC_SALT = "inorganic-salt", "Inorganic salt"
        ORGANIC_SALT = "organic-salt", "Organic salt"
        AMINO_ACID_CHELATE = "amino-acid-chelate", "Amino-acid chelate"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    synonyms = models.CharField(
        max_length=500, blank=True, help_text="Other names, separated by commas; search matches them."
    )
    formula = models.CharField(
        max_length=100,
        blank=True,
        help_text="Molecular formula, hydrates in any spelling (MgCl2·6H2O, MgCl2.6H2O, MgCl2(H2O)6). "
        "Empty only for ingredients without one, such as botanical extracts.",
    )
    form_class = models.CharField(max_length=30, choices=FormClass.choices, default=FormClass.OTHER)
    label_source_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="How the source reads on a label: “magnesium L-threonate” in “Magnesium (as …)”.",
    )
    bulk_density_g_per_ml = models.DecimalField(
        "tapped bulk density (g/mL)",
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("3"))],
    )
    cost_per_kg = models.DecimalField(
        "cost per kg (USD)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    bulk_density_source = models.CharField(max_length=300, blank=True)
    cost_source = models.CharField(max_length=300, blank=True)
    grade = models.CharField(max_length=100, blank=True, help_text="Grade or branded material, e.g. Magtein.")
    supplier = models.CharField(max_length=150, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        # Regardless of case: "Magnesium L-threonate" came before "Magnesium bisglycinate" on SQLite and in the API.
        ordering = [Lower("name"), "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("compounds:detail", args=[self.slug])

    def clean(self) -> None:
        # "magnesium oxide" and "Magnesium  oxide" were saved beside "Magnesium oxide", and listed alike.
        written = " ".join(self.name.split()).casefold()
        same = next((name for name in Compound.objects.exclude(pk=self.pk).values_list("name", flat=True)
                     if " ".join(name.split()).casefold() == written), None) if written else None
        if same is not None:
            raise ValidationError({"name": ERROR_COMPOUND_NAMED.format(name=same)})
        slug_case_check(self)
        # Its nutrient links are checked against a new formula by each link's clean(): the admin's inline rows, and
        # the import (CompoundResource), which has no rows.
        if self.formula:
            try:
                parse_formula(self.formula)
            except FormulaParseError as exc:
                raise ValidationError({"formula": str(exc)}) from exc

    @property
    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.split(",") if s.strip()]


ERROR_SPECIFIED_SHARE = "A fraction is a share of 1, not a percentage: 7.2 percent, for example, is 0.072."  # no % sign: validators format messages
ERROR_SPECIFIED_ZERO = ("A specified fraction of 0 gives no {nutrient}: enter the supplier's figure (0.072 for 7.2%), or "
                        "leave it empty to use the formula's.")
ERROR_SPECIFIED_SOURCE = "Give the source of the specified fraction: the supplier's specification or certificate of analysis."
ERROR_SOURCE_WITHOUT_FRACTION = ("A source without a specified fraction cites nothing: clear the source and its address, or "
                                 "give the fraction they are the source of.")
ERROR_REFERENCE_ZERO = ("An amount of 0 is no reference value. For a limit that allows no supplemental amount, leave the "
                        "amount empty and tick “food and formula only”.")
# A Daily Value marked so, or left without its amount, took magnesium off the Supplement Facts panel.
# "The {kind}", not "a {kind}": "a Adequate Intake" read wrong.
ERROR_FOOD_ONLY_KIND = ("Only an upper limit or a maximum can be “food and formula only”: the {kind} is an amount to "
                        "meet, so give its amount.")
ERROR_INTAKE_AMOUNT = "The {kind} is an amount to meet: give its amount."
# A Daily Value per dose was a second US Daily Value, and magnesium read 200% of it beside its 48%.
ERROR_INTAKE_PER_DOSE = ("The {kind} is an amount a day: only a national maximum for supplements, such as Germany's, can "
                         "be per dose.")
# An RDA of 320 mg "supplemental intake only" was saved and listed so: an intake reference is met by food and supplements.
ERROR_INTAKE_SUPPLEMENTAL = ("The {kind} is an intake from food and supplements together: only an upper limit or a maximum "
                             "can cover supplemental intake only.")
# Every Daily Value and NRV written in mg is 0.9 mg (copper) or more; one under 0.1 mg is a nutrient declared in mcg
# (vitamin D: 20 mcg) whose label unit was left at mg, and its panel would round 25 mcg to "0.03 mg".
LABEL_UNIT_MG_FROM = Decimal("0.1")
LABEL_UNIT_KINDS = ("DV", "NRV")  # the references a label's amounts are declared against, in the nutrient's unit
# Not "magnesium is declared in mcg": the slip is far likelier the amount's unit (20 mcg typed as 20 mg... or 0.02).
ERROR_LABEL_UNIT_MG = ("{amount} mg is under 0.1 mg, and no Daily Value or NRV declared in mg is so small: check that "
                       "the amount is in mg (20 mcg is 0.02 mg). Only if {nutrient} is declared in mcg on labels, set its "
                       "label unit to mcg first, then save this value.")
ERROR_LABEL_REFERENCE_SEX = ("A {kind} is one figure for both sexes, the one a label declares its percentage against: choose "
                             "Any. An intake that differs by sex is an RDA or AI.")
# An NRV for the US read "US %NRV a day" on comparisons; no US label declares against one.
LABEL_REFERENCE_OF_MARKET = {"US": "DV", "EU": "NRV", "DE": "NRV"}
ERROR_LABEL_REFERENCE_MARKET = ("{article} {market} label declares its percentages against the {expected}, not a {kind}: choose "
                                "{expected}, or the market whose labels use the {kind}.")
# A UL for men beside one for any sex left men two limits, each judged, neither said to replace the other.
ERROR_SEX_BESIDE_ANY = ("This {market} {kind} for {population} is recorded for any sex already: give men and women each "
                        "their own figure instead of that one, or change that one.")
ERROR_ANY_BESIDE_SEX = ("This {market} {kind} for {population} is recorded by sex already ({sexes}): change those, or "
                        "choose the sex this figure is for.")
ERROR_SIGNIFICANCE_COARSER = ("A level of significance of {step} mg is coarser than {amount} mg is written: give the step of "
                              "its last digit, in mg (0.001 for whole mcg, as 120 mcg is written; 0.1 for 2.0 mg).")
ERROR_ELEMENT_TAKEN = ("{other} is the element {symbol} already: every compound holding it would give both, and count "
                       "it twice. Use {other}.")
# Every compound is linked to each element nutrient its formula holds: "Vitamin C" given the formula C, carbon, was
# linked at once to 23 compounds, and Recover read "Vitamin C 653 mg".
ORGANIC_ELEMENTS = frozenset({"C", "H", "O", "N"})
ERROR_ELEMENT_ORGANIC = ("{symbol} alone is the element, which nearly every compound holds: each would give it as this "
                         "nutrient. Write a vitamin's or another molecule's whole formula (C6H8O6 for vitamin C).")
ERROR_LABEL_UNIT_SMALL_VALUE = ("Its {market} {kind} is {amount} mg, under 0.1 mg, as only a nutrient declared in mcg has: "
                                "keep mcg, or correct that value first.")
ERROR_FOOD_ONLY_AMOUNT = "“Food and formula only” means the limit has no amount: leave the amount empty, or untick it."
# The library holds the values in force: every calculation applies each one today, whatever its date.
# 0001-01-01 was saved: a slip of the year, as no reference value predates the first RDAs (1941).
EFFECTIVE_FROM_YEAR = 1900
ERROR_EFFECTIVE_EARLY = "{date} is before any reference value was set: check the year (year-month-day, e.g. 2020-02-01)."
ERROR_EFFECTIVE_LATER = ("A value in force only from {date} would be applied today: enter it on that date, and keep the "
                         "one in force until then.")
ERROR_LINK_DROPS = "%(problem)s Fix the formula, or remove this link if the compound does not give %(nutrient)s."
ERROR_COMPOUND_NAMED = ("“{name}” is in the library already: a name that differs from it only in case or spacing reads as "
                        "the same compound. Edit that one, or name this one apart.")
ERROR_SLUG_IN_CASE = ("“{slug}” is {name}'s slug in another case: addresses and imported files would tell the two apart by "
                      "case alone. Give this one a slug of its own.")


def slug_case_check(instance: models.Model) -> None:
    """Refuse a new slug another entry of the model has in another case ("Magnesium-Oxide" beside "magnesium-oxide").

    A new one only: a slug saved before the check, and read-only since (a nutrient's), made every later edit of its entry
    a 500, the form having no slug field to put the message on."""
    slug = getattr(instance, "slug", "")
    manager = type(instance)._default_manager
    if not slug or (not instance._state.adding and manager.filter(pk=instance.pk, slug=slug).exists()):
        return
    other = manager.exclude(pk=instance.pk).filter(slug__iexact=slug).exclude(slug=slug).first()
    if other is not None:
        raise ValidationError({"slug": ERROR_SLUG_IN_CASE.format(slug=other.slug, name=other)})


ERROR_DECLARED_OVER_WHOLE = ("The specified fractions add up to {total}: an ingredient without a formula cannot give more "
                             "than its own mass. Check each against its source.")


def declared_over_whole(formula: str, fractions: Iterable[Decimal | None]) -> str | None:
    """ERROR_DECLARED_OVER_WHOLE for an ingredient without a formula whose specified fractions add up to more than
    itself; None otherwise. A formula's may: a chelate's free amino acid carries the hydrogen the metal replaced."""
    if formula:
        return None
    total = sum((fraction for fraction in fractions if fraction is not None), Decimal(0))
    return ERROR_DECLARED_OVER_WHOLE.format(total=fraction_percent(total)) if total > 1 else None
ERROR_DECLARED_REQUIRED = "An ingredient without a formula needs its specified fraction and the source of it."
ERROR_NUTRIENT_WITHOUT_FORMULA = ("{nutrient} has no formula to work its share out from: give the specified fraction and "
                                  "the source of it.")
ERROR_FRACTION_ABOVE_ONE = ("One formula unit of {formula} weighs less than the {units}{nutrient} it would release: check the "
                            "formula and the count.")
# A supplier's figure may round the formula's up a little (EFSA specifies L-threonate at 7.2-8.3% magnesium, the
# formula giving 8.25%), never more: the pure compound holds no more than its formula says.
SPECIFIED_ABOVE_THEORY = Decimal("1.02")
ERROR_SPECIFIED_ABOVE_THEORY = ("{specified} is more {nutrient} than the formula holds ({theoretical}): no material can "
                                "assay above its pure compound. Check the figure, or the formula (another hydrate?).")
# Left empty it counted 1: bisglycinate's 2 glycine cleared became 1, and MoodFlow's glycine halved without a word.
ERROR_UNITS_REQUIRED = ("Give how many {nutrient} one formula unit releases, a whole number from 1 (2 glycine per "
                        "bisglycinate): it is not read from the formula.")
ERROR_UNITS_OF_ELEMENT = ("The formula gives the count of {nutrient} atoms: leave units per formula empty (it counts the "
                          "molecules of a molecular nutrient, such as 2 glycine per bisglycinate).")


class ExcludedFieldsKnown(models.Model):
    """A model whose clean() knows the fields a form refused already (`_clean_excluded`), so as not to ask for them
    again: "7.2%" as a fraction was also told its source cites nothing, and "abc" as an amount to give its amount."""

    _clean_excluded: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def full_clean(self, exclude: Any = None, validate_unique: bool = True, validate_constraints: bool = True) -> None:
        self._clean_excluded = frozenset(exclude or ())
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        finally:
            self._clean_excluded = frozenset()


class CompoundNutrient(ExcludedFieldsKnown):
    """A nutrient a compound delivers.

    The theoretical fraction is computed from the formulas (never typed); a specified fraction
    from a supplier specification or certificate of analysis may stand beside it, with its source.
    """

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="contributions")
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="sources")
    units_per_formula = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],  # 0 was read as 1
        help_text="For a molecular nutrient: how many of it one formula unit releases "
        "(2 glycine per bisglycinate). Element counts are read from the formula.",
    )
    specified_fraction = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"), message=ERROR_SPECIFIED_SHARE)],
        help_text="Mass fraction from the supplier specification or CoA (0.072 for 7.2%).",
    )
    specified_source = models.CharField(max_length=300, blank=True)
    specified_url = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["compound", "nutrient"], name="unique_compound_nutrient")]
        ordering = ["nutrient__label_order", "nutrient__name"]

    def __str__(self) -> str:
        return f"{self.nutrient} in {self.compound}"

    def clean(self) -> None:
        from compounds.selectors import parsed_formula, released_fraction  # selectors import this module

        self._specified_check()
        if not self.nutrient_id:
            return
        if self.units_per_formula is not None and self.nutrient.is_element:
            raise ValidationError({"units_per_formula": ERROR_UNITS_OF_ELEMENT.format(nutrient=lower_first(self.nutrient.name))})
        try:
            # The compound as its form holds it: in the admin, a new compound is not saved yet (no id) while its
            # inline links are checked, and without it a new "NaCl" linked to magnesium was saved unchecked.
            compound = self.compound
        except Compound.DoesNotExist:
            return
        formula = compound.formula
        if not formula:
            if self.specified_fraction is None:
                raise ValidationError({"specified_fraction": ERROR_DECLARED_REQUIRED})
            return
        try:
            parsed_formula(formula)  # parsed once, for released_fraction too
        except FormulaParseError:
            return  # the compound's own message, at its formula: said at each link too, it was said three times
        try:
            fraction = released_fraction(formula, self.nutrient, self.units_per_formula)
        except FormulaParseError as exc:
            raise ValidationError({"nutrient": ValidationError(ERROR_LINK_DROPS, code="formula_drops", params={
                "problem": str(exc), "nutrient": lower_first(self.nutrient.name)})}) from exc
        if self.units_per_formula is None and self.nutrient.formula and not self.nutrient.is_element:
            raise ValidationError({"units_per_formula": ERROR_UNITS_REQUIRED.format(nutrient=lower_first(self.nutrient.name))})
        if fraction is None and self.specified_fraction is None:
            # A nutrient without a formula (withanolides) has no fraction to work out: with none given, every compound
            # page answered 500.
            raise ValidationError({"specified_fraction": ERROR_NUTRIENT_WITHOUT_FORMULA.format(
                nutrient=self.nutrient.name)})
        if fraction is not None and fraction > 1:
            raise ValidationError({"units_per_formula": ERROR_FRACTION_ABOVE_ONE.format(
                formula=formula, units=f"{self.units_per_formula} " if self.units_per_formula else "",
                nutrient=lower_first(self.nutrient.name))})
        specified = self.specified_fraction
        # Above 1 it is a percentage, which its field's own message says.
        if fraction is not None and specified is not None and fraction * SPECIFIED_ABOVE_THEORY < specified <= 1:
            raise ValidationError({"specified_fraction": ERROR_SPECIFIED_ABOVE_THEORY.format(
                specified=fraction_percent(specified), nutrient=lower_first(self.nutrient.name),
                theoretical=fraction_percent(fraction))})

    def _specified_check(self) -> None:
        """A specified fraction stands in for the formula's only as a supplier's figure, with its source: 0 would
        make the compound give nothing (Recover read 0 mg of magnesium and "ok"), and an unsourced one no one checks."""
        if self.specified_fraction is None and "specified_fraction" in self._clean_excluded:
            return  # given, but not as a number: its own message says so
        if self.specified_fraction is None:
            # A source left behind read on the compound's page as the source of a figure no longer there.
            if self.specified_source.strip() or self.specified_url.strip():
                raise ValidationError({"specified_source": ERROR_SOURCE_WITHOUT_FRACTION})
            return
        errors = {}
        if self.specified_fraction == 0:
            errors["specified_fraction"] = ERROR_SPECIFIED_ZERO.format(nutrient=lower_first(self.nutrient.name) if self.nutrient_id else "it")
        if not self.specified_source.strip():
            errors["specified_source"] = ERROR_SPECIFIED_SOURCE
        if errors:
            raise ValidationError(errors)


class ReferenceValue(ExcludedFieldsKnown):
    """A Daily Value, RDA, AI, NRV, upper limit or national maximum, with its source."""

    class Kind(models.TextChoices):
        DV = "DV", "Daily Value"
        NRV = "NRV", "Nutrient Reference Value"
        RDA = "RDA", "Recommended Dietary Allowance"
        AI = "AI", "Adequate Intake"
        UL = "UL", "Tolerable Upper Intake Level"
        MAX = "MAX", "National maximum for supplements"

    class Covers(models.TextChoices):
        SUPPLEMENTAL = "supplemental", "Supplemental intake only"
        TOTAL = "total", "Total intake"

    class Per(models.TextChoices):
        DAY = "day", "Per day"
        DOSE = "dose", "Per dose"

    class Sex(models.TextChoices):
        ANY = "any", "Any"
        MALE = "male", "Male"
        FEMALE = "female", "Female"

    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="reference_values")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    market = models.CharField(max_length=6, choices=Market.choices)
    population = models.CharField(max_length=12, choices=Population.choices)
    sex = models.CharField(max_length=6, choices=Sex.choices, default=Sex.ANY)
    qualifier = models.CharField(max_length=100, blank=True, help_text="e.g. “31 years and older”.")
    amount_mg = models.DecimalField(
        "amount (mg)",
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="In mg for every nutrient, also one labelled in mcg (vitamin D's 20 mcg is 0.02). Empty where the "
                  "authority sets no value (EU UL for children 1-3).",
    )
    label_significance = models.DecimalField(
        "level of significance (mg)",
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text="The step label amounts round to, as the regulation writes the value, in mg: 0.1 for the CFR's 2.0 mg "
                  "(a stored 2.0 reads as 2, whose step is 1 mg), 0.001 for 120 mcg (whole mcg). Empty: the step of the "
                  "amount as stored, in its nutrient's label unit.",
    )
    covers = models.CharField(max_length=12, choices=Covers.choices, default=Covers.TOTAL)
    per = models.CharField(max_length=4, choices=Per.choices, default=Per.DAY)
    food_only = models.BooleanField(
        "food and formula only", default=False,
        help_text="A limit with no amount because the intake should come from food and formula alone (the IOM's "
                  "magnesium UL for infants): any supplemental amount is over it.",
    )
    source_citation = models.CharField(max_length=400)
    source_url = models.URLField(blank=True)
    effective_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nutrient__label_order", "market", "kind", "population", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["nutrient", "kind", "market", "population", "sex", "per"], name="unique_reference_value"
            )
        ]

    def clean(self) -> None:
        if self.effective_date is not None and self.effective_date.year < EFFECTIVE_FROM_YEAR:
            raise ValidationError({"effective_date": ERROR_EFFECTIVE_EARLY.format(date=self.effective_date.isoformat())})
        if self.effective_date is not None and self.effective_date > timezone.localdate():
            raise ValidationError({"effective_date": ERROR_EFFECTIVE_LATER.format(date=self.effective_date.isoformat())})
        # A limit of 0 read as "no limit" beside any amount; one that allows no supplemental amount is food_only.
        if self.amount_mg is not None and self.amount_mg == 0:
            raise ValidationError({"amount_mg": ERROR_REFERENCE_ZERO})
        if self.food_only and self.amount_mg is not None:
            raise ValidationError({"amount_mg": ERROR_FOOD_ONLY_AMOUNT})
        # A kind that is none ("ul") is refused at its field: the rules of intake references, whose kind it is not,
        # said "The ul is an intake from food and supplements together" beside a UL meant to cover supplements.
        if self.kind in self.Kind.values and self.kind not in (self.Kind.UL, self.Kind.MAX):
            kind = self.kind_label
            if self.food_only:
                raise ValidationError({"food_only": ERROR_FOOD_ONLY_KIND.format(kind=kind)})
            # Not for an amount already refused as typed ("abc"): "give its amount" would ask for what was given.
            if self.amount_mg is None and "amount_mg" not in self._clean_excluded:
                raise ValidationError({"amount_mg": ERROR_INTAKE_AMOUNT.format(kind=kind)})
            if self.per == self.Per.DOSE:
                raise ValidationError({"per": ERROR_INTAKE_PER_DOSE.format(kind=kind)})
            if self.covers == self.Covers.SUPPLEMENTAL:
                raise ValidationError({"covers": ERROR_INTAKE_SUPPLEMENTAL.format(kind=kind)})
            # A women's DV beside the adults' listed Recover at 34% and 48% of "the" US DV, its panel at 34%.
            if self.kind in LABEL_UNIT_KINDS and self.sex != self.Sex.ANY:
                raise ValidationError({"sex": ERROR_LABEL_REFERENCE_SEX.format(kind=kind)})
            expected = LABEL_REFERENCE_OF_MARKET.get(self.market)
            if self.kind in LABEL_UNIT_KINDS and expected is not None and expected != self.kind:
                raise ValidationError({"kind": ERROR_LABEL_REFERENCE_MARKET.format(
                    article="An" if self.market in ("EU", "AU-NZ") else "A", market=self.market,
                    expected=self.Kind(expected).label, kind=kind)})
        # A UL is a day's intake too: saved per dose, it was a second, per-dose safety row beside the day's.
        if self.kind == self.Kind.UL and self.per == self.Per.DOSE:
            raise ValidationError({"per": ERROR_INTAKE_PER_DOSE.format(kind=self.kind_label)})
        self._sexes_check()
        if (self.amount_mg is not None and self.label_significance is not None and self.label_significance > 0
                and self.amount_mg % self.label_significance != 0):
            # Vitamin K's 120 mcg at a step of 1 mg printed 45 mcg as "50 mcg" and the DV itself as "0 mcg".
            raise ValidationError({"label_significance": ERROR_SIGNIFICANCE_COARSER.format(
                step=f"{self.label_significance.normalize():f}", amount=f"{self.amount_mg.normalize():f}")})
        # Above 0: a negative amount is refused as such, and says nothing of the nutrient's label unit.
        if (self.kind in LABEL_UNIT_KINDS and self.amount_mg is not None and 0 < self.amount_mg < LABEL_UNIT_MG_FROM
                and self.nutrient_id is not None and self.nutrient.label_unit == Nutrient.LabelUnit.MG):
            raise ValidationError({"amount_mg": ERROR_LABEL_UNIT_MG.format(amount=f"{self.amount_mg.normalize():f}",
                                                                           nutrient=lower_first(self.nutrient.name))})

    @property
    def kind_label(self) -> str:
        """The kind in words ("Daily Value"), or as stored where it is no kind (a file's "Dv", refused at its field)."""
        return self.Kind(self.kind).label if self.kind in self.Kind.values else self.kind

    def _sexes_check(self) -> None:
        """A figure for one sex stands beside the other sex's, never beside one for any sex."""
        if not self.nutrient_id or {"kind", "market", "population", "sex", "per"} & self._clean_excluded:
            return
        others = (ReferenceValue.objects.filter(nutrient_id=self.nutrient_id, kind=self.kind, market=self.market,
                                                population=self.population, per=self.per)
                  .exclude(pk=self.pk).exclude(sex=self.sex))
        sexes = sorted(others.values_list("sex", flat=True))
        if not sexes:
            return
        kind = self.kind_label
        population = Population(self.population).label if self.population in Population.values else self.population
        if self.sex == self.Sex.ANY:
            message = ERROR_ANY_BESIDE_SEX.format(market=self.market, kind=kind, population=population,
                                                  sexes=", ".join(sexes))
        elif self.Sex.ANY in sexes:
            message = ERROR_SEX_BESIDE_ANY.format(market=self.market, kind=kind, population=population)
        else:
            return  # the other sex's figure: the pair a sex-dependent intake is
        raise ValidationError({"sex": message})

    def __str__(self) -> str:
        # In its nutrient's unit, as the pages write it: "US DV Vitamin D (Adults): 20 mcg", not "0.02 mg".
        amount = reference_amount(self.amount_mg, None, self.nutrient.label_unit) if self.amount_mg is not None else "not set"
        # A women's RDA beside the men's read alike: "AU-NZ RDA Magnesium (Adults): 320 mg".
        who = self.get_population_display() + (f", {self.get_sex_display().lower()}" if self.sex != self.Sex.ANY else "")
        return f"{self.market} {self.kind} {self.nutrient} ({who}): {amount}"


# A product names its capsule size by code: a size renamed while products use it left them with no fill check (and
# so no approval blocker for capsules they do not fit).
ERROR_CAPSULE_CODE_IN_USE = ("{count} product{s} of any team use size {code}: its code cannot change while they do. "
                             "Add the new size as a size of its own.")
ERROR_CAPSULE_ORDER = ("A capsule holds less than the size before it and more than the size after it (larger: {larger}; "
                       "smaller: {smaller}): check the volume, in mL.")


class CapsuleSize(models.Model):
    """A hard capsule size and its fill volume, with the source of that volume."""

    code = models.CharField(max_length=3, unique=True)
    volume_ml = models.DecimalField("fill volume (mL)", max_digits=5, decimal_places=3,
                                    validators=[MinValueValidator(Decimal("0.01"))])
    source = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    # A volume decides how many capsules a serving needs, and so an approval: who changed it, from what, is kept.
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Size {self.code} ({self.volume_ml.normalize():f} mL)"

    def clean(self) -> None:
        if self.pk is not None:
            from formulator.models import Product  # the formulator builds on the library

            was = CapsuleSize.objects.filter(pk=self.pk).values_list("code", flat=True).first()
            count = Product.objects.filter(capsule_size=was).count() if was not in (None, self.code) else 0
            if count:
                raise ValidationError({"code": ERROR_CAPSULE_CODE_IN_USE.format(count=count, s="" if count == 1 else "s",
                                                                                code=was)})
        # Sizes run from the largest (000) down: size 00 at 2.5 mL, more than 000's 1.37, lifted an approval blocker.
        if self.volume_ml is None:
            return
        others = CapsuleSize.objects.exclude(pk=self.pk)
        larger = others.filter(position__lt=self.position).order_by("-position").first()
        smaller = others.filter(position__gt=self.position).order_by("position").first()
        if (larger and self.volume_ml >= larger.volume_ml) or (smaller and self.volume_ml <= smaller.volume_ml):
            def named(size: CapsuleSize | None) -> str:
                return f"size {size.code}, {size.volume_ml.normalize():f} mL" if size else "none"

            raise ValidationError({"volume_ml": ERROR_CAPSULE_ORDER.format(larger=named(larger), smaller=named(smaller))})


class LibraryRevision(models.Model):
    """One row whose token changes, through database triggers, with every write to a library table.

    Processes cache what they read from the library and compare this token to know it is still current
    (see compounds/revision.py). Triggers, not signals, because bulk and queryset writes send no signals.
    """

    token = models.CharField(max_length=64, default="initial")

    def __str__(self) -> str:
        return self.token
