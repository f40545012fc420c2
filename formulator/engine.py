"""The calculation engine: every number the product shows comes from here.

Plain, typed Python with no Django imports, so views, exports and the API share one truth.
Amounts are Decimal milligrams and are never rounded here; rounding for people happens in
``formulator.labels`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal, localcontext
from functools import cached_property
from enum import StrEnum

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
NEAR_FRACTION = Decimal("0.80")  # at 80% of a limit or more, a design is "near" it

MG_PER_UNIT: Mapping[str, Decimal] = {
    "mg": Decimal(1),
    "g": Decimal(1000),
    "mcg": Decimal("0.001"),
}

ERROR_UNKNOWN_UNIT = "Unknown unit “{unit}”: use mg, g or mcg."
ERROR_NEGATIVE_AMOUNT = "An amount cannot be negative."
ERROR_NEGATIVE_OVERAGE = "An overage cannot be negative."
ERROR_SERVINGS = "Servings per day must be more than zero."
ERROR_ZERO_FRACTION = "This ingredient delivers no {nutrient}, so no amount of it reaches the target."
ERROR_NEGATIVE_TARGET = "A target amount cannot be negative."
ERROR_AMOUNT_NOT_POSITIVE = "Enter an amount greater than zero."
ERROR_AMOUNT_ABSURD = "{amount} {unit} is more than 100 g a serving: check the amount and the unit."

MAX_LINE_MG = Decimal(100_000)  # 100 g of one ingredient a serving is a typo, not a supplement
MAX_SERVING_MG = MAX_LINE_MG  # nor is 100 g of several: two lines of 60 g passed where one of 120 g did not


class EngineError(ValueError):
    """Input the engine cannot calculate with; the message is meant for people."""


class Basis(StrEnum):
    """Where a nutrient fraction comes from."""

    SPECIFIED = "specified"  # supplier specification or certificate of analysis
    THEORETICAL = "theoretical"  # stoichiometry of the molecular formula
    DECLARED = "declared"  # ingredients without a formula (botanical extracts)


class Kind(StrEnum):
    """What a reference value is."""

    DV = "DV"
    NRV = "NRV"
    RDA = "RDA"
    AI = "AI"
    UL = "UL"
    MAX = "MAX"  # a national maximum for supplements, such as Germany's BfR figure


LIMIT_KINDS = frozenset({Kind.UL, Kind.MAX})


class Per(StrEnum):
    DAY = "day"
    DOSE = "dose"


class Status(StrEnum):
    OK = "ok"
    NEAR = "near"
    OVER = "over"
    NO_LIMIT = "no limit"  # a reference exists but sets no number (EU UL for children 1-3)
    INFO = "info"  # an intake reference (DV, RDA ...), not a limit


@dataclass(frozen=True)
class Contribution:
    """The mass fraction of one nutrient in one ingredient, and where it comes from."""

    nutrient: str
    fraction: Decimal
    basis: Basis
    theoretical: Decimal | None = None  # shown beside a specified fraction


@dataclass(frozen=True)
class LineInput:
    """One ingredient line per serving: the label claim of the compound and its overage."""

    key: str
    name: str
    amount: Decimal
    unit: str
    contributions: tuple[Contribution, ...]
    overage_percent: Decimal = ZERO


@dataclass(frozen=True)
class Reference:
    """A reference value (DV, NRV, RDA, UL ...) for one nutrient, market and population."""

    nutrient: str
    kind: Kind
    market: str
    population: str
    amount_mg: Decimal | None
    per: Per = Per.DAY
    covers: str = "supplemental"
    source: str = ""
    qualifier: str = ""  # "male, 31 years and older"
    url: str = ""
    # No amount because the intake should come from food and formula alone (IOM: infants' magnesium): a limit
    # that any supplemental amount is over.
    food_only: bool = False
    # "any", "male" or "female": two references for one population may differ by sex alone (the EU's adult AIs).
    sex: str = "any"
    # The step label amounts round to, as the regulation writes the value (0.1 for the CFR's 2.0 mg); None: the
    # step of amount_mg itself.
    significance: Decimal | None = None
    # The unit labels declare the nutrient in, "mg" or "mcg" (vitamin D): a label amount and the reference's own
    # amount are written in it.
    unit: str = "mg"
    # The finest step the nutrient's amounts are written to, in that unit (labels.nutrient_step): 0.1 for vitamin B6.
    amount_step: Decimal = Decimal(1)


@dataclass(frozen=True)
class NutrientAmount:
    nutrient: str
    fraction: Decimal
    basis: Basis
    label_mg: Decimal  # from the label claim
    formula_mg: Decimal  # from the amount really put in, overage included
    theoretical: Decimal | None = None
    # formula_mg at the formula's fraction where a lower specified one is used: the limits are judged on the specified
    # fraction (the label's), and this says what the formula's would mean for them. Equal to formula_mg otherwise.
    formula_by_theory_mg: Decimal | None = None


@dataclass(frozen=True)
class LineResult:
    key: str
    name: str
    label_mg: Decimal  # compound per serving as claimed
    formula_mg: Decimal  # compound per serving with overage
    overage_percent: Decimal
    nutrients: dict[str, NutrientAmount]


@dataclass(frozen=True)
class Assessment:
    """A design's amount of one nutrient against one reference value."""

    reference: Reference
    amount_mg: Decimal  # per day, or the largest single dose for a per-dose rule
    percent: Decimal | None
    margin_mg: Decimal | None  # limit minus amount; negative when over
    status: Status
    per_serving_percent: Decimal | None = None  # for %DV/%NRV on a label
    # The market's own maximum for products, where it is set at or above this upper limit (Health Canada's 500 mg for
    # adults, above the IOM UL of 350 mg): that is the limit a product must meet there. This one is still shown, but
    # does not decide the design's status.
    superseded_by: Reference | None = None
    # For a limit: the amount at the formulas' fractions where specified ones are lower, and its status, when that
    # status is worse than this one (the specified 7.2% of a threonate reads near the EU limit, its formula's 8.25%
    # over it); None otherwise.
    by_theory_mg: Decimal | None = None
    by_theory_status: Status | None = None

    @property
    def is_limit(self) -> bool:
        return self.reference.kind in LIMIT_KINDS

    @property
    def governs(self) -> bool:
        """Whether this is a limit that decides the design's status: a limit not superseded by a maximum."""
        return self.is_limit and self.superseded_by is None


@dataclass(frozen=True)
class ProductResult:
    key: str
    name: str
    servings_per_day: Decimal
    lines: tuple[LineResult, ...]
    per_serving_label_mg: dict[str, Decimal]
    per_serving_formula_mg: dict[str, Decimal]
    per_day_label_mg: dict[str, Decimal]
    per_day_formula_mg: dict[str, Decimal]
    assessments: tuple[Assessment, ...]
    per_serving_by_theory_mg: dict[str, Decimal] = field(default_factory=dict)  # NutrientAmount.formula_by_theory_mg

    def nutrients(self) -> list[str]:
        return list(self.per_day_label_mg)


@dataclass(frozen=True)
class StackItemInput:
    key: str
    name: str
    lines: tuple[LineInput, ...]
    servings_per_day: Decimal
    timing: str = ""


@dataclass(frozen=True)
class Share:
    product_key: str
    product_name: str
    amount_mg: Decimal
    fraction: Decimal | None  # of the stack's daily total; None when the total is zero


@dataclass(frozen=True)
class StackResult:
    products: tuple[ProductResult, ...]
    per_day_label_mg: dict[str, Decimal]
    per_day_formula_mg: dict[str, Decimal]
    shares: dict[str, tuple[Share, ...]]
    assessments: tuple[Assessment, ...]
    timings: dict[str, str] = field(default_factory=dict)
    largest_doses: dict[str, LargestDose] = field(default_factory=dict)  # by nutrient: the dose a per-dose rule judges


@dataclass(frozen=True)
class LargestDose:
    """A stack's largest single dose of a nutrient (with overage): when it is taken, and the products taken then."""

    amount_mg: Decimal
    timing: str  # "" for a product taken at no set time, a dose of its own
    product_names: tuple[str, ...]


def to_mg(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount in mg, g or mcg to milligrams."""
    try:
        factor = MG_PER_UNIT[unit]
    except KeyError:
        raise EngineError(ERROR_UNKNOWN_UNIT.format(unit=unit)) from None
    return amount * factor


def validate_amount(amount: Decimal, unit: str) -> Decimal:
    """Check a line's amount as a person typed it; return it in mg or raise EngineError."""
    mg = to_mg(amount, unit)
    if amount <= 0:
        raise EngineError(ERROR_AMOUNT_NOT_POSITIVE)
    if mg > MAX_LINE_MG:
        raise EngineError(ERROR_AMOUNT_ABSURD.format(amount=f"{amount.normalize():f}", unit=unit))
    return mg


def serving_mg(amounts: Iterable[tuple[Decimal, str]]) -> Decimal:
    """A serving's lines together in mg (amounts and units each valid), to hold against MAX_SERVING_MG."""
    return sum((to_mg(amount, unit) for amount, unit in amounts), Decimal(0))


def calculate_line(line: LineInput) -> LineResult:
    """Return the nutrients one ingredient line delivers per serving."""
    if line.amount < 0:
        raise EngineError(ERROR_NEGATIVE_AMOUNT)
    if line.overage_percent < 0:
        raise EngineError(ERROR_NEGATIVE_OVERAGE)
    label_mg = to_mg(line.amount, line.unit)
    formula_mg = label_mg * (1 + line.overage_percent / HUNDRED)
    nutrients: dict[str, NutrientAmount] = {}
    for contribution in line.contributions:
        previous = nutrients.get(contribution.nutrient)
        label = label_mg * contribution.fraction + (previous.label_mg if previous else ZERO)
        formula = formula_mg * contribution.fraction + (previous.formula_mg if previous else ZERO)
        previous_by_theory = previous.formula_by_theory_mg if previous else None
        by_theory = formula_mg * _theory_fraction(contribution) + (previous_by_theory or ZERO)
        nutrients[contribution.nutrient] = NutrientAmount(
            nutrient=contribution.nutrient,
            fraction=contribution.fraction + (previous.fraction if previous else ZERO),
            basis=contribution.basis,
            label_mg=label,
            formula_mg=formula,
            theoretical=contribution.theoretical,
            formula_by_theory_mg=by_theory,
        )
    return LineResult(
        key=line.key,
        name=line.name,
        label_mg=label_mg,
        formula_mg=formula_mg,
        overage_percent=line.overage_percent,
        nutrients=nutrients,
    )


def _theory_fraction(contribution: Contribution) -> Decimal:
    """The fraction a limit is also checked at: the formula's where it is above the specified one used."""
    if contribution.basis == Basis.SPECIFIED and contribution.theoretical is not None:
        return max(contribution.fraction, contribution.theoretical)
    return contribution.fraction


def _sum_by_nutrient(amounts: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for nutrient, amount in amounts:
        totals[nutrient] = totals.get(nutrient, ZERO) + amount
    return totals


def _scale(amounts: Mapping[str, Decimal], factor: Decimal) -> dict[str, Decimal]:
    return {nutrient: amount * factor for nutrient, amount in amounts.items()}


_STATUS_RANK = {Status.OK: 0, Status.NEAR: 1, Status.OVER: 2}


def _status(amount: Decimal, limit: Decimal) -> Status:
    if amount > limit:
        return Status.OVER
    if amount >= limit * NEAR_FRACTION:
        return Status.NEAR
    return Status.OK


def _percent(amount: Decimal, reference_mg: Decimal) -> Decimal:
    return amount / reference_mg * HUNDRED


def select_references(
    references: Iterable[Reference], markets: Sequence[str], population: str, nutrients: Iterable[str]
) -> list[Reference]:
    """Keep the references for the requested markets, population and nutrients: market order first, then the
    nutrients in the order the references come in (the library's: a label's, vitamins before minerals)."""
    wanted = set(nutrients)
    order = {market: index for index, market in enumerate(markets)}
    chosen = [
        ref
        for ref in references
        if ref.market in order and ref.population == population and ref.nutrient in wanted
    ]
    nutrient_order: dict[str, int] = {}
    for ref in chosen:
        nutrient_order.setdefault(ref.nutrient, len(nutrient_order))
    return sorted(chosen, key=lambda ref: (order[ref.market], nutrient_order[ref.nutrient], ref.kind.value, ref.per.value))


def assess(
    references: Sequence[Reference],
    per_day_label_mg: Mapping[str, Decimal],
    per_day_formula_mg: Mapping[str, Decimal],
    largest_dose_formula_mg: Mapping[str, Decimal],
    per_serving_label_mg: Mapping[str, Decimal] | None = None,
    per_day_by_theory_mg: Mapping[str, Decimal] | None = None,
    largest_dose_by_theory_mg: Mapping[str, Decimal] | None = None,
) -> tuple[Assessment, ...]:
    """Compare daily amounts with each reference.

    Limits use what the product really contains (overage included); intake references such as
    the DV use the label claim, which is what a label declares. A limit's status is also worked out at the formulas'
    fractions where lower specified ones are used (the `by_theory` amounts), and kept where it is worse.
    """
    results = []
    maxima = {_limit_scope(r): r for r in references if r.kind == Kind.MAX and r.amount_mg is not None}
    for ref in references:
        is_limit = ref.kind in LIMIT_KINDS
        maximum = maxima.get(_limit_scope(ref)) if ref.kind == Kind.UL and ref.amount_mg is not None else None
        superseded_by = maximum if maximum is not None and maximum.amount_mg >= ref.amount_mg else None  # type: ignore[operator]
        if is_limit:
            source = largest_dose_formula_mg if ref.per == Per.DOSE else per_day_formula_mg
        else:
            source = per_day_label_mg
        amount = source.get(ref.nutrient, ZERO)
        if is_limit and ref.amount_mg is None and ref.food_only:
            results.append(Assessment(ref, amount, None, None, Status.OVER if amount > 0 else Status.OK))
            continue
        if ref.amount_mg is None or ref.amount_mg <= 0:
            status = Status.NO_LIMIT if is_limit else Status.INFO
            results.append(Assessment(ref, amount, None, None, status))
            continue
        percent = _percent(amount, ref.amount_mg)
        status = _status(amount, ref.amount_mg) if is_limit else Status.INFO
        by_theory_mg = by_theory_status = None
        if is_limit:
            theory_source = largest_dose_by_theory_mg if ref.per == Per.DOSE else per_day_by_theory_mg
            theory = (theory_source or {}).get(ref.nutrient, amount)
            theory_status = _status(theory, ref.amount_mg)
            if _STATUS_RANK[theory_status] > _STATUS_RANK[status]:
                by_theory_mg, by_theory_status = theory, theory_status
        serving_percent = None
        if per_serving_label_mg is not None and not is_limit:
            serving_percent = _percent(per_serving_label_mg.get(ref.nutrient, ZERO), ref.amount_mg)
        results.append(
            Assessment(
                reference=ref,
                amount_mg=amount,
                percent=percent,
                margin_mg=ref.amount_mg - amount if is_limit else None,
                status=status,
                per_serving_percent=serving_percent,
                superseded_by=superseded_by,
                by_theory_mg=by_theory_mg,
                by_theory_status=by_theory_status,
            )
        )
    return tuple(results)


def _limit_scope(ref: Reference) -> tuple[str, str, str, str, Per, str]:
    """What a limit is a limit on: a market's maximum supersedes an upper limit of the same scope."""
    return ref.market, ref.nutrient, ref.population, ref.sex, ref.per, ref.covers


def calculate_product(
    lines: Sequence[LineInput],
    servings_per_day: Decimal,
    references: Iterable[Reference] = (),
    markets: Sequence[str] = (),
    population: str = "adult",
    key: str = "",
    name: str = "",
) -> ProductResult:
    """Return per line and in total what a product delivers, and how it stands against each reference."""
    return product_from_lines(tuple(calculate_line(line) for line in lines), servings_per_day, references, markets,
                              population, key, name)


def product_from_lines(
    line_results: tuple[LineResult, ...],
    servings_per_day: Decimal,
    references: Iterable[Reference] = (),
    markets: Sequence[str] = (),
    population: str = "adult",
    key: str = "",
    name: str = "",
) -> ProductResult:
    """Return a product's totals and assessments from its lines' results (calculate_line), as calculate_product does."""
    if servings_per_day <= 0:
        raise EngineError(ERROR_SERVINGS)
    serving_label: dict[str, Decimal] = {}
    serving_formula: dict[str, Decimal] = {}
    serving_theory: dict[str, Decimal] = {}
    for line in line_results:
        for nutrient, amount in line.nutrients.items():
            serving_label[nutrient] = serving_label.get(nutrient, ZERO) + amount.label_mg
            serving_formula[nutrient] = serving_formula.get(nutrient, ZERO) + amount.formula_mg
            serving_theory[nutrient] = serving_theory.get(nutrient, ZERO) + (
                amount.formula_mg if amount.formula_by_theory_mg is None else amount.formula_by_theory_mg)
    day_label = _scale(serving_label, servings_per_day)
    day_formula = _scale(serving_formula, servings_per_day)
    day_theory = _scale(serving_theory, servings_per_day)
    chosen = select_references(references, markets, population, serving_label)
    return ProductResult(
        key=key,
        name=name,
        servings_per_day=servings_per_day,
        lines=line_results,
        per_serving_label_mg=serving_label,
        per_serving_formula_mg=serving_formula,
        per_day_label_mg=day_label,
        per_day_formula_mg=day_formula,
        # A dose is a serving, or the part of one taken when the day holds less (half a serving a day is one capsule
        # of two), so no dose is more than the day: as a stack counts its products' doses.
        assessments=assess(chosen, day_label, day_formula,
                           serving_formula if servings_per_day >= ONE else day_formula, serving_label,
                           day_theory, serving_theory if servings_per_day >= ONE else day_theory),
        per_serving_by_theory_mg=serving_theory,
    )


def calculate_stack(
    items: Sequence[StackItemInput],
    references: Iterable[Reference] = (),
    markets: Sequence[str] = (),
    population: str = "adult",
) -> StackResult:
    """Sum products taken across a day, with each product's share of every nutrient."""
    references = tuple(references)
    products = tuple(
        calculate_product(item.lines, item.servings_per_day, key=item.key, name=item.name) for item in items
    )
    day_label = _sum_by_nutrient((n, mg) for p in products for n, mg in p.per_day_label_mg.items())
    day_formula = _sum_by_nutrient((n, mg) for p in products for n, mg in p.per_day_formula_mg.items())
    day_theory = _sum_by_nutrient((n, mg * p.servings_per_day) for p in products
                                  for n, mg in p.per_serving_by_theory_mg.items())
    # Products taken at the same time of day make one dose together: a serving of each, as a product's servings a
    # day are taken one at a time, or the part of a serving taken when it is less than one a day (half a serving of
    # Luna is 75 mg, not 150 mg). So no dose is more than the day's total. An item without a timing is a dose of its own.
    largest_doses = _largest_doses(items, [p.per_serving_formula_mg for p in products])
    largest_dose = {nutrient: dose.amount_mg for nutrient, dose in largest_doses.items()}
    largest_dose_by_theory = {nutrient: dose.amount_mg for nutrient, dose in
                              _largest_doses(items, [p.per_serving_by_theory_mg for p in products]).items()}
    shares = {
        nutrient: tuple(
            Share(
                product_key=p.key,
                product_name=p.name,
                amount_mg=p.per_day_label_mg.get(nutrient, ZERO),
                fraction=(p.per_day_label_mg.get(nutrient, ZERO) / total) if total else None,
            )
            for p in products
            if nutrient in p.per_day_label_mg
        )
        for nutrient, total in day_label.items()
    }
    chosen = select_references(references, markets, population, day_label)
    return StackResult(
        products=products,
        per_day_label_mg=day_label,
        per_day_formula_mg=day_formula,
        shares=shares,
        assessments=assess(chosen, day_label, day_formula, largest_dose, None, day_theory, largest_dose_by_theory),
        timings={item.key: item.timing for item in items},
        largest_doses=largest_doses,
    )


def _largest_doses(items: Sequence[StackItemInput], per_serving: Sequence[Mapping[str, Decimal]]) -> dict[str, LargestDose]:
    """Each nutrient's largest single dose; of doses equally large, the first taken in the stack's order."""
    doses: dict[tuple[str, str], Decimal] = {}
    names: dict[tuple[str, str], list[str]] = {}
    timings: dict[str, str] = {}
    for item, serving in zip(items, per_serving, strict=True):
        occasion = item.timing or f"item {item.key}"
        timings[occasion] = item.timing
        servings = min(item.servings_per_day, ONE)
        for nutrient, mg in serving.items():
            doses[(occasion, nutrient)] = doses.get((occasion, nutrient), ZERO) + mg * servings
            names.setdefault((occasion, nutrient), []).append(item.name)
    largest: dict[str, LargestDose] = {}
    for (occasion, nutrient), mg in doses.items():
        if nutrient not in largest or mg > largest[nutrient].amount_mg:
            largest[nutrient] = LargestDose(mg, timings[occasion], tuple(names[(occasion, nutrient)]))
    return largest


def compound_mass_for_target(target_mg: Decimal, fraction: Decimal, nutrient: str = "the nutrient") -> Decimal:
    """Return the compound mass (mg) that delivers a target nutrient amount: the inverse of a line."""
    if target_mg < 0:
        raise EngineError(ERROR_NEGATIVE_TARGET)
    if fraction <= 0:
        raise EngineError(ERROR_ZERO_FRACTION.format(nutrient=nutrient))
    # To the last digit down: a mass a 28th digit above the target's is over a limit at the target, which the solve
    # must not read as the user's doing (limits_crossed).
    with localcontext(rounding=ROUND_FLOOR):
        return target_mg / fraction


@dataclass(frozen=True)
class Design:
    """The rest of a design a line is solved in: its other lines' results, its servings a day, and the references of
    its markets for its population."""

    lines: tuple[LineResult, ...]
    servings_per_day: Decimal
    references: tuple[Reference, ...]
    markets: tuple[str, ...]
    population: str


def limits_crossed(design: Design, line: LineInput, amount: Decimal) -> tuple[Assessment, ...]:
    """Return the limits deciding the design's status that the line at `amount` (in its unit) takes it over and the
    line at its own amount does not."""
    def over(candidate: LineInput) -> list[Assessment]:
        result = product_from_lines((*design.lines, calculate_line(candidate)), design.servings_per_day,
                                    design.references, design.markets, design.population)
        return [a for a in result.assessments if a.governs and a.status == Status.OVER]

    # Over at its own amount (an overage counts against a limit) is the user's choice: not the rounding's doing.
    already = {a.reference for a in over(line)}
    return tuple(a for a in over(replace(line, amount=amount)) if a.reference not in already)


# Capsule fill and cost ---------------------------------------------------------------------------

MAX_FILL = Decimal("0.95")  # fill at most 95% of a capsule's volume (regulatory.md: aim for 80-95%)
MIN_FILL = Decimal("0.80")
MG_PER_KG = Decimal(1_000_000)


class FillStatus(StrEnum):
    OK = "ok"
    UNDERFILLED = "underfilled"
    TIGHT = "tight"  # above 95% of the volume
    OVER = "over"  # does not fit
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PhysicalLine:
    """What a line weighs and costs, for capsule fill and cost."""

    name: str
    formula_mg: Decimal
    density_g_per_ml: Decimal | None
    cost_per_kg: Decimal | None

    # Worked out once per line: the workbench keeps a line's PhysicalLine while the line is unchanged.
    @cached_property
    def volume_ml(self) -> Decimal | None:
        return self.formula_mg / self.density_g_per_ml / 1000 if self.density_g_per_ml else None  # mg / (g/mL) = mL / 1000

    @cached_property
    def cost(self) -> Decimal | None:
        return self.formula_mg / MG_PER_KG * self.cost_per_kg if self.cost_per_kg is not None else None


@dataclass(frozen=True)
class CapsuleFill:
    capsule_volume_ml: Decimal
    capsules_per_serving: int
    fill_mg_per_serving: Decimal
    blend_volume_ml: Decimal | None  # None when a density is missing
    mg_per_capsule: Decimal
    capacity_mg_per_capsule: Decimal | None  # at the blend's density, 100% full
    fill_fraction: Decimal | None  # of one capsule's volume
    capsules_needed: int | None  # at no more than 95% fill
    status: FillStatus
    missing_density: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cost:
    per_serving: Decimal | None
    per_day: Decimal | None
    per_100_mg: Decimal | None  # of the nutrient asked for (magnesium)
    missing_cost: tuple[str, ...] = ()


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding="ROUND_CEILING"))


def per_container(amounts_mg: Sequence[Decimal], servings_per_container: int) -> tuple[tuple[Decimal, ...], Decimal]:
    """What a container of this many servings takes of each amount a serving (with overage: the weigh-out), and of
    all of them together: what a manufacturer weighs out per container."""
    each = tuple(amount * servings_per_container for amount in amounts_mg)
    return each, sum(each, ZERO)


def capsule_fill(lines: Sequence[PhysicalLine], capsule_volume_ml: Decimal, capsules_per_serving: int) -> CapsuleFill:
    """How full each capsule is at the blend's tapped density, and how many capsules the serving needs."""
    total_mg = sum((line.formula_mg for line in lines), ZERO)
    per_capsule = total_mg / capsules_per_serving
    missing = tuple(line.name for line in lines if not line.density_g_per_ml)
    if missing or not lines:
        return CapsuleFill(capsule_volume_ml, capsules_per_serving, total_mg, None, per_capsule, None, None, None,
                           FillStatus.UNKNOWN, missing)
    volume_ml = sum((line.volume_ml for line in lines if line.volume_ml is not None), ZERO)
    blend_density = total_mg / 1000 / volume_ml
    capacity_mg = capsule_volume_ml * blend_density * 1000
    fill = volume_ml / capsules_per_serving / capsule_volume_ml
    needed = max(1, _ceil(volume_ml / (capsule_volume_ml * MAX_FILL)))
    if fill > 1:
        status = FillStatus.OVER
    elif fill > MAX_FILL:
        status = FillStatus.TIGHT
    elif fill < MIN_FILL:
        status = FillStatus.UNDERFILLED
    else:
        status = FillStatus.OK
    return CapsuleFill(capsule_volume_ml, capsules_per_serving, total_mg, volume_ml, per_capsule, capacity_mg, fill,
                       needed, status)


def capsule_sizes_that_fit(fill: CapsuleFill, sizes: Mapping[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    """The capsule sizes (code, fill fraction) in which the serving's blend fills as many capsules between MIN_FILL and
    MAX_FILL: what to choose where the size chosen is too small, too tight or too large for it."""
    if not fill.blend_volume_ml:
        return ()
    per_capsule = fill.blend_volume_ml / fill.capsules_per_serving
    return tuple((code, per_capsule / volume) for code, volume in sizes.items()
                 if volume != fill.capsule_volume_ml and MIN_FILL <= per_capsule / volume <= MAX_FILL)


def stack_cost(products: Sequence[tuple[Cost, Decimal]], nutrient_mg_per_day: Decimal) -> Cost:
    """A stack's raw-material cost a day and per 100 mg of a nutrient: each product's cost a serving (`cost`) times the
    servings the stack takes; unknown if a product's is. A stack has no serving of its own."""
    missing = tuple(dict.fromkeys(name for product, _ in products for name in product.missing_cost))
    if missing or not products or any(product.per_serving is None for product, _ in products):
        return Cost(None, None, None, missing)
    per_day = sum((product.per_serving * servings for product, servings in products if product.per_serving is not None), ZERO)
    return Cost(None, per_day, per_day / nutrient_mg_per_day * 100 if nutrient_mg_per_day > 0 else None)


def cost(lines: Sequence[PhysicalLine], servings_per_day: Decimal, nutrient_mg_per_serving: Decimal) -> Cost:
    """Raw-material cost per serving, per day and per 100 mg of a nutrient; unknown if a price is missing."""
    missing = tuple(line.name for line in lines if line.cost_per_kg is None)
    if missing or not lines:
        return Cost(None, None, None, missing)
    per_serving = sum((line.cost for line in lines if line.cost is not None), ZERO)
    per_100 = per_serving / nutrient_mg_per_serving * 100 if nutrient_mg_per_serving > 0 else None
    return Cost(per_serving, per_serving * servings_per_day, per_100)
