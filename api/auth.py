"""Who is calling: a bearer token, or the Django session of someone using the docs in a browser."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from api.services import token_user

ERROR_CSRF = (
    "CSRF check failed: a request made with the session cookie must send the X-CSRFToken header with the page's token "
    "(sent, it may be another page's or a signed-out session's: reload the page), or use a token: Authorization: "
    "Bearer <key>."
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a key from `manage.py create_api_token` or the admin."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        user = token_user(token.strip())
        if user is not None:
            # Code below the API (the history records of a save, for one) reads request.user, as on the pages.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in user of the site, for trying the API from /api/v1/docs.

    Unlike ninja's own SessionAuth, CSRF is checked only for a signed-in user's unsafe request, so an
    anonymous POST gets 401 rather than a CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        # A request that sends a token is its token's, whatever cookie rides along: a wrong or revoked key was
        # answered as the browser's signed-in user, where the docs promise a 401.
        if not key or user is None or not user.is_authenticated or "HTTP_AUTHORIZATION" in request.META:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, ERROR_CSRF)
        return user


class _MayWrite:
    """An authentication that also refuses a caller who may not make the change, before the body is read: a viewer's
    invalid POST got its field errors (422), and only once they were fixed the 403; so did a PUT to a product that
    does not exist (404), is approved or is another team's (403)."""

    kind = "product"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from api import access  # access reads the formulator's selectors, which need the apps loaded

        user = super().authenticate(request, key)  # type: ignore[misc]
        if user and request.method not in SAFE_METHODS:
            slug = request.resolver_match.kwargs.get("slug") if request.resolver_match else None
            # Raises the 404 or 403 the view would: a design named is changed, else one is created.
            access.designs(user, self.kind, "write" if slug else "create", slug=slug)
        return user


class TokenWriteAuth(_MayWrite, TokenAuth):
    pass


class SessionWriteAuth(_MayWrite, SessionAuth):
    pass


# The authentications of an endpoint that creates or changes products.
PRODUCT_WRITERS = [TokenWriteAuth(), SessionWriteAuth()]


def caller(request: HttpRequest) -> AbstractBaseUser:
    """The user an authenticated API request acts for."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
