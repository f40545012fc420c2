"""The JSON API at /api/v1/: OpenAPI schema at openapi.json, Swagger UI (served from our static files) at docs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache, wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.csrf import csrf_exempt
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import path, re_path
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from formulator.forms import ERROR_AMOUNT_REQUIRED, ERROR_CHOOSE_COMPOUND, ERROR_NO_LINES, ERROR_PRODUCT_NAME

from api.auth import SessionAuth, TokenAuth
from api.routers import calculate, designs, evidence, library
from api.schemas import (
    ERROR_BODY_OBJECT,
    ERROR_ENCODING,
    ERROR_LIST,
    ERROR_OBJECT,
    ERROR_TEXT,
    ERROR_TEXT_TOO_LONG,
    ERROR_TOO_MANY,
    ERROR_UNKNOWN_FIELD,
    ERROR_UNKNOWN_PARAMETER,
    ERROR_VERSION_REQUIRED,
)

VALUE_ERROR_PREFIX = "Value error, "
# A field left out of a body says what the workbench says of it left empty, where the pages have a message for it.
MISSING_FIELD_MESSAGES = {
    "name": ERROR_PRODUCT_NAME, "lines": ERROR_NO_LINES, "compound": ERROR_CHOOSE_COMPOUND,
    "amount": ERROR_AMOUNT_REQUIRED, "version": ERROR_VERSION_REQUIRED,
}
# A wrong JSON shape, said in the API's words ({ctx} filled from pydantic's error): pydantic's own would name the
# request's internal classes ("a valid dictionary or instance of CalculateIn"). Fields with a message of their own
# (numbers, markets, version, filters) say it before pydantic's reaches this table (api/schemas.py).
TYPE_MESSAGES = {
    "model_type": ERROR_OBJECT, "dict_type": ERROR_OBJECT, "string_type": ERROR_TEXT,
    "string_too_long": ERROR_TEXT_TOO_LONG, "list_type": ERROR_LIST, "too_long": ERROR_TOO_MANY,
    "extra_forbidden": ERROR_UNKNOWN_FIELD, "string_unicode": ERROR_ENCODING,
}
# A body that is no JSON object (an array, a string, a number, null) or none at all.
BODY_SHAPE_ERRORS = frozenset({"model_type", "dict_type", "missing"})
DOCS_URL_NAME = "openapi-view"
ERROR_METHOD_NOT_ALLOWED = "Method {method} is not allowed here: use {allowed}."
ERROR_NO_SUCH_PATH = "No such address in the API: its paths are listed at /api/v1/docs and /api/v1/openapi.json."
ERROR_NOT_JSON = ("The body must be JSON, sent with the header Content-Type: application/json; this request's was {content_type}: "
                  "nothing was read.")
ERROR_BODY_TOO_BIG = "The body is larger than the API reads ({size:,} bytes at most): send less, as no design needs so much."
BODY_PARAM = "payload"  # every body parameter has this name, which error locations leave out


class ExactNumbersParser(Parser):
    """Read a body's numbers as written, as Decimals: a float rounded 0.000…1 (5,000 zeros) to 0 ("Enter an amount
    greater than zero"), and an integer of 5,000 digits was "Cannot parse request body" with Python's own words."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_float=Decimal, parse_int=_whole)


def _whole(text: str) -> int | Decimal:
    # Python refuses to read an int of more than 4,300 digits; as a Decimal, the field's own check says it is too long.
    return int(text) if len(text) < 4000 else Decimal(text)


api = NinjaAPI(
    title="Magnesium formulator API",
    version="1",
    description=(
        "Read the compound library, reference values, products, stacks and evidence; create and update products; "
        "calculate a formulation without saving it. Authenticate with `Authorization: Bearer <key>` "
        "(`manage.py create_api_token <username>`, or the admin's API tokens page); the site's session also works "
        "here in the docs. See docs/api.md."
    ),
    urls_namespace="api-v1",
    parser=ExactNumbersParser(),
    auth=[TokenAuth(), SessionAuth()],
    # Assets come from django-ninja's bundled static files (ninja is in INSTALLED_APPS); no validator badge call-out.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
)


def _message(error: dict[str, Any], loc: list[Any]) -> str:
    """What a 422 says of one problem: the workbench's or the API's words, pydantic's only for what neither has."""
    kind = error.get("type")
    if loc == ["body"] and kind in BODY_SHAPE_ERRORS:
        return ERROR_BODY_OBJECT
    if kind == "missing" and loc[:1] == ["body"] and loc[-1] in MISSING_FIELD_MESSAGES:
        return MISSING_FIELD_MESSAGES[loc[-1]]
    if kind in TYPE_MESSAGES:
        return TYPE_MESSAGES[kind].format(**error.get("ctx", {}))
    message = str(error.get("msg", ""))
    return message[len(VALUE_ERROR_PREFIX):] if message.startswith(VALUE_ERROR_PREFIX) else message


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one {loc, msg, type} per problem; locations read like the JSON sent: ["body", "lines", 1, "formula"]."""
    detail = []
    for error in exc.errors:
        loc: list[Any] = list(error.get("loc", []))
        if len(loc) > 1 and loc[0] == "body" and loc[1] == BODY_PARAM:
            del loc[1]
        detail.append({"loc": loc, "msg": _message(error, loc), "type": str(error.get("type", "value_error"))})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(RequestDataTooBig)
def body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """413 in JSON: a body of 3 MB was a 500 with Django's traceback (DEBUG) or its HTML "Bad Request" page."""
    return api.create_response(request, {"detail": ERROR_BODY_TOO_BIG.format(size=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
                               status=413)


api.add_router("", library.router)
api.add_router("", designs.router)
api.add_router("", evidence.router)
api.add_router("", calculate.router)


def _either(words: list[str]) -> str:
    """The methods as a sentence lists them: GET; GET or PUT; GET, POST or PUT."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Say a 405 in JSON, as every other API error is said. ninja's path view returns Django's plain-text
    HttpResponseNotAllowed itself, for a method no operation of the path takes, rather than raising anything an
    exception handler could catch. The API's views are all sync, so this wrapper is too."""

    @wraps(view)  # keeps ninja's csrf_exempt mark
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        # Sorted: ninja builds the header from a set, whose order changes from one process to the next.
        allowed = sorted(method.strip() for method in response["Allow"].split(","))
        if request.method == "HEAD" and "GET" in allowed:
            return _head(view, request, *args, **kwargs)
        if "GET" in allowed:  # answered too (_head), so named as HTTP asks of Allow (RFC 9110, 10.2.1)
            allowed = sorted([*allowed, "HEAD"])
        message = ERROR_METHOD_NOT_ALLOWED.format(method=request.method, allowed=_either(allowed))
        json_response = api.create_response(request, {"detail": message}, status=405)
        json_response["Allow"] = ", ".join(allowed)
        return json_response

    return answer


def _head(view: Callable[..., HttpResponse], request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Answer HEAD as GET answers, without the body (HTTP: HEAD is GET's headers); ninja routes GET alone."""
    request.method = "GET"
    try:
        response = view(request, *args, **kwargs)
    finally:
        request.method = "HEAD"
    length = len(response.content)
    response.content = b""
    response["Content-Length"] = str(length)
    return response


@cache
def _query_names() -> dict[tuple[str, str], tuple[str, ...]]:
    """Each operation's query parameters as the schema lists them, by its path ("/compounds/{slug}") and method."""
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    return {(path, method): tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            for path, operations in paths.items() for method, operation in operations.items()}


def _schema_path(route: str) -> str:
    """A URL pattern's path as the schema names it: "compounds/<slug>" is "/compounds/{slug}"."""
    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", r"{\1}", route)


def _known_query_only(view: Callable[..., HttpResponse], route: str) -> Callable[..., HttpResponse]:
    """Refuse a query parameter the operation does not take (422 at ["query", name]), as an unknown body field is:
    ninja drops it, so ?nutrients=magnesium, one letter off the filter, listed every compound as if filtered."""
    schema_path = _schema_path(route)

    @wraps(view)  # keeps ninja's csrf_exempt mark
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        known = _query_names().get((schema_path, request.method.lower())) if request.GET else None
        unknown = [name for name in request.GET if name not in known] if known is not None else []
        if not unknown:
            return view(request, *args, **kwargs)
        refused = _unauthenticated(request)
        if refused is not None:  # what the endpoint takes is said to a caller it would answer, no one else
            return refused
        message = ERROR_UNKNOWN_PARAMETER.format(takes=f"takes {_either(list(known))}" if known else "takes none")
        detail = [{"loc": ["query", name], "msg": message, "type": "extra_forbidden"} for name in unknown]
        return api.create_response(request, {"detail": detail}, status=422)

    return answer


def _unauthenticated(request: HttpRequest) -> HttpResponse | None:
    """Authenticate as the API's operations do first: their 401 (or a session write's CSRF 403), or None for a caller."""
    for callback in api.auth:  # type: ignore[union-attr]
        try:
            if callback(request):
                return None
        except HttpError as exc:
            return api.on_exception(request, exc)
    return api.on_exception(request, AuthenticationError())


def _json_bodies_only(view: Callable[..., HttpResponse], route: str) -> Callable[..., HttpResponse]:
    """Refuse a body sent as anything but JSON (415): ninja read it as JSON whatever its Content-Type said, so a form
    post (curl -d without the header) was taken as if the client had meant JSON. Said before authentication, after a
    405, and from the header alone: reading the body here would bypass the 413's handler."""
    schema_path = _schema_path(route)

    @wraps(view)  # keeps ninja's csrf_exempt mark
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sent = (request.META.get("CONTENT_LENGTH") not in (None, "", "0")
                and (schema_path, request.method.lower()) in _query_names())
        content_type = request.content_type or ""
        if sent and content_type != "application/json" and not content_type.endswith("+json"):
            message = ERROR_NOT_JSON.format(content_type=content_type or "none")
            return api.create_response(request, {"detail": message}, status=415)
        return view(request, *args, **kwargs)

    return answer


def _signed_in_pages_only(patterns: list[Any]) -> list[Any]:
    """Let API calls past the site's LoginRequiredMiddleware: they answer 401 themselves, and a token request
    has no session to sign in with. The schema is public (it holds no data); the docs page still asks a browser
    to sign in, since it tries requests with the session."""
    for pattern in patterns:
        if pattern.name != DOCS_URL_NAME:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


def _not_allowed_in_json(patterns: list[Any]) -> list[Any]:
    for pattern in patterns:
        pattern.callback = _json_not_allowed(_json_bodies_only(_known_query_only(pattern.callback, str(pattern.pattern)),
                                                                str(pattern.pattern)))
    return patterns


@csrf_exempt  # it changes nothing: a POST to a mistyped address was refused with the site's HTML CSRF page
@login_not_required
def no_such_path(request: HttpRequest, rest: str = "", **kwargs: Any) -> HttpResponse:
    """Say a 404 for an address the API does not have in JSON, as its other errors: it was the site's HTML page."""
    return api.create_response(request, {"detail": ERROR_NO_SUCH_PATH}, status=404)


_patterns, _app_name, _namespace = api.urls  # (no module-level app_name: that would namespace the include)
for _pattern in _patterns:
    if _pattern.name == "api-root":  # ninja's raises Http404, which the site answers with its HTML page
        _pattern.callback = no_such_path
urlpatterns = [path("", (_signed_in_pages_only(_not_allowed_in_json(_patterns)), _app_name, _namespace)),
               re_path(r"^(?P<rest>.*)$", no_such_path)]
