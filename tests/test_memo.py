"""What the workbench works out once and reuses while typing: it must never show a figure it did not earn."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template import TemplateSyntaxError, engines
from django.test import Client

from compounds.models import Compound, CompoundNutrient
from compounds.revision import Memo, library_cache
from formulator import fragments, presenters
from formulator.reports import Library, product_report
from formulator.services import LineData
from formulator.templatetags.figures import ERROR_JINJA_SYNTAX, ERROR_JINJA_TWICE
from tests.test_workbench import HX, recover_post


def test_a_memo_computes_each_key_once_and_drops_the_least_recently_used():
    memo = Memo(maxsize=2)
    calls = []

    def compute(value):
        return lambda: calls.append(value) or value

    assert memo.get("a", compute("A")) == "A"
    assert memo.get("b", compute("B")) == "B"
    assert memo.get("a", compute("A again")) == "A"  # kept, and now the most recently used
    memo.get("c", compute("C"))  # drops "b"
    assert memo.get("b", compute("B again")) == "B again"
    assert calls == ["A", "B", "C", "B again"] and len(memo) == 2


def test_a_memoised_macro_is_rendered_once_per_distinct_set_of_values():
    fragments._memo.cache_clear()
    table = "formulator/_figures.jinja#interactions"

    first = fragments.memo(table, rows=_noted("Bisphosphonates"))
    again = fragments.memo(table, rows=_noted("Bisphosphonates"))
    other = fragments.memo(table, rows=())

    assert "<td>Bisphosphonates<br>" in first
    assert "The library records no interaction or contraindication" in other and "Bisphosphonates" not in other
    assert again is first  # an equal value is the same key
    assert fragments._memo.cache_info().misses == 2


@pytest.mark.django_db
def test_a_model_instance_is_no_key_for_a_memoised_macro():
    with pytest.raises(TypeError) as raised:
        fragments.memo("formulator/_figures.jinja#interactions", rows=Compound.objects.first())

    assert str(raised.value) == fragments.ERROR_MODEL_VALUE.format(name="rows")


def test_a_macro_shown_in_a_django_template_sees_only_its_values():
    """Rendered without the page's context, so it cannot depend on anything it is not given."""
    template = engines["django"].from_string(
        '{% load figures %}{% jinja "formulator/_figures.jinja#interactions" rows=mine %}'
    )

    html = template.render({"mine": _noted("Quinolones"), "rows": _noted("Wrong")})

    assert "Quinolones" in html and "Wrong" not in html


def test_a_macro_is_named_as_template_and_macro():
    with pytest.raises(ValueError) as raised:
        fragments.render("formulator/_figures.jinja")

    assert str(raised.value) == fragments.ERROR_MACRO_NAME.format(name="formulator/_figures.jinja")


def test_a_misspelt_name_in_a_figures_template_fails_rather_than_showing_nothing():
    from jinja2 import UndefinedError

    template = engines["jinja2"].from_string("{{ report.magnesium_dya }}")

    with pytest.raises(UndefinedError):
        template.render({"report": _report_stub()})


def _interaction(agent: str) -> presenters.InteractionRow:
    return presenters.InteractionRow(kind="drug", kind_name="Drug", agent=agent, compound_name="", effect="Less absorbed",
                                     severity="moderate", management="Take 2 hours apart", source="Seed", populations=(),
                                     applies=False)


def _noted(agent: str) -> tuple[tuple[presenters.InteractionRow, presenters.ExclusionNote | None], ...]:
    """One row as the interactions table takes its rows, each with its note on the law (none here)."""
    return presenters.exclusion_notes((_interaction(agent),), ("US",))


def _report_stub():
    from types import SimpleNamespace

    return SimpleNamespace(magnesium_day=Decimal(1))


def _reference(url: str, source: str):
    from formulator import engine

    return engine.Reference("magnesium", engine.Kind.UL, "EU", "adult", Decimal(250), source=source, url=url)


def _report(library: Library, amount: str, compound=None):
    compound = compound or library.compounds["magnesium-l-threonate"]
    return product_report(lines=[LineData(compound, Decimal(amount), "mg", Decimal(0))], servings_per_day=Decimal(1),
                          markets=["US", "EU"], population="adult", dosage_form="capsule", capsule_size="00",
                          serving_size=2, library=library)


@pytest.mark.django_db
def test_a_line_is_calculated_once_per_distinct_line_of_the_librarys_compounds():
    library = Library.load()

    first, same, changed = _report(library, "2000"), _report(library, "2000"), _report(library, "3000")

    assert same.line_reports[0] is first.line_reports[0]
    assert changed.line_reports[0] is not first.line_reports[0]
    assert changed.magnesium_serving == Decimal("216.0")


@pytest.mark.django_db
def test_the_same_amount_written_otherwise_keeps_its_own_decimals():
    library = Library.load()

    assert _report(library, "1.5").line_reports[0] is not _report(library, "1.50").line_reports[0]


@pytest.mark.django_db
def test_a_compound_that_is_not_the_librarys_own_object_is_calculated_afresh():
    """A saved product's line carries its own copy of the compound, which may be newer than the library's."""
    library = Library.load()
    copy = Compound.objects.get(slug="magnesium-l-threonate")

    assert _report(library, "2000", copy).line_reports[0] is not _report(library, "2000", copy).line_reports[0]


@pytest.mark.django_db
def test_a_typed_row_is_checked_and_calculated_once_per_distinct_row_index_and_servings():
    from formulator.reports import typed_lines

    library = Library.load()
    row = {"compound": "magnesium-l-threonate", "amount": "2000", "unit": "mg", "overage_percent": "0", "blend": "",
           "target_mg": ""}

    first, = typed_lines([row], Decimal(1), library, None)
    again, = typed_lines([dict(row)], Decimal(1), library, None)
    twice_a_day, = typed_lines([row], Decimal(2), library, None)
    second_row = typed_lines([row, row], Decimal(1), library, None)[1]

    assert again is first and first.report.calc.nutrients["magnesium"].label_mg == Decimal("144.0")
    assert twice_a_day.report is not first.report and twice_a_day.line == first.line
    assert second_row.report.calc.key == "1" and first.report.calc.key == "0"


@pytest.mark.django_db
def test_safety_rows_from_the_memo_are_the_rows_worked_out_afresh():
    library = Library.load()
    report = _report(library, "4000")

    for limits in (True, False):
        memoised = presenters.safety_rows(report.result.assessments, library.nutrients, "adult", limits, memo=library.memo)
        again = presenters.safety_rows(report.result.assessments, library.nutrients, "adult", limits, memo=library.memo)
        fresh = presenters.safety_rows(report.result.assessments, library.nutrients, "adult", limits)
        assert [vars(r) for r in memoised] == [vars(r) for r in fresh]  # rows compare by identity: their values
        assert all(a is b for a, b in zip(memoised, again, strict=True))
    assert [(r.about.market, r.margin_text) for r in report.safety] == [("US", "62 mg to spare"), ("EU", "38 mg over")]


@pytest.mark.django_db
def test_a_safety_table_renders_each_row_once_and_a_changed_row_afresh():
    """Typing in one line leaves the other nutrients' rows as they were: the table shows them without rendering them."""
    fragments._memo.cache_clear()
    library = Library.load()
    table = "formulator/_figures.jinja#safety"

    def render(report):
        return fragments.render(table, limits=report.safety, intake=report.intake)

    report = _report(library, "4000")
    first = render(report)
    rows = fragments._memo.cache_info().misses
    assert rows == len(report.safety) + len(report.intake) == 8
    again = render(_report(library, "4000"))
    assert again == first and fragments._memo.cache_info().misses == rows
    changed = render(_report(library, "2000"))
    assert fragments._memo.cache_info().misses == 2 * rows  # every row of this one-nutrient design changed
    assert "288 mg/day is 38 mg over the EU limit of 250 mg" in first and "38 mg over" not in changed
    assert "144 mg/day is 58% of the EU limit of 250 mg" in changed
    # The same figures worked out without the memo read the same.
    fresh = presenters.safety_rows(_report(library, "4000").result.assessments, library.nutrients, "adult", True)
    assert fragments.render(table, limits=fresh, intake=_report(library, "4000").intake) == first


@pytest.mark.django_db
def test_typing_in_one_line_of_a_compound_renders_the_cells_of_its_other_lines_only_where_they_change(client, monkeypatch):
    """Each of the compound's lines gets new figures (its dose is their sum), which mostly say what they said: the
    benchmark's 50 lines, 10 of each compound, rendered 10 cells a keystroke where one changed."""
    form = recover_post(**{"lines-TOTAL_FORMS": "3", "lines-1-compound": "trimagnesium-dicitrate", "lines-1-amount": "464.05",
                           "lines-1-unit": "mg", "lines-1-overage_percent": "0", "lines-1-target_mg": "",
                           "lines-2-compound": "trimagnesium-dicitrate", "lines-2-amount": "464.05", "lines-2-unit": "mg",
                           "lines-2-overage_percent": "0", "lines-2-target_mg": ""})
    first = client.post("/products/recover/edit", form, **HX).content.decode()
    form.update(re.findall(r'name="(lines-\d-shown)" value="(\w+)"', first))  # as the page posts back what it shows
    rendered = []
    render = fragments.render
    monkeypatch.setattr(fragments, "render", lambda name, **values: rendered.append(name) or render(name, **values))

    form["lines-2-amount"] = "500"  # under the trials' 300 mg of magnesium a day before and after: "below"
    html = client.post("/products/recover/edit", form, **HX).content.decode()

    assert rendered.count(fragments.LINE_FIGURES) == 1
    assert re.findall(r'id="line-calc-(\d)" hx-swap-oob="true"', html) == ["2"]
    assert re.search(r'id="line-calc-2" hx-swap-oob="true">.*?data-dose="below".*?lines 2 and 3 together', html, re.S)


def test_the_jinja_tag_takes_a_quoted_macro_name_and_named_values_only():
    for source in ('{% jinja %}', '{% jinja name %}', '{% jinja "t.jinja#m" report %}', '{% jinja "t.jinja#m" =report %}',
                   '{% jinja " %}'):
        with pytest.raises(TemplateSyntaxError) as raised:
            engines["django"].from_string("{% load figures %}" + source)
        assert str(raised.value) == ERROR_JINJA_SYNTAX.format(tag="jinja")
    with pytest.raises(TemplateSyntaxError) as raised:
        engines["django"].from_string('{% load figures %}{% jinja "t.jinja#m" report=a report=b %}')
    assert str(raised.value) == ERROR_JINJA_TWICE.format(tag="jinja", name="report")


def cells_and_totals(response) -> tuple[dict[str, str], str, str]:
    html = response.content.decode()
    cells = dict(re.findall(r'<td class="line-calc" data-label="Delivers" id="line-calc-(\d)" hx-swap-oob="true">.*?<strong>([^<]+)</strong>', html))
    serving = re.search(r'<strong id="mg-serving">([^<]+)</strong>', html).group(1)
    eu = re.search(r'data-market="EU" data-nutrient="Magnesium">.*?<span class="reason">([^<]+)</span>', html, re.S).group(1)
    return cells, serving, eu


@pytest.mark.django_db(transaction=True)
def test_typing_with_the_library_cached_shows_every_figure_right_and_a_library_change_at_once(django_user_model):
    """The memos outlive requests only outside a transaction, as in production: this test commits."""
    call_command("load_seed", verbosity=0)  # a transactional test may start from an empty database
    library_cache.clear()
    client = Client()
    client.force_login(django_user_model.objects.get(username="demo"))
    two_lines = {"lines-TOTAL_FORMS": "2", "lines-1-compound": "magnesium-l-threonate",
                 "lines-1-unit": "mg", "lines-1-overage_percent": "0", "lines-1-target_mg": ""}

    def keystroke(amount):
        return cells_and_totals(client.post("/products/recover/edit", recover_post(**two_lines, **{"lines-1-amount": amount}), **HX))

    seen = [keystroke(a) for a in ("1000", "3000", "1000")]
    assert Library.load() is Library.load()  # the library is cached, so the memos were in play
    CompoundNutrient.objects.filter(compound__slug="magnesium-l-threonate").update(specified_fraction=Decimal("0.08"))
    after_change = keystroke("1000")

    assert seen == [
        ({"0": "144 mg", "1": "72 mg"}, "216 mg", "216 mg/day is 86% of the EU limit of 250 mg for supplemental magnesium: 34 mg to spare."),
        ({"0": "144 mg", "1": "216 mg"}, "360 mg", "360 mg/day is 110 mg over the EU limit of 250 mg for supplemental magnesium."),
        ({"0": "144 mg", "1": "72 mg"}, "216 mg", "216 mg/day is 86% of the EU limit of 250 mg for supplemental magnesium: 34 mg to spare."),
    ]
    assert after_change == ({"0": "160 mg", "1": "80 mg"}, "240 mg",
                            "240 mg/day is 96% of the EU limit of 250 mg for supplemental magnesium: 10 mg to spare.")


@pytest.mark.django_db
def test_the_librarys_evidence_is_read_once_per_set_of_compounds():
    library = Library.load()

    assert library.evidence(["magnesium-l-threonate"]) is library.evidence({"magnesium-l-threonate"})
    assert library.evidence(["magnesium-l-threonate"]).doses("magnesium-l-threonate", Decimal("0.072"))
    assert library.evidence() is not library.evidence(["magnesium-l-threonate"])


@pytest.mark.django_db(transaction=True)
def test_a_keystroke_reads_the_session_the_user_the_product_and_the_library_token_however_many_lines(django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("load_seed", verbosity=0)
    client = Client()
    client.force_login(django_user_model.objects.get(username="demo"))
    counts = {}
    for lines in (1, 10):
        rows = {f"lines-{i}-{field}": value for i in range(lines) for field, value in
                (("compound", "magnesium-l-threonate"), ("amount", str(100 + i)), ("unit", "mg"), ("overage_percent", "0"))}
        form = recover_post(**{"lines-TOTAL_FORMS": str(lines), **rows})
        client.post("/products/recover/edit", form, **HX)  # the library is now cached
        with CaptureQueriesContext(connection) as queries:
            assert client.post("/products/recover/edit", form, **HX).status_code == 200
        counts[lines] = [q["sql"].split(" FROM ")[1].split()[0] for q in queries]

    assert counts[1] == counts[10] == ['"django_session"', '"auth_user"', '"formulator_product"', "compounds_libraryrevision"]


def test_a_lines_cell_is_sent_again_when_only_what_it_says_of_the_formulas_fraction_changes():
    """The cells are memoised by what they say: the formula's fraction is part of it."""
    delivered = presenters.DeliveredText("magnesium", "Magnesium", "144 mg", "7.20%", "specified", "formula gives 8.25%")
    cell = presenters.LineCell("Magnesium L-threonate", (delivered,), "", "", "", "")
    other = replace(cell, delivers=(replace(delivered, by_formula="formula gives 8.26%"),))

    first, second = fragments._line_cell_shown(0, cell, True), fragments._line_cell_shown(0, other, True)

    assert "formula gives 8.25%" in first.html and "formula gives 8.26%" in second.html
    assert first.shown != second.shown
