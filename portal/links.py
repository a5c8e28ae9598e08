"""Object URLs without a reverse() per row: each named pattern is reversed once and reused.

A list of a thousand rows would otherwise resolve the URL configuration a
thousand times. The cache is keyed by the URL configuration and the script
prefix in force, so a test's override or a deployment under a sub-path is
respected. Only for arguments that need no quoting in a path (ids, slugs).
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=256)
def _template(name: str, keywords: tuple[str, ...], urlconf, prefix: str) -> str:
    # Digits fit the int and slug converters alike; ten of them appear in no pattern's fixed text.
    marks = {keyword: f"{index + 1:010d}" for index, keyword in enumerate(keywords)}
    url = reverse(name, kwargs=marks, urlconf=urlconf).replace("{", "{{").replace("}", "}}")
    for keyword, mark in marks.items():
        url = url.replace(mark, "{" + keyword + "}")
    return url


def url_for(name: str, **values) -> str:
    """reverse(name, kwargs=values) at the cost of a str.format."""
    return _template(name, tuple(values), get_urlconf(), get_script_prefix()).format(**values)
