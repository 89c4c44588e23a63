"""Pages of the list routes: ``limit`` (1 to 1000) and ``offset`` (0 or more) are checked,
422 otherwise, and every page says the list's ``total`` and where the ``next`` page is.

A route takes ``paging(default)`` as a dependency and answers ``paged.page(items, total)``::

    {"items": [...], "total": 1234, "limit": 100, "offset": 200,
     "next": "/v1/packages?waiting=true&limit=100&offset=300"}

``next`` is the next page's path and query (the request's own, with ``offset`` moved on),
or null on the last page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, Field

MAX_LIMIT = 1000
MAX_OFFSET = 10**9  # far beyond any list here; keeps the number within SQL's integers

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list, its total and the next page's URL."""

    items: list[T]
    total: int = Field(description="items in the whole list (every page)")
    limit: int = Field(description="at most this many items on a page")
    offset: int = Field(description="items of the list before this page's first")
    next: str | None = Field(description="the next page's path and query, null on the last page")


@dataclass(frozen=True)
class Paging:
    """A request's page: ``limit`` items after the first ``offset``."""

    request: Request
    limit: int
    offset: int

    def page(self, items: list[T], total: int) -> Page[T]:
        """``items`` (this page's) of a list of ``total`` as the answer."""
        following = None
        if self.offset + len(items) < total:
            url = self.request.url.include_query_params(
                limit=self.limit, offset=self.offset + self.limit
            )
            following = f"{url.path}?{url.query}"
        return Page[T](
            items=items, total=total, limit=self.limit, offset=self.offset, next=following
        )


def paging(default: int) -> Callable[..., Paging]:
    """The dependency of a list route whose pages hold ``default`` items unless asked."""

    def paged(
        request: Request,
        limit: Annotated[
            int, Query(ge=1, le=MAX_LIMIT, description=f"items per page (1 to {MAX_LIMIT})")
        ] = default,
        offset: Annotated[
            int, Query(ge=0, le=MAX_OFFSET, description="items to skip (0 or more)")
        ] = 0,
    ) -> Paging:
        return Paging(request, limit, offset)

    return paged
