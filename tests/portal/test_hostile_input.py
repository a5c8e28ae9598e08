"""Hostile input never makes the portal fail: every URL of the URL configuration, with hostile
values in every path segment and in every query parameter the portal reads, answers below 500;
unknown methods are refused everywhere and HEAD is answered wherever GET is.

The routes come from the URL configuration itself (named or not, with converters or regular
expressions), so a new URL is fuzzed without anyone adding it here. Where the permission matrix
knows a real address of a route (objects of the innermost ring), the fuzzing starts from it, so
hostile values reach the views behind every valid segment; other routes are filled with sample
values. The Django admin is sampled with one model: its URLs repeat per model.
"""

import random
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import get_converters
from django.urls.resolvers import RegexPattern

from groups.forms_questions import InformationFilterForm, QuestionFilterForm
from groups.spaces import FACHGRUPPE_SLUG
from projects.forms_catalogue import CatalogueFilterForm
from tests.test_permissions_matrix import cases, world  # noqa: F401 - `world` is a fixture

pytestmark = pytest.mark.django_db

# Percent-encoded as they would arrive: NUL, a quote, a way up, far too long, negative, beyond
# any integer column, a byte that is no UTF-8, an emoji.
HOSTILE = [
    "%00",
    "%27",
    "../",
    "..%2F..%2F",
    "x" * 5000,
    "-1",
    "99999999999999999999",
    "%ff",
    "%F0%9F%98%80",
]
HOSTILE_QUERY = [*HOSTILE, "%0A%1B", "9999-12", "0001-01", "0", "1e9"]

# What the portal reads from request.GET (grep request.GET, the filter forms), view by view; each
# parameter alone, so that one invalid value cannot hide another (an invalid filter form ignores
# all its fields).
_QUESTIONS = [*QuestionFilterForm.base_fields, "seite"]
_INFORMATION = [*InformationFilterForm.base_fields, "seite"]
_CATALOGUE = [*CatalogueFilterForm.base_fields, "seite"]
READERS = {
    "meetings:list": ["space"],
    "meetings:search": ["q"],
    "meetings:calendar": ["month"],
    "notifications:list": ["page"],
    "questions:list": _QUESTIONS,
    "information:list": _INFORMATION,
    "information:feed_rss": _INFORMATION,
    "projects:list": _CATALOGUE,
    "projects:feed_atom": _CATALOGUE,
    "projects:detail": ["ansicht"],
}
# Sent all at once, with one of the hostile values, to every route: what a probe tries anywhere.
QUERY_PARAMETERS = sorted(
    {"month", "q", "space", "page", "seite", "ansicht", "sort", "next", "format", "id"}
    | set(_QUESTIONS)
    | set(_INFORMATION)
    | set(_CATALOGUE)
)

ADMIN_SAMPLE_MODEL = "admin/groups/space/"
SAMPLES = {"int": "1", "slug": FACHGRUPPE_SLUG, "str": "x", "path": "x", "token": "x"}
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


@dataclass(frozen=True)
class Route:
    name: str | None
    template: str  # "/spaces/<slug:slug>/threads/<int:pk>/", regular expressions as they are

    @property
    def path(self) -> str:
        """A path that the route matches, with a sample value for each converter or group."""
        path = _REGEX_GROUP.sub("1-x", self.template).replace("^", "").replace("$", "").replace("\\", "")
        return _CONVERTER.sub(lambda m: SAMPLES[m["converter"] or "str"], path)

    def segment_patterns(self) -> dict[int, re.Pattern | None]:
        """What each segment that carries a value accepts; None where a regular expression decides."""
        patterns = {}
        for index, segment in enumerate(self.template.split("/")):
            if "(?P<" in segment:
                patterns[index] = None
            elif "<" in segment:
                parts = _CONVERTER.split(segment)  # literal, converter, name, literal, ...
                regex = "".join(
                    re.escape(part) if i % 3 == 0 else get_converters()[part or "str"].regex
                    for i, part in enumerate(parts)
                    if i % 3 != 2
                )
                patterns[index] = re.compile(regex)
        return patterns


def _routes(resolver: URLResolver | None = None, prefix: str = "/", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        template = prefix + _template(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += _routes(pattern, template, inner)
        elif isinstance(pattern, URLPattern):
            routes.append(Route(namespace + pattern.name if pattern.name else None, template))
    return routes


def _template(pattern) -> str:
    return pattern._regex if isinstance(pattern, RegexPattern) else str(pattern)


def sampled_routes() -> list[Route]:
    """Every route, the admin's per-model routes of one model only, each path once."""
    admin_model = re.compile(r"^/admin/(?!r/)[a-z_]+/[a-z_]+/")
    seen, routes = set(), []
    for route in _routes():
        if admin_model.match(route.path) and not route.path.startswith("/" + ADMIN_SAMPLE_MODEL):
            continue
        if route.path not in seen:
            seen.add(route.path)
            routes.append(route)
    return routes


@dataclass(frozen=True)
class Target:
    route: Route
    address: str
    method: str


@pytest.fixture
def targets(world) -> list[Target]:  # noqa: F811 - the matrix's fixture
    """Where each route is fuzzed from: the matrix's real address and method where it knows the
    route (objects of the innermost ring), the route's sample path by GET otherwise."""
    known = cases(world)
    return [
        Target(route, known[route.name].path, known[route.name].method)
        if route.name in known
        else Target(route, route.path, "get")
        for route in sampled_routes()
    ]


@pytest.fixture
def visitors(inner_member) -> dict[str, Client]:
    member = Client(raise_request_exception=False)
    member.force_login(inner_member)
    return {"anonymous": Client(raise_request_exception=False), "member": member}


def _as_resolved(value: str) -> str:
    """The value as the URL resolver sees it: decoded, invalid UTF-8 kept percent-encoded."""
    try:
        return unquote_to_bytes(value).decode()
    except UnicodeDecodeError:
        return value.upper()


def _hostile_paths(target: Target, rng: random.Random) -> set[str]:
    """Hostile values in each segment that carries a value: every one its converter accepts
    (those reach the view) and one it refuses; one fixed word of the route replaced too. Refused
    values and replaced words only ever reach the resolver, and all alike: a sample does."""
    segments = target.address.split("?")[0].split("/")
    template = target.route.template.split("/")
    patterns = target.route.segment_patterns() if len(segments) == len(template) else {}
    words = [i for i, segment in enumerate(segments) if segment and i not in patterns]
    paths = set()
    for index in patterns.keys() | set(rng.sample(words, min(1, len(words)))):
        if patterns.get(index) is not None:
            # The value in place of the converter; what surrounds it ("<token>.ics") stays.
            candidates = [_CONVERTER.sub(lambda _m, v=v: v, template[index]) for v in HOSTILE]
            accepted = [c for c in candidates if patterns[index].fullmatch(_as_resolved(c))]
            refused = [c for c in candidates if c not in accepted]
            values = accepted + rng.sample(refused, min(1, len(refused)))
        elif index in patterns:
            values = HOSTILE
        else:
            values = rng.sample(HOSTILE, 1)
        paths |= {"/".join([*segments[:index], value, *segments[index + 1 :]]) for value in values}
    return paths


def _failures(client: Client, urls, method: str = "get") -> list[str]:
    failures = []
    for url in sorted(urls):
        response = getattr(client, method)(url)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url[:120]} → {response.status_code}")
    return failures


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_hostile_path_segments_never_answer_5xx(targets, visitors, who):
    client, rng = visitors[who], random.Random(10)
    urls = {"get": set(), "post": set()}
    for target in targets:
        # Views that refuse GET read their path values only on POST: those are sent by POST.
        urls[target.method] |= _hostile_paths(target, rng)

    failures = _failures(client, urls["get"]) + _failures(client, urls["post"], "post")

    assert len(urls["get"]) > 300
    assert len(urls["post"]) > 100
    assert failures == []


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_hostile_query_values_never_answer_5xx(targets, visitors, who):
    client, rng = visitors[who], random.Random(10)
    readers = {t.route.name: t.address for t in targets if t.route.name in READERS}
    urls = set()
    for name, address in readers.items():
        separator = "&" if "?" in address else "?"
        # Each parameter with five of the hostile values (the probe's own cases are tested below).
        urls |= {
            f"{address}{separator}{key}={value}"
            for key in READERS[name]
            for value in rng.sample(HOSTILE_QUERY, 5)
        }
    for target in targets:
        if target.method == "get":
            separator = "&" if "?" in target.address else "?"
            value = rng.choice(HOSTILE_QUERY)
            urls.add(target.address + separator + "&".join(f"{key}={value}" for key in QUERY_PARAMETERS))

    failures = _failures(client, urls)

    assert sorted(readers) == sorted(READERS)
    assert failures == []


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/meetings/?space=%00", 400),
        ("/meetings/search/?q=a%00b", 400),
        ("/meetings/feed/%00.ics", 400),
        ("/invitations/%00/", 400),
        ("/notifications/unsubscribe/%00/", 400),
        ("/informationen/abonnement/bestaetigen/%00/", 400),
        ("/meetings/?space=a%1Bb", 400),
        ("/meetings/calendar/?month=9999-12", 404),
        ("/meetings/calendar/?month=0001-01", 404),
        ("/invitations/x%27%20OR%201=1/", 404),
        (f"/notifications/unsubscribe/{'a' * 65}/", 404),
        ("/meetings/feed/%ff.ics", 404),
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_probes_findings_answer_the_portals_own_error_page(visitors, who, url, status):
    response = visitors[who].get(url)

    assert response.status_code == status
    heading = {400: "<h1>Ungültige Anfrage</h1>", 404: "<h1>Seite nicht gefunden</h1>"}[status]
    assert heading in response.content.decode()


def test_the_error_page_speaks_the_visitors_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/meetings/?space=%00")

    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert "Ungültige Anfrage" not in response.content.decode()


def test_a_line_break_in_a_search_is_an_ordinary_search(client, db):
    assert client.get("/meetings/search/?q=Konzept%0Aentwurf").status_code == 200


def test_the_calendar_shows_its_first_and_last_month_without_links_beyond(client, db):
    first = client.get("/meetings/calendar/?month=2000-01").content.decode()
    last = client.get("/meetings/calendar/?month=2099-12").content.decode()

    assert "?month=2000-02" in first
    assert "?month=1999-12" not in first
    assert "?month=2099-11" in last
    assert "?month=2100-01" not in last


OTHER_METHODS = ["PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "PROPFIND", "BREW"]


def test_methods_other_than_get_head_and_post_are_refused_everywhere(targets, visitors):
    """TRACE on every route for both visitors; the other methods take turns over the routes."""
    sent = [(who, "TRACE", target.address) for who in visitors for target in targets]
    sent += [("anonymous", OTHER_METHODS[i % 7], target.address) for i, target in enumerate(targets)]
    failures = [
        f"{who} {method} {address}: {status}"
        for who, method, address in sent
        if (status := visitors[who].generic(method, address).status_code) != 405
    ]

    assert failures == []
    response = visitors["anonymous"].generic("TRACE", "/")
    assert response["Allow"] == "GET, HEAD, POST"
    assert response.content == b""


def test_head_answers_like_get_on_every_route(targets, visitors):
    """Every route, by turns as the anonymous visitor and as the member."""
    differences = []
    for i, target in enumerate(targets):
        who = ("anonymous", "member")[i % 2]
        head = visitors[who].head(target.address)
        get = visitors[who].get(target.address)
        body = b"".join(head.streaming_content) if head.streaming else head.content
        if head.status_code != get.status_code:
            differences.append(f"{who} {target.address}: HEAD {head.status_code}, GET {get.status_code}")
        elif body:
            differences.append(f"{who} {target.address}: HEAD has a body")

    assert differences == []
