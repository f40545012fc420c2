"""Pages for products and stacks. Each editor is one view serving the full page and its HTMX fragments."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts import permissions
from compounds.models import Compound, Market, Population, markets_in_force
from compounds.selectors import compound_list
from compounds.spreadsheets import SpreadsheetWriter
from formulator import compare, engine, fragments, labels, selectors, services
from formulator.decorators import nothing_done, require_post
from formulator.forms import (ERROR_PRODUCT_NAME, ERROR_STACK_NAME, ITEM_TYPED_FIELDS, LINE_TYPED_FIELDS, MARKETS_HELP,
                              LineFormSet, ProductForm, StackForm, StackItemFormSet, blank_rows, formset_errors, lines_messages,
                              product_fields_clean, serving_total_error, solve_target_error)
from formulator.middleware import keeps_typing_through_sign_in, typing_keep
from formulator.models import Product, Stack, Status, Timing
from formulator.reports import (Library, LineReport, ProductReport, StackReport, product_report, saved_product_report,
                                saved_stack_report, solve_design, stack_item_names, stack_report, typed_lines)
from formulator.services import ItemData, LineData, SaveConflict

MESSAGE_NOT_YOURS = "Your role or team does not allow this change."
MESSAGE_VARIANT_CREATED = "Created {variant}, a variant of {root}{copied}. Edit it, then compare it with {root}."
# A status applies to the edit the user saw: approving edit 4 must not approve an edit 5 saved meanwhile.
MESSAGE_STATUS_STALE = ("{name} was changed after you opened it: you saw edit {mine}, and it is now at edit {theirs}. "
                        "Your choice was not applied: look at edit {theirs}, then choose again.")
MESSAGE_STATUS_STALE_CHANGES = " What changed since edit {mine}: {changes}."
ERROR_UNKNOWN_STATUS = "Nothing was done: a product's status is draft, in-review or approved."
MESSAGE_STATUS_NO_VERSION = "Your choice did not say which edit it is about, so it was not applied: choose again on this page."
CHANGE_TEXT = "{what} {before} → {after}"
MESSAGE_STATUS_SET = "{name} was {change}."  # services.STATUS_REASONS: submitted for review, approved, returned to draft
MESSAGE_SEVERAL_TARGETS = ("Targets are typed in lines {lines}: press Solve beside the one to solve (without JavaScript, "
                           "Enter cannot tell which). Nothing was solved.")
MESSAGE_ENTER_AMOUNT_TYPED = ("Not solved: this line's amount was changed too, and without JavaScript Enter cannot tell "
                              "which you pressed it in. Press Solve to work out the amount for this target.")
# A target is only read by Solve: saved without it, the line kept an amount the user may have meant it to replace.
MESSAGE_TARGET_UNSOLVED = ("Not saved: the target of {target} mg magnesium is not solved. Press Solve to set the amount for "
                           "it, or clear the target, then save.")
MESSAGE_TARGET_REFUSED = "Not saved: this target cannot be solved. {reason} Or clear the target, then save."
MESSAGE_NOTHING_TO_SAVE = "Nothing to save: {name} is as saved at edit {version}."
MESSAGE_SAVED = "Saved {name} (edit {version})."
# "as labelled" reads as following the label; the stack keeps the label's values as they were at the save.
MESSAGE_AS_LABELLED = ("Taken as {labels_say} now ({taken}): a later change to {labels} does not change this stack.")
MESSAGE_SAVED_OUT_OF_REVIEW = f"{MESSAGE_SAVED} {services.MESSAGE_OUT_OF_REVIEW}"
MESSAGE_APPROVED_MEANWHILE = ("{name} was approved while you were editing it, and an approved product is read-only: nothing "
                              "was saved. Your changes are still on this page: note them, start revision {next} from the "
                              "product's page, and enter them there.")
# What a screen reader hears when suggestions arrive: their buttons are reached by the arrow keys, not seen.
MESSAGE_SUGGESTIONS = {1: "1 compound matches “{query}”: Enter adds it, down arrow reaches it.",
                       "some": "{count} compounds match “{query}”: down arrow to reach them.",
                       "more": "The first {count} compounds matching “{query}” are listed: down arrow to reach them, or type more.",
                       0: "No compound matches “{query}”."}
SUGGESTIONS_SHOWN = 12
MESSAGE_APPROVED_READ_ONLY = "{name} is approved and read-only. Start revision {next} to change it."
# To whoever may not start one (a viewer, another team): "Start revision 2" offered what their page did not.
MESSAGE_APPROVED_NOT_YOURS = "{name} is approved and read-only."

ACTION_ENTER = "enter"  # the product editor's hidden first button, which Enter in a field submits the form through
RECALCULATED = "formulator/_figures.jinja#recalculated"  # what a keystroke sends back

# "shown" is no field of a line: it is what the line's cell shows (fragments.LineCell), posted back by the page.
LINE_FIELDS = ["compound", "amount", "unit", "overage_percent", "blend", "target_mg", "target_solved", "shown"]
ITEM_FIELDS = ["product", "servings_per_day", "timing"]
BLANK_LINE = {"compound": "", "amount": "", "unit": "mg", "overage_percent": "0", "blend": "", "target_mg": "",
              "target_solved": "", "shown": ""}
BLANK_ITEM = {"product": "", "servings_per_day": "", "timing": ""}  # no servings or timing: as the product's label says
NEW_STACK = {"name": "", "population": "adult", "markets": ["US", "EU"]}

def _team(request: HttpRequest) -> Any:
    m = permissions.membership(request.user)
    return m.team if m else None


def _name_taken_error(request: HttpRequest, form: Any, model: type[Product] | type[Stack], design: Product | Stack | None) -> None:
    """Say at the name a name another design of the team has, with a refused save's other messages: checked only on
    saving, it was said once those were fixed, and the save refused a second time."""
    name = form.cleaned_data.get("name") if "name" not in form.errors else None
    if not name:
        return
    try:
        services.design_name_check(model, name, _team(request), design.pk if design is not None else None)
    except services.NameTaken as exc:
        form.add_error("name", str(exc))


def _design_page(request: HttpRequest, design: Product | Stack) -> HttpResponse:
    """Go to a design's page once its editor is done (saved, or nothing to save): htmx is told to load it whole."""
    url = design.get_absolute_url()
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _markets_ticked(data: QueryDict) -> QueryDict:
    """The form as posted, with the EU ticked beside Germany, whose rules bring in the EU's (markets_in_force): without
    JavaScript to tick it, the page came back with the EU unticked while its limits were shown."""
    markets = data.getlist("markets")
    if Market.DE not in markets or Market.EU in markets:
        return data
    data = data.copy()
    # Added, not put in order with markets_in_force: that drops an unknown code, read then as no market at all.
    data.setlist("markets", [*markets, Market.EU.value])
    return data


def _focus_first_error(form: Any, formset: Any) -> bool:
    """Give the first field a refused save names the focus, as the page loads (autofocus), with or without JavaScript:
    "Name the product to save it." stood at the top of the form with the focus on the Save button below."""
    for candidate in (form, *formset.forms):
        name = next((name for name in candidate.fields if name in candidate.errors), None)
        if name is not None:
            candidate.fields[name].widget.attrs["autofocus"] = True
            return True
    return False


def _focus_after_button(request: HttpRequest, action: str, formset: Any, field: str) -> None:
    """Without JavaScript, give the row a button changed the focus as the page loads (autofocus), which scrolls to it:
    every page came back at its top, the line just added or moved out of sight below."""
    if request.htmx or formset is None or not formset.forms:
        return
    name, _, index_text = action.partition("-")
    index = int(index_text) if index_text.isdigit() else -1
    row, focused = {"add": (len(formset.forms) - 1, field), "up": (index - 1, field), "down": (index + 1, field),
                    "remove": (min(index, len(formset.forms) - 1), field), "solve": (index, "amount")}.get(name, (-1, field))
    if 0 <= row < len(formset.forms) and focused in formset.forms[row].fields:
        formset.forms[row].fields[focused].widget.attrs["autofocus"] = True


def _focus_after_recalculation(request: HttpRequest, action: str, form: Any, formset: Any) -> bool:
    """Without JavaScript, after a recalculation give the focus to the first field it refuses, or else return True:
    the Recalculate button takes it. The page came back at its top, 30 Tab presses from the line typed in. Never while
    typing: htmx focuses an autofocus field it swaps in, away from the one typed in."""
    if request.htmx or action != "calculate":
        return False
    return not _focus_first_error(form, formset)


def _posted_version(data: Any) -> int:
    """The edit number the form was loaded at; anything unreadable, or no edit number (-1), counts as 0 and so
    conflicts safely."""
    try:
        return max(int(data.get("version") or 0), 0)
    except ValueError:
        return 0


def _editor_response(request: HttpRequest, kind: str, action: str, context: dict[str, Any]) -> HttpResponse:
    """The full page, or for HTMX the recalculated figures (typing) or the re-rendered editor (add, remove ...)."""
    template = f"formulator/{kind}_edit.html"
    if request.htmx and action == "calculate":
        response = HttpResponse(fragments.render(
            RECALCULATED, kind=kind, line_cells=SafeString("".join(context.get("line_cells", ()))),
            **{name: context[name] for name in ("report", "stale", "field_errors", "row_errors", "row_non_form_errors",
                                                "rows_prefix", "new", "blank")},
        ))
        if context["stale"]:
            response["HX-Reswap"] = "none"  # keep the last valid figures on screen; the OOB parts mark them stale
        return response
    if request.htmx and action != "save":
        return render(request, f"{template}#structural", context)
    return render(request, template, context)


# Without JavaScript each recalculation is a page: the page carries the last valid form, signed, so that figures from
# it, not from the last save, stay on screen (marked out of date) while the input is invalid, as they do with it.
LAST_VALID_SALT = "formulator.editor.last-valid"
_NOT_STATE = frozenset({"csrfmiddlewaretoken", "_action", "last_valid"})


def _last_valid_dump(data: QueryDict) -> str:
    """The posted form, signed, for the page to post back."""
    return signing.dumps({key: data.getlist(key) for key in data if key not in _NOT_STATE}, salt=LAST_VALID_SALT,
                         compress=True)


def _last_valid_load(value: str) -> QueryDict | None:
    """The form a page posted back as its last valid one; None if there is none, or it is not one this site signed."""
    try:
        state = signing.loads(value, salt=LAST_VALID_SALT) if value else None
    except signing.BadSignature:
        return None
    if not isinstance(state, dict):
        return None
    data = QueryDict(mutable=True)
    for key, values in state.items():
        data.setlist(key, values)
    return data


def _last_valid_figures(request: HttpRequest, data: QueryDict, valid: bool, figures: Callable[[QueryDict], Any],
                        saving: bool = False) -> tuple[str | None, Any]:
    """For a page answering a post (without JavaScript, or a save): the form it carries as its last valid one, and,
    while the input is invalid, that form's figures (`figures` of it; None without one)."""
    if request.method != "POST" or request.htmx:  # a GET's fallback is the saved design, as it shows; htmx keeps its own
        return None, None
    if valid:
        return _last_valid_dump(data), None
    # A save refused only for a line or product just added and left blank: the figures of what was typed, as the
    # editor showed them (it holds such rows back), not those of an older form, or of the last save with JavaScript,
    # whose page carries none.
    current = figures(data) if saving else None
    if current is not None:
        return _last_valid_dump(data), current
    last_valid = data.get("last_valid")
    previous = _last_valid_load(last_valid or "")
    return last_valid, None if previous is None else figures(previous)


def _product_figures(cleaned: dict[str, Any], lines: Sequence[LineData], library: Library, product: Product | None,
                     evidence: Any, parts: Sequence[LineReport] | None) -> ProductReport:
    """The report of a product form's cleaned fields and lines."""
    return product_report(
        lines=lines, servings_per_day=cleaned["servings_per_day"], markets=cleaned["markets"],
        population=cleaned["population"], dosage_form=cleaned["dosage_form"], capsule_size=cleaned["capsule_size"],
        serving_size=cleaned["serving_size"], library=library, key=product.slug if product else "", name=cleaned["name"],
        claims=cleaned["claims"], evidence=evidence, parts=parts,
    )


def _held_lines(rows: list[dict[str, str]], picked: int | None = None) -> frozenset[int]:
    """The lines not checked until a save: those nothing was typed in, and one whose compound was just picked, its
    amount not typed yet (a target may be, on the way to Solve), which has shown no figures (the line picked, or a cell
    of "—", at any place: the line may have moved since). Picking a compound put "Enter an amount." beside it at once
    and marked every other line's figures out of date; an amount cleared on a line that had figures is still a fault."""
    held = blank_rows(rows, LINE_TYPED_FIELDS)
    unsure = [i for i, row in enumerate(rows) if row["compound"] and not row["amount"].strip()]
    if not unsure:  # every keystroke of a design whose lines all have amounts: no cell's "—" to work out
        return held
    no_figures = {fragments.line_cell(i, None, False).shown for i in range(len(rows))}
    return held | {i for i in unsure if i == picked or rows[i]["shown"] in no_figures}


def _serving_messages(typed: Sequence[Any]) -> list[str]:
    """What is wrong with typed lines, each valid, together, as forms.serving_messages says it (no mapping a line)."""
    error = serving_total_error((t.line.amount, t.line.unit) for t in typed)
    return [error] if error else []


def _posted_product_report(data: QueryDict, library: Library, product: Product | None) -> ProductReport | None:
    """The figures of a product form's posted values, as a keystroke works them out; None unless all are valid."""
    checked = product_fields_clean(data, require_name=False)
    rows = services.rows_from_post(data, "lines", LINE_FIELDS)
    held = _held_lines(rows)  # as the editor holds them back: the form was valid with them
    if checked.values is None:
        return None
    evidence = library.evidence([row["compound"] for row in rows if row["compound"]])
    kept = [t for i, t in enumerate(typed_lines(rows, checked.values["servings_per_day"], library, evidence)) if i not in held]
    if not kept or any(t.errors for t in kept) or _serving_messages(kept):
        return None
    return _product_figures(checked.values, [t.line for t in kept], library, product, evidence, [t.report for t in kept])


def _stack_forms(request: HttpRequest, data: QueryDict, rows: list[dict[str, str]], stack: Stack | None, library: Library,
                 product_menu: Any, new: bool, held: frozenset[int] = frozenset()) -> tuple[QueryDict, StackForm, Any, dict[str, Product]]:
    """The stack editor's form and item formset for these rows, with the products they take; held rows (blank ones,
    while editing) are not checked yet."""
    # Only the products the stack takes are read, with their lines: a team may have hundreds. The menu of all of
    # them is read when a page shows it, not while the user types.
    products = selectors.products_by_slug(request.user, (row["product"] for row in rows), library.compounds, stack)
    services.item_rows_label_fill(rows, products)
    data = services.rows_to_post(data, "items", rows)
    form = StackForm(None if new else data, initial=NEW_STACK if new else None, instance=copy.copy(stack),
                     require_name=False)
    formset = StackItemFormSet(None if new else data, initial=rows if new else None, prefix="items",
                               form_kwargs={"products": products, "product_menu": product_menu}, held_back=held)
    return data, form, formset, products


def _stack_items(formset: Any, products: dict[str, Product], held: frozenset[int]) -> list[ItemData]:
    """A valid item formset's items, without the rows held back."""
    return [ItemData(products[f.cleaned_data["product"]], f.cleaned_data["servings_per_day"], f.cleaned_data["timing"])
            for i, f in enumerate(formset.forms) if i not in held]


def _posted_stack_report(request: HttpRequest, data: QueryDict, stack: Stack | None, library: Library,
                         product_menu: Any) -> StackReport | None:
    """The figures of a stack form's posted values; None unless all are valid."""
    rows = services.rows_from_post(data, "items", ITEM_FIELDS)
    held = blank_rows(rows, ITEM_TYPED_FIELDS)
    _, form, formset, products = _stack_forms(request, data, rows, stack, library, product_menu, False, held)
    items = _stack_items(formset, products, held) if form.is_valid() and formset.is_valid() else []
    if not items:
        return None
    return stack_report(items=items, markets=form.cleaned_data["markets"], population=form.cleaned_data["population"],
                        library=library, evidence=library.evidence())


def _posted_action(request: HttpRequest, form_id: str) -> str:
    """What an editor's request asks for: "load" for a GET; the form's own htmx request, sent after a pause in
    typing, only ever recalculates.

    htmx sends the form's last clicked button with the form's later requests: a keystroke queued behind a remove
    would otherwise remove a second line from the figures, though not from the page.
    """
    if request.method != "POST":
        return "load"
    if request.htmx and request.htmx.trigger == form_id:
        return "calculate"
    return request.POST.get("_action", "calculate")


ERROR_CSRF = ("This form was sent with an old security token: you signed in or out in another tab. Go back, reload "
              "the page and send it again.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, as a page of the site; an editor's post, sent from the site itself, goes back to it.

    Signing in again in another tab gives a new token: without JavaScript, the open editor's save was refused on
    Django's bare debug page, and what was typed was lost. A post from another site is refused as ever: shown back as
    "what you typed", a forged design could be saved by its victim.
    """
    match = resolve(request.path_info)
    same_site = request.headers.get("Origin") == f"{request.scheme}://{request.get_host()}"
    if request.method == "POST" and same_site and getattr(match.func, "keeps_typing_through_sign_in", False):
        typing_keep(request)
        return redirect(request.path)
    return render(request, "403.html", {"exception": ERROR_CSRF}, status=403)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return redirect("formulator:product_list")


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    """List products with their magnesium, worst limit status, stage and what blocks their approval."""
    library = Library.load()
    evidence = library.evidence()  # the interactions: an ingredient excluded by law blocks approval
    rows = []
    for p in selectors.product_list(request.user):
        report = saved_product_report(p, library, evidence)
        # An approved product's are what it would not be approved for now (the library changed since): said apart.
        blockers = services.product_approval_blockers(report, p.markets)
        rows.append({"product": p, "report": report, "can_edit": permissions.can_edit(request.user, p), "blockers": blockers,
                     "variant_of": selectors.original_seen(p, request.user)})
    return render(request, "formulator/product_list.html",
                  {"rows": rows, "nav": "products", "can_create": permissions.can_create(request.user)})


@require_safe
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(selectors.product_list(request.user), slug=slug)
    library = Library.load()
    report = saved_product_report(product, library, library.evidence())
    context = {"product": product, "report": report, "report_nutrients": library.nutrients, "nav": "products",
               "variant_of": selectors.original_seen(product, request.user),
               # Only those the user may see: another team's drafts were listed, to compare with as "Unknown product".
               "variants": selectors.product_list(request.user, lines=False).filter(variant_of=product).order_by("name"),
               "can_edit": permissions.can_edit(request.user, product), "can_create": permissions.can_create(request.user),
               "can_approve": permissions.can_approve(request.user, product),
               "can_revise": permissions.can_revise(request.user, product),
               "transitions": [t for t in ("in-review", "approved", "draft") if permissions.can_set_status(request.user, product, t)],
               "approval_blockers": services.product_approval_blockers(report, product.markets),
               "approved_no_longer": services.MESSAGE_APPROVED_NO_LONGER}
    return render(request, "formulator/product_detail.html", context)


@require_safe
def stack_list(request: HttpRequest) -> HttpResponse:
    library = Library.load()
    rows = [{"stack": s, "report": saved_stack_report(s, library), "can_edit": permissions.can_edit(request.user, s),
             "products": stack_item_names(s, request.user)}
            for s in selectors.stack_list(request.user)]
    return render(request, "formulator/stack_list.html",
                  {"rows": rows, "nav": "stacks", "can_create": permissions.can_create(request.user)})


@require_safe
def stack_detail(request: HttpRequest, slug: str) -> HttpResponse:
    stack = get_object_or_404(selectors.stack_list(request.user), slug=slug)
    library = Library.load()
    report = saved_stack_report(stack, library, library.evidence())
    context = {"stack": stack, "report": report, "nav": "stacks", "can_edit": permissions.can_edit(request.user, stack)}
    return render(request, "formulator/stack_detail.html", context)


# The product workbench --------------------------------------------------------------------------


def _amount_shown(data: QueryDict, product: Product | None, index: int) -> str | None:
    """The amount the page showed in line `index` when it was sent: its last valid form's (_last_valid_figures), or,
    on a page opened by a GET, the saved product's; None where the page had no such line."""
    shown = _last_valid_load(data.get("last_valid") or "") or _to_querydict(_initial_post(product))
    rows = services.rows_from_post(shown, "lines", LINE_FIELDS)
    return rows[index]["amount"] if index < len(rows) else None


def _target_unsolved(row: dict[str, str]) -> bool:
    """Whether a target was typed in the row since its line was last solved."""
    return bool(row["target_mg"].strip()) and row["target_mg"] != row["target_solved"]


def _row_solve(row: dict[str, str], compound: Compound | None, design: engine.Design | None = None) -> str | None:
    """Solve the row's amount for its target, as the line's Solve does; return why not, or None."""
    return solve_target_error(row["target_mg"]) or services.row_solve(row, compound, design=design)


def _target_save_error(row: dict[str, str], compound: Compound | None) -> str | None:
    """Why a save must wait for the row's target: typed since its line was last solved, or one Solve refuses."""
    target = row["target_mg"].strip()
    if not target:
        return None
    reason = _row_solve(dict(row), compound)  # a copy: the amount stays as typed
    if reason:
        return MESSAGE_TARGET_REFUSED.format(reason=reason)
    return MESSAGE_TARGET_UNSOLVED.format(target=target) if _target_unsolved(row) else None


def _initial_post(product: Product | None) -> dict[str, Any]:
    """The editor's state for a saved product (or a new one), shaped like the form's POST."""
    if product is None:
        data: dict[str, Any] = {"name": "", "dosage_form": "capsule", "capsule_size": "00", "serving_size": "1",
                                "servings_per_day": "1", "servings_per_container": "30", "timing": "evening",
                                "markets": ["US", "EU"], "population": "adult", "version": ""}
        rows = [dict(BLANK_LINE)]
    else:
        data = {f: getattr(product, f) for f in ProductForm.Meta.fields}
        data["servings_per_day"] = f"{product.servings_per_day.normalize():f}"  # as typed: 2, not the column's 2.00
        data["version"] = str(product.version)
        rows = [
            {"compound": line.compound.slug, "amount": f"{line.amount.normalize():f}", "unit": line.unit,
             "overage_percent": f"{line.overage_percent.normalize():f}", "blend": line.blend, "target_mg": "",
             "target_solved": "", "shown": ""}
            for line in product.lines.all()
        ]
    return {"fields": data, "rows": rows}


def _to_querydict(initial: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in initial["fields"].items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = "" if value is None else str(value)
    return services.rows_to_post(data, "lines", initial["rows"])


@keeps_typing_through_sign_in
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Create or edit a product; every POST recalculates, and only "save" writes."""
    product = None
    approved_meanwhile = False
    if slug is not None:
        # A keystroke needs the product row only: its saved lines are read when the figures fall back on them.
        product = get_object_or_404(selectors.product_list(request.user, lines=request.method == "GET"), slug=slug)
        if product.status == "approved":
            # Approved while its editor typed: their page keeps what they typed, and saving it is refused below.
            approved_meanwhile = request.method == "POST" and permissions.can_revise(request.user, product)
            if not approved_meanwhile:
                read_only = (MESSAGE_APPROVED_READ_ONLY if permissions.can_revise(request.user, product)
                             else MESSAGE_APPROVED_NOT_YOURS)
                messages.info(request, read_only.format(name=product.name, next=product.revision + 1))
                return redirect(product.get_absolute_url())
        elif not permissions.can_edit(request.user, product):
            raise PermissionDenied(MESSAGE_NOT_YOURS)
    elif not permissions.can_create(request.user):
        raise PermissionDenied(permissions.create_refusal(request.user, MESSAGE_NOT_YOURS))
    library = Library.load()
    action = _posted_action(request, "product-form")

    initial = _initial_post(product) if request.method == "GET" else None
    data = _markets_ticked(request.POST) if initial is None else _to_querydict(initial)
    # A new product's first view: nothing typed yet, so no field is at fault (unbound forms show no messages).
    new = initial is not None and product is None
    rows = services.rows_from_post(data, "lines", LINE_FIELDS)
    picked = action.partition("-")[2] if action.startswith("pick-") else ""
    used = [row["compound"] for row in rows if row["compound"]] + ([picked] if picked else [])
    compounds = {slug: library.compounds[slug] for slug in used if slug in library.compounds}
    evidence = library.evidence(used)
    solve_errors: dict[int, str] = {}  # by line
    solve_note: tuple[int, str] | None = None
    picked_index: int | None = None
    focus_recalculate = False
    if action == ACTION_ENTER:  # posted only: a GET's action is "load"
        action = "calculate"  # with JavaScript, Enter in a target solves through the line's Solve (workbench.js)
        if not request.htmx:
            # Enter sends a form through its first button, a hidden Recalculate: without JavaScript to tell, a target
            # typed since its line was last solved is what Enter was pressed in, and it solves the line, as it does with
            # JavaScript. With targets typed in several lines it cannot tell which: solving the first rewrote a line
            # Enter was not pressed in, so none is solved. The Recalculate button itself solves nothing: it rewrote an
            # amount typed by hand beside a target left unsolved.
            unsolved = [i for i, row in enumerate(rows) if _target_unsolved(row)]
            if len(unsolved) == 1 and rows[unsolved[0]]["amount"] != _amount_shown(data, product, unsolved[0]):
                # The amount was typed too, and Enter may have been pressed in it: solving rewrote it, unsaid.
                solve_errors[unsolved[0]] = MESSAGE_ENTER_AMOUNT_TYPED
            elif len(unsolved) == 1:
                action = f"solve-{unsolved[0]}"
            elif unsolved:
                solve_errors[unsolved[0]] = MESSAGE_SEVERAL_TARGETS.format(lines=labels.listed([str(i + 1) for i in unsolved]))
    if action.startswith("solve-"):
        suffix = action.partition("-")[2]
        index = int(suffix) if suffix.isdigit() else -1
        if 0 <= index < len(rows):
            row = rows[index]
            # Rounded up, a target at a limit took the design over it: the solve judges the limits the figures will.
            design = solve_design(product_fields_clean(data, require_name=False).values, rows, index, library, evidence)
            error = _row_solve(row, compounds.get(row["compound"]), design)
            if error:
                solve_errors[index] = error
            solve_note = None if error else (index, services.row_solved_note(row, compounds[row["compound"]], design=design))
            row["target_solved"] = row["target_mg"]  # a refused target too: Enter elsewhere asks nothing of it again
    elif action.startswith("pick-"):
        picked = action.partition("-")[2]
        if picked in compounds:
            picked_index = next((i for i, r in enumerate(rows) if not r["compound"] and not r["amount"]), None)
            if picked_index is None:
                rows.append(dict(BLANK_LINE, compound=picked))
                picked_index = len(rows) - 1
            else:
                rows[picked_index]["compound"] = picked
    else:
        rows = services.rows_apply(action, rows, BLANK_LINE)
    typing = bool(request.htmx) and action == "calculate"
    if not typing:  # typing leaves the rows as posted; anything else renumbers them for the formset
        data = services.rows_to_post(data, "lines", rows)

    form = formset = None
    parts = typed = None
    # A line just added, with nothing typed in it yet, is checked when saving, not before (forms.RowFormSet).
    held = frozenset() if action == "save" else _held_lines(rows, picked_index)
    if typing:
        # Only figures and messages go back, so no form is built (see product_fields_clean and typed_lines).
        product_checked = product_fields_clean(data, require_name=False)
        cleaned, field_errors = product_checked.values, product_checked.errors
        typed = typed_lines(rows, cleaned["servings_per_day"] if cleaned else None, library, evidence)
        row_errors, row_non_form_errors = lines_messages([{} if i in held else t.errors for i, t in enumerate(typed)])
        kept = [t for i, t in enumerate(typed) if i not in held]
        if kept and not row_errors and not row_non_form_errors:
            row_non_form_errors = _serving_messages(kept)
        lines = [t.line for t in kept] if kept and not row_errors and not row_non_form_errors else None
        parts = [t.report for t in kept] if lines is not None and cleaned else None
    else:
        # A copy: validating writes the posted values onto the instance, and the page heads with the saved name.
        form = ProductForm(None if new else data, initial=initial["fields"] if new else None, instance=copy.copy(product),
                           require_name=False)
        formset = LineFormSet(None if new else data, initial=rows if new else None, prefix="lines",
                              form_kwargs={"compound_choices": library.compound_choices}, held_back=held)
        if picked_index is not None:  # the next step is its amount: htmx focuses an autofocus field it swaps in
            formset.forms[picked_index].fields["amount"].widget.attrs["autofocus"] = True
        else:
            _focus_after_button(request, action, formset, "compound")
        if action == "save":
            solve_errors.update((i, error) for i, row in enumerate(rows)
                                if (error := _target_save_error(row, compounds.get(row["compound"]))))
        for index in solve_errors:
            if index < len(formset.forms):  # marked invalid, as every field with a message
                formset.forms[index].fields["target_mg"].widget.attrs["aria-invalid"] = "true"
        # Enter's refusal, no button's: the page came back at its top (a refused save's focus is _focus_first_error's).
        if solve_errors and action == "calculate" and not request.htmx and min(solve_errors) < len(formset.forms):
            formset.forms[min(solve_errors)].fields["target_mg"].widget.attrs["autofocus"] = True
        elif not solve_errors:
            focus_recalculate = _focus_after_recalculation(request, action, form, formset)
        cleaned, field_errors = (form.cleaned_data if form.is_valid() else None), form.errors
        # Asked for with the other messages, not once they are fixed; the figures still stand without a name.
        if action == "save":
            cleaned = None if cleaned is None else dict(cleaned)  # add_error drops the name from the form's values
            if "name" not in form.errors and not form.cleaned_data.get("name"):
                form.add_error("name", ERROR_PRODUCT_NAME)
            _name_taken_error(request, form, Product, product)
        lines = [LineData(compounds[v["compound"]], v["amount"], v["unit"], v["overage_percent"], v["blend"])
                 for i, v in enumerate(f.cleaned_data for f in formset.forms) if i not in held] if formset.is_valid() else None
        lines = lines or None  # only blank lines: nothing to work out yet
        row_errors, row_non_form_errors = formset_errors(formset), formset.non_form_errors()
        if lines is None and cleaned is not None:
            # Each valid line's own figures stand while another line is invalid (a blank line just added).
            typed = typed_lines(rows, cleaned["servings_per_day"], library, evidence)
    valid = cleaned is not None and lines is not None
    report = None
    conflict = None
    if valid:
        report = _product_figures(cleaned, lines, library, product, evidence, parts)
        if action == "save" and not field_errors and approved_meanwhile:
            conflict = {"message": MESSAGE_APPROVED_MEANWHILE.format(name=product.name, next=product.revision + 1),
                        "changes": []}
        elif action == "save" and not field_errors and not solve_errors:
            fields = {f: cleaned[f] for f in ProductForm.Meta.fields}
            version = _posted_version(data)
            # Saving what is saved would make an edit that changes nothing, and spoil an approval of the one seen. So
            # would saving, from an older edit, what someone else has saved since: there is nothing to choose between.
            if product is not None and 1 <= version <= product.version and services.product_unchanged(product, fields, lines):
                messages.info(request, MESSAGE_NOTHING_TO_SAVE.format(name=product.name, version=product.version))
                return _design_page(request, product)
            was_in_review = product is not None and product.status == Status.IN_REVIEW  # as product_revert asks
            try:
                saved = services.product_save(product=product, fields=fields, lines=lines, expected_version=version,
                                              user=request.user, team=_team(request))
            except SaveConflict as exc:
                conflict = {"message": str(exc), "changes": services.product_diff(exc.current, fields, lines)}
                data = data.copy()
                data["version"] = str(exc.current.version)
            except services.NameTaken as exc:
                form.add_error("name", str(exc))
            else:
                message = MESSAGE_SAVED_OUT_OF_REVIEW if was_in_review else MESSAGE_SAVED
                messages.success(request, message.format(name=saved.name, version=saved.version))
                return _design_page(request, saved)
    if (action == "save" and not _focus_first_error(form, formset) and solve_errors and not request.htmx
            and min(solve_errors) < len(formset.forms)):  # a formset cut at its most lines has fewer forms than rows
        formset.forms[min(solve_errors)].fields["target_mg"].widget.attrs["autofocus"] = True
    last_valid, stale_report = _last_valid_figures(
        request, data, valid, lambda previous: _posted_product_report(previous, library, product), action == "save")
    # With htmx the page keeps the last valid figures itself; without, they are the last valid post's, if any.
    figures_from_input = bool(request.htmx) or stale_report is not None
    if not valid and product is not None and stale_report is None:
        selectors.product_lines_load(product)
        stale_report = saved_product_report(product, library, evidence)
    context = {
        # Not after a recalculation, or a line added and removed, that leaves the product as saved: it said "Unsaved
        # changes", and saving then said there was nothing to save.
        "unsaved": request.method == "POST" and not (
            not typing and valid and product is not None and _posted_version(data) == product.version
            and services.product_unchanged(product, {f: cleaned.get(f) for f in ProductForm.Meta.fields}, lines)),
        "figures_from_input": figures_from_input,
        "last_valid": last_valid,
        "product": product,
        "form": form,
        "formset": formset,
        "field_errors": field_errors,
        "report": report or stale_report,
        "stale": report is None,
        # Nothing to work out yet: a new product's first view. Lines all just added have no figures either, but the
        # figures on screen are older ones, of lines removed since: they are out of date, with no field to fix.
        "new": "product" if new else None,
        "blank": "product" if report is None and held and len(held) == len(rows) and not row_errors else None,
        "solve_errors": solve_errors,
        "solve_note": solve_note,
        "focus_recalculate": focus_recalculate,
        "version": data.get("version", ""),
        "conflict": conflict,
        "nav": "products",
        "rows_prefix": "lines",
        "row_errors": row_errors,
        "row_non_form_errors": row_non_form_errors,
        # A keystroke with invalid input sends the cells of the lines still valid, each with its own figures, as a page
        # without JavaScript shows them: a line whose compound was changed meanwhile kept the old one's name and
        # figures. An invalid line's cell keeps what it shows, as the figures do (marked out of date), and so does every
        # cell while the product's own fields are invalid (its servings): no line has figures then.
        "line_cells": [] if typing and report is None and cleaned is None else _line_cells_html(
            _by_row(report.line_reports, held, len(rows)) if report
            else _with_last_valid(_judged_together([t.report for t in typed or ()], rows), rows,
                                  None if typing else stale_report),
            rows, typing=typing, valid_only=typing and report is None),
    }
    return _editor_response(request, "product", action, context)


def _by_row(line_reports: Sequence[LineReport], held: frozenset[int], count: int) -> list[LineReport | None]:
    """The lines' figures row by row: none for a row held back (blank), whose line is not in the report."""
    reports = iter(line_reports)
    return [None if i in held else next(reports, None) for i in range(count)]


def _judged_together(lines: Sequence[LineReport | None], rows: list[dict[str, str]]) -> list[LineReport | None]:
    """The lines' figures, without those of a line whose compound is also on a line without figures (invalid): its
    dose is judged with that line's (reports.compound_alignments), and alone it read "below" beside the other's
    "within" of the same compound."""
    unknown = {row["compound"] for row, line in zip(rows, lines) if line is None and row["compound"]}
    return [None if line is not None and rows[i]["compound"] in unknown else line for i, line in enumerate(lines)]


def _with_last_valid(lines: Sequence[LineReport | None], rows: list[dict[str, str]],
                     last_valid: ProductReport | None) -> list[LineReport | None]:
    """Each row's figures, or for a row without (invalid), those of the last valid figures' line at its place where it
    is of the same compound: without JavaScript, an amount typed as "abc" showed "—" in its cell, where the page with
    JavaScript keeps the cell as it was, out of date with the rest of the figures."""
    last = list(zip(last_valid.lines, last_valid.line_reports, strict=True)) if last_valid is not None else []
    return [
        lines[i] if i < len(lines) and lines[i] is not None
        else last[i][1] if i < len(last) and last[i][0].compound.slug == row["compound"] else None
        for i, row in enumerate(rows)
    ]


def _line_cells_html(lines: Sequence[LineReport | None], rows: list[dict[str, str]], *, typing: bool,
                     valid_only: bool = False) -> list[SafeString]:
    """Each line's cell ("—" without figures); while typing, out of band, and only those the page does not show;
    valid_only: only those of lines with figures."""
    reports = [lines[i] if i < len(lines) else None for i in range(len(rows))]
    cells = [fragments.line_cell(i, report, typing) for i, report in enumerate(reports)]
    if typing:
        return [cell.html for cell, row, report in zip(cells, rows, reports, strict=True)
                if cell.shown != row["shown"] and not (valid_only and report is None)]
    return [cell.html for cell in cells]


@require_safe
def compound_search(request: HttpRequest) -> HttpResponse:
    """Suggest compounds for the workbench as the user types (names, synonyms, formulas, grades)."""
    query = request.GET.get("q", "").strip()[:100]
    results = list(compound_list(query)[:SUGGESTIONS_SHOWN + 1]) if query else []
    more, results = len(results) > SUGGESTIONS_SHOWN, results[:SUGGESTIONS_SHOWN]
    key = "more" if more else len(results) if len(results) < 2 else "some"
    context = {"results": results, "query": query, "edit_url": _editor_url(request.GET.get("edit_url", "")),
               "summary": MESSAGE_SUGGESTIONS[key].format(count=len(results), query=query) if query else ""}
    return render(request, "formulator/product_edit.html#suggestions", context)


def _editor_url(url: str) -> str:
    """The product editor the suggestions post to: one of ours, never a URL from elsewhere."""
    # The suggestions post the whole form with the CSRF token; a link must not send them to another site.
    try:
        view_name = resolve(url).view_name
    except Resolver404:
        view_name = ""
    if view_name in ("formulator:product_new", "formulator:product_edit") and "//" not in url:
        return url
    return reverse("formulator:product_new")


# The stack editor ------------------------------------------------------------------------------


@keeps_typing_through_sign_in
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def stack_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    stack = None
    if slug is not None:
        # The stack row only: the figures come from the posted items, read by products_by_slug below.
        stack = get_object_or_404(selectors.stack_list(request.user, items=False), slug=slug)
        if not permissions.can_edit(request.user, stack):
            raise PermissionDenied(MESSAGE_NOT_YOURS)
    elif not permissions.can_create(request.user):
        raise PermissionDenied(permissions.create_refusal(request.user, MESSAGE_NOT_YOURS))
    library = Library.load()
    action = _posted_action(request, "stack-form")
    new = request.method == "GET" and stack is None  # nothing typed yet, so no field is at fault
    if request.method == "POST":
        data = _markets_ticked(request.POST)
    else:
        data = QueryDict(mutable=True)
        if stack is None:
            data.update({"name": "", "population": NEW_STACK["population"], "version": ""})
            data.setlist("markets", NEW_STACK["markets"])
            initial_rows = [dict(BLANK_ITEM)]
        else:
            data.update({"name": stack.name, "population": stack.population, "notes": stack.notes,
                         "version": str(stack.version)})
            data.setlist("markets", stack.markets)
            # Slugs only: products_by_slug below reads the products themselves, with their lines.
            initial_rows = [{"product": product, "servings_per_day": f"{servings.normalize():f}", "timing": timing}
                            for product, servings, timing in stack.items.values_list("product__slug", "servings_per_day", "timing")]
        data = services.rows_to_post(data, "items", initial_rows)
    rows = services.rows_apply(action, services.rows_from_post(data, "items", ITEM_FIELDS), BLANK_ITEM)
    product_menu = functools.cache(lambda: selectors.product_choices(request.user, stack))
    # A product row just added, with nothing chosen in it yet, is checked when saving, not before (forms.RowFormSet).
    held = frozenset() if action == "save" else blank_rows(rows, ITEM_TYPED_FIELDS)
    # Which of each row's values its product's label fills in (services.item_rows_label_fill), to say them on saving.
    as_labelled = {i: (not row["servings_per_day"].strip(), not row["timing"]) for i, row in enumerate(rows)
                   if row["product"] and not (row["servings_per_day"].strip() and row["timing"])}
    data, form, formset, products = _stack_forms(request, data, rows, stack, library, product_menu, new, held)
    _focus_after_button(request, action, formset, "product")
    items = _stack_items(formset, products, held) if form.is_valid() and formset.is_valid() else []
    valid = bool(items)
    if action == "save" and "name" not in form.errors and not form.cleaned_data.get("name"):
        form.add_error("name", ERROR_STACK_NAME)  # with the other messages, not once they are fixed
    if action == "save":
        _name_taken_error(request, form, Stack, stack)
    report = None
    conflict = None
    if valid:
        cleaned = {"name": "", **form.cleaned_data}  # without a name (add_error drops it) the figures still stand
        report = stack_report(items=items, markets=cleaned["markets"], population=cleaned["population"], library=library,
                              evidence=library.evidence())
        if action == "save" and not form.errors:
            fields = {f: cleaned[f] for f in StackForm.Meta.fields}
            version = _posted_version(data)
            # As for a product: saving what is saved makes no edit, however old the edit the page started from.
            if stack is not None and 1 <= version <= stack.version and services.stack_unchanged(stack, fields, items):
                messages.info(request, MESSAGE_NOTHING_TO_SAVE.format(name=stack.name, version=stack.version))
                return _design_page(request, stack)
            try:
                saved = services.stack_save(stack=stack, fields=fields, items=items, expected_version=version,
                                            user=request.user, team=_team(request))
            except SaveConflict as exc:
                # Another team's product taken back to draft is named as it was last shown, not as it is being typed.
                selectors.stack_items_load(exc.current, request.user)
                conflict = {"message": str(exc), "changes": services.stack_diff(exc.current, fields, items)}
                data = data.copy()
                data["version"] = str(exc.current.version)
            except services.NameTaken as exc:
                form.add_error("name", str(exc))
            else:
                message = MESSAGE_SAVED.format(name=saved.name, version=saved.version)
                if as_labelled:
                    message += " " + _as_labelled_said(rows, as_labelled, products)
                messages.success(request, message)
                return _design_page(request, saved)
    if action == "save":
        _focus_first_error(form, formset)
    focus_recalculate = _focus_after_recalculation(request, action, form, formset)
    last_valid, stale_report = _last_valid_figures(
        request, data, valid, lambda previous: _posted_stack_report(request, previous, stack, library, product_menu),
        action == "save")
    figures_from_input = bool(request.htmx) or stale_report is not None
    if not valid and stack is not None and stale_report is None:
        selectors.stack_items_load(stack, request.user)
        stale_report = saved_stack_report(stack, library)
    unsaved = request.method == "POST" and not (  # as the product editor's
        not (request.htmx and action == "calculate") and valid and stack is not None and _posted_version(data) == stack.version
        and services.stack_unchanged(stack, {f: form.cleaned_data.get(f) for f in StackForm.Meta.fields}, items))
    context = {"unsaved": unsaved, "figures_from_input": figures_from_input, "last_valid": last_valid, "stack": stack, "form": form, "formset": formset, "field_errors": form.errors, "report": report or stale_report,
               "rows_prefix": "items", "row_errors": formset_errors(formset), "row_non_form_errors": formset.non_form_errors(),
               "stale": report is None,
               # As the product editor's.
               "new": "stack" if new else None,
               "blank": "stack" if report is None and held and len(held) == len(rows) and not any(formset.errors) else None,
               "version": data.get("version", ""),
               "conflict": conflict, "nav": "stacks", "focus_recalculate": focus_recalculate}
    return _editor_response(request, "stack", action, context)


def _as_labelled_said(rows: list[dict[str, str]], as_labelled: dict[int, tuple[bool, bool]],
                      products: dict[str, Product]) -> str:
    """MESSAGE_AS_LABELLED for the items left "as labelled", with what their labels gave, and only that: MoodFlow's 0.5
    a day typed beside its timing left "as labelled" read as its label's. A product taken twice is told by its row."""
    timings = dict(Timing.choices)
    names = [products[row["product"]].name if row["product"] in products else row["product"] for row in rows]
    taken = []
    for i, (servings, timing) in as_labelled.items():
        row = rows[i]
        said = ([f"{row['servings_per_day']} a day"] if servings else []) + (
            [timings.get(row["timing"], row["timing"]).lower()] if timing else [])
        which = f" (product {i + 1})" if names.count(names[i]) > 1 else ""
        taken.append(f"{names[i]}{which}: {', '.join(said)}")
    one = len(as_labelled) == 1
    return MESSAGE_AS_LABELLED.format(labels_say="its label says" if one else "their labels say", taken="; ".join(taken),
                                      labels="its label" if one else "their labels")


# Comparison ------------------------------------------------------------------------------------


def _slugs(request: HttpRequest, name: str) -> list[str]:
    """Slugs from ?name=a,b or repeated ?name=a&name=b (checkboxes), in order, without duplicates."""
    slugs: list[str] = []
    for value in request.GET.getlist(name):
        for slug in value.split(","):
            slug = slug.strip()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def _comparison(request: HttpRequest) -> dict[str, Any]:
    """Build the comparison for the request's query, or say what is wrong with it."""
    kind = "stacks" if request.GET.get("stacks") else "products"
    slugs = _slugs(request, kind)
    asked_population = request.GET.get("population", "adult")
    population = asked_population if asked_population in Population.values else "adult"
    asked_markets = _slugs(request, "markets")
    # The choices stay as made when the page says what is wrong with them (one design, an unknown slug).
    context: dict[str, Any] = {"kind": kind, "slugs": slugs, "population": population, "error": "",
                               "markets": asked_markets, "only_differences": request.GET.get("differs") == "1"}
    # What the page cannot compare as asked is said, not dropped: it would show something else than was asked for.
    unknown_markets = [m for m in asked_markets if m not in Market.values]
    if kind == "stacks" and _slugs(request, "products"):
        context["error"] = compare.ERROR_MIXED
        return context
    if population != asked_population:
        context["error"] = compare.ERROR_UNKNOWN.format(kind="population", slugs=asked_population)
        return context
    if unknown_markets:
        context["error"] = compare.ERROR_UNKNOWN.format(kind="market", slugs=", ".join(unknown_markets))
        return context
    if len(slugs) < compare.MIN_DESIGNS:
        context["error"] = compare.ERROR_TOO_FEW if slugs or request.GET else ""
        return context
    if len(slugs) > compare.MAX_DESIGNS:
        context["error"] = compare.ERROR_TOO_MANY
        return context
    designs_qs = selectors.stack_list(request.user) if kind == "stacks" else selectors.product_list(request.user)
    found = {o.slug: o for o in designs_qs.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        context["error"] = compare.ERROR_UNKNOWN.format(kind=kind[:-1], slugs=", ".join(missing))
        return context
    objects = [found[s] for s in slugs]
    if "population" not in request.GET:  # compared as designed, when the designs agree (stacks and products alike)
        designed = {o.population for o in objects}
        context["population"] = population = designed.pop() if len(designed) == 1 else "adult"
    # Germany is sold under EU law too: compared for Germany, a design meets the EU's rules as well, as it is designed.
    markets = markets_in_force(asked_markets) if asked_markets else [
        m for m in Market.values if any(m in o.markets for o in objects)]
    library = Library.load()
    evidence = library.evidence()
    designs = []
    for obj in objects:
        if kind == "stacks":
            report: Any = saved_stack_report(obj, library, evidence, markets=markets, population=population)
        else:
            report = saved_product_report(obj, library, evidence, markets=markets, population=population)
        designs.append(compare.Design(obj.slug, selectors.design_name(obj, request.user), obj.get_absolute_url(), report,
                                      designed_for=obj.population, markets=tuple(obj.markets)))
    rows = compare.comparison_rows(designs, markets, products=kind == "products", population=population)
    only_differences = context["only_differences"]
    changes = None
    if kind == "products" and len(objects) == 2:
        before, after = objects
        changes = services.design_changes(services.fields_of(before), services.lines_of(before),
                                          services.fields_of(after), services.lines_of(after))
    context.update(
        designs=designs, markets=markets, only_differences=only_differences, changes=changes,
        population_note=compare.population_note(designs, population, chosen="population" in request.GET),
        # What is compared stays said when only differences are shown.
        rows=[r for r in rows if r.differs or r.group == compare.GROUP_COMPARED] if only_differences else rows,
        all_rows=rows,
        no_differences=only_differences and not any(r.differs for r in rows if r.group != compare.GROUP_COMPARED),
        chart_daily=compare.chart_daily(designs), chart_composition=compare.chart_composition(designs, kind == "products"),
    )
    return context


@require_safe
def comparison(request: HttpRequest) -> HttpResponse:
    """Compare 2 to 6 products or stacks side by side; the URL is the shareable state."""
    context = _comparison(request)
    context.update(
        nav="compare",
        all_products=permissions.visible(Product.objects.select_related("team").only("slug", "name", "team__name", "status"),
                                         request.user),
        all_stacks=permissions.visible(Stack.objects.only("slug", "name", "team"), request.user),
        market_choices=Market.choices,
        markets_help=MARKETS_HELP,
        population_choices=Population.choices,
    )
    return render(request, "formulator/compare.html", context)


@require_safe
def comparison_csv(request: HttpRequest) -> HttpResponse:
    """The comparison as CSV: one row per figure, one column per design, values as shown."""
    context = _comparison(request)
    if context["error"] or not context.get("designs"):
        return HttpResponse(context["error"] or compare.ERROR_TOO_FEW, status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="comparison.csv"'
    writer = SpreadsheetWriter(response)
    writer.writerow(["group", "figure", *[d.name for d in context["designs"]]])
    # A status shown as a badge beside a figure is written beside it, "96%; near", and after a sentence in words of its
    # own: "… for supplemental magnesium. Status: over", not "magnesium.; over"; the best and worst marks as the page's
    # screen readers hear them, "(best)".
    # A note is where the page puts it: after a status shown as the cell's text ("near for vitamin B6"), else after the
    # figure, before its status ("58% (not designed for EU); ok").
    for row in context["rows"]:
        cells = []
        for cell in row.cells:
            text = f"{cell.text} {cell.note}" if cell.note and not row.badges else cell.text
            if cell.badge not in ("", cell.text):
                text = f"{text} Status: {cell.badge}" if text.endswith(".") else f"{text}; {cell.badge}"
            cells.append(text + (f" {cell.note}" if cell.note and row.badges else "") + (f" ({cell.mark})" if cell.mark else ""))
        writer.writerow([row.group, row.label, *cells])
    return response


@require_post
def product_duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    """Copy a product as its next variant (recover → recover-v2) and open it in the workbench."""
    product = get_object_or_404(selectors.product_list(request.user), slug=slug)
    if not permissions.can_create(request.user):
        raise PermissionDenied(permissions.create_refusal(request.user, MESSAGE_NOT_YOURS))
    variant = services.product_duplicate_as_variant(product, user=request.user, team=_team(request))
    copied = f", copied from {product.name}" if product != variant.variant_of else ""  # a variant's variant is the root's
    messages.success(request, MESSAGE_VARIANT_CREATED.format(variant=variant.name, root=variant.variant_of.name, copied=copied))
    return redirect("formulator:product_edit", variant.slug)


def _status_stale_message(product: Product, seen: int) -> str:
    """Say that a status choice was made on an edit since changed, and what changed: a reviewer about to approve edit 4
    must see that edit 6 has 1,050 mg where they approved 1,000 mg."""
    message = MESSAGE_STATUS_STALE.format(name=product.name, mine=seen, theirs=product.version)
    versions = selectors.product_versions(product)
    seen_version = next((v for v in reversed(versions) if v.record.version == seen), None)
    if seen_version is None:  # an edit no version recorded (a made-up number): nothing to list
        return message
    changes = services.version_changes(seen_version, versions[-1])
    if not changes:
        return message
    texts = "; ".join(CHANGE_TEXT.format(what=c.what, before=c.before, after=c.after) for c in changes)
    return message + MESSAGE_STATUS_STALE_CHANGES.format(mine=seen, changes=texts)


@require_post
def product_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Submit for review, approve, or return to draft."""
    product = get_object_or_404(selectors.product_list(request.user), slug=slug)
    # Before anything is said of its edits: another team sees a product in review, never the drafts before it, which
    # the changes since an edit would list.
    if not permissions.can_move(request.user, product):
        raise PermissionDenied(MESSAGE_NOT_YOURS)
    target = request.POST.get("status", "")
    if target not in Status.values:  # no role may set it: "not allowed" would send the user asking for a role
        return nothing_done(request, ERROR_UNKNOWN_STATUS, "product", product.get_absolute_url(), status=400)
    seen = _posted_version(request.POST)
    # Changed since the user looked: say so first, as the change may be what made the transition unavailable (a
    # save during review returns the product to draft).
    if seen and seen != product.version:  # an edit number it cannot be ("1.5") names none: said below
        messages.error(request, _status_stale_message(product, seen))
        return redirect(product.get_absolute_url())
    if not permissions.can_set_status(request.user, product, target):
        raise PermissionDenied(MESSAGE_NOT_YOURS)
    if not seen:  # a choice must name the edit it is about; "you saw edit 0" named none
        messages.error(request, MESSAGE_STATUS_NO_VERSION)
        return redirect(product.get_absolute_url())
    try:
        product = services.product_set_status(product, target, request.user, seen)
    except SaveConflict as exc:
        messages.error(request, _status_stale_message(exc.current, exc.mine))
    except services.ApprovalRefused as exc:
        messages.error(request, str(exc))
    else:
        change = services.STATUS_REASONS[product.status]
        messages.success(request, MESSAGE_STATUS_SET.format(name=product.name, change=change[0].lower() + change[1:]))
    return redirect(product.get_absolute_url())


@require_post
def product_revise(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the next revision of an approved product and open it in the workbench."""
    product = get_object_or_404(selectors.product_list(request.user), slug=slug)
    if not permissions.can_revise(request.user, product):
        raise PermissionDenied(MESSAGE_NOT_YOURS)
    product = services.product_revise(product, request.user)
    messages.success(request, f"Started revision {product.revision} of {product.name} as a draft.")
    return redirect("formulator:product_edit", product.slug)
