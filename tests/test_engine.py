"""The calculation engine: plain Python, no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formulator import engine
from formulator.engine import Basis, Contribution, Kind, LineInput, Per, Reference, Status

D = Decimal
THREONATE = (Contribution("magnesium", D("0.072"), Basis.SPECIFIED, D("0.0825")),)
CITRATE = (Contribution("magnesium", D("0.161602"), Basis.THEORETICAL),)
BISGLYCINATE = (
    Contribution("magnesium", D("0.14097"), Basis.THEORETICAL),
    Contribution("glycine", D("0.8707"), Basis.THEORETICAL),
)
REFERENCES = (
    Reference("magnesium", Kind.UL, "US", "adult", D(350)),
    Reference("magnesium", Kind.UL, "EU", "adult", D(250)),
    Reference("magnesium", Kind.DV, "US", "adult", D(420)),
    Reference("magnesium", Kind.UL, "EU", "child-1-3", None),
    Reference("magnesium", Kind.MAX, "DE", "adult", D(125), per=Per.DOSE),
)


def line(contributions=THREONATE, amount="2000", unit="mg", overage="0", key="a"):
    return LineInput(key, "compound", D(amount), unit, contributions, D(overage))


def by_market(result, market, kind=Kind.UL):
    return next(a for a in result.assessments if a.reference.market == market and a.reference.kind == kind)


def test_recover_gives_144_mg_34_percent_dv_and_41_percent_of_the_us_ul():
    result = engine.calculate_product([line()], D(1), REFERENCES, ["US", "EU"], "adult")

    assert result.per_serving_label_mg == {"magnesium": D("144.000")}
    assert round(by_market(result, "US", Kind.DV).percent, 2) == D("34.29")
    us = by_market(result, "US")
    assert round(us.percent, 2) == D("41.14")
    assert us.margin_mg == D(206)
    assert us.status is Status.OK


def test_units_convert_to_milligrams():
    assert engine.to_mg(D("0.5"), "g") == D("500.0")
    assert engine.to_mg(D(500), "mcg") == D("0.500")
    with pytest.raises(engine.EngineError, match="Unknown unit “kg”"):
        engine.to_mg(D(1), "kg")


def test_overage_raises_the_formula_amount_and_counts_against_the_limit_but_not_the_label():
    result = engine.calculate_product([line(overage="10")], D(1), REFERENCES, ["US"], "adult")

    assert result.per_serving_label_mg["magnesium"] == D("144.000")
    assert result.per_day_formula_mg["magnesium"] == D("158.4")
    assert by_market(result, "US").amount_mg == D("158.4")
    assert by_market(result, "US", Kind.DV).amount_mg == D("144.000")


def test_servings_per_day_multiply_the_daily_totals():
    result = engine.calculate_product([line()], D(2), REFERENCES, ["EU"], "adult")

    assert result.per_day_label_mg["magnesium"] == D("288.000")
    assert by_market(result, "EU").status is Status.OVER
    assert by_market(result, "EU").margin_mg == D("-38.000")


@pytest.mark.parametrize(
    ("amount_mg", "status"),
    [("279.99", Status.OK), ("280", Status.NEAR), ("350", Status.NEAR), ("350.01", Status.OVER)],
)
def test_status_is_near_from_80_percent_and_over_only_above_the_limit(amount_mg, status):
    pure = (Contribution("magnesium", D(1), Basis.THEORETICAL),)
    result = engine.calculate_product([line(pure, amount_mg)], D(1), REFERENCES, ["US"], "adult")

    assert by_market(result, "US").status is status


def test_a_reference_without_a_number_reports_no_limit_rather_than_ok():
    result = engine.calculate_product([line()], D(1), REFERENCES, ["EU"], "child-1-3")

    (assessment,) = result.assessments
    assert assessment.status is Status.NO_LIMIT
    assert assessment.percent is None


@pytest.mark.parametrize(("amount", "status"), [("2000", Status.OVER), ("0.001", Status.OVER), ("0", Status.OK)])
def test_a_food_only_limit_is_over_for_any_supplemental_amount(amount, status):
    infants = Reference("magnesium", Kind.UL, "US", "infant", None, food_only=True)

    result = engine.calculate_product([line(amount=amount)], D(1), (infants,), ["US"], "infant")

    (assessment,) = result.assessments
    assert assessment.status is status
    assert assessment.percent is None
    assert assessment.margin_mg is None


def test_a_per_dose_rule_looks_at_one_serving_not_the_day():
    result = engine.calculate_product([line()], D(1), REFERENCES, ["DE"], "adult")

    (assessment,) = result.assessments
    assert assessment.amount_mg == D("144.000")
    assert assessment.status is Status.OVER


def test_a_products_dose_is_the_part_of_a_serving_taken_when_it_is_less_than_one_a_day():
    """Half a serving a day of two capsules is one capsule: 72 mg, near the 125 mg a dose, not the serving's 144 mg."""
    product = engine.calculate_product([line()], D("0.5"), REFERENCES, ["DE"], "adult")
    stack = engine.calculate_stack([engine.StackItemInput("recover", "Recover", (line(),), D("0.5"), "evening")],
                                   REFERENCES, ["DE"], "adult")

    (per_dose,) = product.assessments
    assert per_dose.amount_mg == D("72.000") == stack.assessments[0].amount_mg  # as the stack counts it
    assert per_dose.status is Status.OK


CANADA = (
    Reference("magnesium", Kind.UL, "CA", "adult", D(350), covers="supplemental"),
    Reference("magnesium", Kind.MAX, "CA", "adult", D(500), covers="supplemental"),
    Reference("magnesium", Kind.UL, "CA", "child-9-13", D(350), covers="supplemental"),
)


def test_a_markets_maximum_for_products_above_its_upper_limit_is_the_limit_a_product_must_meet():
    # regulatory.md: Health Canada's monograph allows adult products up to 500 mg/day, above the IOM UL of 350 mg.
    magnesium_400 = [line(amount="5555.5556")]  # 400 mg at 7.2%
    adult = engine.calculate_product(magnesium_400, D(1), CANADA, ["CA"], "adult")
    child = engine.calculate_product(magnesium_400, D(1), CANADA, ["CA"], "child-9-13")

    ul, maximum = by_market(adult, "CA"), by_market(adult, "CA", Kind.MAX)
    assert (ul.status, maximum.status) == (Status.OVER, Status.NEAR)
    assert ul.superseded_by == maximum.reference and not ul.governs and maximum.governs
    assert by_market(child, "CA").governs and by_market(child, "CA").status is Status.OVER  # no maximum: the UL


def test_only_requested_markets_and_population_are_assessed_in_market_order():
    result = engine.calculate_product([line()], D(1), REFERENCES, ["EU", "US"], "adult")

    assert [(a.reference.market, a.reference.kind) for a in result.assessments] == [
        ("EU", Kind.UL), ("US", Kind.DV), ("US", Kind.UL)
    ]


def test_the_engine_is_not_magnesium_only():
    result = engine.calculate_product([line(BISGLYCINATE, "1000")], D(1))

    assert result.per_day_label_mg == {"magnesium": D("140.97000"), "glycine": D("870.7000")}


def test_a_stack_sums_products_and_reports_each_share():
    recover = engine.StackItemInput("recover", "Recover", (line(),), D(1), "evening")
    luna = engine.StackItemInput("luna", "Luna", (line(CITRATE, "928.2"),), D(1), "evening")
    boost = engine.StackItemInput("boost", "Boost", (), D(1), "morning")

    result = engine.calculate_stack([recover, luna, boost], REFERENCES, ["US", "EU"], "adult")

    total = result.per_day_label_mg["magnesium"]
    assert round(total, 1) == D("294.0")
    eu = by_market(result, "EU")
    assert eu.status is Status.OVER and round(eu.margin_mg) == -44
    assert by_market(result, "US").status is Status.NEAR
    shares = {s.product_key: s for s in result.shares["magnesium"]}
    assert set(shares) == {"recover", "luna"}
    assert shares["recover"].amount_mg == D("144.000")
    assert sum(s.fraction for s in shares.values()) == D(1)


def test_a_stacks_dose_is_what_its_products_give_at_one_time_of_day():
    recover = engine.StackItemInput("recover", "Recover", (line(),), D(1), "evening")  # 144 mg a serving
    luna = engine.StackItemInput("luna", "Luna", (line(CITRATE, "928.2"),), D(2), "evening")  # 150 mg
    sustain = engine.StackItemInput("sustain", "Sustain", (line(amount="2500"),), D(1), "morning")  # 180 mg

    result = engine.calculate_stack([recover, luna, sustain], REFERENCES, ["DE"], "adult")

    (per_dose,) = result.assessments
    assert per_dose.amount_mg == D("144.000") + D("928.2") * D("0.161602")  # the evening's, one serving of each
    assert per_dose.status is Status.OVER


def test_a_stacks_dose_is_the_part_of_a_serving_taken_when_it_is_less_than_one_a_day():
    recover = engine.StackItemInput("recover", "Recover", (line(),), D("0.5"), "evening")  # 72 mg of a 144 mg serving
    luna = engine.StackItemInput("luna", "Luna", (line(CITRATE, "928.2"),), D("0.25"), "evening")  # 37.5 of 150 mg

    result = engine.calculate_stack([recover, luna], REFERENCES, ["DE"], "adult")

    (per_dose,) = result.assessments
    assert per_dose.amount_mg == result.per_day_formula_mg["magnesium"] == D("72.000") + D("928.2") * D("0.161602") / 4
    assert per_dose.status is Status.NEAR  # 110 mg of 125 mg; a serving of each would be 294 mg, over


def test_a_limit_met_at_the_specified_fraction_but_not_at_the_formulas_says_so():
    # 3,400 mg of threonate: 244.8 mg/day at Magtein's 7.2% (near the EU's 250 mg), 280.5 mg at the formula's 8.25%.
    result = engine.calculate_product([line(amount="3400")], D(1), REFERENCES, ["US", "EU"], "adult")

    eu = by_market(result, "EU")
    assert (eu.amount_mg, eu.status) == (D("244.8000"), Status.NEAR)  # the status stays the specified fraction's
    assert (eu.by_theory_mg, eu.by_theory_status) == (D("280.5000"), Status.OVER)
    us = by_market(result, "US")  # 69.9% of 350 mg at 7.2%, 80.1% at 8.25%
    assert (us.status, us.by_theory_mg, us.by_theory_status) == (Status.OK, D("280.5000"), Status.NEAR)
    assert by_market(result, "US", Kind.DV).by_theory_mg is None  # an intake reference is the label's


def test_the_formulas_fraction_counts_overage_servings_and_per_dose_rules():
    # 1,320 mg put in a serving: 95.04 mg at 7.2% (76% of the DE dose maximum), 108.9 mg at 8.25% (87%).
    result = engine.calculate_product([line(amount="1200", overage="10")], D(2), REFERENCES, ["EU", "DE"], "adult")

    eu, per_dose = by_market(result, "EU"), by_market(result, "DE", Kind.MAX)
    assert (eu.status, eu.by_theory_mg, eu.by_theory_status) == (Status.OK, D("217.800000"), Status.NEAR)
    assert (per_dose.status, per_dose.by_theory_mg, per_dose.by_theory_status) == (Status.OK, D("108.900000"), Status.NEAR)


def test_a_specified_fraction_above_the_formulas_is_not_second_guessed():
    richer = (Contribution("magnesium", D("0.09"), Basis.SPECIFIED, D("0.0825")),)
    result = engine.calculate_product([line(richer, "2700")], D(1), REFERENCES, ["EU"], "adult")  # 243 mg, near

    assert by_market(result, "EU").by_theory_mg is None


def test_a_stack_checks_its_limits_at_the_formulas_fractions_too():
    recover = engine.StackItemInput("recover", "Recover", (line(amount="1700"),), D(1), "evening")  # 122.4 mg, 140.25 by formula
    luna = engine.StackItemInput("luna", "Luna", (line(amount="1700"),), D(1), "evening")

    result = engine.calculate_stack([recover, luna], REFERENCES, ["EU", "DE"], "adult")

    eu, per_dose = by_market(result, "EU"), by_market(result, "DE", Kind.MAX)
    assert (eu.status, eu.by_theory_mg, eu.by_theory_status) == (Status.NEAR, D("280.5000"), Status.OVER)
    assert per_dose.status is Status.OVER and per_dose.by_theory_status is None  # over already


def test_inverse_solves_the_compound_mass_for_a_target():
    assert engine.compound_mass_for_target(D(144), D("0.072")) == D(2000)
    with pytest.raises(engine.EngineError, match="delivers no magnesium"):
        engine.compound_mass_for_target(D(144), D(0), "magnesium")


def eu_and_us():
    """A design with no other line, taken once a day, for the US and the EU."""
    return engine.Design((), D(1), REFERENCES, ("US", "EU"), "adult")


def test_limits_crossed_names_a_limit_the_rounded_amount_is_over_and_the_exact_one_is_not():
    # Citrate at 16.1602% for the EU's 250 mg: 1,547.010 mg exactly; 1,547.1 mg gives 250.015 mg.
    exact = line(CITRATE, engine.compound_mass_for_target(D(250), D("0.161602")))

    crossed = engine.limits_crossed(eu_and_us(), exact, D("1547.1"))

    assert [(a.reference.market, a.status) for a in crossed] == [("EU", Status.OVER)]
    assert engine.limits_crossed(eu_and_us(), exact, D("1547.0")) == ()  # 249.999 mg: under it


def test_limits_crossed_counts_the_designs_other_lines_and_its_servings_a_day():
    # 99.99994 mg from threonate beside 75 mg of citrate, twice a day: 349.9999 mg, at the US limit; 464.2 mg of
    # citrate, 75.016 mg, crosses it.
    threonate = engine.calculate_line(line(THREONATE, "1388.888"))
    design = engine.Design((threonate,), D(2), REFERENCES, ("US",), "adult")
    exact = line(CITRATE, engine.compound_mass_for_target(D(75), D("0.161602")))

    assert [a.reference.market for a in engine.limits_crossed(design, exact, D("464.2"))] == ["US"]


def test_limits_crossed_leaves_out_a_limit_the_exact_amount_is_over_already():
    # With 5% overage the exact 1,547.010 mg counts 262.5 mg against the EU's 250 mg: over whatever the rounding.
    exact = line(CITRATE, engine.compound_mass_for_target(D(250), D("0.161602")), overage="5")

    assert engine.limits_crossed(eu_and_us(), exact, D("1547.1")) == ()


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        ("0", "mg", engine.ERROR_AMOUNT_NOT_POSITIVE),
        ("-5", "mg", engine.ERROR_AMOUNT_NOT_POSITIVE),
        ("100.001", "g", engine.ERROR_AMOUNT_ABSURD.format(amount="100.001", unit="g")),
        ("5", "oz", engine.ERROR_UNKNOWN_UNIT.format(unit="oz")),
    ],
)
def test_validate_amount_rejects_zero_negative_absurd_and_unknown_units(amount, unit, message):
    with pytest.raises(engine.EngineError) as caught:
        engine.validate_amount(D(amount), unit)

    assert str(caught.value) == message


def test_validate_amount_accepts_exactly_100_g():
    assert engine.validate_amount(D(100), "g") == D(100_000)


def test_negative_amounts_and_zero_servings_are_refused():
    with pytest.raises(engine.EngineError, match="negative"):
        engine.calculate_line(line(amount="-1"))
    with pytest.raises(engine.EngineError, match="more than zero"):
        engine.calculate_product([line()], D(0))


amounts = st.decimals(min_value=D("0.001"), max_value=D(100_000), places=3, allow_nan=False, allow_infinity=False)
fractions = st.decimals(min_value=D("0.0001"), max_value=D(1), places=4, allow_nan=False, allow_infinity=False)
overages = st.decimals(min_value=D(0), max_value=D(100), places=2, allow_nan=False, allow_infinity=False)


def _mg_line(amount, fraction, overage=D(0), key="x"):
    return LineInput(key, "x", amount, "mg", (Contribution("magnesium", fraction, Basis.THEORETICAL),), overage)


@given(amount=amounts, fraction=fractions, factor=st.integers(min_value=1, max_value=50))
def test_property_a_line_is_linear_in_its_amount(amount, fraction, factor):
    single = engine.calculate_line(_mg_line(amount, fraction)).nutrients["magnesium"].label_mg
    scaled = engine.calculate_line(_mg_line(amount * factor, fraction)).nutrients["magnesium"].label_mg

    assert scaled == single * factor


@given(st.lists(st.tuples(amounts, fractions, overages), min_size=1, max_size=8))
def test_property_lines_sum_to_the_total_and_nothing_is_negative(rows):
    lines = [_mg_line(a, f, o, key=str(i)) for i, (a, f, o) in enumerate(rows)]
    result = engine.calculate_product(lines, D(1))

    assert result.per_serving_label_mg["magnesium"] == sum(l.nutrients["magnesium"].label_mg for l in result.lines)
    assert result.per_serving_formula_mg["magnesium"] >= result.per_serving_label_mg["magnesium"] >= 0


@given(amount=amounts, fraction=fractions)
def test_property_the_same_compound_twice_sums_like_one_line_of_both(amount, fraction):
    twice = engine.calculate_product([_mg_line(amount, fraction, key="1"), _mg_line(amount, fraction, key="2")], D(1))
    once = engine.calculate_product([_mg_line(amount * 2, fraction)], D(1))

    assert twice.per_serving_label_mg == once.per_serving_label_mg


@given(target=amounts, fraction=fractions)
def test_property_the_inverse_round_trips(target, fraction):
    mass = engine.compound_mass_for_target(target, fraction)
    delivered = engine.calculate_line(_mg_line(mass, fraction)).nutrients["magnesium"].label_mg

    assert abs(delivered - target) < D("1e-20")


@given(target=amounts, fraction=fractions)
def test_property_the_inverse_never_delivers_more_than_its_target(target, fraction):
    """Divided to its 28th digit half-even, the mass for the EU's 250 mg of citrate delivered 250.0000...0001 mg: over
    a limit the target meets, so a solve for it read as over already."""
    mass = engine.compound_mass_for_target(target, fraction)

    assert engine.calculate_line(_mg_line(mass, fraction)).nutrients["magnesium"].label_mg <= target


def physical(mg, density="0.6", cost_per_kg="100", name="x"):
    return engine.PhysicalLine(name, D(mg), D(density) if density else None, D(cost_per_kg) if cost_per_kg else None)


def test_capsule_fill_at_the_blend_density():
    # 2,000 mg at 0.6 g/mL is 3.333 mL; two size 00 capsules hold 1.90 mL: it does not fit.
    fill = engine.capsule_fill([physical("2000")], D("0.95"), 2)

    assert fill.mg_per_capsule == D(1000)
    assert round(fill.capacity_mg_per_capsule, 6) == D("570.000000")
    assert fill.status is engine.FillStatus.OVER
    assert fill.capsules_needed == 4  # 3.333 mL / (0.95 mL × 95%) = 3.69
    assert round(fill.fill_fraction, 4) == D("1.7544")


@pytest.mark.parametrize(("mg", "status"), [("400", "underfilled"), ("500", "ok"), ("545", "tight"), ("571", "over")])
def test_capsule_fill_status_bands(mg, status):
    assert engine.capsule_fill([physical(mg)], D("0.95"), 1).status == status


SIZES = {"000": D("1.37"), "00": D("0.95"), "0": D("0.68"), "1": D("0.50"), "2": D("0.37")}


def test_the_capsule_sizes_that_fit_a_serving_are_those_it_fills_80_to_95_percent_of():
    # 400 mg at 0.6 g/mL is 0.667 mL a capsule: 49% of a size 000, 70% of a 00, 98% of a 0, over a 1.
    assert engine.capsule_sizes_that_fit(engine.capsule_fill([physical("400")], D("1.37"), 1), SIZES) == ()
    # 340 mg: 0.567 mL, 83% of a size 0 and 60% of the 00 chosen.
    fits = engine.capsule_sizes_that_fit(engine.capsule_fill([physical("680")], D("0.95"), 2), SIZES)

    assert [(code, round(fill, 3)) for code, fill in fits] == [("0", D("0.833"))]


def test_no_other_size_is_offered_without_a_density():
    fill = engine.capsule_fill([physical("500", density=None)], D("0.95"), 1)

    assert engine.capsule_sizes_that_fit(fill, SIZES) == ()


def test_capsule_fill_is_unknown_without_a_density_and_says_which():
    fill = engine.capsule_fill([physical("500"), physical("100", density=None, name="Glycine")], D("0.95"), 1)

    assert fill.status is engine.FillStatus.UNKNOWN
    assert fill.missing_density == ("Glycine",)


def test_cost_per_serving_and_per_100_mg_of_magnesium():
    result = engine.cost([physical("2000", cost_per_kg="150")], D(2), D(144))

    assert result.per_serving == D("0.3")
    assert result.per_day == D("0.6")
    assert round(result.per_100_mg, 4) == D("0.2083")


def test_cost_is_unknown_when_a_price_is_missing():
    result = engine.cost([physical("2000"), physical("10", cost_per_kg=None, name="B6")], D(1), D(144))

    assert result.per_serving is None and result.missing_cost == ("B6",)
