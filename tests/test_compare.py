"""Comparing designs and compounds: the engine's numbers side by side, best and worst marked."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from formulator import compare
from formulator.models import Product
from tests.factories import ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def row(html: str, label: str) -> str:
    match = re.search(rf'<tr data-row="{re.escape(label)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, label
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_products_compared_side_by_side_with_the_engine_numbers(client):
    html = client.get("/compare/", {"products": "recover,moodflow,magtech-complex"}).content.decode()

    assert row(html, "Per day") == "Per day 144 mg 240 mg 144 mg"
    assert row(html, "EU % of limit") == "EU % of limit 58% 96% near ▼ 57% ▲"
    assert row(html, "Forms (share of magnesium)") == (
        "Forms (share of magnesium) Magnesium L-threonate 100% Magnesium bisglycinate 100% "
        "Magnesium L-threonate 50%; Magnesium bisglycinate 34%; Magnesium taurate 16%"
    )
    assert row(html, "Status") == "Status ok near ok"


def test_a_product_excluded_by_law_for_the_compared_population_says_where(client):
    adults = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()
    pregnancy = client.get("/compare/", {"products": "recover,moodflow", "population": "pregnancy"}).content.decode()
    us_only = client.get("/compare/", {"products": "recover,moodflow", "population": "pregnancy",
                                       "markets": "US"}).content.decode()

    label = "Excluded by law for this population"
    assert row(adults, label) == f"{label} none none"
    assert row(pregnancy, label) == f"{label} Magnesium L-threonate in EU over none"  # Reg. (EU) 2024/2694
    assert row(us_only, label) == f"{label} none none"


def test_designs_made_for_one_population_are_compared_for_it_unless_another_is_chosen(client):
    Product.objects.filter(slug__in=["recover", "moodflow"]).update(population="pregnancy")

    designed = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()
    chosen = client.get("/compare/", {"products": "recover,moodflow", "population": "adult"}).content.decode()
    mixed = client.get("/compare/", {"products": "recover,magtech-complex"}).content.decode()

    label = "Excluded by law for this population"
    assert '<option value="pregnancy" selected>' in designed
    assert row(designed, label) == f"{label} Magnesium L-threonate in EU over none"
    assert row(chosen, label) == f"{label} none none"
    assert '<option value="adult" selected>' in mixed


def test_equal_displayed_values_get_the_same_mark(client):
    html = client.get("/compare/", {"products": "recover,moodflow,magtech-complex"}).content.decode()

    assert row(html, "US % of limit") == "US % of limit 41% ▲ 69% ▼ 41% ▲"


def test_rows_that_do_not_differ_can_be_hidden(client):
    html = client.get("/compare/", {"products": "recover,magtech-complex", "differs": "1"}).content.decode()

    assert 'data-row="Per day"' not in html  # 144 mg in both
    assert 'data-row="Forms (share of magnesium)"' in html


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
    assert row(html, "EU margin to limit") == "EU margin to limit 44 mg over over ▼ 100 mg to spare ▲"


def test_the_same_design_twice_is_one_design(client):
    assert compare.ERROR_TOO_FEW in client.get("/compare/", {"stacks": "ntrpx-daily,ntrpx-daily"}).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"products": "recover"}, compare.ERROR_TOO_FEW),
        ({"products": "a,b,c,d,e,f,g"}, compare.ERROR_TOO_MANY),
        ({"products": "recover,nope"}, compare.ERROR_UNKNOWN.format(kind="product", slugs="nope")),
    ],
)
def test_bad_picks_say_what_is_wrong(client, query, message):
    response = client.get("/compare/", query)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_csv_export_carries_the_same_figures(client):
    response = client.get("/compare/export.csv", {"products": "recover,moodflow"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["group", "figure", "Recover", "MoodFlow"]
    assert ["Magnesium", "Per day", "144 mg", "240 mg"] in rows
    assert ["Safety", "EU margin to limit", "106 mg to spare; ok", "10 mg to spare; near"] in rows
    assert ["Safety", "EU % of limit", "58%; ok", "96%; near"] in rows  # the badges the page shows beside them
    assert ["Manufacturing", "Capsules a serving", "4 needed (2 planned); over", "2 needed (2 planned); ok"] in rows
    assert ["Safety", "Status", "ok", "near"] in rows
    assert client.get("/compare/export.csv", {"products": "recover"}).status_code == 400


def test_charts_are_server_rendered_svg_with_limit_lines(client):
    html = client.get("/compare/", {"products": "recover,moodflow"}).content.decode()

    assert '<figure class="chart" id="chart-daily">' in html
    assert html.count('class="bar"') == 2
    assert "EU UL 250 mg" in html and "US DV 420 mg" in html


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


def test_compound_comparison_solves_the_mass_for_a_target(client):
    html = client.get("/compounds/compare/", {"compounds": "magnesium-oxide,magnesium-l-threonate", "target": "144"}).content.decode()

    threonate = re.search(r'<tr data-compound="magnesium-l-threonate">(.*?)</tr>', html, re.S).group(1)
    oxide = re.search(r'<tr data-compound="magnesium-oxide">(.*?)</tr>', html, re.S).group(1)
    assert "2,000 mg" in threonate and "8.25%" in threonate and "7.20%" in threonate
    assert "238.8 mg" in oxide and "60.30%" in oxide


def test_compound_comparison_defaults_to_200_mg_and_every_magnesium_form(client):
    html = client.get("/compounds/compare/").content.decode()

    assert "Mass for 200 mg Mg" in html
    assert html.count("<tr data-compound=") == 19


def test_compound_comparison_live_target_and_bad_target(client):
    live = client.get("/compounds/compare/", {"target": "100"}, HTTP_HX_REQUEST="true")
    bad = client.get("/compounds/compare/", {"target": "-3"}, HTTP_HX_REQUEST="true")

    assert "<html" not in live.content.decode() and "Mass for 100 mg Mg" in live.content.decode()
    assert bad["HX-Reswap"] == "none"
    assert "Enter a target above 0 mg and at most 100,000 mg, e.g. 200." in bad.content.decode()
    comma = client.get("/compounds/compare/", {"target": "1,5"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Write numbers without commas: a point for decimals (1.5), no thousands separator (1500)." in comma


def test_a_value_over_its_limit_is_never_marked_best():
    from decimal import Decimal

    cells = [compare.Cell(Decimal(118), "118%", status="over"), compare.Cell(Decimal(130), "130%", status="over"),
             compare.Cell(Decimal(90), "90%", status="near")]

    over_only = compare._marked(cells[:2], compare.Better.LOWER)
    with_one_within = compare._marked(cells, compare.Better.LOWER)

    assert [c.mark for c in over_only] == ["", "worst"]
    assert [c.mark for c in with_one_within] == ["", "worst", "best"]
