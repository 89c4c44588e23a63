"""Pages: limit 1 to 1000 and offset 0 or more, 422 otherwise (limit=0 and limit=-1 each
used to answer one item, offset=-5 was taken); every page says the total and the next
page's URL, which keeps the request's other parameters, and the last page's is null."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from service.api.errors import install_error_handlers
from service.api.pagination import MAX_LIMIT, Page, Paging, paging
from tests.service.api.test_errors import one

ITEMS = list(range(25))


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things", response_model=Page[int])
    def things(paged: Annotated[Paging, Depends(paging(10))], odd: bool = False) -> Page[int]:
        chosen = [i for i in ITEMS if i % 2] if odd else ITEMS
        return paged.page(chosen[paged.offset : paged.offset + paged.limit], len(chosen))

    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize(
    "query,loc",
    [
        ("limit=0", ["query", "limit"]),
        ("limit=-1", ["query", "limit"]),
        (f"limit={MAX_LIMIT + 1}", ["query", "limit"]),
        ("limit=ten", ["query", "limit"]),
        ("offset=-5", ["query", "offset"]),
        ("offset=99999999999999999999999", ["query", "offset"]),
    ],
)
def test_a_limit_or_offset_out_of_range_is_a_422(client, query, loc):
    r = client.get(f"/things?{query}")
    assert r.status_code == 422 and one(r)["loc"] == loc


def test_pages_give_the_total_and_the_next_url_until_the_last(client):
    first = client.get("/things").json()
    assert first == {
        "items": list(range(10)),
        "total": 25,
        "limit": 10,
        "offset": 0,
        "next": "/things?limit=10&offset=10",
    }
    seen, url = [], "/things?limit=7"
    while url is not None:
        page = client.get(url).json()
        assert page["total"] == 25 and page["limit"] == 7
        seen += page["items"]
        url = page["next"]
    assert seen == ITEMS  # every item once, in order
    odd = client.get("/things?odd=true&limit=5&offset=5").json()
    assert odd["items"] == [11, 13, 15, 17, 19] and odd["total"] == 12
    assert odd["next"] == "/things?odd=true&limit=5&offset=10"
    assert client.get("/things?limit=1000").json()["next"] is None
    beyond = client.get("/things?offset=30").json()
    assert beyond["items"] == [] and beyond["next"] is None and beyond["total"] == 25
