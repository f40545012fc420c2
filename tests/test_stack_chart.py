"""The stack chart's geometry: limit lines over a stacked bar, their labels placed as the comparison's chart does.

QA's figures: NTRPX Daily with every market ticked and Recover and Luna taken 20 times a day each, 2,880 and 3,000 mg,
5,880 mg a day: its limits (250, 350 and 500 mg) crowd against the left edge of the bar.
"""

import re
from decimal import Decimal
from itertools import combinations

import pytest

from compounds.models import Compound
from formulator import engine, labels, reports

WIDTH = 640
# The box a label takes as DejaVu Sans draws it: 0.64 em a glyph on average, 0.93 em up, 0.24 em down.
GLYPH, ASCENT, DESCENT = 0.64, 0.93, 0.24
HALF_STROKE = 1  # the stack chart's limit lines are 2 units wide
# Every magnesium limit a day of the five markets for adults, in the order the markets are ticked.
LIMITS = [("US", engine.Kind.UL, 350), ("EU", engine.Kind.UL, 250), ("CA", engine.Kind.UL, 350),
          ("CA", engine.Kind.MAX, 500), ("AU-NZ", engine.Kind.UL, 350), ("DE", engine.Kind.MAX, 250)]


def stack_result(recover_mg: str, luna_mg: str) -> engine.StackResult:
    """A stack of Recover and Luna as the chart reads it, without the database, with Germany's rule on a single dose
    that the chart of daily amounts does not draw."""
    recover, luna = Decimal(recover_mg), Decimal(luna_mg)
    total = recover + luna
    references = [engine.Reference("magnesium", kind, market, "adult", Decimal(mg)) for market, kind, mg in LIMITS]
    references.append(engine.Reference("magnesium", engine.Kind.MAX, "DE", "adult", Decimal(125), per=engine.Per.DOSE))
    assessments = tuple(engine.Assessment(ref, total, None, ref.amount_mg - total,
                                          engine.Status.OVER if total > ref.amount_mg else engine.Status.OK)
                        for ref in references)
    shares = tuple(engine.Share(slug, name, mg, mg / total if total else None)
                   for slug, name, mg in (("recover", "Recover", recover), ("luna", "Luna", luna)))
    return engine.StackResult(products=(), per_day_label_mg={"magnesium": total},
                              per_day_formula_mg={"magnesium": total}, shares={"magnesium": shares},
                              assessments=assessments)


def box(x: float, y: float, anchor: str, text: str, font: float) -> tuple[float, float, float, float]:
    width = len(text) * GLYPH * font
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, y - ASCENT * font, left + width, y + DESCENT * font)


def clashes(drawn: list[dict]) -> list[str]:
    """Labels over each other, and lines through a label; each line runs from its top down through the bar."""
    found = [f"{a['text']} over {b['text']}" for a, b in combinations(drawn, 2)
             if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2]
             and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]
    found += [f"the line of {line['text']} through {other['text']}" for line in drawn for other in drawn
              if other["box"][0] - HALF_STROKE <= line["x"] <= other["box"][2] + HALF_STROKE
              and line["top"] < other["box"][3]]
    return found


def drawn(chart: dict) -> list[dict]:
    font = float(chart["limit_font"])
    return [{"x": float(line["x"]), "top": float(line["top"]), "text": line["text"],
             "box": box(float(line["label_x"]), float(line["label_y"]), line["label_anchor"], line["text"], font)}
            for line in chart["limits"]]


@pytest.mark.parametrize(
    ("recover_mg", "luna_mg"),
    [("2880", "3000"), ("144", "150"), ("144", "300"), ("144", "1500"), ("14400", "15000"), ("1440000", "1500000"),
     ("0", "0")],
    ids=["qa-5880-mg", "seed-294-mg", "444-mg", "1644-mg", "29400-mg", "2940000-mg", "none"],
)
def test_the_limit_labels_stand_apart_inside_the_drawing_at_any_total(recover_mg, luna_mg):
    chart = reports.stacked_bar(stack_result(recover_mg, luna_mg), "magnesium", {})
    labels = drawn(chart)

    assert [d["text"] for d in labels] == ["EU UL, DE MAX 250 mg", "US, CA, AU-NZ UL 350 mg", "CA MAX 500 mg"]
    assert clashes(labels) == []
    for d, line in zip(labels, chart["limits"], strict=True):
        left, top, right, bottom = d["box"]
        assert 0 <= left and right <= chart["width"] == WIDTH, d
        assert 0 <= top and bottom < chart["track_y"], d  # above the bar, inside the drawing
        span_left, span_right = map(float, line["label_span"])  # the extent reserved holds the text as drawn
        assert span_left - 0.05 <= left and right <= span_right + 0.05, d  # to its rounding to 0.1
        beside = 2 * 4  # the label's end, or its start, a few units from its own line
        assert span_right <= d["x"] <= span_right + beside or span_left - beside <= d["x"] <= span_left, d
    assert chart["track_y"] + chart["track_height"] < chart["line_bottom"] < chart["height"]


def test_at_qas_figures_the_crowded_labels_step_down_beside_their_lines():
    """The lines of 250, 350 and 500 mg stand 10 to 15 units apart at 5,880 mg: each label right of its own line, one
    row each, the leftmost line's on top, so that no line runs up through the label of another."""
    chart = reports.stacked_bar(stack_result("2880", "3000"), "magnesium", {})

    rows = [line["label_y"] for line in chart["limits"]]
    assert [line["label_anchor"] for line in chart["limits"]] == ["start"] * 3
    assert rows == sorted(rows) and len(set(rows)) == 3
    assert [line["x"] for line in chart["limits"]] == sorted(line["x"] for line in chart["limits"])
    assert chart["limits"][-1]["x"] - chart["limits"][0]["x"] < 30  # squeezed together, as QA saw them


def elements(html: str, tag: str) -> list[tuple[dict[str, str], str]]:
    """Each <tag> of the stack chart's drawing, with its attributes and its text."""
    figure = re.search(r'<figure class="chart" id="stack-chart" tabindex="0" data-scroll-stop>.*?</svg>', html, re.S).group(0)
    return [(dict(re.findall(r'([\w-]+)="([^"]*)"', attributes)), text)
            for attributes, text in re.findall(rf"<{tag} ([^>]*?)/?>(?:([^<]*)</{tag}>)?", figure)]


@pytest.mark.django_db
def test_the_editor_draws_qas_stack_with_its_labels_apart_and_inside_the_chart(client):
    from tests.test_workbench import HX, stack_post

    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{
        "markets": ["US", "EU", "CA", "AU-NZ", "DE"], "items-0-servings_per_day": "20",
        "items-1-servings_per_day": "20"}), **HX).content.decode()
    (svg, _), = elements(html, "svg")
    width = float(svg["viewBox"].split()[2])
    labels = [{"x": float(line["x1"]), "top": float(line["y1"]), "text": text,
               "box": box(float(t["x"]), float(t["y"]), t["text-anchor"], text, float(t["font-size"]))}
              for (line, _), (t, text) in zip(elements(html, "line"), elements(html, "text"), strict=True)]

    assert '<strong id="mg-day">5,880 mg</strong>' in html
    assert [d["text"] for d in labels] == ["EU UL, DE MAX 250 mg", "US, CA, AU-NZ UL 350 mg", "CA MAX 500 mg"]
    assert clashes(labels) == []
    assert all(0 <= d["box"][0] and d["box"][2] <= width and d["box"][1] >= 0 for d in labels), labels


@pytest.mark.django_db
def test_a_limit_of_food_and_formula_only_is_drawn_at_nothing(client):
    """For infants the chart drew no limit, and its title named none, beside rows saying the stack is over the US's."""
    from formulator.presenters import NO_AMOUNT_FOOD_ONLY
    from tests.test_workbench import HX, stack_post

    html = client.post("/stacks/ntrpx-daily/edit", stack_post(population="infant", markets=["US"]), **HX).content.decode()
    (line, _), = elements(html, "line")
    (_, text), = elements(html, "text")

    assert (float(line["x1"]), line["stroke"], text) == (8.0, "#b42318", f"US UL {NO_AMOUNT_FOOD_ONLY}")  # at 0, red: over
    assert re.search(rf"<title id=\"chart-title\">Magnesium a day by product: [^<]*; US UL {NO_AMOUNT_FOOD_ONLY}</title>", html)
    compared = client.get("/compare/", {"products": "recover,luna", "markets": "US", "population": "infant"})
    assert f">US UL {NO_AMOUNT_FOOD_ONLY}</text>" in compared.content.decode()  # the comparison's daily chart too


def test_a_stack_of_twelve_products_draws_each_in_its_own_colour():
    """A stack of nine drew its ninth product in the first one's colour: the legend could not tell them apart."""
    shares = tuple(engine.Share(f"p{i}", f"Product {i}", Decimal(10), Decimal(1) / 12) for i in range(12))
    result = engine.StackResult(products=(), per_day_label_mg={"magnesium": Decimal(120)},
                                per_day_formula_mg={"magnesium": Decimal(120)}, shares={"magnesium": shares}, assessments=())

    chart = reports.stacked_bar(result, "magnesium", {})

    assert len({segment["colour"] for segment in chart["segments"]}) == 12


def test_no_product_is_drawn_in_a_status_colour():
    """Keep the warning colours for the limits: a product's bar in the near or over colour would read as a status."""
    from formulator import compare, reports

    status_colours = {fill for fill, _ in compare.BAR_FILL.values()}

    assert not status_colours & set(reports.BAR_COLOURS)


def test_a_stack_costs_its_products_costs_a_day_and_shows_it(client):
    """No cost anywhere for a stack: its cost a day could not be checked at all."""
    from formulator.models import Product, Stack
    from formulator.reports import Library, saved_product_report, saved_stack_report

    library = Library.load()
    stack = Stack.objects.get(slug="ntrpx-daily")
    expected = sum(saved_product_report(item.product, library).cost.per_serving * item.servings_per_day
                   for item in stack.items.all())
    report = saved_stack_report(stack, library)
    magnesium = report.result.per_day_label_mg["magnesium"]

    assert report.cost.per_day == expected
    assert report.cost.per_100_mg == expected / magnesium * 100
    page = client.get("/stacks/ntrpx-daily/").content.decode()
    assert f'<td class="num-left" id="cost-per-day">{labels.money(expected)}</td>' in page
    assert "overages; the magnesium is what their labels declare." in page  # what per 100 mg divides by what
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()
    assert sheet["cost"]["per_day_usd"] == labels.export_number(expected)
    boost_compound = Product.objects.get(slug="boost").lines.first().compound
    Compound.objects.filter(pk=boost_compound.pk).update(cost_per_kg=None)
    assert f"Price missing for {boost_compound.name}" in client.get("/stacks/ntrpx-daily/").content.decode()


def test_the_overage_ends_the_bar_so_a_stack_over_a_limit_reaches_past_its_line():
    """QA's stack was drawn at its declared 781 mg where its limits were judged at 804 mg, with overage: a stack of 240 mg
    declared and 264 mg with overage is over the EU's 250 mg, and its bar must reach past that line."""
    declared = stack_result("100", "140")
    result = engine.StackResult(products=(), per_day_label_mg={"magnesium": Decimal(240)},
                                per_day_formula_mg={"magnesium": Decimal(264)}, shares=declared.shares,
                                assessments=declared.assessments)

    chart = reports.stacked_bar(result, "magnesium", {})
    overage = chart["segments"][-1]
    products_end = chart["segments"][-2]["x"] + chart["segments"][-2]["width"]
    eu = next(line for line in chart["limits"] if line["text"].startswith("EU UL"))

    assert [s["name"] for s in chart["segments"]] == ["Recover", "Luna", reports.STACK_OVERAGE]
    assert overage["amount_text"] == "24 mg" and overage["colour"] not in reports.BAR_COLOURS
    assert abs(overage["x"] - products_end) < Decimal("0.2")
    assert chart["total_text"] == "240 mg" and chart["judged_text"] == "264 mg with overage"
    assert products_end < eu["x"] < overage["x"] + overage["width"]


def test_a_stack_without_overage_draws_no_overage():
    chart = reports.stacked_bar(stack_result("144", "150"), "magnesium", {})

    assert [s["name"] for s in chart["segments"]] == ["Recover", "Luna"] and chart["judged_text"] == ""
