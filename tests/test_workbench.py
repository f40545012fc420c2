"""The product and stack editors: full pages, HTMX fragments, bad input, saving and conflicts."""

import json
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from compounds.models import Compound
from formulator import engine, forms, labels, reports, selectors, services, views
from formulator.models import Product, ProductLine, Stack
from tests.factories import ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def recover_post(**overrides):
    data = {
        "name": "Recover", "brand": "NTRPX", "dosage_form": "capsule", "capsule_size": "00", "serving_size": "2",
        "servings_per_day": "1", "servings_per_container": "30", "timing": "evening", "markets": ["US", "EU"],
        "population": "adult", "claims": "", "other_ingredients": "", "notes": "", "version": "1",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-compound": "magnesium-l-threonate", "lines-0-amount": "2000", "lines-0-unit": "mg",
        "lines-0-overage_percent": "0", "lines-0-target_mg": "",
    }
    data.update(overrides)
    return data


def test_the_workbench_page_shows_the_saved_product_and_its_figures(client):
    response = client.get("/products/recover/edit")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'value="2000"' in html and 'value="magnesium-l-threonate" selected' in html
    assert re.search(r'<input[^>]*name="servings_per_day" value="1"', html)  # not "1.00"
    assert '<strong id="mg-serving">144 mg</strong>' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert 'hx-trigger="input delay:250ms"' in html


def test_recalculation_returns_only_the_fragments_with_the_new_numbers(client):
    response = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "4000"}), **HX)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    assert '<strong id="mg-serving">288 mg</strong>' in html
    assert "288 mg/day is 38 mg over the EU limit of 250 mg for supplemental magnesium." in html
    assert re.search(r"<template><td class=\"line-calc\" data-label=\"Delivers\" id=\"line-calc-0\" hx-swap-oob=\"true\">.*288 mg.*</template>", html, re.S)
    assert '<div id="results-state" class="fresh"' in html
    assert Product.objects.get(slug="recover").lines.get().amount == 2000  # nothing saved


def test_a_limit_met_only_at_the_specified_fraction_says_what_the_formulas_fraction_gives(client):
    # Magtein's 7.2% gives 244.8 mg, near the EU's 250 mg; the seed's formula (8.25%; EFSA works with about 8.3%) 280.6 mg.
    response = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "3400"}), **HX)
    html = response.content.decode()

    assert ("245 mg/day is 98% of the EU limit of 250 mg for supplemental magnesium: 5 mg to spare. At the fractions by "
            "formula instead of the specified ones, 281 mg/day would be 31 mg over.") in html
    assert "At the fractions by formula instead of the specified ones, 281 mg/day would be 80.2% of the limit: near." in html  # the US's 350 mg: 70% at 7.2%, 280.6 mg by formula


def test_a_tiny_amount_reads_in_the_safety_table_as_in_the_totals(client):
    """14 mcg of L-threonate, 0.001 mg of magnesium, read "<0.01 mg" in the totals and "0.001 mg ... 349.999 mg to
    spare" in the safety table below them."""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "14", "lines-0-unit": "mcg"}), **HX).content.decode()

    assert '<strong id="mg-day">&lt;0.01 mg</strong>' in html
    assert '<td class="num" data-label="Amount">&lt;0.01 mg</td>' in html
    assert '<td class="num margin" data-label="Margin">&gt;349.99 mg to spare</td>' in html
    assert ("&lt;0.01 mg/day is &lt;1% of the US limit of 350 mg for supplemental magnesium: &gt;349.99 mg to spare."
            in html)
    assert "0.001 mg" not in html and "349.999" not in html and "249.999" not in html


@pytest.mark.parametrize(("amount", "unit"), [("100", "g"), ("100000", "mg"), ("100000000", "mcg")])
def test_100_g_is_taken_in_any_unit(client, amount, unit):
    """100 g and 100,000 mg were taken, and 100,000,000 mcg refused as "100 g or more a serving in any unit"."""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-compound": "glycine", "lines-0-amount": amount,
                                                               "lines-0-unit": unit}), **HX).content.decode()

    assert "100 g or more" not in html and "more than 100 g" not in html
    assert '<div id="results-state" class="fresh"' in html


OOB_CELL = re.compile(r'<td class="line-calc" data-label="Delivers" id="line-calc-(\d)" hx-swap-oob="true">.*?<strong>([^<]+)</strong>.*?'
                      r'<input type="hidden" name="lines-\1-shown" value="(\w+)"></td>', re.S)
TWO_LINES = {"lines-TOTAL_FORMS": "2", "lines-1-compound": "magnesium-l-threonate", "lines-1-unit": "mg",
             "lines-1-overage_percent": "0", "lines-1-target_mg": ""}


def test_a_keystroke_sends_the_line_cells_the_page_does_not_show_yet(client):
    # Line 0 of another compound: a line's dose is judged with the other lines of its compound, whose cells change too.
    form = recover_post(**TWO_LINES, **{"lines-0-compound": "magnesium-bisglycinate"})
    sent = []
    for amount in ("1000", "3000", "3000", "1000"):
        form["lines-1-amount"] = amount
        cells = OOB_CELL.findall(client.post("/products/recover/edit", form, **HX).content.decode())
        sent.append({index: mg for index, mg, _ in cells})
        form.update({f"lines-{index}-shown": shown for index, _, shown in cells})  # what the page shows now

    assert sent == [{"0": "282 mg", "1": "72 mg"}, {"1": "216 mg"}, {}, {"1": "72 mg"}]


def test_a_cell_the_page_says_it_shows_otherwise_is_sent_again(client):
    form = recover_post(**TWO_LINES, **{"lines-1-amount": "1000"})
    shown = {index: digest for index, _, digest in OOB_CELL.findall(client.post("/products/recover/edit", form, **HX).content.decode())}

    form.update({"lines-0-shown": shown["1"], "lines-1-shown": shown["1"]})  # line 0 claims line 1's figures
    cells = OOB_CELL.findall(client.post("/products/recover/edit", form, **HX).content.decode())

    assert [(index, mg) for index, mg, _ in cells] == [("0", "144 mg")]


def test_the_page_renders_line_cells_in_place_not_out_of_band(client):
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "4000"})).content.decode()

    assert re.search(r'<td class="line-calc" data-label="Delivers" id="line-calc-0"><span class="line-compound">Magnesium '
                     r'L-threonate</span><br><span class="delivers"[^>]*>Magnesium <strong>288 mg</strong>', html)
    assert "hx-swap-oob" not in html.split('id="line-calc-0"')[1].split("</td>")[0]


def test_while_another_line_is_invalid_a_line_changed_meanwhile_shows_its_own_compound_and_figures(client):
    """With line 2's amount "abc", line 1 changed to gluconate kept "Magnesium L-threonate" and its figures in its cell
    until every field was valid again; without JavaScript the page showed gluconate's."""
    data = recover_post(**{**TWO_LINES, "lines-0-compound": "magnesium-gluconate", "lines-1-amount": "abc"})

    response = client.post("/products/recover/edit", json.dumps(data), "application/json", **HX)
    html = response.content.decode()

    assert response["HX-Reswap"] == "none"  # the figures stay the last valid ones, marked out of date
    cell = html.split('id="line-calc-0" hx-swap-oob="true">')[1].split("</td>")[0]
    assert cell.startswith('<span class="line-compound">Magnesium gluconate (anhydrous)</span>')
    assert "line-calc-1" not in html  # the invalid line's cell keeps what it shows, as the figures do


def test_with_the_products_own_fields_invalid_no_lines_cell_is_sent(client):
    html = client.post("/products/recover/edit", json.dumps(recover_post(servings_per_day="0")), "application/json",
                       **HX).content.decode()

    assert "line-calc-0" not in html


def test_a_lines_cell_names_its_compound_in_full_as_its_menu_may_not(client):
    """The compound menu, narrow beside the figures, read "Magnesium gl…": gluconate or glycerophosphate?"""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-compound": "magnesium-glycerophosphate"}),
                       **HX).content.decode()

    cell = html.split('id="line-calc-0"')[1].split("</td>")[0]
    assert '<span class="line-compound">Magnesium glycerophosphate</span>' in cell


def test_a_lines_cell_gives_the_formulas_fraction_beside_a_specified_one_as_the_product_page_does(client):
    """The cell read "Magnesium 144 mg 7.20% specified" of Magtein's L-threonate, where the product page says its
    formula gives 8.25%."""
    form = recover_post(**TWO_LINES, **{"lines-0-compound": "magnesium-bisglycinate", "lines-1-amount": "1000"})
    html = client.post("/products/recover/edit", form, **HX).content.decode()
    said = "formula gives 8.25%"

    threonate = html.split('id="line-calc-1"')[1].split("</td>")[0]
    assert f"<small>7.20% specified; {said}</small>" in threonate
    assert "formula gives" not in html.split('id="line-calc-0"')[1].split("</td>")[0]  # bisglycinate: by formula only
    assert f"; {said}</small>" in client.get("/products/recover/").content.decode()


def test_a_line_without_figures_shows_a_dash(client):
    # Of another compound than the saved line's: a line's cell keeps the last valid figures of its own compound.
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "abc", "lines-0-compound": "glycine"})
                       ).content.decode()

    assert re.search(r'<td class="line-calc" data-label="Delivers" id="line-calc-0">—<input type="hidden" name="lines-0-shown" value="[0-9a-f]{16}"></td>', html)


def test_in_canada_an_adult_product_is_held_to_the_monographs_500_mg_and_told_where_it_passes_the_ul(client):
    # 663.4 mg of magnesium oxide is 400.05 mg of magnesium: over the IOM UL of 350 mg that Health Canada adopts,
    # within the 500 mg its monograph allows adult products (near it: 80%).
    data = recover_post(**{"lines-0-compound": "magnesium-oxide", "lines-0-amount": "663.4", "markets": ["CA"]})

    html = text(client.post("/products/recover/edit", data, **HX))

    assert "Limits near for magnesium" in html
    assert ("400 mg/day is 50 mg over the CA limit of 350 mg for supplemental magnesium. The CA maximum for "
            "supplements, 500 mg, is the limit a product must meet there.") in html
    assert re.search(r"400 mg/day is 80(\.\d+)?% of the CA maximum for supplements of 500 mg", html)


def test_a_limit_superseded_by_the_markets_maximum_keeps_its_status_greyed_and_the_maximum_keeps_its_colour(client):
    data = recover_post(**{"lines-0-compound": "magnesium-oxide", "lines-0-amount": "663.4", "markets": ["CA"]})

    html = client.post("/products/recover/edit", data, **HX).content.decode()

    rows = re.findall(r'<tr class="([^"]+)" data-market="CA"[^>]*>.*?<span class="badge ([^"]+)">(\w+)</span>', html, re.S)
    assert rows == [("status-near", "badge-near", "near"), ("status-over superseded", "badge-over badge-superseded", "over")]


def test_the_headline_never_reads_as_a_limit_it_is_over(client):
    # 6,945 mg of threonate at 7.2% is 500.04 mg: over Canada's 500 mg maximum, which "500 mg" would seem to meet.
    over = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "6945"}, markets=["CA"]), **HX)
    plain = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "6945"}, markets=["US"]), **HX)

    assert '<span class="badge badge-over" id="overall-status">over</span>' in over.content.decode()
    assert '<strong id="mg-day">500.04 mg</strong>' in over.content.decode()
    assert '<strong id="mg-serving">500.04 mg</strong>' in over.content.decode()  # one serving a day: the same
    assert '<strong id="mg-day">500 mg</strong>' in plain.content.decode()  # no limit of 500 mg in the US


def test_a_design_for_canada_is_checked_against_its_vitamin_b6_limit_which_is_the_ioms(client):
    """Health Canada adopts the IOM's limits, as the library holds for magnesium: B6 read "no upper limit recorded"."""
    data = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-1-compound": "pyridoxine-hydrochloride", "lines-1-amount": "150",
                           "lines-1-unit": "mg", "lines-1-overage_percent": "0", "lines-1-target_mg": ""}, markets=["CA"])
    html = text(client.post("/products/recover/edit", data, **HX))

    # In tenths of a mg, as its Supplement Facts panel writes it (its DV is 1.7 mg): 123.4 mg, not 123 mg.
    assert "123.4 mg/day is 23.4 mg over the CA limit of 100 mg for vitamin B6." in html
    assert "no upper limit" not in html.lower()


def test_no_total_reads_as_a_limit_it_is_over(client):
    """415.2 mg of magnesium oxide is 250.38 mg a day: over the EU's 250 mg, which "250 mg" in the totals would meet."""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-compound": "magnesium-oxide",
                                                                  "lines-0-amount": "415.2"}), **HX).content.decode()

    row = re.search(r'<tr data-nutrient="magnesium">(.*?)</tr>', html).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["250.4 mg", "250.4 mg", "250.4 mg"]


def test_a_design_for_germany_alone_is_checked_against_the_eus_rules_too(client):
    html = client.post("/products/recover/edit", recover_post(markets=["DE"], population="pregnancy"), **HX).content.decode()

    assert 'data-market="EU" data-nutrient="Magnesium"' in html  # the EU's 250 mg, which holds in pregnancy
    assert "Magnesium L-threonate is excluded by law for this population in EU." in html
    assert 'data-market="DE"' in html


@pytest.mark.parametrize("population", ["adult", "pregnancy", "lactation"])
def test_germanys_per_dose_maximum_holds_for_every_adult(client, population):
    """Pregnant and lactating women are adults, and the BfR spares no one: "no upper limit recorded" in DE, 240 mg in
    one dose passed."""
    post = recover_post(markets=["DE"], population=population, **{"lines-0-amount": "3334"})  # 240 mg of magnesium
    page = text(client.post("/products/recover/edit", post, **HX))

    who = "" if population == "adult" else f"{population} "
    assert f"240 mg in one dose is 115 mg over the DE {who}maximum for supplements of 125 mg a dose" in page
    assert "no upper limit for magnesium in DE" not in page


def test_overage_counts_against_the_limit(client):
    response = client.post("/products/recover/edit", recover_post(**{"lines-0-overage_percent": "10"}), **HX)

    assert "158 mg/day is 45% of the US limit of 350 mg" in text(response)
    assert '<strong id="mg-serving">144 mg</strong>' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lines-0-amount", "abc", forms.ERROR_NOT_A_NUMBER),
        ("lines-0-overage_percent", "abc", forms.ERROR_OVERAGE_WRITTEN),  # a percentage: not "e.g. 500"
        ("lines-0-amount", "", forms.ERROR_AMOUNT_REQUIRED),
        ("lines-0-amount", "   ", forms.ERROR_AMOUNT_REQUIRED),  # spaces alone are nothing typed, not a number mistyped
        ("lines-0-amount", "-5", "Enter an amount greater than zero."),
        ("lines-0-amount", "0", "Enter an amount greater than zero."),
        ("lines-0-amount", "9999999999", forms.ERROR_AMOUNT_WHOLE_DIGITS),  # 10 kg even in mcg
        ("lines-0-amount", "1e-9", forms.ERROR_NOT_A_NUMBER),  # scientific notation is not guessed at either
        ("lines-0-amount", "0.000000001", "Use at most 4 decimal places."),
        ("lines-0-amount", "0.00000000000001", "Use at most 4 decimal places."),
        ("lines-0-amount", "1234567891.12345", "Too many digits: use at most 9 before the decimal point and 4 after it."),
        ("lines-0-amount", "1000000000", forms.ERROR_AMOUNT_WHOLE_DIGITS),
        ("lines-0-amount", "2000,5", forms.ERROR_DECIMAL_COMMA),  # a European decimal comma is not guessed at
        ("lines-0-amount", "2,000", forms.ERROR_DECIMAL_COMMA),  # nor a US thousands separator
        ("lines-0-overage_percent", "2,5", forms.ERROR_DECIMAL_COMMA_RANGE.format(low="0", high="100")),  # not "1500"
        ("lines-0-compound", "unobtainium", forms.ERROR_UNKNOWN_COMPOUND),
        ("lines-0-unit", "oz", forms.ERROR_UNKNOWN_UNIT),
        ("servings_per_day", "many", forms.ERROR_SERVINGS_WRITTEN),
        ("servings_per_day", "1,5", forms.ERROR_DECIMAL_COMMA_RANGE.format(low="0.25", high="20")),
        ("serving_size", "1,5", forms.ERROR_SERVING_SIZE_WRITTEN),  # a whole number: no "point for decimals"
        ("capsule_size", "", forms.ERROR_CAPSULE_SIZE),
        ("markets", [], forms.ERROR_CHOOSE_MARKET),
    ],
)
def test_invalid_input_shows_its_message_by_the_field_and_keeps_the_last_figures(client, field, value, message):
    response = client.post("/products/recover/edit", recover_post(**{field: value}), **HX)
    html = response.content.decode()

    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert f'<span class="field-error" id="err-{field}" hx-swap-oob="true">{message}</span>' in html
    assert '<div id="results-state" class="stale"' in html
    assert "from the last valid input" in html
    assert 'id="results"' not in html  # the last valid figures stay on screen


def test_without_javascript_invalid_input_keeps_what_was_typed_and_shows_the_saved_figures(client):
    response = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "12x"}))
    html = response.content.decode()

    assert "<html" in html
    assert 'name="lines-0-amount" value="12x"' in html
    assert forms.ERROR_NOT_A_NUMBER in html
    assert "The figures below are from the last save." in html
    assert '<strong id="mg-serving">144 mg</strong>' in html


def test_without_javascript_recalculate_returns_the_full_page_with_the_same_numbers(client):
    response = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "3000", "_action": "calculate"}))

    assert "<html" in response.content.decode()
    assert '<strong id="mg-serving">216 mg</strong>' in response.content.decode()


def test_add_line_returns_the_editor_with_one_more_line_and_keeps_what_was_typed(client):
    response = client.post("/products/recover/edit", recover_post(_action="add", **{"lines-0-amount": "2500"}), **HX)
    html = response.content.decode()

    assert html.count('<tr class="line"') == 2
    assert 'name="lines-0-amount" value="2500"' in html
    assert '<div id="editor">' in html
    # The new line is blank: nothing is wrong with it yet (it is checked when saving), so the figures of what was
    # typed are current, with no message at the new line's fields.
    assert '<div id="results-state" class="fresh" hx-swap-oob="true">' in html
    assert '<strong id="mg-serving">180 mg</strong>' in html
    assert forms.ERROR_CHOOSE_COMPOUND not in html and forms.ERROR_AMOUNT_REQUIRED not in html
    # The typed line's own figures stand in its cell: only the blank line has none.
    cells = re.findall(r'<td class="line-calc" data-label="Delivers" id="line-calc-(\d)">(.*?)<input', html, re.S)
    assert [(index, "Magnesium <strong>180 mg</strong>" in figures) for index, figures in cells] == [("0", True), ("1", False)]
    assert cells[1][1] == "—"


def test_a_valid_structural_change_sends_its_figures(client):
    data = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-1-compound": "glycine", "lines-1-amount": "3",
                           "lines-1-unit": "g", "lines-1-overage_percent": "0", "lines-1-target_mg": ""})

    html = client.post("/products/recover/edit", {**data, "_action": "remove-1"}, **HX).content.decode()

    assert '<div id="results-state" class="fresh" hx-swap-oob="true">' in html
    assert '<section id="results" class="results" hx-swap-oob="true"' in html
    assert '<strong id="mg-serving">144 mg</strong>' in html


def test_remove_and_reorder_lines(client):
    data = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-1-compound": "glycine", "lines-1-amount": "3",
                           "lines-1-unit": "g", "lines-1-overage_percent": "0", "lines-1-target_mg": ""})

    moved = client.post("/products/recover/edit", {**data, "_action": "up-1"}, **HX).content.decode()
    removed = client.post("/products/recover/edit", {**data, "_action": "remove-0"}, **HX).content.decode()

    assert re.search(r'name="lines-0-compound".*?value="glycine" selected', moved, re.S)
    assert removed.count('<tr class="line"') == 1
    assert re.search(r'name="lines-0-compound".*?value="glycine" selected', removed, re.S)
    assert '<tr data-nutrient="magnesium">' not in removed
    assert '<tr data-nutrient="glycine">' in removed


def test_picking_a_searched_compound_fills_the_empty_line(client):
    data = recover_post(**{"lines-0-compound": "", "lines-0-amount": ""}, _action="pick-magnesium-bisglycinate")
    html = client.post("/products/new", data, **HX).content.decode()

    assert html.count('<tr class="line"') == 1
    assert 'value="magnesium-bisglycinate" selected' in html


@pytest.mark.parametrize(("filled", "line"), [({"lines-0-compound": "", "lines-0-amount": ""}, 0), ({}, 1)])
def test_a_picked_compound_puts_the_focus_on_its_lines_amount(client, filled, line):
    data = recover_post(**filled, _action="pick-magnesium-bisglycinate")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert re.findall(r'<input[^>]*autofocus[^>]*>', html) == [
        re.search(rf'<input[^>]*name="lines-{line}-amount"[^>]*>', html).group(0)]


def test_a_compound_just_picked_is_no_fault_until_its_amount_is_typed_and_an_amount_cleared_is(client):
    """Picking a compound put "Enter an amount." beside it at once and marked Recover's own figures out of date."""
    picked = client.post("/products/recover/edit", recover_post(_action="pick-magnesium-bisglycinate"), **HX).content.decode()
    dash = re.search(r'name="lines-1-shown" value="(\w+)"', picked).group(1)  # its cell: "—", no figures yet
    line = {"lines-TOTAL_FORMS": "2", "lines-1-compound": "magnesium-bisglycinate", "lines-1-amount": "", "lines-1-unit": "mg",
            "lines-1-overage_percent": "0", "lines-1-target_mg": "", "lines-1-shown": dash}
    typing = client.post("/products/recover/edit", recover_post(**line, name="Recover 2"), **HX).content.decode()
    shown = re.search(r'name="lines-0-shown" value="(\w+)"', picked).group(1)
    cleared = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "", "lines-0-shown": shown}), **HX)
    saved = client.post("/products/recover/edit", recover_post(**line, _action="save")).content.decode()

    moved = client.post("/products/recover/edit", recover_post(**{**line, "lines-1-target_mg": "100"}, _action="up-1"),
                        **HX).content.decode()  # on its way to Solve, and moved above Recover's own line
    for html in (picked, typing, moved):
        assert forms.ERROR_AMOUNT_REQUIRED not in html and 'class="stale"' not in html
        assert '<strong id="mg-serving">144 mg</strong>' in html  # Recover's threonate, current
    assert f'id="err-lines-0-amount" hx-swap-oob="true">{forms.ERROR_AMOUNT_REQUIRED}</span>' in cleared.content.decode()
    assert f'id="err-lines-1-amount">{forms.ERROR_AMOUNT_REQUIRED}</span>' in saved


def test_without_javascript_invalid_input_keeps_the_last_valid_figures_not_the_saved_ones(client):
    def posted(response):
        return re.search(r'name="last_valid" value="([^"]+)"', response.content.decode()).group(1)

    valid = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "2500"}))
    assert '<strong id="mg-serving">180 mg</strong>' in valid.content.decode()

    for change in ({"lines-0-amount": "x"}, {"lines-0-overage_percent": "-5"}):
        invalid = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "2500", **change}, last_valid=posted(valid)))
        html = invalid.content.decode()
        assert '<strong id="mg-serving">180 mg</strong>' in html  # not the saved 144 mg
        assert "The figures below are from the last valid input." in html
        # and again, from the page that was invalid: the last valid figures are carried on
        again = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "y"}, last_valid=posted(invalid)))
        assert '<strong id="mg-serving">180 mg</strong>' in again.content.decode()


def test_without_javascript_a_last_valid_form_with_a_line_just_added_keeps_its_figures(client):
    # A blank line is no fault until saving, so the form with it was valid: its figures are the last valid ones.
    blank = {"lines-TOTAL_FORMS": "2", "lines-1-compound": "", "lines-1-amount": "", "lines-1-unit": "mg",
             "lines-1-overage_percent": "0", "lines-1-blend": "", "lines-1-target_mg": ""}
    valid = client.post("/products/recover/edit", recover_post(**blank, **{"lines-0-amount": "2500"})).content.decode()
    last_valid = re.search(r'name="last_valid" value="([^"]+)"', valid).group(1)

    html = client.post("/products/recover/edit", recover_post(**blank, **{"lines-0-amount": "x"}, last_valid=last_valid)
                       ).content.decode()

    assert '<strong id="mg-serving">180 mg</strong>' in html  # not the saved 144 mg
    assert "The figures below are from the last valid input." in html


def test_a_last_valid_form_not_signed_by_the_site_is_ignored(client):
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "x"}, last_valid="forged")).content.decode()

    assert '<strong id="mg-serving">144 mg</strong>' in html
    assert "The figures below are from the last save." in html


def test_the_editor_page_carries_no_last_valid_form_for_javascript_to_post(client):
    assert 'name="last_valid"' not in client.get("/products/recover/edit").content.decode()


def test_solve_sets_the_compound_mass_for_a_magnesium_target(client):
    data = recover_post(**{"lines-0-target_mg": "150"}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert 'name="lines-0-amount" value="2083.4"' in html
    assert '<strong id="mg-serving">150 mg</strong>' in html


def solve_note(html: str) -> str:
    return re.search(r'<span class="solve-note" id="solve-note-lines-0" role="status">([^<]*)</span>', html).group(1)


@pytest.mark.parametrize("hx", [HX, {}], ids=["htmx", "without JavaScript"])
def test_solving_says_the_mass_was_rounded_up_to_a_hair_more_than_the_target(client, hx):
    """Luna's citrate for 250 mg, sold in the US alone: 1,546.716 mg rounds up to 1,546.8 mg, 250.01 mg; said."""
    data = recover_post(**{"lines-0-compound": "trimagnesium-dicitrate", "lines-0-amount": "928.2",
                           "lines-0-target_mg": "250", "markets": ["US"]}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **hx).content.decode()

    assert solve_note(html) == escape(services.MESSAGE_SOLVE_ROUNDED_UP.format(
        amount="1,546.8 mg", compound="trimagnesium dicitrate (anhydrous)", delivered="250.01 mg", nutrient="magnesium"))


@pytest.mark.parametrize("hx", [HX, {}], ids=["htmx", "without JavaScript"])
def test_solving_for_a_limit_rounds_down_rather_than_over_it_and_says_why(client, hx):
    """Luna's citrate for the EU's 250 mg: 1,546.716 mg rounded up to 1,546.8 mg, 250.01 mg, and the design its target
    keeps within the limit read "over"; rounded down to 1,546.7 mg, 249.998 mg, it reads "near"."""
    data = recover_post(**{"lines-0-compound": "trimagnesium-dicitrate", "lines-0-amount": "928.2",
                           "lines-0-target_mg": "250"}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **hx).content.decode()

    assert 'name="lines-0-amount" value="1546.7"' in html
    crossed = services.SOLVE_CROSSED.format(
        nutrient="magnesium", limits=services.SOLVE_LIMIT.format(market="EU", kind="limit", amount="250 mg", per="/day"))
    assert solve_note(html) == escape(services.MESSAGE_SOLVE_ROUNDED_DOWN.format(
        amount="1,546.7 mg", compound="trimagnesium dicitrate (anhydrous)", delivered="249.998 mg", nutrient="magnesium",
        crossed=crossed))
    assert solve_note(html).endswith("rounding up would take magnesium over the EU limit of 250 mg/day.")
    assert '<span class="badge badge-near" id="overall-status">near</span>' in html


def test_solving_for_a_limit_that_the_overage_takes_the_target_over_still_says_over(client):
    """With 5% overage the target's own 1,546.716 mg counts 262.5 mg against the EU's 250 mg: the user's choice, so
    the mass is rounded up as ever and the design reads "over"."""
    data = recover_post(**{"lines-0-compound": "trimagnesium-dicitrate", "lines-0-amount": "928.2",
                           "lines-0-overage_percent": "5", "lines-0-target_mg": "250"}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert 'name="lines-0-amount" value="1546.8"' in html
    assert solve_note(html).startswith("Rounded up to 1,546.8 mg of trimagnesium dicitrate (anhydrous)")
    assert '<span class="badge badge-over" id="overall-status">over</span>' in html


def test_solved_amount_rounds_down_in_the_lines_unit_where_rounding_up_crosses_a_limit():
    """Citrate at 16.1602% in grams for the EU's 250 mg: 1.5470103 g exactly; 1.5471 g would be 250.016 mg."""
    eu = engine.Reference("magnesium", engine.Kind.UL, "EU", "adult", Decimal(250))
    design = engine.Design((), Decimal(1), (eu,), ("EU",), "adult")
    citrate = (engine.Contribution("magnesium", Decimal("0.161602"), engine.Basis.THEORETICAL),)
    mass = engine.compound_mass_for_target(Decimal(250), Decimal("0.161602"))
    exact = engine.LineInput("0", "citrate", mass / 1000, "g", citrate)

    solved = services.solved_amount(exact, design)

    assert solved.amount == Decimal("1.5470")
    assert [a.reference for a in solved.crossed] == [eu]
    assert services.solved_amount(exact) == services.Solved(Decimal("1.5471"))  # no design to judge: up, as ever


@pytest.mark.parametrize(("target", "amount"), [("0.3", "0.4975"), ("5", "8.292")])
def test_the_solve_note_names_the_amount_it_set(client, target, amount):
    """It named the mass rounded again ("498 mcg", "8.3 mg"), not the 0.4975 mg or 8.292 mg put in the field."""
    data = recover_post(**{"lines-0-compound": "magnesium-oxide", "lines-0-target_mg": target}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert f'name="lines-0-amount" value="{amount}"' in html
    note = re.search(r'<span class="solve-note" id="solve-note-lines-0" role="status">([^<]*)</span>', html).group(1)
    assert note.startswith(f"Rounded up to {amount} mg of magnesium oxide, which gives ")


@pytest.mark.parametrize(("unit", "amount", "written"), [("g", "2.7778", "2.7778 g"), ("mcg", "2777800", "2,777,800 mcg")])
def test_solve_keeps_the_lines_unit(client, unit, amount, written):
    """Solved in g, the amount came back as 2777.8 with the unit switched to mg unseen."""
    data = recover_post(**{"lines-0-unit": unit, "lines-0-amount": "2", "lines-0-target_mg": "200"}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert f'name="lines-0-amount" value="{amount}"' in html
    assert re.search(rf'<option value="{unit}" selected>', html)
    note = re.search(r'<span class="solve-note" id="solve-note-lines-0" role="status">([^<]*)</span>', html).group(1)
    assert note.startswith(f"Rounded up to {written} of magnesium L-threonate, which gives 200")


def test_a_solve_that_gives_its_target_exactly_has_no_note(client):
    data = recover_post(**{"lines-0-target_mg": "144"}, _action="solve-0")  # 2,000 mg of threonate at 7.2%: 144 mg
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert 'name="lines-0-amount" value="2000"' in html
    assert '<span class="solve-note" id="solve-note-lines-0" role="status"></span>' in html


@pytest.mark.parametrize(("target", "amount"), [("150", "2083.4"), ("5", "69.45"), ("0.001", "0.0139")])
def test_solve_keeps_four_digits_of_a_small_mass_instead_of_rounding_it_up_to_a_tenth_of_a_mg(client, target, amount):
    # Threonate at 7.2%: 150 mg needs 2083.33 mg, 5 mg 69.444 mg, 0.001 mg 0.01389 mg; rounded up, never down.
    data = recover_post(**{"lines-0-target_mg": target}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert f'name="lines-0-amount" value="{amount}"' in html


def test_solve_without_a_target_says_what_is_missing_and_the_figures_stand(client):
    html = client.post("/products/recover/edit", recover_post(_action="solve-0"), **HX).content.decode()

    assert f'<span class="solve-error" id="solve-lines-0" role="alert">{services.ERROR_SOLVE_NEEDS_TARGET}</span>' in html
    assert '<div id="results-state" class="fresh"' in html  # what was typed is valid: its figures are not out of date
    assert '<strong id="mg-serving">144 mg</strong>' in html


def test_a_target_solve_refused_is_marked_invalid_as_every_field_with_a_message(client):
    """The target showed its message but, alone of the fields, was not aria-invalid: a screen reader heard it as fine."""
    import re

    refused = client.post("/products/recover/edit", recover_post(**{"lines-0-target_mg": "abc"}, _action="solve-0"),
                          **HX).content.decode()
    solved = client.post("/products/recover/edit", recover_post(**{"lines-0-target_mg": "150"}, _action="solve-0"),
                         **HX).content.decode()

    def target(html):
        return re.search(r'<input[^>]*name="lines-0-target_mg"[^>]*>', html).group(0)

    assert 'aria-invalid="true"' in target(refused) and 'aria-describedby="solve-lines-0"' in target(refused)
    assert "aria-invalid" not in target(solved)


def test_solve_without_a_compound_asks_for_the_compound(client):
    data = recover_post(**{"lines-0-compound": "", "lines-0-target_mg": "150"}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert escape(services.ERROR_SOLVE_NEEDS_COMPOUND) in html


@pytest.mark.parametrize("target", ["NaN", "Infinity", "-Infinity", "sNaN", "abc"])
def test_solve_with_a_target_that_is_no_number_says_so_once(client, target):
    data = recover_post(**{"lines-0-target_mg": target}, _action="solve-0")
    response = client.post("/products/recover/edit", data, **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<span class="solve-error" id="solve-lines-0" role="alert">{forms.ERROR_NOT_A_NUMBER}</span>' in html
    assert html.count(forms.ERROR_NOT_A_NUMBER) == 1
    assert f'name="lines-0-target_mg" value="{target}"' in html  # what was typed stays
    assert 'name="lines-0-amount" value="2000"' in html


def test_a_target_typed_in_a_line_just_added_leaves_it_held_back_and_the_figures_up_to_date(client):
    data = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-1-compound": "", "lines-1-amount": "", "lines-1-unit": "mg",
                           "lines-1-overage_percent": "0", "lines-1-target_mg": "150"})

    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert 'class="fresh"' in html and '<strong id="mg-serving">144 mg</strong>' in html
    assert forms.ERROR_CHOOSE_COMPOUND not in html


@pytest.mark.parametrize("target", ["9" * 1000, "1" + "0" * 100000])
def test_solve_for_a_target_past_what_a_number_can_hold_says_it_is_too_large(client, target):
    response = client.post("/products/recover/edit", recover_post(**{"lines-0-target_mg": target}, _action="solve-0"), **HX)

    assert response.status_code == 200
    assert escape(services.ERROR_SOLVE_TOO_LARGE.format(compound="magnesium L-threonate")) in response.content.decode()


def test_solve_takes_a_target_with_as_many_decimals_as_typed(client):
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-target_mg": "150.00000"}, _action="solve-0"),
                       **HX).content.decode()

    assert 'name="lines-0-amount" value="2083.4"' in html


@pytest.mark.parametrize("target", ["abc", "-5", "1,5", "0.00001"])
def test_a_target_typed_but_not_solved_for_leaves_the_figures_up_to_date(client, target):
    response = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "3000", "lines-0-target_mg": target}),
                           **HX)
    html = response.content.decode()

    assert '<strong id="mg-serving">216 mg</strong>' in html
    assert 'class="fresh"' in html and "HX-Reswap" not in response
    assert "Magnesium <strong>216 mg</strong>" in html.split('id="line-calc-0"')[1]  # the line's own cell


@pytest.mark.parametrize(("target", "solved", "message"), [
    ("150", "", views.MESSAGE_TARGET_UNSOLVED.format(target="150")),
    ("abc", "", views.MESSAGE_TARGET_REFUSED.format(reason=forms.ERROR_NOT_A_NUMBER)),
    # Refused by Solve, then saved: the page noted it as solved, so that Enter would not ask again.
    ("abc", "abc", views.MESSAGE_TARGET_REFUSED.format(reason=forms.ERROR_NOT_A_NUMBER)),
    ("0", "0", views.MESSAGE_TARGET_REFUSED.format(reason=services.ERROR_SOLVE_POSITIVE)),
])
def test_saving_with_a_target_not_solved_is_refused_at_the_target_and_keeps_what_was_typed(client, target, solved, message):
    """The save kept the amount typed beside the target and dropped the target without a word."""
    response = client.post("/products/recover/edit", recover_post(
        **{"lines-0-amount": "3000", "lines-0-target_mg": target, "lines-0-target_solved": solved}, _action="save"))
    html = response.content.decode()

    assert response.status_code == 200
    assert f'id="solve-lines-0" role="alert">{escape(message)}</span>' in html
    assert 'name="lines-0-amount" value="3000"' in html and f'name="lines-0-target_mg" value="{target}"' in html
    target_input = re.search(r'<input[^>]*name="lines-0-target_mg"[^>]*>', html).group()
    assert 'aria-invalid="true"' in target_input and "autofocus" in target_input
    assert Product.objects.get(slug="recover").lines.get().amount == 2000


def test_a_us_dv_share_under_2_percent_says_the_panel_leaves_it_out(client):
    """116 mg of L-threonate gives 8.352 mg of magnesium: "1.99%" of the DV stood beside the RDA's "2%" unexplained."""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "116"}), **HX).content.decode()
    intake = html.split('<table class="data intake">')[1].split("</table>")[0]
    rows = {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split(" 420 mg")[0].split()[-1]: row
            for row in re.findall(r"<tr>.*?</tr>", intake, re.S) if "420 mg" in row}

    assert "1.99%<br><small>under 2%: not declared on the panel</small>" in rows["DV"]
    assert "not declared" not in rows["RDA"]


def test_a_save_refused_for_targets_in_two_lines_names_each_and_focuses_a_field_of_the_form_first(client):
    """Only the first line's target was named; with the name missing too, the name and the target both had the focus."""
    data = recover_post(**{"name": "", "lines-TOTAL_FORMS": "2", "lines-0-target_mg": "150",
                           "lines-1-compound": "magnesium-oxide", "lines-1-amount": "100", "lines-1-unit": "mg",
                           "lines-1-overage_percent": "0", "lines-1-target_mg": "50"}, _action="save")

    html = client.post("/products/recover/edit", data).content.decode()

    for index, target in ((0, "150"), (1, "50")):
        message = escape(views.MESSAGE_TARGET_UNSOLVED.format(target=target))
        assert f'id="solve-lines-{index}" role="alert">{message}</span>' in html
    assert len(re.findall(r"<input[^>]*autofocus", html)) == 1
    assert re.search(r'<input[^>]*name="name"[^>]*autofocus', html)


@pytest.mark.parametrize("target", ["150", ""])
def test_saving_with_a_target_solved_for_or_cleared_saves_the_design(client, target):
    response = client.post("/products/recover/edit", recover_post(
        **{"lines-0-amount": "3000", "lines-0-target_mg": target, "lines-0-target_solved": "150"}, _action="save"))

    assert response.status_code == 302
    assert Product.objects.get(slug="recover").lines.get().amount == 3000


@pytest.mark.parametrize(("target", "message"), [("0", services.ERROR_SOLVE_POSITIVE), ("-5", forms.ERROR_TARGET_NEGATIVE)])
def test_solve_for_no_magnesium_at_all_asks_for_a_target_above_zero_and_keeps_the_amount(client, target, message):
    data = recover_post(**{"lines-0-target_mg": target}, _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    assert message in html
    assert 'name="lines-0-amount" value="2000"' in html


def test_solve_for_magnesium_with_a_compound_without_it_is_refused(client):
    data = recover_post(**{"lines-0-compound": "melatonin", "lines-0-amount": "3", "lines-0-target_mg": "150"},
                        _action="solve-0")
    html = client.post("/products/recover/edit", data, **HX).content.decode()

    message = services.ERROR_SOLVE_NO_NUTRIENT.format(compound="Melatonin", nutrient="magnesium")
    assert f'<span class="solve-error" id="solve-lines-0" role="alert">{message}</span>' in html
    assert 'name="lines-0-amount" value="3"' in html  # not 150 mg of melatonin


# 7200.0001 mg of magnesium needs 100,000.0014 mg of threonate (7.2%): past the 100 g a serving that an amount may be,
# which the amount would be refused for, and the valid amount it replaced lost.
@pytest.mark.parametrize("target", ["1" + "0" * 400, "99999999", "1000000", "7200.0001"])
def test_solve_for_more_than_a_line_can_hold_says_so_and_keeps_the_amount(client, target):
    data = recover_post(**{"lines-0-target_mg": target}, _action="solve-0")
    response = client.post("/products/recover/edit", data, **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert escape(services.ERROR_SOLVE_TOO_LARGE.format(compound="magnesium L-threonate")) in html
    assert 'name="lines-0-amount" value="2000"' in html


def test_solve_for_as_much_as_a_line_may_hold_sets_it():
    row = {"target_mg": "7200", "amount": "2000", "unit": "mg"}

    assert services.row_solve(row, Compound.objects.get(slug="magnesium-l-threonate")) is None
    assert row["amount"] == "100000"


def test_compound_search_finds_threonate_by_a_fragment(client):
    html = client.get("/workbench/compounds/", {"q": "threo", "edit_url": "/products/new"}).content.decode()

    assert "Magnesium L-threonate" in html
    assert 'hx-vals=\'{"_action": "pick-magnesium-l-threonate"}\'' in html
    assert "Magnesium oxide" not in html


def test_compound_search_by_a_formula_lists_the_compound_it_names(client):
    # "MgO" is also part of the formulas of L-threonate (C8H14MgO10), gluconate, lactate ...: a whole formula names one.
    html = client.get("/workbench/compounds/", {"q": "MgO", "edit_url": "/products/new"}).content.decode()
    partial = client.get("/workbench/compounds/", {"q": "MgCl", "edit_url": "/products/new"}).content.decode()

    assert [name.strip() for name in re.findall(r'queue all">([^<]+)', html)] == ["Magnesium oxide"]
    assert "Magnesium chloride hexahydrate" in [name.strip() for name in re.findall(r'queue all">([^<]+)', partial)]


def search_status(html: str) -> str:
    return re.search(r'<span hx-swap-oob="innerHTML:#search-status">(.*?)</span>', html, re.S).group(1)


@pytest.mark.parametrize(("query", "listed", "said"), [
    ("threo", 1, "1 compound matches “threo”: Enter adds it, down arrow reaches it."),
    ("citrate", 3, "3 compounds match “citrate”: down arrow to reach them."),
    ("magnesium", 12, "The first 12 compounds matching “magnesium” are listed: down arrow to reach them, or type more."),
    ("zzz", 0, "No compound matches “zzz”."),
])
def test_suggestions_say_how_many_there_are_to_a_screen_reader(client, query, listed, said):
    html = client.get("/workbench/compounds/", {"q": query, "edit_url": "/products/new"}, **HX).content.decode()

    assert search_status(html) == said
    assert len(re.findall(r"<li><button", html)) == listed


def test_the_search_status_is_a_live_region_of_the_editor_and_starts_empty(client):
    html = client.get("/products/new").content.decode()

    assert '<p class="visually-hidden" id="search-status" role="status" aria-live="polite" aria-atomic="true"></p>' in html
    assert 'hx-swap-oob="innerHTML:#search-status"' not in html  # the page's own list is not an htmx answer


@pytest.mark.parametrize("edit_url", ["https://evil.example/products/new", "//evil.example/products/new", "/compounds/",
                                      "javascript:alert(1)", ""])
def test_suggestions_post_only_to_a_product_editor_of_ours(client, edit_url):
    html = client.get("/workbench/compounds/", {"q": "threo", "edit_url": edit_url}).content.decode()

    assert re.findall(r'hx-post="([^"]*)"', html) == ["/products/new"]


def test_suggestions_post_to_the_product_being_edited(client):
    html = client.get("/workbench/compounds/", {"q": "threo", "edit_url": "/products/recover/edit"}).content.decode()

    assert re.findall(r'hx-post="([^"]*)"', html) == ["/products/recover/edit"]


def test_saving_a_new_product_creates_it_and_redirects_to_it(client):
    data = recover_post(name="Night Calm", version="", _action="save", **{"lines-0-amount": "1000"})
    response = client.post("/products/new", data)

    assert response.status_code == 302 and response["Location"] == "/products/night-calm/"
    product = Product.objects.get(slug="night-calm")
    assert product.lines.get().amount == 1000
    assert "Saved Night Calm (edit 1)." in text(client.get(response["Location"]))


def test_a_new_product_opens_without_messages_and_says_what_gives_figures(client):
    html = client.get("/products/new").content.decode()

    assert '<span class="unsaved-flag" hidden>' in html and "data-unsaved" not in html

    assert re.findall(r'<span class="field-error"[^>]*>([^<]+)</span>', html) == []
    assert "This field is required." not in html and forms.ERROR_CHOOSE_COMPOUND not in html
    assert '<div id="results-state" class="new">Choose a compound and enter its amount to see the figures.' in html
    assert 'name="lines-TOTAL_FORMS" value="1"' in html  # the blank line to start from
    assert re.search(r'value="US"[^>]*checked', html) and re.search(r'value="EU"[^>]*checked', html)


def test_a_new_product_without_a_name_has_figures_while_the_user_types(client):
    html = client.post("/products/new", recover_post(name="", version=""), **HX).content.decode()

    assert '<strong id="mg-serving">144 mg</strong>' in html
    assert forms.ERROR_PRODUCT_NAME not in html


@pytest.mark.parametrize(("url", "data"), [
    ("/products/recover/edit", lambda: recover_post(**{"lines-0-amount": "abc"}, _action="add")),
    ("/stacks/ntrpx-daily/edit", lambda: stack_post(**{"items-0-servings_per_day": "abc"}, _action="add")),
])
def test_a_message_put_back_by_a_button_is_not_an_alert_read_again(client, url, data):
    """Each add or move put back "Enter a number ..." as role="alert", read out again though unchanged; the editor's
    polite announcer says the messages once, when they change."""
    import re

    html = client.post(url, data(), **HX).content.decode()
    errors = re.findall(r'<(?:span|div) class="field-error"[^>]*>', html)

    assert errors and not any('role="alert"' in tag for tag in errors)
    assert any(re.search(r">[^<]+</span>", html[html.index(tag):html.index(tag) + 200]) for tag in errors)  # one is shown


def test_saving_a_product_without_a_name_asks_for_one_and_keeps_the_figures(client):
    response = client.post("/products/new", recover_post(name="", version="", _action="save"))
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<span class="field-error" id="err-name">{forms.ERROR_PRODUCT_NAME}</span>' in html
    assert '<strong id="mg-serving">144 mg</strong>' in html and '<div id="results-state" class="fresh"' in html
    assert not Product.objects.filter(name="").exists()
    assert '<span class="unsaved-flag">Unsaved changes</span>' in html and "data-dirty-guard data-unsaved" in html
    # The field is described by the message beside it, not by Django's id_name_error, which no template renders.
    assert re.search(r'<input[^>]*name="name"[^>]*aria-describedby="err-name"', html) and "id_name_error" not in html


@pytest.mark.parametrize(("url", "data", "heading"), [
    ("/products/luna/edit", {"name": "", "lines-0-compound": "magnesium-l-threonate"}, "Edit Luna"),
    ("/products/recover/edit", {"name": "Renamed", "lines-0-amount": "x"}, "Edit Recover"),
    ("/stacks/ntrpx-daily/edit", {"name": ""}, "Edit NTRPX Daily"),
])
def test_a_refused_save_heads_the_page_with_the_saved_name_not_the_typed_one(client, url, data, heading):
    post = stack_post(_action="save", **data) if "stacks" in url else recover_post(_action="save", **data)
    if "luna" in url:
        post["version"] = str(Product.objects.get(slug="luna").version)
    html = client.post(url, post).content.decode()

    assert re.search(rf"<h1>{heading} <small", html)


def test_saving_an_edit_bumps_the_version(client):
    response = client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2"), follow=True)

    assert "Saved Recover (edit 2)." in text(response)
    assert "288 mg" in text(response)
    assert Product.objects.get(slug="recover").version == 2


def test_saving_a_change_to_a_product_in_review_returns_it_to_draft_and_says_so(client):
    Product.objects.filter(slug="recover").update(status="in-review")

    page = text(client.get("/products/recover/edit"))
    response = client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2"), follow=True)

    assert "Recover is in review. Saving a change returns it to draft, and it must be submitted again." in page
    saved = Product.objects.get(slug="recover")
    assert saved.status == "draft"
    assert views.MESSAGE_SAVED_OUT_OF_REVIEW.format(name="Recover", version=2) in text(response)
    assert saved.history.first().history_change_reason == services.REASON_CHANGED_IN_REVIEW


def test_saving_a_draft_leaves_it_a_draft_with_the_plain_message(client):
    response = client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2"), follow=True)

    assert Product.objects.get(slug="recover").status == "draft"
    assert views.MESSAGE_SAVED.format(name="Recover", version=2) in text(response)
    assert "returned it from review" not in text(response)
    assert "is in review" not in text(client.get("/products/recover/edit"))


def test_a_conflict_names_coded_choices_as_the_pages_do(client):
    client.post("/products/recover/edit", recover_post(_action="save", population="pregnancy", timing="morning"))

    page = text(client.post("/products/recover/edit", recover_post(_action="save", dosage_form="tablet")))

    assert "Population: saved Pregnancy, yours Adults" in page
    assert "Timing: saved Morning, yours Evening" in page
    assert "Dosage form: saved Capsule, yours Tablet" in page


def test_a_stack_conflict_lists_a_change_of_the_products_order(client):
    """Only the servings were listed: saving again replaced the order someone else had saved, unseen."""
    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{"items-1-servings_per_day": "2"}))
    moved = {"items-0-product": "luna", "items-1-product": "recover"}

    page = text(client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **moved)))

    assert f"{services.CHANGE_STACK_ORDER}: saved Recover, Luna, Boost, Sustain, yours Luna, Recover, Boost, Sustain" in page
    assert "Luna: saved 2 a day, evening, yours 1 a day, evening" in page


def test_a_save_based_on_an_old_version_is_refused_and_nothing_is_overwritten(client):
    client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2"))

    response = client.post("/products/recover/edit", recover_post(_action="save", **{"lines-0-amount": "1500"}))
    html = response.content.decode()

    assert response.status_code == 200
    assert "This product was saved after you opened it, by someone else or in another tab: you started from edit 1, and it is now at edit 2." in html
    assert "Servings per day: saved 2, yours 1" in text(response)
    assert "Magnesium L-threonate: saved 2,000 mg, yours 1,500 mg" in text(response)
    assert 'name="lines-0-amount" value="1500"' in html
    product = Product.objects.get(slug="recover")
    assert (product.version, product.servings_per_day, product.lines.get().amount) == (2, 2, 2000)
    assert 'name="version" value="2"' in html  # saving again applies this edit on top, deliberately


def test_a_capsule_product_needs_a_capsule_size(client):
    html = client.post("/products/recover/edit", recover_post(capsule_size=""), **HX).content.decode()

    assert forms.ERROR_CAPSULE_SIZE in html


@pytest.mark.parametrize(("dosage_form", "serving_size", "servings", "message"), [
    ("capsule", "1", "0.5", "0.5 servings a day of 1 capsule is 0.5 capsules a day: a capsule is taken whole, so make it a "
                            "whole number."),
    ("gummy", "3", "0.25", "0.25 servings a day of 3 gummies is 0.75 gummies a day: a gummy is taken whole, so make it a "
                           "whole number."),
    ("capsule", "2", "1.25", "1.25 servings a day of 2 capsules is 2.5 capsules a day: a capsule is taken whole, so make "
                             "it a whole number."),
    ("capsule", "2", "0.5", None),  # 1 capsule a day
    ("tablet", "1", "0.5", None),  # a tablet may be split
    ("powder", "1", "0.5", None),
])
def test_a_day_of_capsules_or_gummies_is_a_whole_number_of_them(client, dosage_form, serving_size, servings, message):
    data = recover_post(dosage_form=dosage_form, serving_size=serving_size, servings_per_day=servings)

    html = client.post("/products/recover/edit", data, **HX).content.decode()

    if message:
        assert f'<span class="field-error" id="err-servings_per_day" hx-swap-oob="true">{message}</span>' in html
        assert 'class="stale"' in html
    else:
        assert 'id="err-servings_per_day"' not in html and 'class="fresh"' in html


def test_the_capsule_size_is_offered_for_a_capsule_only(client):
    capsule = client.get("/products/recover/edit").content.decode()
    drink = client.get("/products/luna/edit").content.decode()
    switched = client.post("/products/recover/edit", recover_post(dosage_form="powder", _action="add")).content.decode()

    # Rendered alike: the stylesheet shows it while capsule is chosen (tests/browser: without JavaScript too).
    field = r'<div class="field field-capsule_size">\s*<label for="id_capsule_size">'
    assert re.search(field, capsule) and re.search(field, drink) and re.search(field, switched)
    assert ('.product-fields:not(:has(select[name="dosage_form"] option[value="capsule"]:checked)) .field-capsule_size '
            '{ display: none; }') in (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    # Hidden, not disabled: still posted, so the size chosen is kept through a line button for when capsule comes back.
    assert re.search(r'<select name="capsule_size"[^>]*>\s*<option value="">-+</option>(.(?!</select>))*<option value="00" selected>',
                     switched, re.S)


def test_a_serving_that_does_not_fit_its_capsules_is_said_beside_the_limits(client):
    """The headline read "Limits OK" and the fit, which approval refuses, was found only far down the figures."""
    over = client.post("/products/recover/edit", recover_post(), **HX).content.decode()
    fits = client.post("/products/recover/edit", recover_post(serving_size="4"), **HX).content.decode()
    powder = client.post("/products/recover/edit", recover_post(dosage_form="powder", capsule_size=""), **HX).content.decode()

    headline = re.search(r'<p class="overall">(.*?)</p>', over, re.S).group(1)
    assert re.sub(r"\s+|<[^>]+>", " ", headline).split("Magnesium")[0].split() == (
        "Limits ok does not fit in 2 capsules a serving: 4 needed".split())
    assert 'id="overall-fit"' not in fits and 'id="overall-fit"' not in powder


def test_recover_capsule_fill_and_cost_are_shown(client):
    page = text(client.get("/products/recover/"))

    assert "1,000 mg of a capacity of 570 mg" in page
    assert "The serving does not fit in 2 capsules of this size" in page
    assert "Capsules needed 4 at no more than 95% fill" in page  # the count once, in its own row
    assert "Per 100 mg of magnesium declared $0.22" in page
    assert "The raw materials include each line's overage; the magnesium is what the label declares." in page


@pytest.mark.parametrize(("amount", "shown"), [("1083.3", "95.03%"), ("1082.7", "94.97%"), ("910", "79.8%"), ("1000", "88%")])
def test_a_capsules_fill_never_reads_as_the_80_or_95_percent_its_status_is_measured_against(client, amount, shown):
    """1,083.3 mg in two size-00 capsules is 95.03% of their volume, tight: "95%" beside "tight" would read as a slip."""
    html = text(client.post("/products/recover/edit", recover_post(**{"lines-0-amount": amount}), **HX))

    assert f"at the blend's tapped density ({shown} of the volume)" in html


def _lines_post(n):
    data = recover_post(**{"lines-TOTAL_FORMS": str(n)})
    for i in range(n):
        data.update({f"lines-{i}-compound": "magnesium-bisglycinate", f"lines-{i}-amount": "10",
                     f"lines-{i}-unit": "mg", f"lines-{i}-overage_percent": "0", f"lines-{i}-target_mg": ""})
    return data


def test_the_recalculation_query_count_does_not_grow_with_lines(client):
    counts = []
    for n in (1, 10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/products/recover/edit", _lines_post(n), **HX)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] == counts[2]


def test_a_stacks_figures_from_the_last_save_keep_its_exclusion_and_interactions_without_javascript(client):
    """With a field invalid and no JavaScript, the figures "from the last save" of a stack for pregnancy read "Limits
    ok" without the EU's exclusion by law of Recover's threonate, and "The library records no interaction"."""
    Stack.objects.filter(slug="ntrpx-daily").update(population="pregnancy")

    html = client.post("/stacks/ntrpx-daily/edit",
                       stack_post(population="pregnancy", **{"items-0-servings_per_day": "0"})).content.decode()

    assert "The figures below are from the last save." in html
    assert 'id="overall-excluded"' in html and "caution for this population" in html
    assert "The library records no interaction" not in html


def test_the_stack_list_says_a_stack_is_excluded_by_law_as_its_page_does(client):
    Stack.objects.filter(slug="ntrpx-daily").update(population="pregnancy")

    html = client.get("/stacks/").content.decode()

    assert re.search(r'<span class="badge badge-over">excluded</span> <small class="status-nutrients">by law in EU</small>',
                     html)


def _many_lines(count: int, **overrides):
    lines = {f"lines-{i}-{field}": value for i in range(count) for field, value in
             {"compound": "glycine", "amount": str(i + 1), "unit": "mg", "overage_percent": "0", "blend": "",
              "target_mg": "", "target_solved": "", "shown": ""}.items()}
    return recover_post(**{"lines-TOTAL_FORMS": str(count), **lines, **overrides})


def test_a_product_of_200_lines_saves_and_one_of_201_is_refused_in_words_with_nothing_saved(client):
    """Saved with 205 lines, a design kept 200 and dropped the rest without a word; from about 120 lines the post was
    a bare 400 (Django's 1,000 fields)."""
    refused = client.post("/products/recover/edit", _many_lines(201, _action="save")).content.decode()
    typing = client.post("/products/recover/edit", json.dumps(_many_lines(201)), "application/json", **HX).content.decode()

    assert escape(forms.ERROR_TOO_MANY_LINES) in refused and escape(forms.ERROR_TOO_MANY_LINES) in typing
    assert Product.objects.get(slug="recover").lines.count() == 1
    saved = client.post("/products/recover/edit", _many_lines(200, _action="save"))
    assert saved.status_code == 302 and Product.objects.get(slug="recover").lines.count() == 200


def test_lines_past_the_201st_are_kept_while_the_product_is_over_200_lines(client):
    """Read to one past 200, a 202nd line typed was dropped without a word; removing the 201st, as the message asks,
    then saved 200 lines without the 202nd."""
    removed = client.post("/products/recover/edit", _many_lines(202, _action="remove-200")).content.decode()

    assert 'name="lines-TOTAL_FORMS" value="201"' in removed
    assert 'name="lines-200-amount" value="202"' in removed  # the 202nd line, now the 201st
    assert escape(forms.ERROR_TOO_MANY_LINES) in removed


def test_a_stack_of_201_products_is_refused_in_words_with_nothing_saved(client):
    items = {f"items-{i}-{field}": value for i in range(201)
             for field, value in {"product": "luna", "servings_per_day": "1", "timing": "evening"}.items()}

    html = client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{"items-TOTAL_FORMS": "201", **items})
                       ).content.decode()

    assert escape(forms.ERROR_TOO_MANY_ITEMS) in html
    assert Stack.objects.get(slug="ntrpx-daily").items.count() == 4


def test_a_stacks_shares_of_a_nutrient_add_up_to_100_percent(client):
    # Recover taken 3 times in the morning and 5 in the evening: 37.5% and 62.5% of every nutrient.
    data = stack_post(**{"items-TOTAL_FORMS": "2", "items-0-servings_per_day": "3", "items-0-timing": "morning",
                         "items-1-product": "recover", "items-1-servings_per_day": "5", "items-1-timing": "evening"})

    html = client.post("/stacks/new", data, **HX).content.decode()

    magnesium = re.search(r'<tr data-nutrient="magnesium">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r"Recover \(morning\) [\d,.]+ mg \(37%\); Recover \(evening\) [\d,.]+ mg \(63%\)", magnesium)


def test_a_stacks_shares_of_a_nutrient_read_as_each_products_own_and_say_when_they_do_not_add_up(client):
    """Luna at 0.75 and 0.25 servings: 112.5 and 37.5 mg, each rounded on its own, read 113 and 38 mg beside "450 mg"
    with MoodFlow's 300, and the page says why they make 451 (apportioned, Luna's evening read 37 mg and MagTech's
    287.26 mg read 288 mg beside its own 287 mg); MoodFlow's B6 alone is its own 12.3 mg."""
    data = stack_post(**{"items-TOTAL_FORMS": "3", "markets": ["US", "EU"],
                         "items-0-product": "luna", "items-0-servings_per_day": "0.75", "items-0-timing": "morning",
                         "items-1-product": "luna", "items-1-servings_per_day": "0.25", "items-1-timing": "evening",
                         "items-2-product": "moodflow", "items-2-servings_per_day": "2.5", "items-2-timing": "evening"})

    html = client.post("/stacks/new", data, **HX).content.decode()

    magnesium = re.search(r'<tr data-nutrient="magnesium">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'<td class="num">450 mg</td>.*Luna \(morning\) 113 mg \(25%\); Luna \(evening\) 38 mg \(8%\); '
                     r"MoodFlow 300 mg \(67%\)", magnesium, re.S)
    b6 = re.search(r'<tr data-nutrient="vitamin-b6">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'<td class="num">12.3 mg</td>.*MoodFlow 12.3 mg \(100%\)', b6, re.S)
    legend = re.findall(r'</svg>([^<]+)</span>', html.split("<figcaption>")[1].split("</figcaption>")[0])
    assert legend == ["Luna (morning) 113 mg", "Luna (evening) 38 mg", "MoodFlow 300 mg"]
    assert "Magnesium a day by product: 450 mg" in html
    assert 'id="shares-note"' in html and labels.SHARES_ROUNDED_APART.replace("'", "&#39;") in html


def test_a_stack_whose_shares_add_up_says_nothing_of_rounding(client):
    html = client.get("/stacks/ntrpx-daily/").content.decode()

    assert 'id="shares-note"' not in html
    sheet = client.get("/stacks/ntrpx-daily/spec/").content.decode()
    assert 'id="spec-shares-note"' not in sheet


def test_a_stacks_sheet_says_its_shares_are_rounded_apart_where_they_do_not_add_up(client):
    """A product's amount read one figure in "From" (apportioned) and another in the table above it."""
    stack = Stack.objects.get(slug="ntrpx-daily")
    client.post("/stacks/ntrpx-daily/edit", stack_post(**{
        "_action": "save", "version": str(stack.version), "items-TOTAL_FORMS": "3",
        "items-0-product": "luna", "items-0-servings_per_day": "0.75", "items-0-timing": "morning",
        "items-1-product": "luna", "items-1-servings_per_day": "0.25", "items-1-timing": "evening",
        "items-2-product": "moodflow", "items-2-servings_per_day": "2.5", "items-2-timing": "evening"}))
    sheet = text(client.get("/stacks/ntrpx-daily/spec/"))

    assert Stack.objects.get(slug="ntrpx-daily").version == stack.version + 1
    assert "Magnesium 450 mg 450 mg Luna (morning) 113 mg (25%); Luna (evening) 38 mg (8%); MoodFlow 300 mg (67%)" in sheet
    assert escape(labels.SHARES_ROUNDED_APART) in sheet


def stack_post(**overrides):
    data = {
        "name": "NTRPX Daily", "markets": ["US", "EU"], "population": "adult", "notes": "", "version": "1",
        "items-TOTAL_FORMS": "4", "items-INITIAL_FORMS": "0",
        "items-0-product": "recover", "items-0-servings_per_day": "1", "items-0-timing": "evening",
        "items-1-product": "luna", "items-1-servings_per_day": "1", "items-1-timing": "evening",
        "items-2-product": "boost", "items-2-servings_per_day": "1", "items-2-timing": "morning",
        "items-3-product": "sustain", "items-3-servings_per_day": "1", "items-3-timing": "afternoon",
    }
    data.update(overrides)
    return data


def test_a_stack_saved_with_a_product_as_labelled_says_it_keeps_the_labels_values(client):
    """"as labelled" read as following the label; the stack saved MoodFlow's 2 a day in the evening, and a later change to
    its label would not be followed, unsaid."""
    data = stack_post(**{"items-TOTAL_FORMS": "5", "items-4-product": "moodflow", "items-4-servings_per_day": "",
                         "items-4-timing": ""}, _action="save")

    page = text(client.post("/stacks/ntrpx-daily/edit", data, follow=True))
    plain = text(client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", version="2", notes="x"), follow=True))

    said = views.MESSAGE_AS_LABELLED.format(labels_say="its label says", taken="MoodFlow: 2 a day, evening", labels="its label")
    assert f"Saved NTRPX Daily (edit 2). {said}" in page.replace("&#x27;", "'")
    assert "Taken as" not in plain


def test_a_stack_saved_says_only_what_the_labels_gave_and_which_row_of_a_product_taken_twice(client):
    """MoodFlow at 0.5 a day typed, its timing left "as labelled", was said "Taken as its label says now (MoodFlow: 0.5
    a day, evening)": the 0.5 was the user's, and the stack took MoodFlow twice."""
    data = stack_post(**{"items-TOTAL_FORMS": "6", "items-4-product": "moodflow", "items-4-servings_per_day": "1",
                         "items-4-timing": "morning", "items-5-product": "moodflow", "items-5-servings_per_day": "0.5",
                         "items-5-timing": ""}, _action="save")

    page = text(client.post("/stacks/ntrpx-daily/edit", data, follow=True))

    said = views.MESSAGE_AS_LABELLED.format(labels_say="its label says", taken="MoodFlow (product 6): evening",
                                            labels="its label")
    assert f"Saved NTRPX Daily (edit 2). {said}" in page.replace("&#x27;", "'")


@pytest.mark.parametrize(("url", "post", "what"), [("/products/recover/edit", recover_post, "product"),
                                                    ("/stacks/ntrpx-daily/edit", stack_post, "stack")])
@pytest.mark.parametrize(("version", "mine"), [("999", 999), ("abc", 0)])
def test_a_save_from_an_edit_the_design_never_had_says_so_and_overwrites_nothing(client, url, post, what, version, mine):
    page = text(client.post(url, post(_action="save", version=version)))

    assert services.ERROR_UNKNOWN_EDIT.format(what=what, mine=mine, theirs=1) in page
    assert "was saved after you opened it" not in page
    assert Product.objects.get(slug="recover").version == 1 and Stack.objects.get(slug="ntrpx-daily").version == 1


def test_the_stack_editor_without_javascript_keeps_the_last_valid_figures_while_the_input_is_invalid(client):
    valid = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-1-servings_per_day": "2"}))
    last_valid = re.search(r'name="last_valid" value="([^"]+)"', valid.content.decode()).group(1)
    assert '<strong id="mg-day">444 mg</strong>' in valid.content.decode()

    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-1-servings_per_day": "x"}, last_valid=last_valid)
                       ).content.decode()

    assert '<strong id="mg-day">444 mg</strong>' in html  # not the saved 294 mg
    assert "The figures below are from the last valid input." in html


def test_stack_editor_recalculates_daily_totals_and_the_chart(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-1-servings_per_day": "2"}), **HX).content.decode()

    assert '<strong id="mg-day">444 mg</strong>' in html
    assert "444 mg/day is 194 mg over the EU limit of 250 mg for supplemental magnesium." in html
    assert html.count('class="segment"') == 2


@contextmanager
def instances_made(model, when=lambda: True):
    """The instances of model made inside the block (while when() holds), as they are made."""
    made = []

    def record(sender, instance, **kwargs):
        if when():
            made.append(instance)

    post_init.connect(record, sender=model)
    try:
        yield made
    finally:
        post_init.disconnect(record, sender=model)


def test_a_stack_keystroke_reads_the_lines_of_the_products_it_takes_and_no_others(client):
    ProductLineFactory(product=ProductFactory(name="Unused"))  # the team's other products may be many

    with instances_made(ProductLine) as lines:
        html = client.post("/stacks/ntrpx-daily/edit", stack_post(), **HX).content.decode()

    assert '<strong id="mg-day">294 mg</strong>' in html
    loaded = [(line.product_id, line.pk) for line in lines]
    taken = set(Product.objects.filter(slug__in=["recover", "luna", "boost", "sustain"]).values_list("pk", flat=True))
    assert loaded and {product for product, _ in loaded} == taken
    assert len(loaded) == len(set(loaded))  # each line read once


def test_a_stack_keystroke_takes_its_lines_compounds_from_the_library_instead_of_reading_them_again(client, monkeypatch):
    reading = []
    real = selectors.products_by_slug

    def products_by_slug(*args, **kwargs):
        reading.append(True)
        try:
            return real(*args, **kwargs)
        finally:
            reading.pop()

    monkeypatch.setattr(selectors, "products_by_slug", products_by_slug)
    with instances_made(Compound, when=lambda: bool(reading)) as read:
        html = client.post("/stacks/ntrpx-daily/edit", stack_post(), **HX).content.decode()

    assert '<strong id="mg-day">294 mg</strong>' in html
    assert [compound.slug for compound in read] == []


def test_a_line_whose_compound_the_library_lacks_reads_its_own(django_user_model):
    products = selectors.products_by_slug(django_user_model.objects.get(username="demo"), ["recover"], compounds={})

    assert [line.compound.name for line in products["recover"].lines.all()] == ["Magnesium L-threonate"]


def test_a_stack_keystroke_does_not_read_the_menu_of_the_teams_products(client, monkeypatch):
    def menu_read(user):
        raise AssertionError("a keystroke read every product of the team for a menu it does not show")

    monkeypatch.setattr(selectors, "product_choices", menu_read)

    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-1-servings_per_day": "2"}), **HX).content.decode()

    assert '<strong id="mg-day">444 mg</strong>' in html


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
def test_a_product_the_user_may_not_see_is_refused_at_its_stack_item(client, hx):
    from accounts.models import Team

    hidden = ProductFactory(slug="rival-draft", name="Rival draft", team=Team.objects.create(name="Rival", slug="rival"),
                            status="draft")
    ProductLineFactory(product=hidden)

    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-1-product": "rival-draft"}), **hx).content.decode()

    assert re.search(r'id="err-items-1-product"[^>]*>' + re.escape(escape(
        forms.ERROR_UNKNOWN_PRODUCT % {"value": "rival-draft"})), html)
    assert '<div id="results-state" class="stale"' in html
    assert "Rival draft" not in html


def test_a_product_deleted_while_its_stack_is_edited_is_named_in_the_message(client):
    """It said "Unknown product: choose one from the list.", and the emptied menu no longer showed which."""
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-1-product": "qa-temp2"}), **HX).content.decode()

    assert escape("There is no product “qa-temp2” to stack now: it may have been deleted") in html


def test_a_stack_item_may_be_any_product_the_user_sees_by_name(client):
    html = client.get("/stacks/new").content.decode()
    options = re.findall(r'<option value="([^"]+)"', html.split('name="items-0-product"')[1].split("</select>")[0])

    assert options == list(Product.objects.order_by("name").values_list("slug", flat=True))


def test_a_stack_page_reads_the_menu_once_for_all_its_items(client, monkeypatch):
    reads = []
    real = selectors.product_choices
    monkeypatch.setattr(selectors, "product_choices", lambda user, stack=None: reads.append(user) or real(user, stack))

    html = client.get("/stacks/ntrpx-daily/edit").content.decode()

    assert html.count('<option value="luna"') == 4  # one menu for each of the four items
    assert len(reads) == 1


def test_stack_editor_page_and_invalid_servings(client):
    assert '<strong id="mg-day">294 mg</strong>' in client.get("/stacks/ntrpx-daily/edit").content.decode()

    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-0-servings_per_day": "0"}), **HX).content.decode()

    assert forms.ERROR_SERVINGS in html
    assert '<div id="results-state" class="stale"' in html


def test_a_stack_items_servings_with_a_decimal_comma_say_how_to_write_them(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-0-servings_per_day": "1,5"}), **HX).content.decode()

    message = forms.ERROR_DECIMAL_COMMA_RANGE.format(low="0.25", high="20")  # not "write 1.5 or 1500"
    assert f'<span class="field-error" id="err-items-0-servings_per_day" hx-swap-oob="true">{message}</span>' in html


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
def test_a_stack_takes_a_capsule_product_in_whole_capsules_a_day_as_its_own_editor_does(client, hx):
    """Recover is 2 capsules a serving: 0.25 servings a day is half a capsule, which its own editor refuses."""
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-0-servings_per_day": "0.25"}), **hx).content.decode()

    message = escape(forms.ERROR_WHOLE_UNITS_A_DAY.format(servings="0.25", serving="2 capsules", units="0.5 capsules",
                                                          unit="capsule"))
    assert re.search(r'id="err-items-0-servings_per_day"[^>]*>' + re.escape(message), html)
    assert '<div id="results-state" class="stale"' in html
    one_capsule = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-0-servings_per_day": "0.5"}), **hx)
    assert "is taken whole" not in one_capsule.content.decode()  # half a serving of two capsules is one


def test_a_product_taken_twice_in_a_stack_is_told_apart_by_its_time_then_its_position(client):
    twice = {"items-TOTAL_FORMS": "3", "items-2-product": "recover", "items-2-servings_per_day": "1"}
    at_other_times = text(client.post("/stacks/ntrpx-daily/edit", stack_post(**twice, **{"items-2-timing": "morning"}), **HX))
    at_the_same_time = text(client.post("/stacks/ntrpx-daily/edit", stack_post(**twice, **{"items-2-timing": "evening"}), **HX))

    assert "Recover (evening) 144 mg (33%); Luna 150 mg (34%); Recover (morning) 144 mg (33%)" in at_other_times
    assert "Recover (evening, item 1) 144 mg" in at_the_same_time and "Recover (evening, item 3) 144 mg" in at_the_same_time


def test_adding_a_stack_item_keeps_the_figures_of_the_others_current_and_says_nothing_of_the_new_one(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(_action="add", **{"items-0-servings_per_day": "2"}),
                       **HX).content.decode()

    assert html.count('name="items-4-product"') == 1  # the new, blank item
    assert '<div id="results-state" class="fresh" hx-swap-oob="true">' in html
    assert '<strong id="mg-day">438 mg</strong>' in html  # Recover twice (288 mg) and Luna (150 mg)
    assert forms.ERROR_CHOOSE_PRODUCT not in html


def test_without_javascript_an_invalid_stack_shows_its_saved_figures_marked_out_of_date(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-0-servings_per_day": "x"})).content.decode()

    assert forms.ERROR_SERVINGS_WRITTEN in html
    assert '<div id="results-state" class="stale"' in html
    assert '<strong id="mg-day">294 mg</strong>' in html


def test_a_stack_field_in_error_is_named_at_the_field_as_the_user_types(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(markets=[]), **HX).content.decode()

    assert f'<span class="field-error" id="err-markets" hx-swap-oob="true">{forms.ERROR_CHOOSE_MARKET}</span>' in html


def test_saving_a_stack(client):
    response = client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{"items-1-servings_per_day": "2"}))

    assert response.status_code == 302
    stack = Stack.objects.get(slug="ntrpx-daily")
    assert stack.version == 2
    assert [str(i.servings_per_day) for i in stack.items.all()] == ["1.00", "2.00", "1.00", "1.00"]


def test_a_stack_saved_from_an_old_version_is_refused_and_lists_where_the_saved_one_differs(client):
    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", name="Daily A"))

    response = client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{"items-0-servings_per_day": "2"}))

    page = text(response)
    assert "This stack was saved after you opened it, by someone else or in another tab: you started from edit 1, and it is now at edit 2." in page
    assert "Name: saved Daily A, yours NTRPX Daily" in page  # saving again would put their name back: it says so
    assert "Recover: saved 1 a day, evening, yours 2 a day, evening" in page
    stack = Stack.objects.get(slug="ntrpx-daily")
    assert (stack.name, stack.version, stack.items.first().servings_per_day) == ("Daily A", 2, 1)


def test_a_new_stack_opens_without_messages_and_says_what_gives_figures(client):
    html = client.get("/stacks/new").content.decode()

    assert re.findall(r'<span class="field-error"[^>]*>([^<]+)</span>', html) == []
    assert forms.ERROR_CHOOSE_PRODUCT not in html and forms.ERROR_STACK_NAME not in html
    assert '<div id="results-state" class="new">Choose a product to see the figures.' in html
    assert re.search(r'value="US"[^>]*checked', html) and re.search(r'value="EU"[^>]*checked', html)
    assert 'name="items-TOTAL_FORMS" value="1"' in html


def test_saving_a_stack_without_a_name_asks_for_one_and_keeps_the_figures(client):
    response = client.post("/stacks/new", stack_post(name="", version="", _action="save"), **HX)
    html = response.content.decode()

    assert f'<span class="field-error" id="err-name">{forms.ERROR_STACK_NAME}</span>' in html
    assert '<div id="results-state" class="fresh"' in html
    assert Stack.objects.count() == 1  # the seed's


@pytest.mark.parametrize(("url", "post", "other"), [
    ("/stacks/new", stack_post(name="", version="", _action="save", **{"items-0-product": ""}), forms.ERROR_CHOOSE_PRODUCT),
    ("/products/new", recover_post(name="", version="", _action="save", servings_per_day="0"), forms.ERROR_SERVINGS),
])
def test_saving_without_a_name_asks_for_it_along_with_the_other_messages(client, url, post, other):
    html = client.post(url, post).content.decode()

    assert other in html
    assert (forms.ERROR_STACK_NAME if "stacks" in url else forms.ERROR_PRODUCT_NAME) in html


@pytest.mark.parametrize(("url", "post", "focused"), [
    ("/products/new", recover_post(name="", version="", _action="save"), "name"),
    ("/products/new", recover_post(name="Recover night", version="", _action="save", **{"lines-0-amount": "12x"}), "lines-0-amount"),
    ("/stacks/new", stack_post(name="", version="", _action="save", **{"items-0-product": ""}), "name"),
])
def test_a_refused_save_gives_the_first_field_it_names_the_focus(client, url, post, focused):
    """The message stood at the top of the form and the focus stayed on Save, below the fold on a phone."""
    html = client.post(url, post).content.decode()

    assert re.findall(r'<(?:input|select|textarea)[^>]*\bautofocus\b[^>]*>', html) == re.findall(
        rf'<(?:input|select|textarea)[^>]*name="{focused}"[^>]*>', html)


def test_a_stack_without_a_name_has_figures_while_the_user_types(client):
    html = client.post("/stacks/new", stack_post(name="", version=""), **HX).content.decode()

    assert 'id="results-state" class="fresh"' in html and forms.ERROR_STACK_NAME not in html


def test_a_stack_needs_at_least_one_product(client):
    html = client.post("/stacks/new", stack_post(**{"items-TOTAL_FORMS": "0"}, _action="save")).content.decode()

    assert forms.ERROR_NO_ITEMS in html
    assert not Stack.objects.filter(slug="ntrpx-daily-2").exists()


def test_htmx_posts_carry_the_csrf_token(client, django_user_model):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(django_user_model.objects.get(username="demo"))
    page = strict.get("/products/recover/edit")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)

    refused = strict.post("/products/recover/edit", recover_post(), **HX)
    accepted = strict.post("/products/recover/edit", recover_post(), HTTP_X_CSRFTOKEN=token, **HX)

    assert refused.status_code == 403
    assert accepted.status_code == 200


def test_a_line_can_join_a_proprietary_blend_and_it_is_saved(client):
    client.post("/products/recover/edit", recover_post(_action="save", **{"lines-0-blend": "Night Blend"}))

    assert Product.objects.get(slug="recover").lines.get().blend == "Night Blend"
    assert 'name="lines-0-blend" value="Night Blend"' in client.get("/products/recover/edit").content.decode()


BLANK_SECOND_LINE = {"lines-TOTAL_FORMS": "2", "lines-1-compound": "", "lines-1-amount": "", "lines-1-unit": "mg",
                     "lines-1-overage_percent": "", "lines-1-blend": "", "lines-1-target_mg": ""}


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
def test_a_line_left_blank_is_named_at_its_field_when_saving_not_a_server_error(client, hx):
    response = client.post("/products/recover/edit", recover_post(_action="save", **BLANK_SECOND_LINE), **hx)

    assert response.status_code == 200
    assert re.search(r'id="err-lines-1-compound"[^>]*>' + re.escape(forms.ERROR_CHOOSE_COMPOUND), response.content.decode())
    assert Product.objects.get(slug="recover").version == 1


def test_a_new_product_with_only_its_blank_line_asks_for_a_compound_rather_than_naming_a_fault(client):
    data = recover_post(name="Night", **{"lines-0-compound": "", "lines-0-amount": ""})

    html = client.post("/products/new", data, **HX).content.decode()

    # Marked out of date: the page may show figures of lines removed since (the text about them is hidden without).
    assert ('<div id="results-state" class="stale" data-blank hx-swap-oob="true">Choose a compound and enter its amount to '
            'see the figures.<span class="from-last-valid">') in html
    assert forms.ERROR_CHOOSE_COMPOUND not in html


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
def test_a_line_left_blank_while_editing_has_no_message_and_the_figures_stand(client, hx):
    html = client.post("/products/recover/edit", recover_post(**{**BLANK_SECOND_LINE, "lines-0-amount": "2500"}), **hx
                       ).content.decode()

    assert not re.search(r'id="err-lines-1-compound"[^>]*>' + re.escape(forms.ERROR_CHOOSE_COMPOUND), html)
    assert '<strong id="mg-serving">180 mg</strong>' in html
    assert 'id="results-state" class="fresh"' in html


def test_a_stack_item_left_blank_is_named_at_its_field_not_a_server_error(client):
    data = {"name": "Daily", "markets": ["US"], "population": "adult", "notes": "", "version": "",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
            "items-0-product": "", "items-0-servings_per_day": "", "items-0-timing": "morning"}

    typing = client.post("/stacks/new", data, **HX)
    saving = client.post("/stacks/new", {**data, "_action": "save"}, **HX)

    assert typing.status_code == saving.status_code == 200
    assert forms.ERROR_CHOOSE_PRODUCT not in typing.content.decode()  # nothing chosen yet: nothing wrong yet
    assert 'id="results-state" class="stale" data-blank hx-swap-oob="true">Choose a product to see the figures.' in typing.content.decode()
    assert forms.ERROR_CHOOSE_PRODUCT in saving.content.decode()


@pytest.mark.parametrize(("path", "cancel"), [
    ("/products/recover/edit", '<a href="/products/recover/">Cancel</a>'),
    ("/stacks/ntrpx-daily/edit", '<a href="/stacks/ntrpx-daily/">Cancel</a>'),
    # A new design's editor is left for the list it would join.
    ("/products/new", '<a href="/products/">Cancel</a>'),
    ("/stacks/new", '<a href="/stacks/">Cancel</a>'),
])
def test_editors_offer_save_recalculate_and_cancel_back_to_what_was_edited(client, path, cancel):
    html = client.get(path).content.decode()

    assert '<button type="submit" name="_action" value="save" class="primary">Save</button>' in html
    assert 'value="calculate" class="secondary no-js-only">Recalculate</button>' in html
    assert cancel in html


def test_choosing_a_population_a_caution_names_shows_it_as_the_user_types(client):
    caution = "<strong>Moderate caution for this population:</strong> Pregnancy and lactation (Magnesium L-threonate)."

    adult = client.post("/products/recover/edit", recover_post(), **HX).content.decode()
    pregnancy = client.post("/products/recover/edit", recover_post(population="pregnancy"), **HX).content.decode()
    child = client.post("/products/recover/edit", recover_post(population="child-9-13"), **HX).content.decode()

    assert caution not in adult and 'class="applies"' not in adult
    assert "Pregnancy and lactation" in adult  # still listed: the label may need it
    assert caution in pregnancy
    assert pregnancy.index('<tr class="applies"') < pregnancy.index("Bisphosphonates")
    assert "caution for this population:</strong> Children (Magnesium L-threonate)." in child


def test_any_supplemental_magnesium_for_infants_is_over_the_us_limit(client):
    html = client.post("/products/recover/edit", recover_post(population="infant"), **HX).content.decode()

    assert '<span class="badge badge-over" id="overall-status">over</span>' in html
    us = re.search(r'<tr class="status-over" data-market="US" data-nutrient="Magnesium">.*?</tr>', html, re.S)
    assert us is not None
    assert "none: food and formula only" in us.group()
    assert ("144 mg/day is over: the US infants 0-12 months limit for supplemental magnesium allows none; it should "
            "come from food and formula only.") in us.group()


def test_the_workbench_lists_the_interactions_of_the_ingredients_being_typed(client):
    glycine = recover_post(**{"lines-0-compound": "glycine"})

    threonate = client.post("/products/recover/edit", recover_post(), **HX).content.decode()
    no_magnesium = client.post("/products/recover/edit", glycine, **HX).content.decode()

    assert "Severe renal impairment" in threonate and "Quinolone and tetracycline antibiotics" in threonate
    assert "The library records no interaction or contraindication for these ingredients: not that none is known." in no_magnesium


def test_the_stack_editor_shows_the_interactions_and_a_caution_for_its_population(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(population="lactation"), **HX).content.decode()

    assert 'id="interactions"' in html and "Bisphosphonates" in html
    assert "<strong>Moderate caution for this population:</strong> Pregnancy and lactation (Magnesium L-threonate)." in html


@pytest.mark.parametrize(("field", "value", "message"), [
    ("servings_per_container", "0", forms.ERROR_SERVINGS_PER_CONTAINER),
    ("servings_per_container", "thirty", forms.ERROR_SERVINGS_PER_CONTAINER_WRITTEN),
    ("serving_size", "0", forms.ERROR_SERVING_SIZE),
    ("serving_size", "1.5", forms.ERROR_SERVING_SIZE),  # in digits already: a whole number it must be
    ("serving_size", "1,5", forms.ERROR_SERVING_SIZE_WRITTEN),
    ("servings_per_container", "2,000", forms.ERROR_WHOLE_NUMBER_COMMA),
])
def test_a_serving_count_out_of_range_is_named_at_its_field_and_not_saved(client, field, value, message):
    response = client.post("/products/recover/edit", recover_post(_action="save", **{field: value}))
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<span class="field-error" id="err-{field}">{message}</span>' in html
    assert Product.objects.get(slug="recover").version == 1


def test_a_stacks_per_dose_maximum_counts_the_products_taken_together(client):
    # Recover (144 mg a serving) and Luna (150 mg) are both taken in the evening: one dose of 294 mg, not 150 mg.
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(markets=["DE"]), **HX).content.decode()

    assert "294 mg in one dose is 169 mg over the DE maximum for supplements of 125 mg a dose" in html


def test_a_stacks_dose_of_half_a_serving_is_half_of_it_never_more_than_the_day(client):
    # Half a serving of Luna (75 mg) with Recover (144 mg) in the evening: a dose of 219 mg, the day's whole magnesium.
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(markets=["DE"], **{"items-1-servings_per_day": "0.5"}),
                       **HX).content.decode()

    assert '<strong id="mg-day">219 mg</strong>' in html
    assert "219 mg in one dose is 94 mg over the DE maximum for supplements of 125 mg a dose" in html


def test_each_stack_item_field_is_named_by_its_row_and_column(client):
    html = client.get("/stacks/ntrpx-daily/edit").content.decode()

    (servings,) = re.findall(r'<input[^>]*name="items-1-servings_per_day"[^>]*>', html)
    assert 'aria-label="Product 2: servings per day"' in servings
    assert 'aria-describedby="err-items-1-servings_per_day"' in servings
    assert '<span class="field-error" id="err-items-1-servings_per_day"' in html
    assert 'aria-label="Product 4: timing"' in html


def test_each_lines_blend_target_and_solve_are_named_by_the_line(client):
    html = client.get("/products/magtech-complex/edit").content.decode()

    assert re.search(r'<input[^>]*name="lines-1-blend"[^>]*aria-label="Line 2: proprietary blend"', html)
    assert re.search(r'<input[^>]*name="lines-1-target_mg"[^>]*aria-label="Line 2: mg of magnesium to solve the amount for"', html)
    assert 'value="solve-1" hx-post' in html and 'aria-label="Solve line 2"' in html


def test_a_chosen_market_without_a_limit_for_the_population_is_named_not_left_out(client):
    html = client.post("/products/recover/edit", recover_post(population="infant", markets=["US", "EU", "DE"]),
                       **HX).content.decode()

    assert 'data-market="US" data-nutrient="Magnesium"' in html  # food and formula only
    for market in ("EU", "DE"):  # the library has no infant limit for them
        assert (f'<tr class="status-no-limit" data-market="{market}">\n      <td>{market}</td>\n      <td colspan="5">The library '
                f"records no upper limit for magnesium in {market} for this population") in html


def test_a_design_whose_nutrients_have_no_limit_anywhere_does_not_blame_the_population(client):
    html = client.get("/products/boost/").content.decode()  # L-theanine alone: no market sets it a limit

    assert "The library records no upper limit in any market for L-theanine" in html  # once, not "in US", "in EU"
    assert "for this population" not in html
    # Whom the table is for, though no row names a population: adults.
    assert "<caption>Upper limits for adults: amounts include overage</caption>" in html


def test_markets_with_the_same_limit_share_one_label_on_the_stack_chart(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(markets=["US", "EU", "CA", "AU-NZ", "DE"]),
                       **HX).content.decode()

    labels = re.findall(r'<text [^>]*>([^<]*)</text>', html)
    assert labels == ["EU UL, DE MAX 250 mg", "US, CA, AU-NZ UL 350 mg", "CA MAX 500 mg"]


def test_a_stack_item_without_servings_takes_its_products_own(client):
    # MoodFlow's label says 2 servings a day (120 mg of magnesium each); a new item's servings are left empty.
    data = {"name": "Mood", "markets": ["US"], "population": "adult", "notes": "", "version": "",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
            "items-0-product": "moodflow", "items-0-servings_per_day": "", "items-0-timing": "morning"}

    typed = client.post("/stacks/new", data, **HX).content.decode()
    page = client.post("/stacks/new", {**data, "_action": "add"}).content.decode()

    assert '<strong id="mg-day">240 mg</strong>' in typed
    assert re.search(r'<input[^>]*name="items-0-servings_per_day" value="2"', page)
    assert re.search(r'<input[^>]*name="items-1-servings_per_day"[^>]*placeholder="as labelled"', page)  # the new item
    assert forms.ERROR_SERVINGS not in page


def test_a_stack_item_without_timing_is_taken_when_its_label_says(client):
    # Recover and MoodFlow are both labelled for the evening: one dose of 120 + 144 mg against Germany's 125 mg, as the
    # labels say, not MoodFlow's serving alone in a morning the new item would otherwise default to.
    data = {"name": "Evening", "markets": ["DE"], "population": "adult", "notes": "", "version": "",
            "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
            "items-0-product": "recover", "items-0-servings_per_day": "", "items-0-timing": "",
            "items-1-product": "moodflow", "items-1-servings_per_day": "", "items-1-timing": ""}

    typed = text(client.post("/stacks/new", data, **HX))
    page = client.post("/stacks/new", {**data, "_action": "add"}).content.decode()

    assert "264 mg in one dose is 139 mg over the DE maximum for supplements of 125 mg" in typed
    assert re.search(r'<select name="items-1-timing"[^>]*>.*?<option value="evening" selected>', page, re.S)
    assert re.search(r'<select name="items-2-timing"[^>]*>\s*<option value="" selected>as labelled</option>', page)


def test_a_name_another_product_of_the_team_has_is_refused_at_the_field_and_nothing_is_saved(client):
    response = client.post("/products/new", recover_post(name="MOODFLOW", version="", _action="save"))

    assert response.status_code == 200
    # The other product's name as the list shows it, to look for, not as typed here.
    message = services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="product", name="MoodFlow")
    assert f'<span class="field-error" id="err-name">{escape(message)}</span>' in response.content.decode()
    assert Product.objects.filter(name__iexact="MoodFlow").count() == 1


def test_a_stack_name_the_team_has_is_refused_at_the_field(client):
    html = client.post("/stacks/new", stack_post(name="ntrpx daily", version="", _action="save")).content.decode()

    assert escape(services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="stack", name="NTRPX Daily")) in html
    assert Stack.objects.count() == 1


@pytest.mark.parametrize(("taken", "name"), [("Ölbad", "ölbad"), ("Mood Flow", "Mood  Flow"), ("Mood Flow", "Mood\u00a0Flow"),
                                            ("Calm", "ＣＡＬＭ")])
def test_names_that_read_alike_are_one_name(client, taken, name):
    ProductFactory(name=taken)

    html = client.post("/products/new", recover_post(name=name, version="", _action="save")).content.decode()

    assert "already has a product named" in html
    assert not Product.objects.filter(name=name).exists()


@pytest.mark.parametrize(("url", "post", "what", "name", "model"), [
    ("/products/new", recover_post, "product", "MoodFlow", Product),
    ("/stacks/new", lambda **kw: stack_post(**kw), "stack", "NTRPX Daily", Stack),
])
def test_a_name_another_save_took_meanwhile_is_refused_at_the_field_not_a_server_error(client, monkeypatch, url, post,
                                                                                     what, name, model):
    real, calls = services._name_taken, []

    def missed_once(*args, **kwargs):  # as if the other save committed between this one's check and its write
        calls.append(args)
        return False if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "_name_taken", missed_once)
    response = client.post(url, post(name=name, version="", _action="save"))

    assert response.status_code == 200
    assert escape(services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what=what, name=name)) in response.content.decode()
    assert model.objects.filter(name=name).count() == 1


def test_a_product_keeps_its_own_name_when_saved_again(client):
    response = client.post("/products/recover/edit", recover_post(_action="save"))

    assert response.status_code == 302


@pytest.mark.parametrize("taken", ["Recover v2", "RECOVER  v2"])  # as the save's own name check reads names
def test_duplicating_skips_a_variant_name_someone_took_by_hand(client, taken):
    ProductFactory(name=taken, slug="my-recover-v2")

    client.post("/products/recover/duplicate")

    assert Product.objects.get(slug="recover-v3").name == "Recover v3"


def test_duplicating_while_another_duplication_takes_the_name_takes_the_next(client, monkeypatch):
    ProductFactory(name="Recover v2", slug="someone-elses")
    monkeypatch.setattr(services, "_name_taken", lambda *args, **kwargs: False)  # as if taken after the check

    response = client.post("/products/recover/duplicate")

    assert response.status_code == 302
    assert Product.objects.get(slug="recover-v3").name == "Recover v3"


def _as_loaded(slug):
    """The editor's form for a saved product, as its page posts it back untouched."""
    from formulator import views

    data = views._to_querydict(views._initial_post(selectors.product_list().get(slug=slug)))
    return {key: data.getlist(key) if key == "markets" else data[key] for key in data}


def test_saving_a_product_unchanged_makes_no_edit_and_says_so(client):
    response = client.post("/products/magtech-complex/edit", {**_as_loaded("magtech-complex"), "_action": "save"}, follow=True)

    assert "Nothing to save: MagTech Magnesium Complex is as saved at edit 1." in text(response)
    assert Product.objects.get(slug="magtech-complex").version == 1


def test_saving_from_an_older_edit_what_someone_saved_since_is_no_conflict(client):
    """Someone saved the same change meanwhile: the save was refused as a conflict listing no difference."""
    edit_1 = _as_loaded("magtech-complex")
    client.post("/products/magtech-complex/edit", {**edit_1, "claims": "sleep", "_action": "save"})

    response = client.post("/products/magtech-complex/edit", {**edit_1, "claims": "sleep", "_action": "save"}, follow=True)

    assert "Nothing to save: MagTech Magnesium Complex is as saved at edit 2." in text(response)
    assert Product.objects.get(slug="magtech-complex").version == 2


def test_saving_a_stack_unchanged_makes_no_edit_and_says_so(client):
    """It made an edit that changed nothing: "Saved NTRPX Daily (edit 2)", and a history entry of no difference."""
    notes = Stack.objects.get(slug="ntrpx-daily").notes
    response = client.post("/stacks/ntrpx-daily/edit", stack_post(notes=notes, _action="save"), follow=True)

    assert "Nothing to save: NTRPX Daily is as saved at edit 1." in text(response)
    assert Stack.objects.get(slug="ntrpx-daily").version == 1


def test_reordering_a_stacks_products_alone_is_a_change_that_saves(client):
    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{"items-0-product": "luna", "items-1-product": "recover"}))

    stack = Stack.objects.get(slug="ntrpx-daily")
    assert stack.version == 2 and stack.items.first().product.slug == "luna"


def test_reordering_lines_alone_is_a_change_that_saves(client):
    data = {**_as_loaded("magtech-complex"), "_action": "save"}
    data["lines-0-compound"], data["lines-1-compound"] = data["lines-1-compound"], data["lines-0-compound"]
    data["lines-0-amount"], data["lines-1-amount"] = data["lines-1-amount"], data["lines-0-amount"]

    client.post("/products/magtech-complex/edit", data)

    product = Product.objects.get(slug="magtech-complex")
    assert product.version == 2 and product.lines.first().compound.slug == data["lines-0-compound"]


@pytest.mark.parametrize(("url", "post"), [("/products/recover/edit", recover_post), ("/stacks/ntrpx-daily/edit", stack_post)])
def test_the_figures_say_what_the_law_excludes_beside_the_limits_status(client, url, post):
    html = client.post(url, post(population="pregnancy"), **HX).content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    # Within its limits for pregnancy, but sold in the EU the threonate is not allowed: the headline says both.
    assert re.search(r"Limits (ok|near|over) ", page)
    excluded = reports.EXCLUDED_BY_LAW.format(compound="Magnesium L-threonate", markets="EU")
    assert f'<p class="excluded-by-law" role="note"><span class="badge badge-over">excluded</span> {excluded}</p>' in html
    # In the headline too, which stays in view at the foot of a narrow screen: it read "Limits ok" alone there.
    overall = re.search(r'<p class="overall">.*?</p>', html, re.DOTALL).group(0)
    assert re.search(r"Limits (ok|near|over) (for [\w ]+ )?excluded by law in EU (does not fit in \d capsules a serving: \d+ needed )?Magnesium",
                     re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", overall)).strip())


@pytest.mark.parametrize(("url", "post"), [("/products/recover/edit", recover_post), ("/stacks/ntrpx-daily/edit", stack_post)])
def test_without_javascript_germany_comes_back_with_the_eu_ticked_as_its_rules_apply(client, url, post):
    """The EU box came back unticked after each round trip, while the EU's limits were shown."""
    html = client.post(url, post(markets=["DE"], _action="calculate")).content.decode()

    boxes = {re.search(r'value="([^"]+)"', box).group(1): "checked" in box
             for box in re.findall(r'<input type="checkbox" name="markets"[^>]*>', html)}
    assert boxes["DE"] and boxes["EU"] and not boxes["US"]
    assert 'data-market="EU" data-nutrient="Magnesium"' in html


def test_no_exclusion_is_shown_where_no_market_excludes(client):
    html = client.post("/products/recover/edit", recover_post(population="pregnancy", markets=["US"]), **HX).content.decode()

    assert "Limits" in html and "excluded-by-law" not in html and "overall-excluded" not in html


def test_a_design_page_and_list_say_what_the_law_excludes_beside_the_limits_badge(client):
    Product.objects.filter(slug="recover").update(population="pregnancy")

    page = client.get("/products/recover/").content.decode()
    listed = client.get("/products/").content.decode()

    assert '<span class="badge badge-over" id="overall-excluded">excluded</span> <small class="status-nutrients">by law in EU</small>' in page
    recover_row = next(row for row in listed.split("<tr") if "/products/recover/" in row)
    assert "excluded</span> <small class=\"status-nutrients\">by law in EU</small>" in recover_row


@pytest.mark.parametrize(("url", "post", "form", "kept"), [
    ("/products/recover/edit", lambda: recover_post(**{"lines-TOTAL_FORMS": "2", "lines-1-compound": "glycine",
                                                        "lines-1-amount": "1000", "lines-1-unit": "mg",
                                                        "lines-1-overage_percent": "0", "lines-1-target_mg": ""}),
     "product-form", 'data-nutrient="glycine"'),
    ("/stacks/ntrpx-daily/edit", stack_post, "stack-form", "Recover"),
])
def test_the_forms_own_request_only_recalculates_whatever_button_htmx_sends_with_it(client, url, post, form, kept):
    # htmx sends the form's last clicked button with the form's later requests: a keystroke queued behind a remove.
    html = client.post(url, post() | {"_action": "remove-0"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER=form).content.decode()

    assert kept in html and '<section id="results"' in html
    assert 'id="editor"' not in html  # the figures alone, as for any keystroke


# Not "page": pytest-playwright takes a parameter of that name for its browser page, and runs the test as a browser test.
@pytest.mark.parametrize(("url", "post", "model", "slug", "detail"), [
    ("/products/recover/edit", recover_post, Product, "recover", "/products/recover/"),
    ("/stacks/ntrpx-daily/edit", stack_post, Stack, "ntrpx-daily", "/stacks/ntrpx-daily/"),
])
def test_a_market_posted_twice_is_saved_once_in_the_order_first_posted(client, url, post, model, slug, detail):
    # The checkboxes post each market once; a hand-made post of US, US, EU was saved so, and shown as "Markets US, US, EU".
    before = model.objects.get(slug=slug).version

    client.post(url, post(_action="save", markets=["US", "US", "EU"], version=str(before)))

    saved = model.objects.get(slug=slug)
    assert saved.version == before + 1 and saved.markets == ["US", "EU"]
    assert "Markets US, EU " in text(client.get(detail))


def test_a_save_refused_for_a_blank_line_keeps_the_typed_figures_not_the_last_saves(client):
    # 1,000 mg of L-threonate is 72 mg of magnesium; the saved Recover has 2,000 mg (144 mg). The line just added
    # and left blank stops the save, as it must, but what was typed still stands, as the editor showed it.
    data = recover_post(**{"lines-0-amount": "1000", "lines-TOTAL_FORMS": "2", "lines-1-compound": "",
                           "lines-1-amount": "", "lines-1-unit": "mg", "lines-1-overage_percent": "0",
                           "lines-1-target_mg": "", "_action": "save"})

    response = client.post("/products/recover/edit", data)
    html = response.content.decode()

    assert response.status_code == 200
    assert f'id="err-lines-1-compound">{forms.ERROR_CHOOSE_COMPOUND}</span>' in html
    assert '<strong id="mg-serving">72 mg</strong>' in html
    assert "from the last valid input" in html and "from the last save" not in html
    assert Product.objects.get(slug="recover").lines.get().amount == 2000


def test_without_javascript_enter_in_a_target_solves_its_line(client):
    """Enter sends the form through its first button, a hidden Recalculate: the target stayed as typed, and nothing was
    solved."""
    page = client.post("/products/recover/edit", recover_post(**{"lines-0-target_mg": "150"}, _action=views.ACTION_ENTER))
    html = page.content.decode()

    assert 'name="lines-0-amount" value="2083.4"' in html
    assert '<strong id="mg-serving">150 mg</strong>' in html
    assert 'name="lines-0-target_solved" value="150"' in html


def test_without_javascript_enter_with_targets_typed_in_two_lines_solves_neither(client):
    """Enter in line 2's target solved line 1, whose amount was rewritten (1000 mg to 354.8 mg), and left line 2."""
    data = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-0-target_mg": "50", "lines-1-compound": "magnesium-oxide",
                           "lines-1-amount": "100", "lines-1-unit": "mg", "lines-1-overage_percent": "0",
                           "lines-1-target_mg": "200"}, _action=views.ACTION_ENTER)

    html = client.post("/products/recover/edit", data).content.decode()

    assert 'name="lines-0-amount" value="2000"' in html and 'name="lines-1-amount" value="100"' in html
    assert f'id="solve-lines-0" role="alert">{views.MESSAGE_SEVERAL_TARGETS.format(lines="1 and 2")}</span>' in html
    assert '<strong id="mg-serving">204 mg</strong>' in html  # 144 + 60.3: recalculated as typed
    # The focus on the first target, beside its message: the page came back at its top, where a Solve's goes to its row.
    assert re.search(r'<input[^>]*name="lines-0-target_mg"[^>]*autofocus', html)
    assert len(re.findall(r"\bautofocus\b", html)) == 1


def test_without_javascript_enter_elsewhere_leaves_a_line_solved_before_as_typed_since(client):
    data = recover_post(**{"lines-0-amount": "3000", "lines-0-target_mg": "150", "lines-0-target_solved": "150"},
                        _action=views.ACTION_ENTER)

    html = client.post("/products/recover/edit", data).content.decode()

    assert 'name="lines-0-amount" value="3000"' in html
    assert '<strong id="mg-serving">216 mg</strong>' in html


def test_without_javascript_enter_with_the_amount_changed_too_solves_nothing_and_says_so(client):
    """A target typed, then the amount changed by hand and Enter pressed in it: the 1,500 mg typed became 1,388.9 mg,
    unsaid, where the page with JavaScript recalculates 1,500 mg."""
    data = recover_post(**{"lines-0-amount": "1500", "lines-0-target_mg": "100"}, _action=views.ACTION_ENTER)

    html = client.post("/products/recover/edit", data).content.decode()

    assert 'name="lines-0-amount" value="1500"' in html
    assert '<strong id="mg-serving">108 mg</strong>' in html
    assert f'id="solve-lines-0" role="alert">{escape(views.MESSAGE_ENTER_AMOUNT_TYPED)}</span>' in html


def test_without_javascript_enter_after_a_recalculation_solves_a_target_typed_since(client):
    """The amount as the page last showed it (its last valid form), not as saved: 1,500 mg recalculated, then a target."""
    shown = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "1500"}, _action="calculate"))
    last_valid = re.search(r'name="last_valid" value="([^"]+)"', shown.content.decode()).group(1)
    data = recover_post(**{"lines-0-amount": "1500", "lines-0-target_mg": "100", "last_valid": last_valid},
                        _action=views.ACTION_ENTER)

    html = client.post("/products/recover/edit", data).content.decode()

    assert '<strong id="mg-serving">100 mg</strong>' in html and views.MESSAGE_ENTER_AMOUNT_TYPED[:20] not in html


def test_without_javascript_the_recalculate_button_leaves_an_amount_typed_beside_an_unsolved_target(client):
    """Recalculate, pressed after typing 1,500 mg beside a target of 100 mg left unsolved, rewrote the amount to
    1,388.9 mg: it was taken for Enter in the target."""
    data = recover_post(**{"lines-0-amount": "1500", "lines-0-target_mg": "100"}, _action="calculate")

    html = client.post("/products/recover/edit", data).content.decode()

    assert 'name="lines-0-amount" value="1500"' in html
    assert '<strong id="mg-serving">108 mg</strong>' in html
    assert "Rounded" not in html


def test_a_target_typed_while_typing_elsewhere_is_not_solved(client):
    """With JavaScript, typing recalculates; only Solve, or Enter in the target, solves."""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "3000", "lines-0-target_mg": "150"}),
                       **HX).content.decode()

    assert '<strong id="mg-serving">216 mg</strong>' in html


@pytest.mark.parametrize("hx", [HX, {}], ids=["htmx", "without JavaScript"])
@pytest.mark.parametrize(("url", "data", "blank", "what"), [
    ("/products/new", lambda: recover_post(name="recover", version="", **{
        "lines-TOTAL_FORMS": "2", "lines-1-compound": "", "lines-1-amount": "", "lines-1-unit": "mg",
        "lines-1-overage_percent": "0", "lines-1-target_mg": ""}), "err-lines-1-compound", "product"),
    ("/stacks/new", lambda: stack_post(name="  NTRPX DAILY ", version="", **{
        "items-TOTAL_FORMS": "5", "items-4-product": "", "items-4-servings_per_day": "", "items-4-timing": ""}),
     "err-items-4-product", "stack"),
])
def test_a_name_taken_is_said_with_a_refused_saves_other_messages(client, hx, url, data, blank, what):
    """QA: a save refused for a blank line said nothing of the name "recover", taken by Recover; once the line was
    removed, the save was refused again, for the name."""
    from formulator.forms import ERROR_CHOOSE_COMPOUND, ERROR_CHOOSE_PRODUCT

    html = client.post(url, {**data(), "_action": "save"}, **hx).content.decode()

    name = "Recover" if what == "product" else "NTRPX Daily"
    taken = services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what=what, name=name)
    assert f'<span class="field-error" id="err-name">{escape(taken)}</span>' in html
    assert re.search(rf'id="{blank}">({ERROR_CHOOSE_COMPOUND}|{ERROR_CHOOSE_PRODUCT})</span>', html)
    assert Product.objects.filter(name__iexact="recover").count() == 1 and Stack.objects.filter(name__iexact="ntrpx daily").count() == 1


def test_a_lines_studied_doses_are_as_the_studies_reported_them(client):
    """Luna's citrate read "studied 1,856.1 mg/day", a mass of citrate neither trial gave: both gave 300 mg of
    magnesium."""
    page = text(client.get("/products/luna/edit"))

    assert "dose below studied 300 mg/day elemental" in page
    assert "studied 1,856.1 mg" not in page
    assert "dose within studied 3,000 mg/day" in page  # glycine: Yamadera gave the compound's mass


def test_a_lines_dose_within_the_studied_span_says_how_it_stands_to_each_study(client):
    """Recover's line read "dose within studied 1,000 mg–2,000 mg/day", its 2,000 mg twice Hausenblas's 1,000 mg; the
    product page said "above 1 and within 1 of the 2 studies' doses"."""
    page = text(client.get("/products/recover/edit"))
    typed = text(client.post("/products/recover/edit", recover_post(), **HX))

    said = "dose within studied 1,000 mg–2,000 mg/day: above 1 and within 1 of the 2 studies&#39; doses"
    assert said in page and said in typed


def test_typing_in_one_line_of_a_compound_sends_the_dose_of_its_other_line_too(client):
    """The dose of a compound on two lines is their sum: typing in one changes what the other's cell says of it."""
    form = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-0-compound": "trimagnesium-dicitrate", "lines-0-amount": "464.05",
                           "lines-1-compound": "trimagnesium-dicitrate", "lines-1-amount": "464.05", "lines-1-unit": "mg",
                           "lines-1-overage_percent": "0", "lines-1-target_mg": ""})
    sent = []
    # 150 mg of magnesium in all, then the trials' 300 mg, then line 2's overage: its cell changes, its dose does not.
    for amount, overage in (("464.05", "0"), ("1392.15", "0"), ("1392.15", "5")):
        form["lines-1-amount"], form["lines-1-overage_percent"] = amount, overage
        html = client.post("/products/recover/edit", form, **HX).content.decode()
        cells = re.findall(r'id="line-calc-(\d)" hx-swap-oob="true">(.*?)<input type="hidden" name="lines-\d-shown" '
                           r'value="(\w+)"></td>', html, re.S)
        sent.append({index: re.search(r'data-dose="(\w+)"', cell).group(1) for index, cell, _ in cells})
        assert all("lines 1 and 2 together" in cell for _, cell, _ in cells)
        form.update({f"lines-{index}-shown": shown for index, _, shown in cells})

    assert sent == [{"0": "below", "1": "below"}, {"0": "within", "1": "within"}, {"1": "within"}]


BLANK_LINE_ONLY = {"lines-0-compound": "", "lines-0-amount": "", "lines-0-unit": "mg", "lines-0-overage_percent": "0"}
BLANK_ITEM_ONLY = {"items-TOTAL_FORMS": "1", "items-0-product": "", "items-0-servings_per_day": "", "items-0-timing": ""}


@pytest.mark.parametrize(("url", "data", "todo"), [
    ("/products/recover/edit", lambda: recover_post(**BLANK_LINE_ONLY), "Choose a compound and enter its amount"),
    ("/stacks/ntrpx-daily/edit", lambda: stack_post(**BLANK_ITEM_ONLY), "Choose a product"),
], ids=["product", "stack"])
def test_with_only_a_line_just_added_left_the_figures_shown_are_out_of_date(client, url, data, todo):
    """A line added, then the others removed: the removed lines' figures stayed on screen as current, under "Choose a
    compound and enter its amount to see the figures"."""
    page = client.post(url, data()).content.decode()
    typed = client.post(url, data(), **HX).content.decode()

    # data-blank: the editor's script lets a save through to say the blank rows' messages, none being shown yet.
    assert (f'<div id="results-state" class="stale" data-blank>{todo} to see the figures. The figures below are from the '
            'last save.') in page
    assert (f'<div id="results-state" class="stale" data-blank hx-swap-oob="true">{todo} to see the figures.'
            '<span class="from-last-valid">') in typed


def test_without_javascript_an_invalid_lines_cell_keeps_its_last_valid_figures(client):
    """"abc" typed as the amount showed "—" in the line's cell, where the page with JavaScript keeps what it showed."""
    shown = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "3000"}, _action="calculate"))
    last_valid = re.search(r'name="last_valid" value="([^"]+)"', shown.content.decode()).group(1)

    from_save = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "abc"}, _action="calculate"))
    from_input = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "abc", "last_valid": last_valid},
                                                                    _action="calculate"))
    other = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "abc", "lines-0-compound": "glycine"},
                                                               _action="calculate"))

    assert re.search(r'id="line-calc-0">.*?<strong>144 mg</strong>', from_save.content.decode(), re.S)
    assert re.search(r'id="line-calc-0">.*?<strong>216 mg</strong>', from_input.content.decode(), re.S)
    assert 'id="line-calc-0">—' in other.content.decode()  # another compound's figures are no figures of this line


def _stack_as_saved(stack):
    data = {"name": stack.name, "markets": stack.markets, "population": stack.population, "notes": stack.notes,
            "version": str(stack.version), "items-TOTAL_FORMS": str(stack.items.count()), "items-INITIAL_FORMS": "0"}
    for i, item in enumerate(stack.items.order_by("position")):
        data.update({f"items-{i}-product": item.product.slug, f"items-{i}-timing": item.timing,
                     f"items-{i}-servings_per_day": f"{item.servings_per_day.normalize():f}"})
    return data


@pytest.mark.parametrize(("url", "saved"), [
    ("/products/recover/edit", lambda: dict(views._to_querydict(views._initial_post(Product.objects.get(slug="recover"))).lists())),
    ("/stacks/ntrpx-daily/edit", lambda: _stack_as_saved(Stack.objects.get(slug="ntrpx-daily"))),
], ids=["product", "stack"])
def test_a_recalculation_leaving_the_design_as_saved_is_no_unsaved_change(client, url, saved):
    """Recalculate pressed with nothing changed said "Unsaved changes", and Save then "Nothing to save"."""
    same = client.post(url, {**saved(), "_action": "calculate"}).content.decode()
    changed = client.post(url, {**saved(), "name": "Renamed", "_action": "calculate"}).content.decode()

    assert '<span class="unsaved-flag" hidden>' in same and "data-unsaved" not in same
    assert '<span class="unsaved-flag">Unsaved changes</span>' in changed and "data-unsaved" in changed


@pytest.mark.parametrize(("url", "data", "action", "focused"), [
    ("/products/recover/edit", lambda: recover_post(), "add", r'<select name="lines-1-compound"[^>]*autofocus'),
    ("/products/recover/edit", lambda: recover_post(**TWO_LINES, **{"lines-1-amount": "10"}), "up-1",
     r'<select name="lines-0-compound"[^>]*autofocus'),
    ("/products/recover/edit", lambda: recover_post(**{"lines-0-target_mg": "100"}), "solve-0",
     r'<input[^>]*name="lines-0-amount"[^>]*autofocus'),
    ("/stacks/ntrpx-daily/edit", lambda: stack_post(), "add", r'<select name="items-4-product"[^>]*autofocus'),
], ids=["add", "up", "solve", "stack-add"])
def test_without_javascript_a_button_gives_its_row_the_focus(client, url, data, action, focused):
    """Each button's page came back at its top, the line just added or moved out of sight below."""
    html = client.post(url, {**data(), "_action": action}).content.decode()
    typed = client.post(url, {**data(), "_action": action}, **HX).content.decode()

    assert len(re.findall(r"\bautofocus\b", html)) == 1 and re.search(focused, html)
    assert "autofocus" not in typed  # with JavaScript, the editor keeps the focus where it was (workbench.js)


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
def test_a_line_of_a_compound_another_line_of_which_is_invalid_is_not_judged_alone(client, hx):
    """Line 1's unit made invalid: line 2 of the same citrate was judged alone, "below", beside line 1's "within"."""
    data = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-0-compound": "trimagnesium-dicitrate", "lines-0-amount": "928.1",
                           "lines-0-unit": "kg", "lines-1-compound": "trimagnesium-dicitrate", "lines-1-amount": "928.1",
                           "lines-1-unit": "mg", "lines-1-overage_percent": "0", "lines-1-target_mg": ""})

    html = client.post("/products/recover/edit", data, **hx).content.decode()

    assert 'data-dose="below"' not in html


def _two_lines_of_60_g(**overrides):
    return recover_post(**{"lines-TOTAL_FORMS": "2", "lines-0-compound": "glycine", "lines-0-amount": "60", "lines-0-unit": "g",
                           "lines-1-compound": "glycine", "lines-1-amount": "60", "lines-1-unit": "g",
                           "lines-1-overage_percent": "0", "lines-1-target_mg": ""}, **overrides)


def test_a_serving_of_more_than_100_g_in_several_lines_is_refused_as_one_line_of_it_is(client):
    """Two lines of 60 g were taken, and saved, where one of 120 g was refused."""
    message = escape(forms.ERROR_SERVING_ABSURD.format(amount="120,000 mg"))

    typed = client.post("/products/recover/edit", _two_lines_of_60_g(), **HX)
    saved = client.post("/products/recover/edit", _two_lines_of_60_g(_action="save"))

    assert message in typed.content.decode() and typed["HX-Reswap"] == "none"  # the last valid figures stay, out of date
    assert message in saved.content.decode()
    assert Product.objects.get(slug="recover").lines.get().amount == 2000


def test_a_save_refused_for_a_serving_over_100_g_keeps_the_last_valid_figures_not_the_refused_ones(client):
    """Without JavaScript the refused save showed 120,000 mg of glycine as "the last valid input", and carried it on."""
    page = client.post("/products/recover/edit", _two_lines_of_60_g(_action="save")).content.decode()

    assert escape(forms.ERROR_SERVING_ABSURD.format(amount="120,000 mg")) in page
    assert "120,000 mg" not in page.split('id="results"')[1]
    assert '<strong id="mg-serving">144 mg</strong>' in page  # the saved Recover's, as nothing valid was typed since


@pytest.mark.parametrize(("url", "button", "slot"), [("/products/recover/edit", "Add line", "err-lines"),
                                                      ("/stacks/ntrpx-daily/edit", "Add product", "err-items")])
def test_the_add_button_is_described_by_the_message_that_asks_for_a_line(client, url, button, slot):
    """Removing the only line said "Add at least one ingredient." in a slot no control pointed to; the focus goes to Add."""
    page = client.get(url).content.decode()

    assert re.search(rf'aria-describedby="{slot}">{button}</button>', page)
    assert f'class="field-error" id="{slot}"' in page


def test_the_ingredient_search_is_a_landmark(client):
    """Reaching it took 35 Tabs past every line's fields: nothing named it among the page's landmarks."""
    page = client.get("/products/recover/edit").content.decode()

    assert re.search(r'<div class="add-ingredient" role="search" aria-label="Ingredients">\s*<div class="js-only">\s*'
                     r'<label for="compound-search">Find an ingredient to add</label>', page)


@pytest.mark.parametrize("kind", ["product", "stack"])
def test_a_new_design_whose_slug_another_save_took_meanwhile_takes_the_next(client, monkeypatch, kind):
    """Two designs created at once, "Race!" and "Race?", both chose the free slug "race": the second insert was refused
    by the database, a 500 on PostgreSQL. Played here in order: the slug is chosen as if the other had not yet saved."""
    from accounts.models import Team

    team = Team.objects.get(slug="ntrpx-labs")
    model = Product if kind == "product" else Stack
    chosen = iter(["race"])
    real = services.unique_slug
    monkeypatch.setattr(services, "unique_slug", lambda *args, **kwargs: next(chosen, None) or real(*args, **kwargs))
    model.objects.create(name="Race!", slug="race", team=team, **({"markets": ["US"]} if kind == "stack" else {}))

    if kind == "product":
        saved = services.product_save(product=None, fields={**services.fields_of(Product.objects.get(slug="recover")),
                                                              "name": "Race?"},
                                      lines=[], expected_version=None, team=team)
    else:
        saved = services.stack_save(stack=None, fields={"name": "Race?", "markets": ["US"], "population": "adult",
                                                        "notes": ""}, items=[], expected_version=None, team=team)

    assert saved.slug == "race-2" and model.objects.get(slug="race-2").name == "Race?"


AUTOFOCUSED = re.compile(r'<(?:input|select|textarea|button)[^>]*\bautofocus\b[^>]*>')


@pytest.mark.parametrize(("url", "data"), [
    ("/products/recover/edit", recover_post(_action="calculate", **{"lines-0-amount": "2100"})),
    ("/products/recover/edit", recover_post(_action="enter", **{"lines-0-amount": "2100"})),  # Enter in a field
    ("/stacks/ntrpx-daily/edit", stack_post(_action="calculate", **{"items-0-servings_per_day": "2"})),
])
def test_without_javascript_a_recalculation_gives_the_focus_back_to_recalculate(client, url, data):
    """The page came back at its top with the focus on nothing: 30 Tab presses back to the line typed in."""
    focused = AUTOFOCUSED.findall(client.post(url, data).content.decode())
    assert len(focused) == 1 and 'value="calculate" class="secondary no-js-only"' in focused[0]


@pytest.mark.parametrize(("url", "data", "field"), [
    ("/products/recover/edit", recover_post(_action="calculate", **{"lines-0-amount": "abc"}), "lines-0-amount"),
    ("/stacks/ntrpx-daily/edit", stack_post(_action="calculate", **{"items-1-servings_per_day": "0"}), "items-1-servings_per_day"),
])
def test_without_javascript_a_recalculation_refused_gives_the_focus_to_the_field_at_fault(client, url, data, field):
    focused = AUTOFOCUSED.findall(client.post(url, data).content.decode())
    assert len(focused) == 1 and f'name="{field}"' in focused[0]
