"""Spec sheets: the PDF's text, the label panels, and CSV and JSON carrying the page's figures."""

import csv
import html
import io
import json
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from formulator import labels

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def laid_out_text(sheet_html: str) -> list[tuple[str, bool]]:
    """The lines of text of a sheet, laid out as its PDF is, each with whether it runs past its table cell or the page's
    right margin."""
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure import boxes

    from formulator.spec_views import SPEC_CSS

    document = HTML(string=sheet_html).render(stylesheets=[CSS(filename=str(SPEC_CSS))])
    found = []

    def walk(box, right):
        if isinstance(box, boxes.TableCellBox):
            right = min(right, box.position_x + box.margin_width())
        if isinstance(box, boxes.TextBox):
            found.append((box.text, box.position_x + box.width > right + 0.5))
        for child in getattr(box, "children", ()):
            walk(child, right)

    for page in document.pages:
        page_box = page._page_box
        walk(page_box, page_box.content_box_x() + page_box.width)
    return found


def overflowing_text(sheet_html: str) -> list[str]:
    """The words of a sheet, laid out as its PDF is, that run past their table cell or the page's right margin."""
    return [text for text, overflows in laid_out_text(sheet_html) if overflows]


def test_a_sheet_keeps_a_long_name_and_huge_amounts_inside_their_cells_and_the_page(client):
    """A 120-character name and 100 g lines taken 20 times a day ran off the page and over the next column."""
    from django.template.loader import render_to_string

    from formulator import spec
    from formulator.models import Product, ProductLine

    long_name = "QA Huge " + "W" * 112
    Product.objects.filter(slug="recover").update(name=long_name, servings_per_day=20)
    ProductLine.objects.filter(product__slug="recover").update(amount=Decimal("99999.9999"), overage_percent=Decimal("99.99"))
    sheet = render_to_string("formulator/spec/product.html", {**spec.product_sheet(Product.objects.get(slug="recover")),
                                                               "pdf": True})

    assert long_name in html.unescape(sheet)
    assert overflowing_text(sheet) == []


def test_a_sheets_weigh_outs_keep_their_digits_together_inside_their_cells(client):
    """ "1,999,998,00" over "0 mg" read as two figures: the largest weigh-out a line can have (100 g a serving, 10,000
    servings, 100% overage), and the sum of five such lines."""
    from django.template.loader import render_to_string

    from compounds.models import Compound
    from formulator import spec
    from formulator.models import Product, ProductLine

    recover = Product.objects.get(slug="recover")
    Product.objects.filter(pk=recover.pk).update(servings_per_container=10_000)
    for position, compound in enumerate(Compound.objects.exclude(product_lines__product=recover).order_by("slug")[:4], 1):
        ProductLine.objects.create(product=recover, compound=compound, amount=0, position=position)
    ProductLine.objects.filter(product=recover).update(amount=Decimal("99999.9999"), overage_percent=Decimal("99.99"))
    context = spec.product_sheet(Product.objects.get(pk=recover.pk))
    sheet = render_to_string("formulator/spec/product.html", {**context, "pdf": True})
    table = re.search(r'<table class="grid" id="spec-ingredients">.*?</table>', sheet, re.S).group(0)
    laid_out = laid_out_text(f"<html><body>{table}</body></html>")

    weighed = [labels.compound_mass(mg).removesuffix(" mg") for mg in
               [per_container for _, _, per_container in context["ingredient_rows"]] + [context["container_total_mg"]]]
    assert (weighed[0], weighed[-1]) == ("1,999,899,998", "9,999,499,990")
    assert all(any(text.startswith(number) for text, _ in laid_out) for number in weighed)
    assert [text for text, overflows in laid_out if overflows] == []


def test_a_sheets_safety_figures_keep_their_digits_together_inside_their_cells(client):
    """ "1,033,77" over "7%" read as two figures: the safety table's amounts, percentages and margins of a design of
    100 g lines taken 20 times a day; and its counts have thousands separators, as its amounts do ("1671 capsules")."""
    from django.template.loader import render_to_string

    from formulator import spec
    from formulator.models import Product, ProductLine

    Product.objects.filter(slug="recover").update(servings_per_day=20, servings_per_container=10_000, serving_size=50,
                                                  capsule_size="4")
    ProductLine.objects.filter(product__slug="recover").update(amount=Decimal("99999.9999"), overage_percent=Decimal("99.99"))
    context = spec.product_sheet(Product.objects.get(slug="recover"))
    sheet = render_to_string("formulator/spec/product.html", {**context, "pdf": True})
    table = re.search(r'<table class="grid" id="spec-safety">.*?</table>', sheet, re.S).group(0)
    laid_out = laid_out_text(f"<html><body>{table}</body></html>")

    figures = [figure for row in context["report"].safety for figure in (row.amount_text, row.percent_text)]
    assert "115,194%" in figures  # 287,986 mg of magnesium a day against the EU's 250 mg
    assert all(any(text.startswith(figure.split()[0]) for text, _ in laid_out) for figure in figures), laid_out
    assert [text for text, overflows in laid_out if overflows] == []
    assert "10,000 servings" in sheet and "Recommended daily portion: 1,000 capsules (50 capsules, 20 times a day)" in sheet
    assert re.search(r" \d,\d{3} capsules needed at no more than 95% fill", sheet)
    assert "<dt>Servings per container</dt><dd>10,000</dd>" in client.get("/products/recover/").content.decode()


def test_a_long_word_in_a_label_wraps_inside_the_panel_and_the_page(client):
    """An 80-character blend name ran out of the Supplement Facts box, and an unbroken ingredient list off the page."""
    from django.template.loader import render_to_string

    from formulator import spec
    from formulator.models import Product, ProductLine

    blend = "X" * 80
    Product.objects.filter(slug="moodflow").update(other_ingredients="Hypromellose" + "y" * 120)
    ProductLine.objects.filter(product__slug="moodflow", compound__slug="l-theanine").update(blend=blend)
    sheet = render_to_string("formulator/spec/product.html", {**spec.product_sheet(Product.objects.get(slug="moodflow")),
                                                               "pdf": True})

    assert blend in html.unescape(sheet)
    assert overflowing_text(sheet) == [], overflowing_text(sheet)


def test_an_amount_with_its_decimals_keeps_its_digits_on_one_line(client):
    """The label amount 1,333.4242 mg broke as "1,333.424" over "2 mg": the column was narrower than the number."""
    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(servings_per_container=120)
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-l-threonate"),
                       amount=Decimal("1333.4242"), overage_percent=Decimal("7.5"))
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="pyridoxine-hydrochloride"),
                       amount=Decimal("13.4242"), overage_percent=Decimal("12.25"))

    text = pdf_text(client.get(f"/products/{product.slug}/spec.pdf"))

    assert "1,333.4242 mg" in text and "1,433.431 mg" in text and "172,011.7 mg" in text
    assert "13.4242 mg" in text and "15.0687 mg" in text


def test_a_long_name_wraps_beside_the_status_badges_not_under_them(client):
    """A 103-character name ran under "Limits: near for vitamin B6 and magnesium" in the PDF."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    from formulator import spec
    from formulator.models import Product
    from formulator.spec_views import SPEC_CSS

    Product.objects.filter(slug="moodflow").update(name="QA Very Long Product Name For Layout Testing Of The "
                                                         "Specification Sheet Header Magnesium Complex Ultra")
    sheet = render_to_string("formulator/spec/product.html", {**spec.product_sheet(Product.objects.get(slug="moodflow")),
                                                               "pdf": True})
    page = HTML(string=sheet).render(stylesheets=[CSS(filename=str(SPEC_CSS))]).pages[0]._page_box

    def boxes(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    def right_of_text(box):
        return max(b.position_x + b.width for b in boxes(box) if type(b).__name__ == "TextBox")

    title = next(b for b in boxes(page) if b.element_tag == "h1")
    badge = next(b for b in boxes(page) if b.element is not None and "status" in (b.element.get("class") or "").split())
    assert right_of_text(title) <= badge.position_x


def test_a_percentage_of_a_limit_stays_on_one_line(client):
    """279.95 mg a day read "79.98" above "%" in the US, CA and AU-NZ rows."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    from formulator import spec
    from formulator.models import Product, ProductLine
    from formulator.spec_views import SPEC_CSS

    Product.objects.filter(slug="recover").update(markets=["US", "EU", "CA", "AU-NZ"])
    ProductLine.objects.filter(product__slug="recover").update(amount=Decimal("3888.2"))
    sheet = render_to_string("formulator/spec/product.html", {**spec.product_sheet(Product.objects.get(slug="recover")),
                                                               "pdf": True})
    document = HTML(string=sheet).render(stylesheets=[CSS(filename=str(SPEC_CSS))])

    def boxes(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    tables = [b for page in document.pages for b in boxes(page._page_box)
              if b.element is not None and b.element.get("id") == "spec-safety" and type(b).__name__ == "TableBox"]
    cells = [cell for table in tables for cell in boxes(table) if type(cell).__name__ == "TableCellBox"
             and cell.element_tag == "td" and (cell.element.text or "").endswith("%")]

    assert "79.99%" in [cell.element.text for cell in cells]
    assert [len({round(t.position_y) for t in boxes(cell) if type(t).__name__ == "TextBox"}) for cell in cells] == [1] * len(cells)


@pytest.mark.parametrize("slug", ["luna", "recover", "moodflow"])
def test_every_table_of_a_sheet_fits_within_the_pages_margins(slug):
    """The ingredients table, its columns' widths summing to 90% of it plus their padding, ran 1.3 mm past the right
    margin on every sheet, the section rules above it ending where the page does."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    from formulator import spec
    from formulator.models import Product
    from formulator.spec_views import SPEC_CSS

    sheet = render_to_string("formulator/spec/product.html", {**spec.product_sheet(Product.objects.get(slug=slug)), "pdf": True})
    document = HTML(string=sheet).render(stylesheets=[CSS(filename=str(SPEC_CSS))])

    def boxes(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    past = []
    for page in document.pages:
        right = page._page_box.content_box_x() + page._page_box.width
        past += [(b.element.get("id") or b.element.get("class"), round(b.position_x + b.margin_width() - right, 1))
                 for b in boxes(page._page_box) if type(b).__name__ == "TableBox"
                 and b.position_x + b.margin_width() > right + 0.5]
    assert past == []


def test_a_sheet_names_an_unsourced_claim_in_full(client):
    """"Unsourced: evening magnesium glycinate increases deep (N…": a printed sheet has no link to the rest."""
    text = pdf_text(client.get("/products/moodflow/spec.pdf"))

    assert "Unsourced: evening magnesium glycinate increases deep (N3) sleep and shortens sleep latency" in text
    assert "(N…" not in text


def test_recover_pdf_has_the_supplement_facts_line_and_the_safety_words(client):
    text = pdf_text(client.get("/products/recover/spec.pdf"))

    assert "Supplement Facts" in text
    assert "Serving Size 2 Capsules" in text and "Servings Per Container 30" in text
    assert re.search(r"Magnesium \(as\s+magnesium L-threonate\)\s+144 mg\s+34%", text)
    assert "144 mg/day is 58% of the EU limit of 250 mg for supplemental magnesium: 106 mg to spare." in text
    assert "revision 1 (draft) · edit 1" in text
    assert "Food supplements should not be used as a substitute for a varied diet." in text
    assert "Other ingredients: Hypromellose (vegetable capsule)" in text


def test_a_sheet_draws_a_name_in_chinese_japanese_or_korean_with_a_font_that_has_it(client):
    """"Luna 镁 マグネシウム 마그네슘" printed as "Luna" and empty boxes: the sheet's fonts have no CJK glyphs, and Pango
    falls back to a system font that has them (fonts-noto-cjk: make test and make run install it)."""
    from formulator.models import Product

    Product.objects.filter(slug="luna").update(name="Luna 镁 マグネシウム 마그네슘")
    reader = PdfReader(io.BytesIO(client.get("/products/luna/spec.pdf").content))
    fonts = {str(font["/BaseFont"]).partition("+")[2] for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}

    assert {"Noto-Sans-CJK-JP-Bold", "Noto-Sans-CJK-KR-Bold"} <= fonts, fonts  # the bold title's kana, hanzi and hangul
    assert "Luna 镁 マグネシウム 마그네슘" in reader.pages[0].extract_text()


def test_moodflow_panel_has_per_day_columns_and_a_dagger_for_l_theanine(client):
    text = pdf_text(client.get("/products/moodflow/spec.pdf"))

    assert "Amount Per Day (2 servings)" in text
    assert re.search(r"Magnesium \(as magnesium bisglycinate\) 120 mg 29% 240 mg 57%", text)
    assert re.search(r"L-Theanine 100 mg † 200 mg †", text)
    assert "† Daily Value not established." in text
    assert "240 mg/day is 96% of the EU limit of 250 mg for supplemental magnesium: 10 mg to spare." in text
    assert "9.9 mg/day is 82% of the EU limit of 12 mg for vitamin B6: 2.1 mg to spare." in text


def test_a_prenatal_label_gives_vitamin_b6_its_daily_value_and_nrv_not_a_dagger(client):
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(population="pregnancy")
    labels = json.loads(client.get("/products/moodflow/spec.json").content)["labels"]

    # 4.94 mg of B6 a serving against the CFR's 2.0 mg for pregnant and lactating women (1.7 mg for adults): in
    # tenths of a mg, the level of significance of "2.0".
    assert labels["US"]["rows"][0] == {"name": "Vitamin B6 (as pyridoxine hydrochloride)", "amount": "4.9 mg",
                                       "percent_dv": "247%", "amount_per_day": "9.9 mg", "percent_dv_per_day": "494%",
                                       "components": None}
    assert labels["EU"]["rows"][0] == {"name": "Vitamin B6", "amount_per_day": "9.9 mg", "percent_nrv": "705%"}


def test_vitamin_b6_from_10_mg_is_written_in_tenths_wherever_it_appears(client):
    """QA's 12.5 mg of pyridoxine hydrochloride, 10.28 mg of B6: "10 mg" in the totals and on the EU table, beside
    "735%" of the NRV (10 mg is 714%), where the US panel on the same sheet said "10.3 mg", to its DV's tenths."""
    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(slug="qa-b6", dosage_form="powder", capsule_size="", serving_size=1, servings_per_day=1)
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="pyridoxine-hydrochloride"), amount=Decimal("12.5"))
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-oxide"), amount=Decimal(100))

    data = json.loads(client.get("/products/qa-b6/spec.json").content)
    sheet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(client.get("/products/qa-b6/spec/").content.decode())))
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(client.get("/products/qa-b6/").content.decode())))

    assert data["labels"]["US"]["rows"][0]["amount"] == "10.3 mg"
    assert data["labels"]["EU"]["rows"][0] == {"name": "Vitamin B6", "amount_per_day": "10.3 mg", "percent_nrv": "735%"}
    assert "Vitamin B6 10.3 mg 10.3 mg" in page and "Vitamin B6 10.3 mg 10.3 mg" in sheet  # serving, day
    assert "10.3 mg/day is 86% of the EU limit of 12 mg for vitamin B6: 1.7 mg to spare." in page
    assert data["labels"]["EU"]["rows"][1]["amount_per_day"] == "60 mg"  # magnesium, whole mg as its DV is


def test_a_nutrients_step_is_its_finest_daily_value_or_nrvs():
    from formulator import engine, labels

    def ref(kind, amount, unit="mg", significance=None):
        return engine.Reference("n", kind, "US", "adult", Decimal(amount), unit=unit, significance=significance)

    assert labels.nutrient_step([ref(engine.Kind.DV, "1.7"), ref(engine.Kind.NRV, "1.4"), ref(engine.Kind.UL, "100")]) == Decimal("0.1")
    assert labels.nutrient_step([ref(engine.Kind.DV, "2", significance=Decimal("0.1"))]) == Decimal("0.1")  # "2.0 mg"
    assert labels.nutrient_step([ref(engine.Kind.DV, "420"), ref(engine.Kind.NRV, "375")]) == 1
    assert labels.nutrient_step([ref(engine.Kind.DV, "0.02", unit="mcg")]) == 1  # 20 mcg of vitamin D
    assert labels.nutrient_step([ref(engine.Kind.UL, "0.35")]) == 1  # a limit alone sets no step
    assert labels.amount(Decimal("10.2837"), "mg", Decimal("0.1")) == "10.3 mg"
    assert labels.amount(Decimal("10.2837")) == "10 mg"


def test_a_sheet_gives_the_weigh_out_of_a_container_with_overage(client):
    """A contract manufacturer had each line per serving only: no quantity per container to weigh out."""
    from formulator.models import ProductLine

    ProductLine.objects.filter(product__slug="moodflow", compound__slug="magnesium-bisglycinate").update(overage_percent=10)
    data = json.loads(client.get("/products/moodflow/spec.json").content)
    sheet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(client.get("/products/moodflow/spec/").content.decode())))
    rows = list(csv.reader(io.StringIO(client.get("/products/moodflow/spec.csv").content.decode("utf-8-sig"))))

    bisglycinate = data["ingredients"][0]
    assert data["product"]["servings_per_container"] == 30
    assert Decimal(bisglycinate["formula_mg"]) == Decimal("936.43")  # 851.3 mg and 10% overage
    assert Decimal(bisglycinate["per_container_mg"]) == Decimal("28092.9")
    assert Decimal(data["per_container_mg"]) == Decimal("28092.9") + 3000 + 180
    assert "Per container (30 servings)" in sheet
    assert "936.4 mg 28,092.9 mg" in sheet and "Weigh-out per container, with overage 31,272.9 mg" in sheet
    assert ["ingredients", "ingredients[0]", "per_container_mg", "28092.9"] in rows


def test_a_daily_value_reads_as_the_regulation_writes_it(client):
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(population="pregnancy")
    page = client.get("/products/moodflow/").content.decode()

    sheet = client.get("/products/moodflow/spec/").content.decode()
    library = client.get("/reference-values/").content.decode()

    assert re.search(r"<td>US<br><small>Vitamin B6</small></td>\s*<td data-label=\"Reference\">DV 2\.0 mg<", page)
    assert ["US Vitamin B6", "DV 2.0 mg"] in [row[:2] for row in table_rows(sheet, "spec-intake")]
    assert re.search(r'<td title="Daily Value">DV</td>\s*<td>Pregnancy</td>\s*<td class="num">2\.0 mg</td>', library)


def test_a_sheets_interaction_says_excluded_by_law_apart_from_the_management_text(client):
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(population="pregnancy")
    sheet = client.get("/products/recover/spec/").content.decode()

    # The management text may end without a full stop ("Adult formulation only (Reg. (EU) 2024/2694)"): run on, the
    # two read as one sentence.
    assert re.search(r"\)<br>Excluded by law in EU for these populations, which this design is not for\. <sup", sheet)
    assert re.search(r"provider<br><strong>Excluded by law in EU: a product for these populations sold there cannot be "
                     r"approved\.</strong>", sheet)


def _recover_in_capsules_it_fits() -> None:
    """Recover with a serving of 8 capsules: its 2 of 1,000 mg and more do not fit, which its labels say too."""
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(serving_size=8)


def test_a_label_for_a_market_whose_limit_the_design_is_over_carries_a_warning_the_rounding_would_hide(client):
    _recover_in_capsules_it_fits()
    from formulator.models import ProductLine

    # 3,477.8 mg of threonate at 7.2% is 250.40 mg of magnesium: the EU label prints "250 mg", the limit itself.
    ProductLine.objects.filter(product__slug="recover").update(amount=3477.8)
    sheet = json.loads(client.get("/products/recover/spec.json").content)
    page = html.unescape(client.get("/products/recover/spec/").content.decode())
    text = pdf_text(client.get("/products/recover/spec.pdf"))

    warning = ("Over the EU limit for magnesium (250.4 mg a day with overage, against 250 mg/day): not for sale there as "
               "designed, whatever the rounded amounts below say.")
    assert sheet["labels"]["EU"]["rows"][0] == {"name": "Magnesium", "amount_per_day": "250 mg", "percent_nrv": "67%"}
    assert sheet["labels"]["EU"]["warning"] == warning
    assert sheet["labels"]["US"]["warning"] is None  # 250 mg is within the US limit of 350 mg
    assert f'<p class="label-warning" id="eu-label-warning">{warning}</p>' in page
    assert 'id="us-label-warning"' not in page
    assert warning in text


def test_an_eu_table_says_why_it_gives_no_nrv_for_a_population_without_one(client):
    """A children 1-3 product's EU table read "—" for magnesium's and B6's %NRV, as for glycine, which has none."""
    from compounds.models import Compound
    from formulator.panels import LABEL_NO_NRV_FOR_POPULATION
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(slug="toddler", markets=["EU"], population="child-1-3", dosage_form="powder",
                             capsule_size="", serving_size=1, servings_per_day=1)
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-oxide"), amount=Decimal("14.1"))
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="pyridoxine-hydrochloride"), amount=Decimal("0.1"))
    adults = json.loads(client.get("/products/moodflow/spec.json").content)["labels"]["EU"]

    eu = json.loads(client.get("/products/toddler/spec.json").content)["labels"]["EU"]

    assert [row["percent_nrv"] for row in eu["rows"]] == ["—", "—"]
    assert eu["warning"] == LABEL_NO_NRV_FOR_POPULATION.format(nutrients="vitamin B6 and magnesium",
                                                               population="children 1-3 years", them="them")
    assert adults["warning"] is None


def test_a_label_for_a_market_whose_law_excludes_an_ingredient_says_so(client):
    """The EU label of a prenatal design with L-threonate looked ready to print; the sheet's head said "excluded"."""
    _recover_in_capsules_it_fits()
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(population="pregnancy")
    labels = json.loads(client.get("/products/recover/spec.json").content)["labels"]
    page = html.unescape(client.get("/products/recover/spec/").content.decode())

    warning = "Magnesium L-threonate is excluded by law for this population in EU. Not for sale there as designed."
    assert labels["EU"]["warning"] == warning
    assert labels["US"]["warning"] is None  # no US law excludes it
    assert f'<p class="label-warning" id="eu-label-warning">{warning}</p>' in page


def test_the_eu_label_is_germanys_too_and_warns_of_its_lower_limit(client):
    _recover_in_capsules_it_fits()
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(markets=["EU", "DE"])  # 144 mg in one dose: over the BfR's 125 mg
    labels = json.loads(client.get("/products/recover/spec.json").content)["labels"]

    assert labels["EU"]["warning"] == ("Over the DE limit for magnesium (144 mg a dose with overage, against 125 mg/dose): "
                                       "not for sale there as designed, whatever the rounded amounts below say.")
    safety = json.loads(client.get("/products/recover/spec.json").content)["safety"]
    per_dose = next(row for row in safety if row["market"] == "DE" and row["per"] == "dose")
    assert per_dose["source"] == "Derived from BfR 2017: 250 mg/day in at least two doses"  # not the BfR's own figure


def test_a_labels_warning_names_each_nutrient_once_with_all_its_limits_in_a_market(client):
    _recover_in_capsules_it_fits()
    from formulator.models import Product, ProductLine

    ProductLine.objects.filter(product__slug="recover").update(amount=3477.8)  # 250.40 mg a day, in one dose
    Product.objects.filter(slug="recover").update(markets=["EU", "DE"])
    labels = json.loads(client.get("/products/recover/spec.json").content)["labels"]

    assert labels["EU"]["warning"] == (
        "Over the EU limit for magnesium (250.4 mg a day with overage, against 250 mg/day) and the DE limits for "
        "magnesium (250.4 mg a day with overage, against 250 mg/day; 250.4 mg a dose with overage, against 125 mg/dose): "
        "not for sale there as designed, whatever the rounded amounts below say.")


def test_a_label_within_its_markets_limits_carries_no_warning(client):
    _recover_in_capsules_it_fits()
    labels = json.loads(client.get("/products/recover/spec.json").content)["labels"]

    assert (labels["US"]["warning"], labels["EU"]["warning"]) == (None, None)


def test_a_product_without_the_eu_market_has_no_eu_table(client):
    html = client.get("/products/magtech-complex/spec/").content.decode()

    assert 'id="supplement-facts"' in html
    assert 'id="eu-table"' not in html


def test_a_vitamin_under_two_percent_of_its_dv_is_not_declared(client):
    from decimal import Decimal

    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(markets=["US"])
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="pyridoxine-hydrochloride"), amount=Decimal("0.04"))
    html = client.get(f"/products/{product.slug}/spec/").content.decode()

    assert "Not declared (under 2% of the Daily Value" in html
    assert "Vitamin B6 (as" not in html


@pytest.mark.parametrize(("lines", "statement"), [
    # 6 mg of magnesium and 33 mcg of B6, both under 2% of their DVs: neither is on the panel, so both sources are here.
    ((("magnesium-oxide", "10"), ("pyridoxine-hydrochloride", "0.04"), ("l-theanine", "100")),
     "Magnesium oxide, Pyridoxine hydrochloride, Hypromellose (vegetable capsule)"),
    # 20 mg of magnesium (5% of 420 mg) is declared "as magnesium oxide and magnesium bisglycinate": named there.
    ((("magnesium-oxide", "10"), ("pyridoxine-hydrochloride", "0.04"), ("magnesium-bisglycinate", "100")),
     "Pyridoxine hydrochloride, Hypromellose (vegetable capsule)"),
])
def test_a_source_the_panel_does_not_name_is_in_the_ingredient_statement(client, lines, statement):
    """Magnesium oxide and pyridoxine HCl, under 2% of their DVs, were left off the panel and appeared nowhere."""
    from decimal import Decimal

    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(markets=["US"], other_ingredients="Hypromellose (vegetable capsule)")
    for slug, amount in lines:
        ProductLineFactory(product=product, compound=Compound.objects.get(slug=slug), amount=Decimal(amount))
    html = client.get(f"/products/{product.slug}/spec/").content.decode()
    data = json.loads(client.get(f"/products/{product.slug}/spec.json").content)

    assert f"<strong>Other ingredients:</strong> {statement}</p>" in html
    assert data["labels"]["US"]["other_ingredients"] == statement


def test_json_has_stable_keys_and_the_same_figures_as_the_page(client):
    data = json.loads(client.get("/products/recover/spec.json").content)

    assert data["schema"] == "mag-formulator/spec-sheet/v2"
    assert set(data) == {"schema", "generated_at", "product", "ingredients", "totals", "limits", "safety",
                         "markets_without_limits", "nutrients_without_limits", "capsule_fill", "cost", "claims", "dose_alignment", "claim_dose_notes", "interactions",
                         "per_container_mg", "claims_at_formula_fraction", "formulas_refused",
                         "labels"}
    assert data["limits"] == {"status": "ok", "status_text": "ok", "nutrients": [], "nutrients_text": ""}
    assert data["totals"][0] == {"nutrient": "magnesium", "per_serving_mg": "144", "per_day_mg": "144",
                                 "per_day_formula_mg": "144"}
    line = data["ingredients"][0]["nutrients"][0]
    assert (line["basis"], line["fraction_used"], line["theoretical_fraction"][:6]) == ("specified", "0.072", "0.0825")
    assert data["labels"]["US"]["rows"][0] == {"name": "Magnesium (as magnesium L-threonate)", "amount": "144 mg",
                                               "percent_dv": "34%", "amount_per_day": None, "percent_dv_per_day": None,
                                               "components": None}
    eu = next(s for s in data["safety"] if s["market"] == "EU" and s["kind"] == "UL")
    assert eu["status"] == "ok" and eu["margin_mg"] == "106"


def test_json_and_csv_tell_apart_reference_values_that_differ_by_sex(client):
    data = json.loads(client.get("/products/recover/spec.json").content)
    rows = list(csv.reader(io.StringIO(client.get("/products/recover/spec.csv").content.decode("utf-8-sig"))))

    eu_ai = {(s["sex"], s["qualifier"], s["limit_mg"], s["percent"])
             for s in data["safety"] if (s["market"], s["kind"]) == ("EU", "AI")}
    assert eu_ai == {("male", "male", "350", "41.1428571429"), ("female", "female", "300", "48")}
    assert next(s for s in data["safety"] if (s["market"], s["kind"]) == ("EU", "UL"))["sex"] == "any"
    index = next(i for i, s in enumerate(data["safety"]) if (s["market"], s["kind"], s["sex"]) == ("EU", "AI", "female"))
    assert ["safety", f"safety[{index}]", "qualifier", "female"] in rows


def test_csv_carries_the_same_figures_as_the_json(client):
    rows = list(csv.reader(io.StringIO(client.get("/products/recover/spec.csv").content.decode("utf-8-sig"))))

    assert rows[0] == ["section", "item", "field", "value"]
    assert ["totals", "totals[0]", "per_serving_mg", "144"] in rows
    assert ["labels", "US.rows[0]", "percent_dv", "34%"] in rows


def test_csv_writes_true_and_false_as_the_json_does(client):
    """The CSV is the JSON flattened, but wrote its booleans as Python's True and False."""
    data = json.loads(client.get("/products/recover/spec.json").content)
    rows = list(csv.reader(io.StringIO(client.get("/products/recover/spec.csv").content.decode("utf-8-sig"))))

    assert data["safety"][0]["food_only"] is False
    assert ["safety", "safety[0]", "food_only", "false"] in rows
    assert ["safety", "safety[0]", "governs", "true" if data["safety"][0]["governs"] else "false"] in rows
    assert not any(row[3] in ("True", "False") for row in rows[1:])


def test_json_and_csv_numbers_carry_no_arithmetic_noise(client):
    data = json.loads(client.get("/products/recover/spec.json").content)
    rows = list(csv.reader(io.StringIO(client.get("/products/recover/spec.csv").content.decode("utf-8-sig"))))

    assert data["capsule_fill"]["capacity_mg_per_capsule"] == "570"  # 570.0000000000000000000000001 before
    assert data["ingredients"][0]["nutrients"][0]["theoretical_fraction"] == "0.0825311035206"
    assert ["capsule_fill", "", "capacity_mg_per_capsule", "570"] in rows


@pytest.mark.parametrize(("url", "filename"), [
    ("/products/recover/spec.pdf", 'inline; filename="recover-edit1-spec.pdf"'),
    ("/products/recover/spec.json", 'inline; filename="recover-edit1-spec.json"'),
    ("/products/recover/spec.csv", 'attachment; filename="recover-edit1-spec.csv"'),
    ("/stacks/ntrpx-daily/spec.pdf", 'inline; filename="ntrpx-daily-edit1-spec.pdf"'),
    ("/stacks/ntrpx-daily/spec.json", 'inline; filename="ntrpx-daily-edit1-spec.json"'),
    ("/stacks/ntrpx-daily/spec.csv", 'attachment; filename="ntrpx-daily-edit1-spec.csv"'),
])
def test_every_export_is_named_with_its_edit_number(client, url, filename):
    assert client.get(url)["Content-Disposition"] == filename


def test_a_sheets_title_names_the_edit_in_words_not_as_a_variants_v2(client):
    assert "<title>Spec sheet · Recover, edit 1</title>" in client.get("/products/recover/spec/").content.decode()
    assert "<title>Stack sheet · NTRPX Daily, edit 1</title>" in client.get("/stacks/ntrpx-daily/spec/").content.decode()


@pytest.mark.parametrize("url", ["/products/recover/spec/", "/stacks/ntrpx-daily/spec/"])
def test_a_sheets_content_is_its_main_landmark_below_the_toolbar(client, url):
    """A screen reader jumping by landmark found only the toolbar: the sheet's headings and tables had none."""
    page = client.get(url).content.decode()

    assert page.index("</nav>") < page.index("<main>") < page.index('<header class="sheet-head">')
    assert page.index("</main>") < page.index('<footer class="sheet-foot">')


def test_stack_sheet_has_shares_timing_and_the_eu_overrun(client):
    text = pdf_text(client.get("/stacks/ntrpx-daily/spec.pdf"))
    data = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)

    assert "294 mg/day is 44 mg over the EU limit of 250 mg for supplemental magnesium." in text
    assert re.search(r"Recover 144 mg \(49%\); Luna 150 mg \(51%\)", text)
    assert "Evening" in text and "Morning" in text
    assert "Daily stack sheet · edit 1 ·" in text  # "edit", as on the product sheet and the pages
    magnesium = data["totals"][0]
    assert magnesium["nutrient"] == "magnesium" and magnesium["per_day_mg"].startswith("294.01")
    assert [s["product_slug"] for s in magnesium["shares"]] == ["recover", "luna"]
    assert client.get("/stacks/ntrpx-daily/spec.csv").status_code == 200


def test_a_product_taken_at_two_times_has_a_share_of_each_told_apart_by_name(client):
    from decimal import Decimal

    from formulator import services
    from formulator.models import Product, Stack

    stack = Stack.objects.get(slug="ntrpx-daily")
    recover, luna = Product.objects.get(slug="recover"), Product.objects.get(slug="luna")
    items = [services.ItemData(recover, Decimal(1), "morning"), services.ItemData(luna, Decimal(1), "evening"),
             services.ItemData(recover, Decimal(1), "evening")]
    services.stack_save(stack=stack, fields={"name": stack.name, "markets": list(stack.markets), "population": "adult",
                                             "notes": ""}, items=items, expected_version=stack.version)

    shares = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)["totals"][0]["shares"]

    assert [(s["product_slug"], s["name"]) for s in shares] == [
        ("recover", "Recover (morning)"), ("luna", "Luna"), ("recover", "Recover (evening)")]


def test_a_stack_sheets_shares_of_a_nutrient_add_up_to_100_percent(client):
    from decimal import Decimal

    from formulator import services
    from formulator.models import Product, Stack

    stack, recover = Stack.objects.get(slug="ntrpx-daily"), Product.objects.get(slug="recover")
    items = [services.ItemData(recover, Decimal(3), "morning"), services.ItemData(recover, Decimal(5), "evening")]
    services.stack_save(stack=stack, fields={"name": stack.name, "markets": list(stack.markets), "population": "adult",
                                             "notes": ""}, items=items, expected_version=stack.version)

    text = pdf_text(client.get("/stacks/ntrpx-daily/spec.pdf"))

    assert re.search(r"Recover \(morning\) [\d,.]+ mg \(37%\); Recover \(evening\) [\d,.]+ mg \(63%\)", text)


def table_rows(page: str, table_id: str, citations: bool = False) -> list[list[str]]:
    """A sheet's table, row by row, as its cells read (a line break read as a space); without the sources cited."""
    table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    if not citations:
        table = re.sub(r' <sup class="cite">.*?</sup>', "", table)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell.replace("<br>", " "))).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in re.findall(r"<tr>(.*?)</tr>", table)]


def safety_rows(page: str) -> list[list[str]]:
    """The sheet's safety table, row by row, as its cells read."""
    return table_rows(page, "spec-safety")


def sources(page: str) -> dict[str, str]:
    """The sheet's list of sources, by the number its tables cite them with."""
    listed = page.split('id="spec-sources"')[1].split("</ol>")[0]
    return {number: html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for number, text in re.findall(r'<li value="(\d+)">(.*?)</li>', listed)}


@pytest.mark.parametrize("url", ["/stacks/ntrpx-daily/spec/", "/products/recover/spec/"])
def test_every_reference_value_and_interaction_on_a_sheet_cites_its_source_listed_with_its_address(client, url):
    """A printed sheet has no links to follow: each limit, intake reference and interaction names the source it rests
    on. The interactions' sources were in the sheet's JSON only."""
    from evidence.models import Interaction

    page = client.get(url).content.decode()
    listed = sources(page)
    rows = {row[1] for row in table_rows(page, "spec-safety", citations=True) + table_rows(page, "spec-intake", citations=True)
            if row}  # the head row has no cells
    cautions = [row[2] for row in table_rows(page, "spec-interactions", citations=True) if row]

    cited = {re.search(r"\[(\d+)\]$", cell).group(1) for cell in [*rows, *cautions]}  # each ends with its citation
    assert cited == set(listed)
    bisphosphonates = Interaction.objects.get(agent="Bisphosphonates")
    row = next(cell for cell in cautions if cell.startswith(bisphosphonates.management))
    assert listed[re.search(r"\[(\d+)\]$", row).group(1)] == bisphosphonates.source
    assert "UL 350 mg/day 9 years and older [1]" in rows
    assert listed["1"] == ("IOM 2006, Dietary Reference Intakes: The Essential Guide, Magnesium, Table 1 "
                           "https://nap.nationalacademies.org/catalog/11537")
    assert "NRV 375 mg [5]" in rows
    assert listed["5"] == "Reg. (EU) 1169/2011 Annex XIII Part A https://eur-lex.europa.eu/eli/reg/2011/1169/oj"


@pytest.mark.parametrize(("text", "cell"), [
    ("=1+2", "'=1+2"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"), ("-x", "'-x"),
    ("-3.5", "-3.5"), ("-1.5e-3", "-1.5e-3"), ("-Infinity", "'-Infinity"), ("-1_0", "'-1_0"), ("Recover", "Recover"),
])
def test_a_sheets_csv_opens_text_a_spreadsheet_would_run_as_a_formula_as_text(client, text, cell):
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(name=text)
    rows = list(csv.reader(io.StringIO(client.get("/products/recover/spec.csv").content.decode("utf-8-sig"))))

    assert ["product", "", "name", cell] in rows


def test_a_sheets_json_gives_each_reference_values_source_and_its_address(client):
    safety = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)["safety"]

    nrv = next(row for row in safety if (row["market"], row["kind"]) == ("EU", "NRV"))
    assert (nrv["source"], nrv["source_url"]) == ("Reg. (EU) 1169/2011 Annex XIII Part A",
                                                  "https://eur-lex.europa.eu/eli/reg/2011/1169/oj")


def test_germanys_limits_give_the_bfr_opinions_address(client):
    """A printed sheet for Germany cited "BfR 2017" with no address to find it by."""
    from compounds.seed import BFR_2017_URL
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(markets=["EU", "DE"])
    safety = json.loads(client.get("/products/recover/spec.json").content)["safety"]

    germany = [row for row in safety if row["market"] == "DE"]
    assert {row["per"] for row in germany} == {"day", "dose"}
    assert {row["source_url"] for row in germany} == {BFR_2017_URL}


def test_a_stack_sheet_gives_its_daily_totals_against_the_intake_references_as_a_product_sheet_does(client):
    stack = table_rows(client.get("/stacks/ntrpx-daily/spec/").content.decode(), "spec-intake")
    product = table_rows(client.get("/products/recover/spec/").content.decode(), "spec-intake")

    assert ["US Magnesium", "DV 420 mg adults and children 4 years and older", "294 mg", "70%"] in stack
    assert ["EU Magnesium", "NRV 375 mg", "294 mg", "78%"] in stack
    assert ["US Magnesium", "RDA 420 mg male, 31 years and older; 400 mg at 19-30", "144 mg", "34%", "34%"] in product


@pytest.mark.parametrize("url", ["/stacks/ntrpx-daily/spec/", "/products/recover/spec/"])
def test_a_sheets_safety_table_says_which_amounts_are_a_day_and_which_a_dose(client, url):
    from formulator.models import Product, Stack

    Stack.objects.filter(slug="ntrpx-daily").update(markets=["EU", "DE"])
    Product.objects.filter(slug="recover").update(markets=["EU", "DE"])
    page = client.get(url).content.decode()
    rows = [row[:3] for row in safety_rows(page)]

    assert "Amount/day" not in page
    amount = "294 mg" if "stacks" in url else "144 mg"  # Recover and Luna, both in the evening: one dose
    assert ["EU Magnesium", "UL 250 mg/day 4 years and older", f"{amount}/day"] in rows
    assert ["DE Magnesium", "MAX 125 mg/dose 250 mg/day in at least two doses", f"{amount}/dose"] in rows


def test_a_sheets_safety_row_at_a_limit_reads_as_the_page_does_never_as_the_limit_itself(client):
    from decimal import Decimal

    from formulator.models import ProductLine

    ProductLine.objects.filter(product__slug="recover").update(amount=Decimal(3475))  # 250.2 mg of magnesium a day
    rows = [row[:5] for row in safety_rows(client.get("/products/recover/spec/").content.decode())]

    assert ["EU Magnesium", "UL 250 mg/day 4 years and older", "250.2 mg/day", "100.1%", "0.2 mg over"] in rows


@pytest.mark.parametrize("url", ["/products/nope/spec.pdf", "/products/nope/spec.json", "/stacks/nope/spec/"])
def test_unknown_designs_are_404(client, url):
    assert client.get(url).status_code == 404


def test_the_product_page_links_to_every_format(client):
    html = client.get("/products/recover/").content.decode()

    for suffix in ("spec/", "spec.pdf", "spec.csv", "spec.json"):
        assert f'href="/products/recover/{suffix}"' in html


def test_a_proprietary_blend_is_declared_by_total_weight_with_magnesium_still_broken_out(client):
    from decimal import Decimal

    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(markets=["US"], serving_size=2)
    for slug, amount in (("magnesium-bisglycinate", "500"), ("l-theanine", "200"), ("glycine", "1000")):
        ProductLineFactory(product=product, compound=Compound.objects.get(slug=slug), amount=Decimal(amount), blend="Calm Blend")
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="melatonin"), amount=Decimal("0.5"))

    data = json.loads(client.get(f"/products/{product.slug}/spec.json").content)
    rows = {r["name"]: r for r in data["labels"]["US"]["rows"]}
    text = pdf_text(client.get(f"/products/{product.slug}/spec.pdf"))

    assert rows["Magnesium (as magnesium bisglycinate)"]["amount"] == "70 mg"
    blend = rows["Calm Blend (proprietary blend)"]
    assert (blend["amount"], blend["percent_dv"]) == ("1,700 mg", "†")
    assert blend["components"] == "Glycine, Magnesium bisglycinate, L-Theanine"
    assert rows["Melatonin"]["amount"] == "500 mcg"
    assert "L-Theanine" not in rows  # declared inside the blend, not on its own
    assert re.search(r"Calm Blend \(proprietary blend\)\s+Glycine, Magnesium bisglycinate, L-Theanine\s+1,700 mg", text)


def test_json_interactions_say_which_apply_to_the_product_population(client):
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(population="pregnancy")

    interactions = json.loads(client.get("/products/recover/spec.json").content)["interactions"]

    assert interactions[0]["agent"] == "Pregnancy and lactation"
    assert (interactions[0]["populations"], interactions[0]["applies_to_population"]) == (["pregnancy", "lactation"], True)
    assert not any(i["applies_to_population"] for i in interactions[1:])


@pytest.mark.parametrize("url, expected", [
    ("/products/moodflow/spec", {"status": "near", "status_text": "near", "nutrients": ["vitamin-b6", "magnesium"],
                                 "nutrients_text": "vitamin B6 and magnesium"}),
    ("/stacks/ntrpx-daily/spec", {"status": "over", "status_text": "over", "nutrients": ["magnesium"],
                                  "nutrients_text": "magnesium"}),
    # The badge's words: "no limit" alone read as "none applies".
    ("/products/boost/spec", {"status": "no limit", "status_text": "none recorded", "nutrients": [], "nutrients_text": ""}),
])
def test_every_sheet_gives_its_limits_status_and_the_nutrients_it_is_for_as_the_badge_does(client, url, expected):
    data = json.loads(client.get(f"{url}.json").content)
    rows = list(csv.reader(io.StringIO(client.get(f"{url}.csv").content.decode())))

    assert data["limits"] == expected
    assert ["limits", "", "status", expected["status"]] in rows
    assert ["limits", "", "status_text", expected["status_text"]] in rows
    assert ["limits", "", "nutrients", "; ".join(expected["nutrients"])] in rows


def test_every_sheets_interactions_name_the_ingredient_they_are_recorded_for(client):
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(population="pregnancy")
    product = json.loads(client.get("/products/recover/spec.json").content)["interactions"]
    stack = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)["interactions"]

    for interactions in (product, stack):
        caution = next(i for i in interactions if i["agent"] == "Pregnancy and lactation")
        assert caution["compound_name"] == "Magnesium L-threonate" and caution["excluded_in"] == ["EU"]
        assert caution["effect"] and caution["source"]  # a stack's sheet says what a product's does
    assert next(i for i in product if i["agent"] == "Bisphosphonates")["compound_name"] is None  # recorded for the nutrient


@pytest.mark.parametrize("url", ["/products/recover/spec/", "/stacks/ntrpx-daily/spec/"])
def test_a_print_sheets_caution_names_the_ingredient_it_is_recorded_for(client, url):
    page = client.get(url).content.decode()

    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "Pregnancy and lactation" in r)
    assert "Pregnancy and lactation — Magnesium L-threonate" in html.unescape(row)
    assert "(population caution: " in row


def test_json_gives_a_population_by_its_code_and_its_name_alike_in_every_block(client):
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(population="pregnancy")

    product = json.loads(client.get("/products/recover/spec.json").content)
    stack = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)

    def populations(rows):
        return {(row["population"], row["population_name"]) for row in rows}

    assert populations([product["product"]]) == populations(product["safety"]) == {("pregnancy", "Pregnancy")}
    assert populations([stack["stack"]]) == populations(stack["safety"]) == {("adult", "Adults")}
    assert stack["schema"] == "mag-formulator/stack-sheet/v2"  # safety[].population held the name in v1


def test_a_past_edit_has_its_own_spec_sheet_saying_so_in_every_format(client):
    from formulator.models import Product
    from tests.test_workbench import recover_post

    client.post("/products/recover/edit", recover_post(_action="save", **{"lines-0-amount": "3000"}))  # edit 2: 216 mg
    product = Product.objects.get(slug="recover")
    first = product.history.get(version=1).history_id
    base = f"/products/recover/history/{first}/"

    page = text_of(client.get(base + "spec/"))
    data = json.loads(client.get(base + "spec.json").content)
    pdf = client.get(base + "spec.pdf")
    rows = list(csv.reader(io.StringIO(client.get(base + "spec.csv").content.decode())))

    assert "A past version: edit 1, as recorded on" in page and "The current edit is 2." in page
    assert "144 mg" in page and "216 mg" not in page
    assert data["product"]["version"] == 1 and data["product"]["past_version"]["current_version"] == 2
    # The edit's own time: it gave the current edit's, after the time it was recorded.
    assert data["product"]["updated_at"] == data["product"]["past_version"]["recorded_at"]
    assert ["product", "", "updated_at", data["product"]["updated_at"]] in rows
    assert data["totals"][0]["per_serving_mg"] == "144"
    assert pdf["Content-Disposition"] == 'inline; filename="recover-edit1-spec.pdf"'
    assert "A past version: edit 1" in pdf_text(pdf)
    assert ["totals", "totals[0]", "per_serving_mg", "144"] in rows
    assert json.loads(client.get("/products/recover/spec.json").content)["product"]["past_version"] is None
    assert f'href="{base}spec/"' in client.get("/products/recover/history/").content.decode()
    latest = product.history.get(version=2).history_id
    assert "A past version" not in text_of(client.get(f"/products/recover/history/{latest}/spec/"))  # it is the current one


def test_a_version_of_another_product_or_none_at_all_is_404(client):
    from formulator.models import Product

    moodflow = Product.objects.get(slug="moodflow").history.first().history_id

    assert client.get(f"/products/recover/history/{moodflow}/spec/").status_code == 404
    assert client.get("/products/recover/history/999999/spec.pdf").status_code == 404


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_json_gives_safety_nutrients_by_slug_as_totals_do_and_where_the_law_excludes_an_ingredient(client):
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(population="pregnancy")

    data = json.loads(client.get("/products/recover/spec.json").content)

    assert {(row["nutrient"], row["nutrient_name"]) for row in data["safety"]} == {("magnesium", "Magnesium")}
    assert {row["nutrient"] for row in data["totals"]} >= {row["nutrient"] for row in data["safety"]}
    applying = [row for row in data["interactions"] if row["applies_to_population"]]
    assert [row["excluded_in"] for row in applying] == [["EU"]]  # L-threonate in pregnancy: Reg. (EU) 2024/2694
    assert all(row["excluded_in"] in ([], ["EU"]) for row in data["interactions"])


def test_every_format_names_a_market_checked_and_found_without_an_upper_limit_as_the_page_does(client):
    from formulator import presenters
    from formulator.models import Product

    # Germany's maximum is for adults: a child's design for DE has no limit recorded there but the EU's.
    Product.objects.filter(slug="recover").update(markets=["US", "EU", "DE"], population="child-9-13")
    page = html.unescape(text_of(client.get("/products/recover/")))
    data = json.loads(client.get("/products/recover/spec.json").content)
    rows = list(csv.reader(io.StringIO(client.get("/products/recover/spec.csv").content.decode("utf-8-sig"))))
    sheet = html.unescape(text_of(client.get("/products/recover/spec/")))
    pdf = pdf_text(client.get("/products/recover/spec.pdf"))
    missing = data["markets_without_limits"]

    assert missing and all(row["nutrients"] == ["magnesium"] and row["population"] == "child-9-13" for row in missing)
    for row in missing:
        assert row["reason"] in page and row["reason"] in sheet and row["reason"] in pdf  # the page's words
    assert ["markets_without_limits", "markets_without_limits[0]", "nutrients", "magnesium"] in rows
    assert ["markets_without_limits", "markets_without_limits[0]", "reason", missing[0]["reason"]] in rows
    assert presenters.NO_LIMIT_RECORDED.split("{")[0] not in json.dumps(data["safety"])  # v2's rows stay reference values


def test_every_format_says_once_the_nutrients_no_market_limits_as_the_page_does(client):
    """Boost's L-theanine, which no market limits, had a row in each market (US, then EU), where MoodFlow's glycine and
    L-theanine, beside its magnesium, had none: said once, for every design with them, in every format."""
    from formulator import presenters

    for slug, nutrients, names in (("boost", ["l-theanine"], "L-theanine"),
                                   ("moodflow", ["glycine", "l-theanine"], "glycine and L-theanine")):  # bisglycinate's
        said = presenters.NO_LIMIT_RECORDED_ANYWHERE.format(nutrients=names)
        page = html.unescape(text_of(client.get(f"/products/{slug}/")))
        data = json.loads(client.get(f"/products/{slug}/spec.json").content)
        rows = list(csv.reader(io.StringIO(client.get(f"/products/{slug}/spec.csv").content.decode("utf-8-sig"))))
        sheet = html.unescape(text_of(client.get(f"/products/{slug}/spec/")))
        pdf = pdf_text(client.get(f"/products/{slug}/spec.pdf"))

        assert data["markets_without_limits"] == []  # every chosen market limits the design's others
        assert data["nutrients_without_limits"] == {"nutrients": nutrients, "reason": said}
        assert ["nutrients_without_limits", "", "reason", said] in rows
        assert ["nutrients_without_limits", "", "nutrients", "; ".join(nutrients)] in rows
        assert page.count(said) == sheet.count(said) == pdf.count(said) == 1
    assert json.loads(client.get("/products/recover/spec.json").content)["nutrients_without_limits"] is None
    stack = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)["nutrients_without_limits"]
    assert stack["nutrients"] == ["glycine", "l-theanine", "withanolides"]


def test_a_stack_sheet_names_its_markets_without_an_upper_limit_beside_those_with_one(client):
    from formulator import presenters
    from formulator.models import Stack

    Stack.objects.filter(slug="ntrpx-daily").update(population="infant", markets=["US", "EU", "DE"])

    page = html.unescape(text_of(client.get("/stacks/ntrpx-daily/")))
    data = json.loads(client.get("/stacks/ntrpx-daily/spec.json").content)
    pdf = pdf_text(client.get("/stacks/ntrpx-daily/spec.pdf"))

    assert [(row["market"], row["population"]) for row in data["markets_without_limits"]] == [("EU", "infant"), ("DE", "infant")]
    assert {row["market"] for row in data["safety"] if row["kind"] == "UL"} == {"US"}  # food and formula only
    for market in ("EU", "DE"):
        assert presenters.no_limit_recorded(market, ["Magnesium"]) in page
        assert presenters.no_limit_recorded(market, ["Magnesium"]) in pdf


@pytest.mark.parametrize(("design", "url"), [("recover", "/products/recover/spec"), ("ntrpx-daily", "/stacks/ntrpx-daily/spec")])
def test_every_sheet_says_where_the_law_excludes_an_ingredient_for_its_population(client, design, url):
    from formulator import reports
    from formulator.models import Product, Stack

    (Product if url.startswith("/products") else Stack).objects.filter(slug=design).update(population="pregnancy")
    excluded = reports.EXCLUDED_BY_LAW.format(compound="Magnesium L-threonate", markets="EU")

    page = html.unescape(re.sub(r"<[^>]+>", " ", client.get(f"{url}/").content.decode()))
    assert f"Excluded by law: {excluded}" in re.sub(r"\s+", " ", page)
    assert f"Excluded by law: {excluded}" in pdf_text(client.get(f"{url}.pdf"))
    # The sheet's head: the limits' status, which is not all there is to say, beside the exclusion.
    assert re.search(r'id="spec-limits">Limits: (ok|near|over)[^<]*</div>\s*<div class="status status-over" id="spec-excluded-status">'
                     r"Excluded by law</div>", client.get(f"{url}/").content.decode())


def test_a_sheet_counts_one_capsule_in_the_singular_and_has_the_sites_icon(client):
    page = client.get("/products/boost/spec/").content.decode()

    assert "1 capsule needed at no more than 95% fill" in page and "1 capsules" not in page
    for url in ("/products/boost/spec/", "/stacks/ntrpx-daily/spec/"):  # no browser asks for a missing /favicon.ico
        assert re.search(r'<link rel="icon" href="/static/img/favicon[^"]*\.svg"', client.get(url).content.decode())


def test_a_limit_that_rules_out_any_supplemental_amount_says_so_in_the_json(client):
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(population="infant", markets=["US", "EU"])
    safety = json.loads(client.get("/products/recover/spec.json").content)["safety"]
    us_ul = next(row for row in safety if (row["market"], row["kind"]) == ("US", "UL"))

    assert (us_ul["limit_mg"], us_ul["food_only"], us_ul["status"]) == (None, True, "over")
    assert not any(row["food_only"] for row in safety if row is not us_ul)


def test_a_vitamin_declared_at_2_percent_of_its_dv_never_reads_0_mg_on_the_panel(client):
    """0.05 mg of pyridoxine hydrochloride gives 0.041 mg of B6, 2% of its 1.7 mg DV: the panel said "0 mg" beside "2%"."""
    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(name="Trace B6", slug="trace-b6", markets=["US"])
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="pyridoxine-hydrochloride"), amount=Decimal("0.05"))

    text = pdf_text(client.get("/products/trace-b6/spec.pdf"))

    assert re.search(r"Vitamin B6 \(as\s+pyridoxine hydrochloride\)\s+0\.04 mg\s+2%", text), text


@pytest.mark.parametrize("path", ["/products/recover/spec.csv", "/stacks/ntrpx-daily/spec.csv",
                                  "/compare/export.csv?products=recover,moodflow"])
def test_a_csv_opens_in_a_spreadsheet_as_utf_8(client, path):
    """Without a byte-order mark Excel read the EU table's "µg" as "Âµg" and every "—" as "â€”"."""
    body = client.get(path).content

    assert body.startswith("\ufeff".encode()) and body.decode("utf-8-sig")[:1] != "\ufeff"


def test_a_sheet_without_interactions_does_not_read_as_none_known(client):
    """Boost's sheet read "None recorded.", which a reviewer may take for "none known"."""
    printed = pdf_text(client.get("/products/boost/spec.pdf"))

    assert "None recorded in the library: not that none is known." in printed


def test_a_design_for_children_of_9_to_13_has_the_eus_adequate_intakes(client):
    """EFSA's bands (3 to under 10, 10 to under 18) split the 9-13 band, and the library had no EU AI for it: a 9-13
    design sold in the EU was set against the NRV alone."""
    from formulator.models import Product

    Product.objects.filter(slug="moodflow").update(population="child-9-13", markets=["EU"])

    rows = [row[:2] for row in table_rows(client.get("/products/moodflow/spec/").content.decode(), "spec-intake")]

    assert ["EU Magnesium", "AI 250 mg female, 10-13 years; 230 mg at 9 years"] in rows
    assert ["EU Magnesium", "AI 300 mg male, 10-13 years; 230 mg at 9 years"] in rows


def test_a_long_products_weigh_out_total_is_printed_once_at_the_end_of_its_table(client):
    """A 200-line product's PDF printed "Weigh-out per container" at the foot of each of its 17 ingredient pages,
    where it read as a subtotal."""
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(name="Long", dosage_form="powder", servings_per_container=30)
    for position in range(80):
        ProductLineFactory(product=product, amount=Decimal(1 + position), position=position)

    printed = pdf_text(client.get(f"/products/{product.slug}/spec.pdf"))

    assert printed.count("Weigh-out per container") == 1
    assert printed.index("Weigh-out per container") > printed.index("1 mg")


def test_a_blend_named_in_another_case_on_another_line_is_one_blend(client):
    """"Sleep Matrix" and "sleep matrix" were declared as two proprietary blends."""
    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(markets=["US"], dosage_form="tablet", serving_size=1)
    for slug, amount, blend in (("l-theanine", "200", "Sleep Matrix"), ("glycine", "100", "sleep  matrix"),
                                ("glycine", "150", "Sleep Matrix")):
        ProductLineFactory(product=product, compound=Compound.objects.get(slug=slug), amount=Decimal(amount), blend=blend)

    rows = client.get(f"/products/{product.slug}/spec.json").json()["labels"]["US"]["rows"]

    assert [(r["name"], r["amount"], r["components"]) for r in rows] == [
        ("Sleep Matrix (proprietary blend)", "450 mg", "Glycine, L-Theanine")]  # glycine's two lines as one, 250 mg


def test_a_panel_whose_serving_is_more_than_the_day_takes_says_to_declare_what_is_taken(client):
    """At half a serving of 2 gummies a day the panel declared 2 gummies (241 mg) and the EU table 1 gummy (121 mg), with
    nothing said."""
    from formulator.panels import LABEL_SERVING_ABOVE_THE_DAY
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(markets=["US", "EU"], dosage_form="gummy", serving_size=2, servings_per_day=Decimal("0.5"))
    ProductLineFactory(product=product, amount=Decimal(400))
    whole = ProductFactory(markets=["US"], dosage_form="gummy", serving_size=2)
    ProductLineFactory(product=whole, amount=Decimal(400))

    labels_ = client.get(f"/products/{product.slug}/spec.json").json()["labels"]

    assert LABEL_SERVING_ABOVE_THE_DAY.format(servings="0.5", serving="2 gummies", portion="1 gummy") in labels_["US"]["warning"]
    assert labels_["EU"]["daily_portion"] == "1 gummy (half a serving of 2 gummies)"
    assert "21 CFR 101.12(b)" not in (client.get(f"/products/{whole.slug}/spec.json").json()["labels"]["US"]["warning"] or "")


def test_a_mineral_declared_at_its_fraction_by_formula_without_overage_is_said_to_risk_testing_under_its_claim(client):
    """Luna's 150 mg rests on citrate's 16.16% by formula, with no overage: a USP lot of 14.5% gives 134.6 mg, under the
    100% 21 CFR 101.9(g)(4) asks for, said nowhere. Recover's is at Magtein's specified 7.2%."""
    from formulator.reports import NOTE_CLAIM_AT_FORMULA

    note = NOTE_CLAIM_AT_FORMULA.format(compounds="trimagnesium dicitrate (anhydrous)")
    luna = json.loads(client.get("/products/luna/spec.json").content)["claims_at_formula_fraction"]
    recover = json.loads(client.get("/products/recover/spec.json").content)["claims_at_formula_fraction"]

    assert luna == {"compound_slugs": ["trimagnesium-dicitrate"], "note": note}
    assert recover == {"compound_slugs": [], "note": None}
    assert html.unescape(client.get("/products/luna/").content.decode()).count(note) == 1
    assert note in " ".join(pdf_text(client.get("/products/luna/spec.pdf")).split())


def test_the_editor_says_a_claim_rests_on_the_fraction_by_formula_while_the_overage_is_set(client):
    """Said on the saved product's page and sheets, never in the editor, where the overage that answers it is typed."""
    from formulator.reports import NOTE_CLAIM_AT_FORMULA

    note = NOTE_CLAIM_AT_FORMULA.format(compounds="trimagnesium dicitrate (anhydrous)")
    line = {"lines-TOTAL_FORMS": "1", "lines-0-compound": "trimagnesium-dicitrate", "lines-0-amount": "928.1",
            "lines-0-unit": "mg", "lines-0-target_mg": ""}
    data = {"name": "Luna", "dosage_form": "drink", "serving_size": "1", "servings_per_day": "1", "servings_per_container": "14",
            "timing": "evening", "markets": ["US", "EU"], "population": "adult", "version": "1", **line}

    page = html.unescape(client.get("/products/luna/edit").content.decode())
    none = html.unescape(client.post("/products/luna/edit", {**data, "lines-0-overage_percent": "0"}, HTTP_HX_REQUEST="true").content.decode())
    some = html.unescape(client.post("/products/luna/edit", {**data, "lines-0-overage_percent": "5"}, HTTP_HX_REQUEST="true").content.decode())

    assert f'<p class="hint" id="claims-at-formula">{note}</p>' in page and note in none
    assert note not in some


def test_a_sheet_whose_serving_does_not_fit_its_capsules_says_so_in_its_head_and_beside_its_labels(client):
    """Recover's panel printed "Serving Size 2 Capsules" of 1,000 mg each (175% of a size 00) under "Limits: ok"."""
    from formulator.panels import LABEL_DOES_NOT_FIT

    page = client.get("/products/recover/spec/").content.decode()
    data = json.loads(client.get("/products/recover/spec.json").content)
    warning = LABEL_DOES_NOT_FIT.format(capsules="2 size 00 capsules", needed="4")

    assert '<div class="status status-over" id="spec-fill-status">Does not fit its capsules</div>' in page
    assert html.escape(warning) in page.split('id="us-label-warning">')[1].split("</p>")[0]
    assert html.escape(warning) in page.split('id="eu-label-warning">')[1].split("</p>")[0]
    assert warning in data["labels"]["US"]["warning"]
    assert 'id="spec-fill-status"' not in client.get("/products/moodflow/spec/").content.decode()


def test_a_safety_amount_keeps_its_per_day_with_its_unit(client):
    """A stack's 1,194 mg a day broke as "1,194 mg/" over "day" in its narrow Amount column."""
    from django.template.loader import render_to_string

    from formulator import spec
    from formulator.models import Stack, StackItem

    StackItem.objects.filter(stack__slug="ntrpx-daily", product__slug="luna").update(servings_per_day=7)
    sheet = render_to_string("formulator/spec/stack.html", {**spec.stack_sheet(Stack.objects.get(slug="ntrpx-daily")),
                                                            "pdf": True})
    words = [text for text, _ in laid_out_text(sheet)]

    assert "1,194 mg/day is 844 mg over the US limit of 350 mg for" in " ".join(words)
    assert [w for w in words if w.rstrip().endswith(("mg/", "mcg/"))] == []


def test_a_pdf_is_set_in_one_family_its_page_numbers_too(client):
    """"Page 1 of 3" was in a serif face, under a sheet set in sans."""
    reader = PdfReader(io.BytesIO(client.get("/products/recover/spec.pdf").content))

    faces = {font["/BaseFont"].split("+")[-1] for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}

    assert faces <= {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Mono"}, faces  # mono: the formulas


def test_a_vitamin_declared_at_its_fraction_by_formula_without_overage_is_said_too(client):
    """MoodFlow's vitamin B6 rests on pyridoxine hydrochloride's 82.27% by formula with no overage, as its magnesium
    rests on the bisglycinate's: 21 CFR 101.9(g)(4)(i) holds added vitamins to their claim as it does minerals, and only
    the magnesium was named."""
    moodflow = json.loads(client.get("/products/moodflow/spec.json").content)["claims_at_formula_fraction"]

    assert "pyridoxine-hydrochloride" in moodflow["compound_slugs"]
    assert "pyridoxine hydrochloride" in moodflow["note"]


def test_a_sheet_says_what_its_evidence_flags_mean(client):
    """A contract manufacturer read "misquoted by a seed" beside a study with nothing to say what a seed is."""
    text = " ".join(pdf_text(client.get("/products/recover/spec.pdf")).split())

    assert "misquoted by a seed" in text
    assert "“Misquoted by a seed”: one of the texts this product was conceived from" in text


def test_the_eu_label_block_says_its_daily_portion_once(client):
    """"Recommended daily portion: 2 capsules" was printed above the table and again among the statements."""
    text = " ".join(pdf_text(client.get("/products/recover/spec.pdf")).split())

    assert text.count("Recommended daily portion:") == 1
    assert "Per daily portion (2 capsules)" in text


@pytest.mark.parametrize("url", ["/products/moodflow/", "/products/moodflow/edit", "/products/moodflow/spec/",
                                 "/stacks/ntrpx-daily/", "/stacks/ntrpx-daily/spec/"])
def test_every_safety_table_says_where_near_starts(client, url):
    """MoodFlow reads "near" the EU limit at 96% of it: no page or sheet said near starts at 80%."""
    assert html.escape(labels.STATUS_LEGEND) in client.get(url).content.decode()


def test_a_stack_sheet_says_which_edit_of_each_product_it_takes(client):
    """Recover edited after the stack: the stack's sheet, still "edit 1", gave other amounts under the same identifier,
    and nothing on it said which edit of Recover it had taken."""
    from formulator.models import Product

    Product.objects.filter(slug="recover").update(version=4)
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()
    csv_text = client.get("/stacks/ntrpx-daily/spec.csv").content.decode()
    text = " ".join(pdf_text(client.get("/stacks/ntrpx-daily/spec.pdf")).split())

    recover = next(p for p in sheet["products"] if p["product_slug"] == "recover")
    assert (recover["revision"], recover["version"]) == (1, 4) and recover["updated_at"]
    assert "Recover Revision 1, edit 4 · " in text
    assert "products,products[0],version,4" in csv_text.splitlines()  # Recover is the stack's first


def test_a_stack_sheet_gives_each_products_amounts_with_overage_and_says_what_its_tables_count(client):
    """The 30 mg of overage that put a stack over could not be traced to a product in its JSON and CSV; its PDF's
    Safety and Intake headings left out the page's "amounts include overage" and "label claim, no overage"."""
    from formulator.models import ProductLine

    ProductLine.objects.filter(product__slug="luna").update(overage_percent=10)
    sheet = client.get("/stacks/ntrpx-daily/spec.json").json()
    text = " ".join(pdf_text(client.get("/stacks/ntrpx-daily/spec.pdf")).split())

    luna = next(p for p in sheet["products"] if p["product_slug"] == "luna")
    with_overage = Decimal(luna["per_day_mg"]["magnesium"]) * Decimal("1.1")
    assert abs(Decimal(luna["per_day_formula_mg"]["magnesium"]) - with_overage) < Decimal("1e-8")  # as the sheet rounds
    assert "Safety (amounts include overage)" in text and "Intake references (label claim, no overage)" in text


def test_a_sheet_says_its_lines_are_rounded_apart_where_they_do_not_add_up_to_the_total(client):
    """MagTech's sheet read 72 + 22 + 49 mg of magnesium beside a total of 144 mg, unsaid; its page says why."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="formulator"))

    magtech = pdf_text(client.get("/products/magtech-complex/spec.pdf"))
    recover = pdf_text(client.get("/products/recover/spec.pdf"))

    assert labels.LINES_ROUNDED_APART in magtech
    assert labels.LINES_ROUNDED_APART not in recover


def test_a_tiny_amount_reads_in_the_sheets_safety_rows_as_in_their_totals(client):
    """A 0.001 mg magnesium total read "<0.01 mg" in the sheet's figures and "0.001 mg ... 349.999 mg to spare" in its
    safety table, and its CSV and JSON gave that sentence."""
    from compounds.models import Compound
    from tests.factories import ProductFactory, ProductLineFactory

    product = ProductFactory(markets=["US"])
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-l-threonate"), amount=Decimal("0.014"))
    sheet = client.get(f"/products/{product.slug}/spec/").content.decode()
    said = "&lt;0.01 mg/day is &lt;1% of the US limit of 350 mg for supplemental magnesium: &gt;349.99 mg to spare."

    assert '<td class="r">&lt;0.01 mg<span class="nw">/day</span></td>' in sheet
    assert '<td class="r">&gt;349.99 mg to spare</td>' in sheet
    assert said in sheet and "0.001 mg" not in sheet and "349.999" not in sheet
    data = json.loads(client.get(f"/products/{product.slug}/spec.json").content)
    assert [row["reason"] for row in data["safety"] if row["kind"] == "UL"] == [html.unescape(said)]
    assert html.unescape(said) in client.get(f"/products/{product.slug}/spec.csv").content.decode("utf-8-sig")
