"""Formula parsing: every hydrate spelling people type gives the right molecular weight."""

import re
from decimal import Decimal

import pytest

from compounds import chemistry
from compounds.chemistry import FormulaParseError, normalise_formula, parse_formula


@pytest.mark.parametrize(
    "spelling",
    ["MgCl2·6H2O", "MgCl2.6H2O", "MgCl2(H2O)6", "MgCl2 6H2O", "MgCl2 · 6H2O", "MgCl2•6H2O", "MgCl2*6H2O", "MgCl₂·6H₂O",
     "MgCl2·6 H2O", "MgCl2 · 6 H2O",  # a space between the count and its group
     "MgCl2・6H2O", "MgCl2･6H2O"],  # the Japanese middle dots, full and half width
)
def test_every_hydrate_spelling_of_magnesium_chloride_hexahydrate_weighs_203_3(spelling):
    parsed = parse_formula(spelling)

    assert round(parsed.molecular_weight, 1) == Decimal("203.3")
    assert parsed.atoms == {"Mg": 1, "Cl": 2, "H": 12, "O": 6}


@pytest.mark.parametrize(("spelling", "weight", "percent"), [
    ("MgCl2·0.5H2O", "104.21", "23.32"), ("MgCl2.0.5H2O", "104.21", "23.32"), ("MgCl2 0.5H2O", "104.21", "23.32"),
    ("MgCl2*0.5H2O", "104.21", "23.32"), ("MgHPO4·1.5H2O", "147.31", "16.50"), ("MgHPO4 · 1.5 H2O", "147.31", "16.50"),
])
def test_a_fractional_hydrate_counts_its_water_as_written_never_ten_times_it(spelling, weight, percent):
    """Split at its point, "0.5H2O" read as 5 waters: 185.29 g/mol and 13.12% magnesium, under half the truth."""
    parsed = parse_formula(spelling)

    assert abs(parsed.molecular_weight - Decimal(weight)) < Decimal("0.02")
    assert round(parsed.element_fraction("Mg") * 100, 2) == Decimal(percent)
    assert parsed.normalised in ("MgCl2(H2O)0.5", "MgHPO4(H2O)1.5")


def test_a_point_straight_after_a_count_is_still_the_separator():
    assert parse_formula("MgCl2.6H2O").atoms == {"Mg": 1, "Cl": 2, "H": 12, "O": 6}


def test_normalise_rewrites_adducts_as_bracketed_groups():
    assert normalise_formula("Mg3(C6H5O7)2·9H2O") == "Mg3(C6H5O7)2(H2O)9"
    assert normalise_formula("C8H11NO3·HCl") == "C8H11NO3(HCl)"
    assert normalise_formula("  MgO ") == "MgO"


def test_magnesium_fraction_of_l_threonate_is_8_25_percent_by_formula():
    parsed = parse_formula("C8H14MgO10")

    assert round(parsed.molecular_weight, 1) == Decimal("294.5")
    assert round(parsed.element_fraction("Mg") * 100, 2) == Decimal("8.25")


def test_three_magnesium_atoms_count_three_times():
    parsed = parse_formula("Mg3(C6H5O7)2")

    assert round(parsed.element_fraction("Mg") * 100, 2) == Decimal("16.16")


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "Enter a molecular formula"),
        ("   ", "Enter a molecular formula"),
        ("·", "Enter a molecular formula"),
        (" . ", "Enter a molecular formula"),
        ("MgQ2", "not a molecular formula"),
        ("Xx", "not a molecular formula"),
        ("Mg(OH", "not a molecular formula"),
        ("mgo", "with a capital letter"),
        ("Mg-O", "only element symbols"),
        ("6H2O", chemistry.ERROR_FORMULA_COUNTED),
        # A separator with nothing on one side is a slip, not a hydrate: refused, not read as MgCl2·6H2O.
        ("MgCl2··6H2O", chemistry.ERROR_EMPTY_GROUP),
        ("MgCl2·6H2O·", chemistry.ERROR_EMPTY_GROUP),
        ("·MgCl2", chemistry.ERROR_EMPTY_GROUP),
        ("MgCl2·6", chemistry.ERROR_COUNT_ALONE),
        # A count joins its group across a space only: across a point these read as 65.5, 152 and 12.3 waters.
        ("MgCl2·6.5.5H2O", chemistry.ERROR_COUNT_ALONE),
        ("MgCl2·1.5·2H2O", chemistry.ERROR_COUNT_ALONE),
        ("MgCl2·1.2.3H2O", chemistry.ERROR_COUNT_ALONE),
        ("MgCl2·0H2O", chemistry.ERROR_COUNT_ZERO),
        ("[24Mg]O", chemistry.ERROR_ISOTOPE),
        ("MgD2", chemistry.ERROR_ISOTOPE),  # molmass weighs D as hydrogen-2: magnesium read 85.8% of it
        ("6H2O·MgCl2", chemistry.ERROR_COUNT_FIRST),
        ("H2O·MgCl2", chemistry.ERROR_COUNT_FIRST),  # accepted, the water taken for the salt
        ("(H2O)6·MgCl2", chemistry.ERROR_COUNT_FIRST),
        ("MgCl2·0.0001H2O", chemistry.ERROR_COUNT_PRECISION),
    ],
)
def test_formulas_that_do_not_parse_raise_a_readable_error(text, message_part):
    with pytest.raises(FormulaParseError, match=re.escape(message_part)):
        parse_formula(text)


@pytest.mark.parametrize("text", ["C4H8Mg1000000000000000000000N2O4", "Mg999999999999999999O", "MgCl2·100000H2O"])
def test_a_formula_heavier_than_any_ingredient_is_refused_as_a_slip_in_its_counts(text):
    """A curator saved bisglycinate as C4H8Mg1000000000000000000000N2O4: weighed as 100% magnesium, it put MoodFlow's
    851 mg of it down as 851 mg of magnesium."""
    with pytest.raises(FormulaParseError) as caught:
        parse_formula(text)

    assert str(caught.value) == chemistry.ERROR_TOO_HEAVY.format(formula=text)


def test_the_heaviest_seed_ingredients_are_weighed():
    assert parse_formula("C36H70MgO4").molecular_weight.quantize(Decimal("0.01")) == Decimal("591.25")  # stearate
    assert parse_formula("C63H88CoN14O14P").molecular_weight < chemistry.MAX_MOLECULAR_WEIGHT  # cyanocobalamin


@pytest.mark.parametrize(("text", "reason"), [
    ("Mg(", chemistry.REASON_UNCLOSED),
    ("Mg(OH", chemistry.REASON_UNCLOSED),
    ("Mg)Cl2(", chemistry.REASON_UNOPENED),
    ("MgCl2)", chemistry.REASON_UNOPENED),
    ("Mg(OH]2", chemistry.REASON_MISMATCHED.format(opened="(", closed="]")),
])
def test_brackets_that_do_not_pair_are_said_in_words(text, reason):
    """molmass's "missing closing parenthesis ')]}>'" reached the curator, for "Mg)Cl2(" too, where one is unopened."""
    with pytest.raises(FormulaParseError) as caught:
        parse_formula(text)

    assert str(caught.value) == chemistry.ERROR_UNPARSEABLE.format(formula=text, reason=reason)


def test_a_message_quotes_the_formula_as_typed_and_no_bracket_the_user_did_not_type():
    with pytest.raises(FormulaParseError) as caught:
        parse_formula("MgCl2·6 Q2O")

    assert "“MgCl2·6 Q2O”" in str(caught.value) and "parenthesis" not in str(caught.value)


def test_asking_for_an_element_the_formula_lacks_names_it():
    with pytest.raises(FormulaParseError) as caught:
        parse_formula("C2H5NO2").element_fraction("Mg")

    assert str(caught.value) == chemistry.ERROR_NO_ELEMENT.format(formula="C2H5NO2", symbol="Mg")


@pytest.mark.parametrize("spelling", ["4MgCO3·Mg(OH)2·5H2O", "(MgCO3)4·Mg(OH)2·5H2O", "4MgCO3.Mg(OH)2.5H2O"])
def test_basic_magnesium_carbonate_reads_with_its_first_group_counted_as_the_pharmacopoeias_write_it(spelling):
    """"4MgCO3·Mg(OH)2·5H2O" was refused: "Write the compound first", which it is. 4 × 84.31 + 58.32 + 5 × 18.02."""
    parsed = parse_formula(spelling)

    assert parsed.molecular_weight.quantize(Decimal("0.01")) == Decimal("485.65")
    assert (parsed.element_fraction("Mg") * 100).quantize(Decimal("0.01")) == Decimal("25.02")
    assert normalise_formula(spelling) == "(MgCO3)4(Mg(OH)2)(H2O)5"


@pytest.mark.parametrize("formula", ["MgCl2·6H20", "MgCl2.6H20", "MgCl2*6 H20", "MgO·H20",
                                     # the bracket spelling too, and water written first
                                     "MgCl2(H20)6", "MgCl2·6(H20)", "6H20·MgCl2"])
def test_water_typed_with_a_zero_is_refused_not_weighed_as_twenty_hydrogens(formula):
    """MgCl2·6H20 was weighed as 216.16 g/mol, 11.24% magnesium for the hexahydrate's 11.96%."""
    from compounds.chemistry import ERROR_WATER_ZERO

    with pytest.raises(FormulaParseError) as raised:
        parse_formula(formula)

    assert str(raised.value) == ERROR_WATER_ZERO


@pytest.mark.parametrize("formula", ["Mg1.5O", "Mg1.5O2", "Mg0.5(O)", "Mg1.5PO4", "Mg2.5(PO4)", "Mg1.5(OH)3",
                                     "CaCl2.2NH3"])
def test_a_decimal_count_inside_a_formula_is_refused_not_read_as_a_hydrate(formula):
    """Mg1.5O was weighed as Mg·5O (136.30 g/mol, 17.8% magnesium) and Mg1.5PO4 as Mg(PO4)5 (499 g/mol)."""
    from compounds.chemistry import ERROR_DECIMAL_SUBSCRIPT

    with pytest.raises(FormulaParseError) as raised:
        parse_formula(formula)

    assert str(raised.value) == ERROR_DECIMAL_SUBSCRIPT


@pytest.mark.parametrize(("formula", "weight"), [("MgCl2.6H2O", "203.30"), ("MgHPO4·1.5H2O", "147.31"),
                                                  ("MgHPO4.1.5H2O", "147.31"), ("4MgCO3·Mg(OH)2·5H2O", "485.65"),
                                                  ("4MgCO3.Mg(OH)2.5H2O", "485.65"), ("MgSO4 7H2O", "246.47"),
                                                  ("Mg3(C6H5O7)2.9H2O", "613.25"), ("CaCl2·2NH3", "145.04"),
                                                  ("KI·I2", "419.81")])
def test_hydrates_written_with_a_point_or_a_space_still_weigh_as_hydrates(formula, weight):
    assert f"{parse_formula(formula).molecular_weight:.2f}" == weight


def test_twenty_hydrogens_in_a_compounds_own_formula_are_read_as_written():
    assert parse_formula("C10H20O2").atoms["H"] == 20


@pytest.mark.parametrize("formula", ["2MgO", "1MgO"])
def test_a_formula_with_a_count_before_it_is_refused_in_words(formula):
    """molmass's "unknown isotope '2Mg'" was shown."""
    from compounds.chemistry import ERROR_FORMULA_COUNTED

    with pytest.raises(FormulaParseError) as raised:
        parse_formula(formula)

    assert str(raised.value) == ERROR_FORMULA_COUNTED


@pytest.mark.parametrize("formula", ["MgHPO4·1,5H2O", "MgCl2·0,5H2O"])
def test_a_decimal_comma_in_a_count_is_named(formula):
    """It was told only which characters a formula may hold."""
    from compounds.chemistry import ERROR_DECIMAL_COMMA

    with pytest.raises(FormulaParseError) as raised:
        parse_formula(formula)

    assert str(raised.value) == ERROR_DECIMAL_COMMA


@pytest.mark.parametrize(("formula", "symbol"), [("Mg(Gly)2", "Gly"), ("Mg(Asp)2", "Asp"), ("Mg(Cit)", "Cit"),
                                                 ("Mg(Gly)2·2H2O", "Gly"), ("MgMe2", "Me")])
def test_an_abbreviation_molmass_would_expand_is_refused_not_weighed_as_some_other_group(formula, symbol):
    """Mg(Gly)2 was weighed as two glycine residues: 17.56% magnesium, where the bisglycinate has 14.10%."""
    from compounds.chemistry import ERROR_NOT_ELEMENT

    with pytest.raises(FormulaParseError) as error:
        parse_formula(formula)

    assert str(error.value) == ERROR_NOT_ELEMENT.format(symbol=symbol)


@pytest.mark.parametrize(("formula", "symbol", "name"), [("Mg(OAc)2", "Ac", "actinium"), ("MgPo", "Po", "polonium"),
                                                         ("Tc2O7", "Tc", "technetium")])
def test_a_radioactive_element_is_refused_as_the_abbreviation_it_almost_always_is(formula, symbol, name):
    """Mg(OAc)2, the acetate, was weighed with actinium: 510 g/mol and 4.76% magnesium, where the acetate has 17.07%."""
    from compounds.chemistry import ERROR_RADIOACTIVE

    with pytest.raises(FormulaParseError) as error:
        parse_formula(formula)

    assert str(error.value) == ERROR_RADIOACTIVE.format(symbol=symbol, name=name)


@pytest.mark.parametrize("formula", ["Mg()", "Mg[]2", "MgCl2·()6"])
def test_an_empty_bracket_is_refused_not_read_as_nothing(formula):
    """Mg() was saved as pure magnesium, 100%."""
    from compounds.chemistry import ERROR_EMPTY_BRACKETS

    with pytest.raises(FormulaParseError) as error:
        parse_formula(formula)

    assert str(error.value) == ERROR_EMPTY_BRACKETS


def test_the_acetate_and_bisglycinate_written_out_weigh_as_the_reference_says():
    assert parse_formula("Mg(C2H3O2)2").element_fraction("Mg") == pytest.approx(Decimal("0.1707"), abs=Decimal("0.0001"))
    assert parse_formula("Mg(C2H4NO2)2").element_fraction("Mg") == pytest.approx(Decimal("0.1410"), abs=Decimal("0.0001"))


@pytest.mark.parametrize("formula", ["mgcl2·6h2o", "mgO", "MGCL2", "MGO", "MG(OH)2"])
def test_a_formula_in_small_letters_or_all_capitals_says_how_symbols_are_written(formula):
    """"mgcl2·6h2o" said "unexpected character 'm'", and "MGCL2" "unknown symbol 'L'"."""
    from compounds.chemistry import ERROR_CAPITALS

    with pytest.raises(FormulaParseError) as caught:
        parse_formula(formula)

    assert str(caught.value) == ERROR_CAPITALS


@pytest.mark.parametrize("formula", ["CO2", "NaCl", "MgO", "C8H14MgO10"])
def test_formulas_of_one_letter_symbols_or_written_right_still_parse(formula):
    assert parse_formula(formula).molecular_weight > 0


@pytest.mark.parametrize("spelling", ["(MgCl2·6H2O)", "[MgCl2·6H2O]", "( MgCl2.6H2O )", "((MgCl2*6H2O))"])
def test_a_hydrate_in_brackets_as_a_sentence_writes_it_is_the_hydrate(spelling):
    """Split at its dot into "(MgCl2" and "6H2O)", it was weighed as (MgCl2(H2O))6: 679.36 g/mol, 21.47% magnesium."""
    parsed = parse_formula(spelling)

    assert round(parsed.molecular_weight, 2) == Decimal("203.30")
    assert round(parsed.element_fraction("Mg") * 100, 2) == Decimal("11.96")
    assert parsed.normalised == "MgCl2(H2O)6"


@pytest.mark.parametrize("text", ["(MgCl2·6H2O)2", "Mg(OH)2·(MgCO3·H2O)4", "[MgCl2·6H2O](H2O)"])
def test_a_hydrate_separator_inside_brackets_is_refused_not_weighed_across_them(text):
    with pytest.raises(FormulaParseError) as caught:
        parse_formula(text)

    assert str(caught.value) == chemistry.ERROR_SEPARATOR_IN_BRACKETS


def test_an_empty_bracket_is_still_said_to_hold_nothing():
    with pytest.raises(FormulaParseError) as caught:
        parse_formula("()")

    assert str(caught.value) == chemistry.ERROR_EMPTY_BRACKETS


@pytest.mark.parametrize(("text", "suggested"), [
    ("MgS04·7H2O", "MgSO4·7H2O"),  # weighed as MgS4·7H2O: 8.72% magnesium for 9.86%
    ("MgC03", "MgCO3"),  # weighed as MgC3: 40.28% for 28.83%
    ("MgC0₃", "MgCO₃"),
    ("Mg0", "MgO"),
    ("Mg(0H)2", "Mg(OH)2"),
])
def test_a_zero_typed_for_the_letter_o_is_refused_with_the_formula_meant(text, suggested):
    with pytest.raises(FormulaParseError) as caught:
        parse_formula(text)

    assert str(caught.value) == chemistry.ERROR_ZERO_FOR_O.format(formula=text, suggested=suggested)


@pytest.mark.parametrize("text", ["MgCl2·0.5H2O", "MgCl2 0.5H2O", "C10H20O2", "Mg(C2H4NO2)2·10H2O"])
def test_a_zero_inside_a_count_or_a_hydrates_count_is_read_as_a_zero(text):
    assert parse_formula(text).molecular_weight > 0
