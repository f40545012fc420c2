"""Label rounding: the one module where numbers become text."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formulator import engine, labels

D = Decimal


@pytest.mark.parametrize(
    ("amount", "dv", "expected"),
    [("144.000", "420", "144 mg"), ("143.5", "420", "144 mg"), ("143.49", "420", "143 mg"), ("4.94", "1.7", "4.9 mg")],
)
def test_us_amounts_use_the_level_of_significance_of_the_dv(amount, dv, expected):
    assert labels.us_amount(D(amount), D(dv)) == expected


@pytest.mark.parametrize(("amount", "dv", "significance", "unit", "expected"), [
    ("0.041", "1.7", None, "mg", "0.04 mg"),  # 2% of the DV: declared, and "0 mg" beside "2%" said it was not there
    ("0.0049", "1.7", None, "mg", "0.005 mg"),
    ("0.04", "1.7", None, "mg", "0.04 mg"),
    ("8.4", "420", None, "mg", "8 mg"),  # the DV's own level when it shows the amount
    ("0.4", "420", None, "mg", "0.4 mg"),
    ("0.0004", "0.0024", None, "mcg", "0.4 mcg"),  # B12's 2.4 mcg: tenths of a mcg
    ("0.00004", "0.0024", None, "mcg", "0.04 mcg"),
    ("0.04", "2", "0.1", "mg", "0.04 mg"),
    ("0", "1.7", None, "mg", "0 mg"),
    # Under the DV's level an amount takes the decimals it needs, not the level's step: 0.05 mg of B6 read "0.1 mg",
    # twice what was there, as did 0.06 and 0.07 mg, while 0.0499999 mg read "0.05 mg".
    ("0.05", "1.7", None, "mg", "0.05 mg"),
    ("0.07", "1.7", None, "mg", "0.07 mg"),
    ("0.0449999", "1.7", None, "mg", "0.04 mg"),
    ("0.1", "1.7", None, "mg", "0.1 mg"),
    ("0.149", "1.7", None, "mg", "0.1 mg"),  # from the DV's level up, to it
    # Just under it, to the finer step without its trailing zero: 0.0987 mg read "0.10 mg" where 0.1216 mg read "0.1 mg".
    ("0.0987", "1.7", "0.1", "mg", "0.1 mg"),
    ("0.0999", "1.7", None, "mg", "0.1 mg"),
])
def test_a_us_amount_above_zero_never_reads_as_zero(amount, dv, significance, unit, expected):
    assert labels.us_amount(D(amount), D(dv), None if significance is None else D(significance), unit) == expected


@pytest.mark.parametrize(("amount", "dv", "unit", "expected"), [
    ("0.025", "0.020", "mcg", "25 mcg"),  # vitamin D, DV 20 mcg: whole mcg, not 10 mcg steps ("30 mcg" beside 125%)
    ("0.075", "0.120", "mcg", "75 mcg"),  # vitamin K, DV 120 mcg
    ("1.501", "0.900", "mcg", "1,501 mcg"),  # vitamin A, DV 900 mcg RAE: in mcg from 1 mg too
    ("0.75", "0.900", "mcg", "750 mcg"),
    ("0.85", "0.9", "mg", "0.9 mg"),  # copper, DV 0.9 mg: in mg, though under 1 mg
    ("144", "420", "mg", "144 mg"),
])
def test_a_us_amount_is_in_its_nutrients_unit_to_the_dvs_level_in_that_unit(amount, dv, unit, expected):
    assert labels.us_amount(D(amount), D(dv), None, unit) == expected


@pytest.mark.parametrize(("amount", "significance", "unit", "expected"), [
    ("0.020", None, "mcg", "20 mcg"),
    ("0.9", None, "mg", "0.9 mg"),  # copper's DV, as the CFR writes it (not "900 mcg")
    ("0.9", None, "mcg", "900 mcg"),  # vitamin A's
    ("0.020", "0.001", "mcg", "20 mcg"),  # a level of significance in mg, written in mcg (not "0.020 mg")
    ("2", "0.1", "mg", "2.0 mg"),
    ("420", None, "mg", "420 mg"),
    ("12.5", None, "mg", "12.5 mg"),
])
def test_a_reference_amount_is_written_in_its_nutrients_unit(amount, significance, unit, expected):
    assert labels.reference_amount(D(amount), None if significance is None else D(significance), unit) == expected


def test_a_dv_written_with_a_trailing_zero_keeps_its_level_of_significance():
    # The CFR's 2.0 mg of vitamin B6 in pregnancy: tenths of a mg, as 1.7 mg for adults, not whole mg as "2" would give.
    assert labels.us_amount(D("4.936"), D(2), significance=D("0.1")) == "4.9 mg"
    assert labels.reference_amount(D(2), D("0.1")) == "2.0 mg"
    assert labels.reference_amount(D("0.3"), D("0.1")) == "0.3 mg"  # as the CFR writes it, not "300 mcg"
    assert labels.reference_amount(D(420), None) == "420 mg"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("144", "34%"), ("2", "<1%"), ("2.1", "1%"), ("0", "0%"), ("6.3", "2%"), ("2.52", "1%"), ("441", "105%")],
)
def test_us_percent_dv_is_whole_with_less_than_one_percent(amount, expected):
    assert labels.us_percent_dv(D(amount), D(420)) == expected


def test_under_two_percent_of_the_dv_is_not_declared():
    assert labels.us_is_declared(D("8.4"), D(420))
    assert not labels.us_is_declared(D("8.39"), D(420))


def test_half_rounds_up_as_on_labels():
    assert labels.round_half_up(D("34.5")) == D(35)
    assert labels.percent(D("84.5")) == "85%"


THIRD = D(1) / D(3)


@pytest.mark.parametrize(("fractions", "expected"), [
    ((D("0.375"), D("0.625")), ("37%", "63%")),  # each alone rounds up: 38% and 63% read 101%
    ((THIRD, THIRD, THIRD), ("34%", "33%", "33%")),  # each alone: 33% three times, 99%
    # The same product morning and evening read 26% and 25%: the point goes to the next share that can take it.
    ((D("0.2553"), D("0.2553"), D("0.2287"), D("0.2607")), ("25%", "25%", "23%", "27%")),
    ((D("0.255"), D("0.255"), D("0.49")), ("26%", "25%", "49%")),  # 49% exact: none can take it but the pair's
    ((D("0.004"), D("0.996")), ("<1%", "100%")),
    ((D("0.5"), D("0.5")), ("50%", "50%")),
    ((D(1),), ("100%",)),
    ((None,), ("—",)),
    ((), ()),
])
def test_shares_of_a_whole_read_as_whole_percents_that_add_up_to_100(fractions, expected):
    assert labels.shares_percent(fractions) == expected


@pytest.mark.parametrize(("amounts", "unit", "step", "expected"), [
    # MagTech's 287.26 mg a day read "288 mg" in "From", apportioned, beside its "287 mg" a table above.
    (("287.2566", "327.74"), "mg", "1", ("287 mg", "328 mg")),
    (("112.509", "37.503", "300.003"), "mg", "1", ("113 mg", "38 mg", "300 mg")),
    (("12.3404",), "mg", "0.1", ("12.3 mg",)),  # B6, to its DV's tenths
    (("449.7", "0.3"), "mg", "1", ("450 mg", "0.3 mg")),
    (("0.0125", "0.0125"), "mcg", "1", ("13 mcg", "13 mcg")),  # each as its own: 26 mcg beside a total of 25
])
def test_parts_of_a_total_are_each_written_as_amount_writes_them(amounts, unit, step, expected):
    texts = labels.shares_amounts([D(a) for a in amounts], unit, D(step))

    assert texts == expected
    assert texts == tuple(labels.amount(D(a), unit, D(step)) for a in amounts)


@pytest.mark.parametrize(("total", "parts", "add_up"), [
    ("615 mg", ("287 mg", "328 mg"), True),
    ("451 mg", ("113 mg", "38 mg", "300 mg"), True),
    ("450 mg", ("113 mg", "38 mg", "300 mg"), False),
    ("1,482 mg", ("1,482 mg",), True),
    ("25 mcg", ("13 mcg", "13 mcg"), False),
    ("450 mg", ("450 mg", "<0.01 mg"), False),  # no number to add
    ("1 mg", ("500 mcg", "500 mcg"), False),  # another unit: not told
])
def test_parts_add_up_only_where_their_written_amounts_sum_to_the_total_as_written(total, parts, add_up):
    assert labels.parts_add_up(total, parts) is add_up


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=12))
def test_shares_of_any_amounts_add_up_to_100_percent_each_within_a_point_of_its_own(amounts):
    total = sum(amounts)
    fractions = [D(a) / D(total) for a in amounts]

    texts = labels.shares_percent(fractions)

    points = [0 if t == "<1%" else int(t.removesuffix("%")) for t in texts]
    assert sum(points) == 100
    assert all(abs(p - f * 100) < 1 for p, f in zip(points, fractions))
    unequal = {a for a, text in zip(amounts, texts) if [t for b, t in zip(amounts, texts) if b == a].count(text) != amounts.count(a)}
    assert len(unequal) <= 1  # only a tie no other share could break reads apart


def test_amounts_and_fractions_for_tables():
    assert labels.amount(D("293.997")) == "294 mg"
    assert labels.amount(D("4.938")) == "4.9 mg"
    assert labels.amount(D("0.5")) == "0.5 mg"  # in the nutrient's label unit: it read "500 mcg" of magnesium
    assert labels.amount(D("0.5"), "mcg") == "500 mcg"
    assert labels.amount(D("1500")) == "1,500 mg"
    assert labels.fraction_percent(D("0.0825311")) == "8.25%"
    assert labels.deviation_points(D("0.072"), D("0.0825311")) == "−1.05 pp"
    assert labels.margin(D("-44.003")) == "44 mg over"


@pytest.mark.parametrize(("mg", "shown"), [
    ("0.9996", "1 mg"),  # 999.6 mcg rounds to 1000 mcg: that is 1 mg
    ("0.9994", "999 mcg"),
    ("-0.9996", "-1 mg"),
])
def test_a_compound_mass_that_rounds_to_1000_mcg_reads_in_mg(mg, shown):
    assert labels.mass(D(mg)) == shown


def test_a_mass_beside_another_that_rounds_to_1000_mcg_reads_in_mg():
    assert labels.compound_mass(D("0.99996")) == "1 mg"
    assert labels.compound_mass(D("0.9994")) == "999 mcg"
    assert labels.compound_mass(D("0.9999"), D("0.99")) == "1 mg"  # 0.99 mg with 1% overage read "1,000 mcg"


@pytest.mark.parametrize(("mg", "shown"), [("0.9996", "1.00 mg"), ("0.494", "0.49 mg"), ("0.0325", "0.03 mg"),
                                           ("0.004", "<0.01 mg"), ("4.938", "4.9 mg")])
def test_a_nutrient_declared_in_mg_is_written_in_mg_whatever_its_amount(mg, shown):
    """0.41 mg of B6 read "411 mcg" in the totals and the sentences, "0.41 mg" on the EU table beside them."""
    assert labels.amount(D(mg)) == shown


@pytest.mark.parametrize(("mg", "shown"), [("8.96", "9.0 mg"), ("9", "9 mg"), ("9.00", "9 mg"), ("13.96", "14.0 mg"),
                                           ("4.938", "4.9 mg")])
def test_an_amount_rounded_to_its_step_keeps_the_steps_decimals_as_the_safety_table_does(mg, shown):
    """A stack's 8.96 mg of B6 with overage read "9 mg" in its totals, "9.0 mg" beside its limit in the safety table."""
    assert labels.amount(D(mg), labels.MG, D("0.1")) == shown
    assert labels.limit_amount(D(mg), D(12), labels.MG, D("0.1")) == shown


@pytest.mark.parametrize(("mg", "shown"), [("12.0403", "12.04 mg"), ("12.003", "12.003 mg"), ("11.995", "11.995 mg"),
                                           ("12", "12 mg"), ("8.96", "9.0 mg")])
def test_an_amount_beside_a_limit_it_rounds_to_is_set_apart_however_each_is_written(mg, shown):
    """12.04 mg of B6 read "12.0 mg" in the totals beside the EU's 12 mg, which it is over: the figure rounded
    ("12.0 mg") and the limit exact ("12 mg") were no longer the same words, so no longer found to read alike."""
    assert labels.amount_apart(D(mg), (D(12), D(100)), labels.MG, D("0.1")) == shown


def test_the_reason_is_said_in_words():
    reference = engine.Reference("magnesium", engine.Kind.UL, "EU", "adult", D(250))
    over = engine.Assessment(reference, D("293.997"), D("117.6"), D("-43.997"), engine.Status.OVER)
    ok = engine.Assessment(
        engine.Reference("magnesium", engine.Kind.UL, "US", "adult", D(350)), D(144), D("41.14"), D(206), engine.Status.OK
    )

    assert labels.describe(over, "Magnesium") == (
        "294 mg/day is 44 mg over the EU limit of 250 mg for supplemental magnesium."
    )
    assert labels.describe(ok, "Magnesium") == (
        "144 mg/day is 41% of the US limit of 350 mg for supplemental magnesium: 206 mg to spare."
    )


def test_a_food_only_limit_says_the_supplemental_amount_should_be_none():
    infants = engine.Reference("magnesium", engine.Kind.UL, "US", "infant", None, food_only=True)
    over = engine.Assessment(infants, D(144), None, None, engine.Status.OVER)
    none = engine.Assessment(infants, D(0), None, None, engine.Status.OK)

    assert labels.describe(over, "Magnesium", "infants 0-12 months") == (
        "144 mg/day is over: the US infants 0-12 months limit for supplemental magnesium allows none; it should come "
        "from food and formula only."
    )
    assert labels.describe(none, "Magnesium", "infants 0-12 months") == (
        "None, as the US infants 0-12 months limit for supplemental magnesium asks: it should come from food and "
        "formula only."
    )


@pytest.mark.parametrize(("span", "expected"), [
    ((Decimal(100), Decimal(200)), "100 mg–200 mg"),
    ((Decimal("1000.04"), Decimal("999.96")), "1,000 mg"),
    (None, ""),
])
def test_studied_dose_spans_collapse_when_both_ends_round_alike(span, expected):
    assert labels.compound_span(span) == expected


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_an_amount_is_worded_by_its_value_alone(value):
    """amount() keeps its text per value, so 1.5 and 1.50 must read alike (a Decimal hashes by value)."""
    padded = value.quantize(Decimal("0.00000001"))

    assert labels.amount.__wrapped__(value) == labels.amount.__wrapped__(padded) == labels.amount(padded)


@pytest.mark.parametrize(("value", "expected"), [
    ("570.0000000000000000000000001", "570"),  # the engine's rounding in its 28th digit
    ("0.08253110352062758396334589585", "0.0825311035206"),
    ("150.0119723948154524846728265", "150.011972395"),
    ("1E+3", "1000"),
    ("0.0000024", "0.0000024"),  # 2.4 mcg of vitamin B12, in mg
    ("-4.5", "-4.5"),
])
def test_exports_keep_twelve_significant_digits_without_exponent(value, expected):
    assert labels.export_number(D(value)) == expected


def test_an_export_of_no_value_is_none():
    assert labels.export_number(None) is None


@pytest.mark.parametrize(("amount", "limit", "shown", "margin"), [
    ("13.16", "12.000", "13.2 mg", "1.2 mg over"),  # "13 mg/day is 1.2 mg over 12 mg" did not add up
    # Beside B6's 12 mg, to a hundredth of the limit: "10 mg, 2 mg to spare" was a margin a quarter too large, and
    # "13 mg, 1 mg over" twice the excess.
    ("10.37", "12", "10.4 mg", "1.6 mg to spare"),
    ("12.505", "12", "12.5 mg", "0.5 mg over"),
    ("2.468", "3.2", "2.47 mg", "0.73 mg to spare"),  # not "732 mcg to spare" beside amounts in mg
    ("9.87", "12", "9.9 mg", "2.1 mg to spare"),
    # To tenths, as beside it: "10 mg/day ... 2 mg to spare" read as whole mg, the form the hundredth rule refuses.
    ("9.971", "12", "10.0 mg", "2.0 mg to spare"),
    ("13", "12", "13 mg", "1 mg over"),  # exact: no decimals to show
    ("355.4", "350", "355 mg", "5 mg over"),  # beside magnesium's limits, whole mg
    ("250.2", "250", "250.2 mg", "0.2 mg over"),
    ("293.997", "250", "294 mg", "44 mg over"),
    ("0.5", "2.2", "0.5 mg", "1.7 mg to spare"),  # under 1 mg: in mg, the nutrient's unit, as the limit is
    ("0.4113", "100", "0.41 mg", "99.59 mg to spare"),  # B6: "411 mcg/day ... 99.589 mg to spare" read in two units
])
def test_an_amount_and_its_margin_to_a_limit_add_up_as_shown(amount, limit, shown, margin):
    amount_mg, limit_mg = D(amount), D(limit)

    assert labels.limit_amount(amount_mg, limit_mg) == shown
    assert labels.limit_margin(amount_mg, limit_mg, limit_mg - amount_mg) == margin


@pytest.mark.parametrize(("amount", "limit", "unit", "step", "shown", "margin"), [
    ("0.001", "350", labels.MG, "1", "<0.01 mg", ">349.99 mg to spare"),  # read "0.001 mg ... 349.999 mg to spare"
    ("0.0033", "12.000", labels.MG, "0.1", "<0.01 mg", ">11.99 mg to spare"),  # B6, its limit stored with decimals
    ("0.000001", "0.1", labels.MCG, "1", "<0.01 mcg", ">99.99 mcg to spare"),  # 0.001 mcg of vitamin D
])
def test_a_tiny_amount_beside_a_limit_is_written_as_the_totals_write_it(amount, limit, unit, step, shown, margin):
    """A magnesium total of 0.001 mg read "<0.01 mg" in the totals and "0.001 mg ... 349.999 mg to spare" in the
    safety table below them: one figure written two ways on one page."""
    amount_mg, limit_mg = D(amount), D(limit)

    assert labels.amount(amount_mg, unit, D(step)) == shown
    assert labels.limit_amount(amount_mg, limit_mg, unit, D(step)) == shown
    assert labels.limit_margin(amount_mg, limit_mg, limit_mg - amount_mg, unit, D(step)) == margin


@pytest.mark.parametrize(("names", "text"), [
    ([], ""), (["magnesium"], "magnesium"), (["vitamin B6", "magnesium"], "vitamin B6 and magnesium"),
    (["a", "b", "c"], "a, b and c"),
])
def test_names_are_listed_as_a_sentence_lists_them(names, text):
    assert labels.listed(names) == text


@pytest.mark.parametrize(("name", "text"), [
    ("Magnesium", "magnesium"), ("Vitamin B6", "vitamin B6"), ("L-Theanine", "L-theanine"), ("DL-Malic acid", "DL-malic acid"),
    ("5-HTP", "5-HTP"), ("GABA", "GABA"), ("L-threonate", "L-threonate"), ("", ""), ("CoQ10", "CoQ10"),
    ("N-Acetylcysteine", "N-Acetylcysteine"), ("Magnesium L-threonate", "magnesium L-threonate"),
])
def test_a_name_within_a_sentence_starts_in_lower_case_unless_it_is_an_abbreviation(name, text):
    assert labels.lower_first(name) == text


@pytest.mark.parametrize(("amount_mg", "unit", "shown"), [
    ("0.025", "mcg", "25 µg"),  # vitamin D3: Annex XIII declares it in µg
    ("0.0025", "mcg", "2.5 µg"),
    ("0.0000004", "mcg", "<0.01 µg"),
    ("1.2", "mcg", "1,200 µg"),  # vitamin A: µg from 1 mg too
    ("0.5", "mg", "0.5 mg"),  # copper: mg, though under 1 mg
    ("144", "mg", "144 mg"),
    ("9.96", "mg", "10 mg"),
    ("0.004", "mg", "<0.01 mg"),
])
def test_the_eu_table_declares_an_amount_in_its_annex_xiii_unit(amount_mg, unit, shown):
    assert labels.eu_amount(Decimal(amount_mg), unit) == shown


@pytest.mark.parametrize(("amount_mg", "shown"), [
    ("0.0003", "0.3 mcg"),  # 0.3 mcg of vitamin D read "0 mcg"
    ("0.0054", "5.4 mcg"),
    ("0.005", "5 mcg"),
    ("0.00004", "0.04 mcg"),
    ("0.000004", "<0.01 mcg"),
    ("0.0325", "33 mcg"),
    ("0.494", "494 mcg"),
])
def test_an_amount_under_10_mcg_keeps_a_decimal_and_never_reads_as_none(amount_mg, shown):
    assert labels.amount(Decimal(amount_mg), "mcg") == shown


def test_an_amount_and_its_margin_to_a_limit_in_mcg_add_up():
    """32.5 mcg of vitamin D beside the US's 100 mcg read "33 mcg/day is 33% of the US limit of 100 mcg for vitamin D:
    68 mcg to spare" (33 + 68 = 101)."""
    limit = engine.Reference("vitamin-d", engine.Kind.UL, "US", "adult", Decimal("0.1"), unit="mcg")
    assessment = engine.Assessment(limit, D("0.0325"), D("32.5"), D("0.0675"), engine.Status.OK)

    assert labels.describe(assessment, "Vitamin D") == (
        "33 mcg/day is 33% of the US limit of 100 mcg for supplemental vitamin D: 67 mcg to spare.")


@pytest.mark.parametrize(("percent", "shown"), [
    ("1.67", "1.7%"),  # not declared on the panel: the table must not say 2%
    ("1.5", "1.5%"),
    ("1.4", "1%"),
    ("2", "2%"),
    ("2.4", "2%"),
    ("0.2", "<1%"),
])
def test_a_dv_percent_never_reads_as_the_2_percent_the_panel_declares_from_while_under_it(percent, shown):
    assert labels.dv_percent(Decimal(percent)) == shown


@pytest.mark.parametrize(("amount_mg", "shown"), [("1.092", "1,092 mcg"), ("0.0003", "0.3 mcg"), ("25", "25,000 mcg"),
                                                  ("0", "0 mcg")])
def test_a_nutrient_declared_in_mcg_is_said_in_mcg_whatever_its_amount(amount_mg, shown):
    assert labels.amount(D(amount_mg), "mcg") == shown


def test_a_sentence_about_a_nutrient_declared_in_mcg_keeps_to_mcg():
    """Vitamin A read "901 mcg/day is 30% of the US limit of 3 mg for vitamin A: 2.099 mg to spare", its limit cell
    "3,000 mcg/day"; vitamin D typed in mg, "25 mg/day is 25 mg over the US limit of 100 mcg"."""
    vitamin_a = engine.Reference("vitamin-a", engine.Kind.UL, "US", "adult", D(3), unit="mcg")
    vitamin_d = engine.Reference("vitamin-d", engine.Kind.UL, "US", "adult", D("0.1"), unit="mcg")
    ok = engine.Assessment(vitamin_a, D("0.901"), D("30.03"), D("2.099"), engine.Status.OK)
    over = engine.Assessment(vitamin_d, D(25), D(25000), D("-24.9"), engine.Status.OVER)

    assert labels.describe(ok, "Vitamin A") == (
        "901 mcg/day is 30% of the US limit of 3,000 mcg for supplemental vitamin A: 2,099 mcg to spare.")
    assert labels.describe(over, "Vitamin D") == (
        "25,000 mcg/day is 24,900 mcg over the US limit of 100 mcg for supplemental vitamin D.")


def test_a_compound_under_1_mg_on_the_eu_table_is_in_micrograms_as_its_vitamins_are():
    assert (labels.eu_mass(D("0.1")), labels.eu_mass(D(144))) == ("100 µg", "144 mg")


@pytest.mark.parametrize(("formula_mg", "claimed_mg", "shown"), [
    ("1.25", "1.25", "1.25 mg"),  # no overage: as claimed, not "1.3 mg"
    ("0.1004", "0.1004", "100.4 mcg"),  # 100.4 mcg read "100 mcg", the limit it is over
    ("1.3125", "1.25", "1.31 mg"),  # 5% overage, to the claim's hundredths
    ("2100", "2000", "2,100 mg"),
    ("2100.35", "2000", "2,100.4 mg"),  # never coarser than 0.1 mg
])
def test_a_compound_mass_is_written_no_coarser_than_its_label_claim(formula_mg, claimed_mg, shown):
    assert labels.compound_mass(D(formula_mg), D(claimed_mg)) == shown


def test_a_sentence_writes_its_limit_as_the_limit_cell_does():
    """A limit of 12.5 mg read "the EU limit of 13 mg" in the sentence beside a cell of 12.5 mg."""
    limit = engine.Reference("vitamin-b6", engine.Kind.UL, "EU", "adult", D("12.5"))
    ok = engine.Assessment(limit, D(10), D(80), D("2.5"), engine.Status.OK)

    assert labels.describe(ok, "Vitamin B6") == (
        "10 mg/day is 80% of the EU limit of 12.5 mg for supplemental vitamin B6: 2.5 mg to spare.")


@pytest.mark.parametrize(("cost", "shown"), [
    ("0.014", "$0.014"),  # read "$0.01": 29% less than the serving costs
    ("0.0024", "$0.0024"), ("0.0995", "$0.10"), ("0.57", "$0.57"), ("1234.567", "$1,234.57"), ("0", "$0.00"),
    ("0.00004", "<$0.0001"),  # read "$0.0000", a cost of nothing
])
def test_a_cost_keeps_two_significant_figures_under_ten_cents(cost, shown):
    assert labels.money(Decimal(cost)) == shown


def test_an_eu_label_with_an_ingredient_the_eu_authorises_for_some_consumers_says_whom_it_is_not_for(client):
    """Recover's EU table bore the general statements alone, though L-threonate is authorised for adults other than
    pregnant or lactating women (Reg. (EU) 2024/2694)."""
    from formulator.panels import LABEL_NOT_FOR

    statement = LABEL_NOT_FOR.format(consumers="infants, children, adolescents, pregnant women or lactating women",
                                     compound="magnesium L-threonate")
    recover = client.get("/products/recover/spec.json").json()["labels"]["EU"]["statements"]
    luna = client.get("/products/luna/spec.json").json()["labels"]["EU"]["statements"]

    assert recover[-1] == statement and not any("Not to be consumed" in s for s in luna)
