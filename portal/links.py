"""Object URLs without a reverse() per row: each named pattern is reversed once and reused.

A list of a thousand rows would otherwise resolve the URL configuration a
thousand times. The cache is keyed by the URL configuration and the script
prefix in force, so a test's override or a deployment under a sub-path is
respected.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "0000000000"


@lru_cache(maxsize=256)
def _split(name: str, keyword: str, urlconf, prefix: str) -> tuple[str, str]:
    head, _, tail = reverse(name, kwargs={keyword: _MARK}, urlconf=urlconf).partition(_MARK)
    return head, tail


def url_with(name: str, *, keyword: str = "pk", value) -> str:
    """reverse(name, kwargs={keyword: value}) for a pattern with one argument, at the cost of a join."""
    head, tail = _split(name, keyword, get_urlconf(), get_script_prefix())
    return f"{head}{value}{tail}"
