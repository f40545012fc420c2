"""Comparing designs and compounds: the engine's numbers side by side, best and worst marked."""

import csv
import html as html_lib
import io
import re
from decimal import Decimal
from itertools import combinations
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compounds.views import NONE_PICKED
from formulator import compare, engine, presenters
from formulator.forms import MARKETS_HELP
from formulator.models import Product, ProductLine
from tests.factories import ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def row(html: str, label: str) -> str:
    """A row's text as it shows (a mark's words for screen readers left out: test_marks_are_said_in_words)."""
    match = re.search(rf'<tr data-row="{re.escape(label)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, label
    shown = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", match.group(1))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown)).strip()


def test_marks_are_said_in_words(client):
    """A screen reader read "41% ▲": the meaning of the glyphs was in a hint and a colour alone."""
    html = client.get("/compare/", {"products": "recover,moodflow,luna"}).content.decode()
    cells = re.search(r'<tr data-row="US % of limit"[^>]*>(.*?)</tr>', html, re.S).group(1)

    assert '<span class="mark" title="best" aria-hidden="true">▲</span><span class="visually-hidden">(best)</span>' in cells
    assert '<span class="mark" title="worst" aria-hidden="true">▼</span><span class="visually-hidden">(worst)</span>' in cells


def test_products_compared_side_by_side_with_the_engine_numbers(client):
    html = client.get("/compare/", {"products": "recover,moodflow,magtech-complex"}).content.decode()

    assert row(html, "Per day") == "Per day 144 mg 240 mg 144 mg"
    # MagTech is sold in the US only: its share of the EU limit is said, not ranked (it was best).
    assert row(html, "EU % of limit") == "EU % of limit 58% ▲ 96% near ▼ 57% (not designed for EU)"
    assert row(html, "Forms (share of magnesium)") == (
        "Forms (share of magnesium) Magnesium L-threonate 100% Magnesium bisglycinate 100% "
        "Magnesium L-threonate 50%; Magnesium bisglycinate 34%; Magnesium taurate 16%"
    )
    assert row(html, "Limits") == "Limits ok near for vitamin B6 and magnesium ok"


def test_a_product_excluded_by_law_for_the_compared_population_says_where(client):
    adults = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()
    pregnancy = client.get("/compare/", {"products": "recover,moodflow", "population": "pregnancy"}).content.decode()
    us_only = client.get("/compare/", {"products": "recover,moodflow", "population": "pregnancy",
                                       "markets": "US"}).content.decode()

    label = "Excluded by law for this population"
    assert row(adults, label) == f"{label} none none"
    assert row(pregnancy, label) == f"{label} Magnesium L-threonate in EU excluded ▼ none ▲"  # Reg. (EU) 2024/2694
    assert row(us_only, label) == f"{label} none none"


def test_designs_made_for_one_population_are_compared_for_it_unless_another_is_chosen(client):
    Product.objects.filter(slug__in=["recover", "moodflow"]).update(population="pregnancy")

    designed = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()
    chosen = client.get("/compare/", {"products": "recover,moodflow", "population": "adult"}).content.decode()
    mixed = client.get("/compare/", {"products": "recover,magtech-complex"}).content.decode()

    label = "Excluded by law for this population"
    assert '<option value="pregnancy" selected>' in designed
    assert row(designed, label) == f"{label} Magnesium L-threonate in EU excluded ▼ none ▲"
    assert row(chosen, label) == f"{label} none none"
    assert '<option value="adult" selected>' in mixed


def test_designs_made_for_different_populations_are_compared_for_adults_and_the_page_says_so(client):
    Product.objects.filter(slug="recover").update(population="child-9-13")

    mixed = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()
    chosen = client.get("/compare/", {"products": "recover,moodflow", "population": "child-9-13"}).content.decode()
    alike = client.get("/compare/", {"products": "moodflow,magtech-complex"}).content.decode()

    assert row(mixed, compare.ROW_POPULATION) == f"{compare.ROW_POPULATION} Adults Adults"
    assert row(mixed, compare.ROW_DESIGNED_FOR) == f"{compare.ROW_DESIGNED_FOR} Children 9-13 years Adults"
    assert row(mixed, compare.ROW_MARKETS) == f"{compare.ROW_MARKETS} US, EU US, EU"
    note = compare.POPULATIONS_DIFFER.format(population="adults", designs="Recover (children 9-13 years)")
    assert f'<p class="caution" id="population-note" role="note">{note}</p>' in mixed
    assert row(chosen, compare.ROW_POPULATION) == f"{compare.ROW_POPULATION} Children 9-13 years Children 9-13 years"
    assert compare.POPULATION_OTHER.format(population="children 9-13 years", designs="MoodFlow (adults)") in chosen
    assert 'id="population-note"' not in alike
    assert row(alike, compare.ROW_POPULATION) == f"{compare.ROW_POPULATION} Adults Adults"


def test_the_csv_says_for_which_population_and_markets_it_compares(client):
    Product.objects.filter(slug="recover").update(population="child-9-13")

    for differs in ("", "1"):  # kept when only the rows that differ are asked for
        response = client.get("/compare/export.csv", {"products": "recover,moodflow", "markets": "EU", "differs": differs})

        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[1:4] == [
            [compare.GROUP_COMPARED, compare.ROW_POPULATION, "Adults", "Adults"],
            [compare.GROUP_COMPARED, compare.ROW_MARKETS, "EU", "EU"],
            [compare.GROUP_COMPARED, compare.ROW_DESIGNED_FOR, "Children 9-13 years", "Adults"],
        ]


def test_equal_displayed_values_get_the_same_mark(client):
    html = client.get("/compare/", {"products": "recover,moodflow,magtech-complex"}).content.decode()

    assert row(html, "US % of limit") == "US % of limit 41% ▲ 69% ▼ 41% ▲"


def test_rows_that_do_not_differ_can_be_hidden(client):
    html = client.get("/compare/", {"products": "recover,magtech-complex", "differs": "1"}).content.decode()

    assert 'data-row="Per day"' not in html  # 144 mg in both
    assert 'data-row="Forms (share of magnesium)"' in html
    assert "The designs do not differ in any figure." not in html


def test_designs_alike_in_every_figure_say_so_under_what_is_compared(client):
    client.post("/products/recover/duplicate")

    html = client.get("/compare/", {"products": "recover,recover-v2", "differs": "1"}).content.decode()

    assert "The designs do not differ in any figure." in html
    assert row(html, compare.ROW_POPULATION) == f"{compare.ROW_POPULATION} Adults Adults"
    assert 'data-row="Per day"' not in html


def test_a_stacks_shares_of_magnesium_add_up_to_100_percent_in_the_table_and_the_chart(client):
    from decimal import Decimal

    from formulator import services

    from accounts.models import Team

    recover = Product.objects.get(slug="recover")
    services.stack_save(stack=None, fields={"name": "Recover twice", "markets": ["US", "EU"], "population": "adult",
                                            "notes": ""},
                        items=[services.ItemData(recover, Decimal(3), "morning"), services.ItemData(recover, Decimal(5), "evening")],
                        expected_version=None, team=Team.objects.get(slug="ntrpx-labs"))

    html = client.get("/compare/", {"stacks": "ntrpx-daily,recover-twice"}).content.decode()

    assert row(html, "Products (share of magnesium)").endswith("Recover (morning) 37%; Recover (evening) 63%")
    assert "<title>Recover (morning) 37%</title>" in html and "<title>Recover (evening) 63%</title>" in html


def test_checkbox_style_repeated_parameters_work_like_a_comma_list(client):
    html = client.get("/compare/?products=recover&products=luna").content.decode()

    assert row(html, "Per day") == "Per day 144 mg 150 mg"


def test_stacks_compare_with_each_products_share(client):
    from decimal import Decimal

    from formulator import services
    from formulator.models import Stack

    from accounts.models import Team

    luna = Product.objects.get(slug="luna")
    services.stack_save(stack=None, fields={"name": "Luna only", "markets": ["US", "EU"], "population": "adult", "notes": ""},
                        items=[services.ItemData(luna, Decimal(1), "evening")], expected_version=None,
                        team=Team.objects.get(slug="ntrpx-labs"))

    html = client.get("/compare/", {"stacks": "ntrpx-daily,luna-only"}).content.decode()

    assert Stack.objects.filter(slug="luna-only").exists()
    assert row(html, "Per day") == "Per day 294 mg 150 mg"
    assert row(html, "Products (share of magnesium)") == "Products (share of magnesium) Recover 49%; Luna 51% Luna 100%"
    assert row(html, "EU margin to limit") == "EU margin to limit 44 mg over ▼ 100 mg to spare ▲"
    # A stack had no cost: its cost a day is its products' costs a day, as the stacks' own pages give it.
    luna_day = client.get("/stacks/luna-only/").content.decode().split('id="cost-per-day">')[1].split("<")[0]
    daily_day = client.get("/stacks/ntrpx-daily/").content.decode().split('id="cost-per-day">')[1].split("<")[0]
    assert row(html, "Cost: Per day").startswith(f"Per day {daily_day}") and luna_day in row(html, "Cost: Per day")
    assert "Cost: Per 100 mg magnesium declared" in html and 'data-row="Cost: Per serving"' not in html


def _stack(name: str, *items: tuple[str, str], markets: tuple[str, ...] = ("US", "EU")) -> None:
    """Save a stack of the demo team from (product slug, timing) pairs, one serving a day each."""
    from accounts.models import Team
    from formulator import services

    services.stack_save(stack=None, fields={"name": name, "markets": list(markets), "population": "adult", "notes": ""},
                        items=[services.ItemData(Product.objects.get(slug=slug), Decimal(1), timing)
                               for slug, timing in items],
                        expected_version=None, team=Team.objects.get(slug="ntrpx-labs"))


STACKS_WITH_AND_WITHOUT_RECOVER = "ntrpx-daily,recover-and-moodflow,moodflow-only"


def test_stacks_excluded_by_law_for_the_compared_population_say_where_as_products_do(client):
    """NTRPX Daily and "Recover and MoodFlow" both take Recover, of magnesium L-threonate: not for pregnancy in the EU."""
    _stack("Recover and MoodFlow", ("recover", "evening"), ("moodflow", "morning"))
    _stack("MoodFlow only", ("moodflow", "morning"))
    stacks = {"stacks": STACKS_WITH_AND_WITHOUT_RECOVER}

    pregnancy = client.get("/compare/", {**stacks, "markets": "US,EU", "population": "pregnancy"}).content.decode()
    adults = client.get("/compare/", {**stacks, "markets": "US,EU", "population": "adult"}).content.decode()
    us_only = client.get("/compare/", {**stacks, "markets": "US", "population": "pregnancy"}).content.decode()

    label = compare.ROW_EXCLUDED
    excluded = "Magnesium L-threonate in EU excluded ▼"  # an exclusion, no limit gone "over"
    assert row(pregnancy, label) == f"{label} {excluded} {excluded} none ▲"
    assert row(adults, label) == f"{label} none none none"
    assert row(us_only, label) == f"{label} none none none"
    labels = re.findall(r'<tr data-row="([^"]*)"', pregnancy)
    assert labels[labels.index(compare.ROW_LIMITS) + 1] == label  # where the products' comparison has it


def test_the_csv_of_stacks_carries_the_exclusion_by_law(client):
    _stack("Recover and MoodFlow", ("recover", "evening"), ("moodflow", "morning"))
    _stack("MoodFlow only", ("moodflow", "morning"))

    response = client.get("/compare/export.csv", {"stacks": STACKS_WITH_AND_WITHOUT_RECOVER, "markets": "US,EU",
                                                  "population": "pregnancy"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[0] == ["group", "figure", "NTRPX Daily", "Recover and MoodFlow", "MoodFlow only"]
    assert ["Safety", compare.ROW_EXCLUDED, "Magnesium L-threonate in EU; excluded (worst)",
            "Magnesium L-threonate in EU; excluded (worst)", "none (best)"] in rows


def test_the_same_design_twice_is_one_design(client):
    assert compare.ERROR_TOO_FEW in client.get("/compare/", {"stacks": "ntrpx-daily,ntrpx-daily"}).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"products": "recover"}, compare.ERROR_TOO_FEW),
        ({"products": "a,b,c,d,e,f,g"}, compare.ERROR_TOO_MANY),
        ({"products": "recover,nope"}, compare.ERROR_UNKNOWN.format(kind="product", slugs="nope")),
        # Named, not dropped in silence: the page would show something other than what was asked for.
        ({"products": "recover,moodflow", "stacks": "ntrpx-daily"}, compare.ERROR_MIXED),
        ({"products": "recover,moodflow", "population": "xyz"}, compare.ERROR_UNKNOWN.format(kind="population", slugs="xyz")),
        ({"products": "recover,moodflow", "markets": "US,ZZ"}, compare.ERROR_UNKNOWN.format(kind="market", slugs="ZZ")),
    ],
)
def test_bad_picks_say_what_is_wrong(client, query, message):
    response = client.get("/compare/", query)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("query", [{"products": "recover"}, {"products": "recover,nope"}])
def test_a_comparison_it_cannot_make_keeps_the_markets_and_options_chosen(client, query):
    html = client.get("/compare/", {**query, "markets": ["EU", "CA"], "differs": "1"}).content.decode()

    assert 'id="compare-error"' in html
    ticked = re.findall(r'<input type="checkbox" name="(markets|differs)" value="(\w+)"[^>]* checked>', html)
    assert ticked == [("markets", "EU"), ("markets", "CA"), ("differs", "1")]


def test_csv_export_carries_the_same_figures(client):
    response = client.get("/compare/export.csv", {"products": "recover,moodflow"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["group", "figure", "Recover", "MoodFlow"]
    assert ["Magnesium", "Per day", "144 mg", "240 mg"] in rows
    # The badges the page shows beside them, and its best and worst marks, which the CSV left out.
    assert ["Safety", "EU margin to limit", "106 mg to spare; ok (best)", "10 mg to spare; near (worst)"] in rows
    assert ["Safety", "EU % of limit", "58%; ok (best)", "96%; near (worst)"] in rows
    assert ["Manufacturing", "Capsules a serving", "4 needed (2 planned); over", "2 needed (2 planned); ok"] in rows
    assert ["Evidence", "Claim: sleep", "grade C", "grade C"] in rows  # equal: neither marked
    assert ["Safety", "Limits", "ok", "near for vitamin B6 and magnesium"] in rows
    assert client.get("/compare/export.csv", {"products": "recover"}).status_code == 400


def test_a_status_after_a_sentence_is_written_as_a_status_of_its_own(client):
    """"… for supplemental magnesium.; over"."""
    response = client.get("/compare/export.csv", {"products": "recover,moodflow", "markets": "DE"})
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row[2:]]

    assert not [cell for cell in cells if ".;" in cell]
    assert any(cell.endswith("for supplemental magnesium. Status: over") for cell in cells)


def test_a_capsule_underfilled_or_tight_says_so_beside_its_count(client):
    """Boost's one capsule, under 80% full, read "1 needed (1 planned) ▲" on the page (its CSV said "underfilled")."""
    html = client.get("/compare/", {"products": "boost,recover"}).content.decode()
    row = html.split('data-row="Capsules a serving"')[1].split("</tr>")[0]

    assert '<span class="badge badge-fill-underfilled">underfilled</span>' in row


def test_a_design_excluded_for_the_population_in_a_market_is_never_best_in_that_markets_safety_rows(client):
    """Recover's L-threonate is excluded for pregnancy in the EU (and so in Germany): its 58% of the EU limit was marked
    best beside "Magnesium L-threonate in EU excluded"."""
    html = html_lib.unescape(client.get("/compare/", {"products": "recover,luna,moodflow", "markets": "DE",
                                                      "population": "pregnancy"}).content.decode())

    assert row(html, "EU % of limit") == "EU % of limit 58% (excluded in EU for this population) 60% ▲ 96% near ▼"
    assert row(html, "DE % of supplement maximum") == (  # the EU's law applies in Germany
        "DE % of supplement maximum 58% (excluded in DE for this population) 60% ▲ 96% near ▼")


def test_a_design_not_made_for_a_compared_market_says_so_and_is_not_ranked_there(client):
    """MagTech, sold in the US only, was marked best for its share of the EU limit, with nothing to say it is not made
    for the EU."""
    html = html_lib.unescape(client.get("/compare/", {"products": "magtech-complex,moodflow", "markets": "US,EU"}
                                        ).content.decode())

    assert row(html, "Markets designed for") == "Markets designed for US US, EU"
    eu = row(html, "EU % of limit")
    assert re.fullmatch(r"EU % of limit \d+% \(not designed for EU\)( near| over)? \d+%( near| over)?( ▲| ▼)?", eu), eu
    assert "(not designed for US)" not in row(html, "US % of limit")
    csv_text = client.get("/compare/export.csv", {"products": "magtech-complex,moodflow", "markets": "US,EU"}).content.decode()
    assert re.search(r",\d+% \(not designed for EU\); (ok|near|over),", csv_text)  # as the page has it: the note, then the status


def test_products_compare_their_cost_a_day_as_well_as_a_serving(client):
    """MoodFlow's serving costs $0.028 and is taken twice a day: the day, $0.057, is what a buyer pays."""
    response = client.get("/compare/export.csv", {"products": "recover,moodflow"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert ["Cost", "Per serving", "$0.32 (worst)", "$0.028 (best)"] in rows
    assert ["Cost", "Per day", "$0.32 (worst)", "$0.057 (best)"] in rows
    html = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()
    assert row(html, "Cost: Per day") == "Per day $0.32 ▼ $0.057 ▲"  # named apart from the magnesium a day


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_opens_as_text(client):
    Product.objects.filter(slug="recover").update(name="=HYPERLINK(\"http://x\",\"Recover\")")

    response = client.get("/compare/export.csv", {"products": "recover,moodflow"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[0] == ["group", "figure", "'=HYPERLINK(\"http://x\",\"Recover\")", "MoodFlow"]


def test_charts_are_server_rendered_svg_with_limit_lines(client):
    html = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()

    # Focusable: on a phone it scrolls sideways, and a keyboard (in Safari, which focuses no scroller) could not.
    assert '<figure class="chart" id="chart-daily" tabindex="0" data-scroll-stop>' in html
    assert '<figure class="chart" id="chart-composition" tabindex="0" data-scroll-stop>' in html
    assert html.count('class="bar"') == 2
    assert "EU UL 250 mg" in html and "US DV 420 mg" in html


def test_the_composition_chart_says_what_it_shares_out_and_that_its_bars_are_not_amounts(client):
    """A stacks' chart was labelled "by form", and 438 mg and 294 mg stacks drew bars of one length, saying nothing."""
    from formulator import services

    from accounts.models import Team

    services.stack_save(stack=None, fields={"name": "Luna only", "markets": ["US", "EU"], "population": "adult", "notes": ""},
                        items=[services.ItemData(Product.objects.get(slug="luna"), Decimal(1), "evening")],
                        expected_version=None, team=Team.objects.get(slug="ntrpx-labs"))
    stacks = client.get("/compare/", {"stacks": "ntrpx-daily,luna-only"}).content.decode()
    products = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()

    assert "<h2>Share of magnesium by product</h2>" in stacks and 'aria-label="Share of magnesium by product:' in stacks
    assert "<h2>Share of magnesium by form</h2>" in products and 'aria-label="Share of magnesium by form:' in products
    assert "whatever its amount: the chart above compares the amounts." in products


def test_a_value_near_a_limit_keeps_its_label_clear_of_the_limit_line(client):
    """Keep MoodFlow's 240 mg label clear of the EU's 250 mg line and below the limit labels."""
    chart = client.get("/compare/", {"products": "recover,moodflow"}).context["chart_daily"]
    moodflow = next(b for b in chart["bars"] if b["name"] == "MoodFlow")
    eu = next(line for line in chart["lines"] if line["label"] == "EU UL 250 mg")
    left, right = moodflow["label_span"]

    assert moodflow["label"] == "240 mg"
    assert moodflow["label_x"] == (right if moodflow["label_anchor"] == "end" else left)
    assert right - left >= len("240 mg") * 11 * 0.64  # at least as wide as DejaVu Sans draws it at font size 11
    assert eu["x"] < left - compare.LINE_CLEARANCE or eu["x"] > right + compare.LINE_CLEARANCE
    assert all(line["x"] < left or line["x"] > right for line in chart["lines"])
    # The limit labels are a row of their own: their baselines lie above the top of the first bar.
    assert max(line["label_y"] for line in chart["lines"]) < min(b["y"] for b in chart["bars"])


def test_a_label_too_long_for_its_short_bar_moves_past_the_line_in_its_way():
    """Move a value label past the limit line it would cross when its bar is too short to hold it."""
    place = compare._value_label("12 mg", Decimal(160), 150, [Decimal(170), Decimal(400)])

    assert place["label_anchor"] == "start"
    assert place["label_span"][0] >= 170 + compare.LINE_CLEARANCE


def test_duplicate_as_variant_then_compare_what_changed(client):
    response = client.post("/products/recover/duplicate")

    assert response.status_code == 302 and response["Location"] == "/products/recover-v2/edit"
    variant = Product.objects.get(slug="recover-v2")
    assert variant.name == "Recover v2" and variant.variant_of.slug == "recover"
    line = variant.lines.get()
    line.amount = 2500
    line.save()
    client.post("/products/recover/duplicate")
    assert Product.objects.filter(slug="recover-v3").exists()

    html = client.get("/compare/", {"products": "recover,recover-v2"}).content.decode()
    changes = re.search(r'<table class="data" id="changes">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", changes)]
    assert ["Magnesium L-threonate", "2,000 mg", "2,500 mg"] == cells[-3:]  # written as the pages write amounts
    assert ["Name", "Recover", "Recover v2"] == cells[:3]
    assert "Recover v2" in text(client.get("/products/recover/"))
    assert 'id="compare-original"' in client.get("/products/recover-v2/").content.decode()


def test_the_message_after_duplicating_names_the_variant_the_product_it_varies_and_what_was_copied(client):
    first = text(client.post("/products/recover/duplicate", follow=True))
    second = text(client.post("/products/recover-v2/duplicate", follow=True))

    assert "Created Recover v2, a variant of Recover. Edit it, then compare it with Recover." in first
    assert "Created Recover v3, a variant of Recover, copied from Recover v2. Edit it, then compare it with Recover." in second
    assert Product.objects.get(slug="recover-v3").variant_of.slug == "recover"


def test_comparing_six_designs_costs_a_fixed_number_of_queries(client):
    slugs = []
    for i in range(6):
        product = ProductFactory(slug=f"bulk-{i}")
        ProductLineFactory.create_batch(3 + i, product=product)
        slugs.append(product.slug)

    with CaptureQueriesContext(connection) as two:
        client.get("/compare/", {"products": ",".join(slugs[:2])})
    with CaptureQueriesContext(connection) as six:
        client.get("/compare/", {"products": ",".join(slugs)})

    assert len(two) == len(six)


def test_the_compound_comparison_says_a_library_compound_holds_no_magnesium_rather_than_calling_it_unknown(client):
    html = client.get("/compounds/compare/", {"compounds": "glycine,unobtainium,magnesium-oxide"}).content.decode()

    assert "No magnesium in Glycine: this page compares magnesium forms." in html
    assert "Unknown compound: unobtainium." in html and "glycine" not in html.split("Unknown compound:")[1].split("<")[0]


@pytest.mark.parametrize("htmx", [True, False])
def test_the_compound_comparison_with_every_form_unticked_shows_none_and_says_so(client, htmx):
    """Unticking every form showed the table of all of them beside the empty boxes: no form in the address is the first
    visit's "all", and the form's own answer said the same."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    none = client.get("/compounds/compare/", {"target": "200", "capsule": "00", "picked": "1"}, **headers).content.decode()
    one = client.get("/compounds/compare/", {"target": "200", "capsule": "00", "picked": "1",
                                             "compounds": "magnesium-oxide"}, **headers).content.decode()

    assert none.count("<tr data-compound=") == 0 and NONE_PICKED in none
    if not htmx:  # the page's boxes say what the table shows; an htmx answer is the table alone
        assert 'type="checkbox" name="compounds" value="magnesium-oxide">' in none
        assert 'value="magnesium-oxide" checked' not in none
    assert one.count("<tr data-compound=") == 1 and NONE_PICKED not in one


def test_compound_comparison_solves_the_mass_for_a_target(client):
    html = client.get("/compounds/compare/", {"compounds": "magnesium-oxide,magnesium-l-threonate", "target": "144"}).content.decode()

    threonate = re.search(r'<tr data-compound="magnesium-l-threonate">(.*?)</tr>', html, re.S).group(1)
    oxide = re.search(r'<tr data-compound="magnesium-oxide">(.*?)</tr>', html, re.S).group(1)
    assert "2,000 mg" in threonate and "8.25%" in threonate and "7.20%" in threonate
    assert "238.8 mg" in oxide and "60.30%" in oxide


def test_compound_comparison_marks_a_disputed_entry_as_the_grades_page_does(client):
    """Bisglycinate's evidence listed the disputed "50-80% absorption" claim beside its grade, unmarked."""
    html = client.get("/compounds/compare/").content.decode()

    bisglycinate = re.search(r'<tr data-compound="magnesium-bisglycinate">(.*?)</tr>', html, re.S).group(1)
    disputed = re.search(r'Unsourced: magnesium glycinate absorption of 50-80%[^<]*</a>( <small class="flag">[^<]*)',
                         bisglycinate)
    assert disputed and disputed.group(1) == ' <small class="flag">disputed'


def test_compound_comparison_defaults_to_200_mg_and_every_magnesium_form(client):
    html = client.get("/compounds/compare/").content.decode()

    assert "Mass for 200 mg Mg" in html
    assert html.count("<tr data-compound=") == 19


def test_compound_comparison_live_target_and_bad_target(client):
    live = client.get("/compounds/compare/", {"target": "100"}, HTTP_HX_REQUEST="true")
    bad = client.get("/compounds/compare/", {"target": "-3"}, HTTP_HX_REQUEST="true")

    assert "<html" not in live.content.decode() and "Mass for 100 mg Mg" in live.content.decode()
    assert bad["HX-Reswap"] == "none"
    assert "Enter a target from 0.001 mg to 100,000 mg, e.g. 200." in bad.content.decode()
    comma = client.get("/compounds/compare/", {"target": "1,5"}, HTTP_HX_REQUEST="true").content.decode()
    from formulator.forms import ERROR_DECIMAL_COMMA

    assert ERROR_DECIMAL_COMMA in comma


def test_the_compound_comparison_says_which_of_its_fields_is_wrong(client):
    """A capsule size no menu offers said "Showing the default target of 200 mg until the target is fixed", of a valid
    target; a target of 0.0000001 mg was asked to be "above 0 mg"."""
    from compounds.views import ERROR_TARGET, ERROR_TARGET_DECIMALS
    from formulator.forms import ERROR_UNKNOWN_CHOICE

    capsule = html_lib.unescape(client.get("/compounds/compare/", {"target": "150", "capsule": "zzz"}).content.decode())
    tiny = html_lib.unescape(client.get("/compounds/compare/", {"target": "0.0000001"}).content.decode())
    precise = html_lib.unescape(client.get("/compounds/compare/", {"target": "200.12345"}).content.decode())

    assert ERROR_UNKNOWN_CHOICE.format(what="capsule size", codes="000, 00, 0E, 0, 1, 2, 3, 4") % {"value": "zzz"} in capsule
    assert "Mass for 150 mg Mg" in capsule and "until the target is fixed" not in capsule
    assert ERROR_TARGET in tiny and "0.001 mg" in ERROR_TARGET
    assert ERROR_TARGET_DECIMALS in precise


def test_the_compound_comparison_marks_its_table_out_of_date_while_the_target_is_invalid_and_clears_it(client):
    from compounds.views import STALE_TABLE

    bad = client.get("/compounds/compare/", {"target": "abc"}, HTTP_HX_REQUEST="true").content.decode()
    good = client.get("/compounds/compare/", {"target": "300"}, HTTP_HX_REQUEST="true").content.decode()

    assert f'<p id="compare-state" class="stale" role="status" aria-live="polite" hx-swap-oob="true">{STALE_TABLE}</p>' in bad
    assert '<section id="compound-comparison">' not in bad
    assert ('<p id="compare-state" class="fresh" role="status" aria-live="polite" hx-swap-oob="true">Comparing all 19 '
            'magnesium forms.</p>') in good
    assert 'id="compare-state" class="fresh"' in client.get("/compounds/compare/").content.decode()


def test_the_compound_comparison_says_what_its_table_shows_in_its_status_as_forms_are_ticked(client):
    """A tick changed the table and a screen reader heard nothing of it."""
    def state(params):
        page = client.get("/compounds/compare/", {"picked": "1", **params}, HTTP_HX_REQUEST="true").content.decode()
        return re.search(r'<p id="compare-state"[^>]*>([^<]*)</p>', page).group(1)

    assert state({"compounds": ["magnesium-oxide"]}) == "Comparing magnesium oxide."
    assert state({"compounds": ["magnesium-oxide", "magnesium-taurate"], "target": "150", "capsule": "0"}) == (
        "Comparing magnesium oxide and magnesium taurate.")
    # Not the target typed: each pause in typing it read the sentence out again.
    assert state({"compounds": ["magnesium-oxide"], "target": "15"}) == state({"compounds": ["magnesium-oxide"], "target": "150"})
    assert state({}) == NONE_PICKED


def test_a_wrong_target_with_no_form_ticked_marks_no_table_out_of_date_there_being_none(client):
    """It said "Out of date: fix the target. The table below is for the last valid one." above no table."""
    from compounds.views import STALE_TABLE

    htmx = client.get("/compounds/compare/", {"picked": "1", "target": "abc"}, HTTP_HX_REQUEST="true")
    page = client.get("/compounds/compare/", {"picked": "1", "target": "abc"}).content.decode()

    assert STALE_TABLE not in htmx.content.decode() and NONE_PICKED in htmx.content.decode()
    assert "HX-Reswap" not in htmx  # the section is swapped: the table the page showed is gone with the ticks
    assert '<section id="compound-comparison">' in htmx.content.decode()
    assert "until the target is fixed" not in page and NONE_PICKED in page


def test_a_value_over_its_limit_is_never_marked_best():
    from decimal import Decimal

    cells = [compare.Cell(Decimal(118), "118%", status="over"), compare.Cell(Decimal(130), "130%", status="over"),
             compare.Cell(Decimal(90), "90%", status="near")]

    over_only = compare._marked(cells[:2], compare.Better.LOWER)
    with_one_within = compare._marked(cells, compare.Better.LOWER)

    assert [c.mark for c in over_only] == ["", "worst"]
    assert [c.mark for c in with_one_within] == ["", "worst", "best"]


def test_the_limits_row_is_named_for_what_it_reports_and_the_exclusion_follows_it(client):
    """The row reports the limit status only: named "Limits" as in the product list, not read as an overall verdict."""
    html = client.get("/compare/", {"products": "recover,moodflow", "population": "pregnancy"}).content.decode()
    labels = re.findall(r'<tr data-row="([^"]*)"', html)
    limits = re.search(r'<tr data-row="Limits"[^>]*>(.*?)</tr>', html, re.S).group(1)

    assert "Status" not in labels
    assert row(html, "Limits") == "Limits ok near for vitamin B6 and magnesium"
    assert labels[labels.index("Limits") + 1] == "Excluded by law for this population"
    assert row(html, "Excluded by law for this population") == (
        "Excluded by law for this population Magnesium L-threonate in EU excluded ▼ none ▲")
    assert '<span class="badge badge-ok">ok</span>' in limits and '<span class="badge badge-near">near</span>' in limits


# Germany's per-dose maximum ----------------------------------------------------------------------------------------


def test_germanys_per_dose_maximum_shows_each_designs_largest_single_dose_against_it(client):
    """Recover takes its 144 mg in one dose, over the BfR's 125 mg a dose; MoodFlow 120 mg twice a day."""
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,DE"}).content.decode()
    labels = re.findall(r'<tr data-row="([^"]*)"', html)

    # Over in Germany (the rows below say why); near for B6 too, under the EU law Germany brings in.
    assert row(html, "Limits") == "Limits over for magnesium near for vitamin B6 and magnesium"
    assert row(html, "DE largest single dose") == (
        "DE largest single dose "
        "144 mg in one dose is 19 mg over the DE maximum for supplements of 125 mg a dose for supplemental magnesium. over "
        "120 mg in one dose is 96% of the DE maximum for supplements of 125 mg a dose for supplemental magnesium: "
        "5 mg to spare. near"
    )
    assert row(html, "DE % of supplement maximum a dose") == "DE % of supplement maximum a dose 115% over ▼ 96% near ▲"
    assert row(html, "DE margin to supplement maximum a dose") == (
        "DE margin to supplement maximum a dose 19 mg over ▼ 5 mg to spare near ▲")  # not "over over"
    # The per-day rows stay as they were, and the per-dose ones follow them, before the overall "Limits".
    assert row(html, "DE % of supplement maximum") == "DE % of supplement maximum 58% ▲ 96% near ▼"
    assert labels.index("DE margin to supplement maximum") < labels.index("DE largest single dose") < labels.index("Limits")


def test_compared_for_germany_designs_meet_the_eus_rules_too(client):
    """Germany is sold under EU law: ticking it alone compares against the EU's limits as well, and ticks the EU."""
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": "DE"}).content.decode()

    ticked = re.findall(r'<input type="checkbox" name="markets" value="([\w-]+)"[^>]* checked>', html)
    assert ticked == ["EU", "DE"]
    assert row(html, "EU % of limit") == "EU % of limit 58% ▲ 96% near ▼"
    assert row(html, "Limits") == "Limits over for magnesium near for vitamin B6 and magnesium"
    assert MARKETS_HELP in html_lib.unescape(html)


def test_without_germany_there_is_no_per_dose_row(client):
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,EU"}).content.decode()

    assert "largest single dose" not in html
    assert row(html, "Limits") == "Limits ok near for vitamin B6 and magnesium"


def test_a_stacks_largest_single_dose_adds_the_products_taken_at_the_same_time(client):
    """NTRPX Daily takes Recover (144 mg) and Luna (150 mg) in the evening: one dose of 294 mg."""
    from accounts.models import Team
    from formulator import services

    luna = Product.objects.get(slug="luna")
    services.stack_save(stack=None, fields={"name": "Luna only", "markets": ["DE"], "population": "adult", "notes": ""},
                        items=[services.ItemData(luna, Decimal(1), "evening")], expected_version=None,
                        team=Team.objects.get(slug="ntrpx-labs"))

    html = client.get("/compare/", {"stacks": "ntrpx-daily,luna-only", "markets": "DE"}).content.decode()

    # NTRPX Daily is made for the US and the EU: beside a stack made for Germany, it is not ranked there.
    assert row(html, "DE % of supplement maximum a dose") == (
        "DE % of supplement maximum a dose 235% (not designed for DE) over 120% over")
    assert row(html, "DE largest single dose").startswith("DE largest single dose 294 mg in one dose is 169 mg over")


def test_the_chart_says_germanys_per_dose_maximum_is_in_the_table_and_does_not_draw_it(client):
    with_de = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,DE"}).content.decode()
    without_de = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,EU"}).content.decode()
    note = compare.CHART_NOTE_PER_DOSE.format(market="DE", limit="maximum for supplements", amount="125 mg",
                                              row="DE largest single dose")

    assert note in html_lib.unescape(text_of(chart(with_de)))
    assert "per dose" not in html_lib.unescape(text_of(chart(without_de)))
    # Its daily maximum of 250 mg is a line; its 125 mg a dose is not.
    assert [d["label"] for d in drawn_limits(with_de)] == ["EU UL, DE MAX 250 mg", "US UL 350 mg", "EU NRV 375 mg",
                                                           "US DV 420 mg"]


# Daily maxima for supplements on the chart ------------------------------------------------------------------------


def line_styles(html: str) -> dict[str, tuple[str, str]]:
    """Each limit line of the daily chart by its label: its stroke colour and dash pattern, as drawn."""
    found = re.findall(r'<line class="limit"[^>]* stroke="([^"]+)"[^>]* stroke-dasharray="([^"]+)"/>\s*'
                       r'<text class="limit-label"[^>]*>([^<]*)</text>', chart(html))
    return {label: (stroke, dashes) for stroke, dashes, label in found}


def test_the_chart_draws_germanys_daily_maximum_as_a_limit_like_an_upper_limit(client):
    """Germany's BfR maximum of 250 mg a day rates MoodFlow's 240 mg near in the table: the chart draws it too."""
    de_only = client.get("/compare/", {"products": "recover,moodflow", "markets": "DE"})
    with_us = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,DE"}).content.decode()
    html = de_only.content.decode()

    assert [d["label"] for d in drawn_limits(html)] == ["EU UL, DE MAX 250 mg", "EU NRV 375 mg"]  # EU law applies too
    styles = line_styles(with_us)
    assert styles["EU UL, DE MAX 250 mg"] == styles["US UL 350 mg"] != styles["US DV 420 mg"]  # dashed red, as limits are
    # A maximum drawn on its own line is a limit too: Canada's 500 mg.
    canada = line_styles(client.get("/compare/", {"products": "recover,moodflow", "markets": "US,CA"}).content.decode())
    assert canada["CA MAX 500 mg"] == canada["US, CA UL 350 mg"] != canada["US DV 420 mg"]
    assert row(html, "DE % of supplement maximum") == "DE % of supplement maximum 58% ▲ 96% near ▼"
    moodflow = next(b for b in de_only.context["chart_daily"]["bars"] if b["name"] == "MoodFlow")
    left, right = moodflow["label_span"]
    assert not left - compare.LINE_CLEARANCE < drawn_limits(html)[0]["x"] < right + compare.LINE_CLEARANCE
    # The maximum a dose is still said, not drawn.
    assert "applies to a single dose" in html_lib.unescape(text_of(chart(html)))


def test_a_daily_maximum_shares_the_line_and_label_of_an_upper_limit_of_the_same_amount(client):
    """The EU's UL and Germany's maximum are both 250 mg a day: one line, labelled as the stack editor's chart does."""
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,EU,DE"}).content.decode()
    every = client.get("/compare/", {"products": "recover,moodflow", "markets": ALL_MARKETS}).content.decode()

    assert [d["label"] for d in drawn_limits(html)] == [
        "EU UL, DE MAX 250 mg", "US UL 350 mg", "EU NRV 375 mg", "US DV 420 mg"]
    assert [d["label"] for d in drawn_limits(every)] == [
        "EU UL, DE MAX 250 mg", "US, CA, AU-NZ UL 350 mg", "EU NRV 375 mg", "US DV 420 mg", "CA MAX 500 mg"]
    assert clashes(drawn_limits(every)) == []


def test_a_bar_is_coloured_by_the_daily_magnesium_limits_the_chart_draws_not_the_designs_status(client):
    """Recover is over Germany's 125 mg a dose, which the chart does not draw: its 144 mg a day is within every line."""
    response = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,DE"})
    bars = {bar["name"]: (bar["status"], bar["fill"]) for bar in response.context["chart_daily"]["bars"]}

    assert row(response.content.decode(), "Limits").startswith("Limits over for magnesium")  # Recover, a dose
    assert bars == {"Recover": ("ok", compare.BAR_FILL_OK[0]), "MoodFlow": ("near", compare.BAR_FILL["near"][0])}
    assert "Bars: red over one of those limits, orange near one, blue within them." in compare.CHART_KEY


def test_the_charts_key_names_the_daily_maxima_with_the_upper_limits(client):
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": "DE"}).content.decode()
    key = re.search(r"<figcaption>(.*?)</figcaption>", chart(html), re.S).group(1)

    assert html_lib.unescape(text_of(key)).startswith(compare.CHART_KEY)
    assert "maximums for supplements" in compare.CHART_KEY


# Limit labels on the chart ---------------------------------------------------------------------------------------

ALL_MARKETS = "US,EU,CA,AU-NZ,DE"


def chart(html: str) -> str:
    return re.search(r'<figure class="chart" id="chart-daily" tabindex="0" data-scroll-stop>.*?</figure>', html, re.S).group(0)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


LIMIT = re.compile(r'<line class="limit" x1="([^"]+)" x2="[^"]+" y1="([^"]+)"[^>]*/>\s*'
                   r'<text class="limit-label" x="([^"]+)" y="([^"]+)" text-anchor="([^"]+)"[^>]*>([^<]*)</text>')


def drawn_box(x: float, y: float, anchor: str, label: str) -> tuple[float, float, float, float]:
    """The box a label takes as DejaVu Sans draws it: 0.64 em a glyph on average, 0.93 em up, 0.24 em down."""
    font, width = compare.LIMIT_FONT, len(label) * 0.64 * compare.LIMIT_FONT
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, y - 0.93 * font, left + width, y + 0.24 * font)


def drawn_limits(html: str) -> list[dict]:
    """Each limit of the daily chart as drawn: its line (x and top) and its label (text and box)."""
    return [{"x": float(x), "top": float(top), "label": label, "box": drawn_box(float(tx), float(ty), anchor, label)}
            for x, top, tx, ty, anchor, label in LIMIT.findall(chart(html))]


def clashes(limits: list[dict]) -> list[str]:
    """Labels over each other, and lines through a label; each line runs from its top down through the bars."""
    found = [f"{a['label']} over {b['label']}" for a, b in combinations(limits, 2)
             if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2]
             and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]
    found += [f"the line of {line['label']} through {other['label']}" for line in limits for other in limits
              if other["box"][0] - 0.75 <= line["x"] <= other["box"][2] + 0.75 and line["top"] < other["box"][3]]
    return found


def placed(limits: list[tuple[Decimal, str]], width: int = 640) -> list[dict]:
    return [{"x": float(x), "top": float(p["top"]), "label": label,
             "box": drawn_box(float(p["label_x"]), float(p["label_y"]), p["label_anchor"], label)}
            for p, (x, label) in zip(compare.limit_labels(limits, width), limits, strict=True)]


@pytest.mark.parametrize(
    "limits",
    [
        # Adults, every market: US, CA and AU-NZ share 350 mg, the EU's NRV is 375 mg and the US DV 420 mg.
        [(Decimal("393.5"), "EU UL 250 mg"), (Decimal("490.9"), "US, CA, AU-NZ UL 350 mg"),
         (Decimal("515.3"), "EU NRV 375 mg"), (Decimal("559.1"), "US DV 420 mg")],
        # Children 1-3: a UL of 65 mg a few units from a DV of 80 mg.
        [(Decimal("260.8"), "US, CA, AU-NZ UL 65 mg"), (Decimal("286.4"), "US DV 80 mg")],
        # Five limits within a label's width, and one at each edge of the chart.
        [(Decimal(300 + i * 3), f"L{i} UL {100 + i} mg") for i in range(5)] + [(Decimal(2), "LEFT UL 1 mg"),
                                                                               (Decimal(638), "RIGHT UL 999 mg")],
    ],
    ids=["adults", "children-1-3", "crowded"],
)
def test_limit_labels_of_close_limits_stand_apart_and_no_line_runs_through_a_label(limits):
    drawn = placed(limits)

    assert clashes(drawn) == []
    assert all(0 <= d["box"][0] and d["box"][2] <= 640 and d["box"][1] >= 0 for d in drawn)
    for d in drawn:  # each label beside its own line, which reaches up to it
        left, top, right, _ = d["box"]
        beside = 2 * compare.LIMIT_TAG_GAP
        assert right <= d["x"] <= right + beside or left - beside <= d["x"] <= left, d["label"]
        assert d["top"] <= top + 2
    for p, (_, label) in zip(compare.limit_labels(limits, 640), limits, strict=True):  # the estimate holds the text
        left, right = p["label_span"]
        assert right - left >= len(label) * 0.64 * compare.LIMIT_FONT


def test_limit_labels_crowded_against_the_left_edge_still_stand_clear():
    """A long label whose line is too near the edge to stand beside it, with another line on its right: a row of its
    own, over its line, which starts under it."""
    drawn = placed([(Decimal(100), "US, CA, AU-NZ UL 2 mg"), (Decimal(155), "US DV 3 mg"), (Decimal(160), "EU UL 4 mg")])

    assert clashes(drawn) == []
    assert all(0 <= d["box"][0] and d["box"][2] <= 640 for d in drawn)


def test_limit_labels_far_apart_share_the_first_row():
    far = compare.limit_labels([(Decimal(200), "EU UL 250 mg"), (Decimal(400), "US UL 350 mg")], width=640)

    assert far[0]["label_y"] == far[1]["label_y"] == compare.LIMIT_FIRST_BASELINE


def _design(name: str, mg: str, references: list[engine.Reference]) -> compare.Design:
    """A design as the chart reads it, without the database: its daily magnesium and its assessments."""
    amount = Decimal(mg)
    assessments = tuple(engine.Assessment(ref, amount, None, None, engine.Status.INFO) for ref in references)
    result = SimpleNamespace(per_day_label_mg={"magnesium": amount}, per_day_formula_mg={"magnesium": amount},
                             assessments=assessments)
    return compare.Design(name.lower(), name, "", SimpleNamespace(result=result, status="over"))


def test_the_chart_for_children_draws_one_line_for_a_shared_limit_and_its_labels_apart_above_the_bars():
    refs = [engine.Reference("magnesium", engine.Kind.UL, market, "child-1-3", Decimal(65))
            for market in ("US", "CA", "AU-NZ")]
    refs.append(engine.Reference("magnesium", engine.Kind.DV, "US", "child-1-3", Decimal(80)))
    designs = [_design("Recover", "144", refs), _design("MoodFlow", "240", refs)]

    result = compare.chart_daily(designs)
    drawn = [{"x": float(line["x"]), "top": float(line["top"]), "label": line["label"],
              "box": drawn_box(float(line["label_x"]), float(line["label_y"]), line["label_anchor"], line["label"])}
             for line in result["lines"]]

    assert [d["label"] for d in drawn] == ["US, CA, AU-NZ UL 65 mg", "US DV 80 mg"]  # as on the stack's chart
    assert clashes(drawn) == []
    assert max(d["box"][3] for d in drawn) < min(bar["y"] for bar in result["bars"])


@pytest.mark.parametrize("population", ["adult", "child-1-3", "infant"])
def test_with_every_market_ticked_no_limit_label_on_the_page_overlaps_another_or_a_line(client, population):
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": ALL_MARKETS,
                                    "population": population}).content.decode()
    drawn = drawn_limits(html)

    assert len(drawn) >= 2
    assert clashes(drawn) == []


# Markets without a limit for the population ----------------------------------------------------------------------


def test_comparing_for_infants_names_each_market_without_a_limit_instead_of_leaving_it_out(client):
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": ALL_MARKETS,
                                    "population": "infant"}).content.decode()
    labels = [label for label in re.findall(r'<tr data-row="([^"]*)"', html)
              if label.split()[0] in ALL_MARKETS.split(",")]

    for market in ("EU", "AU-NZ", "DE"):  # the library has no magnesium limit for infants there
        message = presenters.no_limit_recorded(market, ["Magnesium"])
        assert html_lib.unescape(row(html, f"{market} limit")) == f"{market} limit {message} {message}"
    assert row(html, "US % of limit") == "US % of limit none: food and formula only over none: food and formula only over"
    assert [label for label in labels if "limit" in label] == [  # in the order the markets were chosen, magnesium first
        "US % of limit", "US margin to limit", "US vitamin B6 % of limit", "US vitamin B6 margin to limit",
        "EU limit", "EU vitamin B6 % of limit", "EU vitamin B6 margin to limit",
        "CA % of limit", "CA margin to limit", "CA vitamin B6 % of limit", "CA vitamin B6 margin to limit",
        "AU-NZ limit", "AU-NZ vitamin B6 limit",
        "DE limit", "DE vitamin B6 limit"]


@pytest.mark.parametrize("population", ["child-9-13", "teen-14-18"])
def test_a_design_over_a_limit_for_another_nutrient_than_magnesium_shows_that_limit(client, population):
    # MoodFlow's 9.9 mg of vitamin B6 a day: over the EU limits for children (6.1 and 8.6 mg), within its magnesium ones.
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": "US,EU", "population": population}).content.decode()

    assert row(html, "EU vitamin B6 % of limit").split()[-1] == "over"
    assert row(html, "EU % of limit").split()[-1] != "over"
    assert row(html, "Limits").endswith("over for vitamin B6")
    csv_text = client.get("/compare/export.csv", {"products": "recover,moodflow", "markets": "US,EU",
                                                  "population": population}).content.decode()
    assert "over for vitamin B6" in csv_text


def test_a_designs_nutrient_without_a_limit_is_said_whatever_it_is_compared_with(client):
    """Boost's L-theanine, which no market limits, had its rows beside Luna (no L-theanine) and none beside MoodFlow
    (L-theanine among nutrients that markets limit, whose own page named only those): one row, as each page says it."""
    theanine, glycine, both = (presenters.NO_LIMIT_RECORDED_ANYWHERE.format(nutrients=names)
                               for names in ("L-theanine", "glycine", "glycine and L-theanine"))

    for other, said in (("luna", glycine), ("moodflow", both), ("recover", "—")):
        html = client.get("/compare/", {"products": f"boost,{other}", "markets": "US,EU"}).content.decode()
        assert html_lib.unescape(row(html, compare.ROW_NO_LIMIT_ANYWHERE)) == f"{compare.ROW_NO_LIMIT_ANYWHERE} {theanine} {said}"
        assert "L-theanine limit" not in html  # no market's row: none limits it
    oxide = ProductLineFactory().product  # magnesium oxide: every nutrient of both is limited somewhere
    assert compare.ROW_NO_LIMIT_ANYWHERE not in client.get("/compare/", {"products": f"recover,{oxide.slug}"}).content.decode()


def test_germany_without_a_b6_maximum_is_said_as_the_designs_page_says_it_where_the_eus_limit_is_checked(client):
    """The row read "The library records no upper limit for vitamin B6 in DE", where MoodFlow's page says the EU's
    limits apply in Germany and are checked with the EU's."""
    Product.objects.filter(slug="moodflow").update(markets=["US", "EU", "DE"])
    html = client.get("/compare/", {"products": "recover,moodflow", "markets": "DE"}).content.decode()
    page = html_lib.unescape(text(client.get("/products/moodflow/")))
    said = presenters.NO_NATIONAL_LIMIT_RECORDED.format(nutrients="vitamin B6")

    assert html_lib.unescape(row(html, "DE vitamin B6 limit")) == f"DE vitamin B6 limit — {said}"
    assert said in page


def test_germany_without_limits_is_said_alike_on_the_page_and_in_the_comparison_nutrient_by_nutrient(client):
    """For infants, MoodFlow's page said "no upper limit for vitamin B6 and magnesium in DE" where the comparison said the
    EU's limit for vitamin B6 applies in Germany: the EU limits B6 for infants, not magnesium."""
    Product.objects.filter(slug="moodflow").update(markets=["US", "EU", "DE"], population="infant")
    page = html_lib.unescape(text(client.get("/products/moodflow/")))
    html = html_lib.unescape(client.get("/compare/", {"products": "recover,moodflow", "markets": "DE",
                                                      "population": "infant"}).content.decode())
    b6 = presenters.NO_NATIONAL_LIMIT_RECORDED.format(nutrients="vitamin B6")
    magnesium = presenters.no_limit_recorded("DE", ["Magnesium"])

    assert f"{b6} {magnesium}" in page
    assert row(html, "DE vitamin B6 limit") == f"DE vitamin B6 limit — {b6}"
    assert row(html, "DE limit") == f"DE limit {magnesium} {magnesium}"


def test_a_count_of_capsules_in_the_thousands_has_its_separator_as_every_amount_does(client):
    """ "1671 needed (50 planned)" beside "3,618,221 mg"."""
    Product.objects.filter(slug="recover").update(servings_per_day=20, serving_size=50, capsule_size="4")
    ProductLine.objects.filter(product__slug="recover").update(amount=Decimal("99999.9999"), overage_percent=Decimal("99.99"))

    compared = client.get("/compare/", {"products": "recover,luna"}).content.decode()
    page = client.get("/products/recover/edit").content.decode()

    assert re.match(r"Capsules a serving \d,\d{3} needed \(50 planned\)", row(compared, "Capsules a serving"))
    assert re.search(r'id="capsules-needed">\d,\d{3} at no more than 95% fill', page)
    assert re.search(r'id="overall-fit">.*?: \d,\d{3} needed</span>', page)


def test_the_product_page_words_a_market_without_a_limit_as_the_comparison_does(client):
    Product.objects.filter(slug="recover").update(population="infant", markets=["US", "EU"])

    page = html_lib.unescape(text(client.get("/products/recover/")))

    assert presenters.no_limit_recorded("EU", ["Magnesium"]) in page


# Ties: best and worst marks follow the figures, never the order of the columns ------------------------------------


def _cell(figure: str) -> compare.Cell:
    """A cell from its figure as written here: "4/3" is a capsules cell, 4 needed and 3 planned, judged on the 4 (the
    count planned beside it is no better or worse); "41%@40.6" shows 41% for an unrounded 40.6."""
    if "/" in figure:
        needed, planned = figure.split("/")
        return compare.Cell(Decimal(needed), f"{needed} needed ({planned} planned)", figure=needed)
    text, _, value = figure.partition("@")
    return compare.Cell(Decimal(value or text.strip("%$")), text)


@pytest.mark.parametrize(
    ("figures", "marks"),
    [
        (["4/3", "4/2"], ["", ""]),  # as QA saw them: MagTech and Recover both need 4 capsules, planned 3 and 2
        (["4/3", "4/2", "2/2"], ["worst", "worst", "best"]),
        (["1/1", "4/2", "1/1", "4/3"], ["best", "worst", "best", "worst"]),
        (["41%", "41%@40.6", "69%"], ["best", "best", "worst"]),
        (["41%", "69%", "69%@69.2"], ["best", "worst", "worst"]),
        (["$0.05", "$0.05", "$0.05"], ["", "", ""]),
    ],
    ids=["two-equal", "tied-worst", "tied-both", "tied-best-as-shown", "tied-worst-as-shown", "all-equal"],
)
def test_designs_tied_for_best_or_worst_all_get_the_mark_in_any_column_order(figures, marks):
    from itertools import permutations

    cells = [_cell(figure) for figure in figures]
    for order in permutations(range(len(cells))):
        marked = compare._marked([cells[i] for i in order], compare.Better.LOWER)

        assert [c.mark for c in marked] == [marks[i] for i in order], order


def test_ties_on_a_row_where_higher_is_better_are_marked_alike():
    margins = [compare.Cell(Decimal(206), "206 mg to spare"), compare.Cell(Decimal(70), "70 mg to spare"),
               compare.Cell(Decimal("206.2"), "206 mg to spare"), compare.Cell(Decimal("70.4"), "70 mg to spare")]

    assert [c.mark for c in compare._marked(margins, compare.Better.HIGHER)] == ["best", "worst", "best", "worst"]


def test_two_products_needing_as_many_capsules_get_no_mark_whichever_column_comes_first(client):
    """MagTech's L-threonate raised to 1500 mg: it needs 4 capsules a serving as Recover does, planned 3 against 2."""
    from formulator.models import ProductLine

    ProductLine.objects.filter(product__slug="magtech-complex", compound__slug="magnesium-l-threonate").update(
        amount=1500)
    label = "Capsules a serving"

    pages = [client.get("/compare/", {"products": order}).content.decode()
             for order in ("recover,magtech-complex", "magtech-complex,recover", "recover,magtech-complex,moodflow")]

    assert row(pages[0], label) == f"{label} 4 needed (2 planned) over 4 needed (3 planned) over"
    assert row(pages[1], label) == f"{label} 4 needed (3 planned) over 4 needed (2 planned) over"
    assert row(pages[2], label) == f"{label} 4 needed (2 planned) over 4 needed (3 planned) over 2 needed (2 planned)"


def test_a_us_dv_share_under_2_percent_reads_as_the_designs_page_has_it(client):
    """1.9% of B6's DV a day read "2%" here and "1.9%" on MoodFlow's page, where the panel declares from 2%."""
    ProductLine.objects.filter(product__slug="moodflow", compound__slug="pyridoxine-hydrochloride").update(
        amount=Decimal("0.0196"))

    html = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()
    page = text(client.get("/products/moodflow/"))

    assert row(html, "US vitamin B6 %DV a day") == "US vitamin B6 %DV a day — 1.9%"
    assert "1.9%" in page


def test_capsule_counts_are_not_ranked_an_underfilled_design_was_best(client):
    """Boost's 1 capsule needed, under 80% full, was marked best beside MoodFlow's 2, well filled and twice the dose."""
    html = client.get("/compare/", {"products": "boost,moodflow"}).content.decode()

    assert row(html, "Capsules a serving") == "Capsules a serving 1 needed (1 planned) underfilled 2 needed (2 planned)"



def test_the_daily_reference_rows_say_they_are_magnesiums(client):
    """MoodFlow's vitamin B6 has a DV too: "US %DV a day" alone did not say whose it was."""
    from formulator.compare import GROUP_DAILY_REFERENCE

    html = html_lib.unescape(client.get("/compare/", {"products": "recover,moodflow"}).content.decode())

    assert GROUP_DAILY_REFERENCE == "Daily reference (magnesium)" and GROUP_DAILY_REFERENCE in html


def test_every_other_nutrient_is_compared_a_day_with_its_daily_references(client):
    """Only magnesium had its amount and %DV compared: MoodFlow's vitamin B6, at 581% of its US DV, and Luna's 3 g of
    glycine were on their own pages alone."""
    html = client.get("/compare/", {"products": "recover,moodflow,luna"}).content.decode()
    moodflow = html_lib.unescape(client.get("/products/moodflow/").content.decode())

    assert row(html, "Vitamin B6 per day") == "Vitamin B6 per day — 9.9 mg —"
    assert row(html, "Glycine per day") == "Glycine per day — 1,483 mg 3,000 mg"
    assert row(html, "L-Theanine per day") == "L-Theanine per day — 200 mg —"
    assert row(html, "US vitamin B6 %DV a day") == "US vitamin B6 %DV a day — 581% —"
    assert row(html, "EU vitamin B6 %NRV a day") == "EU vitamin B6 %NRV a day — 705% —"
    assert row(html, "US %DV a day") == "US %DV a day 34% 57% 36%"  # magnesium's, as before
    assert "9.9 mg" in moodflow and "581%" in moodflow  # the product page's own figures


def test_stacks_compare_their_other_nutrients_and_the_csv_carries_them(client):
    _stack("MoodFlow only", ("moodflow", "morning"))  # one serving a day: half MoodFlow's label day

    html = client.get("/compare/", {"stacks": "ntrpx-daily,moodflow-only"}).content.decode()
    response = client.get("/compare/export.csv", {"stacks": "ntrpx-daily,moodflow-only"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert row(html, "Vitamin B6 per day") == "Vitamin B6 per day — 4.9 mg"
    assert row(html, "L-Theanine per day") == "L-Theanine per day 200 mg 100 mg"  # Boost's, and MoodFlow's serving
    assert [compare.GROUP_OTHER_NUTRIENTS, "Vitamin B6 per day", "—", "4.9 mg"] in rows
    assert [compare.GROUP_DAILY_REFERENCE_OTHER, "US vitamin B6 %DV a day", "—", "290%"] in rows


def test_a_share_of_a_limit_just_over_it_does_not_read_as_the_limit(client):
    """Compared, 100.4% of a limit read "100% over", where the safety table said 100.4%."""
    from decimal import Decimal

    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    over = ProductFactory(markets=["EU"], slug="just-over")
    ProductLineFactory(product=over, compound=Compound.objects.get(slug="magnesium-l-threonate"), amount=Decimal("3487.5"))

    html = client.get("/compare/", {"products": "recover,just-over", "markets": "EU"}).content.decode()

    assert row(html, "EU % of limit").startswith("EU % of limit 58% ▲ 100.4% over")


def test_a_bar_reaches_the_amount_with_overage_its_limits_are_judged_on(client):
    """MoodFlow at 240 mg declared and 10% overage is 264 mg, 14 mg over the EU's 250 mg: its red bar stopped at 240 mg,
    short of the limit's line, and the table never showed the 264 mg its percentages were of."""
    from formulator.models import ProductLine

    ProductLine.objects.filter(product__slug="moodflow", compound__slug="magnesium-bisglycinate").update(overage_percent=10)
    response = client.get("/compare/", {"products": "recover,moodflow"})
    html = response.content.decode()
    chart = response.context["chart_daily"]
    recover, moodflow = chart["bars"]
    eu = next(line for line in chart["lines"] if line["label"] == "EU UL 250 mg")

    assert moodflow["label"] == "264 mg" and moodflow["status"] == "over"
    assert chart["left"] + moodflow["width"] < eu["x"] < moodflow["overage_x"] + moodflow["overage_width"]
    assert recover["overage_width"] == 0 and html.count('class="overage"') == 1
    assert row(html, "Per day") == "Per day 144 mg 240 mg"
    assert row(html, compare.ROW_DAY_WITH_OVERAGE) == f"{compare.ROW_DAY_WITH_OVERAGE} 144 mg 264 mg"


def test_without_overage_there_is_no_row_for_it(client):
    html = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()

    assert compare.ROW_DAY_WITH_OVERAGE not in html


def test_the_compound_comparison_gives_each_grades_reason_as_text_not_only_as_a_tooltip(client):
    """A keyboard or a screen reader could not reach "1 human study; mixed results.": it was in a title only."""
    html = client.get("/compounds/compare/", {"compounds": "magnesium-l-threonate"}).content.decode()

    assert '<span class="visually-hidden"> (1 randomised study, consistent, 80 participants.)</span>' in html


def test_a_target_at_fault_is_said_once_on_the_page(client):
    """The full page gave its message twice, in two elements of one id, one of them the field's description."""
    html = client.get("/compounds/compare/", {"target": "12x"}).content.decode()

    assert html.count('id="err-target"') == 1 and html.count("Enter a target from 0.001 mg to 100,000 mg") == 1
    assert 'aria-describedby="err-target"' in html


def test_the_compound_comparison_gives_the_mass_solve_writes_which_gives_at_least_the_target(client):
    """The comparison said 1,418.8 mg of bisglycinate for 200 mg (199.997 mg), where Solve wrote 1,418.9 mg."""
    from compounds.models import Compound
    from formulator import services

    page = client.get("/compounds/compare/", {"compounds": "magnesium-bisglycinate", "target": "200"}).content.decode()
    row = {"compound": "magnesium-bisglycinate", "target_mg": "200", "amount": "", "unit": "mg"}
    services.row_solve(row, Compound.objects.get(slug="magnesium-bisglycinate"))

    assert row["amount"] == "1418.9"
    assert re.search(r'<td class="num mass"[^>]*>1,418.9 mg</td>', page)


def test_a_designs_limits_are_judged_in_its_own_markets_and_another_markets_status_said_beside(client):
    """Beside a product sold in Germany, Recover read "over" (Germany's 125 mg a dose), where its own page says ok."""
    Product.objects.filter(slug="moodflow").update(markets=["US", "EU", "DE"])
    html = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()

    recover = row(html, "Limits").removeprefix("Limits ").split(" near")[0]
    assert recover == "ok " + compare.NOTE_STATUS_ELSEWHERE.format(status="over", markets="DE")
    assert "(not designed for DE)" in row(html, "DE largest single dose").split("a day")[0]
    assert client.get("/products/recover/").context["report"].status == "ok"


def test_a_designs_magnesium_a_day_reads_as_its_own_page_writes_it_never_as_a_limit_it_is_not(client):
    """Luna at 2.33 servings: 349.5 mg a day on its page, "350 mg" beside the US limit of 350 mg in the comparison."""
    from accounts.models import Team
    from formulator import services

    luna = Product.objects.get(slug="luna")
    services.stack_save(stack=None, fields={"name": "Luna only", "markets": ["US"], "population": "adult", "notes": ""},
                        items=[services.ItemData(luna, Decimal("2.33"), "evening")], expected_version=None,
                        team=Team.objects.get(slug="ntrpx-labs"))

    html = client.get("/compare/", {"stacks": "ntrpx-daily,luna-only", "markets": "US"}).content.decode()

    assert row(html, "Per day").startswith("Per day 294 mg 349.5 mg")


def test_products_compare_their_doses_against_the_studies_in_their_pages_words(client):
    """Recover's and MagTech's pages grade their claims and set each magnesium form's dose against the studied doses:
    compared side by side, only the grades were shown."""
    html = html_lib.unescape(client.get("/compare/", {"products": "recover,magtech-complex"}).content.decode())
    recover = html_lib.unescape(text(client.get("/products/recover/")))
    magtech = html_lib.unescape(text(client.get("/products/magtech-complex/")))

    assert row(html, "Claim: sleep") == "Claim: sleep grade C grade C"
    assert row(html, "Dose against studied doses: Magnesium L-threonate") == (
        "Dose against studied doses: Magnesium L-threonate "
        "within 2,000 mg/day (144 mg elemental); above 1 and within 1 of the 2 studies' doses "
        "within 1,000 mg/day (72 mg elemental); within 1 and below 1 of the 2 studies' doses")
    assert "within 2,000 mg/day (144 mg elemental) above 1 and within 1 of the 2 studies' doses" in recover
    assert "within 1,000 mg/day (72 mg elemental) within 1 and below 1 of the 2 studies' doses" in magtech
    # Recover has no taurate; MagTech's has no study with a dose, which its page says of it too.
    assert row(html, "Dose against studied doses: Magnesium taurate") == (
        "Dose against studied doses: Magnesium taurate — no studied dose in the library")
    assert "Magnesium taurate No studied dose of this ingredient in the library." in magtech
    notes = row(html, "Doses and the claims' studies")
    for page in (recover, magtech):
        note = re.search(r"Magnesium L-threonate: within the span of its studied doses, .*?\)\.", page).group()
        assert note in notes
    # Within the studies' doses is no better than above them for every design: not ranked.
    assert "(best)" not in row(html, "Dose against studied doses: Magnesium L-threonate")


def test_the_csv_carries_the_doses_against_the_studies(client):
    response = client.get("/compare/export.csv", {"products": "recover,magtech-complex"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert ["Evidence", "Dose against studied doses: Magnesium L-threonate",
            "within 2,000 mg/day (144 mg elemental); above 1 and within 1 of the 2 studies' doses",
            "within 1,000 mg/day (72 mg elemental); within 1 and below 1 of the 2 studies' doses"] in rows
    assert ["Evidence", "Dose against studied doses: Magnesium bisglycinate", "—", "no studied dose in the library"] in rows
    notes = next(r for r in rows if r[1] == "Doses and the claims' studies")
    assert "not within the dose of any study of sleep" in notes[2]
    assert "not within the dose of any study of cognition" in notes[3]
