"""Request and response shapes of the API.

Response numbers are JSON numbers holding the engine's unrounded values; only the `label` block of
a calculation holds rounded text, made by formulator.labels. Choice fields are plain strings checked by
the same rules (and messages) as the web pages; their JSON schema lists the allowed values. A number field
given something that is no number (a word, a list, "1,5") says so with the workbench's message for that field.
What pydantic would say of a wrong JSON shape (an array for the body, a number for a text) is said in the API's
words by the 422 handler (api/urls.py, TYPE_MESSAGES), never naming the classes below.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms as django_forms
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    BaseModel,
    BeforeValidator,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError

from compounds.models import Compound, Market, Nutrient, Population, ReferenceValue
from compounds.numbers import GROUPED_NUMBER, JSON_NUMBER
from evidence.forms import ERROR_YEAR_RANGE, YEAR_MAX, YEAR_MIN, year_field
from evidence.models import Design, Interaction, Outcome
from formulator import engine, middleware
from formulator.forms import (
    ERROR_DECIMAL_COMMA,
    ERROR_NOT_A_NUMBER,
    ERROR_OVERAGE_RANGE,
    ERROR_SERVING_SIZE,
    ERROR_SERVINGS,
    ERROR_SERVINGS_PER_CONTAINER,
    SERVING_SIZE_MAX,
    SERVINGS_PER_CONTAINER_MAX,
    LineForm,
    PointIntegerField,
    ProductForm,
    field_problem,
)
from formulator.models import NOTES_MAX_LENGTH, CapsuleSize, DosageForm, Timing, Unit

ERROR_NUL = middleware.ERROR_NUL  # as the pages' requests are refused
ERROR_ENCODING = "Text must be valid Unicode (no lone surrogate characters)."
# The editors read these, as the pages print them; another system sends a number in JSON's notation.
ERROR_SEPARATORS = "Send the number without thousands separators: {number}."
ERROR_PERCENT_SIGN = "Send the percentage without its sign: {number}."
ERROR_UNKNOWN_MARKET = "Unknown market “{value}”: use one of {choices}."
ERROR_UNKNOWN_POPULATION = "Unknown population “{value}”: use one of {choices}."
ERROR_UNKNOWN_VALUE = "Unknown value “{value}”: use one of {choices}."
MARKET_CHOICES = ", ".join(Market.values)
ERROR_MARKETS = f"Markets is a list of market codes, such as [\"US\", \"EU\"]: any of {MARKET_CHOICES}."
ERROR_VERSION_REQUIRED = "Send the version you edited, from the last GET of the product."
ERROR_VERSION = f"The version is an edit number, a whole number from 1. {ERROR_VERSION_REQUIRED}"
# A version above the product's edit (checked by the endpoint, with the workbench's checks): no such edit ever was.
ERROR_VERSION_AHEAD = "There is no edit {version} of this product: it is at edit {current}. " + ERROR_VERSION_REQUIRED
MAX_VERSION = 2_147_483_647  # the largest the version column holds: no product has reached an edit beyond it
# Said by the 422 handler in place of pydantic's messages for a wrong JSON shape (api/urls.py, TYPE_MESSAGES).
ERROR_BODY_OBJECT = (
    "Send the body as a JSON object, in curly braces, with the fields docs/api.md lists for this endpoint: "
    "not a list, text, a number or null."
)
ERROR_OBJECT = "Give a JSON object here, in curly braces, with the fields docs/api.md lists: not a list, text, a number or null."
ERROR_TEXT = "Give text here, in quotes: not a number, a list, an object, true, false or null."
ERROR_TEXT_TOO_LONG = "Too long: use at most {max_length} characters."
ERROR_LIST = "Give a list here, in square brackets."
ERROR_TOO_MANY = "Too many: give at most {max_length}."
ERROR_UNKNOWN_PARAMETER = ("Unknown query parameter: this endpoint {takes}. Check its spelling: a misspelt filter would "
                           "otherwise be ignored and every item listed.")
ERROR_UNKNOWN_FIELD = ("Unknown field: this endpoint does not take it (docs/api.md lists those it does). Check its "
                       "spelling: a misspelt field would otherwise be ignored and its default used.")


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(ERROR_NUL)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(ERROR_ENCODING) from None
    return value


def text(max_length: int) -> Any:
    """A string that PostgreSQL can store and compare: no NUL, no lone surrogates, bounded length."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_clean_text)]


def _blank_as_empty(value: str) -> str:
    # Spaces alone are nothing chosen, as Django reads a text field: "  " is told to choose, not that it is unknown.
    return value if value.strip() else ""


def choice(values: list[str], max_length: int = 40) -> Any:
    """A string the view checks against `values` (with the web form's message); the schema lists them."""
    return Annotated[
        str,
        Field(max_length=max_length),
        AfterValidator(_clean_text),
        AfterValidator(_blank_as_empty),
        WithJsonSchema({"type": "string", "enum": list(values)}),
    ]


def _unknown(message: str, value: Any, values: Iterable[str]) -> ValueError:
    return ValueError(message.format(value=value, choices=", ".join(values)))


def one_of(values: Sequence[str], message: str = ERROR_UNKNOWN_VALUE) -> Any:
    """A query filter value that must be one of `values`; any other is refused with `message`, which names it
    and the values there are. As with one_of_library, surrounding spaces are dropped and an empty value is no filter."""

    def parse(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
        try:
            return handler(value)
        except PydanticValidationError:
            raise _unknown(message, value, values) from None

    return Annotated[Literal[tuple(values)], WrapValidator(parse)]


def one_of_library(values: Callable[[], Iterable[str]], max_length: int, message: str = ERROR_UNKNOWN_VALUE) -> Any:
    """A query filter value that must be one of the library's slugs, as `values()` reads them for the request,
    refused as `one_of` refuses: an unknown slug would otherwise filter everything out and answer an empty page
    that looks like a real answer. Surrounding spaces are dropped, and an empty value is no filter."""

    def parse(value: str) -> str:
        value = value.strip()
        if value:
            known = list(values())
            if value not in known:
                raise _unknown(message, value, known)
        return value

    # The slugs change with the library, so the schema cannot list them as an enum.
    return Annotated[text(max_length), AfterValidator(parse)]


_YEAR_FIELD = year_field("Year")


def _year(value: Any) -> Any:
    """Read a year with the evidence page's own field, so both accept the same text and say the same."""
    try:
        return _YEAR_FIELD.clean(value)
    except DjangoValidationError as error:
        raise ValueError(error.messages[0]) from None


Year = Annotated[Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)] | None, BeforeValidator(_year)]


def _refusal(value: Any, message: str, field: django_forms.Field | None, percent: bool = False) -> str:
    """Why a value is no number the API takes: what the editors read besides JSON's notation is named, as another
    system sends it on purpose ("1,418.9", "5%"), where the workbench's `field` takes the number meant (else the
    field's own message says its range); a comma that may be a decimal has the field's own message."""
    if isinstance(value, str):
        text = value.strip()
        if GROUPED_NUMBER.fullmatch(text):
            digits = text.replace(",", "")
            # "1,000.5" servings a day was told to send 1000.5, which is out of the range as well.
            return (field_problem(field, digits) if field is not None else None) or ERROR_SEPARATORS.format(number=digits)
        if "," in text:  # "1,5" and "1,500" are never guessed at
            return field.error_messages["comma"] if field is not None else ERROR_DECIMAL_COMMA
        if percent and text.endswith("%") and JSON_NUMBER.fullmatch(text[:-1].strip()):
            return ERROR_PERCENT_SIGN.format(number=text[:-1].strip())
    return message


def _refused_with(message: str, field: django_forms.Field | None, percent: bool = False) -> WrapValidator:
    """Parse as pydantic does; refuse what it cannot read with the workbench's message for the field."""

    def parse(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, bool):  # pydantic reads true as 1; JSON's true is no number
            raise ValueError(message)
        if isinstance(value, str) and value.strip() and not JSON_NUMBER.fullmatch(value.strip()):
            # "2_000", "٢٠٠٠": Python would read them, and the workbench refuses them
            raise ValueError(_refusal(value, message, field, percent))
        try:
            return handler(value)
        except PydanticValidationError:
            raise ValueError(_refusal(value, message, field, percent)) from None

    return WrapValidator(parse)


# A decimal sent as text keeps digits a JSON number's reader may not ("0.1" exactly); the schema says it is taken. Its
# pattern has [0-9] for \d, which some regular expression engines (Python's among them) read as any script's digits.
_NUMBER_TEXT = JSON_NUMBER.pattern.replace("\\d", "[0-9]")
NUMBER_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": rf"^\s*{_NUMBER_TEXT}\s*$"}]}


def number(message: str, field: django_forms.Field | None = None, percent: bool = False) -> Any:
    """A decimal number (JSON number or numeric string); anything else is refused with `message`, a comma with the
    workbench's `field`'s message, and a percentage field's number sent with its sign ("5%") says to send it without."""
    return Annotated[Decimal, _refused_with(message, field, percent), WithJsonSchema(NUMBER_SCHEMA)]


def whole_number(message: str, ge: int | None = None, le: int | None = None, field: django_forms.Field | None = None) -> Any:
    """An integer (from ge to le, when given); anything else (a word, a fraction, a list, true, a number out of
    that range) is refused with `message`, a comma with the workbench's `field`'s message (by default, a whole-number
    field's of that range)."""
    if field is None:
        field = PointIntegerField(min_value=ge, max_value=le, error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), message))
    return Annotated[Annotated[int, Field(ge=ge, le=le)], _refused_with(message, field)]


def _said_as(message: str, *kinds: str) -> WrapValidator:
    """Parse as pydantic does; an error of one of these kinds on the value itself (not on an item of a list, which
    keeps its own place and message) is said with `message`."""

    def parse(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except PydanticValidationError as error:
            if any(not e["loc"] and e["type"] in kinds for e in error.errors(include_url=False)):
                raise ValueError(message) from None
            raise

    return WrapValidator(parse)


# Stripped as a formula is, and as the workbench's fields are: " glycine " was an unknown compound, "  MgO  " a formula.
Slug = Annotated[text(150), AfterValidator(str.strip)]
# Checked against the markets by the endpoint, which reports every unknown one at its place; what is no market code
# at all (a number, null, a list) says what markets is.
MarketCode = Annotated[choice(Market.values), _said_as(ERROR_MARKETS, "string_type", "string_too_long")]


def unknown_markets(codes: Sequence[str]) -> list[tuple[int, str]]:
    """Each code that is no market, by its place in the list sent, with what to say of it (the endpoints check)."""
    return [(index, ERROR_UNKNOWN_MARKET.format(value=code, choices=MARKET_CHOICES))
            for index, code in enumerate(codes) if code not in Market.values]


def _distinct_markets(codes: list[str]) -> list[str]:
    """Each market once: ["US", "US", "EU"] means ["US", "EU"] (markets_in_force then puts them in the one order they
    are saved and answered in). While any code is unknown the list stays as sent, for the endpoint names each unknown one at its place in the
    JSON sent (a dropped repeat would move the codes after it) and refuses the body."""
    if unknown_markets(codes):
        return codes
    return list(dict.fromkeys(codes))


Markets = Annotated[
    list[MarketCode],
    Field(max_length=10, description="Market codes, a set: a code sent more than once counts once, and they are saved "
                                     "and answered in the order US, EU, CA, AU-NZ, DE."),
    _said_as(ERROR_MARKETS, "list_type"),
    AfterValidator(_distinct_markets),
]
PopulationCode = choice(Population.values)
# As long as any choice: held to a size's 3 characters, "Infinity" was told it was too long, not that it is no size.
CapsuleSizeCode = choice(["", *CapsuleSize.values])
UnitCode = choice(Unit.values)
# The workbench's fields, whose comma messages and ranges the API's numbers say (CommaRefused).
_AMOUNT, _OVERAGE = LineForm.base_fields["amount"], LineForm.base_fields["overage_percent"]
_SERVINGS, _SERVING_SIZE, _SERVINGS_PER_CONTAINER = (
    ProductForm.base_fields[name] for name in ("servings_per_day", "serving_size", "servings_per_container"))
Number = number(ERROR_NOT_A_NUMBER, _AMOUNT)
Overage = number(ERROR_OVERAGE_RANGE, _OVERAGE, percent=True)
Servings = number(ERROR_SERVINGS, _SERVINGS)


class Out(BaseModel):
    """A response shape. Plain pydantic: the views hand over dictionaries, so ninja's attribute lookup (which
    Schema runs on every nested object) would only cost time."""


# Errors -----------------------------------------------------------------------------------------


class ErrorOut(Out):
    detail: str


class FieldErrorOut(Out):
    loc: list[str | int] = Field(description='Where the error is, e.g. ["body", "lines", 1, "formula"].')
    msg: str
    type: str


class ValidationErrorOut(Out):
    detail: list[FieldErrorOut]


class ConflictOut(Out):
    detail: str
    current_version: int
    changes: list[str] = Field(description="How the saved product differs from what you sent: “field: saved …, yours …”.")


# The library ------------------------------------------------------------------------------------


class FractionOut(Out):
    nutrient: str
    nutrient_name: str
    fraction: float = Field(description="The mass fraction calculations use (specified if given, else theoretical).")
    basis: str = Field(json_schema_extra={"enum": [b.value for b in engine.Basis]})
    theoretical: float | None = Field(description="From the molecular formula; null without formulas.")
    specified: float | None = Field(description="From the supplier specification or certificate of analysis.")
    specified_source: str
    specified_url: str


class CompoundOut(Out):
    slug: str
    name: str
    synonyms: list[str]
    formula: str
    normalised_formula: str
    molecular_weight: float | None = Field(description="g/mol, computed from the formula; null without one.")
    form_class: str
    label_source_name: str
    grade: str
    supplier: str
    bulk_density_g_per_ml: float | None
    cost_per_kg: float | None
    fractions: list[FractionOut]
    formula_checks: list[str] = Field(
        description="Where the formula, saved before, is refused by the library now (no molecular weight or fraction is "
                    "worked out from it) or read otherwise than its saved figures were checked against, in the compound "
                    "page's words; empty where it needs no check.")


class NutrientOut(Out):
    slug: str
    name: str
    formula: str
    is_element: bool
    label_order: int


class ReferenceValueOut(Out):
    nutrient: str
    nutrient_name: str
    kind: str
    market: str
    population: str
    sex: str
    qualifier: str
    amount_mg: float | None = Field(description="Null where the authority sets no value.")
    food_only: bool = Field(description="True for a limit with no amount because intake should come from food and formula "
                            "alone (the IOM's for infants): any supplemental amount is over it.")
    per: str
    covers: str
    source_citation: str
    source_url: str
    effective_date: date | None
    notes: str


def _nutrient_slugs() -> Iterable[str]:
    return Nutrient.objects.values_list("slug", flat=True)  # in /nutrients' order


def _compound_slugs() -> Iterable[str]:
    return Compound.objects.values_list("slug", flat=True)  # in /compounds' order


NutrientSlug = one_of_library(_nutrient_slugs, max_length=50)


class CompoundFilters(Schema):
    q: text(100) = Field("", description="Name, synonym, formula or grade contains this.")
    nutrient: NutrientSlug = Field("", description="Only compounds delivering this nutrient (slug).")


class ReferenceFilters(Schema):
    market: one_of(Market.values, ERROR_UNKNOWN_MARKET) | None = None
    kind: one_of(ReferenceValue.Kind.values) | None = None
    population: one_of(Population.values, ERROR_UNKNOWN_POPULATION) | None = None
    nutrient: NutrientSlug | None = Field(None, description="Nutrient slug.")


class StudyFilters(Schema):
    q: text(200) = Field("", description="Free text (full-text search on PostgreSQL).")
    compound: one_of_library(_compound_slugs, max_length=150) = Field("", description="Compound slug.")
    outcome: one_of(Outcome.values) | None = None
    design: one_of(Design.values) | None = None
    year_from: Year = None
    year_to: Year = None

    @field_validator("year_to")
    @classmethod
    def _year_to_not_before_year_from(cls, value: int | None, info: ValidationInfo) -> int | None:
        # Reported on year_to, as the evidence page does: a reversed range would silently find nothing.
        first = info.data.get("year_from")
        if value is not None and first is not None and first > value:
            raise ValueError(ERROR_YEAR_RANGE)
        return value


class StudyOutcomeOut(Out):
    outcome: str
    direction: str
    effect: str


class StudyOut(Out):
    key: str
    citation: str
    authors: str
    year: int | None
    title: str
    journal: str
    doi: str
    pmid: str
    design: str
    population: str
    n: int | None
    compounds: list[str]
    form_studied: str
    dose_compound_mg_min: float | None
    dose_compound_mg_max: float | None
    dose_elemental_mg_min: float | None
    dose_elemental_mg_max: float | None
    duration: str
    funding: str
    verification: str = Field(description="What the entry rests on: as-cited (a seed cites it; details found by search "
                                          "say so in curator_notes), checked (against the paper), or disputed (the "
                                          "entry does not hold; left out of grades and studied doses).")
    seed_misquotes: bool = Field(description="The seed's account (seed_claim) contradicts the work as recorded here; "
                                             "the entry still counts, as it records the work's own findings.")
    seed_file: str
    seed_claim: str = Field(description="What the seed document says of the work.")
    curator_notes: str
    outcomes: list[StudyOutcomeOut]


# Calculated figures shared by products, stacks and the calculator --------------------------------


class MarketWithoutLimitsOut(Out):
    market: str
    population: str
    population_name: str
    nutrients: list[str] = Field(description="The nutrients of the design the library records no upper limit for there.")
    reason: str = Field(description="What the pages say of it: checked, and no limit recorded.")


class NoLimitAnywhereOut(Out):
    nutrients: list[str] = Field(description="The design's nutrients that no market in the library limits, for any population.")
    reason: str = Field(description="What the pages say of them, once for every market.")


MARKETS_WITHOUT_LIMITS = ("Each chosen market checked and found without an upper limit for some of the design's nutrients "
                          "that some market limits, for its population: with no safety row, it would read as not checked.")
NUTRIENTS_WITHOUT_LIMITS = ("The design's nutrients that no market in the library limits (L-theanine, glycine), said once "
                            "rather than in every market's row; null where it has none.")
FORMULAS_REFUSED = ("For each compound of the design whose formula, saved before, the library refuses now, what the "
                    "figures leave out of it or count at a supplier's specified fraction alone, in the design's page's "
                    "words (a stack's after the names of its products with it); empty where there is none.")


class SafetyOut(Out):
    market: str
    population: str
    nutrient: str
    kind: str = Field(json_schema_extra={"enum": [k.value for k in engine.Kind]})
    limit_mg: float | None = Field(description="The reference value; null when the authority sets none.")
    food_only: bool = Field(description="True when the limit is null because intake should come from food and formula "
                            "alone: any supplemental amount is over it (status over), unlike a limit that sets no number.")
    per: str
    covers: str
    sex: str = Field(json_schema_extra={"enum": ["any", "male", "female"]},
                     description="Whom the reference value is for within the population; the qualifier says it in words.")
    qualifier: str
    amount_mg: float = Field(description="Per day (or the largest dose for a per-dose rule); limits use the formula amount.")
    percent: float | None
    margin_mg: float | None = Field(description="Limit minus amount, limits only; negative when over.")
    status: str = Field(json_schema_extra={"enum": [s.value for s in engine.Status]})
    reason: str
    governs: bool = Field(description="Whether this limit decides limit_status: false for an intake reference, and for an "
                          "upper limit that the market's own maximum for products supersedes (Canada's 500 mg for adults "
                          "above the IOM UL of 350 mg), whose reason then names that maximum.")
    source: str
    source_url: str = Field(description="The source's address; empty where the library has none.")
    by_formula_amount_mg: float | None = Field(
        description="For a limit judged at a supplier's specified fraction (magnesium L-threonate's 7.2%): the amount at "
                    "the fraction by formula (8.25%) where that gives a worse status; null otherwise. The reason says it too.")
    by_formula_status: str | None = Field(
        json_schema_extra={"enum": [engine.Status.NEAR.value, engine.Status.OVER.value, None]},
        description="The status at by_formula_amount_mg; null with it.")


class TotalOut(Out):
    nutrient: str
    nutrient_name: str
    per_serving_mg: float
    per_day_mg: float
    per_day_formula_mg: float


class LineNutrientOut(Out):
    nutrient: str
    fraction: float
    basis: str
    theoretical: float | None
    label_mg: float
    formula_mg: float


class InteractionOut(Out):
    """As the spec sheet JSON's `interactions[]` (docs/spec-json.md), made by the same code."""

    kind: str = Field(json_schema_extra={"enum": list(Interaction.Kind.values)})
    agent: str = Field(description="The drug, condition or population.")
    compound_name: str | None = Field(
        description="The ingredient it is recorded for; null when it comes with the nutrient, whatever the form.")
    effect: str
    severity: str = Field(json_schema_extra={"enum": list(Interaction.Severity.values)})
    management: str
    source: str
    populations: list[str] = Field(description="The population codes it applies to; empty: whoever takes it.")
    applies_to_population: bool = Field(description="It names the design's population; those come first.")
    excluded_in: list[str] = Field(
        description="The market codes whose law excludes the ingredient for those populations; approval is refused there.")


# Products and stacks ----------------------------------------------------------------------------


class ProductLineOut(Out):
    compound: str
    compound_name: str
    amount: float
    unit: str
    overage_percent: float
    blend: str = Field("", description="The proprietary blend the line belongs to, or empty.")
    label_mg: float = Field(description="Compound per serving as claimed.")
    formula_mg: float = Field(description="Compound per serving with the overage.")
    nutrients: list[LineNutrientOut]


class ProductOut(Out):
    slug: str
    name: str
    brand: str
    team: str | None = Field(description="Slug of the team that owns the product.")
    status: str = Field(json_schema_extra={"enum": ["draft", "in-review", "approved"]})
    revision: int
    version: int = Field(description="Send it back with PUT; it goes up by one with every save.")
    updated_at: datetime
    variant_of: str | None
    dosage_form: str
    capsule_size: str
    serving_size: int
    servings_per_day: float
    servings_per_container: int
    timing: str
    markets: list[str]
    population: str
    claims: str
    other_ingredients: str
    notes: str
    lines: list[ProductLineOut]
    totals: list[TotalOut]
    formulas_refused: list[str] = Field(description=FORMULAS_REFUSED)
    safety: list[SafetyOut]
    markets_without_limits: list[MarketWithoutLimitsOut] = Field(description=MARKETS_WITHOUT_LIMITS)
    nutrients_without_limits: NoLimitAnywhereOut | None = Field(default=None, description=NUTRIENTS_WITHOUT_LIMITS)
    limit_status: str = Field(description="The worst limit status: over, near, ok, or “no limit”.")
    interactions: list[InteractionOut]


# Request bodies are plain pydantic models, not ninja's Schema: its root validator, made to read model instances,
# would run once for every line of a body.
class In(BaseModel):
    """A request body, which refuses a field it does not take: "overage_pecent": 20 ignored would leave the overage
    out of the limits, and "populaton": "pregnancy" would be worked out for adults."""

    model_config = ConfigDict(extra="forbid")


# What the endpoints check beyond the types, said in the schema too (json_schema_extra: the checks, with the web
# forms' messages, stay the endpoints'), so that a client generated from it knows an empty name or no lines is refused.
POSITIVE = {"exclusiveMinimum": 0}
AT_LEAST_ONE = {"minItems": 1}


class LineIn(In):
    compound: Slug = Field(description="Compound slug.")
    amount: Number = Field(description="Label claim of the compound per serving: more than 0, at most 100 g.",
                           json_schema_extra=POSITIVE)
    unit: UnitCode = "mg"
    overage_percent: Overage = Field(Decimal(0), description="0 to 100.", json_schema_extra={"default": 0})
    blend: text(100) = Field("", description="A proprietary blend's name; lines sharing it are declared together.")


class ProductIn(In):
    name: text(150) = Field(json_schema_extra={"minLength": 1}, description="Unique in the team, in any case and spacing.")
    brand: text(100) = ""
    dosage_form: choice(DosageForm.values) = "capsule"
    capsule_size: CapsuleSizeCode = Field(
        "", description="Required for a capsule. For another dosage form a size (one of these) is not refused but cleared, "
                        "saved and answered as \"\", as the workbench clears the size it hides for it.")
    # Bounded here too: an integer of 5,000 digits was let through to the form's checks, which could not write it (500).
    serving_size: whole_number(ERROR_SERVING_SIZE, ge=1, le=SERVING_SIZE_MAX, field=_SERVING_SIZE) = Field(1, description="Units per serving, 1 to 50.")
    servings_per_day: Servings = Field(Decimal(1), description="0.25 to 20.", json_schema_extra={"default": 1})
    servings_per_container: whole_number(ERROR_SERVINGS_PER_CONTAINER, ge=1, le=SERVINGS_PER_CONTAINER_MAX,
                                          field=_SERVINGS_PER_CONTAINER) = 30
    timing: choice(Timing.values) = "morning"
    markets: Markets = Field(default_factory=lambda: ["US", "EU"], json_schema_extra=AT_LEAST_ONE)
    population: PopulationCode = "adult"
    claims: text(300) = ""
    other_ingredients: text(500) = ""
    notes: text(NOTES_MAX_LENGTH) = ""
    lines: list[LineIn] = Field(max_length=200, json_schema_extra=AT_LEAST_ONE)


class ProductUpdateIn(ProductIn):
    version: whole_number(ERROR_VERSION, ge=1, le=MAX_VERSION) = Field(
        description="The version you edited; a stale one answers 409, one above the product's edit 422.")


class StackItemOut(Out):
    product: str
    product_name: str
    seen_note: str = Field("", description="Where the product's team has taken it back to draft: the stack takes it as it "
                                           "was last shown, and this says which revision. Empty otherwise.")
    product_status: str = Field(json_schema_extra={"enum": ["draft", "in-review", "approved"]},
                                description="The product's status now (another team's taken back to draft: draft).")
    note: str = Field(description="What the stack's pages say beside the product's name: seen_note, or that the revision "
                                  "it takes is in draft or in review, not approved. Empty for an approved product.")
    servings_per_day: float
    timing: str
    per_day_mg: dict[str, float]


class ShareOut(Out):
    product: str
    name: str = Field(description="The product as the stack takes it: \"Recover (morning)\" when it is taken at two times.")
    amount_mg: float
    fraction: float | None


class StackTotalOut(Out):
    nutrient: str
    nutrient_name: str
    per_day_mg: float
    per_day_formula_mg: float
    shares: list[ShareOut]


class LargestDoseOut(Out):
    """As the stack sheet JSON's `largest_doses[]` (docs/spec-json.md), made by the same code."""

    nutrient: str
    amount_mg: float = Field(description="The largest single dose, with overage: a serving of each product taken at its "
                                         "time (the part of one taken at less than a serving a day).")
    timing: str = Field(description="When it is taken; empty for a product taken at no set time, a dose of its own.")
    products: list[str] = Field(description="The names of the products taken in that dose, as the stack takes them.")


class StackOut(Out):
    slug: str
    name: str
    team: str | None
    version: int
    updated_at: datetime
    markets: list[str]
    population: str
    notes: str
    items: list[StackItemOut]
    totals: list[StackTotalOut]
    formulas_refused: list[str] = Field(description=FORMULAS_REFUSED)
    safety: list[SafetyOut]
    largest_doses: list[LargestDoseOut] = Field(
        description="Where a market's rule limits a single dose (Germany's), each such nutrient's largest single dose; "
                    "empty where no market's does.")
    markets_without_limits: list[MarketWithoutLimitsOut] = Field(description=MARKETS_WITHOUT_LIMITS)
    nutrients_without_limits: NoLimitAnywhereOut | None = Field(default=None, description=NUTRIENTS_WITHOUT_LIMITS)
    limit_status: str = Field(description="The worst limit status: over, near, ok, or “no limit”.")
    interactions: list[InteractionOut]


# The calculator ---------------------------------------------------------------------------------


class CalculateLineIn(In):
    compound: Slug | None = Field(None, description="A library compound's slug; or give `formula`.")
    formula: text(100) | None = Field(None, description="A molecular formula, hydrates in any spelling (MgCl2·6H2O).")
    amount: Number = Field(description="Label claim of the compound per serving: more than 0, at most 100 g.",
                           json_schema_extra=POSITIVE)
    unit: UnitCode = "mg"
    overage_percent: Overage = Field(Decimal(0), description="0 to 100; raises the formula amount.",
                                                         json_schema_extra={"default": 0})


class CalculateIn(In):
    lines: list[CalculateLineIn] = Field(max_length=200, json_schema_extra=AT_LEAST_ONE)
    # The product form's range and message: the calculator takes the servings a product may have (api/calculation.py).
    servings_per_day: Servings = Field(Decimal(1), description="0.25 to 20, as a product's.",
                                                     json_schema_extra={"default": 1})
    markets: Markets = Field(default_factory=lambda: ["US", "EU"], json_schema_extra=AT_LEAST_ONE)
    population: PopulationCode = "adult"


class CalculateLineOut(Out):
    compound: str | None
    formula: str | None
    name: str
    molecular_weight: float | None = Field(description="g/mol; null for ingredients without a formula.")
    amount_mg: float = Field(description="Compound per serving as claimed.")
    amount_with_overage_mg: float = Field(description="Compound per serving with the overage.")
    overage_percent: float
    fractions: dict[str, float]
    fraction_basis: str = Field(description="specified, theoretical or declared; “mixed” when nutrients differ.")
    label_mg: dict[str, float] = Field(description="Each nutrient per serving from the label claim.")
    formula_mg: dict[str, float] = Field(description="Each nutrient per serving with the overage.")
    nutrients: list[LineNutrientOut]


class CalculateTotalsOut(Out):
    per_serving_mg: dict[str, float]
    per_serving_formula_mg: dict[str, float]
    per_day_mg: dict[str, float]
    per_day_formula_mg: dict[str, float]


class UsLabelRowOut(Out):
    nutrient: str | None = Field(description="A nutrient's row: its slug; null for an ingredient's (`compound`).")
    compound: str | None = Field(description="An ingredient's row, a line that gives no nutrient with a Daily Value: "
                                             "its compound's slug (null for a formula line, and for a nutrient's row).")
    name: str
    amount: str
    percent_dv: str = Field(description="“†” when no Daily Value is established.")
    amount_per_day: str
    percent_dv_per_day: str


class EuLabelRowOut(Out):
    nutrient: str | None = Field(description="A nutrient's row: its slug; null for an ingredient's (`compound`).")
    compound: str | None = Field(description="An ingredient's row, a line that gives no nutrient with an NRV: its "
                                             "compound's slug (null for a formula line, and for a nutrient's row).")
    name: str
    amount: str = Field(description="Per recommended daily portion.")
    percent_nrv: str


class LabelsOut(Out):
    US: list[UsLabelRowOut] | None = Field(None, description="Supplement Facts rows; null unless US is asked for.")
    EU: list[EuLabelRowOut] | None = Field(None, description="Food supplement table rows; null unless EU is asked for.")
    not_declared: list[str] = Field(
        default_factory=list, description="Nutrients under 2% of their US Daily Value, which the US panel leaves out."
    )
    warnings: dict[str, str] = Field(
        default_factory=dict,
        description="By label asked for (US, EU): what must stand beside it, as the spec sheets print it: over a limit "
                    "of a market it is sold in (its rounding may hide the excess), or an ingredient that market's law "
                    "excludes for the population; \"\" if nothing.")


class WarningOut(Out):
    loc: list[str | int] = Field(description='What it is said of, as an error\'s loc: ["body", "lines", 1, "formula"].')
    msg: str


class CalculateOut(Out):
    lines: list[CalculateLineOut]
    totals: CalculateTotalsOut
    safety: list[SafetyOut]
    markets_without_limits: list[MarketWithoutLimitsOut] = Field(description=MARKETS_WITHOUT_LIMITS)
    nutrients_without_limits: NoLimitAnywhereOut | None = Field(default=None, description=NUTRIENTS_WITHOUT_LIMITS)
    limit_status: str = Field(description="The worst limit status: over, near, ok, or “no limit”.")
    interactions: list[InteractionOut]
    label: LabelsOut
    warnings: list[WarningOut] = Field(
        description="What is doubtful in what was sent, calculated as sent: a formula line's formula that looks mistyped "
                    "(a 0 typed for the letter O inside a count, “CI” or “C12” for chlorine), in the words the library "
                    "says of a compound's formula. Empty if nothing.")
