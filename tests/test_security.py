"""Sign-in limits, the Content Security Policy, and curation imports with per-row errors."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compounds.models import Compound

pytestmark = pytest.mark.django_db


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password():
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "formulator", "password": "wrong-password"})
        assert response.status_code in (200, 429)

    locked = client.post("/accounts/login/", {"username": "formulator", "password": "magnesium-demo-2026"})

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()


def test_signing_in_with_the_demo_password_works():
    response = Client().post("/accounts/login/", {"username": "viewer", "password": "magnesium-demo-2026"})

    assert response.status_code == 302 and response["Location"] == "/products/"


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/products/recover/edit")
    policy = response["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    assert "<script>" not in html and "onclick=" not in html and " style=" not in html


@pytest.mark.parametrize("model, key", [
    ("compounds/compound", {"slug": "magnesium-oxide"}),
    ("compounds/referencevalue", {"nutrient__slug": "magnesium", "kind": "UL", "market": "EU"}),
    ("evidence/study", {}),
    ("formulator/product", {"slug": "recover"}),
])
def test_admin_history_pages_hold_nothing_inline_the_policy_blocks(admin_client_logged_in, model, key):
    """simple-history's list held an inline style: blocked under the policy, an error in the browser's console."""
    from django.apps import apps

    instance = apps.get_model(model.replace("/", ".")).objects.filter(**key).first()
    html = admin_client_logged_in.get(f"/admin/{model}/{instance.pk}/history/").content.decode()

    assert "History" in html
    assert " style=" not in html and "<script>" not in html and "<style" not in html


def _import(client, url, content, name="rows.csv"):
    upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": "0", "resource": "0"})


def test_importing_compounds_previews_and_names_the_row_with_a_bad_formula(admin_client_logged_in):
    rows = "slug,name,formula,form_class\nmagnesium-citrate-test,Magnesium citrate test,MgC6H6O7,organic-salt\nbad-one,Bad one,MgQ2,inorganic-salt\n"

    response = _import(admin_client_logged_in, "/admin/compounds/compound/import/", rows)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Some rows failed to validate" in html
    assert re.search(r"<td>\s*2\s*</td>.*“MgQ2” is not a molecular formula", html, re.S)
    assert not Compound.objects.filter(slug__in=["magnesium-citrate-test", "bad-one"]).exists()


def test_a_valid_compound_import_is_previewed_then_confirmed_and_gets_its_fractions(admin_client_logged_in):
    rows = "slug,name,formula,form_class\nmagnesium-citrate-test,Magnesium citrate test,MgC6H6O7,organic-salt\n"

    preview = _import(admin_client_logged_in, "/admin/compounds/compound/import/", rows)
    assert "Magnesium citrate test" in preview.content.decode()
    form = preview.context["confirm_form"]
    admin_client_logged_in.post("/admin/compounds/compound/process_import/", {**form.initial})

    compound = Compound.objects.get(slug="magnesium-citrate-test")
    page = admin_client_logged_in.get("/compounds/magnesium-citrate-test/").content.decode()
    assert compound.contributions.get().nutrient.slug == "magnesium"
    assert "11.34%" in page  # computed from the imported formula


def test_reference_values_and_studies_export(admin_client_logged_in):
    for url in ("/admin/compounds/referencevalue/export/", "/admin/evidence/study/export/"):
        assert admin_client_logged_in.get(url).status_code == 200


def test_there_is_no_password_reset_that_says_it_emailed_what_it_cannot_send(anonymous_client, client):
    """/accounts/password_reset/ said "We've emailed you instructions" while the site sends no email."""
    assert anonymous_client.get("/accounts/password_reset/").status_code == 404
    login = anonymous_client.get("/accounts/login/")
    assert login.status_code == 200 and "The site's administrator sets a new one" in login.content.decode()
    assert client.get("/accounts/password_change/").status_code == 200


def test_a_signed_out_htmx_request_is_a_401_not_the_sign_in_page(anonymous_client):
    """A session expired mid-edit: htmx followed the redirect and swapped the sign-in page into the figures."""
    from formulator.middleware import ERROR_SIGNED_OUT

    htmx = anonymous_client.post("/products/recover/edit", {"_action": "calculate"}, HTTP_HX_REQUEST="true")
    page = anonymous_client.post("/products/recover/edit", {"_action": "calculate"})

    assert (htmx.status_code, htmx.content.decode()) == (401, ERROR_SIGNED_OUT)
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", [
    "/products/recover/spec.pdf", "/products/recover/spec.json", "/products/recover/spec.csv", "/products/recover/spec/",
    "/stacks/ntrpx-daily/spec.pdf", "/products/", "/products/recover/", "/stacks/ntrpx-daily/", "/compare/?products=recover,luna",
    "/compare/export.csv?products=recover,luna", "/products/recover/history/", "/compounds/", "/compounds/magnesium-oxide/",
    "/reference-values/", "/evidence/", "/evidence/grades/",
])
def test_a_read_only_page_answers_only_get_and_head(client, path):
    """OPTIONS on a spec sheet answered 200 with the whole PDF, and said nothing of the methods it takes."""
    options = client.options(path)

    assert (options.status_code, options["Allow"]) == (405, "GET, HEAD")
    assert not options.content.startswith(b"%PDF")
    assert client.head(path).status_code == 200


def test_a_save_sent_signed_out_without_javascript_comes_back_after_signing_in_unsaved(anonymous_client):
    """Without JavaScript, a save with the session expired went to the sign-in page, and what was typed was lost."""
    from formulator.middleware import MESSAGE_TYPING_KEPT
    from formulator.models import Product
    from tests.test_workbench import recover_post

    sent = anonymous_client.post("/products/recover/edit", recover_post(**{"lines-0-amount": "3000", "_action": "save"}))
    signed_in = anonymous_client.post(sent["Location"].split("?")[0] + "?" + sent["Location"].split("?")[1],
                                      {"username": "formulator", "password": "magnesium-demo-2026"}, follow=True)
    page = signed_in.content.decode()
    again = anonymous_client.get("/products/recover/edit").content.decode()

    assert sent.status_code == 302 and signed_in.redirect_chain[-1][0] == "/products/recover/edit"
    assert MESSAGE_TYPING_KEPT in page and 'name="lines-0-amount" value="3000"' in re.sub(r"\s+", " ", page)
    assert '<strong id="mg-serving">216 mg</strong>' in page  # 3,000 mg of threonate's figures
    assert Product.objects.get(slug="recover").lines.get().amount == 2000  # nothing saved unseen
    assert MESSAGE_TYPING_KEPT not in again and '<strong id="mg-serving">144 mg</strong>' in again  # once


def test_a_stacks_post_sent_signed_out_comes_back_to_its_own_editor_once(anonymous_client):
    from formulator.middleware import MESSAGE_TYPING_KEPT

    sent = anonymous_client.post("/stacks/ntrpx-daily/edit", {"name": "Renamed while signed out", "_action": "save"})
    own = anonymous_client.post(sent["Location"], {"username": "formulator", "password": "magnesium-demo-2026"},
                                follow=True).content.decode()
    other = anonymous_client.get("/products/recover/edit").content.decode()

    assert MESSAGE_TYPING_KEPT in own and 'value="Renamed while signed out"' in own
    assert MESSAGE_TYPING_KEPT not in other and "Renamed while signed out" not in other


def test_an_editors_post_with_an_old_token_goes_back_to_it_with_what_was_typed(django_user_model):
    """Signed in again in another tab, without JavaScript: the open editor's save met Django's bare CSRF page."""
    from formulator.middleware import MESSAGE_TYPING_KEPT
    from formulator.views import ERROR_CSRF
    from tests.test_workbench import recover_post

    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.get(username="formulator"))
    client.get("/products/recover/edit")  # a token in the cookie, other than the one the form sends
    data = recover_post(**{"lines-0-amount": "3000", "_action": "save", "csrfmiddlewaretoken": "x" * 32})

    sent = client.post("/products/recover/edit", data, HTTP_ORIGIN="http://testserver")
    page = client.get(sent["Location"]).content.decode()
    forged = client.post("/products/recover/edit", data, HTTP_ORIGIN="https://elsewhere.example")
    after = client.get("/products/recover/edit").content.decode()

    assert sent.status_code == 302 and sent["Location"] == "/products/recover/edit"
    assert MESSAGE_TYPING_KEPT in page and '<strong id="mg-serving">216 mg</strong>' in page
    assert forged.status_code == 403 and ERROR_CSRF in forged.content.decode() and 'class="messages"' not in after
    assert '<strong id="mg-serving">144 mg</strong>' in after  # nothing saved, nothing forged shown
