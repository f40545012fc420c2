"""Products (a capsule, a drink ...) with their ingredient lines, and stacks of products taken in a day."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from simple_history.models import HistoricalRecords

from accounts.models import Team
from compounds.models import Compound, Market, Population
from formulator import engine, labels


class DosageForm(models.TextChoices):
    CAPSULE = "capsule", "Capsule"
    TABLET = "tablet", "Tablet"
    POWDER = "powder", "Powder"
    DRINK = "drink", "Drink"
    GUMMY = "gummy", "Gummy"


class CapsuleSize(models.TextChoices):
    SIZE_000 = "000", "000"
    SIZE_00 = "00", "00"
    SIZE_0E = "0E", "0E"
    SIZE_0 = "0", "0"
    SIZE_1 = "1", "1"
    SIZE_2 = "2", "2"
    SIZE_3 = "3", "3"
    SIZE_4 = "4", "4"


class Timing(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"


class Unit(models.TextChoices):
    MG = "mg", "mg"
    G = "g", "g"
    MCG = "mcg", "mcg"


# A design's notes: long enough for a formulation rationale, bounded so that the API, which reads them back, takes them.
NOTES_MAX_LENGTH = 5000

SERVING_UNIT_WORDS = {
    DosageForm.CAPSULE: ("Capsule", "Capsules"),
    DosageForm.TABLET: ("Tablet", "Tablets"),
    DosageForm.POWDER: ("Scoop", "Scoops"),
    DosageForm.DRINK: ("Bottle", "Bottles"),
    DosageForm.GUMMY: ("Gummy", "Gummies"),
}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in-review", "In review"
    APPROVED = "approved", "Approved"


def default_markets() -> list[str]:
    return [Market.US, Market.EU]


class Product(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="products")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised when an approved product is changed: v2 starts as a draft."
    )
    brand = models.CharField(max_length=100, blank=True)
    dosage_form = models.CharField(max_length=10, choices=DosageForm.choices, default=DosageForm.CAPSULE)
    capsule_size = models.CharField(max_length=3, choices=CapsuleSize.choices, blank=True)
    serving_size = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(50)], help_text="Units per serving, e.g. 2 capsules."
    )
    servings_per_day = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.25"))]
    )
    servings_per_container = models.PositiveIntegerField(default=30)
    timing = models.CharField(max_length=10, choices=Timing.choices, default=Timing.MORNING)
    markets = models.JSONField(default=default_markets, help_text="Markets the product is designed for.")
    population = models.CharField(max_length=12, choices=Population.choices, default=Population.ADULT)
    claims = models.CharField(max_length=300, blank=True, help_text="Claims, separated by commas: sleep, cognition ...")
    other_ingredients = models.CharField(
        max_length=500, blank=True, help_text="Capsule shell, excipients … as the label's ingredient statement lists them."
    )
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    variant_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="variants", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        # As people read a list: "alpha stack" before "Zero Mg", "NoJS" before "NTRPX" (SQLite's order is by code point).
        ordering = [Lower("name"), "name"]
        constraints = [
            # A backstop for two saves at once: services._name_check tells names apart as people do (any script's
            # case, width, spaces); the database can only compare its own lower(), so this catches the same spelling.
            models.UniqueConstraint(Lower("name"), "team", name="product_name_unique_in_team",
                                    violation_error_message="The team already has a product of this name."),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("formulator:product_detail", args=[self.slug])

    @property
    def serving_description(self) -> str:
        return self.units_text(self.serving_size)

    def units_text(self, count: Decimal | int) -> str:
        """ "1 Capsule", "4 Capsules": a number of this product's units."""
        singular, plural = SERVING_UNIT_WORDS[DosageForm(self.dosage_form)]
        return f"{labels.plain_number(count)} {singular if Decimal(count) == 1 else plural}"  # "1,000 Capsules"


class ProductLine(models.Model):
    """One ingredient per serving: the label claim of the compound and the overage added to it."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="lines")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="product_lines")
    amount = models.DecimalField(max_digits=13, decimal_places=4)  # 100 g is 100,000,000 mcg: nine whole digits
    unit = models.CharField(max_length=3, choices=Unit.choices, default=Unit.MG)
    overage_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    blend = models.CharField(
        max_length=100, blank=True,
        help_text="Lines with the same blend name are declared together on the US panel as a proprietary blend.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.amount.normalize():f} {self.unit} {self.compound}"

    def clean(self) -> None:
        if self.amount is None or not self.unit:
            return
        try:
            engine.validate_amount(self.amount, self.unit)
        except engine.EngineError as exc:
            field = "unit" if self.unit not in engine.MG_PER_UNIT else "amount"
            raise ValidationError({field: str(exc)}) from exc


class Stack(models.Model):
    """Several products taken across a day."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="stacks")
    markets = models.JSONField(default=default_markets)
    population = models.CharField(max_length=12, choices=Population.choices, default=Population.ADULT)
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        # As people read a list: "alpha stack" before "Zero Mg", "NoJS" before "NTRPX" (SQLite's order is by code point).
        ordering = [Lower("name"), "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "team", name="stack_name_unique_in_team",
                                    violation_error_message="The team already has a stack of this name."),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("formulator:stack_detail", args=[self.slug])


class StackItem(models.Model):
    stack = models.ForeignKey(Stack, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stack_items")
    servings_per_day = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.25"))]
    )
    timing = models.CharField(max_length=10, choices=Timing.choices, default=Timing.MORNING)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.product} × {self.servings_per_day.normalize():f} ({self.timing})"
