from typing import Any

from django import forms
from django.contrib import admin, messages

from compounds.admin import CuratorImportExportAdmin, HistoryAdmin
from compounds.models import Market, Population
from evidence.models import ERROR_OUTCOME_TWICE, GradeOverride, Interaction, Study, StudyOutcome, outcome_again
from evidence.resources import InteractionResource, StudyResource
from evidence.selectors import grade_override_raised, study_outcome_history, study_outcomes_changed_since
from evidence.services import study_elemental_errors, study_refresh_search


class StudyOutcomeFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """Refuse an outcome given twice: "benefit" and "no effect" for one outcome were saved, and graded as benefit."""
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") or not data.get("outcome"):
                continue
            outcome = data["outcome"]
            if outcome_again(outcome, seen):
                form.add_error("outcome", ERROR_OUTCOME_TWICE)
            seen.add(outcome)


class StudyForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        """Refuse an elemental dose the compounds cannot hold: the model cannot, as it has no compounds until saved."""
        data = super().clean()
        compounds = data.get("compounds")
        if compounds is not None:
            errors = study_elemental_errors(
                compounds.prefetch_related("contributions__nutrient"),
                (data.get("dose_compound_mg_min"), data.get("dose_compound_mg_max")),
                (data.get("dose_elemental_mg_min"), data.get("dose_elemental_mg_max")))
            for field, error in errors.items():
                self.add_error(field, error)
        return data


class StudyOutcomeInline(admin.TabularInline):
    model = StudyOutcome
    formset = StudyOutcomeFormSet
    extra = 0


# A revert puts back the study's own fields: its findings have their own history (below the study's on its page).
MESSAGE_OUTCOMES_NOT_REVERTED = ("The study's findings are not reverted with it, and differ from that version's: now "
                                 "{now}; in that version {then}. Change them on its page if that version's belong with it: "
                                 "they grade its compounds.")


@admin.register(Study)
class StudyAdmin(CuratorImportExportAdmin, HistoryAdmin):
    form = StudyForm
    resource_classes = [StudyResource]
    list_display = ["citation_short", "title", "design", "n", "verification", "seed_misquotes", "seed_file"]
    list_filter = ["design", "verification", "seed_misquotes", "compounds", "outcomes__outcome", "year"]
    search_fields = ["key", "authors", "title", "journal", "doi", "pmid", "seed_claim", "curator_notes"]
    filter_horizontal = ["compounds"]
    inlines = [StudyOutcomeInline]
    prepopulated_fields = {"key": ["authors", "year"]}

    object_history_template = "admin/evidence/study/object_history.html"  # with its outcomes' history

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        study_refresh_search(form.instance)  # after the outcomes and compounds are saved

    def reverted(self, request, object_id, version_id) -> None:  # type: ignore[no-untyped-def]
        # Its search text stayed the later version's, and its findings (which grade its compounds) stay as they are.
        study = Study.objects.get(pk=object_id)
        study_refresh_search(study)
        changed = study_outcomes_changed_since(study, version_id)
        if changed:
            self.message_user(request, MESSAGE_OUTCOMES_NOT_REVERTED.format(now=changed[0], then=changed[1]),
                              messages.WARNING)

    def history_context(self, object_id: str) -> dict[str, object]:
        """The study's history, with its outcomes' below it: its page said "none to this record's fields" of a finding
        changed from benefit to no effect, which regraded the compound."""
        return {"outcome_history": study_outcome_history(object_id)}


@admin.register(GradeOverride)
class GradeOverrideAdmin(HistoryAdmin):
    list_display = ["compound", "outcome", "grade", "curator", "created_at"]
    list_filter = ["grade", "outcome"]
    search_fields = ["compound__name", "reason"]
    autocomplete_fields = ["compound"]
    # Who stands behind an override is who saved it: the field listed every user, and the viewer could be named.
    readonly_fields = ["curator"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.curator = request.user
        super().save_model(request, obj, form, change)
        raised = grade_override_raised(obj)
        if raised:
            self.message_user(request, raised, messages.WARNING)


class InteractionForm(forms.ModelForm):
    populations = forms.MultipleChoiceField(
        choices=Population.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tick the populations it applies to, if any: designs for one of them show it as a caution.",
    )
    excluded_in = forms.MultipleChoiceField(
        label="Excluded by law in", choices=Market.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tick the markets whose law excludes those populations: a product for one of them sold there "
                  "cannot be approved.",
    )

    class Meta:
        model = Interaction
        fields = "__all__"


@admin.register(Interaction)
class InteractionAdmin(CuratorImportExportAdmin, HistoryAdmin):
    form = InteractionForm
    resource_classes = [InteractionResource]
    list_display = ["agent", "kind", "severity", "compound", "nutrient", "populations_named", "excluded_in_named", "source"]
    list_filter = ["kind", "severity", "nutrient"]
    search_fields = ["agent", "effect", "management", "source"]

    # The JSON lists read ["pregnancy", "lactation"] in the list of interactions.
    @admin.display(description="populations")
    def populations_named(self, obj: Interaction) -> str:
        return ", ".join(Population(code).label if code in Population.values else code for code in obj.populations) or "—"

    @admin.display(description="excluded by law in")
    def excluded_in_named(self, obj: Interaction) -> str:
        return ", ".join(obj.excluded_in) or "—"
