"""Spec sheets as print HTML, PDF (WeasyPrint), CSV and JSON: one builder, four formats."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from formulator import selectors, spec
from formulator.models import Product, Stack

SPEC_CSS = settings.BASE_DIR / "static" / "css" / "spec.css"


def _product(request: HttpRequest, slug: str) -> Product:
    return get_object_or_404(selectors.product_list(request.user), slug=slug)


def _stack(request: HttpRequest, slug: str) -> Stack:
    return get_object_or_404(selectors.stack_list(request.user), slug=slug)


def _filename(design: Product | Stack, extension: str) -> str:
    """An export's file name: the design and its edit number, so exports of two edits never share a name."""
    return f"{design.slug}-edit{design.version}-spec.{extension}"  # not "-v2": variants are recover-v2


def _pdf(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    from weasyprint import CSS, HTML  # imported here: loading Pango is not needed by any other page

    html = render_to_string(template, {**context, "pdf": True})
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(filename=str(SPEC_CSS))])
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _product_sheet(request: HttpRequest, slug: str, history_id: int | None) -> dict[str, Any]:
    """The sheet of a product the user may see, or of one of its recorded versions; 404 for anything else."""
    product = _product(request, slug)
    if history_id is None:
        return spec.product_sheet(product)
    versions = selectors.product_versions(product, request.user)
    version = selectors.version_with_id(versions, history_id)
    if version is None:
        raise Http404(selectors.ERROR_UNKNOWN_VERSION.format(kind="product"))
    # The latest record is the product as it stands: its sheet is the current one, not a "past version".
    return spec.product_sheet(product, None if version is versions[-1] else version)


@require_safe
def product_spec(request: HttpRequest, slug: str, history_id: int | None = None) -> HttpResponse:
    return render(request, "formulator/spec/product.html", _product_sheet(request, slug, history_id))


@require_safe
def product_spec_pdf(request: HttpRequest, slug: str, history_id: int | None = None) -> HttpResponse:
    sheet = _product_sheet(request, slug, history_id)
    return _pdf("formulator/spec/product.html", sheet, _filename(sheet["product"], "pdf"))


@require_safe
def product_spec_json(request: HttpRequest, slug: str, history_id: int | None = None) -> HttpResponse:
    sheet = _product_sheet(request, slug, history_id)
    response = JsonResponse(spec.product_sheet_json(sheet), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{_filename(sheet["product"], "json")}"'
    return response


@require_safe
def product_spec_csv(request: HttpRequest, slug: str, history_id: int | None = None) -> HttpResponse:
    sheet = _product_sheet(request, slug, history_id)
    return _download(spec.to_csv(spec.product_sheet_json(sheet)), "text/csv; charset=utf-8", _filename(sheet["product"], "csv"))


@require_safe
def stack_spec(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "formulator/spec/stack.html", spec.stack_sheet(_stack(request, slug)))


@require_safe
def stack_spec_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    sheet = spec.stack_sheet(_stack(request, slug))
    return _pdf("formulator/spec/stack.html", sheet, _filename(sheet["stack"], "pdf"))


@require_safe
def stack_spec_json(request: HttpRequest, slug: str) -> HttpResponse:
    sheet = spec.stack_sheet(_stack(request, slug))
    response = JsonResponse(spec.stack_sheet_json(sheet), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{_filename(sheet["stack"], "json")}"'
    return response


@require_safe
def stack_spec_csv(request: HttpRequest, slug: str) -> HttpResponse:
    sheet = spec.stack_sheet(_stack(request, slug))
    return _download(spec.to_csv(spec.stack_sheet_json(sheet)), "text/csv; charset=utf-8", _filename(sheet["stack"], "csv"))
