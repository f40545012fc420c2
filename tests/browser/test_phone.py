"""The pages on a phone in a real browser: one column, and nothing wider than the screen."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page(new_context) -> Page:
    """A page signed in as the demo team's formulator, on a phone's screen."""
    page = new_context(user="formulator").new_page()
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("path", ["/products/recover/edit", "/products/recover/", "/products/moodflow/",
                                  "/stacks/ntrpx-daily/edit", "/stacks/ntrpx-daily/"])
def test_a_design_page_fits_a_phone_without_scrolling_sideways(page: Page, path):
    """Lay a product or stack page out no wider than a phone's screen: wide tables scroll inside themselves."""
    page.goto(path)
    expect(page.locator("#safety-table")).to_be_visible()

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")

    assert scroll_width <= inner_width == PHONE["width"]


@pytest.mark.parametrize("width", [700, 800, 900])
@pytest.mark.parametrize("path", ["/products/recover/edit", "/products/new", "/stacks/ntrpx-daily/edit"])
def test_a_tablet_does_not_scroll_sideways_for_the_header(page: Page, path, width):
    """At 800 px the editors were 821 px wide: the header's "Sign out" ran past the screen, cut off."""
    page.set_viewport_size({"width": width, "height": 1100})
    page.goto(path)
    expect(page.locator(".site-header .account button")).to_be_visible()

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    right = page.locator(".site-header .account button").evaluate("el => el.getBoundingClientRect().right")

    assert scroll_width <= inner_width == width and right <= width


@pytest.mark.parametrize("path", ["/evidence/liu-2016/", "/evidence/", "/compounds/magnesium-l-threonate/"])
def test_the_library_and_evidence_pages_fit_the_narrowest_phone(page: Page, path):
    """A study page was 386 px wide at 320 px: its authors and population ran off the screen."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")

    assert scroll_width <= inner_width == 320


@pytest.mark.parametrize("path", ["/products/recover/edit", "/stacks/ntrpx-daily/edit"])
def test_the_editor_and_its_figures_are_one_column_on_a_phone(page: Page, path):
    """Put the figures below the editor, each as wide as the screen allows."""
    page.goto(path)
    expect(page.locator("#safety-table")).to_be_visible()

    editor = page.locator(".workbench-input").bounding_box()
    figures = page.locator(".workbench-output").bounding_box()

    assert figures["y"] >= editor["y"] + editor["height"]
    assert editor["x"] == figures["x"] and editor["x"] + editor["width"] <= PHONE["width"]
    assert figures["x"] + figures["width"] <= PHONE["width"]


@pytest.mark.parametrize(("path", "row", "figures"), [("/products/recover/edit", "#lines tr.line", ".line-calc"),
                                                      ("/stacks/ntrpx-daily/edit", "#items tr.item", "select")])
def test_each_line_shows_its_figures_and_buttons_on_the_screen(page: Page, path, row, figures):
    """Lay each ingredient or stack line out as a card on a phone: nothing of it hidden past the table's edge."""
    page.goto(path)
    line = page.locator(row).first
    expect(line).to_be_visible()

    for part in (line.locator(figures).first, line.get_by_role("button", name="Remove")):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    # With the column headings out of sight, each field is named in its own cell.
    assert page.evaluate("(cell) => getComputedStyle(cell, '::before').content", line.locator("td").first.element_handle()) in (
        '"Compound"', '"Product"')


def test_a_lines_cell_leaves_its_compounds_name_to_the_full_width_menu_on_a_phone(page: Page):
    """The cell names the compound beside the figures, where the menu is narrow; on a phone the menu above says it whole."""
    page.goto("/products/recover/edit")

    expect(page.locator("#line-calc-0 .line-compound")).to_be_hidden()
    expect(page.locator("#line-calc-0")).to_contain_text("Magnesium 144 mg")


@pytest.mark.parametrize("path", ["/products/recover/edit", "/stacks/ntrpx-daily/"])
def test_each_safety_row_shows_its_status_and_reason_on_the_screen(page: Page, path):
    """Lay each limit and intake row out as a card on a phone: the status and its reason are not scrolled out of sight."""
    page.goto(path)
    row = page.locator("#safety-table tbody tr").first
    expect(row.locator(".reason")).to_contain_text("mg/day is")

    for part in (row.locator(".badge"), row.locator(".reason"), page.locator("table.intake tbody tr").first.locator("td").last):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    assert page.evaluate("(cell) => getComputedStyle(cell, '::before').content", row.locator("td.num").first.element_handle()) == (
        '"Amount"')


@pytest.mark.parametrize("path", ["/products/recover/edit", "/stacks/ntrpx-daily/"])
def test_each_interaction_shows_its_severity_and_management_on_the_screen(page: Page, path):
    """Lay each interaction out as a card on a phone: its severity and how to manage it were scrolled out of sight."""
    page.goto(path)
    rows = page.locator("#interactions tbody tr")
    expect(rows.first).to_be_visible()

    for i in range(rows.count()):
        for part in (rows.nth(i).locator(".severity"), rows.nth(i).locator("td").last, page.locator("#interactions caption")):
            box = part.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (i, part)
    assert page.evaluate("(cell) => getComputedStyle(cell, '::before').content",
                         rows.first.locator("td").nth(2).element_handle()) == '"Severity"'


def test_the_stack_chart_labels_stay_legible_on_a_phone(page: Page):
    """Keep the chart's limit labels at a readable size: the chart scrolls inside its figure rather than shrinking."""
    page.goto("/stacks/ntrpx-daily/")
    label = page.locator("#stack-chart text").first
    expect(label).to_contain_text("UL")

    size = page.evaluate("(t) => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize)", label.element_handle())

    assert size >= 10
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width


def test_each_compared_form_is_a_card_with_its_mass_on_the_screen(page: Page):
    """Lay each form of the compound comparison out as a card: its mass, capsules and cost in sight, each named."""
    page.goto("/compounds/compare/?compounds=magnesium-oxide&compounds=magnesium-l-threonate")
    row = page.locator("#compound-table tr[data-compound='magnesium-l-threonate']")
    mass = row.locator("td.mass")
    expect(mass).to_have_text("2,777.8 mg")

    box = mass.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("(cell) => getComputedStyle(cell, '::before').content", mass.element_handle()) == '"Mass for 200 mg Mg"'
    assert row.bounding_box()["height"] < 1000  # its evidence wraps across the card, not down a narrow column
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width


def test_the_comparison_keeps_its_changes_and_chart_keys_on_the_screen(page: Page):
    """Wrap the table of what changed within the screen, and keep a scrolled chart's key in sight."""
    page.goto("/compare/?products=recover,moodflow")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("microcrystalline")

    assert page.evaluate("(t) => t.scrollWidth <= t.clientWidth", changes.element_handle())
    chart = page.locator("#chart-daily")
    chart.evaluate("(figure) => figure.scrollTo(figure.scrollWidth, 0)")
    key = chart.locator("figcaption").bounding_box()
    assert key["x"] >= 0 and key["x"] + key["width"] <= PHONE["width"]


@pytest.mark.parametrize("chart", ["#chart-daily", "#chart-composition"])
def test_the_comparison_chart_labels_stay_legible_on_a_phone(page: Page, chart):
    """Keep every label of the comparison's charts at 10 px or more: the chart scrolls inside its figure."""
    page.goto("/compare/?products=recover,moodflow")
    texts = page.locator(f"{chart} svg text")
    expect(texts.first).to_be_attached()

    sizes = page.evaluate("(ts) => ts.map((t) => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize))",
                          texts.element_handles())

    assert min(sizes) >= 10, sizes
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width


@pytest.mark.parametrize("path", ["/products/recover/spec/", "/stacks/ntrpx-daily/spec/"])
def test_a_spec_sheet_fits_a_phone_without_scrolling_sideways(page: Page, path):
    page.goto(path)

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")

    assert scroll_width <= inner_width == PHONE["width"]


@pytest.mark.parametrize("path", ["/compounds/", "/products/", "/stacks/", "/evidence/", "/reference-values/",
                                  "/compare/?products=recover,moodflow", "/compounds/compare/"])
def test_a_list_page_fits_a_phone_without_scrolling_sideways(page: Page, path):
    """Lay the lists and their search forms out no wider than a phone's screen."""
    page.goto(path)

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")

    assert scroll_width <= inner_width == PHONE["width"]


def test_a_table_wider_than_a_phone_shows_there_is_more_to_scroll_to(page: Page):
    """The product page's ingredients hid what each delivers off-screen, with no sign that the table scrolled."""
    page.goto("/products/moodflow/")
    table = page.locator("table.data").first
    expect(table).to_be_visible()

    scrolls = table.evaluate("t => t.scrollWidth > t.clientWidth")
    layers = table.evaluate("t => getComputedStyle(t).backgroundImage")

    assert scrolls
    assert layers.count("radial-gradient") == 2  # a shadow at each side, shown where there is more


@pytest.mark.parametrize("path", ["/products/recover/spec/", "/stacks/ntrpx-daily/spec/"])
def test_a_spec_sheet_on_a_phone_breaks_no_number_or_word(page: Page, path):
    """On a phone the sheet's "118%" read "11" over "8%", and "Magnesium" "Magnesi" over "um": its tables scroll.
    A line may still break after a dash ("L-" over "threonate")."""
    page.goto(path)

    broken = page.evaluate("""() => {
        const broken = [];
        for (const cell of document.querySelectorAll("table.grid td, table.facts td")) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const word of node.textContent.matchAll(/[^\\s\\u2013-]+[\\u2013-]?/g)) {  // after a dash, it may
                    const range = document.createRange();
                    range.setStart(node, word.index);
                    range.setEnd(node, word.index + word[0].length);
                    if (range.getClientRects().length > 1) { broken.push(word[0]); }
                }
            }
        }
        return broken;
    }""")

    assert broken == []


def test_a_stacks_magnesium_per_day_is_on_a_phones_screen(page: Page):
    """Its column was scrolled off the right edge: the table's headings did not wrap."""
    page.goto("/stacks/ntrpx-daily/")
    cell = page.locator("#stack-products tbody tr").first.locator("td").last

    expect(cell).to_have_text("144 mg")
    right = cell.evaluate("el => el.getBoundingClientRect().right")
    assert right <= PHONE["width"]


def test_the_evidence_list_scrolled_to_its_status_keeps_each_entrys_name(page: Page):
    """The Status column ("misquoted by a seed", "disputed") was off the screen, and scrolled to, named no entry."""
    page.goto("/evidence/")
    table = page.locator("#studies")
    page.locator("#studies tr[data-study='hausenblas-2024']").evaluate("r => r.scrollIntoView({block: 'center'})")
    table.evaluate("t => t.scrollLeft = t.scrollWidth")
    left = table.bounding_box()["x"]

    name = page.locator("#studies tr[data-study='hausenblas-2024'] td").first
    status = page.locator("#studies tr[data-study='hausenblas-2024'] td").last
    assert left <= name.bounding_box()["x"] < left + 20
    expect(status).to_be_in_viewport()
    assert name.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"


def test_a_product_pages_compounds_keep_their_words_whole_on_a_phone(page: Page):
    """"Magnesiu|m bisglycinat|e", "hydrochlori|de": the ingredients' column was squeezed to break inside words."""
    page.goto("/products/moodflow/")
    links = page.locator("table.lines td a")
    expect(links).to_have_count(3)

    lines = links.evaluate_all("ls => ls.map(l => [l.textContent, l.getClientRects().length])")

    assert all(count <= len(name.split()) for name, count in lines), lines
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width


@pytest.mark.parametrize("width", [700, 900, 1024])
@pytest.mark.parametrize("path", ["/products/", "/stacks/", "/compounds/", "/evidence/", "/reference-values/"])
def test_a_list_scrolls_inside_itself_on_a_tablet_not_the_page(page: Page, path, width):
    """At 1,024 px the products list was 1,126 px wide: its Stage and Edit columns ran past the screen, and the names
    broke mid-word ("MagTec|h")."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")

    assert scroll_width <= inner_width == width


def test_the_products_list_fits_1024_px_with_its_names_in_whole_words(page: Page):
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto("/products/")
    region = page.get_by_role("region", name="Products")

    scroll_width, client_width = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    name = page.get_by_role("link", name="MagTech Magnesium Complex")

    assert scroll_width <= client_width
    # Three lines, a word each, at most: never a word broken over two.
    assert name.evaluate("el => el.getClientRects().length") <= 3
    expect(page.get_by_role("link", name="Edit").first).to_be_in_viewport()


@pytest.mark.parametrize("typed", ["250000.5", "1418900"])
@pytest.mark.parametrize("width", [390, 1024, 1280, 1440])
def test_an_amount_field_shows_every_digit_of_a_long_amount(page: Page, width, typed):
    """At 1,280 px the field showed "14189" of 1418900 mcg: a hundredth of the amount; on a phone, "?50000"."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/products/recover/edit")
    amount = page.locator('input[name="lines-0-amount"]')
    amount.fill(typed)

    assert amount.evaluate("el => el.scrollWidth <= el.clientWidth")


@pytest.mark.parametrize("path", ["/products/moodflow/spec/", "/stacks/ntrpx-daily/spec/"])
def test_a_spec_sheet_fits_a_phone_with_its_status_under_the_name(page: Page, path):
    """"LIMITS: NEAR FOR VITAMIN B6 AND MAGNESIUM" ran past the screen (470 px at 390), the name squeezed beside it."""
    page.goto(path)
    status = page.locator("#spec-limits")

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")

    assert scroll_width <= inner_width == PHONE["width"]
    assert status.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]
