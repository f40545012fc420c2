"""Compounds saved with a formula the parser has since come to refuse or to read otherwise: every page still loads, and
says so where its figures are missing or rest on something else."""

import csv
import html
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from api.services import token_create
from compounds import admin, selectors
from compounds.chemistry import ERROR_SEPARATOR_IN_BRACKETS, ERROR_ZERO_FOR_O
from compounds.models import Compound, CompoundNutrient, Nutrient
from formulator import reports
from formulator.models import Product, ProductLine
from tests.test_workbench import recover_post

pytestmark = pytest.mark.django_db

ZERO_FOR_O = ERROR_ZERO_FOR_O.format(formula="MgS04·7H2O", suggested="MgSO4·7H2O")


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def saved_before(formula: str, specified: Decimal | None = None) -> Compound:
    """A compound saved when its formula was read, as an old database holds it: past the checks the admin runs now."""
    compound = Compound.objects.create(name="Old Epsom salt", slug="old-epsom-salt", formula=formula,
                                       form_class=Compound.FormClass.INORGANIC_SALT)
    CompoundNutrient.objects.create(compound=compound, nutrient=Nutrient.objects.get(slug="magnesium"),
                                    specified_fraction=specified, specified_source="CoA lot 7" if specified else "")
    return compound


def on_recover(compound: Compound) -> None:
    ProductLine.objects.create(product=Product.objects.get(slug="recover"), compound=compound, amount=Decimal(1000),
                               unit="mg", position=5)


def refused(lead: str = selectors.LEAD_PREVIEW) -> str:
    return selectors.MESSAGE_FORMULA_REFUSED.format(lead=lead, compound="Old Epsom salt", formula="MgS04·7H2O",
                                                    reason=ZERO_FOR_O)


def test_the_selector_says_a_refused_formula_with_the_parsers_message():
    compound = saved_before("MgS04·7H2O")

    assert selectors.compound_formula_checks(compound) == [refused()]
    assert selectors.compounds_needing_check() == [(compound, [refused()])]


def test_a_formula_refused_for_a_separator_in_brackets_is_said_with_that_message():
    compound = saved_before("(MgCl2·6H2O)2")

    assert selectors.compound_formula_checks(compound) == [selectors.MESSAGE_FORMULA_REFUSED.format(
        lead=selectors.LEAD_PREVIEW, compound="Old Epsom salt", formula="(MgCl2·6H2O)2", reason=ERROR_SEPARATOR_IN_BRACKETS)]


def test_the_seed_library_needs_no_check():
    assert selectors.compounds_needing_check() == []


@pytest.mark.parametrize("formula", ["MgS04·7H2O", "Mg(0H)2", "(MgCl2·6H2O)2"])
def test_the_library_and_the_compounds_page_load_and_say_the_formula_is_refused(client, formula):
    saved_before(formula)

    listed = client.get("/compounds/")
    page = client.get("/compounds/old-epsom-salt/")

    assert listed.status_code == 200 and "Old Epsom salt" in text(listed)
    assert page.status_code == 200
    assert selectors.MESSAGE_FORMULA_REFUSED.split(":")[0].format(lead=selectors.LEAD_PREVIEW) in text(page)
    assert client.get("/compounds/compare/").status_code == 200


def test_the_compounds_page_says_it_in_the_parsers_words(client):
    saved_before("MgS04·7H2O")

    assert refused() in text(client.get("/compounds/old-epsom-salt/"))


def test_the_admin_says_it_on_the_change_page_and_filters_such_compounds(admin_client_logged_in):
    compound = saved_before("MgS04·7H2O")

    change = admin_client_logged_in.get(f"/admin/compounds/compound/{compound.pk}/change/")
    listed = admin_client_logged_in.get("/admin/compounds/compound/")
    filtered = admin_client_logged_in.get("/admin/compounds/compound/?formula_check=needs")

    assert refused() in text(change)
    assert listed.status_code == 200 and "By formula check" in text(listed)  # as "By form class" beside it
    assert admin.FILTER_FORMULA_CHECK_NEEDS in text(listed)
    assert "Old Epsom salt" in text(filtered) and "Magnesium oxide" not in text(filtered)


def test_library_check_lists_them_and_fails(capsys):
    saved_before("MgS04·7H2O")
    out = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("library_check", stdout=out)

    assert exited.value.code == 1
    assert refused() in out.getvalue()


def test_library_check_passes_on_the_seed():
    out = StringIO()

    call_command("library_check", stdout=out)

    assert out.getvalue().strip() == selectors.MESSAGE_LIBRARY_CHECKED.format(count=Compound.objects.count())


def test_load_seed_runs_and_says_them():
    saved_before("MgS04·7H2O")
    out = StringIO()

    call_command("load_seed", "--no-demo-user", stdout=out)

    assert refused() in out.getvalue()


def product_note(nutrients: str = "magnesium") -> str:
    return reports.NOTE_FORMULA_REFUSED.format(compound="Old Epsom salt", formula="MgS04·7H2O", reason=ZERO_FOR_O,
                                               nutrients=nutrients)


def test_a_product_with_it_loads_everywhere_and_says_its_magnesium_is_not_counted(client):
    on_recover(saved_before("MgS04·7H2O"))
    post = recover_post(**{"lines-TOTAL_FORMS": "2", "lines-1-compound": "old-epsom-salt", "lines-1-amount": "1000",
                           "lines-1-unit": "mg", "lines-1-overage_percent": "0", "lines-1-target_mg": ""})

    product = client.get("/products/recover/")
    editor = client.get("/products/recover/edit")
    keystroke = client.post("/products/recover/edit", post, HTTP_HX_REQUEST="true")

    for response in (product, editor, keystroke):
        assert response.status_code == 200
        assert product_note() in text(response)
    assert '<td>Magnesium</td><td class="num">144 mg</td>' in product.content.decode()  # the threonate's alone
    for url in ("/products/", "/stacks/ntrpx-daily/", "/stacks/ntrpx-daily/edit", "/compare/?products=recover&products=luna",
                "/products/recover/spec.pdf", "/products/recover/spec.csv"):
        assert client.get(url).status_code == 200, url
    assert product_note() in text(client.get("/products/recover/spec/"))
    assert client.get("/products/recover/spec.json").json()["formulas_refused"] == [product_note()]


def test_a_supplier_fraction_stands_in_for_a_refused_formula_and_the_page_says_so(client):
    on_recover(saved_before("MgS04·7H2O", specified=Decimal("0.0986")))

    page = client.get("/products/recover/")

    assert '<td>Magnesium</td><td class="num">243 mg</td>' in page.content.decode()  # 144 mg + 98.6 mg at the CoA's 9.86%
    assert reports.NOTE_FORMULA_REFUSED_SPECIFIED.format(
        compound="Old Epsom salt", formula="MgS04·7H2O", reason=ZERO_FOR_O, nutrients="magnesium") in text(page)


def test_approval_is_blocked_while_a_line_counts_nothing_of_a_refused_formula(client):
    from formulator import services

    on_recover(saved_before("MgS04·7H2O"))
    library = reports.Library.load()
    report = reports.saved_product_report(Product.objects.get(slug="recover"), library, library.evidence())

    assert product_note() in services.product_approval_blockers(report, ["US", "EU"])


@pytest.fixture
def api_headers(django_user_model):
    _, key = token_create(user=django_user_model.objects.get(username="demo"), name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_answers_and_warns(anonymous_client, api_headers):
    on_recover(saved_before("MgS04·7H2O"))

    compound = anonymous_client.get("/api/v1/compounds/old-epsom-salt", **api_headers)
    assert compound.status_code == 200 and compound.json()["molecular_weight"] is None
    for path in ("/api/v1/products", "/api/v1/products/recover", "/api/v1/products/recover/spec"):
        assert anonymous_client.get(path, **api_headers).status_code == 200, path
    calculated = anonymous_client.post("/api/v1/calculate", json.dumps({
        "lines": [{"compound": "old-epsom-salt", "amount": 1000, "unit": "mg"}], "servings_per_day": 1,
        "markets": ["US"], "population": "adult"}), content_type="application/json", **api_headers)
    assert calculated.status_code == 200
    assert {"loc": ["body", "lines", 0, "compound"], "msg": product_note()} in calculated.json()["warnings"]


def test_a_bracketed_hydrate_saved_before_it_was_read_as_the_hydrate_is_said(client):
    """"(MgCl2·6H2O)" was weighed as (MgCl2(H2O))6, 21.47% magnesium; it is now the hexahydrate's 11.96%."""
    compound = saved_before("(MgCl2·6H2O)")
    said = selectors.MESSAGE_FORMULA_READ_ANEW.format(lead=selectors.LEAD_PREVIEW, compound="Old Epsom salt",
                                                      formula="(MgCl2·6H2O)", normalised="MgCl2(H2O)6",
                                                      within="MgCl2·6H2O")

    assert selectors.compound_formula_checks(compound) == [said]
    assert said in text(client.get("/compounds/old-epsom-salt/"))


def test_a_specified_fraction_above_what_the_formula_holds_as_read_now_is_said(client):
    """Saved against (MgCl2(H2O))6's 21.47%, a specified 20% is above the hexahydrate's 11.96%."""
    compound = saved_before("(MgCl2·6H2O)", specified=Decimal("0.2"))

    said = selectors.compound_formula_checks(compound)

    assert selectors.MESSAGE_SPECIFIED_ABOVE_FORMULA.format(
        lead=selectors.LEAD_PREVIEW, compound="Old Epsom salt", specified="20.00%", nutrient="magnesium",
        formula="(MgCl2·6H2O)", theoretical="11.96%") in said


def stack_note(products: str = "Recover") -> str:
    return reports.NOTE_STACK_FORMULA_REFUSED.format(products=products, note=product_note())


def test_a_stack_with_a_product_with_it_says_what_its_figures_leave_out_naming_the_product(client, anonymous_client,
                                                                                           api_headers):
    from tests.test_workbench import HX, stack_post

    on_recover(saved_before("MgS04·7H2O"))

    page = client.get("/stacks/ntrpx-daily/")
    editor = client.get("/stacks/ntrpx-daily/edit")
    keystroke = client.post("/stacks/ntrpx-daily/edit", stack_post(), **HX)
    sheet = client.get("/stacks/ntrpx-daily/spec/")

    for response in (page, editor, keystroke, sheet):
        assert response.status_code == 200
        assert text(response).count(stack_note()) == 1
    assert client.get("/stacks/ntrpx-daily/spec.pdf").status_code == 200
    assert client.get("/stacks/ntrpx-daily/spec.json").json()["formulas_refused"] == [stack_note()]
    rows = list(csv.reader(StringIO(client.get("/stacks/ntrpx-daily/spec.csv").content.decode().lstrip("\ufeff"))))
    assert ["formulas_refused", "formulas_refused[0]", "", stack_note()] in rows
    assert anonymous_client.get("/api/v1/stacks/ntrpx-daily", **api_headers).json()["formulas_refused"] == [stack_note()]


def test_a_stack_says_it_once_for_a_compound_of_two_products_naming_both(client):
    from tests.test_workbench import HX, stack_post

    compound = saved_before("MgS04·7H2O")
    on_recover(compound)
    ProductLine.objects.create(product=Product.objects.get(slug="luna"), compound=compound, amount=Decimal(500),
                               unit="mg", position=5)

    keystroke = text(client.post("/stacks/ntrpx-daily/edit", stack_post(**{"items-3-product": "recover"}), **HX))

    assert keystroke.count(product_note()) == 1
    assert stack_note("Recover and Luna") in keystroke


def test_a_stack_without_such_a_compound_says_nothing_of_it(client):
    assert client.get("/stacks/ntrpx-daily/spec.json").json()["formulas_refused"] == []
    assert "formula-refused" not in client.get("/stacks/ntrpx-daily/").content.decode()


def test_the_product_comparison_says_it_of_the_design_with_it_in_a_row_and_the_csv(client):
    from formulator import compare

    on_recover(saved_before("MgS04·7H2O"))

    page = client.get("/compare/?products=recover&products=luna")
    rows = list(csv.reader(StringIO(client.get("/compare/export.csv?products=recover&products=luna")
                                    .content.decode().lstrip("\ufeff"))))

    assert page.status_code == 200
    assert f"{compare.ROW_FORMULAS_REFUSED} {product_note()} {compare.NO_FORMULAS_REFUSED}" in text(page)
    assert [compare.GROUP_COMPARED, compare.ROW_FORMULAS_REFUSED, product_note(), compare.NO_FORMULAS_REFUSED] in rows


def test_the_stack_comparison_says_it_too_and_a_comparison_without_it_has_no_such_row(client):
    from accounts.models import Team
    from formulator import compare, services

    services.stack_save(stack=None, fields={"name": "Luna only", "markets": ["US", "EU"], "population": "adult", "notes": ""},
                        items=[services.ItemData(Product.objects.get(slug="luna"), Decimal(1), "evening")],
                        expected_version=None, team=Team.objects.get(slug="ntrpx-labs"))
    assert compare.ROW_FORMULAS_REFUSED not in text(client.get("/compare/?stacks=ntrpx-daily&stacks=luna-only"))
    on_recover(saved_before("MgS04·7H2O"))

    assert f"{compare.ROW_FORMULAS_REFUSED} {stack_note()} {compare.NO_FORMULAS_REFUSED}" in text(
        client.get("/compare/?stacks=ntrpx-daily&stacks=luna-only"))


def compare_missing() -> str:
    from compounds import views

    return views.MISSING_FORMULA_REFUSED.format(compound="Old Epsom salt", formula="MgS04·7H2O", reason=ZERO_FOR_O)


def test_the_compound_comparison_says_why_a_refused_formula_has_no_row(client):
    saved_before("MgS04·7H2O")

    page = client.get("/compounds/compare/")
    picked = client.get("/compounds/compare/", {"compounds": "old-epsom-salt", "picked": "1"}, HTTP_HX_REQUEST="true")

    assert 'data-compound="old-epsom-salt"' not in page.content.decode()
    assert text(page).count(compare_missing()) == 1
    assert compare_missing() in text(picked)
    assert compare_missing() not in text(client.get("/compounds/compare/", {"compounds": "magnesium-oxide"}))


def test_the_compound_comparison_compares_a_refused_formula_at_its_specified_fraction_without_that_line(client):
    saved_before("MgS04·7H2O", specified=Decimal("0.0986"))

    page = client.get("/compounds/compare/")

    assert 'data-compound="old-epsom-salt"' in page.content.decode()
    assert "has no row" not in text(page) and "Old Epsom salt's formula" not in text(page)


def test_the_library_list_marks_a_compound_whose_formula_needs_checking(client):
    saved_before("MgS04·7H2O")

    listed = client.get("/compounds/")
    row = listed.content.decode().split("old-epsom-salt", 1)[1].split("</tr>")[0]

    assert selectors.FORMULA_NEEDS_CHECK in text(listed)
    assert selectors.FORMULA_NEEDS_CHECK in row
    assert text(listed).count(selectors.FORMULA_NEEDS_CHECK) == 1  # the seed's compounds need none


def test_the_library_list_asks_no_more_queries_for_more_such_compounds(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    saved_before("MgS04·7H2O")
    with CaptureQueriesContext(connection) as one:
        client.get("/compounds/")
    for n, formula in enumerate(["Mg(0H)2", "(MgCl2·6H2O)2", "(MgCl2·6H2O)"]):
        compound = Compound.objects.create(name=f"Old {n}", slug=f"old-{n}", formula=formula,
                                           form_class=Compound.FormClass.INORGANIC_SALT)
        CompoundNutrient.objects.create(compound=compound, nutrient=Nutrient.objects.get(slug="magnesium"))
    with CaptureQueriesContext(connection) as four:
        listed = client.get("/compounds/")

    assert text(listed).count(selectors.FORMULA_NEEDS_CHECK) == 4
    assert len(four) == len(one)


def test_the_api_says_a_compounds_formula_checks_in_its_list_and_its_detail(anonymous_client, api_headers):
    saved_before("MgS04·7H2O")

    detail = anonymous_client.get("/api/v1/compounds/old-epsom-salt", **api_headers).json()
    listed = anonymous_client.get("/api/v1/compounds", {"q": "epsom", "limit": 100}, **api_headers).json()["items"]
    oxide = anonymous_client.get("/api/v1/compounds/magnesium-oxide", **api_headers).json()
    schema = anonymous_client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CompoundOut"]

    assert detail["formula_checks"] == [refused()]
    assert {c["slug"]: c["formula_checks"] for c in listed} == {"old-epsom-salt": [refused()],
                                                                  "magnesium-sulfate-heptahydrate": []}
    assert oxide["formula_checks"] == []
    assert schema["properties"]["formula_checks"]["description"]


def test_the_library_list_reads_a_refused_formula_once_not_at_every_ask(client, monkeypatch):
    """parsed_formula keeps what it reads, not what it refuses: the list asks of each row's weight, fractions and checks."""
    saved_before("MgS04·7H2O")
    read = []
    parse = selectors.parse_formula
    monkeypatch.setattr(selectors, "parse_formula", lambda formula: read.append(formula) or parse(formula))
    selectors.formula_refused.cache_clear()

    client.get("/compounds/")
    client.get("/compounds/")

    assert read.count("MgS04·7H2O") == 1


def test_the_api_product_says_what_its_figures_leave_out(anonymous_client, api_headers):
    on_recover(saved_before("MgS04·7H2O"))

    product = anonymous_client.get("/api/v1/products/recover", **api_headers).json()
    luna = anonymous_client.get("/api/v1/products/luna", **api_headers).json()

    assert product["formulas_refused"] == [product_note()]
    assert luna["formulas_refused"] == []
