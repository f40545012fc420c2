"""The JSON API at /api/v1/: auth, pagination, filters, products with optimistic locking, and the calculator."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Role, Team
from accounts.services import membership_set
from api import access, auth, calculation, schemas
from api.models import ApiToken
from api.pagination import ERROR_LIMIT, ERROR_OFFSET
from api.services import hash_key, token_create
from api.routers.designs import ERROR_CONFLICT
from api.urls import ERROR_VERSION_REQUIRED
from compounds.chemistry import parse_formula
from compounds.models import Compound, Population
from compounds.selectors import LEAD_PREVIEW, MESSAGE_FORMULA_BARE_CARBON, MESSAGE_FORMULA_CI, MESSAGE_FORMULA_ZERO_INSIDE
from evidence.models import Design
from formulator.models import CapsuleSize, DosageForm, Product, ProductLine, Stack, Timing
from formulator import engine, forms, presenters, services
from tests.factories import ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def key_for(django_user_model):
    """Make a token for a seed user (demo is the team admin; viewer, formulator, curator) and return its key."""

    def make(username: str = "demo") -> str:
        _, key = token_create(user=django_user_model.objects.get(username=username), name="tests")
        return key

    return make


@pytest.fixture
def api(anonymous_client, key_for):
    """A client whose every request carries the demo admin's token (no session)."""

    class TokenClient:
        def __init__(self, key: str) -> None:
            self.key = key

        def get(self, path, data=None):
            return anonymous_client.get(f"{API}{path}", data, **bearer(self.key))

        def post(self, path, body):
            return anonymous_client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **bearer(self.key))

        def put(self, path, body):
            return anonymous_client.put(f"{API}{path}", json.dumps(body), content_type="application/json", **bearer(self.key))

        def as_user(self, username: str):
            return TokenClient(key_for(username))

    return TokenClient(key_for("demo"))


# Authentication --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/compounds", "/compounds/magnesium-oxide", "/nutrients", "/reference-values",
                                  "/products", "/products/recover", "/stacks", "/stacks/ntrpx-daily", "/studies"])
def test_anonymous_requests_get_401_not_a_sign_in_redirect(anonymous_client, path):
    response = anonymous_client.get(f"{API}{path}")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_anonymous_writes_and_calculations_get_401(anonymous_client):
    for method, path in (("post", "/products"), ("put", "/products/recover"), ("post", "/calculate")):
        response = getattr(anonymous_client, method)(f"{API}{path}", "{}", content_type="application/json")
        assert response.status_code == 401, (method, path)


def test_a_wrong_or_malformed_token_gets_401(anonymous_client, key_for):
    key = key_for("demo")
    for header in (f"Bearer {key}x", "Bearer ", f"Token {key}", key, "Bearer " + "a" * 5000):
        response = anonymous_client.get(f"{API}/compounds", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_a_wrong_token_gets_401_beside_a_signed_in_session_too(client, key_for):
    """Sent from a signed-in browser, a wrong key was answered as the session's user (200)."""
    key = key_for("demo")
    for header in (f"Bearer {key}x", "Bearer ", f"Token {key}"):
        assert client.get(f"{API}/products/recover", HTTP_AUTHORIZATION=header).status_code == 401, header
    assert client.get(f"{API}/products/recover", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_token_authenticates_and_records_when_it_was_used(api):
    response = api.get("/compounds")

    assert response.status_code == 200
    token = ApiToken.objects.get(key_hash=hash_key(api.key))
    assert token.last_used_at is not None


def test_only_the_hash_of_a_key_is_stored(key_for):
    key = key_for("demo")
    token = ApiToken.objects.get(key_hash=hash_key(key))

    assert key.startswith("mgf_") and len(key) > 40
    assert token.key_hash != key and key not in token.key_hash
    assert token.prefix == key[:len(token.prefix)]


def test_an_inactive_users_token_stops_working(api, django_user_model):
    django_user_model.objects.filter(username="demo").update(is_active=False)

    assert api.get("/compounds").status_code == 401


def test_the_session_of_a_signed_in_user_works_for_reading(client):
    response = client.get(f"{API}/products")

    assert response.status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused(django_user_model):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.get(username="demo"))

    response = browser.post(f"{API}/calculate", json.dumps(_calc([_threonate()])), content_type="application/json")

    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["detail"]


def test_a_session_write_with_a_wrong_csrf_token_is_not_told_to_send_the_header_it_sent(django_user_model):
    from api.auth import ERROR_CSRF

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.get(username="demo"))

    response = browser.post(f"{API}/calculate", json.dumps(_calc([_threonate()])), content_type="application/json",
                            HTTP_X_CSRFTOKEN="x" * 64)

    assert response.status_code == 403
    assert response.json()["detail"] == ERROR_CSRF and "sent, it may be another page's" in ERROR_CSRF


@pytest.mark.parametrize("username", ["viewer", "curator"])
def test_writing_without_the_change_permission_is_403_and_saves_nothing(api, username):
    other = api.as_user(username)
    before = Product.objects.count()

    created = other.post("/products", _product_body())
    updated = other.put("/products/recover", {**_product_body(), "version": 1})

    assert created.status_code == 403 and "formulator.change_product" in created.json()["detail"]
    assert updated.status_code == 403
    assert Product.objects.count() == before


@pytest.mark.parametrize("method", ["post", "put"])
def test_writing_without_the_permission_is_403_before_the_body_is_checked(api, method):
    """A viewer's invalid body got its field errors (422) first, and the 403 only once they were fixed."""
    viewer = api.as_user("viewer")

    response = getattr(viewer, method)("/products" if method == "post" else "/products/recover", {"lines": "none"})

    assert response.status_code == 403 and "formulator.change_product" in response.json()["detail"]


def test_a_user_without_the_permission_may_still_read_and_calculate(api):
    viewer = api.as_user("viewer")

    assert viewer.get("/products/recover").status_code == 200
    assert viewer.post("/calculate", _calc([_threonate()])).status_code == 200


def test_a_superuser_writes_for_their_team(api, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-test-password")
    membership_set(root, Team.objects.get(slug="ntrpx-labs"), Role.ADMIN)

    response = api.as_user("root").post("/products", _product_body())

    assert response.status_code == 201
    assert response.json()["team"] == "ntrpx-labs"


@pytest.mark.parametrize(("slug", "status", "message"), [
    ("does-not-exist", 404, lambda: access.ERROR_NOT_FOUND.format(kind="product", slug="does-not-exist")),
    ("luna", 403, lambda: access.ERROR_APPROVED.format(name="Luna", next=2)),
])
def test_a_put_to_a_product_it_cannot_change_says_so_before_the_bodys_errors(api, slug, status, message):
    """A PUT of {"version": 1} to a product that does not exist or is approved was told to name the product and give
    its lines (422); only once the body was right did it learn the product was not there, or read-only."""
    Product.objects.filter(slug="luna").update(status="approved")

    response = api.as_user("formulator").put(f"/products/{slug}", {"version": 1})

    assert (response.status_code, response.json()["detail"]) == (status, message())


def test_a_superuser_in_no_team_still_changes_a_teams_product(api, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "a-long-test-password")
    version = Product.objects.get(slug="recover").version

    response = api.as_user("root").put("/products/recover", {**_product_body(name="Recover"), "version": version})

    assert response.status_code == 200, response.json()


def test_a_superuser_in_no_team_creates_no_design_no_one_could_see(api, django_user_model):
    """Made by a superuser in no team, a product belonged to none: only a superuser could ever see it."""
    from accounts.permissions import ERROR_NO_TEAM

    django_user_model.objects.create_superuser("root", "root@example.com", "a-long-test-password")

    response = api.as_user("root").post("/products", _product_body())

    assert response.status_code == 403
    assert response.json()["detail"] == ERROR_NO_TEAM
    assert not Product.objects.filter(team=None).exists()


# Tokens: management command and admin ----------------------------------------------------------------


def test_the_management_command_prints_a_working_key(anonymous_client):
    out = StringIO()
    call_command("create_api_token", "viewer", "--name", "laptop", stdout=out)
    key = out.getvalue().strip()

    assert anonymous_client.get(f"{API}/compounds", **bearer(key)).status_code == 200
    assert ApiToken.objects.get(key_hash=hash_key(key)).name == "laptop"


def test_the_management_command_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user “nobody”"):
        call_command("create_api_token", "nobody", stdout=StringIO())


def test_creating_a_token_in_the_admin_shows_its_key_once(admin_client_logged_in, anonymous_client, django_user_model):
    viewer = django_user_model.objects.get(username="viewer")

    response = admin_client_logged_in.post("/admin/api/apitoken/add/", {"user": viewer.pk, "name": "from the admin"},
                                           follow=True)
    page = response.content.decode()
    key = re.search(r"(mgf_[A-Za-z0-9_-]+)", page).group(1)

    assert anonymous_client.get(f"{API}/compounds", **bearer(key)).status_code == 200
    changelist = admin_client_logged_in.get("/admin/api/apitoken/").content.decode()
    assert key not in changelist and key[:10] in changelist


# Schema and docs ---------------------------------------------------------------------------------------


def test_the_openapi_schema_is_served_and_lists_every_endpoint(anonymous_client):
    schema = anonymous_client.get(f"{API}/openapi.json").json()

    assert {"/api/v1/compounds", "/api/v1/reference-values", "/api/v1/products", "/api/v1/products/{slug}",
            "/api/v1/stacks", "/api/v1/studies", "/api/v1/calculate"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_schema_says_what_the_endpoints_refuse_beyond_the_types(anonymous_client):
    """A client generated from the schema sent an empty name, no lines, no markets and a 0 amount, all valid by it,
    and was refused (schemathesis: "schema-valid request rejected")."""
    schemas = anonymous_client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    product, calculate = schemas["ProductIn"]["properties"], schemas["CalculateIn"]["properties"]

    assert product["name"]["minLength"] == 1
    assert product["lines"]["minItems"] == product["markets"]["minItems"] == 1
    assert calculate["lines"]["minItems"] == calculate["markets"]["minItems"] == 1
    assert schemas["LineIn"]["properties"]["amount"]["exclusiveMinimum"] == 0
    assert schemas["CalculateLineIn"]["properties"]["amount"]["exclusiveMinimum"] == 0
    assert "Required for a capsule" in product["capsule_size"]["description"]


def test_the_docs_name_operations_and_schemas_in_words(anonymous_client):
    """Swagger UI titled the calculator "Calculate View" and listed a schema named "Input"."""
    schema = anonymous_client.get(f"{API}/openapi.json").json()
    summaries = {op["summary"] for operations in schema["paths"].values() for op in operations.values()}

    assert schema["paths"]["/api/v1/calculate"]["post"]["summary"] == "Calculate"
    assert not any(summary.endswith(" View") for summary in summaries)
    assert "Input" not in schema["components"]["schemas"] and "PageQuery" in schema["components"]["schemas"]


@pytest.mark.parametrize(("text", "taken"), [("100", True), (" 0.1 ", True), ("1e3", True), ("+100", True),
                                            ("2_000", False), ("1,5", False), ("", False), ("٢٠٠٠", False)])
def test_the_schema_says_an_amount_may_be_a_number_written_as_text_as_it_is_taken(anonymous_client, api, text, taken):
    """The schema said "number" alone, and "100" was taken: a client validating against it would refuse what works."""
    schema = anonymous_client.get(f"{API}/openapi.json").json()
    amount = schema["components"]["schemas"]["LineIn"]["properties"]["amount"]
    pattern = next(option["pattern"] for option in amount["anyOf"] if option["type"] == "string")

    response = api.post("/calculate", {"lines": [{"compound": "glycine", "amount": text}]})

    assert {"type": "number"} in amount["anyOf"]
    assert bool(re.fullmatch(pattern, text)) == taken == (response.status_code == 200), response.json()


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client, cdn_csrf_token):
    response = client.get(f"{API}/docs")
    html = response.content.decode()

    assert response.status_code == 200
    assets = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if not url.startswith(f"{API}/")]  # the schema's link
    assert assets and all(asset.startswith("/static/") for asset in assets), assets
    assert cdn_csrf_token in html
    markup = html.replace(cdn_csrf_token, "")
    assert not re.search(r"cdn|jsdelivr|unpkg|cdnjs|https?://", markup, re.IGNORECASE)
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), asset


def test_the_docs_page_names_its_language_and_leads_to_the_schema_without_javascript(client):
    """Blank without JavaScript, and without lang for a screen reader's voice."""
    html = client.get(f"{API}/docs").content.decode()

    assert '<html lang="en">' in html and "<main>" in html
    assert re.search(r'<noscript>.*href="/api/v1/openapi.json".*</noscript>', html, re.DOTALL)


def test_the_docs_page_asks_a_browser_to_sign_in(anonymous_client):
    response = anonymous_client.get(f"{API}/docs")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Library: pagination and filters ------------------------------------------------------------------------


def test_compounds_are_paginated_with_a_total_count(api):
    everything = api.get("/compounds", {"limit": 100}).json()
    first = api.get("/compounds", {"limit": 2}).json()
    second = api.get("/compounds", {"limit": 2, "offset": 2}).json()
    beyond = api.get("/compounds", {"offset": everything["count"]}).json()

    assert everything["count"] == len(everything["items"]) > 4
    assert first["count"] == everything["count"]
    assert [c["slug"] for c in first["items"] + second["items"]] == [c["slug"] for c in everything["items"][:4]]
    assert beyond["items"] == []


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "many"}])
def test_bad_pagination_is_422(api, params):
    response = api.get("/compounds", params)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_a_compound_has_its_molecular_weight_and_its_specified_fraction_with_the_source(api):
    threonate = api.get("/compounds/magnesium-l-threonate").json()
    magnesium = next(f for f in threonate["fractions"] if f["nutrient"] == "magnesium")

    assert threonate["molecular_weight"] == pytest.approx(294.50, abs=0.01)
    assert magnesium["specified"] == 0.072 and magnesium["fraction"] == 0.072 and magnesium["basis"] == "specified"
    assert magnesium["theoretical"] == pytest.approx(0.0825, abs=0.0001)
    assert "Magtein specification" in magnesium["specified_source"]


def test_compounds_filter_by_text_and_by_nutrient(api):
    by_text = api.get("/compounds", {"q": "magtein"}).json()
    by_nutrient = api.get("/compounds", {"nutrient": "glycine", "limit": 100}).json()

    assert [c["slug"] for c in by_text["items"]] == ["magnesium-l-threonate"]
    assert by_nutrient["count"] >= 2
    assert all(any(f["nutrient"] == "glycine" for f in c["fractions"]) for c in by_nutrient["items"])


def test_an_unknown_compound_is_404_with_its_name(api):
    response = api.get("/compounds/unobtainium")

    assert response.status_code == 404 and "unobtainium" in response.json()["detail"]


def test_reference_values_filter_by_market_kind_population_and_nutrient(api):
    response = api.get("/reference-values", {"market": "US", "kind": "UL", "population": "adult", "nutrient": "magnesium"})
    (ul,) = response.json()["items"]

    assert ul["amount_mg"] == 350 and ul["covers"] == "supplemental" and ul["source_citation"]
    eu_nrvs = api.get("/reference-values", {"market": "EU", "kind": "NRV", "limit": 100}).json()["items"]
    assert eu_nrvs and all(v["market"] == "EU" and v["kind"] == "NRV" for v in eu_nrvs)


def test_an_unknown_filter_value_is_422_not_an_empty_page(api):
    response = api.get("/reference-values", {"market": "Atlantis"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "market"]


@pytest.mark.parametrize(("path", "params", "takes"), [
    ("/compounds", {"nutrients": "magnesium"}, "q, nutrient, limit or offset"),
    ("/reference-values", {"markets": "US"}, "market, kind, population, nutrient, limit or offset"),
    ("/studies", {"compounds": "glycine"}, "q, compound, outcome, design, year_from, year_to, limit or offset"),
    ("/products", {"status": "approved"}, "limit or offset"),
    ("/products/recover", {"version": "1"}, None),
])
def test_an_unknown_query_parameter_is_422_not_the_whole_list(api, path, params, takes):
    """?nutrients=magnesium, one letter off the filter, listed all 26 compounds as if filtered."""
    response = api.get(path, params)

    assert response.status_code == 422
    name = next(iter(params))
    message = schemas.ERROR_UNKNOWN_PARAMETER.format(takes=f"takes {takes}" if takes else "takes none")
    assert response.json()["detail"] == [{"loc": ["query", name], "msg": message, "type": "extra_forbidden"}]


@pytest.mark.parametrize(("method", "path"), [("get", "/compounds"), ("get", "/products/recover"), ("post", "/calculate"),
                                            ("post", "/products")])
def test_an_unknown_query_parameter_without_credentials_is_401_not_its_422(anonymous_client, method, path):
    """Checked before authentication, an anonymous ?nutrients=x was told what the endpoint takes (422)."""
    body = {"data": "{}", "content_type": "application/json"} if method == "post" else {}
    response = getattr(anonymous_client, method)(f"{API}{path}?nutrients=x", **body)

    assert (response.status_code, response.json()) == (401, {"detail": "Unauthorized"})


def test_an_unknown_query_parameter_from_a_session_write_without_csrf_is_its_403(django_user_model):
    session = Client(enforce_csrf_checks=True)
    session.force_login(django_user_model.objects.get(username="demo"))

    response = session.post(f"{API}/calculate?x=1", "{}", content_type="application/json")

    assert (response.status_code, response.json()) == (403, {"detail": auth.ERROR_CSRF})


def test_known_query_parameters_still_filter(api):
    assert api.get("/compounds", {"nutrient": "magnesium", "limit": 100}).status_code == 200


@pytest.mark.parametrize("path", ["/products/recover/spec", "/stacks/ntrpx-daily/spec"])
def test_a_designs_spec_sheet_json_is_read_with_a_token_as_the_page_gives_it(api, client, path):
    """The docs sent API clients to /products/<slug>/spec.json for exact decimal strings: a page, which answered a
    token with a redirect to the sign-in form."""
    response = api.get(path)

    assert response.status_code == 200
    page = json.loads(client.get(f"{path}.json").content)
    assert {**response.json(), "generated_at": None} == {**page, "generated_at": None}
    assert response.json()["totals"][0]["per_day_mg"]  # decimal strings, as the sheet's JSON gives them


def test_another_teams_draft_has_no_spec_sheet_in_the_api(api):
    rival = Team.objects.create(name="Rival", slug="rival")
    ProductFactory(name="Rival draft", slug="rival-draft", team=rival)

    assert api.get("/products/rival-draft/spec").status_code == 404


def test_nutrients_list_element_nutrients(api):
    nutrients = {n["slug"]: n for n in api.get("/nutrients", {"limit": 100}).json()["items"]}

    assert nutrients["magnesium"]["is_element"] and not nutrients["glycine"]["is_element"]


# Evidence ---------------------------------------------------------------------------------------------


def test_studies_filter_by_compound_outcome_design_year_and_text(api):
    everything = api.get("/studies", {"limit": 100}).json()
    threonate = api.get("/studies", {"compound": "magnesium-l-threonate", "limit": 100}).json()["items"]
    sleep_rcts = api.get("/studies", {"outcome": "sleep-quality", "design": "rct", "limit": 100}).json()["items"]
    recent = api.get("/studies", {"year_from": 2020, "limit": 100}).json()["items"]
    text = api.get("/studies", {"q": "threonate", "limit": 100}).json()["items"]

    assert everything["count"] > 10
    assert threonate and all("magnesium-l-threonate" in s["compounds"] for s in threonate)
    assert sleep_rcts and all(s["design"] == "rct" and any(o["outcome"] == "sleep-quality" for o in s["outcomes"])
                              for s in sleep_rcts)
    assert recent and all(s["year"] >= 2020 for s in recent)
    assert text and len(text) < everything["count"]


@pytest.mark.parametrize("params", [{"year_from": 1800}, {"year_to": 10**30}, {"design": "horoscope"}])
def test_bad_study_filters_are_422(api, params):
    assert api.get("/studies", params).status_code == 422


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"year_from": 2020, "year_to": 2010}, "year_to", "ERROR_YEAR_RANGE"),
    ({"year_from": "abc"}, "year_from", "ERROR_YEAR"),
    ({"year_to": "20x0"}, "year_to", "ERROR_YEAR"),
    ({"year_from": 1800}, "year_from", "ERROR_YEAR"),
])
def test_bad_study_years_are_422_with_the_evidence_pages_message_on_the_field(api, params, field, message):
    from evidence import forms

    response = api.get("/studies", params)

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["query", field], "msg": getattr(forms, message), "type": "value_error"}]


def test_a_one_year_range_finds_that_year(api):
    found = api.get("/studies", {"year_from": 2016, "year_to": 2016, "limit": 100}).json()["items"]

    assert found and {s["year"] for s in found} == {2016}
    assert "liu-2016" in {s["key"] for s in found}


def test_a_study_by_key_and_an_unknown_one(api):
    key = api.get("/studies", {"limit": 1}).json()["items"][0]["key"]

    assert api.get(f"/studies/{key}").json()["key"] == key
    assert api.get("/studies/no-such-study").status_code == 404


def test_a_study_says_what_its_seed_claims_of_it_and_whether_that_misquotes_it(api):
    abbasi = api.get("/studies/abbasi-2012").json()

    assert abbasi["seed_misquotes"] is True and abbasi["verification"] == "as-cited"
    assert abbasi["seed_claim"].startswith("Table 'Abbasi B, 2012 - 250 mg Mg + B6")
    assert abbasi["curator_notes"].startswith("The seed misstates the trial")


# Products and stacks: reading ----------------------------------------------------------------------------


def test_products_have_lines_totals_and_safety(api):
    page = api.get("/products", {"limit": 100}).json()
    recover = next(p for p in page["items"] if p["slug"] == "recover")
    detail = api.get("/products/recover").json()

    assert page["count"] == len(page["items"]) >= 6
    assert detail == recover
    assert recover["lines"] and all(line["nutrients"] for line in recover["lines"])
    magnesium = next(t for t in recover["totals"] if t["nutrient"] == "magnesium")
    assert magnesium["per_day_mg"] == pytest.approx(
        sum(n["label_mg"] for line in recover["lines"] for n in line["nutrients"] if n["nutrient"] == "magnesium")
        * recover["servings_per_day"])
    assert any(s["kind"] == "UL" and s["market"] == "US" for s in recover["safety"])
    # The EU's adult AIs differ by sex alone: the qualifier says it in words, sex in a code.
    assert {(s["sex"], s["qualifier"], s["limit_mg"]) for s in recover["safety"] if (s["market"], s["kind"]) == ("EU", "AI")} == {
        ("male", "male", 350), ("female", "female", 300)}
    assert recover["team"] == "ntrpx-labs" and recover["status"] == "draft" and recover["version"] >= 1


def test_products_are_paginated(api):
    page = api.get("/products", {"limit": 2, "offset": 1}).json()

    assert len(page["items"]) == 2 and page["count"] >= 6


@pytest.fixture
def rival_draft(django_user_model):
    team = Team.objects.create(name="Rival Labs", slug="rival-labs")
    membership_set(django_user_model.objects.create_user("rival", password="a-long-test-password"), team, Role.FORMULATOR)
    product = ProductFactory(slug="rival-draft", name="Rival draft", team=team, status="draft")
    ProductLineFactory(product=product)
    return product


def test_another_teams_draft_is_hidden_as_on_the_pages(api, rival_draft):
    listed = [p["slug"] for p in api.get("/products", {"limit": 100}).json()["items"]]

    assert "rival-draft" not in listed
    assert api.get("/products/rival-draft").status_code == 404
    assert api.put("/products/rival-draft", {**_product_body(), "version": 1}).status_code == 404
    assert api.as_user("rival").get("/products/rival-draft").status_code == 200


def test_stacks_have_items_totals_shares_and_safety(api):
    stack = api.get("/stacks/ntrpx-daily").json()
    listed = api.get("/stacks").json()

    assert listed["count"] >= 1 and listed["items"][0]["slug"]
    assert stack["items"] and all(item["per_day_mg"] for item in stack["items"])
    magnesium = next(t for t in stack["totals"] if t["nutrient"] == "magnesium")
    assert sum(s["fraction"] for s in magnesium["shares"]) == pytest.approx(1)
    assert [(s["product"], s["name"]) for s in magnesium["shares"]] == [("recover", "Recover"), ("luna", "Luna")]
    assert stack["safety"]
    assert api.get("/stacks/nope").status_code == 404


def _stack_of(name, markets, *products):
    """A stack of the demo team's `products`, each given as (product, servings a day, timing)."""
    return services.stack_save(stack=None, fields={"name": name, "markets": markets, "population": "adult", "notes": ""},
                               items=[services.ItemData(p, Decimal(servings), timing) for p, servings, timing in products],
                               expected_version=None, team=Team.objects.get(slug="ntrpx-labs"))


@pytest.fixture
def one_in_ten():
    """A magnesium compound of 10% by its supplier's figure, each product of it one line with 10% overage."""
    from tests.factories import CompoundFactory, CompoundNutrientFactory

    compound = CompoundFactory(name="Ten per cent magnesium", slug="ten-per-cent-magnesium")
    CompoundNutrientFactory(compound=compound, specified_fraction=Decimal("0.1"), specified_source="Test CoA")

    def product(name: str, amount: str) -> Product:
        made = ProductFactory(name=name, slug=name.lower(), markets=["EU", "DE"], status="approved")
        ProductLineFactory(product=made, compound=compound, amount=Decimal(amount), overage_percent=Decimal(10))
        return made

    return product


def test_a_stack_sold_in_germany_gives_its_largest_single_dose_as_its_sheet_does(api, client, one_in_ten):
    """Germany's rule is 125 mg of magnesium in one dose: the API gave the day's totals but not the dose it judges."""
    # Each a serving: 1,000 mg at 10% with 10% overage is 110 mg in the morning; in the evening 500 mg (55 mg; its
    # two servings a day are two doses) and 800 mg (88 mg) are 143 mg together, the largest dose.
    _stack_of("Split day", ["DE"], (one_in_ten("Dawn", "1000"), "1", "morning"),
              (one_in_ten("Dusk", "500"), "2", "evening"), (one_in_ten("Night", "800"), "1", "evening"))

    stack = api.get("/stacks/split-day").json()
    listed = next(s for s in api.get("/stacks", {"limit": 100}).json()["items"] if s["slug"] == "split-day")
    sheet = json.loads(client.get("/stacks/split-day/spec.json").content)

    assert stack["largest_doses"] == [{"nutrient": "magnesium", "amount_mg": 143.0, "timing": "evening",
                                       "products": ["Dusk", "Night"]}]
    assert listed["largest_doses"] == stack["largest_doses"]
    assert [{**dose, "amount_mg": float(dose["amount_mg"])} for dose in sheet["largest_doses"]] == stack["largest_doses"]


def test_a_stack_sold_where_no_rule_limits_a_dose_gives_no_largest_doses(api, one_in_ten):
    _stack_of("US day", ["US", "EU"], (one_in_ten("Dawn", "1000"), "1", "morning"),
              (one_in_ten("Dusk", "500"), "1", "evening"))

    assert api.get("/stacks/us-day").json()["largest_doses"] == []


# Products: writing ---------------------------------------------------------------------------------------


def _product_body(**overrides):
    body = {
        "name": "API Sleep", "brand": "NTRPX", "dosage_form": "capsule", "capsule_size": "00", "serving_size": 2,
        "servings_per_day": 1, "servings_per_container": 30, "timing": "evening", "markets": ["US", "EU"],
        "population": "adult", "claims": "sleep", "lines": [
            {"compound": "magnesium-l-threonate", "amount": 2000, "unit": "mg"},
            {"compound": "glycine", "amount": 1, "unit": "g", "overage_percent": 5},
        ],
    }
    body.update(overrides)
    return body


def test_creating_a_product_saves_it_with_its_lines_in_the_users_team(api):
    response = api.post("/products", _product_body())
    created = response.json()

    assert response.status_code == 201
    assert created["version"] == 1 and created["team"] == "ntrpx-labs" and created["slug"] == "api-sleep"
    assert [line["compound"] for line in created["lines"]] == ["magnesium-l-threonate", "glycine"]
    assert created["lines"][1]["overage_percent"] == 5 and created["lines"][1]["label_mg"] == 1000
    assert next(t for t in created["totals"] if t["nutrient"] == "magnesium")["per_serving_mg"] == 144
    product = Product.objects.get(slug="api-sleep")
    assert product.lines.count() == 2 and product.history.first().history_user.username == "demo"


def test_a_line_can_be_put_in_a_proprietary_blend_through_the_api(api):
    lines = [{"compound": "glycine", "amount": 1, "unit": "g", "blend": "Night Blend"},
             {"compound": "l-theanine", "amount": 200, "unit": "mg", "blend": "Night Blend"}]

    created = api.post("/products", _product_body(lines=lines)).json()

    assert [line["blend"] for line in created["lines"]] == ["Night Blend", "Night Blend"]
    assert list(Product.objects.get(slug="api-sleep").lines.values_list("blend", flat=True)) == ["Night Blend"] * 2


@pytest.mark.parametrize(("overrides", "loc", "message"), [
    ({"lines": [{"compound": "unobtainium", "amount": 1}]}, ["body", "lines", 0, "compound"], "Unknown compound"),
    ({"lines": [{"compound": "glycine", "amount": 0}]}, ["body", "lines", 0, "amount"], "greater than zero"),
    ({"lines": [{"compound": "glycine", "amount": 101, "unit": "g"}]}, ["body", "lines", 0, "amount"], "more than 100 g"),
    # As /calculate and docs/api.md say it: "Choose mg, g or mcg." is the workbench menu's.
    ({"lines": [{"compound": "glycine", "amount": 1, "unit": "kg"}]}, ["body", "lines", 0, "unit"],
     "Unknown unit “kg”: use mg, g or mcg."),
    ({"lines": [{"compound": "glycine", "amount": 1, "overage_percent": 150}]}, ["body", "lines", 0, "overage_percent"],
     "from 0 to 100"),
    ({"lines": []}, ["body", "lines"], "Add at least one ingredient"),
    ({"capsule_size": ""}, ["body", "capsule_size"], "Choose a capsule size"),
    ({"markets": []}, ["body", "markets"], "Choose at least one market"),
    ({"servings_per_day": 50}, ["body", "servings_per_day"], "from 0.25 to 20"),
    ({"serving_size": 1, "servings_per_day": 0.5}, ["body", "servings_per_day"], "a capsule is taken whole"),
    ({"name": ""}, ["body", "name"], "Name the product"),
    ({"population": "martians"}, ["body", "population"], "martians"),
])
def test_a_product_is_validated_like_the_workbench_and_nothing_is_saved(api, overrides, loc, message):
    before = Product.objects.count()

    response = api.post("/products", _product_body(**overrides))

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["loc"] == loc and message in e["msg"] for e in errors), errors
    assert Product.objects.count() == before


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_write_whose_answer_fails_saves_nothing(api, monkeypatch, method):
    """A product whose answer failed (a 500) was saved all the same: a client retrying made it twice."""
    from api import output

    def fail(*args, **kwargs):
        raise RuntimeError("the answer failed")

    monkeypatch.setattr(output, "product_out", fail)
    before = list(Product.objects.values_list("slug", "version"))
    body = _product_body() if method == "post" else {**_product_body(name="Recover"), "version": 1}

    with pytest.raises(RuntimeError):
        getattr(api, method)("/products" if method == "post" else "/products/recover", body)

    assert list(Product.objects.values_list("slug", "version")) == before


def test_a_product_for_germany_is_held_to_eu_law_too(api):
    """Germany's BfR rule is for adults; EU law applies there as well: its pregnancy limit and L-threonate's exclusion."""
    from formulator import services
    from formulator.reports import Library, saved_product_report

    body = _product_body(name="Pregnancy DE", markets=["DE"], population="pregnancy",
                         lines=[{"compound": "magnesium-l-threonate", "amount": 2000}, {"compound": "magnesium-oxide", "amount": 300}])

    created = api.post("/products", body)

    assert created.status_code == 201, created.json()
    assert created.json()["markets"] == ["EU", "DE"]
    product = Product.objects.get(slug=created.json()["slug"])
    library = Library.load()
    blockers = services.product_approval_blockers(saved_product_report(product, library, library.evidence()), product.markets)
    assert any("excluded for this population in EU" in b for b in blockers), blockers
    assert any("over" in b and "EU" in b for b in blockers), blockers


@pytest.mark.parametrize("name", ["Recover", "recover ", "RECOVER", "Recover\u0007", "Rec\u001bover", "Recover\x7f"])
def test_a_name_another_product_of_the_team_has_is_a_422_at_the_name(api, name):
    """Also with a control character in it (BEL, ESC, DEL), which shows as nothing: "Recover\u0007" was a second Recover."""
    before = Product.objects.count()

    response = api.post("/products", _product_body(name=name))

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "name"]
    assert error["msg"] == services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="product", name="Recover")
    assert Product.objects.count() == before


def test_a_name_taken_is_a_422_with_the_bodys_other_errors(api):
    """A body with a bad line and a taken name was refused for the line; fixed, it was refused again, for the name."""
    body = _product_body(name="recover", lines=[{"compound": "unobtainium", "amount": 100}])

    response = api.post("/products", body)
    update = api.put("/products/moodflow", {**body, "version": 1})

    assert response.status_code == update.status_code == 422
    taken = services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="product", name="Recover")
    for answer in (response, update):
        errors = {tuple(e["loc"]): e["msg"] for e in answer.json()["detail"]}
        assert errors[("body", "name")] == taken and ("body", "lines", 0, "compound") in errors
    assert api.put("/products/recover", {**_product_body(name="Recover"), "version": 1}).status_code == 200  # its own


def test_updating_a_product_replaces_fields_and_lines_and_bumps_the_version(api):
    current = api.get("/products/recover").json()

    response = api.put("/products/recover", {**_product_body(name="Recover II"), "version": current["version"]})
    updated = response.json()

    assert response.status_code == 200
    assert updated["version"] == current["version"] + 1 and updated["name"] == "Recover II"
    assert updated["slug"] == "recover" and len(updated["lines"]) == 2


def test_updating_a_product_in_review_returns_it_to_draft_as_the_workbench_does(api):
    Product.objects.filter(slug="recover").update(status="in-review")
    current = api.get("/products/recover").json()

    updated = api.put("/products/recover", {**_product_body(), "version": current["version"]}).json()

    assert (current["status"], updated["status"]) == ("in-review", "draft")


def test_a_stale_version_is_409_with_a_clear_message_and_nothing_is_saved(api):
    current = api.get("/products/recover").json()
    api.put("/products/recover", {**_product_body(name="Someone else's edit"), "version": current["version"]})
    saved = Product.objects.get(slug="recover")
    lines_before = list(saved.lines.values_list("compound__slug", "amount"))

    response = api.put("/products/recover", {**_product_body(name="My edit", lines=[
        {"compound": "magnesium-oxide", "amount": 400}]), "version": current["version"]})

    assert response.status_code == 409
    conflict = response.json()
    after = Product.objects.get(slug="recover")
    # The workbench's message says saving again replaces theirs: its page takes the new version, a client must send it.
    assert conflict["detail"] == ERROR_CONFLICT.format(mine=current["version"], theirs=after.version)
    assert conflict["current_version"] == current["version"] + 1
    assert any(change.startswith("Name: saved Someone else's edit, yours My edit") for change in conflict["changes"])
    assert after.name == "Someone else's edit" and after.version == current["version"] + 1
    assert list(after.lines.values_list("compound__slug", "amount")) == lines_before


def _as_sent(product: dict) -> dict:
    """A product as a client would PUT back what it read."""
    fields = ["name", "brand", "dosage_form", "capsule_size", "serving_size", "servings_per_day", "servings_per_container",
              "timing", "markets", "population", "claims", "other_ingredients", "notes", "version"]
    return {**{name: product[name] for name in fields}, "lines": [
        {name: line[name] for name in ("compound", "amount", "unit", "overage_percent", "blend")} for line in product["lines"]]}


@pytest.mark.parametrize("markets", [None, ["EU", "US"], ["EU", "US", "EU"]], ids=["as-read", "reordered", "repeated"])
def test_putting_a_product_back_unchanged_makes_no_edit_and_keeps_it_in_review(api, markets):
    """Each such PUT made an edit that changed nothing, and sent a product in review back to draft; so did its markets,
    a set, sent in another order."""
    Product.objects.filter(slug="recover").update(status="in-review")
    current = api.get("/products/recover").json()
    edits = Product.history.filter(slug="recover").count()

    response = api.put("/products/recover", {**_as_sent(current), **({"markets": markets} if markets else {})})

    assert response.status_code == 200
    assert (response.json()["version"], response.json()["status"]) == (current["version"], "in-review")
    assert Product.history.filter(slug="recover").count() == edits and response.json()["markets"] == ["US", "EU"]


def test_putting_from_an_older_version_what_is_saved_now_is_no_conflict(api):
    current = api.get("/products/recover").json()
    theirs = {**_as_sent(current), "claims": "sleep and recovery"}
    api.put("/products/recover", theirs)

    response = api.put("/products/recover", theirs)  # the same edit, from the version it was made on

    assert response.status_code == 200 and response.json()["version"] == current["version"] + 1


def test_updating_needs_the_version(api):
    response = api.put("/products/recover", _product_body())

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "version"]


def test_an_approved_product_is_read_only(api):
    Product.objects.filter(slug="recover").update(status="approved")
    version = Product.objects.get(slug="recover").version

    response = api.put("/products/recover", {**_product_body(), "version": version})

    assert response.status_code == 403 and "approved and read-only" in response.json()["detail"]


def test_a_formulator_may_not_change_another_teams_product_out_of_draft(api, rival_draft):
    Product.objects.filter(pk=rival_draft.pk).update(status="in-review")

    response = api.put("/products/rival-draft", {**_product_body(), "version": 1})

    assert response.status_code == 403


# The calculator ---------------------------------------------------------------------------------------


def _threonate(**overrides):
    return {"compound": "magnesium-l-threonate", "amount": 2000, "unit": "mg", **overrides}


def _calc(lines, **overrides):
    return {"lines": lines, "servings_per_day": 1, "markets": ["US", "EU"], "population": "adult", **overrides}


def test_a_vitamin_declared_in_micrograms_is_so_on_the_labels_the_api_gives(api, vitamin_d):
    """The API's EU table gave 25 mcg of vitamin D as "0.03 mg"."""
    label = api.post("/calculate", _calc([{"compound": "cholecalciferol", "amount": 25, "unit": "mcg"}])).json()["label"]

    assert [(r["amount"], r["percent_dv"]) for r in label["US"]] == [("25 mcg", "125%")]
    assert [(r["amount"], r["percent_nrv"]) for r in label["EU"]] == [("25 µg", "500%")]


def test_threonate_2000_mg_gives_144_mg_magnesium_at_41_percent_of_the_us_ul(api):
    response = api.post("/calculate", _calc([_threonate()]))
    result = response.json()

    assert response.status_code == 200
    (line,) = result["lines"]
    assert line["molecular_weight"] == pytest.approx(294.50, abs=0.01)
    assert line["fractions"] == {"magnesium": 0.072} and line["fraction_basis"] == "specified"
    assert line["label_mg"] == {"magnesium": 144.0} and line["formula_mg"] == {"magnesium": 144.0}
    assert result["totals"]["per_serving_mg"] == {"magnesium": 144.0} and result["totals"]["per_day_mg"] == {"magnesium": 144.0}
    us_ul = next(s for s in result["safety"] if (s["market"], s["kind"], s["nutrient"]) == ("US", "UL", "magnesium"))
    assert us_ul["population"] == "adult" and us_ul["limit_mg"] == 350
    assert us_ul["percent"] == pytest.approx(41.142857, abs=1e-6)
    assert us_ul["margin_mg"] == 206 and us_ul["status"] == "ok"
    assert us_ul["source_url"] == "https://nap.nationalacademies.org/catalog/11537"  # the source, to follow
    assert result["label"]["US"] == [{"nutrient": "magnesium", "compound": None, "name": "Magnesium (as magnesium L-threonate)", "amount": "144 mg", "percent_dv": "34%",
                                      "amount_per_day": "144 mg", "percent_dv_per_day": "34%"}]
    assert result["label"]["EU"] == [{"nutrient": "magnesium", "compound": None, "name": "Magnesium", "amount": "144 mg", "percent_nrv": "38%"}]


def test_the_calculators_labels_carry_the_sheets_warnings_over_a_limit_and_for_an_excluded_ingredient(api):
    """A label over the EU limit came back ready to print, with no word of it, where the sheets warn beside it."""
    from formulator import panels, reports

    within = api.post("/calculate", _calc([_threonate()])).json()["label"]
    over = api.post("/calculate", _calc([_threonate(amount=4000)])).json()["label"]  # 288 mg: over the EU's 250 mg
    pregnancy = api.post("/calculate", _calc([_threonate()], population="pregnancy")).json()["label"]
    us_only = api.post("/calculate", _calc([_threonate()], markets=["US"])).json()["label"]

    assert within["warnings"] == {"US": "", "EU": ""}
    assert over["warnings"]["US"] == ""
    assert over["warnings"]["EU"].startswith("Over the EU limit for magnesium (288 mg a day with overage, against 250 mg/day)")
    assert pregnancy["warnings"]["EU"] == panels.LABEL_EXCLUDED.format(
        excluded=reports.EXCLUDED_BY_LAW.format(compound="Magnesium L-threonate", markets="EU"))
    assert us_only["warnings"] == {"US": ""}


def test_numbers_are_unrounded_and_the_label_is_rounded(api):
    result = api.post("/calculate", _calc([_threonate(amount=2001)])).json()

    assert result["totals"]["per_serving_mg"]["magnesium"] == pytest.approx(144.072)
    assert result["label"]["US"][0]["amount"] == "144 mg"


@pytest.mark.parametrize("spelling", ["MgCl2(H2O)6", "MgCl2.6H2O", "MgCl2·6H2O", "MgCl2 6H2O", "MgCl₂·6H₂O"])
def test_every_hydrate_spelling_gives_the_same_molecular_weight_and_theoretical_fraction(api, spelling):
    result = api.post("/calculate", _calc([{"formula": spelling, "amount": 0.5, "unit": "g"}])).json()
    (line,) = result["lines"]
    expected = parse_formula("MgCl2(H2O)6")

    assert line["molecular_weight"] == pytest.approx(203.30, abs=0.01)
    assert line["molecular_weight"] == float(expected.molecular_weight)
    assert line["fraction_basis"] == "theoretical" and line["compound"] is None and line["formula"] == spelling
    assert line["fractions"]["magnesium"] == pytest.approx(float(expected.element_fraction("Mg")))
    assert line["label_mg"]["magnesium"] == pytest.approx(500 * float(expected.element_fraction("Mg")))


def test_a_half_hydrate_delivers_the_magnesium_of_half_a_water_not_five(api):
    (line,) = api.post("/calculate", _calc([{"formula": "MgCl2·0.5H2O", "amount": 1000}])).json()["lines"]

    assert line["molecular_weight"] == pytest.approx(104.21, abs=0.02)
    assert line["label_mg"]["magnesium"] == pytest.approx(233.2, abs=0.1)  # read as 5 waters: 131 mg


def test_a_formula_without_a_library_element_delivers_nothing(api):
    (line,) = api.post("/calculate", _calc([{"formula": "H2O", "amount": 1}])).json()["lines"]

    assert line["fractions"] == {} and line["label_mg"] == {}


def test_overage_raises_the_formula_amount_and_counts_against_the_ul(api):
    plain = api.post("/calculate", _calc([{"formula": "Mg", "amount": 340}])).json()
    over = api.post("/calculate", _calc([{"formula": "Mg", "amount": 340, "overage_percent": 5}])).json()

    def us_ul(result):
        return next(s for s in result["safety"] if (s["market"], s["kind"], s["nutrient"]) == ("US", "UL", "magnesium"))

    assert over["lines"][0]["label_mg"] == {"magnesium": 340} and over["lines"][0]["formula_mg"] == {"magnesium": 357}
    assert over["totals"]["per_day_mg"] == {"magnesium": 340} and over["totals"]["per_day_formula_mg"] == {"magnesium": 357}
    assert us_ul(plain)["status"] == "near" and us_ul(plain)["amount_mg"] == 340
    assert us_ul(over)["status"] == "over" and us_ul(over)["amount_mg"] == 357 and us_ul(over)["margin_mg"] == -7
    assert over["limit_status"] == "over"
    assert over["label"]["US"][0]["amount"] == "340 mg"  # a label declares the claim, not the overage


def test_servings_per_day_scale_the_day_and_a_mixed_line_reports_both_nutrients(api):
    result = api.post("/calculate", _calc([{"compound": "magnesium-bisglycinate", "amount": 1000}], servings_per_day=2)).json()
    (line,) = result["lines"]

    assert set(line["fractions"]) == {"magnesium", "glycine"}
    assert result["totals"]["per_day_mg"]["magnesium"] == pytest.approx(2 * line["label_mg"]["magnesium"])


def test_the_calculators_labels_name_a_bound_nutrient_once_with_its_source_as_the_spec_sheets_do(api):
    """MoodFlow's bisglycinate gives glycine, named in "Magnesium (as magnesium bisglycinate)": no row of its own."""
    moodflow = [{"compound": "magnesium-bisglycinate", "amount": "851.3"}, {"compound": "l-theanine", "amount": 100},
                {"compound": "pyridoxine-hydrochloride", "amount": 6}]
    result = api.post("/calculate", _calc(moodflow, servings_per_day=2)).json()
    with_glycine = api.post("/calculate", _calc([*moodflow, {"compound": "glycine", "amount": 500}], servings_per_day=2)).json()

    # Named as the sheet's panel names them: "Magnesium" alone read as another row than the sheet's.
    assert [r["name"] for r in result["label"]["US"]] == ["Vitamin B6 (as pyridoxine hydrochloride)",
                                                         "Magnesium (as magnesium bisglycinate)", "L-Theanine"]
    assert [r["name"] for r in result["label"]["EU"]] == ["Vitamin B6", "Magnesium", "L-Theanine"]
    glycine = next(r for r in with_glycine["label"]["US"] if r["compound"] == "glycine")
    assert (glycine["amount"], glycine["percent_dv"], glycine["amount_per_day"]) == ("500 mg", "†", "1,000 mg")  # its own
    assert next(r for r in with_glycine["label"]["EU"] if r["compound"] == "glycine")["amount"] == "1,000 mg"


def test_the_calculators_us_label_weighs_an_ingredient_without_a_dv_as_the_sheets_panel_does(api, client):
    """Melatonin 0.5 mg read "0.5 mg" from /calculate and "500 mcg" on the product's sheet."""
    product = ProductFactory(markets=["US"])
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="melatonin"), amount=Decimal("0.5"))

    result = api.post("/calculate", _calc([{"compound": "melatonin", "amount": "0.5"}], markets=["US"])).json()
    sheet = json.loads(client.get(f"/products/{product.slug}/spec.json").content)

    assert next(r for r in result["label"]["US"] if r["compound"] == "melatonin")["amount"] == "500 mcg"
    assert next(r for r in sheet["labels"]["US"]["rows"] if r["name"] == "Melatonin")["amount"] == "500 mcg"


@pytest.mark.parametrize(("compound", "amount"), [("magnolia-bark-extract", "250"), ("ashwagandha-root-extract", "300")])
def test_the_calculators_labels_print_a_standardised_extract_as_the_sheets_do(api, client, compound, amount):
    """/calculate printed 250 mg of magnolia bark extract as "Honokiol and magnolol 225 mg", its marker, where the sheets
    print "Magnolia bark extract (standardised to 90% honokiol and magnolol) 250 mg"."""
    product = ProductFactory(markets=["US", "EU"])
    ProductLineFactory(product=product, compound=Compound.objects.get(slug=compound), amount=Decimal(amount))

    label = api.post("/calculate", _calc([{"compound": compound, "amount": amount}])).json()["label"]
    sheet = json.loads(client.get(f"/products/{product.slug}/spec.json").content)["labels"]

    assert [(r["name"], r["amount"], r["percent_dv"]) for r in label["US"]] == [
        (r["name"], r["amount"], r["percent_dv"]) for r in sheet["US"]["rows"]]
    assert [(r["name"], r["amount"], r["percent_nrv"]) for r in label["EU"]] == [
        (r["name"], r["amount_per_day"], r["percent_nrv"]) for r in sheet["EU"]["rows"]]
    assert label["US"][0]["name"].endswith(")") and "standardised to" in label["US"][0]["name"]
    assert (label["US"][0]["nutrient"], label["US"][0]["compound"]) == (None, compound)


def test_a_supplement_facts_row_gives_its_serving_and_its_day_in_one_unit(api, client):
    """Melatonin read "500 mcg" a serving and "1.5 mg" a day in one row of the panel."""
    melatonin = [{"compound": "melatonin", "amount": "0.5"}]
    label = api.post("/calculate", _calc(melatonin, servings_per_day=3)).json()["label"]
    api.post("/products", _product_body(name="Melatonin Trio", lines=melatonin, servings_per_day=3, serving_size=1))
    sheet = client.get("/products/melatonin-trio/spec.json").json()["labels"]["US"]["rows"]

    (row,) = [row for row in label["US"] if row["name"] == "Melatonin"]
    assert (row["amount"], row["amount_per_day"]) == ("500 mcg", "1,500 mcg")
    assert [(r["amount"], r["amount_per_day"]) for r in sheet if r["name"] == "Melatonin"] == [("500 mcg", "1,500 mcg")]


def test_an_ingredient_on_two_lines_is_one_row_of_each_label(api, client):
    """Glycine on two lines (two suppliers' lots) was declared twice, 500 mg and 300 mg, on both labels."""
    lines = [{"compound": "glycine", "amount": 500}, {"compound": "magnesium-bisglycinate", "amount": 1000},
             {"compound": "glycine", "amount": 300}, {"compound": "melatonin", "amount": 500, "unit": "mcg"},
             {"compound": "melatonin", "amount": "0.5"}]
    label = api.post("/calculate", _calc(lines, servings_per_day=2)).json()["label"]
    api.post("/products", _product_body(name="Two Lots", dosage_form="powder", capsule_size="", lines=lines,
                                        servings_per_day=2))
    sheet = client.get("/products/two-lots/spec.json").json()["labels"]

    us = [(r["name"], r["amount"], r["amount_per_day"]) for r in label["US"] if r["nutrient"] is None]
    assert us == [("Glycine", "800 mg", "1,600 mg"), ("Melatonin", "1 mg", "2 mg")]
    assert [(r["name"], r["amount"]) for r in label["EU"] if r["nutrient"] is None] == [
        ("Glycine", "1,600 mg"), ("Melatonin", "2 mg")]
    assert [(r["name"], r["amount"], r["amount_per_day"]) for r in sheet["US"]["rows"][1:]] == us
    assert [(r["name"], r["amount_per_day"]) for r in sheet["EU"]["rows"][1:]] == [("Glycine", "1,600 mg"), ("Melatonin", "2 mg")]


def test_the_calculators_labels_round_as_the_spec_sheet_does(api):
    b6 = [{"compound": "pyridoxine-hydrochloride", "amount": 6}]
    pregnancy = api.post("/calculate", _calc(b6, markets=["US"], population="pregnancy")).json()
    small = api.post("/calculate", _calc([{"compound": "pyridoxine-hydrochloride", "amount": "0.5"}], markets=["EU"])).json()

    assert pregnancy["label"]["US"][0]["amount"] == "4.9 mg"  # 4.94 mg, to the tenth of the CFR's 2.0 mg
    assert small["label"]["EU"][0]["amount"] == "0.41 mg"  # the EU table is in mg (labels.eu_amount)


def test_a_limit_superseded_by_the_markets_maximum_for_products_is_shown_and_does_not_govern(api):
    result = api.post("/calculate", _calc([{"compound": "magnesium-oxide", "amount": "663.4"}], markets=["CA"])).json()

    rows = {row["kind"]: row for row in result["safety"] if row["nutrient"] == "magnesium" and row["kind"] in ("UL", "MAX")}
    assert (rows["UL"]["status"], rows["UL"]["governs"]) == ("over", False)
    assert (rows["MAX"]["status"], rows["MAX"]["governs"]) == ("near", True)
    assert result["limit_status"] == "near"


def test_a_limit_met_only_at_the_specified_fraction_gives_the_amount_by_formula_as_the_spec_sheet_does(api, client):
    ProductLine.objects.filter(product__slug="recover").update(amount=3400)
    calculated = api.post("/calculate", _calc([_threonate(amount=3400)], markets=["EU"])).json()
    sheet = json.loads(client.get("/products/recover/spec.json").content)

    (eu,) = [row for row in calculated["safety"] if row["kind"] == "UL"]
    assert (eu["status"], eu["by_formula_status"], round(eu["by_formula_amount_mg"], 1)) == ("near", "over", 280.6)
    assert eu["reason"].endswith("At the fractions by formula instead of the specified ones, 281 mg/day would be 31 mg over.")
    (sheet_eu,) = [row for row in sheet["safety"] if (row["market"], row["kind"]) == ("EU", "UL")]
    assert (sheet_eu["by_formula_status"], sheet_eu["reason"]) == ("over", eu["reason"])
    assert sheet_eu["by_formula_amount_mg"].startswith("280.6")
    assert calculated["limit_status"] == "near"  # the specified fraction judges: regulatory's call
    ok = api.post("/calculate", _calc([_threonate()], markets=["EU"])).json()["safety"][0]
    assert (ok["by_formula_amount_mg"], ok["by_formula_status"]) == (None, None)


def test_the_nutrients_no_market_limits_are_given_once_as_the_pages_say_them(api, client):
    """Boost's L-theanine was given as a market without a limit, in the US and in the EU; MoodFlow's not at all."""
    said = presenters.NO_LIMIT_RECORDED_ANYWHERE.format(nutrients="L-theanine")
    theanine = {"nutrients": ["l-theanine"], "reason": said}

    assert api.get("/products/boost").json()["nutrients_without_limits"] == theanine
    for slug in ("boost", "moodflow"):
        given = api.get(f"/products/{slug}").json()
        assert given["markets_without_limits"] == [] and "L-theanine" in given["nutrients_without_limits"]["reason"]
        assert given["nutrients_without_limits"] == json.loads(client.get(f"/products/{slug}/spec.json").content)["nutrients_without_limits"]
    calculated = api.post("/calculate", _calc([_threonate(), {"compound": "l-theanine", "amount": 100, "unit": "mg"}])).json()
    assert calculated["nutrients_without_limits"] == theanine
    assert api.post("/calculate", _calc([_threonate()])).json()["nutrients_without_limits"] is None
    assert api.get("/products/recover").json()["nutrients_without_limits"] is None
    assert api.get("/stacks/ntrpx-daily").json()["nutrients_without_limits"]["nutrients"] == ["glycine", "l-theanine", "withanolides"]


def test_a_market_checked_without_a_limit_recorded_is_named_as_the_pages_name_it(api, client):
    from formulator.models import Product

    # Germany's rule is for adults (pregnancy too): a child's design for DE has no limit recorded there.
    Product.objects.filter(slug="recover").update(markets=["US", "EU", "DE"], population="child-9-13")
    page_rows = json.loads(client.get("/products/recover/spec.json").content)["markets_without_limits"]
    calculated = api.post("/calculate", _calc([_threonate()], markets=["US", "DE"], population="child-4-8")).json()

    assert api.get("/products/recover").json()["markets_without_limits"] == page_rows
    assert [row["market"] for row in page_rows] == ["DE"]
    assert [(row["market"], row["nutrients"]) for row in calculated["markets_without_limits"]] == [("DE", ["magnesium"])]
    # The EU's limit applies in Germany too, and is checked: it read "no upper limit for magnesium in DE".
    assert calculated["markets_without_limits"][0]["reason"] == presenters.NO_NATIONAL_LIMIT_RECORDED.format(nutrients="magnesium")
    assert api.get("/stacks/ntrpx-daily").json()["markets_without_limits"] == []


def test_the_calculator_saves_nothing(api):
    before = Product.objects.count()

    api.post("/calculate", _calc([_threonate()]))

    assert Product.objects.count() == before


def test_markets_and_population_choose_the_references(api):
    result = api.post("/calculate", _calc([_threonate()], markets=["EU"], population="child-4-8")).json()

    assert {s["market"] for s in result["safety"]} == {"EU"}
    assert {s["population"] for s in result["safety"]} == {"child-4-8"}
    assert result["label"]["US"] is None and result["label"]["EU"]


@pytest.mark.parametrize(("body", "loc", "message"), [
    (_calc([{"compound": "unobtainium", "amount": 1}]), ["body", "lines", 0, "compound"], "Unknown compound “unobtainium”"),
    (_calc([_threonate(), {"formula": "MgQ2", "amount": 1}]), ["body", "lines", 1, "formula"],
     "“MgQ2” is not a molecular formula: "),
    (_calc([{"formula": "Mg$", "amount": 1}]), ["body", "lines", 0, "formula"], "element symbols"),
    (_calc([{"formula": "·", "amount": 1}]), ["body", "lines", 0, "formula"], "Enter a molecular formula."),
    (_calc([{"formula": " ", "amount": 1}]), ["body", "lines", 0, "formula"], "Enter a molecular formula"),
    (_calc([_threonate(formula="MgO")]), ["body", "lines", 0], "either a compound or a formula"),
    (_calc([{"amount": 1}]), ["body", "lines", 0], "a compound"),
    (_calc([_threonate(amount=0)]), ["body", "lines", 0, "amount"], "greater than zero"),
    (_calc([_threonate(amount=-5)]), ["body", "lines", 0, "amount"], "greater than zero"),
    (_calc([_threonate(amount=100.5, unit="g")]), ["body", "lines", 0, "amount"], "100.5 g is more than 100 g a serving"),
    (_calc([_threonate(amount="1e30")]), ["body", "lines", 0, "amount"], "100 g or more a serving"),
    (_calc([_threonate(unit="kg")]), ["body", "lines", 0, "unit"], "Unknown unit “kg”"),
    (_calc([_threonate(overage_percent=-1)]), ["body", "lines", 0, "overage_percent"], "from 0 to 100"),
    (_calc([_threonate(amount="lots")]), ["body", "lines", 0, "amount"], "Enter a number"),
    (_calc([_threonate()], markets=["US", "XX"]), ["body", "markets", 1], "Unknown market “XX”"),
    (_calc([_threonate()], markets=[]), ["body", "markets"], "Choose at least one market"),
    (_calc([_threonate()], population="aliens"), ["body", "population"], "Unknown population “aliens”"),
    # The workbench's rules and messages: a calculation the workbench would refuse is refused here.
    (_calc([_threonate()], servings_per_day=0), ["body", "servings_per_day"], forms.ERROR_SERVINGS),
    (_calc([_threonate()], servings_per_day=-1), ["body", "servings_per_day"], forms.ERROR_SERVINGS),
    (_calc([_threonate()], servings_per_day="1e-30"), ["body", "servings_per_day"], forms.ERROR_SERVINGS),
    (_calc([_threonate()], servings_per_day=1e9), ["body", "servings_per_day"], forms.ERROR_SERVINGS),
    (_calc([_threonate()], servings_per_day="1.125"), ["body", "servings_per_day"], forms.ERROR_SERVINGS_DECIMALS),
    (_calc([_threonate(amount="1e-400")]), ["body", "lines", 0, "amount"], forms.ERROR_AMOUNT_DECIMALS.format(places=4)),
    (_calc([_threonate(amount="0.00001")]), ["body", "lines", 0, "amount"], forms.ERROR_AMOUNT_DECIMALS.format(places=4)),
    (_calc([]), ["body", "lines"], "Add at least one ingredient"),
    ({"servings_per_day": 1}, ["body", "lines"], forms.ERROR_NO_LINES),
    (_calc([_threonate(compound="magnesium\x00oxide")]), ["body", "lines", 0, "compound"], "NUL"),
])
def test_bad_calculator_input_is_422_with_a_message_per_field(api, body, loc, message):
    response = api.post("/calculate", body)

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["loc"] == loc and message in e["msg"] for e in errors), errors


def test_every_bad_line_is_reported_at_once(api):
    response = api.post("/calculate", _calc([{"formula": "MgQ2", "amount": 0}, _threonate(unit="oz")],
                                            markets=["XX"]))

    locs = [e["loc"] for e in response.json()["detail"]]
    assert ["body", "lines", 0, "formula"] in locs and ["body", "lines", 0, "amount"] in locs
    assert ["body", "lines", 1, "unit"] in locs and ["body", "markets", 0] in locs


@pytest.mark.parametrize("raw", ["not json", "[]", '{"lines": "x"}', '{"lines": [{"amount": NaN, "formula": "Mg"}]}',
                                 '{"lines": [{"amount": Infinity, "formula": "Mg"}]}', "{" * 5000])
def test_malformed_bodies_are_4xx_never_500(anonymous_client, key_for, raw):
    response = anonymous_client.post(f"{API}/calculate", raw, content_type="application/json", **bearer(key_for()))

    assert 400 <= response.status_code < 500


def _doubt(message, line, formula, **words):
    return {"loc": ["body", "lines", line, "formula"],
            "msg": message.format(lead=LEAD_PREVIEW, compound=f"line {line + 1}", formula=formula, **words)}


def test_a_formula_with_a_zero_typed_for_an_o_is_calculated_with_the_doubt_the_library_says_of_it(api):
    """"C4H8MgN204" (204 nitrogens) gave 0.83% magnesium for the bisglycinate's 14.10%, and no word of doubt."""
    response = api.post("/calculate", _calc([_threonate(), {"formula": "C4H8MgN204", "amount": 100}]))

    assert response.status_code == 200
    assert response.json()["warnings"] == [_doubt(MESSAGE_FORMULA_ZERO_INSIDE, 1, "C4H8MgN204", count="204",
                                                  element="N", suggested="C4H8MgN2O4")]


@pytest.mark.parametrize(("formula", "message"), [("MgCI2", MESSAGE_FORMULA_CI), ("MgC12", MESSAGE_FORMULA_BARE_CARBON)])
def test_a_formula_mistyped_for_chlorine_is_calculated_with_the_librarys_doubt(api, formula, message):
    warnings = api.post("/calculate", _calc([{"formula": formula, "amount": 100}])).json()["warnings"]

    assert warnings == [_doubt(message, 0, formula)]


def test_a_calculation_without_doubts_has_no_warnings(api):
    assert api.post("/calculate", _calc([_threonate(), {"formula": "MgCl2·6H2O", "amount": 100}])).json()["warnings"] == []


def test_a_decimal_overage_keeps_exact_figures(api):
    result = api.post("/calculate", _calc([_threonate(overage_percent="2.5")])).json()

    assert Decimal(str(result["lines"][0]["formula_mg"]["magnesium"])) == Decimal("147.6")


def test_the_calculator_takes_fractions_from_the_library_revision_as_the_workbench_does(db, monkeypatch):
    from api import calculation
    from api.schemas import CalculateIn
    from formulator.reports import Library

    library = Library.load()

    def worked_out_again(compound):
        raise AssertionError(f"{compound} was worked out again: the library holds its fractions")

    monkeypatch.setattr("formulator.reports.compound_contributions", worked_out_again)
    parsed = []
    monkeypatch.setattr(calculation, "formula_contributions",
                        lambda formula, elements, real=calculation.formula_contributions: parsed.append(formula) or real(formula, elements))
    payload = CalculateIn(lines=[{"compound": "magnesium-l-threonate", "amount": 2000}, {"formula": "MgO", "amount": 100}])

    first, second = calculation.calculate(payload, library), calculation.calculate(payload, library)

    assert first == second
    assert first["lines"][0]["fractions"] == {"magnesium": 0.072} and first["lines"][0]["fraction_basis"] == "specified"
    assert first["lines"][1]["fractions"]["magnesium"] == pytest.approx(0.6030, abs=1e-4)
    assert parsed == ["MgO"]  # a bare formula: once per library revision


def _texts(value):
    """Every string of a JSON answer, keys aside."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


EXPONENT = re.compile(r"\d[eE][+-]?\d")


@pytest.mark.parametrize(("amount", "unit", "message"), [
    ("1e30", "mg", forms.ERROR_AMOUNT_WHOLE_DIGITS),
    ("1e20", "mcg", forms.ERROR_AMOUNT_WHOLE_DIGITS),
    (1e300, "g", forms.ERROR_AMOUNT_WHOLE_DIGITS),
    ("1e999999", "mg", forms.ERROR_AMOUNT_WHOLE_DIGITS),
    ("1000000000", "mcg", forms.ERROR_AMOUNT_WHOLE_DIGITS),  # 1 kg: the workbench's field cannot hold it either
    ("-1e999999", "g", engine.ERROR_AMOUNT_NOT_POSITIVE),  # was a 500: the conversion to mg overflowed
    # Too many digits before the point and after it: as the workbench and POST /products say it (it read "100 g or more").
    ("1234567891.12345", "mg", "Too many digits: use at most 9 before the decimal point and 4 after it."),
    ("-1234567891.12345", "mg", "Too many digits: use at most 9 before the decimal point and 4 after it."),
])
def test_the_calculator_refuses_a_huge_amount_as_the_workbench_does_and_writes_no_exponent(api, amount, unit, message):
    response = api.post("/calculate", _calc([_threonate(amount=amount, unit=unit)]))

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "lines", 0, "amount"], "msg": message, "type": "value_error"}]
    assert not [text for text in _texts(response.json()) if EXPONENT.search(text)]


def test_the_largest_amounts_the_calculator_takes_are_written_as_people_read_them(api):
    response = api.post("/calculate", _calc([_threonate(amount=100, unit="g")], servings_per_day=20))

    assert response.status_code == 200
    assert not [text for text in _texts(response.json()) if EXPONENT.search(text)]
    result = response.json()
    assert result["label"]["US"][0]["amount_per_day"] == "144,000 mg"  # a serving's largest, 100 g, 20 times a day
    us_ul = next(s for s in result["safety"] if (s["market"], s["kind"]) == ("US", "UL"))
    assert us_ul["reason"].startswith("144,000 mg/day is 143,650 mg over the US limit of 350 mg")


@pytest.mark.parametrize("lines", [[("60", "g"), ("60", "g")], [("99", "g")] * 200, [("100", "g"), ("1", "mg")],
                                   [("100", "g"), ("0.4", "mg")]])  # its total read "100 g a serving, more than 100 g"
def test_a_serving_of_more_than_100_g_is_refused_as_one_line_of_it_is(api, lines):
    """Two lines of 60 g passed where one of 120 g did not: 200 lines of 99 g made 19.8 kg a serving."""
    total = sum(Decimal(amount) * (1000 if unit == "g" else 1) for amount, unit in lines)
    message = forms.ERROR_SERVING_ABSURD.format(amount=f"{total.normalize():,f} mg")

    calculated = api.post("/calculate", _calc([_threonate(amount=a, unit=u) for a, u in lines]))
    saved = api.post("/products", _product_body(lines=[
        {"compound": "magnesium-oxide", "amount": a, "unit": u} for a, u in lines]))

    assert calculated.status_code == 422 and saved.status_code == 422
    assert {"loc": ["body", "lines"], "msg": message, "type": "value_error"} in calculated.json()["detail"]
    assert {"loc": ["body", "lines"], "msg": message, "type": "value_error"} in saved.json()["detail"]


@pytest.mark.parametrize(("amount", "code"), [
    ("1e30", "max_whole_digits"), (1e300, "max_whole_digits"), ("1e999999", "max_whole_digits"),
    ("-1e999999", "max_digits"), ("1e-999999", "max_decimal_places"),
    # Past the decimal context's exponent: a 500 (Overflow) before they were written out no longer.
    ("1e695049957201476", "max_whole_digits"), ("-1.5e1000000", "max_digits"), ("4.7e-1000001", "max_decimal_places"),
])
def test_the_products_endpoint_refuses_a_huge_amount_as_the_workbench_does_without_writing_it_out(api, monkeypatch, amount, code):
    checked = []
    real = forms._row_fields_clean
    monkeypatch.setattr(forms, "_row_fields_clean", lambda values, language: checked.append(values) or real(values, language))

    response = api.post("/products", _product_body(lines=[{"compound": "glycine", "amount": amount}]))

    assert response.status_code == 422
    # The part that has too many digits: 1e30 mg is 100 g or more; 1e-999999 has too many decimals.
    message = forms.LineForm.base_fields["amount"].error_messages[code]
    assert response.json()["detail"] == [{"loc": ["body", "lines", 0, "amount"], "msg": message, "type": "value_error"}]
    # Written out, 1e999999 is a million digits, and the workbench's checks keep every value they were given.
    assert checked and max(len(value) for values in checked for value in values) < 50


# Wrong JSON types ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body", "loc", "message"), [
    ("post", "/calculate", _calc([_threonate(amount="abc")]), ["lines", 0, "amount"], forms.ERROR_NOT_A_NUMBER),
    ("post", "/calculate", _calc([_threonate(amount=[])]), ["lines", 0, "amount"], forms.ERROR_NOT_A_NUMBER),
    ("post", "/calculate", _calc([_threonate(amount=None)]), ["lines", 0, "amount"], forms.ERROR_NOT_A_NUMBER),
    ("post", "/calculate", _calc([_threonate(amount="1,5")]), ["lines", 0, "amount"], forms.ERROR_DECIMAL_COMMA),
    ("post", "/calculate", _calc([_threonate(overage_percent="five")]), ["lines", 0, "overage_percent"],
     forms.ERROR_OVERAGE_RANGE),
    ("post", "/calculate", _calc([_threonate(amount="2_000")]), ["lines", 0, "amount"], forms.ERROR_NOT_A_NUMBER),
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": "٢٠٠٠"}]), ["lines", 0, "amount"],
     forms.ERROR_NOT_A_NUMBER),  # Python reads both as 2000: the workbench refuses them
    ("post", "/calculate", _calc([_threonate(overage_percent="5.123")]), ["lines", 0, "overage_percent"],
     forms.ERROR_OVERAGE_DECIMALS),  # in range: its decimals are what the workbench refuses
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": 1, "overage_percent": 5.123}]),
     ["lines", 0, "overage_percent"], forms.ERROR_OVERAGE_DECIMALS),
    ("post", "/calculate", _calc([_threonate()], servings_per_day=[]), ["servings_per_day"], forms.ERROR_SERVINGS),
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": "abc"}]), ["lines", 0, "amount"],
     forms.ERROR_NOT_A_NUMBER),
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": "2,000"}]), ["lines", 0, "amount"],
     forms.ERROR_DECIMAL_COMMA),
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": 1, "overage_percent": {}}]),
     ["lines", 0, "overage_percent"], forms.ERROR_OVERAGE_RANGE),
    ("post", "/products", _product_body(servings_per_day=[]), ["servings_per_day"], forms.ERROR_SERVINGS),
    ("post", "/products", _product_body(serving_size="two"), ["serving_size"], forms.ERROR_SERVING_SIZE),
    ("post", "/products", _product_body(serving_size=1.5), ["serving_size"], forms.ERROR_SERVING_SIZE),
    ("post", "/products", _product_body(serving_size=True), ["serving_size"], forms.ERROR_SERVING_SIZE),  # was read as 1
    ("post", "/products", _product_body(servings_per_container=True), ["servings_per_container"],
     forms.ERROR_SERVINGS_PER_CONTAINER),
    ("post", "/products", _product_body(servings_per_container=[]), ["servings_per_container"],
     forms.ERROR_SERVINGS_PER_CONTAINER),
    ("put", "/products/recover", {**_product_body(servings_per_container="1,000"), "version": 1}, ["servings_per_container"],
     forms.ERROR_WHOLE_NUMBER_COMMA),  # not "a point for decimals": the field takes none
    # What the editors read, as the pages print it, is named: "may mean a decimal or a thousand" was wrong of 1,418.9.
    ("post", "/calculate", _calc([_threonate(amount="1,418.9")]), ["lines", 0, "amount"],
     "Send the number without thousands separators: 1418.9."),
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": "1,418,900", "unit": "mcg"}]),
     ["lines", 0, "amount"], "Send the number without thousands separators: 1418900."),
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": 5, "overage_percent": "5%"}]),
     ["lines", 0, "overage_percent"], "Send the percentage without its sign: 5."),  # said "from 0 to 100", of 5
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": "500%"}]), ["lines", 0, "amount"],
     forms.ERROR_NOT_A_NUMBER),  # an amount is no percentage
])
def test_a_wrong_json_type_gets_the_workbenchs_message_at_its_field(api, method, path, body, loc, message):
    assert _refused(api, method, path, body) == [{"loc": ["body", *loc], "msg": message, "type": "value_error"}]


SERVINGS_COMMA = forms.ERROR_DECIMAL_COMMA_RANGE.format(low="0.25", high="20")
OVERAGE_COMMA = forms.ERROR_DECIMAL_COMMA_RANGE.format(low="0", high="100")


@pytest.mark.parametrize(("method", "path", "body", "loc", "message"), [
    # A comma: the digits ERROR_DECIMAL_COMMA suggests (1500) are no servings a day, nor an overage; the range is said.
    ("post", "/calculate", _calc([_threonate()], servings_per_day="1,5"), ["servings_per_day"], SERVINGS_COMMA),
    ("post", "/products", _product_body(servings_per_day="1,500"), ["servings_per_day"], SERVINGS_COMMA),
    ("post", "/calculate", _calc([_threonate(overage_percent="1,500")]), ["lines", 0, "overage_percent"], OVERAGE_COMMA),
    ("post", "/products", _product_body(serving_size="1,500"), ["serving_size"], forms.ERROR_SERVING_SIZE_WRITTEN),
    # Thousands separators: the number is named only where the field takes it, else the field says its range.
    ("post", "/calculate", _calc([_threonate()], servings_per_day="1,000.5"), ["servings_per_day"], forms.ERROR_SERVINGS),
    ("post", "/calculate", _calc([_threonate(overage_percent="1,000.5")]), ["lines", 0, "overage_percent"],
     forms.ERROR_OVERAGE_RANGE),
    ("post", "/products", _product_body(serving_size="1,000,000"), ["serving_size"], forms.ERROR_SERVING_SIZE),
    ("post", "/products", _product_body(servings_per_container="1,234.5"), ["servings_per_container"],
     forms.ERROR_SERVINGS_PER_CONTAINER),
    ("post", "/products", _product_body(servings_per_container="1,000,000"), ["servings_per_container"],
     forms.ERROR_SERVINGS_PER_CONTAINER),
    ("post", "/calculate", _calc([_threonate(amount="1,500,000,000")]), ["lines", 0, "amount"],
     forms.ERROR_AMOUNT_WHOLE_DIGITS),
])
def test_comma_advice_names_digits_only_where_the_field_takes_them_and_its_range_elsewhere(
        api, method, path, body, loc, message):
    """"1,000.5" servings a day was told to send 1000.5, and "1,5" to write 1.5 or 1500: neither is from 0.25 to 20."""
    assert _refused(api, method, path, body) == [{"loc": ["body", *loc], "msg": message, "type": "value_error"}]


@pytest.mark.parametrize(("path", "param", "value", "message"), [
    ("/studies", "year_from", "2,000", forms.ERROR_WHOLE_NUMBER_COMMA_RANGE.format(low="1900", high="2100")),
    ("/compounds", "limit", "1,000", forms.ERROR_WHOLE_NUMBER_COMMA_RANGE.format(low="1", high="100")),
    ("/compounds", "limit", "1,000,000", ERROR_LIMIT),
    ("/compounds", "offset", "1,500", forms.ERROR_WHOLE_NUMBER_COMMA),  # 1500 items may be skipped
])
def test_a_query_number_with_a_comma_is_told_its_range_where_1500_is_out_of_it(api, path, param, value, message):
    response = api.get(path, {param: value})

    assert response.json()["detail"] == [{"loc": ["query", param], "msg": message, "type": "value_error"}]


def _refused(api, method, path, body):
    """The 422's errors, once sure that nothing was saved."""
    before = Product.objects.count(), Product.objects.get(slug="recover").version

    response = getattr(api, method)(path, body)

    assert response.status_code == 422
    assert (Product.objects.count(), Product.objects.get(slug="recover").version) == before
    return response.json()["detail"]


def _without(body, *path):
    """A copy of a JSON body with the field at path left out."""
    import copy

    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return body


@pytest.mark.parametrize(("method", "path", "body", "loc", "message"), [
    ("post", "/products", _without(_product_body(), "name"), ["name"], forms.ERROR_PRODUCT_NAME),
    ("post", "/products", _without(_product_body(), "lines"), ["lines"], forms.ERROR_NO_LINES),
    ("post", "/products", _without(_product_body(), "lines", 0, "compound"), ["lines", 0, "compound"],
     forms.ERROR_CHOOSE_COMPOUND),
    ("post", "/products", _without(_product_body(), "lines", 1, "amount"), ["lines", 1, "amount"],
     forms.ERROR_AMOUNT_REQUIRED),
    ("put", "/products/recover", _product_body(), ["version"], ERROR_VERSION_REQUIRED),
    ("post", "/calculate", {"lines": [{"compound": "glycine"}]}, ["lines", 0, "amount"], forms.ERROR_AMOUNT_REQUIRED),
])
def test_a_missing_field_gets_the_workbenchs_message_for_it_left_empty(api, method, path, body, loc, message):
    assert _refused(api, method, path, body) == [{"loc": ["body", *loc], "msg": message, "type": "missing"}]


UNKNOWN_XX = schemas.ERROR_UNKNOWN_MARKET.format(value="XX", choices="US, EU, CA, AU-NZ, DE")


@pytest.mark.parametrize("version", [None, "abc", "", 0, -3, 1.5, 10**12, True, [1], {"version": 1}])
def test_a_version_that_is_no_edit_number_is_a_422_saying_what_to_send(api, version):
    # It answered pydantic's "Input should be a valid integer" or "greater than or equal to 1"; true was read as 1.
    body = {**_product_body(), "version": version}

    assert _refused(api, "put", "/products/recover", body) == [
        {"loc": ["body", "version"], "msg": schemas.ERROR_VERSION, "type": "value_error"}]


@pytest.mark.parametrize("ahead", [1, 997, "largest"])
def test_a_version_beyond_the_current_edit_is_a_422_naming_the_current_edit(api, ahead):
    # It answered 409 "you started from edit 999, and it is now at edit 2" with no changes: there never was an edit 999.
    current = Product.objects.get(slug="recover").version
    version = schemas.MAX_VERSION if ahead == "largest" else current + ahead

    errors = _refused(api, "put", "/products/recover", {**_product_body(), "version": version})

    assert errors == [{"loc": ["body", "version"], "msg": schemas.ERROR_VERSION_AHEAD.format(version=version, current=current),
                       "type": "value_error"}]
    assert schemas.ERROR_VERSION_AHEAD.format(version=999, current=2) == (
        "There is no edit 999 of this product: it is at edit 2. Send the version you edited, from the last GET of the product.")


def test_a_version_beyond_the_current_edit_is_reported_with_the_bodys_other_problems(api):
    current = Product.objects.get(slug="recover").version
    body = {**_product_body(lines=[{"compound": "glycine", "amount": 0}]), "version": current + 1}

    errors = _refused(api, "put", "/products/recover", body)

    assert [e["loc"] for e in errors] == [["body", "lines", 0, "amount"], ["body", "version"]]


@pytest.mark.parametrize(("method", "path", "body", "loc", "message"), [
    ("post", "/calculate", _calc([_threonate()], markets="US"), ["markets"], schemas.ERROR_MARKETS),
    ("post", "/calculate", _calc([_threonate()], markets=None), ["markets"], schemas.ERROR_MARKETS),
    ("post", "/calculate", _calc([_threonate()], markets={"US": True}), ["markets"], schemas.ERROR_MARKETS),
    ("post", "/calculate", _calc([_threonate()], markets=["US", 1]), ["markets", 1], schemas.ERROR_MARKETS),
    ("post", "/calculate", _calc([_threonate()], markets=["EU", "XX"]), ["markets", 1], UNKNOWN_XX),
    ("post", "/products", _product_body(markets="US"), ["markets"], schemas.ERROR_MARKETS),
    ("post", "/products", _product_body(markets=[None]), ["markets", 0], schemas.ERROR_MARKETS),
    # The form's checkboxes said "Select a valid choice. XX is not one of the available choices."
    ("post", "/products", _product_body(markets=["US", "XX"]), ["markets", 1], UNKNOWN_XX),
    ("put", "/products/recover", {**_product_body(markets=["XX"]), "version": 1}, ["markets", 0], UNKNOWN_XX),
])
def test_markets_that_are_no_list_of_market_codes_say_which_codes_there_are(api, method, path, body, loc, message):
    assert _refused(api, method, path, body) == [{"loc": ["body", *loc], "msg": message, "type": "value_error"}]


@pytest.mark.parametrize(("field", "value", "what", "choices"), [
    ("population", "elderly", "population", Population.choices), ("dosage_form", "pill", "dosage form", DosageForm.choices),
    ("capsule_size", "5", "capsule size", CapsuleSize.choices), ("timing", "noon", "timing", Timing.choices),
])
def test_an_unknown_choice_names_the_codes_there_are(api, field, value, what, choices):
    expected = forms.unknown_choice(what, choices)["invalid_choice"] % {"value": value}

    errors = _refused(api, "post", "/products", _product_body(**{field: value}))

    assert [(e["loc"], e["msg"]) for e in errors] == [(["body", field], expected)]
    assert "Select a valid choice" not in expected and "adult" in forms.unknown_choice("population", Population.choices)["invalid_choice"]


@pytest.mark.parametrize("size", ["Infinity", "NaN", "-Infinity", "0000"])
def test_a_capsule_size_read_as_a_float_word_or_too_long_for_any_is_an_unknown_size(api, size):
    """"Infinity" and "0000" read "Too long: use at most 3 characters.", as if a shorter word would be a size."""
    expected = forms.unknown_choice("capsule size", CapsuleSize.choices)["invalid_choice"] % {"value": size}

    errors = _refused(api, "post", "/products", _product_body(capsule_size=size))

    assert errors == [{"loc": ["body", "capsule_size"], "msg": expected, "type": "value_error"}]


def test_a_capsule_size_for_another_dosage_form_is_cleared_as_the_editor_clears_its_hidden_size(api):
    """Deliberately not refused: the editor posts the size it hides for a powder (forms.ProductForm) and clears it."""
    response = api.post("/products", _product_body(dosage_form="powder", capsule_size="00"))

    assert (response.status_code, response.json()["capsule_size"]) == (201, "")
    assert Product.objects.get(slug=response.json()["slug"]).capsule_size == ""
    expected = forms.unknown_choice("capsule size", CapsuleSize.choices)["invalid_choice"] % {"value": "9"}
    errors = _refused(api, "post", "/products", _product_body(name="API Powder", dosage_form="powder", capsule_size="9"))
    assert errors == [{"loc": ["body", "capsule_size"], "msg": expected, "type": "value_error"}]


_NUMBER_FIELDS = [
    ("/calculate", ["lines", 0, "amount"], forms.ERROR_NOT_A_NUMBER),
    ("/calculate", ["lines", 0, "overage_percent"], forms.ERROR_OVERAGE_RANGE),
    ("/calculate", ["servings_per_day"], forms.ERROR_SERVINGS),
    ("/products", ["serving_size"], forms.ERROR_SERVING_SIZE),
    ("/products", ["servings_per_day"], forms.ERROR_SERVINGS),
    ("/products", ["servings_per_container"], forms.ERROR_SERVINGS_PER_CONTAINER),
    ("/products", ["lines", 0, "amount"], forms.ERROR_NOT_A_NUMBER),
]


@pytest.mark.parametrize("word", ["Infinity", "NaN", "-Infinity"])
@pytest.mark.parametrize(("path", "loc", "message"), _NUMBER_FIELDS)
def test_a_float_word_in_a_number_field_gets_the_fields_message_as_text_or_a_bare_literal(
        anonymous_client, key_for, path, loc, message, word):
    body = _calc([_threonate()]) if path == "/calculate" else _product_body()
    place = body
    for step in loc[:-1]:
        place = place[step]
    for sent in (word, "SENT"):  # then bare, as Python's JSON reader takes it: Infinity
        place[loc[-1]] = sent
        raw = json.dumps(body).replace('"SENT"', word)
        response = anonymous_client.post(f"{API}{path}", raw, content_type="application/json", **bearer(key_for()))

        assert response.status_code == 422, raw
        assert response.json()["detail"] == [{"loc": ["body", *loc], "msg": message, "type": "value_error"}]


@pytest.mark.parametrize("blank", ["", "  "])
@pytest.mark.parametrize(("method", "path", "body"), [("post", "/calculate", _calc([_threonate()])),
                                                      ("post", "/products", _product_body())])
def test_an_empty_population_is_told_to_choose_one_not_that_it_is_unknown(api, method, path, body, blank):
    """An empty population read "Unknown population “”" on /calculate, as if "" were some population misspelt."""
    errors = _refused(api, method, path, {**body, "population": blank})

    assert errors == [{"loc": ["body", "population"], "msg": forms.ERROR_CHOOSE_POPULATION, "type": "value_error"}]


@pytest.mark.parametrize("blank", ["", " "])
@pytest.mark.parametrize(("method", "path", "body"), [("post", "/calculate", _calc([_threonate()])),
                                                      ("post", "/products", _product_body())])
def test_an_empty_unit_is_told_the_units_to_choose_from_as_the_workbench_says(api, method, path, body, blank):
    errors = _refused(api, method, path, {**body, "lines": [{**body["lines"][0], "unit": blank}]})

    assert errors == [{"loc": ["body", "lines", 0, "unit"], "msg": forms.ERROR_UNKNOWN_UNIT, "type": "value_error"}]


@pytest.mark.parametrize(("sent", "saved"), [(["US", "US"], ["US"]), (["EU", "US", "EU", "US"], ["US", "EU"])])
def test_a_market_sent_twice_is_saved_once_in_the_markets_order(api, sent, saved):
    # ["US", "US"] was saved as it came, and the product page said "Markets US, US".
    created = api.post("/products", _product_body(markets=sent))
    updated = api.put("/products/recover", {**_product_body(name="Recover", markets=sent),
                                            "version": Product.objects.get(slug="recover").version})

    assert created.status_code == 201 and created.json()["markets"] == saved
    assert updated.status_code == 200 and updated.json()["markets"] == saved
    assert Product.objects.get(slug="api-sleep").markets == saved == Product.objects.get(slug="recover").markets


def test_a_market_sent_twice_gives_each_safety_row_once(api):
    once = api.post("/calculate", _calc([_threonate()], markets=["EU", "US"])).json()
    repeated = api.post("/calculate", _calc([_threonate()], markets=["EU", "US", "EU", "US", "EU"])).json()
    rows = [json.dumps(s, sort_keys=True) for s in repeated["safety"]]

    assert len(rows) == len(set(rows)) and repeated["safety"] == once["safety"]
    assert [s["market"] for s in repeated["safety"] if s["kind"] == "UL"] == ["US", "EU"]  # a set, in one order
    assert repeated == once


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/products", _product_body(markets=["US", "US", "XX"])),
    ("post", "/calculate", _calc([_threonate()], markets=["US", "US", "XX"])),
])
def test_an_unknown_market_after_a_repeated_one_is_named_where_it_was_sent(api, method, path, body):
    assert _refused(api, method, path, body) == [{"loc": ["body", "markets", 2], "msg": UNKNOWN_XX, "type": "value_error"}]


def test_every_unknown_market_of_a_product_is_named_at_its_place(api):
    errors = _refused(api, "post", "/products", _product_body(markets=["XX", "EU", "us"]))

    assert errors == [
        {"loc": ["body", "markets", 0], "msg": UNKNOWN_XX, "type": "value_error"},
        {"loc": ["body", "markets", 2], "msg": schemas.ERROR_UNKNOWN_MARKET.format(value="us", choices=schemas.MARKET_CHOICES),
         "type": "value_error"},
    ]


REQUEST_CLASSES = [name for name, value in vars(schemas).items()
                   if isinstance(value, type) and issubclass(value, schemas.BaseModel) and value.__module__ == schemas.__name__]
PYDANTIC_WORDING = re.compile(r"Input should|Field required|String should|List should|Value error|instance of|valid dictionary")


def _leaks(response):
    """What of pydantic's wording or the API's class names an answer shows."""
    text = response.content.decode()
    return PYDANTIC_WORDING.findall(text) + [name for name in REQUEST_CLASSES if re.search(rf"\b{name}\b", text)]


@pytest.mark.parametrize(("method", "path"), [("post", "/calculate"), ("post", "/products"), ("put", "/products/recover")])
@pytest.mark.parametrize("raw", ["[]", '[{"lines": []}]', '"lines"', "5", "null", "true", ""])
def test_a_body_that_is_no_json_object_is_a_422_saying_so_without_naming_a_class(
        anonymous_client, key_for, method, path, raw):
    # It said "Input should be a valid dictionary or instance of CalculateIn" (ProductIn, ProductUpdateIn).
    response = getattr(anonymous_client, method)(f"{API}{path}", raw, content_type="application/json", **bearer(key_for()))

    assert response.status_code == 422
    assert [(e["loc"], e["msg"]) for e in response.json()["detail"]] == [(["body"], schemas.ERROR_BODY_OBJECT)]
    assert _leaks(response) == []


@pytest.mark.parametrize(("method", "path", "body", "loc", "message", "kind"), [
    ("post", "/products", _product_body(name=123), ["name"], schemas.ERROR_TEXT, "string_type"),
    ("post", "/products", _product_body(name=["x"]), ["name"], schemas.ERROR_TEXT, "string_type"),
    ("post", "/products", _product_body(brand=None), ["brand"], schemas.ERROR_TEXT, "string_type"),
    ("post", "/products", _product_body(name="x" * 151), ["name"], schemas.ERROR_TEXT_TOO_LONG.format(max_length=150),
     "string_too_long"),
    ("post", "/products", _product_body(lines="glycine"), ["lines"], schemas.ERROR_LIST, "list_type"),
    ("post", "/products", _product_body(lines=[None]), ["lines", 0], schemas.ERROR_OBJECT, "model_type"),
    ("post", "/products", _product_body(lines=[{"compound": "glycine", "amount": 1}] * 201), ["lines"],
     schemas.ERROR_TOO_MANY.format(max_length=200), "too_long"),
    ("put", "/products/recover", {**_product_body(lines=[{"compound": "glycine", "amount": 1, "unit": 5}]), "version": 1},
     ["lines", 0, "unit"], schemas.ERROR_TEXT, "string_type"),
    ("post", "/calculate", _calc([{"formula": 5, "amount": 1}]), ["lines", 0, "formula"], schemas.ERROR_TEXT, "string_type"),
    ("post", "/calculate", _calc([[]]), ["lines", 0], schemas.ERROR_OBJECT, "model_type"),
    ("post", "/calculate", _calc({}), ["lines"], schemas.ERROR_LIST, "list_type"),
    ("post", "/calculate", _calc([_threonate()], population=None), ["population"], schemas.ERROR_TEXT, "string_type"),
])
def test_a_wrong_json_shape_is_said_in_the_apis_words_at_its_field(api, method, path, body, loc, message, kind):
    assert _refused(api, method, path, body) == [{"loc": ["body", *loc], "msg": message, "type": kind}]


def test_a_lone_surrogate_in_a_slug_is_said_in_the_apis_words(anonymous_client, key_for):
    raw = '{"lines": [{"compound": "\\ud800", "amount": 1}]}'  # JSON may escape what UTF-8 cannot hold
    response = anonymous_client.post(f"{API}/calculate", raw, content_type="application/json", **bearer(key_for()))

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "lines", 0, "compound"], "msg": schemas.ERROR_ENCODING, "type": "string_unicode"}]


@pytest.mark.parametrize(("method", "path", "body", "loc"), [
    ("post", "/calculate", _calc([_threonate()], populaton="pregnancy"), ["populaton"]),
    ("post", "/calculate", _calc([_threonate(overage_pecent=20)]), ["lines", 0, "overage_pecent"]),
    ("post", "/products", _product_body(servings_per_dya=3), ["servings_per_dya"]),
    ("put", "/products/recover", {**_product_body(lines=[{"compound": "glycine", "amount": 1, "untis": "g"}]), "version": 1},
     ["lines", 0, "untis"]),
])
def test_a_misspelt_field_is_refused_at_its_place_never_ignored_for_its_default(api, method, path, body, loc):
    """"populaton": "pregnancy" ignored would work a pregnancy product out for adults; "overage_pecent" would leave the
    overage out of the limits."""
    assert _refused(api, method, path, body) == [
        {"loc": ["body", *loc], "msg": schemas.ERROR_UNKNOWN_FIELD, "type": "extra_forbidden"}]


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/products", _product_body(lines=[{"compound": "unobtainium", "amount": 1}])),
    ("put", "/products/recover", {**_product_body(lines=[{"compound": "glycine", "amount": 1},
                                                         {"compound": "unobtainium", "amount": 1}]), "version": 1}),
    ("post", "/calculate", _calc([_threonate(), {"compound": "unobtainium", "amount": 1}])),
])
def test_an_unknown_compound_is_named_with_where_to_find_the_slugs_as_the_calculator_says(api, method, path, body):
    # The products endpoints said the workbench's "Unknown compound: choose one from the library.", which has no list.
    index = len(body["lines"]) - 1

    assert _refused(api, method, path, body) == [
        {"loc": ["body", "lines", index, "compound"], "msg": calculation.ERROR_UNKNOWN_COMPOUND.format(slug="unobtainium"),
         "type": "value_error"}]


@pytest.mark.parametrize(("method", "path", "body", "population_message"), [
    ("post", "/products", _product_body(), forms.unknown_choice("population", Population.choices)["invalid_choice"]
     % {"value": "aliens"}),
    ("put", "/products/recover", {**_product_body(), "version": 1},
     forms.unknown_choice("population", Population.choices)["invalid_choice"] % {"value": "aliens"}),
    ("post", "/calculate", _calc([]), schemas.ERROR_UNKNOWN_POPULATION.format(
        value="aliens", choices=", ".join(Population.values))),
])
def test_a_body_is_checked_in_two_stages_each_reporting_every_problem_it_finds(api, method, path, body, population_message):
    lines = [{"compound": "unobtainium", "amount": 1}, {"compound": "glycine", "amount": 0}]
    body = {**body, "lines": lines, "population": "aliens"}
    shapes = {"brand": 123, "notes": None} if path != "/calculate" else {"servings_per_day": "many", "markets": "US"}

    first = _refused(api, method, path, {**body, **shapes})
    second = _refused(api, method, path, body)

    # First the JSON types and shapes, every such problem at once; the workbench's checks wait for them.
    assert sorted(e["loc"][1] for e in first) == sorted(shapes)
    # Then the workbench's checks, every such problem at once.
    assert sorted((str(e["loc"]), e["msg"]) for e in second) == sorted([
        (str(["body", "population"]), population_message),
        (str(["body", "lines", 0, "compound"]), calculation.ERROR_UNKNOWN_COMPOUND.format(slug="unobtainium")),
        (str(["body", "lines", 1, "amount"]), engine.ERROR_AMOUNT_NOT_POSITIVE),
    ])


WRONG_VALUES = [123, 1.5, True, None, "x" * 6000, "", ["x"], [None], {"a": 1}]
BODY_FIELDS = [("post", "/products", _product_body(), [name]) for name in schemas.ProductIn.model_fields] + [
    ("put", "/products/recover", {**_product_body(), "version": 1}, ["version"]),
    *[("post", "/products", _product_body(), ["lines", 0, name]) for name in schemas.LineIn.model_fields],
    *[("post", "/calculate", _calc([_threonate()]), [name]) for name in schemas.CalculateIn.model_fields],
    *[("post", "/calculate", _calc([_threonate()]), ["lines", 0, name]) for name in schemas.CalculateLineIn.model_fields],
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BODY_FIELDS,
                         ids=[f"{method} {path} {'.'.join(map(str, field))}" for method, path, _, field in BODY_FIELDS])
def test_no_wrong_value_of_any_body_field_gets_pydantics_wording_or_a_class_name(api, method, path, body, field):
    for value in WRONG_VALUES:
        sent = json.loads(json.dumps(body))
        target = sent
        for key in field[:-1]:
            target = target[key]
        target[field[-1]] = value

        response = getattr(api, method)(path, sent)

        assert response.status_code < 500, (field, value)
        assert _leaks(response) == [], (field, value, response.json())


@pytest.mark.parametrize(("path", "params", "loc", "message"), [
    ("/reference-values", {"market": "XX"}, ["query", "market"], UNKNOWN_XX),
    ("/reference-values", {"population": "aliens"}, ["query", "population"], schemas.ERROR_UNKNOWN_POPULATION.format(
        value="aliens", choices="adult, infant, child-1-3, child-4-8, child-9-13, teen-14-18, pregnancy, lactation")),
    ("/studies", {"design": "horoscope"}, ["query", "design"],
     schemas.ERROR_UNKNOWN_VALUE.format(value="horoscope", choices=", ".join(Design.values))),
    ("/compounds", {"limit": "many"}, ["query", "limit"], ERROR_LIMIT),
    ("/compounds", {"limit": 0}, ["query", "limit"], ERROR_LIMIT),
    ("/products", {"limit": 101}, ["query", "limit"], ERROR_LIMIT),
    ("/studies", {"offset": -1}, ["query", "offset"], ERROR_OFFSET),
    ("/compounds", {"q": "x" * 101}, ["query", "q"], schemas.ERROR_TEXT_TOO_LONG.format(max_length=100)),
    ("/products/" + "x" * 151, {}, ["path", "slug"], schemas.ERROR_TEXT_TOO_LONG.format(max_length=150)),
])
def test_a_bad_query_or_path_value_is_said_in_the_apis_words(api, path, params, loc, message):
    response = api.get(path, params)

    assert response.status_code == 422
    assert [(e["loc"], e["msg"]) for e in response.json()["detail"]] == [(loc, message)]


# Interactions -----------------------------------------------------------------------------------------------


def test_a_product_lists_its_interactions_as_its_spec_sheet_does(api, client):
    Product.objects.filter(slug="recover").update(population="pregnancy")

    product = api.get("/products/recover").json()
    listed = next(p for p in api.get("/products", {"limit": 100}).json()["items"] if p["slug"] == "recover")
    sheet = json.loads(client.get("/products/recover/spec.json").content)

    assert product["interactions"] and product["interactions"] == sheet["interactions"] == listed["interactions"]
    applying = [row for row in product["interactions"] if row["applies_to_population"]]
    assert [row["excluded_in"] for row in applying] == [["EU"]] and "pregnancy" in applying[0]["populations"]  # L-threonate


def test_a_stack_lists_the_interactions_of_its_products_for_its_population(api, client):
    Stack.objects.filter(slug="ntrpx-daily").update(population="pregnancy")

    stack = api.get("/stacks/ntrpx-daily").json()
    listed = next(s for s in api.get("/stacks").json()["items"] if s["slug"] == "ntrpx-daily")
    sheet = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)

    assert stack["interactions"] == listed["interactions"]
    assert [(i["agent"], i["applies_to_population"]) for i in stack["interactions"]] == [
        (i["agent"], i["applies_to_population"]) for i in sheet["interactions"]]
    applying = [row for row in stack["interactions"] if row["applies_to_population"]]
    assert [row["excluded_in"] for row in applying] == [["EU"]]  # Recover's L-threonate, in pregnancy


def test_the_calculator_lists_the_interactions_of_the_same_ingredients_as_a_products_spec_sheet(api, client):
    recover = Product.objects.get(slug="recover")
    Product.objects.filter(pk=recover.pk).update(population="pregnancy")
    lines = [{"compound": line.compound.slug, "amount": str(line.amount), "unit": line.unit} for line in recover.lines.all()]

    result = api.post("/calculate", _calc(lines, markets=list(recover.markets), population="pregnancy")).json()
    sheet = json.loads(client.get("/products/recover/spec.json").content)

    assert result["interactions"] and result["interactions"] == sheet["interactions"]


def test_a_formula_line_brings_the_interactions_of_its_nutrients_and_no_compounds(api):
    by_formula = api.post("/calculate", _calc([{"formula": "MgO", "amount": 400}], population="pregnancy")).json()
    by_threonate = api.post("/calculate", _calc([_threonate()], population="pregnancy")).json()
    agents = {row["agent"] for row in by_formula["interactions"]}

    assert agents and agents < {row["agent"] for row in by_threonate["interactions"]}
    assert not any(row["applies_to_population"] or row["excluded_in"] for row in by_formula["interactions"])
    assert [row["excluded_in"] for row in by_threonate["interactions"] if row["applies_to_population"]] == [["EU"]]


# Unknown filter values and unsupported methods ----------------------------------------------------------------


@pytest.mark.parametrize(("path", "param", "listed_by"), [
    ("/reference-values", "nutrient", "/nutrients"),
    ("/compounds", "nutrient", "/nutrients"),
    ("/studies", "compound", "/compounds"),
])
def test_an_unknown_slug_filter_is_422_naming_the_slugs_there_are(api, path, param, listed_by):
    # An unknown slug used to filter everything out: a 200 with an empty page, as if nothing matched.
    slugs = [item["slug"] for item in api.get(listed_by, {"limit": 100}).json()["items"]]

    response = api.get(path, {param: "nosuch"})

    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "loc": ["query", param], "msg": schemas.ERROR_UNKNOWN_VALUE.format(value="nosuch", choices=", ".join(slugs)),
        "type": "value_error"}]}


@pytest.mark.parametrize(("path", "param", "value"), [
    ("/reference-values", "nutrient", "magnesium"),
    ("/compounds", "nutrient", "glycine"),
    ("/studies", "compound", "magnesium-l-threonate"),
    ("/reference-values", "market", "EU"),
    ("/reference-values", "kind", "UL"),
    ("/reference-values", "population", "pregnancy"),
    ("/studies", "outcome", "sleep-quality"),
    ("/studies", "design", "rct"),
])
def test_a_filter_drops_surrounding_spaces_and_an_empty_one_is_no_filter(api, path, param, value):
    everything = api.get(path, {"limit": 100}).json()
    exact = api.get(path, {param: value, "limit": 100}).json()

    assert 0 < exact["count"] < everything["count"]
    assert api.get(path, {param: f" {value} ", "limit": 100}).json() == exact
    assert api.get(path, {param: "", "limit": 100}).json() == everything
    assert api.get(path, {param: "  ", "limit": 100}).json() == everything


@pytest.mark.parametrize(("method", "path", "allow", "allowed"), [
    ("post", "/stacks", "GET, HEAD", "GET or HEAD"),
    ("put", "/stacks/ntrpx-daily", "GET, HEAD", "GET or HEAD"),
    ("delete", "/products/x", "GET, HEAD, PUT", "GET, HEAD or PUT"),
    ("delete", "/products", "GET, HEAD, POST", "GET, HEAD or POST"),
    ("get", "/calculate", "POST", "POST"),
])
def test_an_unsupported_method_is_405_in_json_with_the_allow_header(anonymous_client, api, method, path, allow, allowed):
    from api.urls import ERROR_METHOD_NOT_ALLOWED

    response = getattr(anonymous_client, method)(f"{API}{path}", **bearer(api.key))

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": ERROR_METHOD_NOT_ALLOWED.format(method=method.upper(), allowed=allowed)}
    assert response["Allow"] == allow


@pytest.mark.parametrize("path", ["/compounds", "/products/recover", "/studies"])
def test_head_answers_as_get_without_the_body(anonymous_client, api, path):
    got = api.get(path)
    head = anonymous_client.head(f"{API}{path}", **bearer(api.key))

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Content-Length"] == str(len(got.content))


def test_head_without_credentials_is_401_as_get_is(anonymous_client):
    assert anonymous_client.head(f"{API}/compounds").status_code == anonymous_client.get(f"{API}/compounds").status_code == 401


def test_a_reference_value_says_whether_it_rules_out_any_supplemental_amount(api):
    infants = api.get("/reference-values", {"kind": "UL", "population": "infant", "limit": 100}).json()["items"]
    food_only = {(v["nutrient"], v["market"]) for v in infants if v["food_only"]}

    assert food_only == {("magnesium", "US"), ("magnesium", "CA"), ("vitamin-b6", "US"), ("vitamin-b6", "CA")}
    assert all(v["amount_mg"] is None for v in infants if v["food_only"])


@pytest.mark.parametrize("param", ["year_from", "year_to"])
def test_a_year_filter_of_spaces_is_no_filter_as_every_other_filter(api, param):
    everything = api.get("/studies", {"limit": 100}).json()

    assert api.get("/studies", {param: "  ", "limit": 100}).json() == everything


@pytest.mark.parametrize("name", ["New", "new"])
def test_a_product_named_new_gets_a_page_of_its_own(api, client, name):
    """Named "new", a product took the slug "new": its page was /products/new/, the editor for a new product."""
    created = api.post("/products", _product_body(name=name)).json()

    assert created["slug"] == "new-2"
    assert f"<h1>{name}" in client.get("/products/new-2/").content.decode()


@pytest.mark.parametrize("path", ["/products/recover/spec/extra", "/products/a%2Fb", "/product/recover", "/"])
def test_an_address_the_api_does_not_have_is_a_json_404(api, path):
    """It answered the site's HTML 404 page (with DEBUG on, Django's list of every URL pattern)."""
    from api.urls import ERROR_NO_SUCH_PATH

    response = api.get(path)

    assert (response.status_code, response["Content-Type"], response.json()) == (
        404, "application/json; charset=utf-8", {"detail": ERROR_NO_SUCH_PATH})


@pytest.mark.parametrize(("method", "url"), [("post", f"{API}/products/"), ("put", f"{API}/products/luna/"),
                                           ("delete", f"{API}/nope"), ("get", "/api/"), ("post", "/api/v2/products")])
def test_any_method_to_an_address_the_api_does_not_have_is_its_json_404(key_for, method, url):
    """A POST to "/products/" (a trailing slash) was refused with the site's HTML "CSRF verification failed" page, and
    /api/ and /api/v2/... answered the site's HTML 404."""
    from api.urls import ERROR_NO_SUCH_PATH

    client = Client(enforce_csrf_checks=True)
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
    response = getattr(client, method)(url, **body, **bearer(key_for("formulator")))

    assert (response.status_code, response["Content-Type"], response.json()) == (
        404, "application/json; charset=utf-8", {"detail": ERROR_NO_SUCH_PATH})


@pytest.mark.parametrize(("amount", "message"), [
    ("9" * 5000, forms.ERROR_AMOUNT_WHOLE_DIGITS),
    ("0." + "0" * 5000 + "1", forms.ERROR_AMOUNT_DECIMALS.format(places=4)),
], ids=["5,000 digits", "5,000 zeros after the point"])
def test_a_number_of_thousands_of_digits_is_said_at_its_field(anonymous_client, key_for, amount, message):
    """An integer of 5,000 digits was a 400, "Cannot parse request body" (with DEBUG, Python's own words about
    sys.set_int_max_str_digits); 0.000…1 was read as 0 and said to be no amount greater than zero."""
    raw = '{"lines": [{"compound": "magnesium-oxide", "amount": %s}]}' % amount
    response = anonymous_client.post(f"{API}/calculate", raw, content_type="application/json", **bearer(key_for()))

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "lines", 0, "amount"], "msg": message, "type": "value_error"}]


@pytest.mark.parametrize(("field", "message"), [("serving_size", forms.ERROR_SERVING_SIZE),
                                                ("servings_per_container", forms.ERROR_SERVINGS_PER_CONTAINER)])
def test_a_whole_number_of_thousands_of_digits_is_said_at_its_field_when_saving(anonymous_client, key_for, field, message):
    """A serving size of 5,000 digits was let through to the workbench's checks, which could not write it: a 500."""
    body = json.dumps(_product_body(**{field: 1234567})).replace("1234567", "9" * 5000)
    response = anonymous_client.post(f"{API}/products", body, content_type="application/json", **bearer(key_for()))

    assert response.status_code == 422
    assert [e for e in response.json()["detail"] if e["loc"][:2] == ["body", field]] == [
        {"loc": ["body", field], "msg": message, "type": "value_error"}]


@pytest.mark.parametrize("path", ["/products", "/calculate"])
def test_a_body_larger_than_the_api_reads_is_a_json_413(anonymous_client, key_for, settings, path):
    """A body of 3 MB was a 500 with Django's traceback (DEBUG on) or its HTML "Bad Request (400)" page."""
    from api.urls import ERROR_BODY_TOO_BIG

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps(_product_body(notes="x" * 2000))
    response = anonymous_client.post(f"{API}{path}", body, content_type="application/json", **bearer(key_for()))

    assert (response.status_code, response["Content-Type"], response.json()) == (
        413, "application/json; charset=utf-8", {"detail": ERROR_BODY_TOO_BIG.format(size=1000)})
    # Said by the schema too, which listed no 413 (nor /calculate's 403 for a session without its CSRF header).
    operation = anonymous_client.get(f"{API}/openapi.json").json()["paths"][f"/api/v1{path}"]["post"]
    assert {"413", *(["403"] if path == "/calculate" else [])} <= operation["responses"].keys()


def test_a_nul_in_a_lines_blend_is_said_in_the_apis_words(api):
    """"Null characters are not allowed.", Django's words, where every other field says what to do."""
    from api.schemas import ERROR_NUL

    response = api.post("/products", _product_body(lines=[{"compound": "glycine", "amount": 1, "blend": "Calm\x00"}]))

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "lines", 0, "blend"], "msg": ERROR_NUL, "type": "value_error"}]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
@pytest.mark.parametrize("path", ["/products", "/calculate"])
def test_a_body_not_sent_as_json_is_a_415_with_nothing_saved(anonymous_client, key_for, content_type, path):
    """JSON sent as text/plain or as a form (curl -d without the header) was read as JSON and saved."""
    from api.urls import ERROR_NOT_JSON
    from formulator.models import Product

    before = Product.objects.count()
    response = anonymous_client.post(f"{API}{path}", json.dumps(_product_body()), content_type=content_type,
                                     **bearer(key_for()))

    assert (response.status_code, response.json()) == (415, {"detail": ERROR_NOT_JSON.format(content_type=content_type.split(";")[0])})
    assert Product.objects.count() == before
    operation = anonymous_client.get(f"{API}/openapi.json").json()["paths"][f"/api/v1{path}"]["post"]
    assert "415" in operation["responses"]


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/vnd.formulator+json"])
def test_a_json_body_of_a_json_media_type_is_read(anonymous_client, key_for, content_type):
    """application/json with a charset, and a +json type, are JSON."""
    response = anonymous_client.post(f"{API}/calculate", json.dumps(_calc([_threonate()])), content_type=content_type,
                                     **bearer(key_for()))

    assert response.status_code == 200


def test_a_blend_name_is_saved_without_direction_or_invisible_characters(api):
    """A U+202E blend sent through the API was saved and printed reversed on the label panel and the sheets."""
    lines = [{"compound": "glycine", "amount": 1, "unit": "g", "blend": "\u202eCalm\u200b blend\u202e\u001b"}]
    created = api.post("/products", _product_body(name="API Blend", lines=lines))

    assert created.status_code == 201
    assert created.json()["lines"][0]["blend"] == "Calm blend"


def test_the_calculators_us_label_names_each_nutrient_as_the_sheets_panel_does(api, client):
    """/calculate said "Magnesium" where Recover's sheet says "Magnesium (as magnesium L-threonate)"."""
    for slug in ("recover", "luna", "moodflow"):
        product = api.get(f"/products/{slug}").json()
        body = {"lines": [{k: line[k] for k in ("compound", "amount", "unit", "overage_percent")} for line in product["lines"]],
                **{k: product[k] for k in ("servings_per_day", "markets", "population")}}
        label = api.post("/calculate", body).json()["label"]["US"]
        sheet = client.get(f"/products/{slug}/spec.json").json()["labels"]["US"]["rows"]

        assert [r["name"] for r in label] == [r["name"] for r in sheet]


def test_a_compound_slug_is_read_without_the_spaces_around_it_as_a_formula_is(api):
    """" glycine " was an unknown compound where "  MgO  " was read as MgO."""
    calculated = api.post("/calculate", _calc([{"compound": " glycine ", "amount": 500}]))
    created = api.post("/products", _product_body(name="API Spaced", lines=[{"compound": "glycine\t", "amount": 500}]))

    assert calculated.status_code == 200 and calculated.json()["lines"][0]["compound"] == "glycine"
    assert created.status_code == 201 and created.json()["lines"][0]["compound"] == "glycine"


@pytest.mark.parametrize("overage", ["-0", -0.0, "-0.00"])
def test_an_overage_of_minus_zero_is_given_back_as_zero(api, overage):
    response = api.post("/calculate", _calc([_threonate(overage_percent=overage)]))

    assert response.status_code == 200
    assert json.dumps(response.json()["lines"][0]["overage_percent"]) == "0.0"


@pytest.mark.parametrize("kind", ["products", "stacks"])
def test_designs_are_listed_in_the_pages_order_regardless_of_case(api, kind):
    """The API listed "race two" after "Sustain" (by code point), where the pages list it between "Luna" and "Sustain"."""
    from accounts.models import Team

    team = Team.objects.get(slug="ntrpx-labs")
    model = Product if kind == "products" else Stack
    model.objects.create(name="race two", slug="race-two", team=team, **({"markets": ["US"]} if kind == "stacks" else {}))
    if kind == "stacks":
        model.objects.create(name="Zinc day", slug="zinc-day", team=team, markets=["US"])

    listed = [item["name"] for item in api.get(f"/{kind}", {"limit": 100}).json()["items"]]

    assert listed == sorted(listed, key=lambda name: (name.lower(), name)) and "race two" in listed
    assert listed.index("race two") < len(listed) - 1


def test_another_teams_approved_product_is_read_only_without_advice_they_cannot_follow(api, rival_draft):
    """A rival's PUT to NTRPX's approved Luna was told to "start revision 2 on its page", which only NTRPX can."""
    Product.objects.filter(slug="luna").update(status="approved")

    response = api.as_user("rival").put("/products/luna", {"version": 1})

    assert (response.status_code, response.json()["detail"]) == (403, access.ERROR_APPROVED_NOT_YOURS.format(name="Luna"))


def test_reference_values_come_in_the_safety_tables_market_order(api):
    """Listed AU-NZ, CA, DE, EU, US (by code), where every safety table reads US, EU, CA, AU-NZ, DE."""
    items = api.get("/reference-values", {"nutrient": "magnesium", "limit": 100}).json()["items"]

    assert list(dict.fromkeys(v["market"] for v in items)) == ["US", "EU", "CA", "AU-NZ", "DE"]
