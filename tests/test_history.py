"""History: every change recorded with who and when, diffs between any two edits, and revert."""

import html
import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from compounds.models import Compound, Population
from formulator import history_views, selectors, services
from formulator.models import DosageForm, Product, Stack, Status, Timing
from tests.test_workbench import recover_post

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_every_save_is_recorded_with_its_user_and_lines(client):
    client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2", **{"lines-0-amount": "2500"}))
    product = Product.objects.get(slug="recover")

    records = list(product.history.order_by("history_date"))
    assert [r.version for r in records] == [1, 2]
    assert records[-1].history_user.username == "demo"
    assert records[-1].servings_per_day == 2
    assert product.lines.get().history.count() == 1  # the new line's creation
    assert product.lines.model.history.filter(product_id=product.pk, history_type="-").count() == 1  # the old line


def test_the_history_page_shows_a_field_and_line_diff_between_two_edits(client):
    client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2", **{"lines-0-amount": "2500"}))

    page = text(client.get("/products/recover/history/"))

    assert "What changed from edit 1 to edit 2" in page
    assert "Servings per day 1 2" in page
    assert "Magnesium L-threonate 2,000 mg 2,500 mg" in page
    assert "Magnesium L-threonate 2,500 mg" in page and "2500 mg" not in page  # the versions' lines too


def test_any_two_edits_can_be_compared_and_unknown_ones_are_named(client):
    for amount in ("2100", "2200"):
        version = Product.objects.get(slug="recover").version
        client.post("/products/recover/edit", recover_post(_action="save", version=str(version), **{"lines-0-amount": amount}))
    ids = list(Product.objects.get(slug="recover").history.order_by("history_date").values_list("history_id", flat=True))

    page = text(client.get("/products/recover/history/", {"a": ids[0], "b": ids[2]}))
    bad = text(client.get("/products/recover/history/", {"a": ids[0], "b": 999999}))

    assert "What changed from edit 1 to edit 3" in page and "2,000 mg 2,200 mg" in page
    assert selectors.ERROR_UNKNOWN_VERSION.format(kind="product") in bad


def test_a_stacks_history_names_a_version_not_in_it_as_the_stacks_and_asks_for_a_second_one(client):
    """A stack's page said "That version is not in this product's history.", and said so of a version that is, given
    without a second to compare it with."""
    from tests.test_workbench import stack_post

    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{"items-1-servings_per_day": "2"}))
    first = Stack.objects.get(slug="ntrpx-daily").history.order_by("history_date").first().history_id

    unknown = text(client.get("/stacks/ntrpx-daily/history/", {"a": "x", "b": "y"}))
    one = text(client.get("/stacks/ntrpx-daily/history/", {"a": first}))
    reverted = text(client.post("/stacks/ntrpx-daily/history/revert", {"version": "999999"}, follow=True))

    assert selectors.ERROR_UNKNOWN_VERSION.format(kind="stack") in unknown
    assert selectors.ERROR_COMPARE_TWO in one and "not in this" not in one
    assert selectors.ERROR_UNKNOWN_VERSION.format(kind="stack") in reverted


def test_revert_restores_the_old_version_field_by_field_and_is_itself_recorded(client):
    before = Product.objects.get(slug="recover")
    first = before.history.earliest("history_date")
    client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="3", timing="morning",
                                                       **{"lines-0-amount": "1000", "lines-0-overage_percent": "5"}))

    response = client.post("/products/recover/history/revert", {"version": first.history_id}, follow=True)

    restored = Product.objects.get(slug="recover")
    for field in ("name", "servings_per_day", "timing", "serving_size", "capsule_size", "markets", "population", "claims"):
        assert getattr(restored, field) == getattr(before, field), field
    line = restored.lines.get()
    assert (line.compound.slug, line.amount, line.unit, line.overage_percent) == ("magnesium-l-threonate", 2000, "mg", 0)
    latest = restored.history.latest("history_date")
    assert latest.version == 3 and latest.history_change_reason == "Reverted to edit 1"
    assert "Reverted Recover to edit 1; this is edit 3." in text(response)


def test_library_and_evidence_changes_are_recorded(admin_client_logged_in):
    compound = Compound.objects.get(slug="magnesium-oxide")
    data = {"name": compound.name, "slug": compound.slug, "formula": "MgO", "form_class": compound.form_class,
            "synonyms": "periclase", "contributions-TOTAL_FORMS": "0", "contributions-INITIAL_FORMS": "0"}
    admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/", data)

    latest = compound.history.latest("history_date")
    assert latest.synonyms == "periclase" and latest.history_user.username == "curator-su"
    assert admin_client_logged_in.get(f"/admin/compounds/compound/{compound.pk}/history/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_many_threads_saving_at_once_either_land_whole_or_are_refused():
    from django.core.management import call_command

    call_command("load_seed", "--no-demo-user", verbosity=0)  # a transactional test starts from an empty database
    product = Product.objects.get(slug="recover")
    compound = Compound.objects.get(slug="magnesium-l-threonate")
    fields = {f: getattr(product, f) for f in services.fields_of(product)}
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def save(amount: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.product_save(product=product, fields={**fields, "notes": f"by {amount}"},
                                  lines=[services.LineData(compound, Decimal(amount), "mg", Decimal(0))], expected_version=1)
            outcomes.append(f"saved {amount}")
        except services.SaveConflict:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=save, args=(1000 + i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    saved = [o for o in outcomes if o.startswith("saved")]
    assert len(saved) == 1 and outcomes.count("refused") == 7
    winner = int(saved[0].split()[1])
    product.refresh_from_db()
    assert product.version == 2 and product.notes == f"by {winner}"
    assert [line.amount for line in product.lines.all()] == [winner]  # whole: the winner's lines, nobody else's


def test_the_seed_loader_gives_rows_made_before_history_a_first_record(client):
    from django.core.management import call_command

    Product.history.all().delete()  # as in a database made before products kept history
    assert "No change of this product has been recorded yet." in text(client.get("/products/recover/history/"))

    call_command("load_seed", "--no-demo-user", verbosity=0)

    assert all(p.history.count() == 1 for p in Product.objects.all())
    assert re.search(r"1 1 Draft .* Created", text(client.get("/products/recover/history/")))


def test_reverting_to_a_name_another_product_has_taken_since_is_refused_with_why(client):
    client.post("/products/recover/edit", recover_post(_action="save", name="Recover Night"))  # edit 2
    first = Product.objects.get(slug="recover").history.get(version=1)
    client.post("/products/new", recover_post(_action="save", name="Recover", version=""))  # takes the old name

    page = text(client.post("/products/recover/history/revert", {"version": first.history_id}, follow=True))

    assert services.ERROR_NAME_TAKEN.format(team="NTRPX Labs", what="product", name="Recover") in page
    assert Product.objects.get(slug="recover").name == "Recover Night"


@pytest.fixture
def migrate_formulator():
    """Migrate the formulator app back to `before`, let `make` create rows with that state's models, then migrate it to
    `after`; at the end, whatever the test asserted, back to the latest migrations."""
    from django.db.migrations.executor import MigrationExecutor

    def run(before, after, make):
        executor = MigrationExecutor(connection)
        executor.migrate([("formulator", before)])
        make(executor.loader.project_state([("formulator", before)]).apps)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("formulator", after)])

    yield run
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_name_constraint_migration_renames_designs_that_share_a_name_and_keeps_the_first(migrate_formulator):
    def make(old):
        team = old.get_model("accounts", "Team").objects.create(name="Old Labs", slug="old-labs")
        other = old.get_model("accounts", "Team").objects.create(name="Other Labs", slug="other-labs")
        product = old.get_model("formulator", "Product")
        for slug, name, owner in [("a", "Calm", team), ("b", "calm ", team), ("c", "CALM", team), ("d", "Calm", other),
                                  ("e", "Calm (2)", other)]:
            product.objects.create(slug=slug, name=name, team=owner)

    migrate_formulator("0005_line_blend", "0006_name_unique_in_team", make)

    names = dict(Product.objects.filter(slug__in="abcde").values_list("slug", "name"))
    assert names == {"a": "Calm", "b": "calm (2)", "c": "CALM (3)", "d": "Calm", "e": "Calm (2)"}


@pytest.mark.django_db(transaction=True)
def test_the_germany_migration_brings_the_eu_into_designs_saved_for_germany_alone(migrate_formulator):
    def make(old):
        team = old.get_model("accounts", "Team").objects.create(name="Old Labs", slug="old-labs")
        product, stack = old.get_model("formulator", "Product"), old.get_model("formulator", "Stack")
        for slug, markets in [("de", ["DE"]), ("us-de", ["US", "DE"]), ("eu-de", ["EU", "DE"]), ("us", ["US"])]:
            product.objects.create(slug=slug, name=slug, team=team, markets=markets)
        stack.objects.create(slug="de-stack", name="DE stack", team=team, markets=["DE"])

    migrate_formulator("0006_name_unique_in_team", "0007_germany_brings_in_the_eu", make)

    markets = dict(Product.objects.filter(slug__in=["de", "us-de", "eu-de", "us"]).values_list("slug", "markets"))
    assert markets == {"de": ["EU", "DE"], "us-de": ["US", "EU", "DE"], "eu-de": ["EU", "DE"], "us": ["US"]}
    assert Stack.objects.get(slug="de-stack").markets == ["EU", "DE"]


def test_the_history_diff_names_a_change_of_ingredient_order(client):
    line = {"unit": "mg", "overage_percent": "0"}
    threonate = {"compound": "magnesium-l-threonate", "amount": "2000", **line}
    glycine = {"compound": "glycine", "amount": "500", **line}

    def lines(*rows):
        return {"lines-TOTAL_FORMS": str(len(rows)),
                **{f"lines-{i}-{field}": value for i, row in enumerate(rows) for field, value in row.items()}}

    client.post("/products/recover/edit", recover_post(_action="save", **lines(threonate, glycine)))
    client.post("/products/recover/edit", recover_post(_action="save", version="2", **lines(glycine, threonate)))
    assert Product.objects.get(slug="recover").version == 3

    page = text(client.get("/products/recover/history/"))

    assert f"{services.CHANGE_ORDER} Magnesium L-threonate, Glycine Glycine, Magnesium L-threonate" in page


def test_reverting_a_product_in_review_returns_it_to_draft_and_says_so(client):
    client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2"))
    Product.objects.filter(slug="recover").update(status="in-review")
    first = Product.objects.get(slug="recover").history.order_by("history_date").first()

    response = client.post("/products/recover/history/revert", {"version": first.history_id}, follow=True)

    assert Product.objects.get(slug="recover").status == "draft"
    assert f"Reverted Recover to edit 1; this is edit 3. {services.MESSAGE_OUT_OF_REVIEW}" in text(response)
    history = text(client.get("/products/recover/history/"))
    assert services.REASON_ALSO_OUT_OF_REVIEW.format(reason="Reverted to edit 1") in history  # one sentence, not two


@pytest.mark.parametrize(("kind", "slug", "name"), [("products", "recover", "Recover"), ("stacks", "ntrpx-daily", "NTRPX Daily")])
def test_reverting_to_an_edit_like_the_current_one_makes_no_edit(client, kind, slug, name):
    """A revert to what is current recorded an edit that changed nothing, and took a product in review back to draft."""
    model = Product if kind == "products" else Stack
    if kind == "products":
        model.objects.filter(slug=slug).update(status="in-review")
    design = model.objects.get(slug=slug)
    edits = design.history.count()

    response = client.post(f"/{kind}/{slug}/history/revert", {"version": design.history.earliest("history_date").history_id,
                                                               "current": design.version}, follow=True)

    assert history_views.MESSAGE_REVERT_NOTHING.format(name=name, version=1) in text(response)
    after = model.objects.get(slug=slug)
    assert (after.version, after.history.count()) == (design.version, edits)
    assert kind == "stacks" or after.status == "in-review"


def _submit_for_review(client) -> None:
    product = Product.objects.get(slug="recover")
    client.post("/products/recover/status", {"status": "in-review", "version": product.version})
    assert Product.objects.get(slug="recover").status == "in-review"


def test_a_status_change_in_the_diff_is_named_as_the_pages_name_statuses(client):
    _submit_for_review(client)

    page = text(client.get("/products/recover/history/"))  # edit 1 to edit 2: the status alone changed

    assert f"{history_views.CHANGE_STATUS} {Status.DRAFT.label} {Status.IN_REVIEW.label}" in page  # Status Draft In review
    assert history_views.DIFF_NONE not in page
    assert "in-review" not in page


def _diff(page: str) -> str:
    """The diff table's rows, as the page reads them."""
    return page[page.index("What changed from"):page.index("From To Edit")].strip()


def _through_revision_2(client, django_user_model) -> list[int]:
    """Take Magtech Complex through an edit, review, approval and the start of revision 2, then an edit in it, as
    the pages do; return its versions' history ids, oldest first (edits 1 to 6)."""
    product = Product.objects.get(slug="magtech-complex")
    services.product_save(product=product, fields={**services.fields_of(product), "notes": "Checked"},
                          lines=services.lines_of(product), expected_version=1,
                          user=django_user_model.objects.get(username="demo"))  # edit 2
    for status, version in (("in-review", 2), ("approved", 3)):  # edits 3 and 4
        client.post("/products/magtech-complex/status", {"status": status, "version": version})
    client.post("/products/magtech-complex/revise")  # edit 5
    product = Product.objects.get(slug="magtech-complex")
    assert (product.status, product.revision, product.version) == ("draft", 2, 5)
    services.product_save(product=product, fields={**services.fields_of(product), "servings_per_day": 3},
                          lines=services.lines_of(product), expected_version=5)  # edit 6
    return list(product.history.order_by("history_date").values_list("history_id", flat=True))


def test_the_diff_shows_status_and_revision_first_also_when_fields_changed(client, django_user_model):
    ids = _through_revision_2(client, django_user_model)

    approved_to_revision_2 = _diff(text(client.get("/products/magtech-complex/history/", {"a": ids[3], "b": ids[5]})))
    draft_to_approved = _diff(text(client.get("/products/magtech-complex/history/", {"a": ids[0], "b": ids[3]})))

    assert re.search(rf"\) {history_views.CHANGE_STATUS} {Status.APPROVED.label} {Status.DRAFT.label} "
                     rf"{history_views.CHANGE_REVISION} 1 2 Servings per day 1 3$", approved_to_revision_2)
    assert re.search(rf"\) {history_views.CHANGE_STATUS} {Status.DRAFT.label} {Status.APPROVED.label} Notes .* Checked$",
                     draft_to_approved)
    assert history_views.CHANGE_REVISION not in draft_to_approved  # revision 1 both


def test_the_diff_says_no_difference_only_when_nothing_differs_revision_included(client, django_user_model):
    ids = _through_revision_2(client, django_user_model)
    client.post("/products/magtech-complex/history/revert", {"version": ids[0]})  # edit 7: edit 1's design, revision 2
    latest = Product.objects.get(slug="magtech-complex").history.latest("history_date").history_id

    reverted = _diff(text(client.get("/products/magtech-complex/history/", {"a": ids[0], "b": latest})))
    same = _diff(text(client.get("/products/magtech-complex/history/", {"a": latest, "b": latest})))

    assert f"{history_views.CHANGE_REVISION} 1 2" in reverted and history_views.DIFF_NONE not in reverted
    assert f"{history_views.DIFF_NONE}." in same


def test_each_version_says_what_it_did_once(client):
    _submit_for_review(client)
    client.post("/products/recover/edit", recover_post(_action="save", version="2", notes="changed in review"))

    page = text(client.get("/products/recover/history/"))

    assert re.search(rf"3 1 {Status.DRAFT.label} .* demo {re.escape(services.REASON_CHANGED_IN_REVIEW)} Magnesium", page)
    assert re.search(rf"2 1 {Status.IN_REVIEW.label} .* demo {services.STATUS_REASONS['in-review']} Magnesium", page)
    assert "Changed: " not in page


def test_a_product_made_and_changed_through_the_api_says_so_once_in_its_history(client, django_user_model):
    from api.routers.designs import REASON_CHANGED, REASON_CREATED
    from api.services import token_create

    _, key = token_create(user=django_user_model.objects.get(username="demo"), name="tests")
    body = {"name": "API Sleep", "brand": "NTRPX", "dosage_form": "capsule", "capsule_size": "00", "serving_size": 2,
            "servings_per_day": 1, "servings_per_container": 30, "timing": "evening", "markets": ["US"],
            "population": "adult", "claims": "", "lines": [{"compound": "glycine", "amount": 500, "unit": "mg"}]}
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.post("/api/v1/products", body, content_type="application/json").status_code == 201
    assert api.put("/api/v1/products/api-sleep", {**body, "servings_per_day": 2, "version": 1},
                   content_type="application/json").status_code == 200

    page = text(client.get("/products/api-sleep/history/"))

    assert re.search(rf"2 1 {Status.DRAFT.label} .* demo {REASON_CHANGED} Glycine", page)
    assert re.search(rf"1 1 {Status.DRAFT.label} .* demo {REASON_CREATED} Glycine", page)  # not "Created: Created ..."
    assert f"{history_views.WHAT_CREATED}: " not in page


def test_the_diff_names_dosage_form_timing_and_population_as_the_product_page_does(client):
    client.post("/products/recover/edit", recover_post(_action="save", dosage_form="tablet", capsule_size="",
                                                       timing="morning", population="pregnancy"))

    page = text(client.get("/products/recover/history/"))

    assert f"Dosage form {DosageForm.CAPSULE.label} {DosageForm.TABLET.label}" in page
    assert f"Timing {Timing.EVENING.label} {Timing.MORNING.label}" in page
    assert f"Population {Population.ADULT.label} {Population.PREGNANCY.label}" in page
    product_page = text(client.get("/products/recover/"))
    assert f"Timing {Timing.MORNING.label}" in product_page and f"Population {Population.PREGNANCY.label}" in product_page


def test_each_past_edit_links_its_sheet_in_every_format(client):
    """The history page linked a past edit's sheet and PDF only; its CSV and JSON were reachable by typing the URL."""
    record = Product.objects.get(slug="recover").history.first()
    page = client.get("/products/recover/history/").content.decode()
    links = re.findall(rf'href="(/products/recover/history/{record.history_id}/spec[^"]*)"', page)

    assert links == [f"/products/recover/history/{record.history_id}/{name}" for name in ("spec/", "spec.pdf", "spec.csv", "spec.json")]
    assert all(client.get(link).status_code == 200 for link in links[2:])


def _stack_edited_twice(client):
    from tests.test_workbench import stack_post

    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{"items-1-servings_per_day": "2"}))
    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", version="2", **{
        "items-1-servings_per_day": "2", "items-1-timing": "morning"}))
    return Stack.objects.get(slug="ntrpx-daily")


def test_a_stacks_history_lists_each_edit_with_who_and_what_changed(client):
    """A stack's edits were recorded, but no page showed them: an edit that took it over a limit could not be traced."""
    _stack_edited_twice(client)

    page = text(client.get("/stacks/ntrpx-daily/history/"))
    first_diff = text(client.get("/stacks/ntrpx-daily/history/", {
        "a": Stack.history.filter(slug="ntrpx-daily", version=1).get().history_id,
        "b": Stack.history.filter(slug="ntrpx-daily", version=2).get().history_id}))

    assert "What changed from edit 2 to edit 3" in page
    assert "Luna 2 a day, evening 2 a day, morning" in page
    assert re.search(r"\b3 \S+ \S+ demo Changed Recover 1 a day, evening; Luna 2 a day, morning;", page)
    assert "Luna 1 a day, evening 2 a day, evening" in first_diff
    assert 'href="/stacks/ntrpx-daily/history/"' in client.get("/stacks/ntrpx-daily/").content.decode()


def test_reverting_a_stack_restores_its_products_and_is_itself_recorded(client):
    stack = _stack_edited_twice(client)
    first = stack.history.get(version=1)

    response = client.post("/stacks/ntrpx-daily/history/revert", {"version": first.history_id}, follow=True)

    items = [(i.product.slug, i.servings_per_day, i.timing) for i in Stack.objects.get(slug="ntrpx-daily").items.all()]
    assert items == [("recover", 1, "evening"), ("luna", 1, "evening"), ("boost", 1, "morning"), ("sustain", 1, "afternoon")]
    latest = stack.history.latest("history_date")
    assert (latest.version, latest.history_change_reason, latest.history_user.username) == (4, "Reverted to edit 1", "demo")
    assert "Reverted NTRPX Daily to edit 1; this is edit 4." in text(response)


def test_reverting_a_stack_says_which_of_its_products_changed_since_that_edit(client):
    """Luna's dose doubled since edit 1: reverted to it, the stack read 444 mg a day where edit 1 had read 294 mg, unsaid."""
    stack = _stack_edited_twice(client)
    first = stack.history.get(version=1)
    client.post("/products/luna/edit", {**_luna_post(), "lines-0-amount": "1856.2", "_action": "save"})
    assert Product.objects.get(slug="luna").version == 2

    response = client.post("/stacks/ntrpx-daily/history/revert", {"version": first.history_id}, follow=True)

    said = history_views.MESSAGE_PRODUCTS_CHANGED_SINCE.format(products="Luna", version=1, pronoun="it", verb="it is")
    assert f"Reverted NTRPX Daily to edit 1; this is edit 4. {said}" in text(response)


def _luna_post() -> dict:
    luna = Product.objects.get(slug="luna")
    return {"name": luna.name, "brand": luna.brand, "dosage_form": luna.dosage_form, "serving_size": luna.serving_size,
            "servings_per_day": "1", "servings_per_container": luna.servings_per_container, "timing": luna.timing,
            "markets": luna.markets, "population": luna.population, "version": str(luna.version),
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
            **{f"lines-{i}-{field}": value for i, line in enumerate(luna.lines.all()) for field, value in (
                ("compound", line.compound.slug), ("amount", str(line.amount)), ("unit", line.unit),
                ("overage_percent", str(line.overage_percent)), ("target_mg", ""))}}


def test_a_viewer_reads_a_stacks_history_but_cannot_revert_it(client, django_user_model):
    stack = _stack_edited_twice(client)
    viewer = Client()
    viewer.force_login(django_user_model.objects.get(username="viewer"))

    page = viewer.get("/stacks/ntrpx-daily/history/").content.decode()
    refused = viewer.post("/stacks/ntrpx-daily/history/revert", {"version": stack.history.get(version=1).history_id})

    assert "Revert to this" not in page and "What changed from edit 2 to edit 3" in html.unescape(page)
    assert refused.status_code == 403 and Stack.objects.get(slug="ntrpx-daily").version == 3


def test_a_stack_edit_that_took_a_product_since_deleted_is_not_reverted_to(client):
    """Reverting to it would have left the product out without a word: the stack's figures would drop it."""
    from tests.test_workbench import stack_post

    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", **{
        "items-TOTAL_FORMS": "3", "items-2-product": "sustain", "items-2-timing": "afternoon"}))
    Product.objects.get(slug="boost").delete()
    stack = Stack.objects.get(slug="ntrpx-daily")

    response = client.post("/stacks/ntrpx-daily/history/revert", {"version": stack.history.get(version=1).history_id},
                           follow=True)

    assert history_views.ERROR_VERSION_DELETED.format(version=1, count="a product", verb="has") in text(response)
    assert Stack.objects.get(slug="ntrpx-daily").version == 2
    page = client.get("/stacks/ntrpx-daily/history/").content.decode()
    assert "1 product since deleted" in text(client.get("/stacks/ntrpx-daily/history/"))
    # Not offered: the button led only to the refusal above.
    edit_1 = re.findall(r"<tr.*?</tr>", page, re.S)[-1]  # the oldest edit, last
    assert "Cannot be made current: it took a product since deleted." in edit_1 and "Revert to this" not in edit_1


def test_a_stacks_history_says_a_product_since_deleted_left_the_stack(client):
    """An edit that took out a product since deleted read "No difference in fields or products"."""
    from tests.factories import ProductFactory, ProductLineFactory
    from tests.test_workbench import stack_post

    temp = ProductFactory(slug="temp-drink", name="TempDrink", team=Stack.objects.get(slug="ntrpx-daily").team)
    ProductLineFactory(product=temp)
    with_temp = stack_post(_action="save", **{"items-TOTAL_FORMS": "5", "items-4-product": "temp-drink",
                                              "items-4-servings_per_day": "1", "items-4-timing": "morning"})
    client.post("/stacks/ntrpx-daily/edit", with_temp)
    client.post("/stacks/ntrpx-daily/edit", stack_post(_action="save", version="2"))
    temp.delete()

    page = text(client.get("/stacks/ntrpx-daily/history/"))

    assert "What changed from edit 2 to edit 3" in page
    assert "No difference" not in page
    assert "TempDrink (since deleted) 1 a day, morning not in the stack" in page


@pytest.mark.parametrize(("kind", "slug"), [("products", "recover"), ("stacks", "ntrpx-daily")])
def test_a_revert_from_a_history_page_opened_before_anothers_save_is_refused(client, kind, slug):
    """A's history page, open while B saved edit 3, reverted to edit 1 on A's click: B's save was discarded unseen."""
    from formulator.history_views import ERROR_REVERT_CONFLICT
    from tests.test_workbench import stack_post

    model = Product if kind == "products" else Stack

    def save(servings: str) -> None:
        version = str(model.objects.get(slug=slug).version)
        client.post(f"/{kind}/{slug}/edit", recover_post(_action="save", servings_per_day=servings, version=version)
                    if kind == "products" else stack_post(_action="save", version=version,
                                                          **{"items-1-servings_per_day": servings}))

    save("2")
    page = client.get(f"/{kind}/{slug}/history/").content.decode()
    first = model.objects.get(slug=slug).history.earliest("history_date").history_id
    assert 'name="current" value="2"' in page
    save("3")  # B's, after A opened the history

    answer = text(client.post(f"/{kind}/{slug}/history/revert", {"version": first, "current": "2"}, follow=True))

    assert model.objects.get(slug=slug).version == 3  # B's save stands
    assert ERROR_REVERT_CONFLICT.format(what=kind[:-1], theirs=3) in answer


def test_reverting_a_product_approved_since_its_history_was_opened_says_it_is_approved_not_a_role(client):
    """"Your role or team does not allow this change", to the team's admin: the product had been approved meanwhile."""
    from formulator.views import MESSAGE_APPROVED_READ_ONLY

    client.post("/products/recover/edit", recover_post(_action="save", servings_per_day="2"))
    first = Product.objects.get(slug="recover").history.order_by("history_date").first()
    Product.objects.filter(slug="recover").update(status="approved")

    response = client.post("/products/recover/history/revert", {"version": first.history_id}, follow=True)

    assert response.status_code == 200
    assert MESSAGE_APPROVED_READ_ONLY.format(name="Recover", next=2) in text(response)
    assert Product.objects.get(slug="recover").servings_per_day == 2


def test_another_teams_draft_edits_are_no_change_of_its_product_to_a_stack_reverted(django_user_model):
    """A stack of team B reverted said "Luna changed since edit 1" after team A's edits of Luna's next revision, in
    draft: B's figures are of the revision it was shown, and the message told it when A edited its drafts."""
    from django.utils import timezone

    from accounts.models import Role, Team
    from accounts.services import membership_set

    luna = Product.objects.get(slug="luna")
    Product.objects.filter(pk=luna.pk).update(status=Status.APPROVED)
    rival = django_user_model.objects.create_user("rival", password="a-long-test-password")
    membership_set(rival, Team.objects.create(name="Rival Labs", slug="rival-labs"), Role.FORMULATOR)
    before = timezone.now()
    services.product_revise(Product.objects.get(pk=luna.pk), user=None)  # revision 2, in draft: hidden from B
    luna = Product.objects.get(pk=luna.pk)

    assert selectors.products_changed_since([luna], before, rival) == []
    assert selectors.products_changed_since([luna], before) == [luna]  # its own team sees the edit
    Product.objects.filter(pk=luna.pk).update(status=Status.IN_REVIEW)
    luna.refresh_from_db()
    luna.save()  # recorded in review: B may see it
    assert selectors.products_changed_since([luna], before, rival) == [luna]
