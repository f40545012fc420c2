"""Label texts that must not contradict themselves: safety rows at a limit, small compound masses, the EU table."""

import json
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compounds.models import Compound
from formulator import engine, labels, panels, presenters
from formulator.models import Product
from tests.factories import ProductFactory, ProductLineFactory
from tests.test_workbench import HX, recover_post

D = Decimal
EU_UL = engine.Reference("magnesium", engine.Kind.UL, "EU", "adult", D(250))
THREONATE_MG = D("0.072")  # magnesium L-threonate, 7.2% magnesium as specified in the seed library


def eu_assessment(compound_mg: str) -> engine.Assessment:
    """Magnesium L-threonate per day against the EU limit, as the engine assesses it."""
    day = {"magnesium": D(compound_mg) * THREONATE_MG}
    return engine.assess([EU_UL], day, day, day)[0]


def cells(assessment: engine.Assessment) -> tuple[str, str, str, str]:
    row = presenters.safety_row(assessment, {}, "")
    return row.amount_text, row.percent_text, row.margin_text, row.status


@pytest.mark.parametrize(("compound_mg", "expected"), [
    # 250.2 mg: was "250 mg | 100% | 200 mcg over | over", an amount reading as the limit yet over it. The margin is
    # rounded as the amount is, in its unit, so the two add up to the limit (it read "200 mcg over").
    ("3475", ("250.2 mg", "100.1%", "0.2 mg over", "over")),
    # 250.0000056 mg: was "250 mg | 100% | 0 mcg over".
    ("3472.2223", ("250.00001 mg", "100.000002%", "0.00001 mg over", "over")),
    # 249.9999984 mg: was "250 mg | 100% | 0 mcg to spare".
    ("3472.2222", ("249.999998 mg", "99.999999%", "0.000002 mg to spare", "near")),
    # 249.768 mg: was "250 mg | 100% | 232 mcg to spare", which with 249.8 mg did not add up to 250 mg.
    ("3469", ("249.8 mg", "99.9%", "0.2 mg to spare", "near")),
    ("2000", ("144 mg", "58%", "106 mg to spare", "ok")),  # far from the limit: rounded as before
    ("4000", ("288 mg", "115%", "38 mg over", "over")),
])
def test_a_safety_row_near_its_limit_never_reads_as_the_limit_or_a_zero_margin(compound_mg, expected):
    assert cells(eu_assessment(compound_mg)) == expected


def test_an_amount_at_the_limit_reads_as_the_limit_with_nothing_to_spare():
    at_limit = engine.assess([EU_UL], {"magnesium": D(250)}, {"magnesium": D("250.000")}, {})[0]

    assert cells(at_limit) == ("250 mg", "100%", "0 mg to spare", "near")
    assert labels.describe(at_limit, "Magnesium") == (
        "250 mg/day is 100% of the EU limit of 250 mg for supplemental magnesium: 0 mg to spare."
    )


@pytest.mark.parametrize(("compound_mg", "reason"), [
    ("3475", "250.2 mg/day is 0.2 mg over the EU limit of 250 mg for supplemental magnesium."),
    ("3472.2223", "250.00001 mg/day is 0.00001 mg over the EU limit of 250 mg for supplemental magnesium."),
    ("3472.2222", "249.999998 mg/day is 99.999999% of the EU limit of 250 mg for supplemental magnesium: "
                  "0.000002 mg to spare."),
])
def test_the_reason_says_what_the_cells_say(compound_mg, reason):
    assessment = eu_assessment(compound_mg)
    amount, percent, margin, _ = cells(assessment)

    assert labels.describe(assessment, "Magnesium") == reason
    assert reason.startswith(f"{amount}/day is ")
    assert margin.removesuffix(" over").removesuffix(" to spare") in reason
    assert percent in reason or assessment.status == engine.Status.OVER


def test_a_per_dose_limit_is_worded_apart_from_it_too():
    dose_max = engine.Reference("magnesium", engine.Kind.MAX, "DE", "adult", D(125), per=engine.Per.DOSE)
    assessment = engine.assess([dose_max], {"magnesium": D(250)}, {"magnesium": D(250)}, {"magnesium": D("125.3")})[0]

    assert labels.describe(assessment, "Magnesium") == (
        "125.3 mg in one dose is 0.3 mg over the DE maximum for supplements of 125 mg a dose for supplemental magnesium."
    )


@pytest.mark.parametrize(("amount", "limit", "expected"), [
    # Under 1 mg of B6 the margin was rounded on its own, to whole mg from 10 mg: "12 mg to spare", the limit itself;
    # then the amount was said in mcg beside a limit and a margin in mg ("494 mcg/day ... 11.506 mg to spare"). Now
    # all three in mg, B6's label unit, as its EU table writes it ("0.49 mg"), and adding up to the limit.
    ("0.4937", "12", "0.49 mg/day is 4% of the EU limit of 12 mg for vitamin B6: 11.51 mg to spare."),
    ("0.4937", "100", "0.49 mg/day is <1% of the EU limit of 100 mg for vitamin B6: 99.51 mg to spare."),
    ("0.0823", "6.1", "0.08 mg/day is 1% of the EU limit of 6.1 mg for vitamin B6: 6.02 mg to spare."),
    ("0.823", "12", "0.82 mg/day is 7% of the EU limit of 12 mg for vitamin B6: 11.18 mg to spare."),
    ("0.9", "1.2", "0.9 mg/day is 75% of the EU limit of 1.2 mg for vitamin B6: 0.3 mg to spare."),
    ("0.82269", "30", "0.82 mg/day is 3% of the EU limit of 30 mg for vitamin B6: 29.18 mg to spare."),
    ("0.0329", "12", "0.03 mg/day is <1% of the EU limit of 12 mg for vitamin B6: 11.97 mg to spare."),
    # Never as nothing: "0 mg/day ... 12 mg to spare", where the totals said "<0.01 mg"; nor as "0.003 mg/day ...
    # 11.997 mg to spare" beside those totals: as they write it, and the margin to the same hundredth.
    ("0.0033", "12", "<0.01 mg/day is <1% of the EU limit of 12 mg for vitamin B6: >11.99 mg to spare."),
])
def test_the_margin_beside_an_amount_under_1_mg_is_written_as_beside_the_limit(amount, limit, expected):
    ul = engine.Reference("vitamin-b6", engine.Kind.UL, "EU", "adult", D(limit), covers="total")
    day = {"vitamin-b6": D(amount)}
    assessment = engine.assess([ul], day, day, day)[0]

    assert labels.describe(assessment, "Vitamin B6") == expected


def test_an_amount_just_short_of_where_near_starts_does_not_read_as_it():
    """199.9999 mg is 79.99996% of 250 mg, ok: the sentence read "200 mg/day is 79.99996% ...", and 200 mg is 80%."""
    ul = engine.Reference("magnesium", engine.Kind.UL, "EU", "adult", D(250))
    day = {"magnesium": D("199.9999")}
    assessment = engine.assess([ul], day, day, day)[0]

    assert assessment.status == engine.Status.OK
    assert labels.describe(assessment, "Magnesium") == (
        "199.9999 mg/day is 79.99996% of the EU limit of 250 mg for supplemental magnesium: 50.0001 mg to spare.")


@pytest.mark.parametrize(("value", "limit", "expected"), [
    ("250.2", "250", "250.2 mg"),
    ("249.5", "250", "249.5 mg"),  # halves go up: 250, the limit, at whole mg
    ("249.96", "250", "249.96 mg"),  # 250.0 at 0.1 mg
    ("250.6", "250", "251 mg"),  # reads apart from the limit already
    ("250", "250", "250 mg"),
    ("0.9996", "1", "0.9996 mg"),  # 1.00 mg at 0.01 mg: the limit itself
    ("144", None, "144 mg"),  # no limit set: as amount() words it
])
def test_a_limit_amount_gets_the_decimals_that_tell_it_from_the_limit(value, limit, expected):
    assert labels.limit_amount(D(value), None if limit is None else D(limit)) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("100", "100%"), ("100.08", "100.1%"), ("99.96", "99.96%"), ("99.5", "99.5%"), ("100.5", "101%"),
    ("58.4", "58%"), ("0.2", "<1%"), (None, "—"),
])
def test_a_percentage_of_a_limit_reads_100_percent_only_at_the_limit(value, expected):
    assert labels.limit_percent(None if value is None else D(value)) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("-0.2", "0.2 mg over"), ("-0.0002", "0.0002 mg over"), ("0.0000016", "0.000002 mg to spare"),
    ("0", "0 mg to spare"), ("-44.003", "44 mg over"), (None, "—"),
])
def test_a_margin_that_is_not_zero_never_reads_zero(value, expected):
    assert labels.margin(None if value is None else D(value)) == expected


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
       st.sampled_from([D(0), D(250), D("1.4"), D(12)]))
def test_an_amount_beside_another_is_worded_by_the_values_alone(value, other):
    """amount_beside() keeps its text per pair of values, so 1.5 and 1.50 must read alike."""
    padded = value.quantize(D("0.00000001"))

    assert labels.amount_beside.__wrapped__(value, other) == labels.amount_beside.__wrapped__(padded, other)
    assert labels.amount_beside(padded, other) == labels.amount_beside.__wrapped__(value, other)


@given(st.decimals(min_value=D("0.0001"), max_value=10**5, places=4, allow_nan=False, allow_infinity=False),
       st.sampled_from([D(250), D(12), D("1.4")]))
def test_an_amount_unequal_to_its_limit_never_reads_as_it(value, limit):
    shown = labels.limit_amount(value, limit)

    assert (shown == labels.amount(limit)) == (value == limit)


@pytest.mark.django_db
def test_the_workbench_row_at_250_2_mg_reads_apart_from_the_limit(client):
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "3475"}), **HX).content.decode()
    row = re.search(r'<tr class="status-over" data-market="EU" data-nutrient="Magnesium">(.*?)</tr>', html, re.S)

    assert row is not None
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]
    assert texts[2:4] == ["250.2 mg", "100.1%"]
    assert texts[4] == "0.2 mg over"
    assert texts[5].startswith("over 250.2 mg/day is 0.2 mg over the EU limit of 250 mg for supplemental magnesium.")


# Compound masses ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("0.03", "30 mcg"), ("0.0304", "30 mcg"), ("0.0004", "0.4 mcg"), ("0.96", "960 mcg"), ("0", "0 mg"),
    ("1", "1 mg"), ("12.34", "12.3 mg"), ("2000", "2,000 mg"),
])
def test_a_compound_mass_under_1_mg_is_in_mcg_never_0_mg(value, expected):
    assert labels.compound_mass(D(value)) == expected


def test_a_span_of_small_compound_masses_is_in_mcg():
    assert labels.compound_span((D("0.03"), D("0.05"))) == "30 mcg–50 mcg"


@pytest.mark.django_db
def test_a_30_mcg_line_shows_its_formula_amount_in_mcg_on_the_page_and_the_sheet(client):
    product = ProductFactory(markets=["US"])
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="melatonin"), amount=D(30), unit="mcg")

    for url in (f"/products/{product.slug}/", f"/products/{product.slug}/spec/"):
        html = client.get(url).content.decode()
        assert re.search(r'<td class="(num|r)">30 mcg</td>', html), url
        assert re.search(r'<td class="(num|r)">0 mg</td>', html) is None, url


# The EU table ------------------------------------------------------------------------------------------------------

def eu_rows(client, product: Product) -> list[dict[str, str]]:
    return json.loads(client.get(f"/products/{product.slug}/spec.json").content)["labels"]["EU"]["rows"]


@pytest.mark.django_db
@pytest.mark.parametrize(("population", "percent"), [("infant", "—"), ("child-1-3", "—"), ("adult", "27%")])
def test_magnesium_is_declared_in_the_eu_table_whether_or_not_its_population_has_an_nrv(client, population, percent):
    product = ProductFactory(markets=["EU"], population=population)
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-bisglycinate"), amount=D("709.5"))
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="l-theanine"), amount=D(100))

    assert eu_rows(client, product) == [
        {"name": "Magnesium", "amount_per_day": "100 mg", "percent_nrv": percent},
        {"name": "L-Theanine", "amount_per_day": "100 mg", "percent_nrv": "—"},  # no NRV anywhere: by its compound
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("mg", "shown"), [("1.2", "0.99 mg"), ("0.006", "<0.01 mg"), ("6", "4.9 mg")])
def test_a_vitamin_in_the_eu_table_is_declared_in_mg_even_under_1_mg(client, mg, shown):
    product = ProductFactory(markets=["EU"])
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="pyridoxine-hydrochloride"), amount=D(mg))

    assert eu_rows(client, product)[0]["amount_per_day"] == shown


@pytest.mark.django_db
def test_a_vitamin_declared_in_micrograms_is_so_on_both_labels_to_the_dvs_whole_mcg(client, vitamin_d):
    """25 mcg of vitamin D read "30 mcg" beside 125% on the US panel (10 mcg steps, from its DV's 0.02 mg), and
    "0.03 mg" on the EU table."""
    product = ProductFactory(markets=["US", "EU"])
    ProductLineFactory(product=product, compound=vitamin_d, amount=D(25), unit="mcg")
    labels_ = json.loads(client.get(f"/products/{product.slug}/spec.json").content)["labels"]

    assert [(r["name"], r["amount"], r["percent_dv"]) for r in labels_["US"]["rows"]] == [
        ("Vitamin D (as cholecalciferol)", "25 mcg", "125%")]
    assert labels_["EU"]["rows"] == [{"name": "Vitamin D", "amount_per_day": "25 µg", "percent_nrv": "500%"}]


@pytest.mark.django_db
def test_the_safety_table_lists_nutrients_in_label_order_within_each_market(client, vitamin_d):
    """Vitamin D's limits came after magnesium's (by slug) while the totals and the panel put it first."""
    product = ProductFactory(markets=["US", "EU"])
    ProductLineFactory(product=product, compound=vitamin_d, amount=D(25), unit="mcg")
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-bisglycinate"), amount=D(1000))
    html = client.get(product.get_absolute_url()).content.decode()
    safety = html[html.index('id="safety-table"'):]

    assert re.findall(r'<tr class="status-\w+" data-market="(\w+)" data-nutrient="([^"]+)"', safety) == [
        ("US", "Vitamin D"), ("US", "Magnesium"), ("EU", "Vitamin D"), ("EU", "Magnesium")]


@pytest.mark.django_db
def test_a_vitamin_left_off_the_panel_under_2_percent_is_not_said_to_be_2_percent(client, vitamin_d):
    product = ProductFactory(markets=["US"])
    ProductLineFactory(product=product, compound=vitamin_d, amount=D("0.334"), unit="mcg")  # 1.67% of 20 mcg
    sheet = json.loads(client.get(f"/products/{product.slug}/spec.json").content)
    html = client.get(product.get_absolute_url()).content.decode()
    dv_row = re.search(r'DV 20 mcg.*?</tr>', html, re.S).group(0)

    assert sheet["labels"]["US"]["not_declared"] == ["Vitamin D"]
    assert re.findall(r'data-label="% a (?:serving|day)">([^<]+)<', dv_row) == ["1.7%", "1.7%"]


@pytest.mark.django_db
def test_a_nutrient_declared_in_mcg_reads_in_mcg_on_the_product_page(client, vitamin_d):
    """Vitamin D typed as 1.25 mg (50,000 IU) read "1.3 mg" in the totals and "1.25 mg/day is 1.15 mg over the US
    limit of 100 mcg", beside a panel in mcg."""
    product = ProductFactory(markets=["US"])
    ProductLineFactory(product=product, compound=vitamin_d, amount=D("1.25"), unit="mg")
    html = client.get(product.get_absolute_url()).content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert re.search(r'<tr data-nutrient="vitamin-d"><td>Vitamin D</td><td class="num">1,250 mcg</td>', html)
    assert "1,250 mcg/day is 1,150 mcg over the US limit of 100 mcg for vitamin D." in page
    assert "Vitamin D 1,250 mcg" in page  # the line's own figure
    assert "Cholecalciferol 1.25 mg 0% 1.25 mg" in page  # weighed out as claimed, not "1.3 mg"


@pytest.mark.django_db
def test_a_us_panel_warns_where_no_dv_is_recorded_for_the_designs_population(client, vitamin_d):
    """Vitamin D's DV entered for adults only: a product for children 4-8 printed it "† Daily Value not established"."""
    from formulator.panels import LABEL_NO_DV_FOR_POPULATION

    product = ProductFactory(markets=["US"], population="child-4-8")
    ProductLineFactory(product=product, compound=vitamin_d, amount=D(10), unit="mcg")
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-bisglycinate"), amount=D(500))
    adult = ProductFactory(markets=["US"])
    ProductLineFactory(product=adult, compound=vitamin_d, amount=D(10), unit="mcg")

    warning = json.loads(client.get(f"/products/{product.slug}/spec.json").content)["labels"]["US"]["warning"]
    adults = json.loads(client.get(f"/products/{adult.slug}/spec.json").content)["labels"]["US"]["warning"]

    assert warning == LABEL_NO_DV_FOR_POPULATION.format(nutrients="vitamin D", population="children 4-8 years", them="it")
    assert adults is None  # magnesium's DV is recorded for every population, and vitamin D's for adults


# The recommended daily portion -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("servings", "serving_size", "expected"), [
    ("1", 2, "2 capsules"),
    ("2.00", 2, "4 capsules (2 capsules, 2 times a day)"),
    ("1.5", 2, "3 capsules (1.5 servings of 2 capsules)"),
    ("0.50", 2, "1 capsule (half a serving of 2 capsules)"),
    ("0.25", 4, "1 capsule (0.25 servings of 4 capsules)"),
    ("2", 1, "2 capsules (1 capsule, 2 times a day)"),
])
def test_a_daily_portion_says_a_fraction_of_servings_plainly(servings, serving_size, expected):
    product = Product(dosage_form="capsule", serving_size=serving_size, servings_per_day=D(servings))

    assert panels.daily_portion(product) == expected


@pytest.mark.django_db
def test_the_eu_statements_give_a_fractional_daily_portion_plainly(client):
    product = ProductFactory(markets=["EU"], serving_size=2, servings_per_day=D("1.5"))
    ProductLineFactory(product=product)

    eu = json.loads(client.get(f"/products/{product.slug}/spec.json").content)["labels"]["EU"]

    assert eu["daily_portion"] == "3 capsules (1.5 servings of 2 capsules)"
    assert "Recommended daily portion: 3 capsules (1.5 servings of 2 capsules)." in eu["statements"]



@pytest.mark.parametrize(("value", "expected"), [("79.6", "79.6%"), ("79.99", "79.99%"), ("80", "80%"), ("79.4", "79%")])
def test_a_percentage_just_under_where_near_starts_does_not_read_as_80_percent(value, expected):
    # "80%" beside an ok status would contradict it: near starts at 80% of a limit (engine.NEAR_FRACTION).
    assert labels.limit_percent(D(value)) == expected


def _nutrients(*names: str) -> dict:
    from compounds.models import Nutrient

    return {name.lower().replace(" ", "-"): Nutrient(slug=name.lower().replace(" ", "-"), name=name) for name in names}


@pytest.mark.parametrize(("design", "rows"), [
    # Boost: L-theanine alone read "no upper limit for L-theanine in US", then in EU, where MoodFlow, with magnesium
    # beside its L-theanine, said nothing of it.
    (("l-theanine",), []),
    (("magnesium", "l-theanine"), [("US", ("magnesium",))]),
])
def test_a_nutrient_no_market_limits_is_said_once_for_every_design_with_it(design, rows):
    nutrients = _nutrients("Magnesium", "L-theanine")
    eu = engine.assess([EU_UL], *[{"magnesium": D(100)}] * 3)

    missing = presenters.markets_without_limits(eu, ["US", "EU"], design, nutrients, {"magnesium"})
    anywhere = presenters.nutrients_without_limits(design, nutrients, {"magnesium"})

    assert [(row.market, row.nutrients) for row in missing] == rows
    assert anywhere == presenters.NoLimitAnywhere(("l-theanine",), presenters.NO_LIMIT_RECORDED_ANYWHERE.format(nutrients="L-theanine"))
    assert anywhere.reason == ("The library records no upper limit in any market for L-theanine: check each market's "
                               "rules before selling there.")
    assert presenters.nutrients_without_limits(("magnesium",), nutrients, {"magnesium"}) is None
