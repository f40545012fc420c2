"""CSV and XLSX import and export for curators (django-import-export); rows are validated like the admin's forms."""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, TextField
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, format_html
from django.utils.text import capfirst
from import_export import fields, resources, widgets

from compounds.models import Compound, CompoundNutrient, Nutrient, ReferenceValue, declared_over_whole
from compounds.numbers import PLAIN_NUMBER
from compounds.selectors import (LEAD_PREVIEW, LEAD_SAVED, compound_formula_doubts, compound_formulas,
                                 compound_fractions_changed, compound_specified_far_below, compound_studies_disagreeing,
                                 reference_value_outlier)
from compounds.services import compound_links_ensure
from evidence.services import compound_studies_refresh_search
from formulator import labels


ERROR_IMPORT_NUMBER = "“{value}” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."
ERROR_IMPORT_COMPOUND = "Unknown compound “{value}”: use a compound's slug from the library, such as magnesium-oxide."
ERROR_IMPORT_NUTRIENT = "Unknown nutrient “{value}”: use one of {slugs}."
# A slug a letter off the library's: "magnesum" was told every nutrient's slug but the one meant.
ERROR_IMPORT_CLOSE = "Unknown {what} “{value}”: did you mean {close}?"
# An empty key cell said "This field cannot be null.", naming neither the column nor what it takes.
ERROR_IMPORT_COMPOUND_REQUIRED = "Compound is required: the slug of a compound in the library, such as magnesium-oxide."
ERROR_IMPORT_NUTRIENT_REQUIRED = "Nutrient is required: the slug of a nutrient in the library, such as magnesium."
ERROR_IMPORT_DAY = "“{value}” is not a date as the file writes dates: write it as year-month-day, such as 2016-07-26."
ERROR_IMPORT_WHOLE = "“{value}” is not a whole number: write it in digits, such as 2016 (no comma or point)."
ERROR_IMPORT_NEGATIVE = "“{value}” is below zero: a count or a year is 0 or more, written in digits, such as 24 or 2016."
ERROR_IMPORT_YES_NO = "“{value}” is neither yes nor no: write 1 or 0 (or true or false, yes or no)."
ERROR_IMPORT_UNKNOWN = "Unknown {what} “{value}”: give slugs from the library, separated by “{separator}”, as in {example}."
ERROR_IMPORT_COLUMNS = ("The file has no {missing} column. Each row is matched to the {what} it updates by {keys}, so "
                        "the file needs all of these columns, as an export has them.")
# 20,000 rows kept a preview running for over ten minutes, holding SQLite's write lock: every other user's save, even
# a sign-in, waited or failed (it gives up after 20 s). The library is a few hundred rows; a longer file is split, at a
# size a preview reads in well under that on this 2-core machine (500 compounds about 5 s; a study, which checks its
# doses and outcomes, costs more: StudyResource takes fewer).
IMPORT_MAX_ROWS = 500
ERROR_IMPORT_TOO_MANY_ROWS = ("The file has {rows} rows: an import takes at most {limit:,} at a time, as a longer one holds "
                              "the library for minutes. Split it into files of {limit:,} rows or fewer.")
# A column the import does not read was left out without a word: "specified_fraction " (a trailing space) or "Formula"
# imported the rest of the row, and the curator believed the new value saved.
ERROR_IMPORT_EXTRA_COLUMNS = ("This import does not read {columns}: name each column as an export of {what}s names it "
                              "({known}), or remove it. Nothing was imported, as those values would have been left out.")
ERROR_IMPORT_UNNAMED_COLUMN = "column {number}, which has values but no name"
ERROR_IMPORT_CHOICE = "“{value}” is not one of {choices}: write one of them as it is written here."
# An empty cell of a column with choices said "This field cannot be blank.", naming neither the column nor its codes.
ERROR_IMPORT_CHOICE_REQUIRED = "{column} is required: one of {choices}, written as it is here."
# Every reference value is published with its source: an empty one said only "This field cannot be blank."
ERROR_IMPORT_SOURCE_REQUIRED = ("Source citation is required: the document the value is taken from, as in “IOM 1997, "
                                "Dietary Reference Intakes for magnesium”.")
ERROR_IMPORT_FORMULA_LINK = "With this formula, the supplier's {nutrient} fraction cannot stand: {problem}"
# No "remove the nutrient first": an element the formula holds is linked again on saving (the admin refuses removing it).
ERROR_FORMULA_DROPS = ("{problem} This compound is recorded to give {nutrient}: fix the formula, or, if the formula is "
                       "of another ingredient, add that one as a compound of its own.")
ERROR_FORMULA_NEEDED = ("This compound gives {nutrient} by its formula, with no specified fraction: keep the formula, or "
                        "give the fraction and its source first.")
ERROR_IMPORT_CODES = "“{value}” is not one of {choices}: write them as they are written here, separated by “{separator}”."
ERROR_IMPORT_DUPLICATE = ("Row {row} gives the same {what} as row {first} ({key}): give each once. Both would be "
                          "imported, and the later row would overwrite the earlier one unseen.")


class NumberWidget(widgets.DecimalWidget):
    """A decimal column read as the editors read numbers (forms.PLAIN_NUMBER), saying what is wrong with a cell in
    words: import-export's own message was "[<class 'decimal.ConversionSyntax'>]"."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, str) and value.strip() and not PLAIN_NUMBER.fullmatch(value.strip()):
            raise ValueError(ERROR_IMPORT_NUMBER.format(value=value))
        # A spreadsheet's TRUE, or a JSON list, is no number: "[<class 'decimal.ConversionSyntax'>]".
        if isinstance(value, bool | list | dict):
            raise ValueError(ERROR_IMPORT_NUMBER.format(value=value))
        return super().clean(value, row, **kwargs)


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole-number column (a year, a count), saying what is wrong with a cell in words."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, str) and value.strip() and not value.strip().isdigit():
            # "-5" is a whole number, and was told it is not one.
            negative = value.strip().startswith("-") and value.strip()[1:].isdigit()
            raise ValueError((ERROR_IMPORT_NEGATIVE if negative else ERROR_IMPORT_WHOLE).format(value=value))
        return super().clean(value, row, **kwargs)


class YesNoWidget(widgets.BooleanWidget):
    """A yes/no column that refuses what it cannot read: "yes" or "x" read as no, and a limit of "food and formula
    only" with its amount cleared came back as no limit at all."""

    YES, NO = {"1", "true", "yes"}, {"0", "false", "no", "", "none"}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        text = "" if value is None else str(value).strip().lower()
        if text in self.YES or value is True:
            return True
        if text in self.NO or value is False:
            return False
        raise ValueError(ERROR_IMPORT_YES_NO.format(value=value))


class DayWidget(widgets.DateWidget):
    """A date column: a spreadsheet's date cell reads as a date and time, which differs from the saved date, so an
    XLSX exported unchanged previewed every dated row as an update. Year-month-day only: by the site's formats,
    "01/02/2020" was taken as 2 January, a European's 1 February."""

    def __init__(self, format: str | None = "%Y-%m-%d", **kwargs: Any) -> None:  # noqa: A002 (import-export's name)
        super().__init__(format=format, **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, datetime):
            return value.date()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:  # "Value could not be parsed using defined formats."
            raise ValueError(ERROR_IMPORT_DAY.format(value=value)) from None


# A typo's match, not a neighbour's: the compounds' slugs share "magnesium-", and at difflib's 0.6 a magnesium-citrate,
# which the library has not, was offered magnesium-taurate.
CLOSE_SLUG_CUTOFF = 0.9


def _slip_said(model: Any, value: Any, field: str = "slug") -> str | None:
    """Say which of the library's slugs an unknown one is a slip of ("magnesum": magnesium); None if none is that close."""
    close = difflib.get_close_matches(str(value).strip(), list(model.objects.values_list(field, flat=True)), n=1,
                                      cutoff=CLOSE_SLUG_CUTOFF)
    return ERROR_IMPORT_CLOSE.format(what=model._meta.verbose_name, value=value, close=close[0]) if close else None


class SlugsWidget(widgets.ManyToManyWidget):
    """Library entries by their slugs, separated as exported: a slug the library does not have is refused, where
    import-export dropped it (a study imported with commas for "|" lost every compound, and its grades changed)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        found = super().clean(value, row, **kwargs)
        if not value:
            return found
        wanted = [slug.strip() for slug in str(value).split(self.separator) if slug.strip()]
        known = set(found.values_list(self.field, flat=True))
        unknown = [slug for slug in wanted if slug not in known]
        if unknown:
            slip = _slip_said(self.model, unknown[0], self.field)
            if slip:
                raise ValueError(slip)
            # From the library: "magnesium-citrate", an example of no entry, was taken for a slug to use.
            example = self.separator.join(sorted(known)[:2] or self.model.objects.order_by(self.field).values_list(
                self.field, flat=True)[:2])
            raise ValueError(ERROR_IMPORT_UNKNOWN.format(what=self.model._meta.verbose_name, value=unknown[0],
                                                         separator=self.separator, example=example))
        return found


class CodesWidget(widgets.Widget):
    """A list of choice codes in one cell, separated as exported ("pregnancy|lactation"); an empty cell is none."""

    def __init__(self, choices: Any, separator: str = "|") -> None:
        super().__init__()
        self.choices = choices
        self.separator = separator

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        codes = [code.strip() for code in str(value or "").split(self.separator) if code.strip()]
        for code in codes:
            if code not in self.choices.values:
                raise ValueError(ERROR_IMPORT_CODES.format(value=code, choices=labels.listed(self.choices.values, "or"),
                                                           separator=self.separator))
        # Each once, in the choices' order, as the admin's checkboxes save them: "EU|EU" read "excluded by law in EU,
        # EU", and a file listing them in another order was imported as a change.
        return [code for code in self.choices.values if code in codes]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.separator.join(value or [])


class SlugWidget(widgets.ForeignKeyWidget):
    """A library entry by its slug, saying so in words when the cell holds another (a nutrient's: naming them all), or
    none where the entry is required (`required`, its message; an interaction's compound or nutrient may be empty)."""

    def __init__(self, model: Any, message: str, required: str | None = None) -> None:
        super().__init__(model, "slug")
        self.message = message
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        # A cell of spaces too: its column is a key, not text the resource trims, and it read as an unknown "  ".
        if self.required and (value is None or not str(value).strip()):
            raise ValueError(self.required)
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            slugs = self.model.objects.order_by("slug").values_list("slug", flat=True) if "{slugs}" in self.message else []
            said = _slip_said(self.model, value) or self.message.format(value=value, slugs=", ".join(slugs))
            raise ValueError(said) from None


class WholeValueDiff(resources.Diff):
    """A preview's changed value written whole, the old struck out before the new: a character diff showed the US
    adults' UL of 350 mg imported as 3,500 as "350", a struck-out ".000" and a "0", which read as zeros tidied away."""

    def as_html(self) -> list[str]:
        cells = []
        for old, new in zip(self.left, self.right):
            old, new = _diff_text(old), _diff_text(new)
            if old == new and not self.new:
                cells.append(conditional_escape(new))
            elif self.new or not old:
                cells.append(format_html("<ins>{}</ins>", new) if new else "")
            elif not new:
                cells.append(format_html("<del>{}</del>", old))
            else:
                cells.append(format_html("<del>{}</del> → <ins>{}</ins>", old, new))
        return cells


def _diff_text(value: Any) -> str:
    """A cell's value as a preview writes it: a number without the zeros its column pads it with (350.0000 is 350)."""
    text = force_str(value if value is not None else "")
    if "." in text and PLAIN_NUMBER.fullmatch(text):
        return text.rstrip("0").rstrip(".") or "0"
    return text


class CuratorResource(resources.ModelResource):
    """An import whose file names the columns that say which row is which, and gives each row once."""

    import_max_rows = IMPORT_MAX_ROWS
    # What an empty text cell of a required column is told, where Django's "This field cannot be blank." says too little.
    blank_messages: dict[str, str] = {}

    def get_diff_class(self) -> type[resources.Diff]:
        return WholeValueDiff

    @classmethod
    def widget_from_django_field(cls, f: Any, default: Any = widgets.Widget) -> Any:
        # Every yes/no column reads as food_only's does: a study's "misquoted by a seed" read "yes" as no, and took "x".
        if f.get_internal_type() == "BooleanField":
            return YesNoWidget
        return super().widget_from_django_field(f, default)

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        # First: import-export goes on to the rows after a file's refusal, and each said "no attribute '_rows_by_key'".
        self._rows_by_key: dict[tuple[Any, ...], int] = {}
        if len(dataset) > self.import_max_rows:
            raise ValueError(ERROR_IMPORT_TOO_MANY_ROWS.format(rows=f"{len(dataset):,}", limit=self.import_max_rows))
        keys = self.get_import_id_fields()
        headers = dataset.headers or []
        missing = [self.fields[name].column_name for name in keys if self.fields[name].column_name not in headers]
        if missing:
            raise ValueError(ERROR_IMPORT_COLUMNS.format(
                missing=labels.listed([f"“{name}”" for name in missing]), what=self._meta.model._meta.verbose_name,
                keys=labels.listed([self.fields[name].column_name for name in keys])))
        known = [field.column_name for field in self.get_import_fields()]
        extra = []
        for number, header in enumerate(headers, start=1):
            if header in (None, ""):
                if _has_values(dataset.get_col(number - 1)):
                    extra.append(ERROR_IMPORT_UNNAMED_COLUMN.format(number=number))
            elif header not in known:
                extra.append(f"“{header}”")
        if extra:
            raise ValueError(ERROR_IMPORT_EXTRA_COLUMNS.format(
                columns=labels.listed(extra), what=self._meta.model._meta.verbose_name, known=", ".join(known)))

    def validate_instance(self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True) -> None:
        """As import-export does, with a choice not among a field's said with the codes it takes: "Value 'adults' is
        not a valid choice." left the curator to guess them."""
        # A cell that could not be read is said once, as read: the model's clean() judged the value left in its place
        # ("pregnancy, lactation" was also told to tick the populations a caution is for). Copied, as the errors of
        # full_clean() are added to these very lists.
        unread = {name: list(errors) for name, errors in (import_validation_errors or {}).items()}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError({name: unread[name] if name in unread else
                                   [self._choice_words(instance, name, e) for e in errors]
                                   for name, errors in error.error_dict.items()}) from None

    def _choice_words(self, instance: Any, name: str, error: ValidationError) -> ValidationError:
        codes = [str(code) for code, _ in instance._meta.get_field(name).flatchoices]
        if error.code == "blank" and codes:
            return ValidationError(ERROR_IMPORT_CHOICE_REQUIRED.format(column=capfirst(name.replace("_", " ")),
                                                                       choices=labels.listed(codes, "or")), code="blank")
        if error.code == "blank" and name in self.blank_messages:
            return ValidationError(self.blank_messages[name], code="blank")
        if error.code != "invalid_choice" or not error.params:
            return error
        return ValidationError(ERROR_IMPORT_CHOICE.format(value=error.params["value"], choices=labels.listed(codes, "or")),
                               code="invalid_choice")

    def import_key(self, row: Any) -> tuple[Any, ...]:
        """What tells a row's record from another's: its key cells, as read."""
        key, errors = [], {}
        for name in self.get_import_id_fields():
            try:
                key.append(self.fields[name].clean(row))
            except ValueError as error:  # an empty cell, an unknown slug ("magnesum"): each widget's words
                errors[name] = str(error)
        if errors:
            # At its column, beside the row: raised as the record is looked up, it was a line of the errors above the
            # preview, which then showed no other row's.
            raise ValidationError(errors)
        return tuple(key)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        key = self.import_key(row)
        number = kwargs.get("row_number")
        first = self._rows_by_key.setdefault(key, number)
        if first != number:
            raise ValidationError({self.get_import_id_fields()[0]: ERROR_IMPORT_DUPLICATE.format(
                row=number, first=first, what=self._meta.model._meta.verbose_name,
                key=" / ".join(str(value) for value in key if value not in ("", None)))})


def _has_values(cells: Any) -> bool:
    """Whether a column holds anything: a spreadsheet's empty columns have no header either, and say nothing."""
    return any(cell not in (None, "") and str(cell).strip() for cell in cells)


def number_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=NumberWidget())


def whole_number_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=WholeNumberWidget())


class BlankTextResource(CuratorResource):
    """A resource whose text cells import trimmed, as the admin's form fields read them, and empty ones as empty
    text: an XLSX cell left empty reads as None, which a text column cannot hold, so an exported file would not import
    back. A cell of spaces is empty too: a reference value whose source was "   " was imported, and published with
    none, where the admin's form refuses it; " MgO " was stored as typed, and shown so."""

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for field in self._meta.model._meta.get_fields():
            name = getattr(field, "name", "")
            if isinstance(field, (CharField, TextField)) and name in row:
                row[name] = "" if row[name] is None else str(row[name]).strip()
        super().before_import_row(row, **kwargs)  # keys compared as they will be read

    @staticmethod
    def lead(kwargs: dict[str, Any]) -> str:
        """How a warning of the import begins: "Check" in a preview, which saves nothing, "Saved, but check" once saved."""
        return LEAD_PREVIEW if kwargs.get("dry_run") else LEAD_SAVED

    @staticmethod
    def saved(kwargs: dict[str, Any]) -> bool:
        """Whether after_save_instance follows a save: a preview's is made in its transaction, and undone with it."""
        return not kwargs.get("dry_run") or bool(kwargs.get("using_transactions"))


class StudiesCheckedResource(BlankTextResource):
    """A library resource whose rows change what compounds hold: the studies of those compounds whose elemental dose
    they can no longer hold are listed on the result (studies_disagreeing), for the admin to say as the compound's page
    does. An imported MgO turned Mg(OH)2 left abbasi-2012's 500 mg of magnesium in 828 mg of it, unsaid, and the
    studies' export would not import back."""

    def changed_compound(self, instance: Any) -> Compound:
        raise NotImplementedError

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.compounds_changed: dict[Any, Compound] = {}
        super().before_import(dataset, **kwargs)

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        super().after_save_instance(instance, row, **kwargs)
        if self.saved(kwargs):
            compound = self.changed_compound(instance)
            self.compounds_changed[compound.pk] = compound

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        # In the import's transaction: the preview's saves are undone after it.
        result.studies_disagreeing = [(compound, keys) for compound in self.compounds_changed.values()
                                      if (keys := compound_studies_disagreeing(compound))]
        result.specified_far_below = [message for compound in self.compounds_changed.values()
                                      for message in compound_specified_far_below(compound, self.lead(kwargs))]


class CompoundResource(StudiesCheckedResource):
    bulk_density_g_per_ml = number_field("bulk_density_g_per_ml")
    cost_per_kg = number_field("cost_per_kg")
    class Meta:
        model = Compound
        import_id_fields = ["slug"]
        fields = ["slug", "name", "synonyms", "formula", "form_class", "label_source_name", "bulk_density_g_per_ml",
                  "bulk_density_source", "cost_per_kg", "cost_source", "grade", "supplier", "notes"]
        clean_model_instances = True  # full_clean(): a formula that does not parse is an error on its row
        skip_unchanged = True
        report_skipped = True

    def import_instance(self, instance: Compound, row: Any, **kwargs: Any) -> None:
        """Check the compound's nutrient links against the formula imported, as the admin checks its inline rows: NaCl
        for magnesium chloride made every page reading it fail, and a heavier formula made Magtein's specified 7.2%
        more magnesium than the compound held (6.97%)."""
        if instance.pk is not None:
            self.formulas_before[instance.pk] = instance.formula
        super().import_instance(instance, row, **kwargs)
        problem = compound_links_problem(instance)
        if problem:
            raise ValidationError({"formula": problem})

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        # First: a file refused by the checks below is imported no further, and its result still asks for these.
        # The links each row's formula made: an extract given "MgO" became a magnesium source on every page, unsaid.
        self.linked_by_formula: list[tuple[Compound, list[Any]]] = []
        self.formulas_before: dict[int, str] = {}
        self.fractions_changed: list[str] = []
        self.formula_doubts: list[tuple[str, str, str]] = []  # lead, compound, message
        self.formulas = compound_formulas()  # kept as the rows are saved: read for each row, the reading grew with the file
        super().before_import(dataset, **kwargs)

    def changed_compound(self, instance: Compound) -> Compound:
        return instance

    def after_save_instance(self, instance: Compound, row: Any, **kwargs: Any) -> None:
        super().after_save_instance(instance, row, **kwargs)
        # The save a preview makes is undone with its transaction; so is this, so that the preview says it too.
        if self.saved(kwargs):
            compound_studies_refresh_search(instance)
            linked = compound_links_ensure(instance)
            if linked:
                self.linked_by_formula.append((instance, linked))
            changed = compound_fractions_changed(instance, self.formulas_before.get(instance.pk, ""),
                                                 saved=not kwargs.get("dry_run"))
            if changed:
                self.fractions_changed.append(changed)
            lead = self.lead(kwargs)
            self.formulas[instance.pk] = instance.formula
            self.formula_doubts.extend((lead, instance.name, message)
                                       for message in compound_formula_doubts(instance, lead, self.formulas))

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        result.linked_by_formula = self.linked_by_formula  # for the admin to say (CuratorImportExportAdmin)
        result.fractions_changed = self.fractions_changed
        result.formula_doubts = self.formula_doubts


def compound_links_problem(compound: Compound) -> str | None:
    """What the first of a compound's saved nutrient links says against its formula as it stands (a new one, not
    saved yet), in the words of the formula's field; None if every link holds, or the compound is new (no links)."""
    if compound.pk is None:
        return None
    links = list(CompoundNutrient.objects.filter(compound_id=compound.pk).select_related("nutrient"))
    for link in links:
        link.compound = compound
        try:
            link.clean()
        except ValidationError as error:
            return formula_link_problem(link, error)
    # A formula cleared under a chelate's fractions (14% magnesium and 87% glycine, each fine beside the formula) left an
    # ingredient without one giving 101% of itself, which its page and its links' import refuse.
    return declared_over_whole(compound.formula, (link.specified_fraction for link in links))


def formula_link_problem(link: CompoundNutrient, error: ValidationError) -> str:
    """What a link refused with a compound's new formula says, in the words of the formula's cell."""
    nutrient = labels.lower_first(link.nutrient.name)
    problems = {name: " ".join(messages) for name, messages in error.message_dict.items()}
    if not link.compound.formula:
        return ERROR_FORMULA_NEEDED.format(nutrient=nutrient)
    if "specified_fraction" in problems:
        return ERROR_IMPORT_FORMULA_LINK.format(nutrient=nutrient, problem=problems["specified_fraction"])
    # The link's own advice is the admin's ("remove this link"): the file's row is the compound's.
    dropped = [e.params["problem"] for e in error.error_dict.get("nutrient", []) if e.code == "formula_drops" and e.params]
    return ERROR_FORMULA_DROPS.format(problem=" ".join(dropped) or " ".join(problems.values()), nutrient=nutrient)


class ReferenceValueResource(BlankTextResource):
    """Reference values; the amounts far outside their nutrient's others are listed on the result (reference_outliers),
    for the admin to say as a value's page does: a UL of 350,000 mg of magnesium was taken without a word."""

    nutrient = fields.Field(attribute="nutrient", column_name="nutrient", widget=SlugWidget(Nutrient, ERROR_IMPORT_NUTRIENT,
                                                                                       ERROR_IMPORT_NUTRIENT_REQUIRED))
    amount_mg = number_field("amount_mg")
    label_significance = number_field("label_significance")
    blank_messages = {"source_citation": ERROR_IMPORT_SOURCE_REQUIRED}
    effective_date = fields.Field(attribute="effective_date", column_name="effective_date", widget=DayWidget())

    class Meta:
        model = ReferenceValue
        import_id_fields = ["nutrient", "kind", "market", "population", "sex", "per"]
        # food_only too: without it, a limit that allows no supplemental amount came back from a file as "not set".
        fields = ["nutrient", "kind", "market", "population", "sex", "per", "qualifier", "amount_mg", "label_significance",
                  "covers", "food_only", "source_citation", "source_url", "effective_date", "notes"]
        clean_model_instances = True
        skip_unchanged = True

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.outliers: list[str] = []
        super().before_import(dataset, **kwargs)

    def after_save_instance(self, instance: ReferenceValue, row: Any, **kwargs: Any) -> None:
        super().after_save_instance(instance, row, **kwargs)
        if self.saved(kwargs) and (outlier := reference_value_outlier(instance, self.lead(kwargs))):
            self.outliers.append(outlier)

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        result.reference_outliers = self.outliers


class CompoundNutrientResource(StudiesCheckedResource):
    """Compounds' nutrient links with their specified fractions: what suppliers' specifications say a compound gives
    (Magtein: 7.2% magnesium), which the compound export leaves out."""

    compound = fields.Field(attribute="compound", column_name="compound", widget=SlugWidget(Compound, ERROR_IMPORT_COMPOUND,
                                                                                        ERROR_IMPORT_COMPOUND_REQUIRED))
    nutrient = fields.Field(attribute="nutrient", column_name="nutrient", widget=SlugWidget(Nutrient, ERROR_IMPORT_NUTRIENT,
                                                                                       ERROR_IMPORT_NUTRIENT_REQUIRED))
    units_per_formula = whole_number_field("units_per_formula")
    specified_fraction = number_field("specified_fraction")

    class Meta:
        model = CompoundNutrient
        import_id_fields = ["compound", "nutrient"]
        fields = ["compound", "nutrient", "units_per_formula", "specified_fraction", "specified_source", "specified_url"]
        clean_model_instances = True  # full_clean(): a fraction or a formula unit the compound cannot have is refused
        skip_unchanged = True
        report_skipped = True

    def changed_compound(self, instance: CompoundNutrient) -> Compound:
        return instance.compound

    def validate_instance(self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True) -> None:
        errors = dict(import_validation_errors or {})
        compound, fraction = getattr(instance, "compound", None), instance.specified_fraction
        # As the compound's page refuses them (CompoundNutrientFormSet), with the compound's other links as saved: the
        # file's earlier rows are, by now.
        if compound is not None and not compound.formula and fraction is not None and "specified_fraction" not in errors:
            others = CompoundNutrient.objects.filter(compound=compound).exclude(nutrient_id=instance.nutrient_id)
            error = declared_over_whole(compound.formula, [fraction, *others.values_list("specified_fraction", flat=True)])
            if error:
                errors["specified_fraction"] = [ValidationError(error)]
        super().validate_instance(instance, errors, validate_unique)
