"""Proof that a page's number of queries does not grow with its rows (no N+1)."""

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_constant_queries(client, url: str, *, grow: Callable[[], None]) -> int:
    """Loads `url` with one and with three rows and asserts the same number of queries.

    `grow` adds one row to what the page lists; it is called once before the
    first load and twice more before the second (the pretalx convention).
    Returns the number of queries, so a test can also pin it. Each load starts
    with an empty cache (shared reads, rendered feeds): what is counted is
    the page's work when nothing is cached.
    """
    grow()
    # The first request of a session does one-off work (session bookkeeping, caches).
    _queries_of(client, url)
    small = _queries_of(client, url)
    grow()
    grow()
    large = _queries_of(client, url)
    assert len(large) == len(small), (
        f"{url}: {len(small)} queries with one row but {len(large)} with three:\n" + "\n".join(large)
    )
    return len(small)


def _queries_of(client, url: str) -> list[str]:
    # Counted with nothing cached (the shared reads of portal/readcache.py, rendered feeds):
    # the bound must hold when the cache misses.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return [query["sql"] for query in captured.captured_queries]
