"""The JSON API at /api/v1/: OpenAPI schema at openapi.json, Swagger UI (served from our static files) at docs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from formulator.forms import ERROR_AMOUNT_REQUIRED, ERROR_CHOOSE_COMPOUND, ERROR_NO_LINES, ERROR_PRODUCT_NAME

from api.auth import SessionAuth, TokenAuth
from api.routers import calculate, designs, evidence, library

VALUE_ERROR_PREFIX = "Value error, "
ERROR_VERSION_REQUIRED = "Send the version you edited, from the last GET of the product."
# A field left out of a body says what the workbench says of it left empty, where the pages have a message for it.
MISSING_FIELD_MESSAGES = {
    "name": ERROR_PRODUCT_NAME, "lines": ERROR_NO_LINES, "compound": ERROR_CHOOSE_COMPOUND,
    "amount": ERROR_AMOUNT_REQUIRED, "version": ERROR_VERSION_REQUIRED,
}
DOCS_URL_NAME = "openapi-view"
BODY_PARAM = "payload"  # every body parameter has this name, which error locations leave out

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
    auth=[TokenAuth(), SessionAuth()],
    # Assets come from django-ninja's bundled static files (ninja is in INSTALLED_APPS); no validator badge call-out.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one {loc, msg, type} per problem; locations read like the JSON sent: ["body", "lines", 1, "formula"]."""
    detail = []
    for error in exc.errors:
        loc: list[Any] = list(error.get("loc", []))
        if len(loc) > 1 and loc[0] == "body" and loc[1] == BODY_PARAM:
            del loc[1]
        message = str(error.get("msg", ""))
        if error.get("type") == "missing" and loc[:1] == ["body"] and loc[-1] in MISSING_FIELD_MESSAGES:
            message = MISSING_FIELD_MESSAGES[loc[-1]]
        if message.startswith(VALUE_ERROR_PREFIX):
            message = message[len(VALUE_ERROR_PREFIX):]
        detail.append({"loc": loc, "msg": message, "type": str(error.get("type", "value_error"))})
    return api.create_response(request, {"detail": detail}, status=422)


api.add_router("", library.router)
api.add_router("", designs.router)
api.add_router("", evidence.router)
api.add_router("", calculate.router)

def _signed_in_pages_only(patterns: list[Any]) -> list[Any]:
    """Let API calls past the site's LoginRequiredMiddleware: they answer 401 themselves, and a token request
    has no session to sign in with. The schema is public (it holds no data); the docs page still asks a browser
    to sign in, since it tries requests with the session."""
    for pattern in patterns:
        if pattern.name != DOCS_URL_NAME:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls  # (no module-level app_name: that would namespace the include)
urlpatterns = [path("", (_signed_in_pages_only(_patterns), _app_name, _namespace))]
