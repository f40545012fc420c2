"""The permission matrix: every role against every page and action, and other teams' designs."""


import html
import json
import re

import pytest
from django.test import Client

from accounts.models import Role, Team
from accounts.services import membership_set
from formulator.models import Product
from tests.factories import ProductFactory, ProductLineFactory
from tests.test_workbench import recover_post

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "formulator", "curator", "demo"]  # demo is the team's admin
ALLOWED, FORBIDDEN, HIDDEN, TO_SIGN_IN, REDIRECT = 200, 403, 404, "sign-in", 302


@pytest.fixture
def rival(django_user_model):
    """Another team with a draft, an in-review and an approved product."""
    team = Team.objects.create(name="Rival Labs", slug="rival-labs")
    user = django_user_model.objects.create_user("rival", password="a-long-test-password")
    membership_set(user, team, Role.FORMULATOR)
    products = {}
    for status in ("draft", "in-review", "approved"):
        product = ProductFactory(slug=f"rival-{status}", name=f"Rival {status}", team=team, status=status)
        ProductLineFactory(product=product)
        products[status] = product
    return products


def as_user(username, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


def status_of(response) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return TO_SIGN_IN
    return response.status_code


MATRIX = [
    # (method, url, data, {role: expected})
    ("get", "/products/", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/products/recover/", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/products/recover/spec.pdf", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/products/recover/spec.json", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/products/recover/history/", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/stacks/ntrpx-daily/", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/compare/?products=recover,luna", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/compounds/", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/evidence/", None, dict.fromkeys(ROLES, ALLOWED)),
    ("get", "/products/recover/edit", None, {"viewer": FORBIDDEN, "formulator": ALLOWED, "curator": FORBIDDEN, "demo": ALLOWED}),
    ("get", "/products/new", None, {"viewer": FORBIDDEN, "formulator": ALLOWED, "curator": FORBIDDEN, "demo": ALLOWED}),
    ("get", "/stacks/ntrpx-daily/edit", None, {"viewer": FORBIDDEN, "formulator": ALLOWED, "curator": FORBIDDEN, "demo": ALLOWED}),
    ("post", "/products/recover/edit", recover_post(_action="save"),
     {"viewer": FORBIDDEN, "formulator": REDIRECT, "curator": FORBIDDEN, "demo": REDIRECT}),
    ("post", "/products/recover/duplicate", {}, {"viewer": FORBIDDEN, "formulator": REDIRECT, "curator": FORBIDDEN, "demo": REDIRECT}),
    ("post", "/products/recover/status", {"status": "in-review", "version": "1"},
     {"viewer": FORBIDDEN, "formulator": REDIRECT, "curator": FORBIDDEN, "demo": REDIRECT}),
    ("post", "/products/recover/status", {"status": "approved"}, dict.fromkeys(ROLES, FORBIDDEN)),  # not in review yet
    ("get", "/admin/compounds/compound/", None, {"viewer": REDIRECT, "formulator": REDIRECT, "curator": ALLOWED, "demo": ALLOWED}),
    ("get", "/admin/compounds/compound/import/", None, {"viewer": REDIRECT, "formulator": REDIRECT, "curator": ALLOWED, "demo": ALLOWED}),
    ("get", "/admin/evidence/interaction/import/", None, {"viewer": REDIRECT, "formulator": REDIRECT, "curator": ALLOWED, "demo": ALLOWED}),
    ("get", "/admin/evidence/study/", None, {"viewer": REDIRECT, "formulator": REDIRECT, "curator": ALLOWED, "demo": ALLOWED}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "data", "expected"), MATRIX, ids=[f"{m} {u} {sorted(d or {})[:1]}" for m, u, d, _ in MATRIX])
def test_role_matrix(django_user_model, role, method, url, data, expected):
    client = as_user(role, django_user_model)
    response = client.get(url) if method == "get" else client.post(url, data)

    assert status_of(response) == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_admin_approves_a_product_in_review(django_user_model, role):
    # MagTech Complex is within its limits and fits its capsules (Recover does not fit: tests/test_approval.py).
    Product.objects.filter(slug="magtech-complex").update(status="in-review")

    response = as_user(role, django_user_model).post("/products/magtech-complex/status", {"status": "approved", "version": "1"})

    assert status_of(response) == (REDIRECT if role == "demo" else FORBIDDEN)
    assert Product.objects.get(slug="magtech-complex").status == ("approved" if role == "demo" else "in-review")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/products/rival-draft/", HIDDEN),
        ("/products/rival-draft/spec.pdf", HIDDEN),
        ("/products/rival-draft/edit", HIDDEN),
        ("/products/rival-in-review/", ALLOWED),
        ("/products/rival-in-review/edit", FORBIDDEN),
        ("/products/rival-approved/", ALLOWED),
    ],
)
def test_another_teams_drafts_are_invisible_and_their_designs_read_only(rival, django_user_model, role, url, expected):
    assert status_of(as_user(role, django_user_model).get(url)) == expected


def test_another_teams_drafts_are_left_out_of_lists_and_comparisons(rival, django_user_model):
    client = as_user("formulator", django_user_model)

    listing = client.get("/products/").content.decode()
    comparison = client.get("/compare/", {"products": "recover,rival-draft"}).content.decode()

    assert "Rival draft" not in listing and "Rival in-review" in listing
    assert "Unknown product: rival-draft." in comparison


@pytest.mark.parametrize("url", ["/products/", "/products/recover/", "/products/recover/edit", "/compounds/", "/evidence/",
                                 "/compare/", "/products/recover/spec.pdf", "/stacks/ntrpx-daily/"])
def test_anonymous_visitors_are_sent_to_sign_in(anonymous_client, url):
    response = anonymous_client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_sign_in_page_and_health_check_are_open(anonymous_client):
    assert anonymous_client.get("/accounts/login/").status_code == 200
    assert anonymous_client.get("/healthz").content == b"ok"


def test_the_sign_in_page_offers_no_menu_of_pages_that_send_back_to_it(anonymous_client, client):
    """Signed out, the menu listed Products, Stacks, Compounds …, each of which answered with the sign-in page."""
    assert ">Stacks</a>" not in anonymous_client.get("/accounts/login/").content.decode()
    assert ">Stacks</a>" in client.get("/products/recover/").content.decode()


def test_a_new_product_belongs_to_its_creators_team(django_user_model):
    client = as_user("formulator", django_user_model)

    client.post("/products/new", recover_post(name="Team Product", version="", _action="save"))

    assert Product.objects.get(slug="team-product").team.slug == "ntrpx-labs"


def test_an_approved_product_is_read_only_and_a_revision_starts_as_a_draft(django_user_model):
    Product.objects.filter(slug="recover").update(status="approved")
    client = as_user("formulator", django_user_model)

    edit = client.get("/products/recover/edit")
    revise = client.post("/products/recover/revise")

    assert edit.status_code == 302 and edit["Location"] == "/products/recover/"
    assert revise.status_code == 302 and revise["Location"] == "/products/recover/edit"
    product = Product.objects.get(slug="recover")
    assert (product.status, product.revision) == ("draft", 2)
    assert "revision 2 (draft)" in client.get("/products/recover/spec/").content.decode()
    assert status_of(as_user("viewer", django_user_model).post("/products/recover/revise")) == FORBIDDEN


def test_a_signed_in_page_loads_the_membership_with_the_user(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/products/").status_code == 200

    user_queries = [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"]]
    assert len(user_queries) == 1 and '"accounts_membership"' in user_queries[0]
    assert not [q["sql"] for q in queries if 'FROM "accounts_membership"' in q["sql"]]


def test_an_inactive_user_is_signed_out_as_with_django_s_own_backend(django_user_model):
    from accounts.backends import MembershipModelBackend

    user = django_user_model.objects.get(username="viewer")
    client = Client()
    client.force_login(user)
    django_user_model.objects.filter(pk=user.pk).update(is_active=False)

    assert MembershipModelBackend().get_user(user.pk) is None
    assert MembershipModelBackend().get_user(10**9) is None
    assert client.get("/products/").status_code == 302


@pytest.mark.parametrize(("role", "offered"), [("viewer", False), ("curator", False), ("formulator", True)])
def test_the_lists_offer_new_and_edit_only_to_who_may_use_them(django_user_model, role, offered):
    client = as_user(role, django_user_model)

    products = client.get("/products/").content.decode()
    stacks = client.get("/stacks/").content.decode()

    assert ('href="/products/new"' in products) is offered
    assert ('href="/products/recover/edit"' in products) is offered
    assert ('href="/stacks/new"' in stacks) is offered
    assert ('href="/stacks/ntrpx-daily/edit"' in stacks) is offered


def test_a_refused_page_says_why_in_the_site_layout(django_user_model):
    response = as_user("viewer", django_user_model).get("/products/new")
    html = response.content.decode()

    assert response.status_code == 403
    assert "Your role or team does not allow this change." in html
    assert '<a href="/products/">Back to the products</a>' in html
    assert '<header class="site-header">' in html  # the site's own page, with its navigation


@pytest.mark.parametrize(("method", "url"), [("get", "/products/new"), ("get", "/stacks/new"),
                                           ("post", "/products/recover/duplicate")])
def test_a_superuser_in_no_team_is_told_to_join_one_before_creating_designs(django_user_model, method, url):
    """A product a superuser in no team made belonged to none: no one but a superuser could ever see it."""
    from accounts.permissions import ERROR_NO_TEAM

    django_user_model.objects.create_superuser("root", "root@example.com", "a-long-test-password")
    client = Client()
    client.force_login(django_user_model.objects.get(username="root"))

    response = getattr(client, method)(url)

    assert response.status_code == 403
    assert html.escape(ERROR_NO_TEAM) in response.content.decode()
    assert 'href="/products/new"' not in client.get("/products/").content.decode()
    assert not Product.objects.filter(team=None).exists()


def test_a_refused_stack_page_leads_back_to_the_stacks(django_user_model):
    """Offer the way back to the stacks, not the products, when a stack page is refused."""
    response = as_user("viewer", django_user_model).get("/stacks/new")
    html = response.content.decode()

    assert response.status_code == 403
    assert '<a href="/stacks/">Back to the stacks</a>' in html
    assert "Back to the products" not in html


def test_a_team_admin_sees_in_the_admin_only_what_the_site_shows_them(rival, django_user_model):
    """The demo team's admin listed, opened and could delete another team's draft in the Django admin."""
    client = as_user("demo", django_user_model)
    draft, in_review = rival["draft"], rival["in-review"]

    listing = client.get("/admin/formulator/product/").content.decode()
    opened = client.get(f"/admin/formulator/product/{draft.pk}/change/")
    history = client.get(f"/admin/formulator/product/{draft.pk}/history/")
    deleting = client.post(f"/admin/formulator/product/{in_review.pk}/delete/", {"post": "yes"})

    assert "Rival in-review" in listing and "Rival draft" not in listing
    assert opened.status_code == REDIRECT and opened["Location"] == "/admin/"  # the admin's "does not exist"
    assert history.status_code == HIDDEN
    assert deleting.status_code == FORBIDDEN and Product.objects.filter(pk=in_review.pk).exists()
    assert client.get(f"/admin/formulator/product/{in_review.pk}/history/").status_code == ALLOWED


def test_a_team_admin_manages_only_their_own_team_and_its_members(rival, django_user_model):
    """The demo team's admin could rename another team, and move its members into their own by saving a membership."""
    client = as_user("demo", django_user_model)
    rival_user = django_user_model.objects.get(username="rival")
    own = Team.objects.get(slug="ntrpx-labs")
    other = Team.objects.get(slug="rival-labs")

    teams = client.get("/admin/accounts/team/").content.decode()
    members = client.get("/admin/accounts/membership/").content.decode()
    taken = client.post("/admin/accounts/membership/add/", {"user": rival_user.pk, "team": own.pk, "role": Role.VIEWER})
    renamed = client.post(f"/admin/accounts/team/{other.pk}/change/", {"name": "Renamed", "slug": "rival-labs"})

    assert "NTRPX Labs" in teams and "Rival Labs" not in teams
    assert "rival" not in members.split("<tbody", 1)[-1] and "Rival Labs" not in members
    assert taken.status_code == ALLOWED and "Select a valid choice" in taken.content.decode()
    assert rival_user.membership.team == other  # refused: still the rival team's
    assert renamed.status_code == REDIRECT and Team.objects.get(pk=other.pk).name == "Rival Labs"
    assert client.get("/admin/accounts/team/add/").status_code == FORBIDDEN


def test_a_superuser_still_manages_every_team(rival, admin_client_logged_in):
    assert "Rival Labs" in admin_client_logged_in.get("/admin/accounts/team/").content.decode()
    assert "Rival draft" in admin_client_logged_in.get("/admin/formulator/product/").content.decode()


def test_a_team_admin_picks_a_new_member_from_the_users_they_may_take(rival, django_user_model):
    """The user field's autocomplete asked the users' admin, which a team admin may not view: it found no one."""
    client = as_user("demo", django_user_model)
    newcomer = django_user_model.objects.create_user("newcomer", password="a-long-test-password")
    own = Team.objects.get(slug="ntrpx-labs")

    for page in ("/admin/accounts/membership/add/", f"/admin/accounts/team/{own.pk}/change/"):
        form = client.get(page).content.decode()
        assert "admin-autocomplete" not in form
        assert f'<option value="{newcomer.pk}">newcomer</option>' in form and ">rival</option>" not in form
    added = client.post("/admin/accounts/membership/add/", {"user": newcomer.pk, "team": own.pk, "role": Role.VIEWER})

    assert added.status_code == REDIRECT
    newcomer.refresh_from_db()
    assert newcomer.membership.team == own


def test_a_superuser_finds_any_user_by_the_autocomplete(admin_client_logged_in):
    form = admin_client_logged_in.get("/admin/accounts/membership/add/").content.decode()

    assert "admin-autocomplete" in form


def test_another_teams_history_of_a_submitted_product_leaves_out_its_drafts(rival, django_user_model):
    """Another team saw every draft edit of a product once it was submitted: in its history, its versions' sheets and
    the admin's history and history records, though it never sees the product while in draft."""
    product = rival["in-review"]
    product.status, product.name = "draft", "Rival secret draft"
    product.save()
    draft = product.history.latest()
    product.status, product.name = "in-review", "Rival in-review"
    product.save()
    other, own = as_user("demo", django_user_model), as_user("rival", django_user_model)

    history = other.get(f"/products/{product.slug}/history/").content.decode()
    sheet = other.get(f"/products/{product.slug}/history/{draft.history_id}/spec/")
    admin_history = other.get(f"/admin/formulator/product/{product.pk}/history/").content.decode()
    # Left out of the list, a draft edit opened at its (sequential) id, every field as typed.
    admin_draft = other.get(f"/admin/formulator/product/{product.pk}/history/{draft.history_id}/")

    assert "Rival in-review" in history and "Rival secret draft" not in history
    assert sheet.status_code == HIDDEN
    assert "Rival in-review" in admin_history and "Rival secret draft" not in admin_history
    assert admin_draft.status_code == HIDDEN
    assert "Rival secret draft" in own.get(f"/products/{product.slug}/history/").content.decode()
    assert own.get(f"/products/{product.slug}/history/{draft.history_id}/spec/").status_code == ALLOWED


@pytest.fixture
def our_stack_of_their_approved_product(rival, django_user_model):
    """The demo team's stack of the rival's approved product (500 mg of MgO), whose team then starts revision 2 and
    types 3,000 mg of L-threonate into its draft."""
    from decimal import Decimal

    from compounds.models import Compound
    from formulator.models import Stack, StackItem
    from formulator.services import LineData, fields_of, product_revise, product_save

    stack = Stack.objects.create(name="Ours", slug="ours", team=Team.objects.get(slug="ntrpx-labs"), markets=["US", "EU"])
    StackItem.objects.create(stack=stack, product=rival["approved"], servings_per_day=1, timing="evening")
    rival_user = django_user_model.objects.get(username="rival")
    draft = product_revise(rival["approved"], rival_user)
    product_save(product=draft, fields=fields_of(draft), expected_version=draft.version, user=rival_user,
                 lines=[LineData(Compound.objects.get(slug="magnesium-l-threonate"), Decimal(3000), "mg", Decimal(0), "")])
    return stack


def test_another_teams_new_draft_is_not_shown_in_a_stack_that_takes_their_product(our_stack_of_their_approved_product,
                                                                                   django_user_model):
    """A stack of another team's approved product showed the draft of its next revision as it was typed: its
    threonate, its 684.6 mg of magnesium and the limits it broke, to a team that cannot open the product."""
    from tests.test_spec import pdf_text

    client = as_user("formulator", django_user_model)
    page = client.get("/stacks/ours/").content.decode()
    sheet = client.get("/stacks/ours/spec.json").json()
    api = client.get("/api/v1/stacks/ours").json()
    printed = " ".join(pdf_text(client.get("/stacks/ours/spec.pdf")).split())

    note = "Its team is working on a new revision, in draft: this stack takes revision 1, as it was approved."
    assert note in page and note in printed
    assert sheet["products"][0]["seen_note"] == api["items"][0]["seen_note"] == note  # the API said nothing of it
    assert sheet["products"][0]["per_day_mg"]["magnesium"].startswith("301.5")  # 500 mg of MgO, as approved
    assert round(api["items"][0]["per_day_mg"]["magnesium"], 1) == 301.5
    assert not any("threonate" in text.lower() for text in (page, printed, json.dumps(sheet), json.dumps(api)))
    assert 'href="/products/rival-approved/"' not in page  # it would answer 404


def test_a_stack_keeps_another_teams_product_taken_back_to_draft_when_edited(our_stack_of_their_approved_product,
                                                                           django_user_model):
    """Its editor said the product was unknown, and could not save the stack without dropping it."""
    client = as_user("formulator", django_user_model)
    editor = client.get("/stacks/ours/edit").content.decode()

    assert '<option value="rival-approved" selected>Rival approved (Rival Labs)</option>' in editor
    assert "Unknown product" not in editor and "threonate" not in editor.lower()


@pytest.mark.parametrize("username", ["demo", "viewer"])
def test_another_team_choosing_a_status_is_refused_before_anything_is_said_of_the_edits(rival, django_user_model, username):
    """Another team's viewer posting a status with an earlier edit's number was shown what changed since it: the
    drafts' notes and amounts of a product it may only see in review."""
    product = rival["in-review"]
    first = product.version
    product.status, product.name, product.version = "draft", "Rival secret draft", first + 1
    product.save()
    product.status, product.name, product.version = "in-review", "Rival in-review", first + 2
    product.save()
    client = as_user(username, django_user_model)

    response = client.post(f"/products/{product.slug}/status", {"status": "approved", "version": str(first)})
    page = client.get(f"/products/{product.slug}/").content.decode()

    assert response.status_code == FORBIDDEN
    assert "Rival secret draft" not in response.content.decode() + page
    assert Product.objects.get(pk=product.pk).status == "in-review"


@pytest.mark.parametrize("version", [None, "1.5", "-1", "0", "x"])
def test_a_status_chosen_without_the_edit_it_is_about_says_so(django_user_model, version):
    """ "You saw edit 0": a choice posted without its edit's number named an edit that never was; "1.5" and "-1" too."""
    from formulator.views import MESSAGE_STATUS_NO_VERSION

    client = as_user("formulator", django_user_model)

    posted = {"status": "in-review"} if version is None else {"status": "in-review", "version": version}
    page = client.post("/products/recover/status", posted, follow=True).content.decode()

    assert MESSAGE_STATUS_NO_VERSION in page and "edit 0" not in page and "edit -1" not in page
    assert Product.objects.get(slug="recover").status == "draft"


def test_a_product_page_offers_to_compare_only_with_variants_the_user_may_see(rival, django_user_model):
    """Another team's draft variants of MoodFlow were offered ("Compare with MoodFlow v2"), and opened as
    "Unknown product"."""
    moodflow = Product.objects.get(slug="moodflow")
    ProductFactory(slug="moodflow-v2", name="MoodFlow v2", team=rival["draft"].team, status="draft", variant_of=moodflow)
    ProductFactory(slug="moodflow-v3", name="MoodFlow v3", team=rival["draft"].team, status="in-review", variant_of=moodflow)
    ProductFactory(slug="moodflow-v4", name="MoodFlow v4", team=moodflow.team, status="draft", variant_of=moodflow)

    page = as_user("formulator", django_user_model).get("/products/moodflow/").content.decode()

    assert "Compare with MoodFlow v4" in page and "Compare with MoodFlow v3" in page
    assert "MoodFlow v2" not in page


def test_another_teams_product_named_as_ours_is_named_with_its_team_in_lists_and_pickers(rival, django_user_model):
    """Another team's "Luna" was listed as "Luna" beside ours: in the product list, the stack editor's menu and the
    comparison's choices, nothing told the two apart."""
    ProductFactory(slug="luna-2", name="Luna", team=rival["draft"].team, status="in-review")
    client = as_user("formulator", django_user_model)

    pages = {url: html.unescape(client.get(url).content.decode())
             for url in ("/products/", "/stacks/new", "/compare/?products=luna,luna-2")}

    for url, page in pages.items():
        assert "Luna (Rival Labs)" in page, url
    assert re.search(r">\s*Luna\s*<", pages["/products/"])  # ours, as it is called
    assert '<option value="luna">Luna</option>' in pages["/stacks/new"]
    assert '<option value="luna-2">Luna (Rival Labs)</option>' in pages["/stacks/new"]


def _renamed_in_draft() -> None:
    """The rival's draft of the product the demo team's stack takes, renamed as its team types."""
    Product.objects.filter(slug="rival-approved").update(name="Rival TOPSECRET")


def test_a_stack_conflict_names_another_teams_product_as_it_was_last_shown(our_stack_of_their_approved_product,
                                                                         django_user_model):
    """The list of what changed since named another team's product by the name its draft was being given."""
    _renamed_in_draft()
    client = as_user("formulator", django_user_model)
    post = {"name": "Ours", "markets": ["US", "EU"], "population": "adult", "version": "1", "_action": "save",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-0-product": "rival-approved",
            "items-0-servings_per_day": "1", "items-0-timing": "evening"}
    client.post("/stacks/ours/edit", {**post, "notes": "first"})

    page = html.unescape(client.post("/stacks/ours/edit", {**post, "notes": "second"}).content.decode())

    assert "Notes" in page and "TOPSECRET" not in page


def test_a_variant_of_another_teams_draft_is_listed_and_copied_without_its_name(rival, django_user_model):
    """The product list said "variant of <the name being typed>" of another team's draft, the API gave its slug, and
    duplicating the variant named the copy after it ("Boost SECRET ROOT NAME v3")."""
    from formulator.models import ProductLine

    root = Product.objects.get(slug="boost")
    variant = ProductFactory(slug="boost-v2", name="Boost v2", team=root.team, status="in-review", variant_of=root)
    ProductLine.objects.create(product=variant, compound=root.lines.first().compound, amount=100)
    Product.objects.filter(pk=root.pk).update(status="draft", name="Boost SECRET ROOT NAME")
    client = as_user("rival", django_user_model)

    listing = client.get("/products/").content.decode()
    api = client.get("/api/v1/products/boost-v2").json()
    copied = client.post("/products/boost-v2/duplicate", follow=True).content.decode()

    assert "Boost v2 (NTRPX Labs)" in listing and "SECRET" not in listing
    assert api["variant_of"] is None
    assert "SECRET" not in copied
    copy = Product.objects.get(team__slug="rival-labs", variant_of=variant)
    assert copy.name == "Boost v2 v2"


def test_the_admin_shows_our_stack_of_another_teams_product_as_last_shown(our_stack_of_their_approved_product,
                                                                        django_user_model):
    """The stack's admin page named the product as its team was retyping it, and a search by that name found the stack."""
    _renamed_in_draft()
    client = as_user("demo", django_user_model)
    stack = our_stack_of_their_approved_product

    page = client.get(f"/admin/formulator/stack/{stack.pk}/change/").content.decode()
    found = client.get("/admin/formulator/stack/", {"q": "TOPSECRET"}).content.decode()

    assert "Rival approved" in page and "TOPSECRET" not in page
    assert "0 results" in found


def test_deleting_a_draft_counts_another_teams_stack_items_without_showing_them(our_stack_of_their_approved_product,
                                                                              django_user_model):
    """The delete page of a product listed the stack items of other teams that take it, each with its servings."""
    rival = django_user_model.objects.get(username="rival")
    membership_set(rival, Team.objects.get(slug="rival-labs"), Role.ADMIN)
    client = Client()
    client.force_login(rival)
    draft = Product.objects.get(slug="rival-approved")

    page = html.unescape(client.get(f"/admin/formulator/product/{draft.pk}/delete/").content.decode())

    assert "1 item of another team's stacks" in page
    assert "1 a day" not in page and "× 1" not in page


def test_deleting_our_stack_names_another_teams_product_as_last_shown(our_stack_of_their_approved_product,
                                                                      django_user_model):
    """The stack's delete page listed "Stack item: Rival TOPSECRET × 1 (evening)", the draft's name as typed."""
    _renamed_in_draft()
    stack = our_stack_of_their_approved_product

    page = html.unescape(as_user("demo", django_user_model).get(f"/admin/formulator/stack/{stack.pk}/delete/").content.decode())

    assert "Stack item: Rival approved × 1 (evening)" in page and "TOPSECRET" not in page


def test_the_admins_view_on_site_answers_only_for_designs_the_user_may_see(rival, django_user_model):
    """Django's /admin/r/<type>/<id>/ redirected to any design of any team: staff listed every team's drafts and
    stacks by asking for ids 1, 2, 3 …"""
    from django.contrib.contenttypes.models import ContentType

    from formulator.models import Stack

    client = as_user("demo", django_user_model)
    product_type = ContentType.objects.get_for_model(Product).pk
    rival_stack = Stack.objects.create(name="Rival stack", slug="rival-stack", team=rival["draft"].team)

    assert client.get(f"/admin/r/{product_type}/{rival['draft'].pk}/").status_code == HIDDEN
    assert client.get(f"/admin/r/{ContentType.objects.get_for_model(Stack).pk}/{rival_stack.pk}/").status_code == HIDDEN
    shown = client.get(f"/admin/r/{product_type}/{rival['in-review'].pk}/")
    assert shown.status_code == REDIRECT and shown["Location"].endswith("/products/rival-in-review/")
    assert as_user("viewer", django_user_model).get(f"/admin/r/{product_type}/{rival['in-review'].pk}/")["Location"].startswith(
        "/admin/login/")


def test_a_compounds_delete_page_counts_the_products_lines_that_keep_it(rival, django_user_model):
    """It listed each line ("Product line: 913 mg QA Filler"), another team's drafts' among them."""
    from compounds.models import Compound
    from formulator.models import ProductLine

    filler = Compound.objects.create(name="QA Filler", slug="qa-filler")
    ProductLine.objects.create(product=rival["draft"], compound=filler, amount=913)

    page = html.unescape(as_user("curator", django_user_model).get(f"/admin/compounds/compound/{filler.pk}/delete/").content.decode())

    assert "1 ingredient line of products, of any team" in page and "913" not in page


def test_a_curator_deletes_an_unused_compound_with_its_nutrient_links(django_user_model):
    """"Your account doesn't have permission to delete … compound nutrient": no compound with a link could be deleted,
    and one in use was told the same, never how many lines keep it."""
    from compounds.models import Compound, CompoundNutrient, Nutrient

    unused = Compound.objects.create(name="QA hydrate", slug="qa-hydrate", formula="MgO")
    CompoundNutrient.objects.create(compound=unused, nutrient=Nutrient.objects.get(slug="magnesium"))
    curator = as_user("curator", django_user_model)

    in_use = html.unescape(curator.get(f"/admin/compounds/compound/{Compound.objects.get(slug='magnesium-bisglycinate').pk}/"
                                       "delete/").content.decode())
    curator.post(f"/admin/compounds/compound/{unused.pk}/delete/", {"post": "yes"})

    assert "doesn't have permission" not in in_use and "ingredient line" in in_use
    assert not Compound.objects.filter(slug="qa-hydrate").exists()


def test_a_stack_of_two_teams_products_of_one_name_tells_them_apart_by_team(rival, django_user_model):
    """A stack of our Luna and another team's read "Luna 150 mg (66%); Luna 78 mg (34%)" on its page, its sheet and in
    its history ("Luna 1 a day, evening and 1 a day, evening")."""

    theirs = rival["approved"]
    Product.objects.filter(pk=theirs.pk).update(name="Luna")
    client = as_user("formulator", django_user_model)
    data = {"name": "Two Lunas", "markets": ["US", "EU"], "population": "adult", "notes": "", "version": "",
            "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "_action": "save",
            "items-0-product": "luna", "items-0-servings_per_day": "1", "items-0-timing": "evening",
            "items-1-product": theirs.slug, "items-1-servings_per_day": "1", "items-1-timing": "evening"}
    client.post("/stacks/new", data)
    client.post("/stacks/two-lunas/edit", {**data, "version": "1", "items-1-servings_per_day": "2"})

    page = html.unescape(re.sub(r"<[^>]+>", " ", client.get("/stacks/two-lunas/").content.decode()))
    sheet = client.get("/stacks/two-lunas/spec.json").json()
    history = html.unescape(re.sub(r"<[^>]+>", " ", client.get("/stacks/two-lunas/history/").content.decode()))

    assert "Luna (NTRPX Labs) " in page and "Luna (Rival Labs) " in page
    assert [p["name"] for p in sheet["products"]] == ["Luna (NTRPX Labs)", "Luna (Rival Labs)"]
    assert {s["name"] for t in sheet["totals"] for s in t["shares"]} >= {"Luna (NTRPX Labs)", "Luna (Rival Labs)"}
    assert re.search(r"Luna \(Rival Labs\)\s+1 a day, evening\s+2 a day, evening", history)


@pytest.mark.parametrize(("username", "offered"), [("formulator", True), ("viewer", False), ("rival", False)])
def test_an_approved_products_editor_offers_a_revision_only_to_who_may_start_one(rival, django_user_model, username,
                                                                                  offered):
    """Another team's user, sent from an approved product's editor to its page, was told to "Start revision 2", which
    that page does not offer them."""
    from formulator import views

    Product.objects.filter(slug="moodflow").update(status="approved")
    page = as_user(username, django_user_model).get("/products/moodflow/edit", follow=True).content.decode()

    said = (views.MESSAGE_APPROVED_READ_ONLY if offered else views.MESSAGE_APPROVED_NOT_YOURS).format(name="MoodFlow", next=2)
    assert html.escape(said) in page
    assert ("Start revision 2" in page) is offered


def test_a_team_admin_cannot_take_a_superuser_into_their_team(django_user_model):
    """A team admin gave a superuser in no team the viewer role: it took their is_staff, and so the admin, away."""
    client = as_user("demo", django_user_model)
    root = django_user_model.objects.create_superuser("root-qa", "root@example.com", "a-long-test-password")
    own = Team.objects.get(slug="ntrpx-labs")

    form = client.get("/admin/accounts/membership/add/").content.decode()
    taken = client.post("/admin/accounts/membership/add/", {"user": root.pk, "team": own.pk, "role": Role.VIEWER})

    assert f">{root.username}</option>" not in form
    assert taken.status_code == ALLOWED and "Select a valid choice" in taken.content.decode()
    root.refresh_from_db()
    assert root.is_staff and not hasattr(root, "membership")


def test_a_superuser_given_a_role_keeps_the_admin():
    from accounts.services import membership_set
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root-qa", "root@example.com", "a-long-test-password")
    membership_set(root, Team.objects.get(slug="ntrpx-labs"), Role.VIEWER)

    root.refresh_from_db()
    assert root.is_staff


def test_a_stack_of_another_teams_product_taken_back_to_draft_says_no_new_revision_is_made(rival, django_user_model):
    """Returned from review to draft, the product was said to have "a new revision, in draft" in the stack."""
    from formulator.models import Stack, StackItem
    from formulator.selectors import NOTE_BACK_IN_DRAFT
    from formulator.services import product_set_status

    stack = Stack.objects.create(name="Ours", slug="ours", team=Team.objects.get(slug="ntrpx-labs"), markets=["US", "EU"])
    StackItem.objects.create(stack=stack, product=rival["in-review"], servings_per_day=1, timing="evening")
    product_set_status(rival["in-review"], "draft", django_user_model.objects.get(username="rival"))

    page = as_user("formulator", django_user_model).get("/stacks/ours/").content.decode()

    assert NOTE_BACK_IN_DRAFT.format(status="in review") in page
    assert "new revision" not in page
