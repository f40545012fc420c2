"""Forms of the workbench. Each message is a constant, so tests can check it by identity."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import translation

from compounds.models import Market, Population, markets_in_force
from compounds.numbers import GROUPED_NUMBER, PLAIN_NUMBER
from formulator import engine, labels, services
from formulator.models import SERVING_UNIT_WORDS, CapsuleSize, DosageForm, Product, ProductLine, Stack, Timing, Unit

ERROR_CHOOSE_MARKET = "Choose at least one market."
ERROR_CAPSULE_SIZE = "Choose a capsule size for a capsule product."
ERROR_CHOOSE_COMPOUND = "Choose a compound."
ERROR_UNKNOWN_COMPOUND = "Unknown compound: choose one from the library."
ERROR_AMOUNT_REQUIRED = "Enter an amount."
ERROR_NOT_A_NUMBER = "Enter a number, e.g. 500 or 1.5."
ERROR_DECIMAL_COMMA = "A comma may be a decimal or a thousand: write 1.5 or 1500."
# A whole-number field: "a point for decimals" would invite 1.5, which it refuses next.
ERROR_WHOLE_NUMBER_COMMA = "Write a whole number, without commas or points: 1500, for example."
# Where a field's range takes not both of those digits, its range instead (CommaRefused): servings per day, from 0.25
# to 20, were told to write 1500, an overage to write 1500%, a year 1500.
ERROR_DECIMAL_COMMA_RANGE = "A comma may be a decimal or a thousand: write a number from {low} to {high}."
ERROR_WHOLE_NUMBER_COMMA_RANGE = "Write a whole number from {low} to {high}, without commas or points."
ERROR_AMOUNT_DECIMALS = "Use at most {places} decimal places."
ERROR_AMOUNT_DIGITS = "Too many digits: use at most {whole} before the decimal point and {places} after it."
ERROR_AMOUNT_WHOLE_DIGITS = "100 g or more a serving in any unit: check the amount and the unit."
ERROR_UNKNOWN_UNIT = "Choose mg, g or mcg."
ERROR_OVERAGE_RANGE = "Overage is a percentage from 0 to 100."
# What is no number, as typed ("abc", full-width "１０", "1e1"): the range alone read as if 10 were out of it.
ERROR_OVERAGE_WRITTEN = "Write the overage in digits, a percentage from 0 to 100: 7.5, for example."
ERROR_OVERAGE_DECIMALS = "Overage takes at most 2 decimal places, such as 7.5 or 12.25."
ERROR_TARGET_NEGATIVE = "A target cannot be negative."
ERROR_CHOOSE_PRODUCT = "Choose a product."
# A product deleted, or taken back to draft by its team, while a stack editor was open said "Unknown product", and its
# name was gone from the emptied menu: the message names what was chosen. Never whether another team's draft exists.
ERROR_UNKNOWN_PRODUCT = ("There is no product “%(value)s” to stack now: it may have been deleted, or taken back to draft "
                         "by its team. Choose one from the list.")
ERROR_CHOOSE_DOSAGE_FORM = "Choose a dosage form."
ERROR_CHOOSE_TIMING = "Choose when this product is taken."
ERROR_CHOOSE_POPULATION = "Choose a population."
ERROR_TOO_LONG = "Too long: use at most {max_length} characters."
# For a value no menu offers (the API, a hand-made post): it names the codes there are. %(value)s is Django's.
ERROR_UNKNOWN_CHOICE = "Unknown {what} “%(value)s”: use one of {codes}."


def unknown_choice(what: str, choices: Sequence[tuple[Any, Any]]) -> dict[str, str]:
    """The error_messages of a choice field whose value must be one of `choices`, in the words of ERROR_UNKNOWN_CHOICE."""
    return {"invalid_choice": ERROR_UNKNOWN_CHOICE.format(what=what, codes=", ".join(str(v) for v, _ in choices if v))}


def choice_messages(required: str, what: str, choices: Sequence[tuple[Any, Any]]) -> dict[str, str]:
    """The error_messages of a required choice field: `required` when left empty, ERROR_UNKNOWN_CHOICE for a value
    no menu offers."""
    return {"required": required, **unknown_choice(what, choices)}


def _text_messages(model: type[Product | Stack | ProductLine], name: str, **messages: str) -> dict[str, str]:
    """The error_messages of the text field `name` of `model`: ERROR_TOO_LONG at its column's length, and `messages`.

    The input's maxlength stops the browser there; a hand-made post still gets the app's words, not Django's.
    """
    return {"max_length": ERROR_TOO_LONG.format(max_length=model._meta.get_field(name).max_length), **messages}


ERROR_SERVINGS = "Servings per day must be a number from 0.25 to 20."
# A product's and a stack item's servings are saved alike: the message says how many places the column holds.
_SERVINGS = Product._meta.get_field("servings_per_day")
ERROR_SERVINGS_DECIMALS = (f"Servings per day takes at most {_SERVINGS.decimal_places} decimal places, "
                           "e.g. 1.5 or 0.25.")
# max_digits too: the range is checked first (OneProblem), so within it, more digits than the column holds can only
# be decimals, and 1.2345 is as much a number from 0.25 to 20 as 1.5 is.
# Text that is no number as people write one ("1e1", "two") is told how to write it, as an amount is: 1e1 is 10, within
# the range, and "must be a number from 0.25 to 20" said nothing of what was wrong with it.
ERROR_SERVINGS_WRITTEN = "Servings per day must be a number from 0.25 to 20, written in digits, e.g. 1 or 1.5."
SERVINGS_MESSAGES = {"required": ERROR_SERVINGS, "invalid": ERROR_SERVINGS_WRITTEN, "min_value": ERROR_SERVINGS,
                     "max_value": ERROR_SERVINGS, "max_decimal_places": ERROR_SERVINGS_DECIMALS,
                     "max_digits": ERROR_SERVINGS_DECIMALS}
MARKETS_HELP = "Germany is sold under EU law as well as its own rule: choosing it brings in the EU's rules too."
SERVING_SIZE_MAX = 50
SERVINGS_PER_CONTAINER_MAX = 10_000
ERROR_SERVING_SIZE = "Serving size must be a whole number of units from 1 to 50."
# As typed ("٣", "1e3", "1,5"): its own example, in range, where the generic one (1500) was not.
ERROR_SERVING_SIZE_WRITTEN = "Write the serving size in digits, a whole number of units from 1 to 50: 2, for example."
# A capsule or a gummy is taken whole: a day of 1 capsule at 0.5 servings is no portion a label can state.
ERROR_WHOLE_UNITS_A_DAY = ("{servings} servings a day of {serving} is {units} a day: a {unit} is taken whole, so make "
                           "it a whole number.")
WHOLE_UNIT_FORMS = (DosageForm.CAPSULE, DosageForm.GUMMY)
ERROR_SERVINGS_PER_CONTAINER = "Servings per container must be a whole number from 1 to 10000."
ERROR_SERVINGS_PER_CONTAINER_WRITTEN = ("Write the servings per container in digits, a whole number from 1 to 10000: 60, "
                                        "for example.")
ERROR_NO_LINES = "Add at least one ingredient."
ERROR_NO_ITEMS = "Add at least one product."
ERROR_TOO_MANY_LINES = f"A product takes at most {services.ROWS_MAX} ingredient lines: remove those past line {services.ROWS_MAX}."
ERROR_TOO_MANY_ITEMS = f"A stack takes at most {services.ROWS_MAX} products: remove those past product {services.ROWS_MAX}."
ERROR_PRODUCT_NAME = "Name the product to save it."
ERROR_STACK_NAME = "Name the stack to save it."

NUMBER_MESSAGES = {"required": ERROR_AMOUNT_REQUIRED, "invalid": ERROR_NOT_A_NUMBER}
# Text inputs, not type=number: a number input silently drops letters, so the user would lose what they
# typed and never see why it was refused. inputmode still brings up a numeric keypad on phones.
# No autocomplete="off": it also stops the browser putting a typed amount back on Back (typed-early.js then
# recalculates with it), and losing typed work costs more than a list of earlier entries.
DECIMAL_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
WHOLE_NUMBER_INPUT = forms.TextInput(attrs={"inputmode": "numeric"})


MAX_WRITTEN_EXPONENT = 20  # digits either side of the point; far more than any number field holds


def number_written(value: Decimal) -> str:
    """A number the API received (a JSON number may come as 1e3) as the editors' fields take one: in plain digits.
    Past MAX_WRITTEN_EXPONENT digits either side of the point, written no longer, but as long as a field refuses as too
    many digits: "1e999999" written out is a million of them."""
    # No arithmetic before the size is known: normalize() of 1e695049957 overflows the decimal context (a 500), and
    # would round a long number to 28 digits.
    if not value.is_finite():
        return str(value)
    if value.is_zero():
        return "0"
    if value.adjusted() > MAX_WRITTEN_EXPONENT:
        return ("-" if value < 0 else "") + "1" + "0" * (MAX_WRITTEN_EXPONENT + 1)
    if value.adjusted() < -MAX_WRITTEN_EXPONENT:
        return ("-" if value < 0 else "") + "0." + "0" * MAX_WRITTEN_EXPONENT + "1"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class CommaRefused(forms.Field):
    """A number written plainly (PLAIN_NUMBER). A comma is refused with its own message, never guessed at: "1,5" is
    one and a half in much of Europe, "1,500" fifteen hundred in the US. Thousands separators that can mean nothing
    else are read, as the pages print amounts ("1,418.9": GROUPED_NUMBER), so that a figure copied back is taken.
    Anything else Python would read ("2_000", "1e3", "٢٠٠٠") is refused as no number: it is not guessed at either."""

    default_error_messages = {"comma": ERROR_DECIMAL_COMMA}
    comma_examples: tuple[Decimal, ...] = (Decimal("1.5"), Decimal(1500))  # the digits the comma message suggests
    comma_range = ERROR_DECIMAL_COMMA_RANGE
    percent_sign = False  # whether a percentage may be written with its sign ("10%")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The comma message suggests its digits only to a field that takes them; a field given its own keeps it.
        low, high = getattr(self, "min_value", None), getattr(self, "max_value", None)
        if (self.error_messages["comma"] == self.default_error_messages["comma"] and low is not None
                and high is not None and not all(low <= example <= high for example in self.comma_examples)):
            self.error_messages["comma"] = self.comma_range.format(low=number_written(Decimal(low)),
                                                                   high=number_written(Decimal(high)))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()  # spaces alone are nothing typed, as Django reads a CharField
            if self.percent_sign and value.endswith("%"):
                value = value[:-1].rstrip()
            if "," in value:
                if not GROUPED_NUMBER.fullmatch(value):
                    raise forms.ValidationError(self.error_messages["comma"], code="comma")
                value = value.replace(",", "")
            if value and not PLAIN_NUMBER.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class OneProblem(forms.Field):
    """A value the field's checks refuse says the first problem alone, in the order the checks run: the range, then
    the digits (Django's DecimalField and IntegerField check max_value and min_value before the decimal places).

    Django says every check that fails: 1e-30 servings a day is both under 0.25 and too precise, and a field that
    gives both checks one message said it twice. Of a number out of range, its decimals are beside the point.
    """

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.error_list[:1]) from None


class PointDecimalField(CommaRefused, OneProblem, forms.DecimalField):
    """A decimal whose "too many digits" says which part has too many, where the field has a message for it.

    Django counts all digits first: 1e30 mg read "too many digits" where the amount is the problem, and 0.000…1 (300
    places) too, where its decimals are.
    """

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except forms.ValidationError as exc:
            if exc.error_list[0].code != "max_digits" or self.max_digits is None or self.decimal_places is None:
                raise
            sign, digit_tuple, exponent = value.as_tuple()
            # As Django's DecimalValidator counts them.
            decimals = 0 if exponent >= 0 else -exponent
            digits = len(digit_tuple) + exponent if exponent >= 0 else max(len(digit_tuple), decimals)
            whole_over = digits - decimals > self.max_digits - self.decimal_places
            decimals_over = decimals > self.decimal_places
            # Both parts too long, or a huge negative amount (no "100 g or more"): the message of both parts.
            part = ("max_whole_digits" if whole_over and not decimals_over and not sign
                    else "max_decimal_places" if decimals_over and not whole_over else None)
            if part is None or part not in self.error_messages:
                raise
            raise forms.ValidationError(self.error_messages[part], code=part,
                                        params={"max": self.max_digits - self.decimal_places if part == "max_whole_digits"
                                                else self.decimal_places, "value": value}) from None


class PointPercentField(PointDecimalField):
    percent_sign = True


class PointIntegerField(CommaRefused, OneProblem, forms.IntegerField):
    default_error_messages = {"comma": ERROR_WHOLE_NUMBER_COMMA}
    comma_examples = (Decimal(1500),)
    comma_range = ERROR_WHOLE_NUMBER_COMMA_RANGE

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            # "1.5" is written in digits: told to "write it in digits", it is a whole number it must be, as its range says.
            if (error.code == "invalid" and "fraction" in self.error_messages and isinstance(value, str)
                    and PLAIN_NUMBER.fullmatch(value.strip())):
                raise forms.ValidationError(self.error_messages["fraction"], code="fraction") from None
            raise


class ErrorDescribedForm(forms.BaseForm):
    """Each field is described by its hint (hint-name, where it has help text) and by its message's slot (err-name),
    which the editors fill as the user types.

    Django would point aria-describedby at id_name_error and id_name_helptext, which no template renders.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            described_by = [f"hint-{self.add_prefix(name)}"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*described_by, f"err-{self.add_prefix(name)}"])


class VisibleTextField(forms.CharField):
    """Text printed on a label as a design's name is: no invisible or direction characters, single spaces.

    A blend "\u202eevil\u202e" printed reversed on the panel and the sheets, and "Calm" with a zero-width space was
    declared as a second blend beside "Calm"."""

    def to_python(self, value: Any) -> str:
        return services.name_cleaned(super().to_python(value))


class VisibleNotesField(forms.CharField):
    """Notes as VisibleTextField cleans a line of text, keeping their line breaks."""

    def to_python(self, value: Any) -> str:
        return services.text_cleaned(super().to_python(value))


class DesignForm(ErrorDescribedForm, forms.ModelForm):
    """A product's or stack's own fields. Without require_name, for its figures only: the name matters to a save alone."""

    markets = forms.MultipleChoiceField(
        choices=Market.choices, widget=forms.CheckboxSelectMultiple, help_text=MARKETS_HELP,
        error_messages={"required": ERROR_CHOOSE_MARKET, **unknown_choice("market", Market.choices)},
    )

    def __init__(self, *args: Any, require_name: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = require_name

    def clean_name(self) -> str:
        # Here, so the name checked against the team's others is the name saved and shown (the API cleans with
        # these forms too): "Recover" and "Recover" with a zero-width space would list as two alike.
        name = services.name_cleaned(self.cleaned_data["name"])
        if not name and self.fields["name"].required:  # invisible characters alone are no name
            raise forms.ValidationError(self.fields["name"].error_messages["required"], code="required")
        return name

    def clean_markets(self) -> list[str]:
        # The checkboxes post each market once; a hand-made post (or the API) may repeat one, which means no more.
        # Each once, in one order: "US, US" would be saved and shown as two markets.
        return markets_in_force(self.cleaned_data["markets"])


class ProductForm(DesignForm):
    servings_per_day = PointDecimalField(
        min_value=Decimal("0.25"), max_value=Decimal(20), max_digits=_SERVINGS.max_digits,
        decimal_places=_SERVINGS.decimal_places, widget=DECIMAL_INPUT, error_messages=SERVINGS_MESSAGES,
    )
    serving_size = PointIntegerField(
        min_value=1, max_value=SERVING_SIZE_MAX, help_text=Product._meta.get_field("serving_size").help_text, widget=WHOLE_NUMBER_INPUT,
        error_messages={**{key: ERROR_SERVING_SIZE for key in ("required", "min_value", "max_value", "fraction")},
                        "invalid": ERROR_SERVING_SIZE_WRITTEN, "comma": ERROR_SERVING_SIZE_WRITTEN},
    )
    # A label declares how many servings a container holds: zero servings is no product.
    servings_per_container = PointIntegerField(
        min_value=1, max_value=SERVINGS_PER_CONTAINER_MAX, widget=WHOLE_NUMBER_INPUT,
        error_messages={**{key: ERROR_SERVINGS_PER_CONTAINER for key in ("required", "min_value", "max_value", "fraction")},
                        "invalid": ERROR_SERVINGS_PER_CONTAINER_WRITTEN},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A size applies to capsules only: for another form the editor hides it (clean clears it). Hidden, not disabled:
        # it is still posted, so the size chosen comes back with capsule, after any line button or the browser's Back.
        # The page's script shows it as soon as capsule is chosen; without the script, the next recalculation does.
        dosage_form = self.data.get(self.add_prefix("dosage_form")) if self.is_bound else self.initial.get("dosage_form")
        self.capsule_size_applies = dosage_form == DosageForm.CAPSULE

    class Meta:
        model = Product
        fields = [
            "name", "brand", "dosage_form", "capsule_size", "serving_size", "servings_per_day",
            "servings_per_container", "timing", "markets", "population", "claims", "other_ingredients", "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        # Printed on the label and the sheets (the brand in the sheet's heading): a direction override in "brand"
        # printed the heading's revision, status and date reversed.
        field_classes = {"brand": VisibleTextField, "claims": VisibleTextField, "other_ingredients": VisibleTextField,
                         "notes": VisibleNotesField}
        help_texts = {
            # evidence.selectors.CLAIM_OUTCOMES: a claim naming an outcome the library knows is graded on it.
            "claims": "Claims, separated by commas: sleep, cognition, or an outcome as the evidence grades name it "
                      "(muscle cramps, serum magnesium).",
        }
        error_messages = {
            "name": _text_messages(Product, "name", required=ERROR_PRODUCT_NAME),
            "brand": _text_messages(Product, "brand"),
            "dosage_form": choice_messages(ERROR_CHOOSE_DOSAGE_FORM, "dosage form", DosageForm.choices),
            "capsule_size": unknown_choice("capsule size", CapsuleSize.choices),
            "timing": choice_messages(ERROR_CHOOSE_TIMING, "timing", Timing.choices),
            "population": choice_messages(ERROR_CHOOSE_POPULATION, "population", Population.choices),
            "claims": _text_messages(Product, "claims"),
            "other_ingredients": _text_messages(Product, "other_ingredients"),
            "notes": _text_messages(Product, "notes"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("dosage_form") == DosageForm.CAPSULE and not cleaned.get("capsule_size")
                and "capsule_size" not in self.errors):  # an unknown size says so already
            self.add_error("capsule_size", ERROR_CAPSULE_SIZE)
        if cleaned.get("dosage_form") not in (DosageForm.CAPSULE, None):
            cleaned["capsule_size"] = ""
        error = whole_units_error(cleaned.get("dosage_form"), cleaned.get("serving_size"), cleaned.get("servings_per_day"))
        if error:
            self.add_error("servings_per_day", error)
        return cleaned


def whole_units_error(dosage_form: str | None, size: int | None, servings: Decimal | None) -> str | None:
    """What is wrong with a day of `servings` of `size` capsules or gummies, which are taken whole; None if nothing."""
    if dosage_form in WHOLE_UNIT_FORMS and size and servings and (size * servings) % 1:
        words = Product(dosage_form=dosage_form)
        return ERROR_WHOLE_UNITS_A_DAY.format(
            servings=f"{servings.normalize():f}", serving=words.units_text(size).lower(),
            units=words.units_text(size * servings).lower(), unit=SERVING_UNIT_WORDS[dosage_form][0].lower())
    return None


@dataclass(frozen=True)
class CleanedFields:
    """A product's own fields checked as ProductForm checks them: the values, or None and messages by field."""

    values: dict[str, Any] | None
    errors: dict[str, list[str]]


def product_fields_clean(data: QueryDict, *, require_name: bool = True) -> CleanedFields:
    """Check posted product fields with ProductForm, once per distinct set of values.

    The workbench runs this on every keystroke, and typing in the ingredient lines leaves these fields as they
    were. ProductForm's checks depend on the posted values alone (no unique or constraint check spans its
    fields), which tests/test_line_checks.py checks against a ProductForm bound to a saved product.
    """
    getlist = data.getlist
    posted = tuple([(name, tuple(getlist(name))) for name in ProductForm.Meta.fields])
    values, errors = _product_fields_check(posted, require_name, translation.get_language())
    return CleanedFields(
        None if values is None else {name: list(v) if isinstance(v, list) else v for name, v in values.items()},
        {name: list(messages) for name, messages in errors.items()},
    )


@lru_cache(maxsize=256)
def _product_fields_check(
    posted: tuple[tuple[str, tuple[str, ...]], ...], require_name: bool, language: str | None
) -> tuple[dict[str, Any] | None, dict[str, tuple[str, ...]]]:
    data = QueryDict(mutable=True)
    for name, values in posted:
        data.setlist(name, list(values))
    form = ProductForm(data, require_name=require_name)
    if form.is_valid():
        return form.cleaned_data, {}
    return None, {name: tuple(messages) for name, messages in form.errors.items()}


_LINE_AMOUNT = ProductLine._meta.get_field("amount")


class LineForm(ErrorDescribedForm, forms.Form):
    """One ingredient line; compound choices are passed in so a formset of 50 lines costs no extra query."""

    compound = forms.ChoiceField(error_messages={"required": ERROR_CHOOSE_COMPOUND, "invalid_choice": ERROR_UNKNOWN_COMPOUND})
    # The digits the saved line holds (services.AMOUNT_LIMIT_MG, the solve's limit, reads the same field).
    amount = PointDecimalField(
        max_digits=_LINE_AMOUNT.max_digits, decimal_places=_LINE_AMOUNT.decimal_places, widget=DECIMAL_INPUT,
        # A number too long for the saved line is still a number: say what is wrong with it.
        error_messages={**NUMBER_MESSAGES,
                        "max_digits": ERROR_AMOUNT_DIGITS.format(whole=_LINE_AMOUNT.max_digits - _LINE_AMOUNT.decimal_places,
                                                                 places=_LINE_AMOUNT.decimal_places),
                        "max_decimal_places": ERROR_AMOUNT_DECIMALS.format(places=_LINE_AMOUNT.decimal_places),
                        "max_whole_digits": ERROR_AMOUNT_WHOLE_DIGITS},
    )
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.MG,
                             error_messages={"required": ERROR_UNKNOWN_UNIT, "invalid_choice": ERROR_UNKNOWN_UNIT})
    overage_percent = PointPercentField(
        required=False, min_value=0, max_value=100, decimal_places=2, widget=DECIMAL_INPUT,
        # No "e.g. 500" of a number: an overage is a percentage.
        error_messages={"invalid": ERROR_OVERAGE_WRITTEN, "min_value": ERROR_OVERAGE_RANGE, "max_value": ERROR_OVERAGE_RANGE,
                        "max_decimal_places": ERROR_OVERAGE_DECIMALS, "max_digits": ERROR_OVERAGE_RANGE},
    )
    blend = VisibleTextField(
        required=False, max_length=ProductLine._meta.get_field("blend").max_length, strip=True,
        widget=forms.TextInput(attrs={"placeholder": "its name, if any"}),
        error_messages=_text_messages(ProductLine, "blend"),
    )
    # No part of the design: Solve alone reads it (solve_target_error), so what is typed here never puts the figures
    # out of date. A save with a target typed since its line was last solved is refused (views.product_edit).
    target_mg = forms.CharField(required=False, strip=True, widget=DECIMAL_INPUT)
    # The target this line was last solved for: without JavaScript, a target typed since then is solved when the form
    # is sent by Enter (see views.product_edit).
    target_solved = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, compound_choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["compound"].choices = [("", "Choose a compound …"), *compound_choices]
        self.fields["target_mg"].widget.attrs["aria-describedby"] = f"solve-{self.prefix}"  # where Solve answers

    def clean_overage_percent(self) -> Decimal:
        return self.cleaned_data.get("overage_percent") or Decimal(0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned.pop("target_solved", None)  # the page's note of what it last solved, no value of the line
        error = _amount_error(cleaned)
        if error:
            self.add_error("amount", error)
        return cleaned


# Its decimals are the user's business: the solved mass is rounded as an amount is (services.row_solve).
_SOLVE_TARGET = PointDecimalField(
    required=False, min_value=0, error_messages={"invalid": ERROR_NOT_A_NUMBER, "min_value": ERROR_TARGET_NEGATIVE},
)


def field_problem(field: forms.Field, value: str) -> str | None:
    """Return what a form field says of a typed value it refuses (its first message), or None if it takes it."""
    try:
        field.clean(value)
    except forms.ValidationError as exc:
        return exc.messages[0]
    return None


def solve_target_error(value: str) -> str | None:
    """What is wrong with a line's target as a number, as Solve reads it; None if nothing (or nothing typed)."""
    return field_problem(_SOLVE_TARGET, value)


def _amount_error(cleaned: dict[str, Any]) -> str | None:
    amount, unit = cleaned.get("amount"), cleaned.get("unit")
    if amount is not None and unit:
        try:
            engine.validate_amount(amount, unit)
        except engine.EngineError as exc:
            return str(exc)
    return None


@dataclass(frozen=True)
class CleanedLines:
    """Posted ingredient lines checked as LineFormSet checks them: values, or messages by field name."""

    lines: list[dict[str, Any]]
    errors: dict[str, list[str]]
    non_form_errors: list[str]

    @property
    def valid(self) -> bool:
        return not self.errors and not self.non_form_errors


def lines_clean(rows: Sequence[Mapping[str, str]], compound_slugs: Container[str], prefix: str = "lines") -> CleanedLines:
    """Check posted lines with LineForm's own fields and rules, without building a form per line.

    The workbench runs this on every keystroke: fifty LineForms cost more than the whole calculation.
    tests/test_line_checks.py checks that it decides exactly as LineFormSet does.
    """
    language = translation.get_language()
    checked = [line_clean(row, compound_slugs, language) for row in rows]
    errors, non_form_errors = lines_messages([row_errors for _, row_errors in checked], prefix)
    if not errors and not non_form_errors:
        non_form_errors = serving_messages(values for values, _ in checked)
    # Copies: the memoised values are shared between requests.
    return CleanedLines([dict(values) for values, _ in checked], errors, non_form_errors)


def lines_messages(row_errors: Sequence[Mapping[str, Sequence[str]]],
                   prefix: str = "lines") -> tuple[dict[str, list[str]], list[str]]:
    """The lines' messages as LineFormSet names them (lines-0-amount ...), and its own: no lines at all."""
    errors = {f"{prefix}-{index}-{name}": list(messages)
              for index, by_field in enumerate(row_errors) for name, messages in by_field.items()}
    return errors, [ERROR_TOO_MANY_LINES] if len(row_errors) > services.ROWS_MAX else [] if row_errors else [ERROR_NO_LINES]


ERROR_SERVING_ABSURD = "The lines add up to {amount} a serving, more than 100 g: check the amounts and their units."


def serving_messages(lines: Iterable[Mapping[str, Any]]) -> list[str]:
    """What is wrong with valid lines together, as their formset's own messages: more than 100 g a serving."""
    error = serving_total_error((line["amount"], line["unit"]) for line in lines)
    return [error] if error else []


def serving_total_error(amounts: Iterable[tuple[Decimal, str]]) -> str | None:
    """More than 100 g a serving in several lines, as one line of it is refused (engine.ERROR_AMOUNT_ABSURD); None if not.

    Its total to the step a compound's mass is written to: in grams, 100 g and 0.4 mg read "100 g a serving, more than
    100 g"."""
    total = engine.serving_mg(amounts)
    return ERROR_SERVING_ABSURD.format(amount=labels.compound_mass(total)) if total > engine.MAX_SERVING_MG else None


def line_clean(row: Mapping[str, str], compound_slugs: Container[str],
               language: str | None) -> tuple[dict[str, Any], dict[str, tuple[str, ...]]]:
    """Check one posted line as LineForm does: its values (the compound only if known), and messages by field.

    Both are shared by every row with the same fields: treat them as read-only. The language is Django's active
    one (translation.get_language()), as its own messages are translated when they are formatted.
    """
    compound = row.get("compound", "")
    # The base field has no choices: they are the library's, given per request.
    if compound in LineForm.base_fields["compound"].empty_values:
        compound_errors: dict[str, tuple[str, ...]] = {"compound": (ERROR_CHOOSE_COMPOUND,)}
    elif compound not in compound_slugs:
        compound_errors = {"compound": (ERROR_UNKNOWN_COMPOUND,)}
    else:
        compound_errors = {}
    values, field_errors = _row_fields_clean(tuple([row.get(name, "") for name in _ROW_FIELDS]), language)
    if compound_errors:
        return values, {**compound_errors, **field_errors}
    return {"compound": compound, **values}, field_errors


# The fields a line's checks read: target_solved is the page's note of what it last solved, and needs none.
LINE_CHECKED_FIELDS = tuple(name for name in LineForm.base_fields if name != "target_solved")
_ROW_FIELDS = tuple(name for name in LINE_CHECKED_FIELDS if name != "compound")


@lru_cache(maxsize=4096)
def _row_fields_clean(values: tuple[str, ...], language: str | None) -> tuple[dict[str, Any], dict[str, tuple[str, ...]]]:
    """Clean one row's fields other than the compound: values, and messages by field; memoised by value.

    Typing changes one row at a time, so the other rows' checks come from here. The language is part of the
    key because Django's own messages are translated when they are formatted.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, tuple[str, ...]] = {}
    for name, value in zip(_ROW_FIELDS, values, strict=True):
        valid, result = _field_clean(name, value, language)
        if valid:
            cleaned[name] = result
        else:
            errors[name] = result
    if "overage_percent" in cleaned:
        cleaned["overage_percent"] = cleaned["overage_percent"] or Decimal(0)
    error = _amount_error(cleaned)
    if error:
        errors["amount"] = (*errors.get("amount", ()), error)
        cleaned.pop("amount", None)
    return cleaned, errors


@lru_cache(maxsize=4096)
def _field_clean(name: str, value: str, language: str | None) -> tuple[bool, Any]:
    """Clean one of LineForm's fields: (True, the value) or (False, its messages); memoised by value.

    A keystroke changes one field of one row, so a changed row cleans that field alone again.
    """
    try:
        return True, LineForm.base_fields[name].clean(value)
    except forms.ValidationError as exc:
        return False, tuple(exc.messages)


def formset_errors(formset: forms.BaseFormSet) -> dict[str, list[str]]:
    """A bound formset's field messages by field name (lines-0-amount ...), as lines_clean gives them."""
    return {f"{form.prefix}-{name}": messages for form in formset.forms for name, messages in form.errors.items()}


# What a row is blank without: the fields a user types or picks in. A unit, overage or time of day left as a new row
# has them says nothing yet; nor does a target, which only Solve reads.
LINE_TYPED_FIELDS = ("compound", "amount", "blend")
ITEM_TYPED_FIELDS = ("product", "servings_per_day")


def blank_rows(rows: Sequence[Mapping[str, str]], typed_fields: Sequence[str]) -> frozenset[int]:
    """The rows nothing was typed in: a line just added, before its compound is chosen."""
    return frozenset(i for i, row in enumerate(rows) if not any((row.get(name) or "").strip() for name in typed_fields))


class RowFormSet(forms.BaseFormSet):
    """Every row the editor shows is a row to check: a row left blank is an error, not "no change", when saving.

    held_back: rows left blank that are not checked yet. While the user edits, a line just added has nothing to
    be wrong about: it gets no message and leaves the other lines' figures current. A save checks every row.
    """

    row_name = "Row"
    # The fields whose only label is their column's header, and what the header says.
    columns: dict[str, str] = {}

    def __init__(self, *args: Any, held_back: Container[int] = frozenset(), **kwargs: Any) -> None:
        self.held_back = held_back
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "empty_permitted": index in self.held_back}

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        if i in self.held_back:
            form.has_changed = lambda: False  # type: ignore[method-assign]  # so Django leaves it unchecked
        # A screen reader on a field in a table row hears neither the header nor the row: name both.
        for name, field in form.fields.items():
            if name in self.columns:
                field.widget.attrs["aria-label"] = f"{self.row_name} {i + 1}: {self.columns[name]}"
        return form


class BaseLineFormSet(RowFormSet):
    row_name = "Line"
    columns = {"compound": "compound", "amount": "amount", "unit": "unit", "overage_percent": "overage %",
               "blend": "proprietary blend", "target_mg": "mg of magnesium to solve the amount for"}

    def clean(self) -> None:
        if len(self.forms) > services.ROWS_MAX:
            raise forms.ValidationError(ERROR_TOO_MANY_LINES)
        if not any(self.errors) and not self.forms:
            raise forms.ValidationError(ERROR_NO_LINES)
        if not any(self.errors):
            messages = serving_messages(f.cleaned_data for i, f in enumerate(self.forms)
                                        if i not in self.held_back and f.cleaned_data)
            if messages:
                raise forms.ValidationError(messages)


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=0)


class StackForm(DesignForm):
    class Meta:
        model = Stack
        fields = ["name", "markets", "population", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"notes": VisibleNotesField}
        error_messages = {
            "name": _text_messages(Stack, "name", required=ERROR_STACK_NAME),
            "population": choice_messages(ERROR_CHOOSE_POPULATION, "population", Population.choices),
            "notes": _text_messages(Stack, "notes"),
        }


class ProductChoiceField(forms.ChoiceField):
    """A product by its slug: valid when it is one of `products`, those the user may see that the form was given."""

    products: Container[str] = ()

    def valid_value(self, value: Any) -> bool:
        return value in self.products


class StackItemForm(ErrorDescribedForm, forms.Form):
    product = ProductChoiceField(error_messages={"required": ERROR_CHOOSE_PRODUCT, "invalid_choice": ERROR_UNKNOWN_PRODUCT})
    # Left empty, the editor takes the product's own servings per day (views.stack_edit): only a row without a
    # known product keeps it empty, and that row's message is about its product.
    servings_per_day = PointDecimalField(
        required=False, min_value=Decimal("0.25"), max_value=Decimal(20), max_digits=_SERVINGS.max_digits,
        decimal_places=_SERVINGS.decimal_places,
        widget=forms.TextInput(attrs={**DECIMAL_INPUT.attrs, "placeholder": "as labelled"}),
        error_messages=SERVINGS_MESSAGES,
    )
    # As the servings: left "as labelled", the editor takes the product's own timing (services.item_rows_label_fill).
    timing = forms.ChoiceField(choices=[("", "as labelled"), *Timing.choices], required=False,
                               error_messages=unknown_choice("timing", Timing.choices))

    def __init__(self, *args: Any, products: Container[str] = (),
                 product_menu: Callable[[], Sequence[tuple[str, str]]] = tuple, **kwargs: Any) -> None:
        """Check the product against `products`; list `product_menu()` (slugs and names) only when the menu is shown.

        A team may have hundreds of products: typing checks the few the stack takes and never reads the menu.
        """
        super().__init__(*args, **kwargs)
        self.products = products
        field = self.fields["product"]
        field.products = products  # type: ignore[attr-defined]
        field.choices = lambda: [("", "Choose a product …"), *product_menu()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # As its own editor takes it: a day of a capsule product is whole capsules (Recover at 0.25 a day is half of one).
        product = self.products.get(cleaned.get("product")) if isinstance(self.products, Mapping) else None
        if product is not None:
            error = whole_units_error(product.dosage_form, product.serving_size, cleaned.get("servings_per_day"))
            if error:
                self.add_error("servings_per_day", error)
        return cleaned


class BaseStackItemFormSet(RowFormSet):
    row_name = "Product"
    columns = {"product": "product", "servings_per_day": "servings per day", "timing": "timing"}

    def clean(self) -> None:
        if len(self.forms) > services.ROWS_MAX:
            raise forms.ValidationError(ERROR_TOO_MANY_ITEMS)
        if not any(self.errors) and not self.forms:
            raise forms.ValidationError(ERROR_NO_ITEMS)


StackItemFormSet = forms.formset_factory(StackItemForm, formset=BaseStackItemFormSet, extra=0)

POPULATION_CHOICES = Population.choices
