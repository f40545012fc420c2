"""The evidence grading rule and dose alignment: plain Python."""

from decimal import Decimal

import pytest

from evidence import grading
from evidence.grading import Alignment, DoseRange, Evidence, Grade

D = Decimal


def rct(key="r", n=100, direction="benefit", disputed=False):
    return Evidence(key, "rct", n, direction, disputed)


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ([rct("a", 120), rct("b", 100)], Grade.A),
        ([Evidence("m", "meta-analysis", 400, "benefit")], Grade.A),
        ([rct("a", 80)], Grade.B),
        ([rct("a", 120), rct("b", 100, "no-effect")], Grade.C),  # inconsistent
        ([rct("a", 20)], Grade.C),  # too small
        ([Evidence("o", "observational", 5000, "benefit")], Grade.C),
        ([rct("a", 100, "mixed")], Grade.C),
        ([rct("a", 100, "not-reported")], Grade.C),
        ([rct("a", 100, "undetermined")], Grade.C),  # no result either way is no null result
        ([rct("a", 100, "undetermined"), rct("b", 100, "no-effect")], Grade.E),
        # A trial that could not tell its effect from placebo's is no support: one benefit beside it is not consistent.
        ([rct("a", 120), rct("b", 100, "undetermined")], Grade.C),
        ([rct("a", 120), rct("b", 120), rct("c", 120), rct("d", 100, "undetermined")], Grade.A),  # 75%
        # A and B rest on the studies reporting a result: one that does not report it is no second trial, nor its people.
        ([rct("a", 120), rct("b", 100, "not-reported")], Grade.B),
        ([rct("a", 40), rct("b", 100, "not-reported")], Grade.C),
        ([rct("a", 120), rct("b", 100), rct("c", 100, "not-reported")], Grade.A),
        ([rct("a", 120), rct("b", 60), rct("c", 100, "not-reported")], Grade.B),
        ([rct("liu", 44, "no-effect")], Grade.E),  # a single null trial is not weak support
        ([rct("a", 300, "no-effect"), rct("b", 300, "harm")], Grade.E),
        ([rct("a", 100, "no-effect"), Evidence("x", "animal", None, "benefit")], Grade.E),
        ([Evidence("x", "animal", None, "benefit"), Evidence("y", "in-vitro", None, "benefit")], Grade.D),
        ([Evidence("c", "marketing-claim", 180, "benefit")], Grade.E),
        ([], Grade.E),
    ],
)
def test_the_grade_follows_the_written_rule(evidence, expected):
    assert grading.grade(evidence).grade is expected


def test_one_study_with_a_mixed_result_is_not_called_inconsistent():
    assert grading.grade([rct("walker", 46, "mixed")]).reason == "1 human study; mixed results."
    assert grading.grade([rct("a", 120), rct("b", 100, "mixed")]).reason == "2 human studies; inconsistent results."
    assert grading.grade([rct("a", 20, "mixed"), rct("b", 20, "mixed")]).reason == "2 human studies; mixed results."


def test_disputed_entries_are_left_out():
    result = grading.grade([rct("a", 120), rct("b", 100, disputed=True)])

    assert result.grade is Grade.B
    assert result.studies == 1


@pytest.mark.parametrize(
    ("evidence", "reason"),
    [
        ([rct("liu", 44, "no-effect")], "No benefit shown: 1 human study, no effect."),
        ([rct("a", 100, "harm"), Evidence("o", "observational", 50, "no-effect"), rct("c", 10, "not-reported")],
         "No benefit shown: 2 human studies, no effect or harm."),
        ([rct("a", 100, "not-reported")], "1 human study; no direction reported."),
        ([rct("hausenblas", 80), rct("liu", 44, "undetermined")], "2 human studies; 1 could not determine a result."),
        ([rct("liu", 44, "undetermined")], "1 human study; no result either way."),
        ([rct("a", 80), rct("b", 80, "no-effect"), rct("c", 44, "undetermined")], "3 human studies; inconsistent results."),
        ([rct("a", 40), rct("b", 100, "not-reported")], "2 human studies; only 40 participants."),
        ([rct("a", None), rct("b", 60, "not-reported")], "2 human studies; participants not reported."),
        ([Evidence("o", "observational", 5000, "benefit"), rct("b", 10, "not-reported")],
         "2 human studies; no randomised evidence."),
        ([rct("a", 120), rct("b", 100, "not-reported")], "1 randomised study, consistent, 120 participants."),
        ([rct("a", 20)], "1 human study; only 20 participants."),
        ([rct("bullarbo", None)], "1 human study; participants not reported."),  # not "only 0 participants"
        ([rct("abbasi", 46, disputed=True)], "Only disputed entries (1), left out of the grade."),
        ([], "No entry in the library."),
    ],
)
def test_the_reason_says_what_the_human_studies_found(evidence, reason):
    assert grading.grade(evidence).reason == reason


def test_consistency_is_weighted_by_design():
    result = grading.grade([Evidence("m", "meta-analysis", 300, "benefit"), Evidence("o", "observational", 50, "no-effect")])

    assert result.consistency == D(4) / D("5.5")
    assert result.grade is Grade.C  # 73% is below the 75% needed


def test_one_systematic_review_of_enough_participants_grades_b_as_the_rule_text_says():
    """The rule said B needed "at least one randomised trial"; a review alone gave B too."""
    result = grading.grade([Evidence("review", "systematic-review", 60, "benefit")])

    assert result.grade is Grade.B
    assert "B (moderate): at least one randomised trial, meta-analysis or systematic review" in grading.RULE_TEXT


def test_the_rule_text_names_every_grade_and_weight():
    for words in ("A (strong)", "B (moderate)", "C (limited)", "D (preclinical only)", "E (unsupported)", "meta-analysis 4",
                  "found only no effect or harm (a null result is not weak support)"):
        assert words in grading.RULE_TEXT
    assert grading.SEED_TIERS["Tier 2: Supported"] is Grade.B


HAUSENBLAS = DoseRange("hausenblas-2024", "Hausenblas et al. 2024", D(1000), D(1000), D(72), D(72))
LIU = DoseRange("liu-2016", "Liu et al. 2016", D(1500), D(2000), None, None)


def test_recover_is_above_hausenblas_and_within_liu():
    alignment = grading.align(D(2000), D(144), [HAUSENBLAS, LIU])

    assert [s.by_compound for s in alignment.studies] == [Alignment.ABOVE, Alignment.WITHIN]
    assert alignment.overall is Alignment.WITHIN
    assert alignment.span_compound == (D(1000), D(2000))


@pytest.mark.parametrize(("mg", "expected"), [("999", Alignment.BELOW), ("1000", Alignment.WITHIN), ("2001", Alignment.ABOVE)])
def test_overall_alignment_against_the_span(mg, expected):
    assert grading.align(D(mg), D(0), [HAUSENBLAS, LIU]).overall is expected


@pytest.mark.parametrize(("mg", "tally"), [
    ("1200", "above 1 and below 1 of the 2 studies' doses"),
    ("2000", "above 1 and within 1 of the 2 studies' doses"),
    ("2500", ""),  # above the span says it
])
def test_a_dose_within_the_span_says_how_it_stands_to_each_study(mg, tally):
    """Within the span of 422.9–828 mg, 600 mg of MgO read "within" though above three of the four trials' doses."""
    assert grading.align(D(mg), D(0), [HAUSENBLAS, LIU]).tally == tally


def test_a_dose_within_every_studys_dose_needs_no_tally():
    assert grading.align(D(1000), D(72), [HAUSENBLAS, HAUSENBLAS]).tally == ""


@pytest.mark.parametrize(("elemental", "expected"), [
    ("299.99", Alignment.WITHIN),  # 1,856 mg of trimagnesium dicitrate: "below" the trials' 300 mg
    ("299.5", Alignment.WITHIN), ("299.49", Alignment.BELOW), ("300.5", Alignment.ABOVE), ("300.49", Alignment.WITHIN),
])
def test_a_dose_is_judged_at_the_step_the_studies_wrote_theirs_to(elemental, expected):
    walker = DoseRange("walker-2003", "Walker et al. 2003", None, None, D("300.000"), D("300.000"), elemental_only=True)

    assert grading.align(D(1856), D(elemental), [walker]).overall is expected


def test_a_dose_written_to_a_tenth_is_judged_to_a_tenth():
    study = DoseRange("x", "X 2020", D("1856.1"), D("1856.1"), None, None, compound_only=True)

    assert grading.align(D("1856.04"), D(0), [study]).overall is Alignment.BELOW
    assert grading.align(D("1856.05"), D(0), [study]).overall is Alignment.WITHIN


def test_elemental_only_studies_align_by_elemental_dose():
    tarleton = DoseRange("tarleton-2015", "Tarleton et al. 2015", None, None, D(248), D(248))

    alignment = grading.align(D(1700), D(240), [tarleton])

    assert alignment.studies[0].by_compound is Alignment.UNKNOWN
    assert alignment.studies[0].by_elemental is Alignment.BELOW
    assert alignment.overall is Alignment.BELOW


def test_studies_that_reported_elemental_doses_only_are_spanned_and_judged_by_them():
    """Bullarbo's and Walker's 300 mg of magnesium read as a span of "1,856.1 mg compound", a citrate mass worked out
    from the fraction, which neither weighed; the line was judged against it."""
    bullarbo = DoseRange("bullarbo-2013", "Bullarbo et al. 2013", D("1900"), D("1900"), D(300), D(300), elemental_only=True)

    alignment = grading.align(D(1800), D(300), [bullarbo])  # a citrate whose fraction is not the one worked with

    assert alignment.overall is Alignment.WITHIN  # by the 300 mg reported, not the 1,900 mg worked out
    assert (alignment.span_compound_shown, alignment.span_elemental_shown) == (None, (D(300), D(300)))


def test_studies_that_reported_compound_doses_only_are_spanned_by_them():
    """Chandrasekhar's 600 mg of extract read "30 mg withanolides", the 5% of the product's own extract."""
    chandrasekhar = DoseRange("chandrasekhar-2012", "Chandrasekhar et al. 2012", D(600), D(600), D(30), D(30),
                              compound_only=True)

    alignment = grading.align(D(300), D(15), [chandrasekhar], nutrient_word="withanolides")

    assert (alignment.span_compound_shown, alignment.span_elemental_shown) == ((D(600), D(600)), None)


def test_studies_that_reported_both_show_both():
    alignment = grading.align(D(2000), D(144), [HAUSENBLAS, LIU])

    assert alignment.span_compound_shown == alignment.span_compound is not None
    assert alignment.span_elemental_shown == alignment.span_elemental is not None


def test_a_dose_worked_out_from_a_fraction_to_the_engines_digits_is_compared_without_error():
    """An elemental dose worked out as a compound mass (300 mg / 16.16%) has 28 digits: rounding to its last one failed."""
    worked_out = D(300) / D("0.161602")
    study = DoseRange("x", "X 2020", worked_out, worked_out, D(300), D(300), elemental_only=True)

    assert grading.align(D(1000), D(161), [study]).studies[0].by_compound is Alignment.BELOW
    assert grading.align(D(20000), D(3232), [study]).studies[0].by_compound is Alignment.ABOVE


def test_every_direction_a_study_may_record_is_a_result_or_said_to_be_none():
    from evidence.models import Direction

    assert set(Direction.values) == grading.RESULTS | {grading.UNDETERMINED, "not-reported"}


@pytest.mark.parametrize("evidence", [
    [rct("a", 60), rct("b", 60), rct("c", 60)],  # B: 180 participants
    [rct("a", 60)] + [Evidence(f"n{i}", "non-randomised-trial", 50, "benefit") for i in range(3)],  # B: one trial
    [rct("a", 30), *[Evidence(f"o{i}", "observational", None, "benefit") for i in range(3)]],  # C: 30 participants
])
@pytest.mark.parametrize("added", [rct("u", 100, "undetermined"), Evidence("o", "observational", 40, "undetermined"),
                                   rct("r", 100, "not-reported")])
def test_a_study_that_found_no_result_never_raises_a_grade(evidence, added):
    """A trial that could not tell made a third consistent trial's 180 participants an A ("4 randomised studies, 280
    participants"), and an observational study that could not tell made a 30-person trial's C a B."""
    order = "ABCDE"

    assert order.index(grading.grade([*evidence, added]).grade) >= order.index(grading.grade(evidence).grade)
