"""Read the editors' JSON-encoded htmx posts as the form posts they are; keep an editor's post through signing in."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict, UnreadablePostError
from django.utils.datastructures import MultiValueDict

ERROR_NOT_A_FORM = "The request body is not a JSON-encoded form."
# The API says it too (api.schemas), field by field.
ERROR_NUL = "Remove the NUL character: text may not contain it."
ERROR_SIGNED_OUT = "You are signed out: sign in again to go on."
ERROR_TOO_MANY_FIELDS = "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
MESSAGE_TYPING_KEPT = ("This was not saved: you had signed out, or signed in again in another tab. What you typed is "
                       "back, and nothing of it is saved: save it again to keep it.")
SIGNED_OUT_POST = "signed_out_post"  # the session key of an editor's post sent while signed out
# Not typed: the button pressed (a save is not made unseen: the user sees what comes back first) and the old token.
_NOT_TYPED = frozenset({"_action", "csrfmiddlewaretoken"})


def json_form_data(body: bytes) -> QueryDict:
    """The fields of a form that htmx's json-enc extension sent: each name to one value or a list of them.

    Raise BadRequest for anything else, and TooManyFieldsSent past the limit Django sets for form posts.
    """
    try:
        fields = json.loads(body)
    except ValueError:
        raise BadRequest(ERROR_NOT_A_FORM) from None
    if not isinstance(fields, dict):
        raise BadRequest(ERROR_NOT_A_FORM)
    lists: dict[str, list[str]] = {}
    count = len(fields)  # values, as Django counts them: a list of n values counts n
    for name, value in fields.items():
        if "\x00" in name:
            raise BadRequest(ERROR_NUL)
        if type(value) is str:  # nearly every field: checked first, as a 50-line form has 300 of them
            if "\x00" in value:
                raise BadRequest(ERROR_NUL)
            lists[name] = [value]
        else:
            lists[name] = [_field_value(v) for v in (value if isinstance(value, list) else [value])]
            count += len(lists[name]) - 1
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is not None and count > limit:
        raise TooManyFieldsSent(ERROR_TOO_MANY_FIELDS)
    data = QueryDict()
    # MultiValueDict's own constructor, a mapping of names to lists: QueryDict.setlist would re-decode every value,
    # which for a 50-line product costs more than the calculation.
    MultiValueDict.__init__(data, lists)
    return data


def _field_value(value: Any) -> str:
    """A form value as text: hx-vals may give numbers; anything else is no form field."""
    if isinstance(value, str):
        if "\x00" in value:
            raise BadRequest(ERROR_NUL)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BadRequest(ERROR_NOT_A_FORM)


class JsonFormMiddleware:
    """Give views request.POST from an htmx request whose form the json-enc extension encoded.

    The editors send every keystroke as JSON: Django parses a 50-line form post in about 1.5 ms, json in 0.1 ms.
    Only htmx requests are read so: the API takes its JSON bodies itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method == "POST" and request.content_type == "application/json"
                and request.headers.get("HX-Request") == "true"):
            request.POST = json_form_data(request.body)  # type: ignore[misc]
        return self.get_response(request)


class NulRefusedMiddleware:
    """Refuse (400) a page's request whose query or form fields hold a NUL character, which PostgreSQL can neither
    store nor compare: a search for one, or a design's slug with one posted, was a 500 there. An uploaded file's bytes
    are its own; the API refuses NUL field by field (422); the editors' JSON posts are checked as they are read
    (json_form_data).

    Its check is a view's first step (listed after the sign-in check): a form is read only once CSRF has read it, and
    only for a signed-in user's request.
    """

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        if request.path_info.startswith("/api/"):
            return None
        if "%00" in request.META.get("QUERY_STRING", "") or (request.method == "POST" and request.content_type in self.FORMS
                                                             and _form_holds_nul(request)):
            return HttpResponseBadRequest(ERROR_NUL, content_type="text/plain; charset=utf-8")
        return None


def _form_holds_nul(request: HttpRequest) -> bool:
    try:
        fields = request.POST.lists()
    except UnreadablePostError:  # the client went away mid-upload: nothing to refuse, and the view says so
        return False
    return any("\x00" in name or any("\x00" in value for value in values) for name, values in fields)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except that an htmx request of a signed-out user (a session expired mid-edit) is a 401, which htmx
    does not swap and the editor says it is signed out: redirected, htmx swapped the sign-in page into the figures, or
    in place of the editor with everything typed in it."""

    def handle_no_permission(self, request: HttpRequest, view_func: Callable[..., Any]) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(ERROR_SIGNED_OUT, status=401, content_type="text/plain; charset=utf-8")
        if request.method == "POST" and getattr(view_func, "keeps_typing_through_sign_in", False):
            # Without JavaScript, a save with the session expired went to the sign-in page and what was typed was lost.
            # Signing in keeps the session's data (django.contrib.auth.login cycles its key), so the editor gets it back.
            typing_keep(request)
        return super().handle_no_permission(request, view_func)  # type: ignore[no-any-return]


def typing_keep(request: HttpRequest) -> None:
    """Keep an editor's post in the session, for the editor to show again on its next GET (keeps_typing_through_sign_in)."""
    request.session[SIGNED_OUT_POST] = {
        "path": request.path, "data": [[k, v] for k, v in request.POST.lists() if k not in _NOT_TYPED]}


def keeps_typing_through_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark an editor whose post, sent while signed out, comes back to it after signing in, as a recalculation."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kept = request.session.get(SIGNED_OUT_POST) if request.method == "GET" else None
        if kept is not None:
            del request.session[SIGNED_OUT_POST]  # once, for its own editor only
            if kept["path"] == request.path:
                data = QueryDict(mutable=True)
                for key, values in kept["data"]:
                    data.setlist(key, values)
                request.method = "POST"  # the editor's own recalculation, as without JavaScript: nothing is saved
                request.POST = data  # type: ignore[misc]
                messages.warning(request, MESSAGE_TYPING_KEPT)
        return view(request, *args, **kwargs)

    wrapper.keeps_typing_through_sign_in = True  # type: ignore[attr-defined]
    return wrapper
