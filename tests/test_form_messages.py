"""What the editors' fields say: one message for one problem, in the app's words, and names as people read them."""

import json
import re
import unicodedata

import pytest
from django import forms as django_forms
from django.utils.functional import Promise
from django.utils.html import escape

from api.services import token_create
from formulator import forms, services
from formulator.models import NOTES_MAX_LENGTH, Product, Stack, StackItem
from tests.test_workbench import HX, recover_post, stack_post

pytestmark = pytest.mark.django_db


def field_message(html: str, name: str) -> str:
    """The text of the message slot of field `name` (err-name) in a page or an HTMX answer."""
    start = html.index(f'id="err-{name}"')
    return html[html.index(">", start) + 1:html.index("</span>", start)]


def typed(client, url: str, data: dict) -> str:
    return client.post(url, data, **HX).content.decode()


@pytest.fixture
def api_send(django_user_model, anonymous_client):
    _, key = token_create(user=django_user_model.objects.get(username="demo"), name="tests")

    def send(method: str, path: str, body: dict):
        return getattr(anonymous_client, method)(f"/api/v1{path}", json.dumps(body), content_type="application/json",
                                                 HTTP_AUTHORIZATION=f"Bearer {key}")

    return send


def api_product(**overrides):
    body = {
        "name": "API Sleep", "brand": "NTRPX", "dosage_form": "capsule", "capsule_size": "00", "serving_size": 2,
        "servings_per_day": 1, "servings_per_container": 30, "timing": "evening", "markets": ["US", "EU"],
        "population": "adult", "claims": "", "lines": [{"compound": "magnesium-l-threonate", "amount": 2000, "unit": "mg"}],
    }
    body.update(overrides)
    return body


# 1. Servings with too many decimal places -----------------------------------------------------------------


def test_the_decimals_message_names_the_places_the_saved_servings_hold():
    places = Product._meta.get_field("servings_per_day").decimal_places
    assert StackItem._meta.get_field("servings_per_day").decimal_places == places
    assert f"at most {places} decimal places" in forms.ERROR_SERVINGS_DECIMALS
    assert forms.ERROR_SERVINGS_DECIMALS != forms.ERROR_SERVINGS


@pytest.mark.parametrize("value", ["1.234", "0.3333", "19.999"])
def test_servings_in_range_with_too_many_decimals_say_so_in_the_product_editor(client, value):
    html = typed(client, "/products/recover/edit", recover_post(servings_per_day=value))

    assert field_message(html, "servings_per_day") == forms.ERROR_SERVINGS_DECIMALS


@pytest.mark.parametrize("value", ["1.234", "0.3333"])
def test_servings_in_range_with_too_many_decimals_say_so_in_the_stack_editor(client, value):
    html = typed(client, "/stacks/ntrpx-daily/edit", stack_post(**{"items-0-servings_per_day": value}))

    assert field_message(html, "items-0-servings_per_day") == forms.ERROR_SERVINGS_DECIMALS


def test_servings_with_too_many_decimals_are_not_saved_and_say_so_on_the_page(client):
    html = client.post("/products/recover/edit", recover_post(servings_per_day="1.234", _action="save")).content.decode()

    assert field_message(html, "servings_per_day") == forms.ERROR_SERVINGS_DECIMALS
    assert Product.objects.get(slug="recover").version == 1


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/products", api_product(servings_per_day=1.234)),
    ("put", "/products/recover", {**api_product(name="Recover", servings_per_day=0.3333), "version": 1}),
])
def test_the_api_says_servings_have_too_many_decimals(api_send, method, path, body):
    response = api_send(method, path, body)

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "servings_per_day"], "msg": forms.ERROR_SERVINGS_DECIMALS,
                                          "type": "value_error"}]


# 2. One message once ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e-30", "0.0000001", "-1e-30", "25.555", "0.001", "1e1"])
def test_servings_out_of_range_and_too_precise_say_the_range_once_in_the_stack_editor(client, value):
    html = typed(client, "/stacks/ntrpx-daily/edit", stack_post(**{"items-0-servings_per_day": value}))

    # In an exponent, as no one types servings: told how to write them, within the range too (1e1 is 10).
    expected = forms.ERROR_SERVINGS_WRITTEN if "e" in value else forms.ERROR_SERVINGS
    assert field_message(html, "items-0-servings_per_day") == expected


@pytest.mark.parametrize("value", ["1e-30", "0.0000001", "-1e-30", "25.555"])
def test_servings_out_of_range_and_too_precise_say_the_range_once_in_the_product_editor(client, value):
    html = typed(client, "/products/recover/edit", recover_post(servings_per_day=value))

    expected = forms.ERROR_SERVINGS_WRITTEN if "e" in value else forms.ERROR_SERVINGS
    assert field_message(html, "servings_per_day") == expected


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
@pytest.mark.parametrize("value", ["-1e-30", "100.001"])
def test_an_overage_out_of_range_and_too_precise_says_the_range_once(client, hx, value):
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-overage_percent": value}), **hx).content.decode()

    expected = forms.ERROR_OVERAGE_WRITTEN if "e" in value else forms.ERROR_OVERAGE_RANGE  # as written: no number typed
    assert field_message(html, "lines-0-overage_percent") == expected


@pytest.mark.parametrize(("field", "value", "message"), [
    ("lines-0-overage_percent", "１０", forms.ERROR_OVERAGE_WRITTEN),  # full-width 10: "from 0 to 100" read as out of it
    ("lines-0-overage_percent", "٣", forms.ERROR_OVERAGE_WRITTEN),
    ("lines-0-overage_percent", "1e1", forms.ERROR_OVERAGE_WRITTEN),
    ("serving_size", "٣", forms.ERROR_SERVING_SIZE_WRITTEN),
    ("serving_size", "2_000", forms.ERROR_SERVING_SIZE_WRITTEN),
    ("serving_size", "1,5", forms.ERROR_SERVING_SIZE_WRITTEN),  # its example in range: "1500, for example" was not
    ("servings_per_container", "３０", forms.ERROR_SERVINGS_PER_CONTAINER_WRITTEN),
])
def test_a_number_typed_in_other_digits_is_told_how_to_write_it_not_the_range_it_is_in(client, field, value, message):
    html = client.post("/products/recover/edit", recover_post(**{field: value}), **HX).content.decode()

    assert field_message(html, field) == message


@pytest.mark.parametrize(("field", "message"), [
    ("serving_size", forms.ERROR_SERVING_SIZE), ("servings_per_container", forms.ERROR_SERVINGS_PER_CONTAINER),
])
def test_a_whole_number_field_given_a_fraction_says_it_takes_whole_numbers_not_to_write_digits(client, field, message):
    """A serving of "1.5" capsules was told to "write the serving size in digits", which it is."""
    html = client.post("/products/recover/edit", recover_post(**{field: "1.5"}), **HX).content.decode()

    assert field_message(html, field) == message


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
@pytest.mark.parametrize("value", ["2_000", "3_5_0", "٢٠٠٠", "２０００", "2e3", "1E3"])
def test_a_number_python_would_read_but_no_one_writes_is_refused_not_guessed_at(client, hx, value):
    """Python reads "2_000", "2e3" and Arabic-Indic or full-width digits as 2000; a comma is refused, and so are they."""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": value}), **hx).content.decode()

    assert field_message(html, "lines-0-amount") == forms.ERROR_NOT_A_NUMBER


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
def test_an_overage_in_range_but_too_precise_says_its_decimals_not_its_range(client, hx):
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-overage_percent": "5.123"}), **hx).content.decode()

    assert field_message(html, "lines-0-overage_percent") == forms.ERROR_OVERAGE_DECIMALS


# 3. The app's own words for every field -------------------------------------------------------------------


UNKNOWN_TIMING = forms.ERROR_UNKNOWN_CHOICE.format(what="timing", codes="morning, afternoon, evening") % {"value": "midnight"}


def test_a_stack_item_timing_no_menu_offers_is_refused(client):
    html = typed(client, "/stacks/ntrpx-daily/edit", stack_post(**{"items-0-timing": "midnight"}))

    assert field_message(html, "items-0-timing") == UNKNOWN_TIMING


def test_a_stack_item_timing_message_shows_in_its_own_slot_on_the_page(client):
    html = client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-0-timing": "midnight"})).content.decode()

    assert f'<span class="field-error" id="err-items-0-timing">{UNKNOWN_TIMING}</span>' in html


@pytest.mark.parametrize(("url", "data"), [("/products/recover/edit", recover_post), ("/stacks/ntrpx-daily/edit", stack_post)],
                         ids=["product", "stack"])
@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
def test_a_market_no_menu_offers_is_named_not_taken_for_no_market(client, url, data, hx):
    """A post of markets=XX said "Choose at least one market.": the unknown code was dropped before the form saw it."""
    html = client.post(url, data(markets=["XX", "DE"]), **hx).content.decode()

    assert field_message(html, "markets") == forms.ERROR_UNKNOWN_CHOICE.format(
        what="market", codes="US, EU, CA, AU-NZ, DE") % {"value": "XX"}


def test_a_stack_without_a_population_is_asked_for_one(client):
    html = typed(client, "/stacks/ntrpx-daily/edit", stack_post(population=""))

    assert field_message(html, "population") == forms.ERROR_CHOOSE_POPULATION


@pytest.mark.parametrize(("hx", "field", "message"), [
    (HX, "dosage_form", "ERROR_CHOOSE_DOSAGE_FORM"),
    (HX, "timing", "ERROR_CHOOSE_TIMING"),
    (HX, "population", "ERROR_CHOOSE_POPULATION"),
    (HX, "lines-0-unit", "ERROR_UNKNOWN_UNIT"),
    ({}, "lines-0-unit", "ERROR_UNKNOWN_UNIT"),
], ids=["dosage form", "timing", "population", "unit typing", "unit without JavaScript"])
def test_a_product_field_left_empty_says_what_to_choose(client, hx, field, message):
    html = client.post("/products/recover/edit", recover_post(**{field: ""}), **hx).content.decode()

    assert field_message(html, field) == getattr(forms, message)


def test_the_api_asks_for_a_product_timing_in_the_apps_words(api_send):
    response = api_send("post", "/products", api_product(timing=""))

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "timing"], "msg": forms.ERROR_CHOOSE_TIMING, "type": "value_error"}]


# Django's own messages are lazy translations and the app's plain text, so a lazy message is Django's words.
# Empty, no such choice, too long, too small, too precise, too large, a fraction for a whole number, zero.
PROBES = ["", "zzz", "x" * 6000, "1e-30", "-1e-30", "1e30", "0.333333", "25.555", "1.5", "0"]
FORMS = {
    "ProductForm": forms.ProductForm, "StackForm": forms.StackForm,
    "LineForm": lambda: forms.LineForm(compound_choices=[("magnesium-oxide", "Magnesium oxide")]),
    "StackItemForm": lambda: forms.StackItemForm(products={"recover"}),
}


@pytest.mark.parametrize("form", FORMS)
def test_no_field_of_the_editors_says_what_django_says_by_default(form):
    generic = []
    for name, field in FORMS[form]().fields.items():
        probes = [[], ["zzz"]] if isinstance(field, django_forms.MultipleChoiceField) else PROBES
        for probe in probes:
            try:
                field.clean(probe)
            except django_forms.ValidationError as error:
                generic.extend((name, probe[:20], str(e.message % (e.params or {})))
                               for e in error.error_list if isinstance(e.message, Promise))

    assert generic == []


# 4. Names as people read them ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Recover\u200b", "recover\u200b", "\ufeffRecover", "Reco\u200cver", "Re\u200dcover",
                                  "Recover\u2060", "\u00adRecover", " Recover\u200b "])
def test_a_product_name_with_an_invisible_character_is_the_name_it_shows(client, name):
    before = Product.objects.count()

    html = client.post("/products/new", recover_post(name=name, version="", _action="save")).content.decode()

    message = services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="product", name="Recover")
    assert field_message(html, "name") == escape(message)
    assert Product.objects.count() == before


def test_renaming_a_product_to_a_name_taken_but_for_an_invisible_character_is_refused(client):
    luna = Product.objects.get(slug="luna")
    post = recover_post(name="MoodFlow\u200b", _action="save", version=str(luna.version))

    html = client.post("/products/luna/edit", post).content.decode()

    assert field_message(html, "name") == escape(
        services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="product", name="MoodFlow"))
    assert Product.objects.get(slug="luna").name == "Luna"


def test_a_stack_name_with_an_invisible_character_is_the_name_it_shows(client):
    html = client.post("/stacks/new", stack_post(name="NTRPX\u200b Daily\u2060", version="", _action="save")).content.decode()

    assert field_message(html, "name") == escape(
        services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="stack", name="NTRPX Daily"))
    assert Stack.objects.count() == 1


def test_a_name_is_saved_with_single_spaces_and_no_invisible_characters(client):
    response = client.post("/products/new", recover_post(name="  Recover \u200b  Night\t ", version="", _action="save"))

    assert response.status_code == 302 and response["Location"] == "/products/recover-night/"
    assert Product.objects.get(slug="recover-night").name == "Recover Night"


def test_brand_claims_other_ingredients_and_notes_are_saved_without_direction_or_invisible_characters(client):
    """A U+202E in the brand printed the spec sheet's heading (revision, status, edit, date) reversed."""
    response = client.post("/products/new", recover_post(
        name="Recover Clean", brand="x‮evil", claims="sleep,​ cognition", other_ingredients="HPMC⁦ shell\nrice",
        notes="Line one‮\r\nLine​ two", version="", _action="save"))
    stack = client.post("/stacks/new", stack_post(name="Clean stack", notes="‮Note\nthis", version="", _action="save"))

    assert response.status_code == stack.status_code == 302
    product = Product.objects.get(slug="recover-clean")
    assert (product.brand, product.claims, product.other_ingredients) == ("xevil", "sleep, cognition", "HPMC shell rice")
    assert product.notes == "Line one\r\nLine two"  # its line breaks kept
    assert Stack.objects.get(slug="clean-stack").notes == "Note\nthis"


def test_the_api_saves_a_brand_without_direction_characters(api_send):
    response = api_send("post", "/products", api_product(name="API Clean", brand="x‮evil", notes="a​\nb"))

    assert response.status_code == 201
    assert (response.json()["brand"], response.json()["notes"]) == ("xevil", "a\nb")


def test_a_name_is_saved_in_its_composed_form(client):
    decomposed = unicodedata.normalize("NFD", "Ölbad")
    assert decomposed != "Ölbad"

    response = client.post("/products/new", recover_post(name=decomposed, version="", _action="save"))

    assert response.status_code == 302
    assert Product.objects.filter(name="Ölbad").count() == 1


def test_a_name_of_invisible_characters_alone_asks_for_a_name(client):
    html = client.post("/products/new", recover_post(name="\u200b \u2060", version="", _action="save")).content.decode()

    assert field_message(html, "name") == forms.ERROR_PRODUCT_NAME
    assert not Product.objects.filter(name__contains="\u2060").exists()


def test_the_api_refuses_a_name_taken_but_for_an_invisible_character(api_send):
    response = api_send("post", "/products", api_product(name="Recover\u200b"))

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "name"], "type": "value_error",
                                          "msg": services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="product",
                                                                                  name="Recover")}]


def test_the_api_asks_for_a_name_of_invisible_characters_alone(api_send):
    response = api_send("post", "/products", api_product(name="\u200b"))

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "name"], "msg": forms.ERROR_PRODUCT_NAME, "type": "value_error"}]


def test_a_name_saved_with_an_invisible_character_before_still_counts_as_taken(client):
    from tests.factories import ProductFactory

    ProductFactory(name="Calm\u200b")  # as a save before names were cleaned could leave it

    html = client.post("/products/new", recover_post(name="Calm", version="", _action="save")).content.decode()

    assert "already has a product named" in html
    assert not Product.objects.filter(name="Calm").exists()


# Notes: the editors take what the API reads back --------------------------------------------------------


@pytest.mark.parametrize(("url", "post", "model"), [
    ("/products/recover/edit", recover_post, Product), ("/stacks/ntrpx-daily/edit", stack_post, Stack),
])
def test_notes_longer_than_the_api_takes_are_refused_at_the_field_and_not_saved(client, url, post, model):
    """6,000 characters of notes saved in the editor; the API's PUT of the same product then answered 422."""
    html = client.post(url, post(notes="x" * (NOTES_MAX_LENGTH + 1), _action="save")).content.decode()

    assert field_message(html, "notes") == forms.ERROR_TOO_LONG.format(max_length=NOTES_MAX_LENGTH)
    assert f'maxlength="{NOTES_MAX_LENGTH}"' in html
    assert model.objects.get(slug=url.split("/")[2]).version == 1


def test_notes_as_long_as_the_editor_takes_go_through_the_api(client, api_send):
    client.post("/products/recover/edit", recover_post(notes="x" * NOTES_MAX_LENGTH, _action="save"))
    notes = Product.objects.get(slug="recover").notes

    response = api_send("put", "/products/recover", {**api_product(name="Recover", notes=notes + "!"), "version": 2})
    accepted = api_send("put", "/products/recover", {**api_product(name="Recover", notes=notes), "version": 2})

    assert len(notes) == NOTES_MAX_LENGTH
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "notes"]
    assert accepted.status_code == 200


def figures(html: str) -> str:
    """The figures a page or a keystroke shows, without what is signed or digested afresh for each answer."""
    section = re.search(r'<section id="results".*?</section>', html, re.S).group(0)
    return re.sub(r'<input type="hidden"[^>]*>', "", section)


@pytest.mark.parametrize("hx", [HX, {}], ids=["typing", "without JavaScript"])
@pytest.mark.parametrize(("typed", "unit", "plain"), [("1,418.9", "mg", "1418.9"), ("1,418,900", "mcg", "1418900"),
                                                      ("1,418,900.0", "mcg", "1418900.0")])
def test_an_amount_copied_from_the_figures_with_its_thousands_separators_is_read(client, hx, typed, unit, plain):
    """Solve's note says "Rounded up to 1,418.9 mg": pasted back into the amount, it was refused for its comma."""
    def post(amount):
        data = recover_post(**{"lines-0-compound": "magnesium-bisglycinate", "lines-0-amount": amount, "lines-0-unit": unit})
        return client.post("/products/recover/edit", data, **hx).content.decode()

    html, expected = post(typed), post(plain)

    assert figures(html) == figures(expected)
    assert escape(forms.ERROR_DECIMAL_COMMA) not in html


@pytest.mark.parametrize("typed", ["1,500", "1,5", "14,18.9", "1,4189", "1,500,00", "0,500.5", "000,000.5", "1.500,5"])
def test_a_comma_that_may_be_a_decimal_is_still_refused(client, typed):
    """"1,500" is one and a half in much of Europe: read as fifteen hundred it would be a thousand times the amount."""
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-amount": typed}), **HX).content.decode()

    assert field_message(html, "lines-0-amount") == forms.ERROR_DECIMAL_COMMA


@pytest.mark.parametrize("typed", ["10%", "10 %", " 10% "])
def test_an_overage_written_with_its_percent_sign_is_read(client, typed):
    html = client.post("/products/recover/edit", recover_post(**{"lines-0-overage_percent": typed}), **HX).content.decode()
    plain = client.post("/products/recover/edit", recover_post(**{"lines-0-overage_percent": "10"}), **HX).content.decode()

    assert 'aria-invalid' not in html
    assert figures(html) == figures(plain)
