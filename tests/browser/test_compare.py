"""Comparing designs in a real browser: picking them, reading the table, sharing the URL, variants, compounds.

Seed figures used below: Recover gives 144 mg magnesium a day (58% of the EU limit of 250 mg), MoodFlow
240 mg (96%), MagTech Magnesium Complex 144 mg a day from three forms. Magnesium oxide is 60.30%
magnesium by formula and magnesium L-threonate 7.20% as specified, so 144 mg of magnesium takes 238.8 mg
and 2,000 mg of them, and 200 mg takes 331.7 mg and 2,777.8 mg.
"""

import re
from itertools import combinations
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from formulator import compare, presenters

pytestmark = pytest.mark.browser

TOO_FEW = "Choose at least 2 designs to compare."
TARGET_ERROR = "Enter a target from 0.001 mg to 100,000 mg, e.g. 200."
COMPOUNDS = "/compounds/compare/?compounds=magnesium-oxide&compounds=magnesium-l-threonate"


@pytest.fixture
def page(new_context) -> Page:
    """A page signed in as the demo team's formulator (every page of the app needs a signed-in user)."""
    return new_context(user="formulator").new_page()


def cell(page: Page, row: str, design: str):
    """The cell of the comparison in the row labelled `row` and the column headed `design`."""
    heading = page.locator("#comparison thead th", has_text=re.compile(rf"^{re.escape(design)}$"))
    expect(heading, f"no column headed {design!r}").to_have_count(1)
    headers = page.locator("#comparison thead th").all_inner_texts()
    return page.locator(f"#comparison tr[data-row='{row}'] td").nth(headers.index(design) - 1)


def queried(page: Page, name: str) -> list[str]:
    """The values of a repeated query parameter in the page's URL."""
    return parse_qs(urlsplit(page.url).query).get(name, [])


def expect_recover_and_moodflow(page: Page) -> None:
    expect(page.locator("#comparison thead th")).to_have_count(3)  # "Figure" and one column per design
    expect(cell(page, "Per day", "Recover")).to_have_text("144 mg")
    expect(cell(page, "Per day", "MoodFlow")).to_have_text("240 mg")
    expect(cell(page, "EU % of limit", "Recover")).to_have_text(re.compile(r"^58%"))
    expect(cell(page, "EU % of limit", "MoodFlow")).to_have_text(re.compile(r"^96%"))


def test_picking_products_from_the_list_gives_a_shareable_comparison(page: Page, new_context):
    page.goto("/products/")
    picker = page.locator("form#product-picker")
    picker.locator("input[name=products][value=recover]").check()
    picker.locator("input[name=products][value=moodflow]").check()
    picker.get_by_role("button", name="Compare selected (2 to 6)").click()

    expect(page).to_have_url(re.compile(r"/compare/\?"))
    assert urlsplit(page.url).path == "/compare/"
    assert sorted(queried(page, "products")) == ["moodflow", "recover"], page.url
    expect(page.locator("#compare-error")).to_have_count(0)
    expect(page.locator("#comparison")).to_be_visible()
    expect_recover_and_moodflow(page)
    # The picker on the comparison page shows what was chosen, so the choice can be changed from there.
    expect(page.locator("#compare-picker input[name=products]:checked")).to_have_count(2)

    shared = page.url
    page.reload()
    expect(page).to_have_url(shared)
    expect_recover_and_moodflow(page)

    colleague = new_context(user="demo").new_page()  # the link sent to someone else on the team
    colleague.goto(shared)
    expect_recover_and_moodflow(colleague)


def test_the_eu_limit_row_marks_the_best_and_the_worst(page: Page):
    page.goto("/compare/?products=recover&products=moodflow")
    recover = cell(page, "EU % of limit", "Recover")
    moodflow = cell(page, "EU % of limit", "MoodFlow")

    expect(recover).to_have_class(re.compile(r"\bmark-best\b"))
    expect(recover.locator(".mark")).to_have_text("▲")
    expect(moodflow).to_have_class(re.compile(r"\bmark-worst\b"))
    expect(moodflow.locator(".mark")).to_have_text("▼")
    row = page.locator("#comparison tr[data-row='EU % of limit']")
    expect(row.locator("td.mark-best")).to_have_count(1)
    expect(row.locator("td.mark-worst")).to_have_count(1)


def test_the_market_boxes_say_the_market_in_full_and_what_none_ticked_means(page: Page):
    page.goto("/compare/?products=recover&products=moodflow")
    germany = page.get_by_role("checkbox", name="DE — Germany (BfR national rule)")

    expect(germany).to_be_visible()
    expect(germany).to_have_accessible_description(re.compile(r"^With no market ticked, every market any of the designs"))


def test_only_rows_that_differ_hides_the_equal_rows(page: Page):
    page.goto("/compare/")
    picker = page.locator("#compare-picker")
    picker.locator("input[name=products][value=recover]").check()
    picker.locator("input[name=products][value=magtech-complex]").check()
    picker.get_by_role("button", name="Compare", exact=True).click()

    per_day = page.locator("#comparison tr[data-row='Per day']")
    forms = page.locator("#comparison tr[data-row='Forms (share of magnesium)']")
    expect(per_day).to_be_visible()
    expect(cell(page, "Per day", "Recover")).to_have_text("144 mg")
    expect(cell(page, "Per day", "MagTech Magnesium Complex")).to_have_text("144 mg")
    expect(forms).to_be_visible()

    picker.get_by_label("Only rows that differ").check()
    picker.get_by_role("button", name="Compare", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]differs=1(&|$)"))
    expect(per_day).to_have_count(0)
    expect(forms).to_be_visible()
    expect(cell(page, "Forms (share of magnesium)", "Recover")).to_have_text("Magnesium L-threonate 100%")
    expect(picker.get_by_label("Only rows that differ")).to_be_checked()


def test_picking_only_one_product_asks_for_two(page: Page):
    page.goto("/products/")
    picker = page.locator("form#product-picker")
    picker.locator("input[name=products][value=recover]").check()
    picker.get_by_role("button", name="Compare selected (2 to 6)").click()

    expect(page).to_have_url(re.compile(r"/compare/\?products=recover$"))
    expect(page.locator("#compare-error")).to_have_text(TOO_FEW)
    expect(page.locator("#comparison")).to_have_count(0)


def test_a_variant_edited_in_the_workbench_compares_with_its_original(page: Page):
    page.goto("/products/recover/")
    page.get_by_role("button", name="Duplicate as variant").click()

    expect(page).to_have_url(re.compile(r"/products/recover-v2/edit$"))
    amount = page.locator("input[name='lines-0-amount']")
    expect(amount).to_have_value("2000")
    amount.fill("2500")
    expect(page.locator("#mg-serving")).to_have_text("180 mg")
    page.click("button[value='save']")

    expect(page).to_have_url(re.compile(r"/products/recover-v2/$"))
    compare_original = page.locator("#compare-original")
    expect(compare_original).to_have_text("Compare with Recover")
    compare_original.click()

    expect(page).to_have_url(re.compile(r"/compare/\?products=recover(,|%2C)recover-v2$"))
    expect(page.locator("#compare-error")).to_have_count(0)
    changed = page.locator("#changes tbody tr", has=page.locator("td", has_text=re.compile(r"^Magnesium L-threonate$")))
    expect(changed).to_have_count(1)
    expect(changed.locator("td")).to_have_text(["Magnesium L-threonate", "2,000 mg", "2,500 mg"])
    expect(cell(page, "Per day", "Recover")).to_have_text("144 mg")
    expect(page.locator("#comparison tr[data-row='Per day'] td").nth(1)).to_have_text("180 mg")


def test_the_compound_target_recalculates_live_and_keeps_the_table_on_a_bad_value(page: Page):
    page.goto(COMPOUNDS)
    oxide = page.locator("#compound-table tr[data-compound='magnesium-oxide'] td.mass")
    threonate = page.locator("#compound-table tr[data-compound='magnesium-l-threonate'] td.mass")
    expect(page.locator("#compound-table tbody tr")).to_have_count(2)
    expect(oxide).to_have_text("331.7 mg")
    expect(threonate).to_have_text("2,777.8 mg")
    page.evaluate("window.__sameDocument = 'still here'")
    target = page.get_by_label("Target magnesium (mg)")
    expect(target).to_have_value("200")
    # The button a page without JavaScript needs is hidden: the table follows the target as it is typed.
    expect(page.get_by_role("button", name="Compare", exact=True)).to_be_hidden()

    target.fill("144")

    expect(oxide).to_have_text("238.8 mg")
    expect(threonate).to_have_text("2,000 mg")
    expect(page.locator("#err-target")).to_have_text("")
    assert page.evaluate("window.__sameDocument") == "still here", "the page reloaded instead of updating in place"

    # Chromium lets no letters into a number field, so "abc" leaves it without a number: no target at all.
    target.select_text()
    target.press_sequentially("abc")

    expect(page.locator("#err-target")).to_have_text(TARGET_ERROR)
    expect(oxide, "the last valid table stays").to_have_text("238.8 mg")
    expect(threonate).to_have_text("2,000 mg")

    target.fill("100")

    expect(page.locator("#err-target")).to_have_text("")
    expect(oxide).to_have_text("165.9 mg")
    expect(threonate).to_have_text("1,388.9 mg")

    target.select_text()
    target.press_sequentially("-5")

    expect(page.locator("#err-target")).to_have_text(TARGET_ERROR)
    expect(oxide, "the last valid table stays").to_have_text("165.9 mg")
    expect(threonate).to_have_text("1,388.9 mg")
    assert page.evaluate("window.__sameDocument") == "still here", "the page reloaded instead of updating in place"


def test_the_charts_have_one_bar_per_design(page: Page):
    page.goto("/compare/?products=recover&products=moodflow&products=magtech-complex")
    expect(page.locator("#comparison thead th")).to_have_count(4)

    bars = page.locator("#chart-daily rect.bar")
    expect(bars).to_have_count(3)
    expect(bars.locator("title")).to_have_text(
        ["Recover: 144 mg a day", "MoodFlow: 240 mg a day", "MagTech Magnesium Complex: 144 mg a day"]
    )
    widths = bars.evaluate_all("rects => rects.map(r => parseFloat(r.getAttribute('width')))")
    assert widths[1] / widths[0] == pytest.approx(240 / 144, rel=0.01)
    # The composition chart has one stacked bar per design: Recover and MoodFlow one form each, MagTech three.
    expect(page.locator("#chart-composition rect.segment")).to_have_count(1 + 1 + 3)


BOX = "t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; }"


def test_a_value_near_a_limit_is_drawn_clear_of_the_limit_lines_and_labels(page: Page):
    """Draw MoodFlow's 240 mg label where no limit line or limit label overlaps it, as Chromium lays out the text."""
    page.goto("/compare/?products=recover&products=moodflow")
    value = page.locator("#chart-daily text.value", has_text="240 mg")
    expect(value).to_have_count(1)
    expect(page.locator("#chart-daily text.limit-label", has_text="EU UL 250 mg")).to_have_count(1)

    left, top, right, bottom = value.evaluate(BOX)
    lines = page.locator("#chart-daily line.limit").evaluate_all("ls => ls.map(l => l.x1.baseVal.value)")
    limit_labels = page.locator("#chart-daily text.limit-label").evaluate_all(f"ts => ts.map({BOX})")

    half_stroke = 0.75  # the lines are 1.5 units wide
    crossing = [x for x in lines if left - half_stroke <= x <= right + half_stroke]
    assert crossing == [], f"limit lines through the value label {left:.1f}-{right:.1f}: {crossing}"
    overlapping = [box for box in limit_labels
                   if box[0] < right and left < box[2] and box[1] < bottom and top < box[3]]
    assert overlapping == [], f"limit labels over the value label: {overlapping}"


EVERY_MARKET = "&markets=US&markets=EU&markets=CA&markets=AU-NZ&markets=DE"


@pytest.mark.parametrize("population", ["adult", "child-1-3"])
def test_with_every_market_ticked_the_limit_labels_stand_apart_and_clear_of_the_lines(page: Page, population):
    """Adults: 350 mg (US, CA, AU-NZ) is close to the EU's NRV of 375 mg; children 1-3: a UL of 65 mg to a DV of 80 mg."""
    page.goto(f"/compare/?products=recover&products=moodflow{EVERY_MARKET}&population={population}")
    labels = page.locator("#chart-daily text.limit-label")
    expect(labels.first).to_be_visible()

    texts = labels.evaluate_all("ts => ts.map(t => t.textContent)")  # SVG text has no innerText
    boxes = labels.evaluate_all(f"ts => ts.map({BOX})")
    lines = page.locator("#chart-daily line.limit").evaluate_all(
        "ls => ls.map(l => [l.x1.baseVal.value, l.y1.baseVal.value])")
    width = page.locator("#chart-daily svg").evaluate("s => s.viewBox.baseVal.width")

    assert len(texts) >= 2
    over = [(texts[i], texts[j]) for (i, a), (j, b) in combinations(enumerate(boxes), 2)
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert over == [], f"limit labels over each other: {over}"
    half_stroke = 0.75
    through = [(texts[i], texts[j]) for i, (x, top) in enumerate(lines) for j, box in enumerate(boxes)
               if box[0] - half_stroke <= x <= box[2] + half_stroke and top < box[3]]
    assert through == [], f"the line of a limit through a label: {through}"
    assert all(0 <= box[0] and box[2] <= width and box[1] >= 0 for box in boxes)


def test_germanys_per_dose_maximum_is_in_the_table_and_the_chart_says_so(page: Page):
    page.goto("/compare/?products=recover&products=moodflow&markets=US&markets=DE")

    expect(cell(page, "Limits", "Recover")).to_have_text("over for magnesium")
    expect(cell(page, "DE largest single dose", "Recover")).to_contain_text("144 mg in one dose is 19 mg over")
    expect(cell(page, "DE % of supplement maximum a dose", "Recover")).to_have_text(re.compile(r"^115%"))
    expect(cell(page, "DE % of supplement maximum a dose", "MoodFlow")).to_have_text(re.compile(r"^96%"))
    row = compare.ROW_LARGEST_DOSE.format(market="DE")
    expect(page.locator("#chart-daily figcaption")).to_contain_text(compare.CHART_NOTE_PER_DOSE.format(
        market="DE", limit="maximum for supplements", amount="125 mg", row=row))
    expect(page.locator("#chart-daily text.limit-label", has_text="125 mg")).to_have_count(0)


def test_germanys_daily_maximum_is_drawn_as_a_limit_and_the_key_says_so(page: Page):
    """The BfR's 250 mg a day, which rates MoodFlow's 240 mg near, is a dashed red line as the US's UL of 350 mg is."""
    page.goto("/compare/?products=recover&products=moodflow&markets=US&markets=DE")
    expect(cell(page, "DE % of supplement maximum", "MoodFlow")).to_have_text(re.compile(r"^96%"))
    labels = page.locator("#chart-daily text.limit-label")
    # The EU's UL comes with Germany (EU law applies there): one line, as both are 250 mg a day.
    expect(labels).to_have_text(["EU UL, DE MAX 250 mg", "US UL 350 mg", "EU NRV 375 mg", "US DV 420 mg"])

    styles = page.locator("#chart-daily line.limit").evaluate_all(
        "ls => ls.map(l => [l.getAttribute('stroke'), l.getAttribute('stroke-dasharray')])")
    assert styles[0] == styles[1] != styles[3], styles  # DE's maximum as the US's UL; the DV dotted grey
    value = page.locator("#chart-daily text.value", has_text="240 mg")
    left, _, right, _ = value.evaluate(BOX)
    de_line = page.locator("#chart-daily line.limit").first.evaluate("l => l.x1.baseVal.value")
    assert not left - 0.75 <= de_line <= right + 0.75, f"DE's line at {de_line} through MoodFlow's label {left}-{right}"
    expect(page.locator("#chart-daily figcaption")).to_contain_text(compare.CHART_KEY)


def test_stacks_compared_for_pregnancy_say_which_are_excluded_by_law(page: Page):
    """NTRPX Daily and a second stack take Recover, of magnesium L-threonate: not for pregnancy in the EU."""
    from decimal import Decimal

    from accounts.models import Team
    from formulator import services
    from formulator.models import Product

    team = Team.objects.get(slug="ntrpx-labs")
    for name, slugs in (("Recover and MoodFlow", ("recover", "moodflow")), ("MoodFlow only", ("moodflow",))):
        services.stack_save(stack=None, fields={"name": name, "markets": ["US", "EU"], "population": "adult", "notes": ""},
                            items=[services.ItemData(Product.objects.get(slug=slug), Decimal(1), "morning")
                                   for slug in slugs], expected_version=None, team=team)

    page.goto("/compare/?stacks=ntrpx-daily,recover-and-moodflow,moodflow-only&markets=US,EU&population=pregnancy")

    for stack in ("NTRPX Daily", "Recover and MoodFlow"):
        excluded = cell(page, compare.ROW_EXCLUDED, stack)
        expect(excluded).to_contain_text("Magnesium L-threonate in EU")
        expect(excluded.locator(".badge-over")).to_have_text("excluded")  # no limit gone "over"
    expect(cell(page, compare.ROW_EXCLUDED, "MoodFlow only")).to_have_text("none ▲(best)")


def test_comparing_for_infants_names_the_markets_without_a_limit(page: Page):
    page.goto(f"/compare/?products=recover&products=moodflow{EVERY_MARKET}&population=infant")

    for market in ("EU", "AU-NZ", "DE"):
        expect(cell(page, f"{market} limit", "MoodFlow")).to_have_text(presenters.no_limit_recorded(market, ["Magnesium"]))
    expect(cell(page, "Limits", "MoodFlow")).to_have_text("over for vitamin B6 and magnesium")


@pytest.mark.parametrize("path", ["/compare/?products=recover,moodflow", "/stacks/ntrpx-daily/"])
def test_a_chart_frame_hugs_its_drawing_on_a_wide_screen(page: Page, path):
    """Keep a chart's frame as wide as its drawing on a wide screen, not twice as wide with half of it empty."""
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(path)
    chart = page.locator("figure.chart").first
    expect(chart.locator("svg").first).to_be_visible()

    frame, drawing = chart.bounding_box(), chart.locator("svg").first.bounding_box()

    assert drawing["width"] >= 700  # as wide as its text is sized for
    assert frame["width"] - drawing["width"] <= 24  # the frame's padding and border


# The stack's chart places its limit labels as the daily chart above does (compare.limit_labels) ------------------


@pytest.mark.parametrize("viewport", [{"width": 1600, "height": 1000}, {"width": 390, "height": 844}],
                         ids=["wide", "phone"])
def test_a_stack_far_over_its_limits_draws_each_limit_label_apart_and_whole(page: Page, viewport):
    """QA's figures: every market ticked, Recover and Luna 20 times a day each, 5,880 mg: the lines of 250, 350 and
    500 mg crowd against the left edge of the bar. On a phone the chart scrolls inside its figure, so the labels are checked
    against the drawing's own box, not the screen's."""
    page.set_viewport_size(viewport)
    page.goto("/stacks/ntrpx-daily/edit")
    for market in ("CA", "AU-NZ", "DE"):  # US and EU are the stack's own
        page.check(f"input[name='markets'][value='{market}']")
    page.fill("input[name='items-0-servings_per_day']", "20")
    page.fill("input[name='items-1-servings_per_day']", "20")
    expect(page.locator("#mg-day")).to_have_text("5,880 mg")
    labels = page.locator("#stack-chart > svg > text")  # the limit labels: the only text the drawing has
    expect(labels).to_have_text(["EU UL, DE MAX 250 mg", "US, CA, AU-NZ UL 350 mg", "CA MAX 500 mg"])

    screen_box = "e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; }"
    boxes = labels.evaluate_all(f"ts => ts.map({screen_box})")
    svg = page.locator("#stack-chart > svg").evaluate(screen_box)

    over = [(i, j) for (i, a), (j, b) in combinations(enumerate(boxes), 2)
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert over == [], f"limit labels over each other: {over} in {boxes}"
    cut = [box for box in boxes if box[0] < svg[0] or box[2] > svg[2] or box[1] < svg[1] or box[3] > svg[3]]
    assert cut == [], f"limit labels past the chart's edges {svg}: {cut}"


def test_on_a_phone_a_comparison_scrolled_sideways_keeps_its_figures_and_groups_named(page: Page):
    """Scrolled to its third design, "43%" stood with no name beside it: the row names scrolled away with the figures."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/compare/?products=recover,moodflow,luna,magtech-complex")
    table = page.locator("#comparison")
    table.evaluate("t => t.scrollLeft = t.scrollWidth")
    left = table.bounding_box()["x"]

    for name in (page.locator("#comparison tr[data-row='EU % of limit'] th"), page.locator("#comparison tr.group span",
                                                                                          has_text="Safety")):
        box = name.bounding_box()
        assert left <= box["x"] < left + 20, name
    # The figures pass under the name, hidden, not through it.
    label = page.locator("#comparison tr[data-row='EU % of limit'] th")
    assert label.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"


@pytest.mark.parametrize("path", ["/compare/?stacks=ntrpx-daily,{slug}", "/stacks/{slug}/", "/stacks/"])
def test_a_long_unbroken_stack_name_wraps_instead_of_widening_the_page(page: Page, path):
    """A stack named with 150 A's stretched the comparison to 2,576 px in a 1,400 px window."""
    from decimal import Decimal

    from accounts.models import Team
    from formulator import services
    from formulator.models import Product

    stack = services.stack_save(stack=None, fields={"name": "A" * 150, "markets": ["US", "EU"], "population": "adult",
                                                    "notes": ""},
                                items=[services.ItemData(Product.objects.get(slug="luna"), Decimal(1), "evening")],
                                expected_version=None, team=Team.objects.get(slug="ntrpx-labs"))

    page.goto(path.format(slug=stack.slug))

    expect(page.locator("main")).to_contain_text("A" * 20)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# The words of an element that the browser breaks across lines, a word in two or more boxes (a hyphen may end a line).
BROKEN_WORDS = """element => {
    const broken = [];
    const node = element.firstChild;
    for (const match of node.textContent.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) broken.push(match[0]);
    }
    return broken;
}"""


def test_the_compound_comparison_keeps_each_forms_name_in_whole_words(page: Page):
    """With every form chosen the evidence column took the width and broke each name mid-word ("Magnesiu|m")."""
    page.goto("/compounds/compare/")
    names = page.locator("#compound-table tbody td:first-child a")
    expect(names.first).to_be_visible()
    assert names.count() > 15

    broken = {names.nth(i).inner_text(): names.nth(i).evaluate(BROKEN_WORDS) for i in range(names.count())}

    assert {name: words for name, words in broken.items() if words} == {}


def test_unticking_every_form_empties_the_compound_table_and_says_so(page: Page):
    """The table of every form stayed beside the empty boxes: an address naming no form is the first visit's "all"."""
    page.goto(COMPOUNDS)
    rows = page.locator("#compound-table tbody tr")
    expect(rows).to_have_count(2)

    page.get_by_label("Magnesium oxide").uncheck()
    expect(rows).to_have_count(1)
    page.get_by_label("Magnesium L-threonate").uncheck()

    expect(page.locator("#compare-state")).to_have_text("Tick at least one form to compare.")
    expect(rows).to_have_count(0)

    page.get_by_label("Magnesium taurate").check()

    expect(rows).to_have_count(1)
    expect(page.locator("#compound-table tr[data-compound='magnesium-taurate']")).to_be_visible()


@pytest.mark.parametrize("path", ["/products/", "/stacks/"])
def test_the_design_lists_keep_their_links_in_whole_words(page: Page, path):
    """The products' "Edit" links read "E|di|t", down three lines: breaking anywhere let the table squeeze its column."""
    page.goto(path)
    links = page.locator("table.data tbody td a")
    expect(links.first).to_be_visible()

    broken = {links.nth(i).inner_text(): links.nth(i).evaluate(BROKEN_WORDS) for i in range(links.count())}

    assert {name: words for name, words in broken.items() if words} == {}


@pytest.mark.parametrize("width", [1024, 1200])
def test_the_compound_comparison_of_every_form_scrolls_its_table_not_the_page(page: Page, width):
    """The forms' names kept whole widened the table of every form past a 1,200 px window: the page scrolled sideways."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/compounds/compare/")
    expect(page.locator("#compound-table tbody tr").first).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
