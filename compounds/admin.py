from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from compounds import selectors, spreadsheets
from compounds.chemistry import FormulaParseError
from compounds.selectors import parsed_formula
from compounds.models import (ERROR_SPECIFIED_SHARE, CapsuleSize, Compound, CompoundNutrient, Nutrient, ReferenceValue,
                              declared_over_whole)
from compounds.revision import revision_seen
from compounds.resources import CompoundNutrientResource, CompoundResource, ReferenceValueResource, compound_links_problem
from compounds.services import compound_links_ensure, nutrient_delete, nutrient_links_ensure
from evidence.models import Interaction
from evidence.services import compound_studies_refresh_search
from formulator import labels
from formulator.forms import PointDecimalField, number_written

# Numbers as the workbench reads them: "0,072" said a bare "Enter a number." (the import says what a comma does), and
# "1e-2" was taken where the import refuses it.
PLAIN_DECIMALS = {models.DecimalField: {"form_class": PointDecimalField}}


class LibraryConfirmImportForm(ConfirmImportForm):
    """The import's confirmation, with the library's revision its preview was made at."""

    library_revision = forms.CharField(widget=forms.HiddenInput, required=False)


class CuratorImportExportAdmin(ImportExportModelAdmin):
    """Import and export for curators: errors in words, without the Python traceback import-export adds to them, and
    files whose formula-like text opens in a spreadsheet as text and imports back as it was."""

    formfield_overrides = PLAIN_DECIMALS
    import_template_name = "admin/import_export/curator_import.html"
    export_template_name = "admin/import_export/curator_export.html"  # its "Select all" works under the CSP
    formats = spreadsheets.FORMATS
    confirm_form_class = LibraryConfirmImportForm

    def get_confirm_form_initial(self, request, import_form):  # type: ignore[no-untyped-def]
        initial = super().get_confirm_form_initial(request, import_form)
        return {**initial, "library_revision": revision_seen()} if import_form is not None else initial

    def import_action(self, request, **kwargs):  # type: ignore[no-untyped-def]
        response = super().import_action(request, **kwargs)  # the preview: rendered once its context is complete
        self._linked_said(request, (getattr(response, "context_data", None) or {}).get("result"))
        return response

    def process_dataset(self, dataset, form, request, **kwargs):  # type: ignore[no-untyped-def]
        result = super().process_dataset(dataset, form, request, **kwargs)
        self._linked_said(request, result)
        return result

    def _linked_said(self, request, result) -> None:  # type: ignore[no-untyped-def]
        """Say the nutrients the file's formulas give compounds, the studies of the compounds it changed whose elemental
        doses these can no longer hold, as the compound's page says them (CompoundResource), and the specified fractions
        far below their formula's and reference values far outside their nutrient's others, as their pages do."""
        # Not for a file refused, previewed or processed: it cannot be confirmed, and what its valid rows would change is
        # not made (a preview of a file with an error said which studies it would leave disagreeing).
        if result is None or result.has_errors() or result.has_validation_errors():
            return
        linked_by_formula = list(getattr(result, "linked_by_formula", ()))
        if len(linked_by_formula) > LINKED_SAID_ONE_BY_ONE:  # 200 new compounds were 200 messages, before and after
            self.message_user(request, MESSAGE_LINKED_BY_FORMULA_MANY.format(
                count=f"{len(linked_by_formula):,}", compounds="; ".join(
                    f"{compound.name} ({_nutrients_named(linked)['nutrients']})" for compound, linked in linked_by_formula)),
                messages.WARNING)
            linked_by_formula = []
        for compound, linked in linked_by_formula:
            self.message_user(request, MESSAGE_LINKED_BY_FORMULA.format(
                name=compound.name, formula=compound.formula, **_nutrients_named(linked)), messages.WARNING)
        for compound, keys in getattr(result, "studies_disagreeing", ()):
            _studies_disagreeing_said(self, request, compound, keys)
        doubts = list(getattr(result, "formula_doubts", ()))
        if len(doubts) > LINKED_SAID_ONE_BY_ONE:  # a file of 200 copies of MgO: one message, not 200
            self.message_user(request, MESSAGE_FORMULA_DOUBTS_MANY.format(
                lead=doubts[0][0], count=f"{len(doubts):,}", compounds="; ".join(name for _, name, _ in doubts)),
                messages.WARNING)
            doubts = []
        for outlier in (*getattr(result, "fractions_changed", ()), *(message for _, _, message in doubts),
                        *getattr(result, "specified_far_below", ()),
                        *getattr(result, "reference_outliers", ())):
            self.message_user(request, outlier, messages.WARNING)

    def process_import(self, request, **kwargs):  # type: ignore[no-untyped-def]
        # The confirmation imports the file again, against the library as it is then: a row the preview skipped as
        # unchanged wrote back what another curator had changed since (Magtein's price and grade undone, unsaid).
        seen = request.POST.get("library_revision")
        if seen is not None and seen != revision_seen():
            return self._nothing_imported(request, MESSAGE_IMPORT_LIBRARY_CHANGED)
        return super().process_import(request, **kwargs)

    def _nothing_imported(self, request, message: str) -> HttpResponseRedirect:  # type: ignore[no-untyped-def]
        """Back to the import page, saying why nothing was imported."""
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:%s_%s_import" % self.get_model_info(), current_app=self.admin_site.name))

    def export_action(self, request):  # type: ignore[no-untyped-def]
        # The export page filters as the list does, by its address: a filter the list refuses (an id of "abc") was a
        # 500 here, where the list goes back to itself unfiltered, saying so ("?e=1").
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            changelist = reverse("admin:%s_%s_changelist" % self.get_model_info(), current_app=self.admin_site.name)
            return HttpResponseRedirect(f"{changelist}?{ERROR_FLAG}=1")

    def get_export_data(self, file_format, request, queryset, **kwargs):  # type: ignore[no-untyped-def]
        # import-export writes numbers and yes/no as such only into the binary formats it knows by their exact
        # class: an XLSX of ours held every amount as text, which a spreadsheet neither sums nor sorts as numbers.
        request.export_native_types = file_format.is_binary()
        return super().get_export_data(file_format, request, queryset, **kwargs)

    def get_data_for_export(self, request, queryset, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(request, "export_native_types", False):
            kwargs["force_native_type"] = True
        return super().get_data_for_export(request, queryset, **kwargs)

    def get_import_data_kwargs(self, **kwargs):  # type: ignore[no-untyped-def]
        # Confirmed, a file a row of which no longer held (another curator's change since the preview) wrote the
        # others, and the page said "Import finished": all or nothing.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):  # type: ignore[no-untyped-def]
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        return self._nothing_imported(request, MESSAGE_IMPORT_CHANGED)

    def add_data_read_fail_error_to_form(self, form, e):  # type: ignore[no-untyped-def]
        message = spreadsheets.unreadable_message(e)
        if message:
            form.add_error("import_file", message)  # what to do about it, not only the exception's name
        else:
            super().add_data_read_fail_error_to_form(form, e)


# simple-history's revert ends in Django's change message: a deleted compound brought back from its history read "was
# changed successfully", as did a version put back, neither saying what had happened.
MESSAGE_RECOVERED = "The {name} “{obj}” was recovered from its history."
# The date before the end: the site writes times "3:12 p.m.", and a sentence ending in one read "p.m..".
MESSAGE_REVERTED = "The {name} “{obj}” was reverted to the version of {date} in its history."
# simple-history titles the page that brings a deleted record back as it titles a past version's, "Revert …".
TITLE_RECOVER = "Recover {obj}"
# Deleted records, listed from their model's list: simple-history recovers one only from its history page, whose address
# a curator had to know.
TITLE_DELETED = "Deleted {name}"
DELETED_NONE = "No {name} deleted, or each deleted one was recovered since."
RECOVER = "Recover"
# simple-history's line on every version's page, a deleted record's too: "Press the 'Revert' button below to revert to
# this version of the object." Any version of a deleted record brings it back, not only the last.
HELP_RECOVER = "Press the “Recover” button below to bring this {name} back as it was in this version."


# A value a history's change left or found empty, as the history page writes a version with no user.
HISTORY_EMPTY = "—"
HISTORY_YES, HISTORY_NO = "yes", "no"


class CuratorHistoryValues(HistoricalRecordContextHelper):
    """A history page's changed values as a curator reads them: "None → 3000.0000" for a reference value's amount set
    is "— → 3000", the amount written as the admin's number fields take it back (PLAIN_DECIMALS)."""

    def prepare_delta_change_value(self, change, value):  # type: ignore[no-untyped-def]
        value = super().prepare_delta_change_value(change, value)
        if value is None or value == "" or value == []:
            return HISTORY_EMPTY
        if isinstance(value, bool):  # "False → True" for a study's "disputed", as the form's ticked box is not
            return HISTORY_YES if value else HISTORY_NO
        if isinstance(value, Decimal):
            return number_written(value)
        # A choice as its form names it: a reference value's kind read "DV → UL", a study's design "rct".
        if isinstance(value, (str, int)):
            return dict(self.model._meta.get_field(change.field).flatchoices or ()).get(value, value)
        return value


class HistoryIdsCheckedAdmin(SimpleHistoryAdmin):
    """simple-history's, with an address whose record or version id is not one (a typo, "abc") a 404, as a change page's
    is: simple-history queries with it as typed, and every history page answered 500. A revert says it reverted, or
    recovered a deleted record."""

    def history_view(self, request, object_id, extra_context=None):  # type: ignore[no-untyped-def]
        self._ids_checked(object_id)
        return super().history_view(request, object_id, {**(extra_context or {}), **self.history_context(object_id)})

    def history_context(self, object_id: str) -> dict[str, object]:
        """What a record's history page shows beside its own versions; read once its id is known to be one."""
        return {}

    def get_historical_record_context_helper(self, request, historical_record):  # type: ignore[no-untyped-def]
        return CuratorHistoryValues(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):  # type: ignore[no-untyped-def]
        self._ids_checked(object_id, version_id)
        existed = self.model._default_manager.filter(pk=unquote(object_id)).exists()  # read before a revert saves it again
        if request.method == "POST":
            request.history_reverted = (version_id, existed)
        # For the page's breadcrumbs, button and instruction (simple_history/object_history_form.html), as its title.
        words = {} if existed else {"recover": RECOVER, "recover_help": HELP_RECOVER.format(name=self.opts.verbose_name)}
        return super().history_form_view(request, object_id, version_id, {**(extra_context or {}), **words})

    def response_change(self, request, obj):  # type: ignore[no-untyped-def]
        reverted = getattr(request, "history_reverted", None)
        if reverted is None or "_change_history" in request.POST:  # a change page's save, or simple-history's own edit
            return super().response_change(request, obj)
        version_id, existed = reverted
        words = {"name": obj._meta.verbose_name, "obj": obj}
        if existed:
            history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
            date = history.objects.filter(pk=version_id).values_list("history_date", flat=True).get()
            # As the history page lists the version: in the site's time zone and format.
            message = MESSAGE_REVERTED.format(**words, date=formats.localize(timezone.template_localtime(date)))
        else:
            message = MESSAGE_RECOVERED.format(**words)
        self.message_user(request, message, messages.SUCCESS)
        return self.response_post_save_change(request, obj)

    def get_urls(self):  # type: ignore[no-untyped-def]
        # Before the admin's own: its "<object_id>/" would take "deleted/" for a record's address.
        name = "%s_%s_deleted" % (self.opts.app_label, self.opts.model_name)
        return [path("deleted/", self.admin_site.admin_view(self.deleted_view), name=name), *super().get_urls()]

    def has_recover_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        """Whether the user may list the deleted records to recover them: whoever may add one and change one."""
        # Both: a recovery adds the record back through its change form (HistoryAdmin's revert asks for the change
        # permission). A nutrient link, added on its compound's page only, is not listed to be added back without it.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):  # type: ignore[no-untyped-def]
        if self.has_recover_permission(request):
            extra_context = {**(extra_context or {}), "deleted_title": TITLE_DELETED.format(name=self.opts.verbose_name_plural),
                             "deleted_url": reverse("admin:%s_%s_deleted" % (self.opts.app_label, self.opts.model_name),
                                                    current_app=self.admin_site.name)}
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):  # type: ignore[no-untyped-def]
        """List the model's deleted records, each as last recorded, with who deleted it, when, and a link to recover it."""
        if not self.has_recover_permission(request):
            raise PermissionDenied
        request.current_app = self.admin_site.name
        opts = self.opts
        paginator = Paginator(selectors.records_deleted(self.model), self.history_list_per_page)
        page_obj = paginator.get_page(request.GET.get(PAGE_VAR))
        for record in page_obj:
            record.named = _record_named(record)
            record.recover_url = reverse("admin:%s_%s_simple_history" % (opts.app_label, opts.model_name), args=(
                quote(getattr(record, opts.pk.attname)), record.history_id), current_app=self.admin_site.name)
        return TemplateResponse(request, "admin/deleted_records.html", {
            **self.admin_site.each_context(request), "title": TITLE_DELETED.format(name=opts.verbose_name_plural),
            "opts": opts, "app_label": opts.app_label, "page_obj": page_obj, "page_var": PAGE_VAR,
            "page_range": paginator.get_elided_page_range(page_obj.number), "recover": RECOVER,
            "none": DELETED_NONE.format(name=opts.verbose_name_plural)})

    def history_form_view_title(self, request, obj):  # type: ignore[no-untyped-def]
        if self.revert_disabled(request, obj) or self.model._default_manager.filter(pk=obj.pk).exists():
            return super().history_form_view_title(request, obj)
        return TITLE_RECOVER.format(obj=obj)

    def _ids_checked(self, object_id: str, version_id: str | None = None) -> None:
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                history._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404 from None


def _record_named(record) -> str:  # type: ignore[no-untyped-def]
    """A deleted record as its page named it, or by its model and id where that name reads a record deleted with it."""
    try:
        return str(record.instance)
    except ObjectDoesNotExist:  # a grade override is named by its compound, which it goes with
        return f"{capfirst(record.instance._meta.verbose_name)} {record.instance.pk}"


class HistoryAdmin(HistoryIdsCheckedAdmin):
    """simple-history's, with a revert only for whoever may change the record: it saves a posted past version with the
    view permission alone, and a nutrient link was moved to another compound from its read-only history page."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):  # type: ignore[no-untyped-def]
        if request.method == "POST" and not self.has_change_permission(request, self._reverted_record(
                request, object_id, version_id)):
            raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            self.reverted(request, object_id, version_id)
        return response

    def reverted(self, request, object_id, version_id) -> None:  # type: ignore[no-untyped-def]
        """Do what a save does beyond the record's own fields, which simple-history's revert saves alone."""

    def _reverted_record(self, request, object_id: str, version_id: str):  # type: ignore[no-untyped-def]
        """The record a revert would save: as it stands, or, deleted, as the version holds it (None if there is none)."""
        # Not None for a deleted record: the permission asked of "no record" is the list's, and a nutrient link, changed
        # only on its compound's page, was recovered from its own history without that page's checks.
        self._ids_checked(object_id, version_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        version = history.objects.filter(**{self.opts.pk.attname: unquote(object_id), "pk": version_id}).first()
        return self.get_object(request, object_id) or (version.instance if version is not None else None)


# Read year-month-day only (formulator.formats): Django's "Enter a valid date." did not say how to write one.
ERROR_DATE_TYPED = "Enter the date as year-month-day, such as 2020-02-01 for 1 February 2020."
MESSAGE_PRODUCT_LINES = "{count} ingredient line{s} of products, of any team"
MESSAGE_COMPOUND_STUDIES = "{count} stud{s} of it in the evidence, whose doses are of it: {keys}"
# What keeps a nutrient: deleting magnesium blamed the curator's permissions ("compound nutrient"), not its uses.
MESSAGE_NUTRIENT_SOURCES = "{count} compound{s} of the library giving it"
MESSAGE_NUTRIENT_VALUES = "{count} reference value{s} (Daily Values, limits …) of it"
MESSAGE_NUTRIENT_INTERACTIONS = "{count} interaction{s}, caution{s} or exclusion{s} by law recorded for it"
MESSAGE_NUTRIENT_LINKS_GO = ("Its link{s} to {count} compound{s} of the library, made from their formulas: every design "
                             "with them no longer counts it")
# Deleting a size products use took their capsule fill check, and with it the approval blocker for capsules too few.
MESSAGE_CAPSULE_PRODUCTS = "{count} product{s} of any team in size {code} capsules"
MESSAGE_UNLINKED = ("{name} no longer gives {nutrients}: every design with it no longer counts {them}, on its page, "
                    "its limits and its sheets.")
MESSAGE_IMPORT_LIBRARY_CHANGED = ("Nothing was imported: the library changed since the preview, and the preview no longer "
                                  "shows what the file would change. Import the file again to see it.")
MESSAGE_IMPORT_CHANGED = ("Nothing was imported: since the preview, the library changed so that a row of the file no "
                          "longer holds. Import the file again to see which.")
# Said, not refused: the studies are checked against the formula as it stands, so a refusal would leave a wrong formula
# and the studies entered under it each waiting for the other to be fixed first.
MESSAGE_STUDIES_DISAGREE = ("{count} {studies} of {name} {give} an elemental dose that neither its formula, {formula}, nor its "
                            "specified fractions can hold: {keys}. Check them; if they are right, correct those studies' "
                            "doses (they cannot be saved until then).")
# Said, as giving an extract a formula ("MgO" for ashwagandha) made it a magnesium source on every page, unannounced.
MESSAGE_NUTRIENT_LINKED = ("{nutrient} is now given by {count} compound{s} whose formula holds {symbol}: {names}. Every "
                           "design with {them} counts it.")
MESSAGE_LINKED_BY_FORMULA = ("{name} now gives {nutrients} by its formula, {formula}: every design with it counts "
                             "{them}. If it holds none, clear the formula.")
LINKED_SAID_ONE_BY_ONE = 5
MESSAGE_LINKED_BY_FORMULA_MANY = ("{count} compounds now give nutrients by their formulas, and every design with one counts "
                                  "what it gives: {compounds}. If one holds none, clear its formula.")
MESSAGE_FORMULA_DOUBTS_MANY = ("{lead}: {count} compounds have a formula typed as no supplement's, or another compound's: "
                               "{compounds}. Open each to see which.")
# A revert puts back the compound's own fields: its links (a supplier's specified fraction) have their own history.
MESSAGE_LINKS_NOT_REVERTED = ("{name}'s nutrient links are not reverted with it, and differ from that version's: {changes}. "
                              "Change them on its page if that version's belong with it.")
ERROR_ELEMENT_IN_FORMULA = ("{nutrient} is in the formula {formula}, and a compound gives every element its formula holds: "
                            "it would be linked again on saving. Change the formula first.")


THEORETICAL_REFUSED = "none: the library does not read the formula as it stands (see the formula check)"


class CompoundNutrientFormSet(forms.BaseInlineFormSet):
    """Refuse removing an element nutrient the compound's formula holds: the save links it again (compound_links_ensure),
    and the admin said "changed successfully" over a removal it had undone."""

    def clean(self) -> None:
        super().clean()
        formula = self.instance.formula
        try:
            atoms = parsed_formula(formula).atoms if formula else {}
        except FormulaParseError:
            return  # the formula's own field says what is wrong with it
        for form in self.deleted_forms:
            nutrient = form.cleaned_data.get("nutrient")
            if nutrient is not None and nutrient.formula in atoms:
                raise forms.ValidationError(ERROR_ELEMENT_IN_FORMULA.format(nutrient=nutrient.name, formula=formula))
        # A formula's fractions may add up to more than the whole (a chelate's free amino acids), a supplier's alone
        # may not: 80% withanolides and 90% honokiol were saved, and the page explained them as a chelate's.
        error = declared_over_whole(formula, (form.cleaned_data.get("specified_fraction") for form in self.forms
                                             if form not in self.deleted_forms and getattr(form, "cleaned_data", None)))
        if error:
            raise forms.ValidationError(error)


class ShareField(PointDecimalField):
    """A specified fraction: "12%" said a bare "Enter a number.", where 12 says what a fraction is."""

    def to_python(self, value):  # type: ignore[no-untyped-def]
        if isinstance(value, str) and value.strip().endswith("%"):
            raise forms.ValidationError(ERROR_SPECIFIED_SHARE, code="percent")
        return super().to_python(value)


class CompoundNutrientInline(admin.TabularInline):
    model = CompoundNutrient
    formfield_overrides = PLAIN_DECIMALS
    formset = CompoundNutrientFormSet
    extra = 0
    fields = ["nutrient", "units_per_formula", "theoretical", "specified_fraction", "specified_source", "specified_url"]
    readonly_fields = ["theoretical"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "specified_fraction":
            kwargs["form_class"] = ShareField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Theoretical fraction (from formula)")
    def theoretical(self, link: CompoundNutrient) -> str:
        if not link.pk:
            return "computed on save"
        try:
            value = selectors.theoretical_fraction(link.compound.formula, link.nutrient, link.units_per_formula)
        except FormulaParseError:
            # The admin showed its empty-value dash for the error, as for a fraction with no formula to work it from.
            return THEORETICAL_REFUSED
        return labels.fraction_percent(value)


@admin.register(CompoundNutrient)
class CompoundNutrientAdmin(CuratorImportExportAdmin, HistoryAdmin):
    """The nutrient links of every compound, to import and export suppliers' specified fractions in bulk; they are
    edited one by one on their compound's page, which links the elements its formula holds."""

    resource_classes = [CompoundNutrientResource]
    list_display = ["compound", "nutrient", "units_per_formula", "specified_fraction", "specified_source"]
    list_filter = ["nutrient"]
    search_fields = ["compound__name", "compound__slug", "nutrient__name", "specified_source"]
    list_select_related = ["compound", "nutrient"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # on the compound's page, with its formula beside it (or by import)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The import needs it; the change form does not, as the compound's page edits a link.
        return super().has_change_permission(request, obj) and obj is None

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a compound keeps a link to every element of its formula: removed on its page, under its rules


def _nutrients_named(links: list[CompoundNutrient]) -> dict[str, str]:
    """The links' nutrients as the messages about them name them: "glycine", "magnesium and glycine"; "it", "them"."""
    names = [labels.lower_first(link.nutrient.name) for link in links]
    return {"nutrients": labels.listed(names), "them": "it" if len(names) == 1 else "them"}


def _studies_disagreeing_said(model_admin: admin.ModelAdmin, request, compound: Compound, keys: list[str]) -> None:  # type: ignore[type-arg, no-untyped-def]
    model_admin.message_user(request, MESSAGE_STUDIES_DISAGREE.format(
        count=len(keys), studies="study" if len(keys) == 1 else "studies", give="gives" if len(keys) == 1 else "give",
        name=compound.name, formula=compound.formula, keys=", ".join(keys)), messages.WARNING)


class CompoundRevertForm(forms.ModelForm):
    """A compound's form when reverting it to a recorded version. No links stand beside it to be checked with it, as
    on its page: each saved link is checked against the formula reverted to, as an import checks them. Reverting
    Mg(OH)2 from MgO kept a supplier's 55% magnesium beside the 41.68% its formula holds."""

    def _post_clean(self) -> None:
        super()._post_clean()
        problem = None if "formula" in self.errors else compound_links_problem(self.instance)
        if problem:
            self.add_error("formula", problem)


NO_GRADE = "(no grade)"


class GradeListFilter(admin.AllValuesFieldListFilter):
    """The grades compounds have, with no grade named: most compounds have none, and it was a link with no text."""

    def choices(self, changelist: object):  # type: ignore[no-untyped-def]
        for choice in super().choices(changelist):  # type: ignore[arg-type]
            yield {**choice, "display": NO_GRADE} if choice["display"] == "" else choice


# In lower case, as the admin writes "By " before a filter's title beside "By form class" and "By nutrient".
FILTER_FORMULA_CHECK = "formula check"
FILTER_FORMULA_CHECK_NEEDS = "Needs checking"


class FormulaCheckListFilter(admin.SimpleListFilter):
    """The compounds whose saved formula the library refuses now, or reads otherwise than its figures were saved
    against (selectors.compound_formula_checks)."""

    title = FILTER_FORMULA_CHECK
    parameter_name = "formula_check"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("needs", FILTER_FORMULA_CHECK_NEEDS)]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() != "needs":
            return queryset
        # Read in Python, as only the parser knows what it refuses: the library is a few hundred compounds.
        return queryset.filter(pk__in=[compound.pk for compound, _ in selectors.compounds_needing_check()])


@admin.register(Compound)
class CompoundAdmin(CuratorImportExportAdmin, HistoryAdmin):
    resource_classes = [CompoundResource]
    list_display = ["name", "formula", "form_class", "molecular_weight", "grade", "cost_per_kg"]
    list_filter = ["form_class", "contributions__nutrient", ("grade", GradeListFilter), FormulaCheckListFilter]
    search_fields = ["name", "slug", "synonyms", "formula", "grade", "supplier"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["molecular_weight", "formula_check"]
    inlines = [CompoundNutrientInline]
    object_history_template = "admin/compounds/compound/object_history.html"  # with its links' history

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        """The admin's search, and the compounds whose formula is the one searched for in another hydrate spelling:
        "MgCl2.6H2O" found nothing of "MgCl2·6H2O", the spelling stored."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        wanted = selectors.formula_normalised(search_term.strip())
        if wanted is None:  # a name, a slug, a word of notes: the admin's search alone
            return results, may_have_duplicates
        # Read in Python, as only the parser knows the spellings: the library is a few hundred compounds.
        spelled = [pk for pk, formula in queryset.exclude(formula="").values_list("pk", "formula")
                   if selectors.formula_normalised(formula) == wanted]
        return (results | queryset.filter(pk__in=spelled)) if spelled else results, may_have_duplicates

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # A save that changed only a nutrient link (a supplier's fraction) recorded an edit of the compound too, which
        # its history listed as "none to this record's fields": the link's own history records it.
        if change and not form.has_changed():
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        # Said as a link made is: glycine taken off bisglycinate left MoodFlow's 1,483 mg of it unannounced.
        removed = [link for formset in formsets if formset.model is CompoundNutrient for link in formset.deleted_objects]
        self._saved(request, form.instance, removed)
        if change and "formula" in form.changed_data:
            changed = selectors.compound_fractions_changed(form.instance, form.initial.get("formula") or "")
            if changed:
                self.message_user(request, changed, messages.WARNING)

    def _saved(self, request, compound: Compound, removed: list[CompoundNutrient]) -> None:  # type: ignore[no-untyped-def]
        """Link the elements of the compound's formula, and say what its save changed beyond itself."""
        compound_studies_refresh_search(compound)
        linked = compound_links_ensure(compound)
        if linked:
            self.message_user(request, MESSAGE_LINKED_BY_FORMULA.format(
                name=compound.name, formula=compound.formula, **_nutrients_named(linked)), messages.INFO)
        if removed:
            self.message_user(request, MESSAGE_UNLINKED.format(name=compound.name, **_nutrients_named(removed)),
                              messages.WARNING)
        # MgO changed to MgCO3 left every study of it with an elemental dose the compound no longer holds, unsaid.
        disagree = selectors.compound_studies_disagreeing(compound)
        if disagree:
            _studies_disagreeing_said(self, request, compound, disagree)
        for message in (*selectors.compound_formula_doubts(compound), *selectors.compound_specified_far_below(compound)):
            self.message_user(request, message, messages.WARNING)

    def history_form_view(self, request, object_id, version_id, extra_context=None):  # type: ignore[no-untyped-def]
        request.compound_revert = True  # get_form: the revert's form checks the saved links
        return super().history_form_view(request, object_id, version_id, extra_context)

    def reverted(self, request, object_id, version_id) -> None:  # type: ignore[no-untyped-def]
        # A formula put back did not link its elements (MgO reverted onto an extract gave no magnesium until its next
        # save), and its links stay as they are now.
        compound = Compound.objects.get(pk=object_id)
        self._saved(request, compound, [])
        changed = selectors.compound_links_changed_since(compound, version_id)
        if changed:
            self.message_user(request, MESSAGE_LINKS_NOT_REVERTED.format(name=compound.name, changes="; ".join(changed)),
                              messages.WARNING)

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(request, "compound_revert", False):
            kwargs["form"] = CompoundRevertForm
        return super().get_form(request, obj, change, **kwargs)

    def history_context(self, object_id: str) -> dict[str, object]:
        """The compound's history, with its nutrient links' (the specified fractions) below it."""
        return {"link_history": selectors.compound_link_history(object_id)}

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        """What deleting would take, and the products' lines that keep it from being deleted, only counted: they are
        every team's, drafts among them ("Product line: 913 mg QA Filler" of another team's draft)."""
        from formulator.models import ProductLine  # the formulator builds on the library

        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Its nutrient links go with it: they are not deleted on their own (CompoundNutrientAdmin), and that refusal
        # kept every compound from being deleted, unused ones too, blaming the curator's permissions.
        perms_needed.discard(CompoundNutrient._meta.verbose_name)
        if protected:  # a product line's compound is the only protected link to a compound
            count = ProductLine.objects.filter(compound__in=list(objs)).count()
            protected = [MESSAGE_PRODUCT_LINES.format(count=count, s="" if count == 1 else "s")]
        # A study's compounds are what its doses are of: deleted, Abbasi 2012 kept 500 mg "elemental" of nothing, could
        # not be saved again, and its export no longer imported. The studies go first, or their compounds change.
        studies = sorted({key for compound in objs for key in compound.studies.values_list("key", flat=True)})
        if studies:
            protected = [*protected, MESSAGE_COMPOUND_STUDIES.format(count=len(studies), s="y" if len(studies) == 1 else "ies",
                                                                     keys=", ".join(studies))]
        return deleted, counts, perms_needed, protected

    @admin.display(description="Formula check")
    def formula_check(self, compound: Compound) -> str:
        """What the compound's page says of a saved formula the library refuses or reads otherwise now."""
        said = selectors.compound_formula_checks(compound) if compound.pk else []
        return format_html_join(mark_safe("<br>"), "{}", ((message,) for message in said)) if said else "—"

    @admin.display(description="Molecular weight")
    def molecular_weight(self, compound: Compound) -> str:
        value = selectors.compound_molecular_weight(compound) if compound.pk else None
        return labels.molecular_weight(value) if value is not None else "—"


@admin.register(Nutrient)
class NutrientAdmin(HistoryAdmin):
    list_display = ["name", "slug", "formula", "label_order", "label_unit"]
    search_fields = ["name", "slug", "formula"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        if not change:  # its formula is read-only once saved
            linked = nutrient_links_ensure(obj)
            if linked:
                self.message_user(request, MESSAGE_NUTRIENT_LINKED.format(
                    nutrient=obj.name, count=len(linked), s="" if len(linked) == 1 else "s", symbol=obj.formula,
                    names=labels.listed([c.name for c in linked]), them="it" if len(linked) == 1 else "them"),
                    messages.INFO)

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        """What deleting would take, and what keeps the nutrient, counted: the compounds a curator linked to it (not
        those its formula did, which go with it: services.nutrient_delete), its values."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(CompoundNutrient._meta.verbose_name)  # its links are what protect it, not a permission
        objs = list(objs)
        by_formula = [pk for nutrient in objs for pk in selectors.nutrient_formula_links(nutrient).values_list("pk", flat=True)]
        sources = CompoundNutrient.objects.filter(nutrient__in=objs).exclude(pk__in=by_formula).count()
        values = ReferenceValue.objects.filter(nutrient__in=objs).count()
        # A curator's cautions and exclusions by law, which approval reads: they would go with it (cascade) unsaid.
        interactions = Interaction.objects.filter(nutrient__in=objs).count()
        protected = [message.format(count=count, s="" if count == 1 else "s") for message, count in
                     ((MESSAGE_NUTRIENT_SOURCES, sources), (MESSAGE_NUTRIENT_VALUES, values),
                      (MESSAGE_NUTRIENT_INTERACTIONS, interactions)) if count]
        if by_formula and not protected:
            count = len(by_formula)
            deleted.append(MESSAGE_NUTRIENT_LINKS_GO.format(count=count, s="" if count == 1 else "s"))
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        nutrient_delete(obj)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        with transaction.atomic():  # all of them or none: the admin's action is not run in a transaction
            for nutrient in queryset:
                nutrient_delete(nutrient)

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # What a nutrient is: changing magnesium's formula to MgO recalculated every magnesium fraction as MgO's, and
        # clearing it broke every page that reads one. A different nutrient is a new one.
        return ["slug", "formula"] if obj is not None and obj.pk else []

    def get_prepopulated_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Not the class's prepopulated_fields: simple-history's revert page reads those, not these, and asked its form
        # for the slug, read-only there (a 500 on every version of every nutrient).
        return {} if obj is not None and obj.pk else {"slug": ["name"]}


@admin.register(ReferenceValue)
class ReferenceValueAdmin(CuratorImportExportAdmin, HistoryAdmin):
    resource_classes = [ReferenceValueResource]
    formfield_overrides = {**PLAIN_DECIMALS, models.DateField: {"error_messages": {"invalid": ERROR_DATE_TYPED}}}
    list_display = ["nutrient", "market", "kind", "population", "sex", "amount_mg", "per", "covers", "source_citation"]
    list_filter = ["nutrient", "market", "kind", "population", "covers", "per"]
    search_fields = ["source_citation", "notes", "qualifier", "nutrient__name"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        outlier = selectors.reference_value_outlier(obj)
        if outlier:
            self.message_user(request, outlier, messages.WARNING)



@admin.register(CapsuleSize)
class CapsuleSizeAdmin(HistoryAdmin):
    formfield_overrides = PLAIN_DECIMALS
    list_display = ["code", "volume_ml", "source"]

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        """What deleting would take; the products in a size keep it from being deleted, only counted (every team's)."""
        from formulator.models import Product  # the formulator builds on the library

        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for size in objs:
            count = Product.objects.filter(capsule_size=size.code).count()
            if count:
                protected.append(MESSAGE_CAPSULE_PRODUCTS.format(count=count, s="" if count == 1 else "s", code=size.code))
        return deleted, counts, perms_needed, protected
