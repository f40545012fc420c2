"""What people see on the read-only pages: the engine's numbers, rounded by the label rules."""

import html
import re

import pytest

from evidence.models import Study
from formulator import presenters

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it: tags dropped, white space folded."""
    return text_of(response.content.decode())


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_recover_shows_144_mg_34_percent_dv_and_41_percent_of_the_us_ul(client):
    page = text(client.get("/products/recover/"))

    assert "Magnesium 144 mg 144 mg 144 mg" in page
    assert "US Magnesium DV 420 mg adults and children 4 years and older 21 CFR 101.9(c)(8)(iv), 2016 rule 144 mg 34% 34%" in page
    assert "144 mg/day is 41% of the US limit of 350 mg for supplemental magnesium: 206 mg to spare." in page
    assert "at 7.20% specified ; formula gives 8.25%" in page


def test_the_stack_is_near_the_us_limit_and_44_mg_over_the_eu_limit_in_words(client):
    response = client.get("/stacks/ntrpx-daily/")
    page = text(response)

    assert "294 mg/day is 84% of the US limit of 350 mg for supplemental magnesium: 56 mg to spare." in page
    assert "294 mg/day is 44 mg over the EU limit of 250 mg for supplemental magnesium." in page
    assert 'id="overall-status">over<' in response.content.decode()
    assert "Recover 144 mg (49%); Luna 150 mg (51%)" in page


def test_a_stack_says_which_of_its_products_are_not_approved_on_its_page_sheets_and_api(client):
    """A stack took its own team's drafts as they were typed, and its page, sheets and API said nothing of it."""
    from formulator.models import Product
    from formulator.reports import NOTE_DRAFT, NOTE_IN_REVIEW
    from tests.test_spec import pdf_text

    Product.objects.filter(slug="recover").update(status="approved")
    Product.objects.filter(slug="luna").update(status="in-review")
    Product.objects.filter(slug="boost").update(revision=2)
    page = text(client.get("/stacks/ntrpx-daily/"))
    printed = pdf_text(client.get("/stacks/ntrpx-daily/spec.pdf"))
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()
    api = client.get("/api/v1/stacks/ntrpx-daily").json()

    draft, review = NOTE_DRAFT.format(revision=2), NOTE_IN_REVIEW.format(revision=1)
    assert f"Luna {review} Evening" in page and f"Boost {draft} Morning" in page
    assert "Recover Evening" in page  # approved: nothing to say
    assert review in printed and draft in printed
    notes = {row["product_slug"]: (row["status"], row["note"]) for row in sheet["products"]}
    assert notes["recover"] == ("approved", "") and notes["luna"] == ("in-review", review)
    assert {row["product"]: row["note"] for row in api["items"]} == {slug: note for slug, (_, note) in notes.items()}


def test_a_stack_for_children_says_which_of_its_products_are_designed_for_adults(client):
    """MoodFlow, an adults' product, was listed in a stack for children 4-8 as any other."""
    from formulator.models import Product, Stack
    from formulator.reports import NOTE_OTHER_POPULATION

    Product.objects.filter(slug="recover").update(status="approved")
    Product.objects.filter(slug="luna").update(population="child-4-8")
    Stack.objects.filter(slug="ntrpx-daily").update(population="child-4-8")
    page = text(client.get("/stacks/ntrpx-daily/"))
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()

    adults = NOTE_OTHER_POPULATION.format(product_population="adults", population="children 4-8 years")
    assert f"Recover {adults} Evening" in page
    assert "Luna Revision 1 is in draft: not approved, and its amounts may still change. Evening" in page  # the stack's own
    notes = {row["product_slug"]: row["note"] for row in sheet["products"]}
    assert notes["recover"] == adults and adults not in notes["luna"]


def test_moodflow_surfaces_the_seed_error_about_the_eu_limit(client):
    page = text(client.get("/products/moodflow/"))

    assert "240 mg/day is 96% of the EU limit of 250 mg for supplemental magnesium: 10 mg to spare." in page
    assert "Vitamin B6" in page


def test_lists_order_designs_by_name_in_any_case(client):
    """SQLite ordered by code point: "NTRPX Daily" before "NoJS Daily", "Zero Mg" before "alpha stack"."""
    from tests.factories import ProductFactory

    for name in ("Zero Mg", "alpha blend", "NoJS night"):
        ProductFactory(name=name)
    page = text(client.get("/products/"))

    names = ["alpha blend", "Boost", "Luna", "MagTech Magnesium Complex", "MoodFlow", "NoJS night", "Recover", "Sustain", "Zero Mg"]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)


def test_the_stack_list_tells_apart_a_product_taken_twice_by_its_time(client):
    """The list read "Luna, Luna" where the stack's page and chart say "Luna (morning)" and "Luna (evening)"."""
    from formulator.models import Product, Stack, StackItem

    StackItem.objects.create(stack=Stack.objects.get(slug="ntrpx-daily"), product=Product.objects.get(slug="luna"),
                             servings_per_day=1, timing="morning", position=9)
    page = text(client.get("/stacks/"))

    assert "Recover, Luna (evening), Boost, Sustain, Luna (morning)" in page


def test_a_stack_sheets_products_are_named_as_their_shares_name_them(client):
    """The JSON and CSV listed "Luna" twice where each total's shares said "Luna (evening)" and "Luna (morning)": a
    system reading them could not tell which share was which product."""
    from formulator.models import Product, Stack, StackItem

    StackItem.objects.create(stack=Stack.objects.get(slug="ntrpx-daily"), product=Product.objects.get(slug="luna"),
                             servings_per_day=1, timing="morning", position=9)
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()

    names = [p["name"] for p in sheet["products"]]
    assert names == ["Recover", "Luna (evening)", "Boost", "Sustain", "Luna (morning)"]
    magnesium = next(t for t in sheet["totals"] if t["nutrient"] == "magnesium")
    assert {s["name"] for s in magnesium["shares"]} <= set(names)
    assert "Luna (morning)" in client.get("/stacks/ntrpx-daily/spec.csv").content.decode()


def test_a_capsule_fill_says_which_densities_it_is_worked_out_at_and_their_source(client):
    """Recover read "over, 4 capsules needed" where the seed monograph fills its 1,000 mg into one size 00 capsule,
    and nothing said the threonate's 0.6 g/mL was a planning figure, not the supplier's."""
    from compounds.models import Compound

    planning = "Typical tapped density for planning, not a supplier specification: replace with your supplier's"
    workbench = text(client.get("/products/recover/edit"))
    sheet = text(client.get("/products/recover/spec/"))
    Compound.objects.filter(slug="magnesium-l-threonate").update(bulk_density_g_per_ml="1.1", bulk_density_source="")
    compound = text(client.get("/compounds/magnesium-l-threonate/"))

    assert f"Densities magnesium L-threonate 0.6 g/mL: {planning}" in html.unescape(workbench)
    assert f"Density of magnesium L-threonate 0.6 g/mL: {planning}." in html.unescape(sheet)
    assert "Tapped bulk density 1.1 g/mL no source recorded" in compound


def test_product_list_shows_daily_magnesium_and_status(client):
    response = client.get("/products/")
    page = text(response)

    assert response.status_code == 200
    assert re.search(r"Recover Capsule size 00 2 Capsules 1 144 mg 144 mg US, EU ok", page)
    assert re.search(r"MoodFlow Capsule size 00 2 Capsules 2 120 mg 240 mg US, EU near for vitamin B6 and magnesium Draft", page)


def test_product_list_never_reads_as_a_limit_a_product_is_over(client):
    """6,945 mg of threonate is 500.04 mg a serving and a day: over Canada's 500 mg, which "500 mg" would seem to meet."""
    from formulator.models import Product

    recover = Product.objects.get(slug="recover")
    recover.lines.filter(compound__slug="magnesium-l-threonate").update(amount=6945)
    Product.objects.filter(pk=recover.pk).update(markets=["CA"])

    page = text(client.get("/products/"))

    assert re.search(r"Recover Capsule size 00 2 Capsules 1 500\.04 mg 500\.04 mg CA over", page)


def test_stack_list_says_which_nutrients_a_stacks_status_is_for(client):
    page = text(client.get("/stacks/"))

    assert re.search(r"NTRPX Daily .* over for magnesium", page)


def test_product_list_shows_each_products_stage_and_what_blocks_its_approval(client):
    html = client.get("/products/").content.decode()
    rows = {re.search(r'aria-label="Compare ([^"]+)"', row).group(1): text_of(row)
            for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "aria-label" in row}

    # Recover's 2,000 mg of threonate needs 4 size 00 capsules, not the 2 of its serving; the list's limit badge is ok.
    assert rows["Recover"].endswith("ok Draft 1 approval blocker Edit")
    assert '<a class="blocked" href="/products/recover/#approval-blockers">1 approval blocker</a>' in html
    assert rows["MoodFlow"].endswith("near for vitamin B6 and magnesium Draft Edit")
    detail = client.get("/products/recover/").content.decode()
    assert 'id="approval-blockers"' in detail and "The serving does not fit in 2 size 00 capsules" in detail


def test_an_approved_product_the_list_says_is_not_approvable_now_shows_why_on_its_page(client):
    """The list linked to blockers its page did not show; then neither said them (Recover approved, say, before its
    capsule size changed): both do, as what it would not be approved for now."""
    from formulator.models import Product
    from formulator.services import MESSAGE_APPROVED_NO_LONGER

    Product.objects.filter(slug="recover").update(status="approved")
    html = client.get("/products/").content.decode()
    page = client.get("/products/recover/").content.decode()

    assert 'href="/products/recover/#approval-blockers">not approvable now: 1 reason' in html
    assert 'id="approval-blockers"' in page and MESSAGE_APPROVED_NO_LONGER in page
    assert "Approval needs these fixed first" not in page


def test_compound_detail_flags_the_deviation_of_specified_from_theory(client):
    page = text(client.get("/compounds/magnesium-l-threonate/"))

    assert "294.50 g/mol" in page
    assert "Magnesium 8.25% 7.20% −1.05 pp differs from theory specified 7.20%" in page


def test_a_compound_page_keeps_in_sight_the_doubts_its_formula_was_saved_with(client):
    """"MgC12" (twelve carbons: 8.38% magnesium for the chloride's 25.53%) was warned of once, on saving in the admin;
    its page, which product teams read, said nothing of it."""
    from django.utils.html import escape

    from compounds.selectors import LEAD_PREVIEW, MESSAGE_FORMULA_BARE_CARBON
    from tests.factories import CompoundFactory

    doubtful = CompoundFactory(name="QA chloride", slug="qa-chloride", formula="MgC12")

    page = client.get(f"/compounds/{doubtful.slug}/").content.decode()
    plain = client.get("/compounds/magnesium-oxide/").content.decode()

    assert escape(MESSAGE_FORMULA_BARE_CARBON.format(lead=LEAD_PREVIEW, compound="QA chloride", formula="MgC12")) in page
    assert 'id="compound-doubts"' not in plain


def test_a_compound_page_leads_to_its_studies_and_calls_a_materials_grade_so(client):
    """A compound's page had no way to its evidence, and its "Grade" (Magtein) read as an evidence grade, A to E."""
    html = client.get("/compounds/magnesium-l-threonate/").content.decode()
    listing = client.get("/compounds/").content.decode()

    count = Study.objects.filter(compounds__slug="magnesium-l-threonate").count()
    assert (f'<a href="/evidence/?compound=magnesium-l-threonate">{count} studies of Magnesium L-threonate in the evidence '
            'library</a>') in html
    assert "<dt>Material grade</dt><dd>Magtein" in html
    assert "<th>Material grade</th>" in listing and "<th>Grade</th>" not in listing
    studies = text(client.get("/evidence/?compound=magnesium-l-threonate"))
    assert "Liu et al. 2016" in studies


def test_a_compound_page_without_studies_says_so_instead_of_linking_to_an_empty_list(client):
    html = client.get("/compounds/magnesium-carbonate/").content.decode()

    assert "No study of Magnesium carbonate (anhydrous) is in the evidence library.</p>" in html
    assert "/evidence/?compound=magnesium-carbonate" not in html


def test_a_compound_page_lists_the_interactions_of_the_compound_and_of_its_nutrients(client):
    """The library's interactions showed on product pages only: L-threonate's own page said nothing of its exclusion for
    pregnancy in the EU, nor of magnesium's heart block; glycine, which the library records none for, says so."""
    threonate = text(client.get("/compounds/magnesium-l-threonate/"))
    glycine = text(client.get("/compounds/glycine/"))

    assert "Pregnancy and lactation (Magnesium L-threonate) Population" in threonate
    assert "Excluded by law in EU: a product for these populations sold there cannot be approved." in threonate
    assert "Heart block Contraindication Magnesium may exacerbate conduction block high" in threonate
    assert "The library records no interaction or contraindication for these ingredients: not that none is known." in glycine


def test_the_threonate_page_does_not_repeat_the_seeds_unconfirmed_manufacturer_or_its_stale_eu_status(client):
    page = text(client.get("/compounds/magnesium-l-threonate/"))

    assert "ThreoTech (Magtein), distributed by AIDP" in page
    assert "Seed 004 names Mitsubishi Gas Chemical as Magtein" in page and "attribution is unconfirmed" in page
    assert "novel food application pending&#x27; is out of date." in page


def test_the_threonate_page_says_the_seeds_tier_is_not_the_librarys_grade(client):
    """Seed 004 rates threonate "Tier 2: Supported" (B), and nothing said the grades, C, do not bear it out."""
    page = html.unescape(text(client.get("/compounds/magnesium-l-threonate/")))

    assert "Seed 004 rates it 'Tier 2: Supported' (grade B on this library's scale)" in page
    assert "which do not bear that out" in page


def test_compound_detail_says_why_a_chelates_fractions_add_up_to_more_than_the_whole(client):
    bisglycinate = text(client.get("/compounds/magnesium-bisglycinate/"))
    oxide = client.get("/compounds/magnesium-oxide/").content.decode()

    assert "Magnesium 14.10%" in bisglycinate and "Glycine 87.07%" in bisglycinate
    assert ("The fractions add up to 101.17%, more than the compound itself: glycine is weighed as the free molecule, "
            "which carries the hydrogen that magnesium takes the place of in the compound.") in bisglycinate
    assert 'id="fractions-over-whole"' not in oxide


def test_a_zinc_chelates_fractions_name_zinc_as_what_takes_the_hydrogens_place(client):
    """Zinc bisglycinate said "the hydrogen that magnesium takes the place of", and listed zinc as a free molecule."""
    from compounds.models import Nutrient
    from tests.factories import CompoundFactory, CompoundNutrientFactory, NutrientFactory

    zinc = NutrientFactory(slug="zinc", name="Zinc", formula="Zn")
    compound = CompoundFactory(name="Zinc bisglycinate", slug="zinc-bisglycinate", formula="C4H8N2O4Zn",
                               form_class="amino-acid-chelate")
    CompoundNutrientFactory(compound=compound, nutrient=zinc)
    CompoundNutrientFactory(compound=compound, nutrient=Nutrient.objects.get(slug="glycine"), units_per_formula=2)

    page = text(client.get(compound.get_absolute_url()))

    assert ("glycine is weighed as the free molecule, which carries the hydrogen that zinc takes the place of in the "
            "compound.") in page


def test_compound_detail_shows_how_a_hydrate_was_read(client):
    page = text(client.get("/compounds/magnesium-chloride-hexahydrate/"))

    assert "MgCl2·6H2O read as MgCl2(H2O)6" in page
    assert "203.30 g/mol" in page


def test_compound_search_finds_threonate(client):
    page = text(client.get("/compounds/", {"q": "threo"}))

    assert "Magnesium L-threonate" in page
    assert "Magnesium oxide" not in page


def test_reference_values_list_their_sources(client):
    page = text(client.get("/reference-values/"))

    assert "21 CFR 101.9(c)(8)(iv), 2016 rule" in page
    assert "not set" in page  # the EU UL for children 1-3
    # The US and CA magnesium and vitamin B6 ULs for infants (Canada's are the IOM's)
    assert page.count("none: food and formula only") == 4


@pytest.mark.parametrize("url", ["/products/nope/", "/stacks/nope/", "/compounds/nope/"])
def test_unknown_slugs_are_404_not_500(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url, back", [
    ("/products/recover/duplicate", "/products/recover/"), ("/products/recover/status", "/products/recover/"),
    ("/products/recover/revise", "/products/recover/"), ("/products/recover/history/revert", "/products/recover/"),
    ("/stacks/ntrpx-daily/history/revert", "/stacks/ntrpx-daily/"),
])
def test_an_actions_address_opened_says_nothing_was_done_and_leads_back(client, url, back):
    from formulator.decorators import MESSAGE_POST_ONLY

    response = client.get(url)
    assert (response.status_code, response["Allow"]) == (405, "POST")
    what = "stack" if back.startswith("/stacks/") else "product"
    assert MESSAGE_POST_ONLY.format(what=what) in html.unescape(text(response))
    assert f'href="{back}"' in response.content.decode()


def test_pages_use_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    # Session, user, library, evidence and the page's own rows: a fixed number, whatever the number of lines.
    with django_assert_max_num_queries(20):
        client.get("/stacks/ntrpx-daily/")
    with django_assert_max_num_queries(20):
        client.get("/products/recover/")
    with django_assert_max_num_queries(20):  # with the evidence: an ingredient excluded by law blocks approval
        client.get("/products/")


def test_healthz(client):
    assert client.get("/healthz").content == b"ok"


def test_htmx_is_served_from_the_app_not_a_cdn(client, cdn_csrf_token):
    html = client.get("/products/").content.decode()
    assert cdn_csrf_token in html
    markup = html.replace(cdn_csrf_token, "")

    scripts = re.findall(r'<script[^>]* src="([^"]+)"', markup)
    assert any(re.fullmatch(r"/static/django_htmx/htmx[-.\w]*\.js", src) for src in scripts), scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
    assert not re.search(r"cdn|unpkg|jsdelivr|https?://", markup, re.IGNORECASE)


@pytest.mark.parametrize(("url", "badge"), [
    # "Limits: no limit" read as "none applies": the library records none for Boost's nutrients in its markets.
    ("/products/", '<span class="badge badge-no-limit">none recorded</span>'),
    ("/products/boost/", '<span class="badge badge-no-limit" id="overall-status">none recorded</span>'),
    ("/products/boost/spec/", '<div class="status status-no-limit" id="spec-limits">Limits: none recorded</div>'),
    ("/stacks/", '<span class="badge badge-over">over</span>'),
    ("/stacks/ntrpx-daily/", '<span class="badge badge-over" id="overall-status">over</span>'),
    ("/stacks/ntrpx-daily/spec/", '<div class="status status-over" id="spec-limits">Limits: over for magnesium</div>'),
])
def test_a_design_status_is_shown_with_its_badge(client, url, badge):
    assert badge in client.get(url).content.decode()


@pytest.mark.parametrize(("population", "us", "eu"), [
    ("child-1-3", "30 mg", "3.2 mg/day UL 1-3 years"),
    ("child-4-8", "40 mg", "4.5 mg/day UL 4-6 years; 6.1 mg at 7-8 years"),
    ("child-9-13", "60 mg", "6.1 mg/day UL 9-10 years; 8.6 mg at 11-13 years"),
    ("teen-14-18", "80 mg", "8.6 mg/day UL 14 years; 10.7 mg at 15-17 years, 12 mg at 18"),
])
def test_vitamin_b6_has_its_upper_limits_for_children_with_the_ages_they_hold_for(client, population, us, eu):
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(population=population)
    page = text(client.get("/products/moodflow/"))

    assert f"US Vitamin B6 {us}/day UL" in page and f"EU Vitamin B6 {eu}" in page
    assert "records no upper limit for" not in page  # per market; L-theanine is said once, limited nowhere


def test_vitamin_b6_for_infants_is_over_any_amount_in_the_us_and_its_eu_limit(client):
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(population="infant")
    page = text(client.get("/products/moodflow/"))

    assert "EU Vitamin B6 2.2 mg/day UL" in page
    # The EU limits B6 for infants but not magnesium: said, not left out as though B6's row covered the market.
    assert presenters.no_limit_recorded("EU", ["Magnesium"]) in html.unescape(page)
    assert "US Vitamin B6 none: food and formula only UL, supplemental 9.9 mg — — over" in page
    assert ("9.9 mg/day is over: the US infants 0-12 months limit for supplemental vitamin B6 allows none; it should come "
            "from food and formula only.") in page


@pytest.mark.parametrize(("population", "status", "about"), [
    ("child-9-13", "over", "vitamin B6"),  # magnesium is only near the EU's 250 mg; B6 is over its 6.1 mg
    ("adult", "near", "vitamin B6 and magnesium"),  # 9.9 of 12 mg, 240 of 250 mg in the EU
    ("child-4-8", "over", "vitamin B6 and magnesium"),  # over 4.5 mg and 110 mg
])
def test_the_status_badge_says_which_nutrients_it_is_for(client, population, status, about):
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(population=population)
    page = client.get("/products/moodflow/").content.decode()

    assert f'id="overall-status">{status}</span> <small class="status-nutrients" id="overall-nutrients">for {about}</small>' in page
    assert f'id="spec-limits">Limits: {status} for {about}</div>' in (
        client.get("/products/moodflow/spec/").content.decode())
    edit = client.get("/products/moodflow/edit").content.decode()
    assert f'<span class="status-nutrients" id="overall-nutrients">for {about}</span>' in edit


def test_vitamin_b6_has_its_upper_limits_in_pregnancy_as_for_adults(client):
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(population="pregnancy")
    page = text(client.get("/products/moodflow/"))

    assert "US Vitamin B6 100 mg/day UL" in page and "EU Vitamin B6 12 mg/day UL" in page
    assert "records no upper limit for" not in page  # per market; L-theanine is said once, limited nowhere


def test_the_admins_pages_find_the_sites_icon(anonymous_client):
    """The admin's pages name no icon: the browser's /favicon.ico answered 404."""
    response = anonymous_client.get("/favicon.ico")

    assert response.status_code == 302 and response["Location"].endswith(".svg")
    assert "favicon" in response["Location"]


@pytest.mark.parametrize(("url", "heading"), [
    ("/products/", "Products"), ("/stacks/", "Stacks"), ("/compounds/", "Compound library"), ("/evidence/", "Evidence library"),
    ("/products/luna/edit", 'Edit Luna <small class="version">revision 1 · edit 1</small>'),
    ("/stacks/ntrpx-daily/edit", 'Edit NTRPX Daily <small class="version">edit 1</small>')])
def test_a_pages_heading_holds_its_title_not_its_buttons_nor_the_unsaved_flag(client, url, heading):
    """Headings listed by a screen reader read "Products New product" and "Edit Luna … Unsaved changes"."""
    html = client.get(url).content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", html, re.DOTALL) == [heading]


@pytest.mark.parametrize(("url", "name"), [("/products/luna/", "Luna"), ("/stacks/ntrpx-daily/", "NTRPX Daily")])
def test_a_design_pages_heading_is_its_name_with_its_badge_said_as_the_limits(client, url, name):
    """A screen reader read the heading as "Luna ok revision 1 · Draft · edit 1 · NTRPX Labs Edit in workbench"."""
    html = client.get(url).content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", html, re.DOTALL) == [name]
    assert '<span class="visually-hidden">Limits:</span> <span class="badge' in html


@pytest.mark.parametrize("url", ["/products/recover/edit", "/products/new", "/stacks/ntrpx-daily/edit", "/stacks/new",
                                 "/products/recover/", "/stacks/ntrpx-daily/", "/products/", "/compare/?products=recover,luna"])
def test_no_template_comment_shows_on_a_page(client, url):
    """A two-line {# … #}, which Django templates take as text, was printed above the editors' figures."""
    html = client.get(url).content.decode()

    assert "{#" not in html and "#}" not in html and "{% comment" not in html


def test_a_stack_without_magnesium_says_0_mg_in_the_list_as_in_its_headline(client):
    """The stack list said "—" where the editor's headline, the comparison and the product list say "0 mg"."""
    from formulator.models import Product, Stack, StackItem

    stack = Stack.objects.create(name="No Mg", slug="no-mg", team=Product.objects.get(slug="boost").team)
    StackItem.objects.create(stack=stack, product=Product.objects.get(slug="boost"), timing="morning")

    assert re.search(r"No Mg \S+ 0 mg", text(client.get("/stacks/")))
    assert '<strong id="mg-day">0 mg</strong>' in client.get("/stacks/no-mg/edit").content.decode()


def test_no_django_template_comment_runs_over_a_line_end():
    """Django's {# #} comment is one line: one run over two was printed on the workbench, words and braces."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    opened = [f"{path.relative_to(root)}:{number}" for path in root.rglob("*.html")
              for number, line in enumerate(path.read_text().splitlines(), start=1)
              if line.count("{#") > line.count("#}")]

    assert opened == []


def test_a_products_lines_rounded_apart_from_its_total_are_said_to_be(client):
    """MagTech's lines read 72 + 22 + 49 mg of magnesium beside its 144 mg, unsaid; Recover's one line says nothing."""
    from formulator.labels import LINES_ROUNDED_APART

    import html

    assert LINES_ROUNDED_APART in html.unescape(client.get("/products/magtech-complex/").content.decode())
    assert LINES_ROUNDED_APART not in html.unescape(client.get("/products/recover/").content.decode())


def test_compounds_are_listed_by_name_regardless_of_case(client):
    """"Magnesium L-threonate" came before "Magnesium bisglycinate" (a capital before a small letter)."""
    from compounds.selectors import compound_list

    names = [c.name for c in compound_list()]
    page = client.get("/compounds/").content.decode()

    assert names == sorted(names, key=lambda name: (name.lower(), name))
    assert page.index("Magnesium bisglycinate") < page.index("Magnesium L-threonate")


def test_a_designs_exclusion_for_a_population_it_is_not_for_is_not_said_as_blocking_it(client):
    """The adults' stack read, in red under the children's and pregnancy's rows, "Excluded by law in EU: a product for
    these populations sold there cannot be approved", as if it were blocked."""
    from formulator.models import Product, ProductLine

    recover = ProductLine.objects.filter(product__slug="recover", compound__slug="magnesium-l-threonate")
    assert recover.exists() and Product.objects.get(slug="recover").population == "adult"

    page = client.get("/products/recover/").content.decode()

    assert "cannot be approved" not in page
    assert "Excluded by law in EU for these populations, which this design is not for." in page
    assert presenters.NOTE_EXCLUDED_OTHER_POPULATIONS.format(markets="EU") in page


@pytest.mark.parametrize("population", ["adult", "pregnancy"])
def test_an_exclusion_in_a_market_a_design_is_not_sold_in_says_it_is_the_market(client, population):
    """MagTech, made for the US, read "Excluded by law in EU for these populations, which this design is not for": the
    EU, not the populations, is why the law does not touch it; and made for pregnancy, it read as blocked."""
    from formulator.models import Product

    Product.objects.filter(slug="magtech-complex").update(population=population)
    page = client.get("/products/magtech-complex/").content.decode()
    sheet = client.get("/products/magtech-complex/spec/").content.decode()

    note = presenters.NOTE_EXCLUDED_OTHER_MARKET.format(markets="EU")
    assert note == "Excluded by law for these populations in EU, a market this design is not for."
    assert f"<br>{note}<br>" in page and f"<br>{note} <sup" in sheet
    for html_ in (page, sheet):
        assert "which this design is not for" not in html_ and "cannot be approved" not in html_


def test_a_capsule_size_that_does_not_suit_the_serving_names_the_ones_that_would(client):
    """"Under 80% of the volume: a smaller size may do" named none; a serving over its capsules named none either."""
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(capsule_size="000")
    underfilled = text(client.get("/products/moodflow/"))
    Product.objects.filter(slug="moodflow").update(capsule_size="0")
    over = text(client.get("/products/moodflow/"))
    Product.objects.filter(slug="moodflow").update(capsule_size="00")
    suits = text(client.get("/products/moodflow/"))

    assert "Under 80% of the volume: a smaller size may do. In 2 capsules a serving, size 00 (87% full) would suit it." in underfilled
    assert "In 2 capsules a serving, size 00 (87% full) would suit it." in over
    assert "would suit it" not in suits
    Product.objects.filter(slug="moodflow").update(capsule_size="000")
    assert "In 2 capsules a serving, size 00 (87% full) would suit it." in text(client.get("/products/moodflow/spec/"))
    fits = client.get("/products/moodflow/spec.json").json()["capsule_fill"]["sizes_that_fit"]
    assert [size["capsule_size"] for size in fits] == ["00"]


def test_reference_values_page_lists_markets_as_the_safety_tables_do(client):
    values = client.get("/reference-values/").context["values"]

    assert list(dict.fromkeys(v.market for v in values if v.nutrient.slug == "magnesium")) == ["US", "EU", "CA", "AU-NZ", "DE"]


def test_a_stack_says_which_products_are_not_designed_for_all_its_markets(client):
    """A US-only product (as MagTech is) in a stack sold in the EU too was listed as any other."""
    from formulator.models import Product
    from formulator.reports import NOTE_OTHER_MARKETS

    Product.objects.filter(slug="luna").update(markets=["US"])
    page = text(client.get("/stacks/ntrpx-daily/"))
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()

    note = NOTE_OTHER_MARKETS.format(product_markets="US", markets="EU")
    assert note in page
    notes = {row["product_slug"]: row["note"] for row in sheet["products"]}
    assert note in notes["luna"] and note not in notes["recover"]


def test_a_stack_says_a_day_of_a_product_is_no_whole_number_of_capsules_once_its_serving_changed(client):
    """Recover at 0.5 servings of 2 capsules; its serving changed to 1 capsule: the stack's page, sheets and compare
    listed half a capsule a day as fine, where only its editor refused it."""
    from formulator.forms import ERROR_WHOLE_UNITS_A_DAY
    from formulator.models import Product, StackItem
    from formulator.reports import NOTE_WHOLE_UNITS

    StackItem.objects.filter(stack__slug="ntrpx-daily", product__slug="recover").update(servings_per_day="0.5")
    Product.objects.filter(slug="recover").update(dosage_form="capsule", serving_size=1)
    page = text(client.get("/stacks/ntrpx-daily/"))
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()
    csv = client.get("/stacks/ntrpx-daily/spec.csv").content.decode()

    note = NOTE_WHOLE_UNITS.format(problem=ERROR_WHOLE_UNITS_A_DAY.format(
        servings="0.5", serving="1 capsule", units="0.5 capsules", unit="capsule"))
    assert note in page
    assert {row["product_slug"]: row["note"] for row in sheet["products"]}["recover"].endswith(note)
    assert note in csv


def test_a_stacks_products_and_chart_never_read_as_a_limit_its_total_is_not(client):
    """Luna at 2.33 servings: 349.5 mg a day in the totals, "350 mg" beside the US limit of 350 mg in the products,
    the From and the chart."""
    from decimal import Decimal

    from accounts.models import Team
    from formulator import services
    from formulator.models import Product

    luna = Product.objects.get(slug="luna")
    services.stack_save(stack=None, fields={"name": "Luna only", "markets": ["US"], "population": "adult", "notes": ""},
                        items=[services.ItemData(luna, Decimal("2.33"), "evening")], expected_version=None,
                        team=Team.objects.get(slug="ntrpx-labs"))
    page = text(client.get("/stacks/luna-only/"))
    from tests.test_spec import pdf_text

    sheet = " ".join(pdf_text(client.get("/stacks/luna-only/spec.pdf")).split())

    assert "Evening 2.33 349.5 mg Magnesium a day by product: 349.5 mg; US UL 350 mg Luna: 349.5 mg" in page
    assert "Magnesium 349.5 mg 349.5 mg Luna 349.5 mg (100%)" in page
    assert "may not add up" not in page  # one product's amount is the total
    assert "Evening 2.33 349.5 mg" in sheet and "Luna 349.5 mg (100%)" in sheet


def test_a_stacks_largest_single_dose_says_when_it_is_taken_and_of_which_products(client):
    """"294 mg in one dose is 169 mg over the DE maximum" named neither the evening nor Recover and Luna."""
    from formulator.models import Stack
    from formulator.reports import NOTE_LARGEST_DOSE

    Stack.objects.filter(slug="ntrpx-daily").update(markets=["US", "EU", "DE"])
    page = text(client.get("/stacks/ntrpx-daily/"))
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()

    assert NOTE_LARGEST_DOSE.format(nutrient="Magnesium", amount="294 mg", timing="evening",
                                    products="Recover and Luna") in page
    (dose,) = sheet["largest_doses"]
    assert dose == {"nutrient": "magnesium", "amount_mg": dose["amount_mg"], "timing": "evening", "products": ["Recover", "Luna"]}
    assert dose["amount_mg"].startswith("294.01")  # exact, as the sheet's other amounts


def test_a_stack_sold_where_no_rule_limits_a_dose_says_nothing_of_its_doses(client):
    page = text(client.get("/stacks/ntrpx-daily/"))

    assert "the largest single dose" not in page
    assert client.get("/stacks/ntrpx-daily/spec.json").json()["largest_doses"] == []


def test_a_dose_within_the_span_of_all_studies_says_when_it_is_within_none_of_a_claims(client):
    """Recover read a green "within" for 2,000 mg of L-threonate: the span's top was a cognition trial's, and the one
    sleep trial, for its sleep claim, gave 1,000 mg. Luna's citrate was read against trials of other outcomes alone."""
    from formulator.reports import NOTE_CLAIM_DOSE_APART, NOTE_NO_CLAIM_STUDY

    recover = text(client.get("/products/recover/"))
    luna = client.get("/products/luna/spec.json").json()
    moodflow = text(client.get("/products/moodflow/"))

    assert NOTE_CLAIM_DOSE_APART.format(compound="Magnesium L-threonate", claim="sleep", studies=(
        "above that of Hausenblas et al. 2024 (fatigue, mood, sleep quality)")) in recover
    assert luna["claim_dose_notes"] == [NOTE_NO_CLAIM_STUDY.format(compound="Trimagnesium dicitrate (anhydrous)",
                                                                   claims="sleep and muscle relaxation")]
    assert "a claim of the design" not in moodflow and "measured the design's claims" not in moodflow


@pytest.mark.parametrize(("url", "names"), [
    ("/products/boost/", "L-theanine"),  # said per market, US then EU: twice
    ("/products/moodflow/", "glycine and L-theanine"),  # not said, magnesium and B6 being limited (glycine: bisglycinate's)
    ("/stacks/ntrpx-daily/", "glycine, L-theanine and withanolides"),
])
def test_a_designs_nutrients_no_market_limits_are_said_once_in_its_safety_table(client, url, names):
    page = html.unescape(client.get(url).content.decode())
    said = presenters.NO_LIMIT_RECORDED_ANYWHERE.format(nutrients=names)

    assert page.count(said) == 1
    table = page.split('id="safety-table"')[1].split("</table>")[0]
    assert said in table
    assert 'class="status-no-limit" data-market=' not in table  # every chosen market limits the others
    assert "No upper limit is recorded for these nutrients" not in table
