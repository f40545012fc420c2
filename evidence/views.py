from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from compounds.models import Compound
from evidence import grading
from evidence.forms import StudySearchForm
from evidence.models import Outcome, Study
from evidence.selectors import EvidenceIndex, claim_rule, study_dose_lines, study_search

PAGE_SIZE = 50


@vary_on_headers("HX-Request")
@require_safe
def study_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the evidence library; HTMX requests get only the results."""
    form = StudySearchForm(request.GET)
    studies: Any = Study.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        studies = study_search(data["q"], data["compound"], data["outcome"], data["design"], data["year_from"], data["year_to"])
    studies = studies.prefetch_related("compounds__contributions__nutrient", "outcomes")
    shown = list(studies[:PAGE_SIZE])
    for study in shown:
        study.dose_lines = study_dose_lines(study)
    context = {"form": form, "studies": shown, "count": studies.count(), "page_size": PAGE_SIZE, "nav": "evidence",
               "criteria": form.criteria() if form.is_valid() else []}
    template = "evidence/study_list.html#results" if request.htmx else "evidence/study_list.html"
    return render(request, template, context)


@require_safe
def study_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        study = Study.objects.prefetch_related("compounds__contributions__nutrient", "outcomes").get(key=key)
    except Study.DoesNotExist:
        raise Http404("No study with that key.") from None
    study.dose_lines = study_dose_lines(study)
    return render(request, "evidence/study_detail.html", {"study": study, "nav": "evidence"})


@require_safe
def grade_table(request: HttpRequest) -> HttpResponse:
    """Grades of every compound with studies, for every outcome they were studied for, with the rule."""
    index = EvidenceIndex.load()
    names = dict(Compound.objects.values_list("slug", "name"))
    rows = []
    # An override stands for a compound and outcome with no entry too: a product was graded on it, and this page,
    # listing studied outcomes only, did not show it.
    overridden: dict[str, set[str]] = {}
    for compound, outcome in index.overrides:
        overridden.setdefault(compound, set()).add(outcome)
    for slug in sorted(index.studies_by_compound.keys() | overridden.keys(), key=lambda s: names.get(s, s)):
        studies = index.studies_by_compound.get(slug, [])
        outcomes = sorted({o.outcome for s in studies for o in s.outcomes.all()} | overridden.get(slug, set()))
        rows.append({"compound": names.get(slug, slug), "slug": slug,
                     "grades": [(Outcome(o).label, index.grade(slug, [o])) for o in outcomes]})
    context = {"rows": rows, "rule": grading.RULE_TEXT, "claim_rule": claim_rule(), "tiers": grading.SEED_TIERS, "names": grading.GRADE_NAMES, "nav": "evidence"}
    return render(request, "evidence/grade_table.html", context)
