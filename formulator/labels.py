"""Rounding for people: the one place where the engine's exact numbers become label text.

US Supplement Facts rules (21 CFR 101.36, see shared/reference/regulatory.md): a mineral's amount
uses the level of significance of its Daily Value (magnesium, DV 420 mg: whole mg); %DV to the
nearest whole percent, "<1%" when above zero but rounding to 0; a vitamin or mineral under 2% of
its DV is not declared. Conventional-food step rounding (2/5/10%) does not apply to supplements.
Labels round half up, as the regulations' "nearest" is read in practice.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

from formulator.engine import HUNDRED, MAX_FILL, MIN_FILL, NEAR_FRACTION, ZERO, Assessment, Kind, Reference, Status

WHOLE = Decimal(1)
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
US_DECLARATION_THRESHOLD = Decimal("0.02")  # below 2% of the DV, a vitamin or mineral counts as zero


def round_half_up(value: Decimal, step: Decimal = WHOLE) -> Decimal:
    """Round to a step (1, 0.1 ...) the way labels do: halves go up."""
    return value.quantize(step, rounding=ROUND_HALF_UP)


# Wide enough to quantize any engine value (28 digits) down to its last digit, so telling two values apart by
# their decimals can never run out of precision.
APART_CONTEXT = Context(prec=80, rounding=ROUND_HALF_UP)


def round_apart(value: Decimal, other: Decimal, step: Decimal) -> Decimal:
    """Round a value to a step, or to a finer one where it would round as `other` does while not equal to it.

    Beside a limit, a rounded amount that reads as the limit itself says "equal", which is false while the engine
    calls it over or near; a margin that reads as 0 hides which side of the limit an amount is on. The value is
    given the fewest decimals that tell the two apart, and never more: 250.2 → 250.2 beside 250, 249.96 → 249.96.
    """
    rounded = value.quantize(step, context=APART_CONTEXT)
    while value != other and rounded == other.quantize(step, context=APART_CONTEXT):
        step = step.scaleb(-1)
        rounded = value.quantize(step, context=APART_CONTEXT)
    return rounded


# Exports for other systems keep 12 significant digits: far past any measured input (a supplier's 7.2%), and short of
# the engine's 28th digit, which holds its arithmetic's rounding (a capacity of 570.0000000000000000000000001 mg).
EXPORT_CONTEXT = Context(prec=12, rounding=ROUND_HALF_EVEN)


def export_number(value: Decimal | None) -> str | None:
    """A value for a machine-readable export: 12 significant digits, no exponent, no trailing zeros."""
    if value is None:
        return None
    return format(EXPORT_CONTEXT.plus(value).normalize(EXPORT_CONTEXT), "f")


def _plain(value: Decimal) -> str:
    """Format without exponent and with thousands separators, keeping the value's decimals."""
    if value == value.to_integral_value():
        return f"{value.quantize(WHOLE):,}"
    return f"{value:,f}"


def significance_step(reference_mg: Decimal) -> Decimal:
    """Return the level of significance of a reference value: 420 → 1, 1.7 → 0.1, 2.4 mcg → 0.001."""
    exponent = reference_mg.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(min(exponent, 0))


MG, MCG = "mg", "mcg"


def _scale(unit: str) -> int:
    """The power of ten from mg to a label unit: 3 for mcg."""
    return 3 if unit == MCG else 0


def us_amount(amount_mg: Decimal, dv_mg: Decimal | None, significance: Decimal | None = None, unit: str = MG) -> str:
    """Amount per serving on a Supplement Facts panel, in the nutrient's unit ("144 mg", "25 mcg"): to the DV's level of
    significance, which is `significance` where the reference gives it (the CFR's 2.0 mg: tenths), else the step the DV
    is written to in that unit (20 mcg: whole mcg; 1.7 mg: tenths)."""
    if dv_mg:
        scale = _scale(unit)
        # 101.36(b)(2)(ii)(B): "zeros following decimal points may be dropped", so 5.0 reads "5".
        step = (significance.scaleb(scale) if significance else significance_step(dv_mg.scaleb(scale))).normalize()
        value = amount_mg.scaleb(scale)
        # The same paragraph allows additional levels of significance where the DV's are not enough to express a
        # lower amount: 0.041 mg of B6 (DV 1.7 mg, tenths) is 2% of its DV and must not read "0 mg" beside it, nor
        # 0.05 mg "0.1 mg", twice what the product holds (an assay must find 100% of what is declared).
        while 0 < abs(value) < step:
            step = step.scaleb(-1)
        # Normalised: 0.0987 mg at a finer step rounds to 0.10, and read "0.10 mg" where 0.1216 mg reads "0.1 mg".
        return f"{_plain(round_half_up(value, step).normalize())} {unit}"
    return amount(amount_mg)


def reference_amount(amount_mg: Decimal, significance: Decimal | None, unit: str = MG) -> str:
    """A reference value's amount in its nutrient's unit, as the regulation writes it: to its level of significance
    where that is known ("2.0 mg"), else as stored ("0.9 mg" of copper, "20 mcg" of vitamin D)."""
    scale = _scale(unit)
    if significance is None:
        return f"{_plain(amount_mg.scaleb(scale).normalize())} {unit}"
    step = significance.scaleb(scale).normalize()  # a stored 0.1000 is 0.1
    rounded = round_half_up(amount_mg.scaleb(scale), step)
    return f"{_plain(rounded) if step >= 1 else format(rounded, ',f')} {unit}"  # "2.0 mg": _plain would write "2"


def us_percent_dv(amount_mg: Decimal, dv_mg: Decimal) -> str:
    """%DV on a Supplement Facts panel: whole percent, "<1%" above zero that rounds to 0."""
    return us_percent(amount_mg / dv_mg * HUNDRED)


def us_percent(percent: Decimal) -> str:
    """A %DV the engine computed, as the panel prints it."""
    rounded = round_half_up(percent)
    if rounded == 0 and percent > 0:
        return "<1%"
    return f"{_plain(rounded)}%"


def plain_number(value: Decimal | int) -> str:
    """A count or factor without trailing zeros: 2.00 → "2", 1.50 → "1.5"."""
    return _plain(Decimal(value).normalize())


def us_is_declared(amount_mg: Decimal, dv_mg: Decimal) -> bool:
    """Tell whether a vitamin or mineral reaches 2% of its DV and so appears on the panel."""
    return amount_mg >= dv_mg * US_DECLARATION_THRESHOLD


# A pure function of the value, kept per value: a keystroke words the same amounts in several places (the amount,
# its margin and limit, and the sentence that says how they stand).
@lru_cache(maxsize=4096)
def amount(amount_mg: Decimal, unit: str = MG, step: Decimal = WHOLE) -> str:
    """A nutrient's amount for tables and words, in its label unit whatever the amount: for one declared in mg
    (magnesium, B6), whole mg from 10 mg, 0.1 mg from 1 mg, 0.01 mg below ("0.41 mg" of B6, as its EU table says; it
    read "411 mcg" beside a limit of 100 mg), "<0.01 mg" for less that is not nothing; for one declared in mcg
    (vitamin D), mcg ("1,092 mcg" of vitamin A, as its panel says): whole from 10, 0.1 below, 0.01 under 1 (0.3 mcg of
    vitamin D read "0 mcg"), "<0.01 mcg" for less. Never coarser than `step`, the nutrient's own (nutrient_step):
    vitamin B6, its DV written in tenths, is "10.3 mg" from 10 mg too, as its Supplement Facts panel says. A
    compound's mass is mass()'s."""
    if amount_mg == 0:
        return f"0 {unit}"
    if unit == MCG:
        return _micrograms_text(amount_mg, step)
    # With the step's decimals where rounding changed it, as limit_amount writes it beside: a total of 8.96 mg of B6
    # read "9 mg" in the totals and "9.0 mg" in the safety table below.
    rounded = _to_step(amount_mg, step)
    return _under_least(MG) if rounded == 0 else f"{_rounded(rounded, amount_mg)} {MG}"


@lru_cache(maxsize=4096)
def mass(amount_mg: Decimal) -> str:
    """A compound's mass for tables and words: whole mg from 10 mg, 0.1 mg below, mcg under 1 mg (a compound has no
    label unit, and a weigh-out of 30 mcg must not read "0.03 mg" or "<0.01 mg"), to 0.1 mcg under 10 mcg."""
    if amount_mg == 0 or abs(amount_mg) >= 10:
        return amount(amount_mg)
    if abs(amount_mg) >= 1:
        return f"{_plain(round_half_up(amount_mg, ONE_DECIMAL))} mg"
    micrograms = _micrograms(amount_mg)
    return "<0.01 mcg" if micrograms == 0 else _mass_under_1_mg(micrograms)


def day_mass(serving_mg: Decimal, day_mg: Decimal) -> str:
    """A compound's mass a day beside its mass a serving, in the serving's unit: one row of a panel in one unit
    ("500 mcg" a serving read "1.5 mg" a day beside it)."""
    if mass(serving_mg).endswith(f" {MCG}") and day_mg != 0:
        return _micrograms_text(day_mg)
    return mass(day_mg)


def _mass_under_1_mg(micrograms: Decimal) -> str:
    """A mass under 1 mg, rounded in mcg, as written: in mcg, unless it rounded to 1,000 mcg, which is 1 mg (a unit is
    chosen by the rounded amount, not the exact one)."""
    if abs(micrograms) >= 1000:
        return f"{_plain(micrograms.scaleb(-3).normalize())} mg"
    return f"{_plain(micrograms.normalize())} mcg"


def _step_for(value: Decimal, step: Decimal = WHOLE) -> Decimal:
    """The step an amount in its unit is written to: whole from 10, 0.1 from 1, 0.01 below; never coarser than `step`."""
    return min(WHOLE if abs(value) >= 10 else ONE_DECIMAL if abs(value) >= 1 else TWO_DECIMALS, step)


def nutrient_step(references: Iterable[Reference]) -> Decimal:
    """The finest step a nutrient's amounts are written to from 10 units up: the step of its finest Daily Value or NRV
    in its label unit (vitamin B6's 1.7 mg: 0.1), as a Supplement Facts panel writes an amount to its DV's level of
    significance; whole units without one, or with none finer (magnesium's 420 mg)."""
    steps = [WHOLE]
    for ref in references:
        if ref.kind in (Kind.DV, Kind.NRV) and ref.amount_mg:
            scale = _scale(ref.unit)
            steps.append((ref.significance.scaleb(scale) if ref.significance else significance_step(ref.amount_mg.scaleb(scale))).normalize())
    return min(steps)


def _micrograms(amount_mg: Decimal, step: Decimal = WHOLE) -> Decimal:
    """An amount in mcg as amount() rounds it."""
    exact = amount_mg.scaleb(3, APART_CONTEXT)
    return round_half_up(exact, _step_for(exact, step))


def _micrograms_text(amount_mg: Decimal, step: Decimal = WHOLE) -> str:
    micrograms = _micrograms(amount_mg, step)
    return _under_least(MCG) if micrograms == 0 else f"{_plain(micrograms.normalize())} mcg"  # 5.0 reads 5


# Annex XIII Part A of Reg. (EU) 1169/2011 writes micrograms "µg".
EU_UNITS = {MG: "mg", MCG: "µg"}


def eu_amount(amount_mg: Decimal, unit: str = MG, step: Decimal = WHOLE) -> str:
    """A vitamin's or mineral's amount on the EU table, in its unit whatever the amount (Annex XIII: mg, or µg for
    vitamin D and the like): whole from 10, to 0.1 from 1, to 0.01 below, "<0.01" for less that is not nothing; never
    coarser than the nutrient's `step` ("10.3 mg" of vitamin B6 beside its 735% of the NRV, not "10 mg")."""
    return _eu_amount_in(amount_mg.scaleb(_scale(unit)), EU_UNITS[unit], step)


def eu_mass(amount_mg: Decimal) -> str:
    """A compound's mass on the EU table, as amount() words it but with micrograms written "µg", as the table's
    vitamins are (a compound under 1 mg read "100 mcg" beneath "Vitamin D 0.3 µg")."""
    text = mass(amount_mg)
    return text.replace(f" {MCG}", f" {EU_UNITS[MCG]}") if text.endswith(f" {MCG}") else text


def _eu_amount_in(value: Decimal, unit: str, step: Decimal = WHOLE) -> str:
    if value == 0:
        return f"0 {unit}"
    rounded = _to_step(value, step)
    return f"<0.01 {unit}" if rounded == 0 else f"{_plain(rounded.normalize())} {unit}"  # 0.50 reads 0.5


# Kept per pair of values, as amount() is per value: each row of the safety table words its amount on every keystroke.
@lru_cache(maxsize=4096)
def amount_beside(amount_mg: Decimal, other_mg: Decimal, unit: str = MG, step: Decimal = WHOLE) -> str:
    """An amount as amount() words it, with the decimals it needs not to read as `other_mg` when unequal.

    Beside a limit of 250 mg, 250.2 mg is "250.2 mg", not "250 mg"; a margin of 0.2 mcg beside zero is "0.2 mcg".
    """
    if amount_mg == 0:
        return amount(amount_mg, unit, step)
    if unit != MCG:
        return f"{_plain(round_apart(amount_mg, other_mg, _step_for(amount_mg, step)).normalize())} mg"
    exact = amount_mg.scaleb(3, APART_CONTEXT)
    micrograms = round_apart(exact, other_mg.scaleb(3, APART_CONTEXT), _step_for(exact, step))
    return f"{_plain(micrograms.normalize())} mcg"


def _written_step(value: Decimal) -> Decimal:
    """The step a value is written to, at most 1: 1 for 250 mg or 12 mg, 0.1 for 3.2 mg."""
    exponent = value.normalize().as_tuple().exponent
    return WHOLE if not isinstance(exponent, int) or exponent >= 0 else WHOLE.scaleb(exponent)


@lru_cache(maxsize=4096)
def limit_pair(amount_mg: Decimal, limit_mg: Decimal, unit: str = MG, step: Decimal = WHOLE) -> tuple[Decimal, Decimal, str]:
    """An amount beside a limit and the margin between them (limit minus amount), in the nutrient's label unit and
    rounded alike, so that what a sentence says adds up: "13 mg/day is 1 mg over the limit of 12 mg", not "13 mg/day is
    1.2 mg over"; "33 mcg/day ... 67 mcg to spare" of 100 mcg, not 68; "0.49 mg/day ... 11.51 mg to spare" of B6's
    12 mg, not "494 mcg/day ... 11.506 mg"."""
    amount_in, limit_in = amount_mg.scaleb(_scale(unit), APART_CONTEXT), limit_mg.scaleb(_scale(unit), APART_CONTEXT)
    # The amount's own step (whole mg from 10 mg), no coarser than the limit is written to, nor than a hundredth of the
    # limit's size, and finer where it would read as the limit while unequal (round_apart); the limit is a whole
    # number of such steps, so the two add up. A hundredth: beside B6's 12 mg, 10.37 mg is "10.4 mg: 1.6 mg to
    # spare", not "10 mg: 2 mg to spare", a margin a quarter too large; beside magnesium's 250 mg, whole mg.
    hundredth = WHOLE.scaleb(min(0, limit_in.adjusted() - 2))
    step = min(_step_for(amount_in, step), _written_step(limit_in), hundredth)
    # Nor, just short of where "near" starts (80% of the limit), as that amount, which limit_percent keeps apart too:
    # 199.9999 mg, ok, read "200 mg" beside "79.99996%" of 250 mg. From there up it is near, and may read so.
    # And never as nothing: 0.0033 mg of B6 read "0 mg/day ... 100 mg to spare" where the rest says "<0.01 mg".
    near = limit_in * NEAR_FRACTION
    apart = [limit_in, *([ZERO] if amount_in else []), *([near] if amount_in < near else [])]
    shown = min((round_apart(amount_in, other, step) for other in apart), key=lambda rounded: rounded.as_tuple().exponent)
    return shown, (limit_in - shown).quantize(shown), unit  # to the amount's decimals: a limit stored as 12.000 is 12


def amount_apart(amount_mg: Decimal, others_mg: Iterable[Decimal], unit: str = MG, step: Decimal = WHOLE) -> str:
    """An amount as amount() words it, unless that reads as one of `others_mg` it is not equal to: then with the
    decimals that tell them apart (amount_beside). A headline of 500.04 mg beside a maximum of 500 mg that it is
    over is "500.04 mg", not "500 mg"."""
    shown = amount(amount_mg, unit, step)
    for other in others_mg:
        if amount_mg != other and _reads_as(amount_mg, other, unit, step):
            return amount_beside(amount_mg, other, unit, step)
    return shown


def _reads_as(amount_mg: Decimal, other_mg: Decimal, unit: str, step: Decimal) -> bool:
    """Whether amount() rounds the two to one figure, however it writes each: 12.04 mg of B6 is "12.0 mg" (rounded,
    with its tenth) and its limit of 12 mg "12 mg" (exact), which still read as one."""
    if unit == MCG:
        return amount(amount_mg, unit, step) == amount(other_mg, unit, step)
    return _to_step(amount_mg, step) == _to_step(other_mg, step)


def _to_step(value: Decimal, step: Decimal) -> Decimal:
    """A value in mg rounded as amount() rounds it: to its own step (_step_for), never coarser than `step`."""
    return round_half_up(value, _step_for(value, step))


# The least amount written as a number: less that is not nothing reads "<0.01 mg", as amount() writes it.
LEAST = TWO_DECIMALS


def _under_least(unit: str) -> str:
    """What an amount under LEAST that is not nothing reads: "<0.01 mg"."""
    return f"<{LEAST} {unit}"


def _reads_under_least(amount_mg: Decimal, limit_mg: Decimal, unit: str, step: Decimal) -> bool:
    """Whether amount() writes an amount "<0.01" while its limit is 100 times that or more (so it is under 1% of it,
    ok, and its margin is over the limit less 0.01): beside it, the safety table must write it so too."""
    amount_in = amount_mg.scaleb(_scale(unit), APART_CONTEXT)
    return (amount_in != 0 and _to_step(amount_in, step) == 0
            and limit_mg.scaleb(_scale(unit), APART_CONTEXT) >= LEAST * HUNDRED)


def limit_amount(amount_mg: Decimal, limit_mg: Decimal | None, unit: str = MG, step: Decimal = WHOLE) -> str:
    """An amount against a limit: as amount() words it, but never reading as the limit while not equal to it, and
    rounded as its margin is (limit_pair)."""
    if limit_mg is None:
        return amount(amount_mg, unit, step)
    # 0.001 mg of magnesium read "0.001 mg" beside the limit and "<0.01 mg" in the totals above it.
    if _reads_under_least(amount_mg, limit_mg, unit, step):
        return _under_least(unit)
    shown, _, written_unit = limit_pair(amount_mg, limit_mg, unit, step)
    return f"{_rounded(shown, amount_mg.scaleb(_scale(unit), APART_CONTEXT))} {written_unit}"


def _rounded(shown: Decimal, exact: Decimal) -> str:
    """A figure rounded to its step: with the step's decimals where rounding changed it (9.971 mg to tenths is
    "10.0 mg", not "10 mg", which reads as rounded to whole mg); as it is where it is exact (13 mg)."""
    return _plain(shown.normalize()) if shown == exact else f"{shown:,f}"


def limit_margin_amount(amount_mg: Decimal, limit_mg: Decimal, margin_mg: Decimal, unit: str = MG,
                        step: Decimal = WHOLE) -> str:
    """The size of the margin between an amount and its limit, as limit_amount rounds the amount."""
    if _reads_under_least(amount_mg, limit_mg, unit, step):  # "<0.01 mg" of 350 mg: ">349.99 mg", not "349.999 mg"
        return f">{_plain((limit_mg.scaleb(_scale(unit), APART_CONTEXT) - LEAST).normalize())} {unit}"
    _, margin_shown, written_unit = limit_pair(amount_mg, limit_mg, unit, step)
    exact = (limit_mg - amount_mg).scaleb(_scale(unit), APART_CONTEXT)
    return f"{_rounded(abs(margin_shown), abs(exact))} {written_unit}"


def limit_margin(amount_mg: Decimal, limit_mg: Decimal | None, margin_mg: Decimal | None, unit: str = MG,
                 step: Decimal = WHOLE) -> str:
    """A margin to a limit as margin() words it, rounded as limit_amount rounds the amount beside it."""
    if margin_mg is None or limit_mg is None:
        return margin(margin_mg, unit, step)
    return _margin_side(limit_margin_amount(amount_mg, limit_mg, margin_mg, unit, step), margin_mg)


def compound_mass(amount_mg: Decimal, claimed_mg: Decimal | None = None) -> str:
    """A compound mass to weigh out: to 0.1 mg, or in mcg under 1 mg, where 0.1 mg steps would read 30 mcg as 0 mg;
    never coarser than the label claim it is made from is written (1.25 mg with no overage read "1.3 mg" beside it)."""
    if amount_mg != 0 and abs(amount_mg) < 1:
        micrograms = amount_mg.scaleb(3, APART_CONTEXT)
        if claimed_mg is None:  # with the decimals that keep it from reading 0
            return _mass_under_1_mg(round_apart(micrograms, ZERO, _step_for(micrograms)))
        step = min(_step_for(micrograms), _written_step(claimed_mg.scaleb(3, APART_CONTEXT)))
        return _mass_under_1_mg(round_half_up(micrograms, step))
    step = ONE_DECIMAL if claimed_mg is None else min(ONE_DECIMAL, _written_step(claimed_mg))
    return f"{_plain(round_half_up(amount_mg, step).normalize())} mg"


def compound_span(span: tuple[Decimal, Decimal] | None) -> str:
    """A range of compound masses, "100 mg–200 mg", or one mass when both ends round alike."""
    if span is None:
        return ""
    low, high = compound_mass(span[0]), compound_mass(span[1])
    return low if low == high else f"{low}–{high}"


def percent(value: Decimal | None) -> str:
    """A percentage for tables: whole percent, "<1%" above zero."""
    if value is None:
        return "—"
    rounded = round_half_up(value)
    if rounded == 0 and value > 0:
        return "<1%"
    return f"{_plain(rounded)}%"


def shares_percent(fractions: Sequence[Decimal | None]) -> tuple[str, ...]:
    """Shares of one whole as whole percentages that add up to 100%, as percent() words each one.

    Rounded alone, 37.5% and 62.5% read 38% and 63%, and three thirds 33% each: a table whose shares add up to
    101% or 99% is read as a mistake. So each share is rounded down, and the points left over go to the largest
    remainders (ties to the larger share, then to the earlier one). Equal shares get a point together or not at all
    while another share can take it instead (the same product taken morning and evening read 26% and 25%); only
    where none can are they told apart. None (a whole of zero) reads "—".
    """
    if any(f is None for f in fractions):
        return tuple(percent(None if f is None else f * HUNDRED) for f in fractions)
    values = [f * HUNDRED for f in fractions]  # type: ignore[operator]
    points = _apportioned(values, WHOLE, round_half_up(sum(values, ZERO)))
    assert points is not None  # the sum rounded to whole points is within a point a share of the points rounded down
    return tuple("<1%" if p == 0 and v > 0 else f"{_plain(p)}%" for p, v in zip(points, values, strict=True))


def _apportioned(values: Sequence[Decimal], step: Decimal, total: Decimal) -> list[Decimal] | None:
    """Values rounded down to a step, and the steps left to reach `total` given to the largest remainders (ties to the
    larger value, then to the earlier one); equal values get a step together or not at all while another can take it
    instead; only where none can are they told apart. None where the total is not so reached."""
    points = [v.quantize(step, rounding=ROUND_FLOOR) for v in values]
    left_over = (total - sum(points, ZERO)) / step
    if left_over != left_over.to_integral_value() or not 0 <= left_over <= len(values):
        return None
    left = int(left_over)
    order = sorted(range(len(values)), key=lambda i: (points[i] - values[i], -values[i], i))
    given: set[int] = set()
    for i in order:  # equal values together, where the steps left cover them all and rounding up keeps within one
        if i in given or points[i] == values[i]:
            continue
        group = [j for j in order if values[j] == values[i]]  # none given yet: a value is given only with its equals
        if len(group) <= left:
            for j in group:
                points[j] += step
            given.update(group)
            left -= len(group)
    for i in [i for i in order if i not in given][:left]:  # the steps no group could take, one at a time
        points[i] += step
    return points


def shares_amounts(amounts_mg: Sequence[Decimal], unit: str = MG, step: Decimal = WHOLE,
                   apart_from: Sequence[Decimal] = ()) -> tuple[str, ...]:
    """Parts of a total ("From": each product's share of a stack's day), each as amount() writes it, as the product's
    own figures are: apportioned to add up to the total, MagTech's 287.26 mg a day read "288 mg" beside its "287 mg" a
    table above, and MoodFlow's glycine "1,482 mg" beside its page's 1,483 mg. SHARES_ROUNDED_APART says so where
    the parts do not add up to the total as written (parts_add_up). A part never reads as one of the limits
    `apart_from` it is not equal to, as the total does not (amount_apart): a stack of one product read 349.5 mg a day
    in its totals and "350 mg" beside the US limit of 350 mg in its From."""
    return tuple(amount_apart(a, apart_from, unit, step) for a in amounts_mg)


# MagTech's lines read 72 + 22 + 49 mg of magnesium beside a total of 144 mg, unsaid (the stack page says it).
LINES_ROUNDED_APART = ("Each line's amount is rounded on its own, so the amounts a total is made of may not add up to it "
                       "exactly: the total is rounded from their exact sum.")
SHARES_ROUNDED_APART = ("Each product's amount is rounded on its own, as its own page writes it, so the amounts a "
                        "total is made of may not add up to it exactly.")


def parts_add_up(total_text: str, part_texts: Sequence[str]) -> bool:
    """Whether amounts as written ("287 mg") add up to a total as written, in the same unit; not where any is no
    number ("<0.01 mg")."""
    def read(text: str) -> tuple[Decimal, str] | None:
        number, _, written_unit = text.partition(" ")
        try:
            return Decimal(number.replace(",", "")), written_unit
        except ArithmeticError:
            return None

    total, parts = read(total_text), [read(text) for text in part_texts]
    if total is None or any(part is None or part[1] != total[1] for part in parts):
        return False
    return sum((part[0] for part in parts if part is not None), ZERO) == total[0]


NEAR_PERCENT = NEAR_FRACTION * HUNDRED
# What the statuses mean, said beside every safety table: "near" was said nowhere to start at 80%.
STATUS_LEGEND = (f"Ok: under {NEAR_PERCENT:.0f}% of the limit. Near: {NEAR_PERCENT:.0f}% of it or more, up to the limit itself. "
                 "Over: above the limit, or any amount where intake should come from food alone.")


def fill_percent(fraction: Decimal | None) -> str:
    """A capsule's fill as a percentage of its volume, never reading as the 80% or 95% its status is measured
    against while on the other side of it: 95.02% is tight, and "95%" would say it is not."""
    if fraction is None:
        return "—"
    value = fraction * HUNDRED
    for threshold in (MIN_FILL * HUNDRED, MAX_FILL * HUNDRED):
        if value != threshold and round_half_up(value) == threshold:
            return f"{_plain(round_apart(value, threshold, WHOLE))}%"
    return percent(value)


US_DECLARATION_PERCENT = US_DECLARATION_THRESHOLD * HUNDRED


def dv_percent(value: Decimal | None) -> str:
    """A %DV in the intake tables: as percent() words it, but never "2%" below 2%, where the panel leaves the nutrient
    out as zero (1.67% read "2%" beside "not declared: under 2% of the Daily Value")."""
    if value is not None and value < US_DECLARATION_PERCENT and round_half_up(value) == US_DECLARATION_PERCENT:
        return f"{_plain(round_apart(value, US_DECLARATION_PERCENT, WHOLE))}%"
    return percent(value)


def limit_percent(value: Decimal | None) -> str:
    """A percentage of a limit: as percent() words it, but never "100%" unless the amount is the limit, nor "80%", where
    "near" starts, unless it is 80% (79.6% is ok, and reads so)."""
    if value is None:
        return "—"
    rounded = round_half_up(value)
    if rounded != NEAR_PERCENT and rounded != HUNDRED:  # nearly always: it reads as percent() has it
        return percent(value)
    return f"{_plain(round_apart(value, rounded, WHOLE))}%"


def fraction_percent(fraction: Decimal | None) -> str:
    """A mass fraction as a percentage with two decimals, e.g. 0.0825 → "8.25%"; "<0.01%" for less that is not none
    (a specified 0.00001 read "0.00%", the 0 the library refuses)."""
    if fraction is None:
        return "—"
    rounded = round_half_up(fraction * HUNDRED, TWO_DECIMALS)
    return "<0.01%" if rounded == 0 and fraction > 0 else f"{rounded}%"


def deviation_points(specified: Decimal, theoretical: Decimal) -> str:
    """Specified minus theoretical fraction in percentage points, signed, e.g. "−1.05 pp"."""
    points = round_half_up((specified - theoretical) * HUNDRED, TWO_DECIMALS)
    sign = "+" if points > 0 else ("−" if points < 0 else "±")
    return f"{sign}{abs(points)} pp"


def molecular_weight(value: Decimal) -> str:
    return f"{round_half_up(value, TWO_DECIMALS)} g/mol"


def margin_amount(value: Decimal, unit: str = MG, step: Decimal = WHOLE) -> str:
    """The size of a margin: as amount() words it, but never "0" unless it is none (0.0056 mcg is "0.01 mcg")."""
    return amount_beside(abs(value), ZERO, unit, step)


def margin(value: Decimal | None, unit: str = MG, step: Decimal = WHOLE) -> str:
    """A margin to a limit: "56 mg to spare" or "44 mg over"; "0 mg to spare" only at the limit itself."""
    return "—" if value is None else _margin_side(margin_amount(value, unit, step), value)


def _margin_side(size: str, value: Decimal) -> str:
    return f"{size} over" if value < 0 else f"{size} to spare"


def listed(names: Sequence[str], conjunction: str = "and") -> str:
    """Names as a sentence lists them: "magnesium", "magnesium and vitamin B6", "a, b and c"; none, "" ."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


# An amino acid's stereo prefix stays a capital in running text; the name after it does not ("L-theanine").
_STEREO_PREFIX = re.compile(r"(?:D|L|DL)-(?=[A-Z][a-z])")


def lower_first(name: str) -> str:
    """ "Magnesium" → "magnesium", "Vitamin B6" → "vitamin B6", "L-Theanine" → "L-theanine"; "5-HTP" and "CoQ10"
    (a capital within the first word) stay as they are."""
    prefix = _STEREO_PREFIX.match(name)
    start = prefix.end() if prefix else 0
    word = name[start:].split(" ", 1)[0]
    if not word[1:2].islower() or any(c.isupper() for c in word[1:]):
        return name
    return name[:start] + name[start].lower() + name[start + 1:]


KIND_WORDS = {
    Kind.UL: "limit",
    Kind.MAX: "maximum for supplements",
    Kind.DV: "Daily Value",
    Kind.NRV: "NRV",
    Kind.RDA: "RDA",
    Kind.AI: "AI",
}


def describe(assessment: Assessment, nutrient_name: str, population_name: str = "") -> str:
    """Say in words how an amount stands against a reference.

    For example "294 mg/day is 44 mg over the EU limit of 250 mg for supplemental magnesium".
    """
    said = _describe(assessment, nutrient_name, population_name)
    return f"{said} {by_theory(assessment)}" if assessment.by_theory_status is not None else said


# A limit met at a supplier's specified fraction but not at the formula's: which of the two judges it is regulatory's
# call, so the sentence says both rather than choosing.
BY_THEORY_OVER = "At the fractions by formula instead of the specified ones, {quantity} would be {margin} over."
BY_THEORY_NEAR = "At the fractions by formula instead of the specified ones, {quantity} would be {percent} of the limit: near."


def by_theory(assessment: Assessment) -> str:
    """What a limit's amount would be at the formulas' fractions, where that reads worse than at the specified ones."""
    ref = assessment.reference
    amount_mg = assessment.by_theory_mg
    assert amount_mg is not None and ref.amount_mg is not None
    shown = limit_amount(amount_mg, ref.amount_mg, ref.unit, ref.amount_step)
    quantity = f"{shown} in one dose" if ref.per == "dose" else f"{shown}/day"
    if assessment.by_theory_status == Status.OVER:
        margin_text = limit_margin_amount(amount_mg, ref.amount_mg, ref.amount_mg - amount_mg, ref.unit, ref.amount_step)
        return BY_THEORY_OVER.format(quantity=quantity, margin=margin_text)
    return BY_THEORY_NEAR.format(quantity=quantity, percent=limit_percent(amount_mg / ref.amount_mg * HUNDRED))


def _describe(assessment: Assessment, nutrient_name: str, population_name: str) -> str:
    ref = assessment.reference
    per = "a dose" if ref.per == "dose" else "/day"
    # Worded as the safety table's cells are (limit_amount, limit_percent, margin), so the sentence agrees with them.
    unit = ref.unit  # a nutrient declared in mcg is said in mcg throughout: "1,092 mcg/day ... of 3,000 mcg"
    step = ref.amount_step  # and to its nutrient's step: "10.3 mg/day" of vitamin B6, as its label says
    shown = limit_amount(assessment.amount_mg, ref.amount_mg, unit, step)
    quantity = f"{shown}{per}" if per == "/day" else f"{shown} in one dose"
    who = f" {population_name}" if population_name else ""
    name = lower_first(nutrient_name)
    what = f"{ref.covers} {name}" if ref.covers == "supplemental" else name
    kind = KIND_WORDS[ref.kind]
    if ref.food_only and ref.amount_mg is None:
        if assessment.status == Status.OVER:
            return (f"{quantity} is over: the {ref.market}{who} {kind} for {what} allows none; it should come from "
                    f"food and formula only.")
        return f"None, as the {ref.market}{who} {kind} for {what} asks: it should come from food and formula only."
    if assessment.status == Status.NO_LIMIT:
        return f"No {ref.market}{who} {kind} is set for {what}."
    if ref.amount_mg is None:
        return f"No {ref.market}{who} {kind} is set for {what}."
    limit = reference_amount(ref.amount_mg, ref.significance, unit)  # as the safety table's limit cell writes it
    per_limit = " a dose" if ref.per == "dose" else ""
    if assessment.status == Status.OVER:
        assert assessment.margin_mg is not None
        over = (
            f"{quantity} is {limit_margin_amount(assessment.amount_mg, ref.amount_mg, assessment.margin_mg, unit, step)} over the "
            f"{ref.market}{who} {kind} "
            f"of {limit}{per_limit} for {what}."
        )
        maximum = assessment.superseded_by
        if maximum is None or maximum.amount_mg is None:
            return over
        return (f"{over} The {maximum.market} {KIND_WORDS[maximum.kind]}, {reference_amount(maximum.amount_mg, maximum.significance, maximum.unit)}, is the limit a "
                f"product must meet there.")
    if assessment.status in (Status.NEAR, Status.OK):
        assert assessment.margin_mg is not None
        return (
            f"{quantity} is {limit_percent(assessment.percent)} of the {ref.market}{who} {kind} "
            f"of {limit}{per_limit} for {what}: "
            f"{limit_margin_amount(assessment.amount_mg, ref.amount_mg, assessment.margin_mg, unit, step)} to spare."
        )
    return f"{quantity} is {percent(assessment.percent)} of the {ref.market}{who} {kind} of {limit}."


MONEY_STEPS = (Decimal("0.01"), Decimal("0.001"), Decimal("0.0001"))  # cents, then finer for costs under ten cents


def money(value: Decimal | None) -> str:
    """A cost in US dollars: cents, or finer where cents leave fewer than two significant figures, to a hundredth of
    a cent ("$0.014", "$0.0024"); "<$0.0001" below it.

    A serving's raw materials often cost a few cents or less: $0.014 read "$0.01", 29% less, on every sheet.
    """
    if value is None:
        return "—"
    if 0 < value < MONEY_STEPS[-1] / 2:
        return f"<${MONEY_STEPS[-1]}"
    for step in MONEY_STEPS:
        shown = round_half_up(value, step)
        if shown >= step * 10 or value <= 0:
            break
    return f"${shown:,}"
