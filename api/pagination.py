"""Limit/offset pagination whose page is turned into response rows by one call, so a page shares one library load."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from api.schemas import whole_number

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000  # keeps OFFSET within every database's integer range
ERROR_LIMIT = f"limit is the number of items a page holds: a whole number from 1 to {MAX_LIMIT}."
ERROR_OFFSET = f"offset is the number of items to skip: a whole number from 0 to {MAX_OFFSET:,}."

Render = Callable[[Sequence[Any], HttpRequest], list[Any]]


class PageQuery(Schema):
    """A list's page: named so in the API's docs, where the pagination's own class name read "Input"."""

    limit: whole_number(ERROR_LIMIT, ge=1, le=MAX_LIMIT) = Field(DEFAULT_LIMIT, description="Items per page, at most 100.")
    offset: whole_number(ERROR_OFFSET, ge=0, le=MAX_OFFSET) = Field(0, description="Items to skip.")


class Page(LimitOffsetPagination):
    """`?limit=` (1-100, default 20) and `?offset=`; the answer holds `items` and the total `count`."""

    Input = PageQuery

    def __init__(self, render: Render | None = None, **kwargs: Any) -> None:
        self.render = render
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = list(queryset[pagination.offset : pagination.offset + pagination.limit])
        return {
            "items": self.render(page, request) if self.render else page,
            "count": self._items_count(queryset),
        }
