"""The stack editor in a real browser.

The seed stack NTRPX daily takes Recover (144 mg magnesium), Luna (150 mg), Boost and Sustain (no
magnesium) once a day each: 294 mg a day, 44 mg over the EU limit of 250 mg and 84% of the US 350 mg.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from formulator.forms import ERROR_DECIMAL_COMMA_RANGE

pytestmark = pytest.mark.browser

STACK = "/stacks/ntrpx-daily/edit"
SERVINGS_COMMA = ERROR_DECIMAL_COMMA_RANGE.format(low="0.25", high="20")  # a stack item's servings per day: 0.25 to 20


def test_changing_servings_recalculates_the_day_and_the_chart(page: Page, screenshot_dir):
    page.goto(STACK)
    mg_day = page.locator("#mg-day")
    expect(mg_day).to_have_text("294 mg")
    expect(page.locator("select[name='items-1-product']")).to_have_value("luna")
    segments = page.locator("#stack-chart rect.segment")
    expect(segments).to_have_count(2)
    page.evaluate("window.__sameDocument = 'still here'")

    page.fill("input[name='items-1-servings_per_day']", "2")

    expect(mg_day).to_have_text("444 mg")
    expect(page.locator("#results-state")).not_to_have_class(re.compile(r"\bstale\b"))
    expect(segments).to_have_count(2)
    expect(page.locator("#stack-chart .legend")).to_have_text(["Recover 144 mg", "Luna 300 mg"])
    expect(page.locator("#overall-status")).to_have_text("over")
    eu = page.locator("#safety-table tr[data-market='EU'][data-nutrient='Magnesium']")
    expect(eu.locator(".reason")).to_have_text(
        "444 mg/day is 194 mg over the EU limit of 250 mg for supplemental magnesium."
    )
    assert page.evaluate("window.__sameDocument") == "still here", "the page reloaded instead of updating in place"
    page.screenshot(path=str(screenshot_dir / "stack-editor.png"), full_page=True)


def test_the_chart_segments_are_proportional_to_each_product(page: Page):
    page.goto(STACK)
    page.fill("input[name='items-1-servings_per_day']", "2")
    expect(page.locator("#mg-day")).to_have_text("444 mg")

    widths = page.locator("#stack-chart rect.segment").evaluate_all(
        "rects => rects.map(r => parseFloat(r.getAttribute('width')))"
    )
    assert len(widths) == 2
    recover, luna = widths
    assert luna / recover == pytest.approx(300 / 144, rel=0.01)


TEXT_FITS = """(field) => {
    const style = getComputedStyle(field), context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontSize} ${style.fontFamily}`;
    const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(field.placeholder).width <= room;
}"""


def test_a_product_added_as_labelled_says_so_in_full_and_a_lines_message_reads_across(page: Page):
    """The added product's servings read "as labe"; a message ran one word a line down a column as narrow as the field."""
    page.goto(STACK)
    page.click("button[value='add']")
    servings = page.locator("input[name='items-4-servings_per_day']")
    expect(servings).to_have_attribute("placeholder", "as labelled")

    assert servings.evaluate(TEXT_FITS)
    page.fill("input[name='items-0-servings_per_day']", "1,5")
    message = page.locator("#err-items-0-servings_per_day")
    expect(message).to_contain_text(SERVINGS_COMMA)
    lines = message.evaluate("(el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight))")
    assert lines <= 5, lines


def test_servings_typed_over_as_labelled_while_a_product_is_added_are_kept(page: Page):
    """The answer fills an "as labelled" item with the label's servings: the 2 typed meanwhile was lost, silently."""
    from tests.browser.test_workbench import held_actions, wait_until_held

    page.goto("/stacks/new")
    page.select_option("select[name='items-0-product']", "luna")
    expect(page.locator("#mg-day")).to_have_text("150 mg")
    held = held_actions(page, "/stacks/new", "add")

    page.click("button[value='add']")
    wait_until_held(page, held)
    page.fill("input[name='items-0-servings_per_day']", "2")
    held[0].continue_()

    expect(page.locator("select[name='items-1-product']")).to_be_visible()
    expect(page.locator("input[name='items-0-servings_per_day']")).to_have_value("2")
    expect(page.locator("#mg-day")).to_have_text("300 mg")


def test_the_keyboard_focus_shows_on_a_field_at_fault(page: Page):
    """A field with a message had a 1px red outline in place of the focus ring, focused or not: nothing told them apart."""
    page.goto(STACK)
    expect(page.locator("#mg-day")).to_have_text("294 mg")
    for index in (0, 1):
        page.fill(f"input[name='items-{index}-servings_per_day']", "abc")
    expect(page.locator("#err-items-1-servings_per_day")).not_to_be_empty()
    first, second = (page.locator(f"input[name='items-{index}-servings_per_day']") for index in (0, 1))

    first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # by the keyboard, as :focus-visible has it

    outline = "el => getComputedStyle(el).outlineWidth"
    expect(first).to_be_focused()
    assert first.evaluate(outline) != second.evaluate(outline)


@pytest.mark.parametrize("width", [1024, 1366])
def test_a_products_whole_name_shows_in_its_menu(page: Page, width):
    """The menu was 10rem wide: "MagTech Magnesium Complex" and its variant "… v2" both read "MagTech Magnes"."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/stacks/new")
    menu = page.locator("select[name='items-0-product']")
    menu.select_option("magtech-complex")

    room, needed = menu.evaluate("""el => {
        const style = getComputedStyle(el), context = document.createElement("canvas").getContext("2d");
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = context.measureText(el.options[el.selectedIndex].text).width;
        return [el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20, text];
    }""")

    assert room >= needed


@pytest.mark.parametrize("width", [1250, 1400])
def test_the_products_table_fits_its_box_with_a_message_beside_the_widest_name(page: Page, width):
    """A wider menu and a message beside it ran the row's buttons over the figures beside the form."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(STACK)
    page.select_option("select[name='items-0-product']", "magtech-complex")
    page.fill("input[name='items-0-servings_per_day']", "1,5")
    expect(page.locator("#err-items-0-servings_per_day")).to_contain_text(SERVINGS_COMMA)

    table = page.locator("#items").evaluate("el => el.getBoundingClientRect().right")
    box = page.locator("#items >> xpath=ancestor::fieldset[1]").evaluate(
        "el => el.getBoundingClientRect().right - parseFloat(getComputedStyle(el).paddingRight)")
    assert table <= box + 0.5  # within the fieldset's padding


def test_save_pressed_while_a_products_removal_is_on_its_way_waits_for_it(page: Page):
    """Luna removed, then Save before the answer came: "Nothing to save", and Luna still in the stack."""
    from tests.browser.test_workbench import held_actions, wait_until_held

    page.goto(STACK)
    expect(page.locator("#mg-day")).to_have_text("294 mg")
    held = held_actions(page, STACK, "remove-1")

    page.click("button[value='remove-1']")
    wait_until_held(page, held)
    page.click("button[value='save']")
    page.wait_for_timeout(600)  # a save that did not wait would have been sent by now
    held[0].continue_()

    expect(page.locator(".messages")).to_have_text("Saved NTRPX Daily (edit 2).")
    expect(page.locator("#stack-products")).not_to_contain_text("Luna")


def test_the_chart_is_a_tab_stop_only_where_it_scrolls(page: Page):
    """On a wide screen the chart fits, and Tab stopped on it for nothing; on a phone it scrolls, and a keyboard needs it."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(STACK)
    chart = page.locator("#stack-chart")
    expect(chart).not_to_have_attribute("tabindex", "0")
    page.fill("input[name='items-1-servings_per_day']", "2")
    expect(page.locator("#mg-day")).to_have_text("444 mg")
    expect(chart).not_to_have_attribute("tabindex", "0")  # nor once the figures are swapped in again

    page.set_viewport_size({"width": 390, "height": 844})

    expect(chart).to_have_attribute("tabindex", "0")
    assert chart.evaluate("c => c.scrollWidth > c.clientWidth")
