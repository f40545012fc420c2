"""View decorators shared by the product and stack pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.log import log_response

MESSAGE_POST_ONLY = "Nothing was done: this address is for a button on the {what}'s page, not a page to open."


def nothing_done(request: HttpRequest, message: str, what: str, back: str, status: int) -> HttpResponse:
    """A page that says why nothing was done, with the way back to the product or stack (`what`) at `back`."""
    return render(request, "nothing_done.html", {"message": message, "what": what, "back": back}, status=status)


def require_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Allow only POST; answer anything else with a 405 page that leads back to the product or stack.

    Django's require_http_methods answers with an empty body, which a browser shows as a blank page: an action's
    address opened from the history or a bookmark said nothing.
    """
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            return view(request, *args, **kwargs)
        what = "stack" if request.path_info.startswith("/stacks/") else "product"
        response = nothing_done(request, MESSAGE_POST_ONLY.format(what=what), what,
                                reverse(f"formulator:{what}_detail", args=[kwargs["slug"]]), status=405)
        response["Allow"] = "POST"
        log_response("Method Not Allowed (%s): %s", request.method, request.path, response=response, request=request)
        return response
    return wrapper
