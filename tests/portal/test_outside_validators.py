"""Validators nobody here wrote: the Nu Html Checker (vnu.jar) over pages of every kind, and Jing with
RFC 4287's RELAX NG schema over the Atom feeds.

`make test` installs both (the Makefile's `validator-deps`: Java from Debian, vnu.jar from npm; Jing is
inside vnu.jar). Each checker starts its JVM once for all documents: a start costs seconds.
"""

import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import path as route

from groups.models import Document, InformationPage, Question, Space, Thread, User
from groups.spaces import FACHGRUPPE_SLUG
from meetings.models import Minutes
from portal import urls as portal_urls
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from projects.models import Project
from tests.public_pages import PUBLIC_PATHS
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

VNU_JAR = Path(
    os.environ.get("VNU_JAR", Path(settings.BASE_DIR) / ".tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)
# C1 only: the checker runs a few seconds, too short for the optimising compiler to pay off (a third of
# the CPU time); C1's frames are larger, so the stack vnu asks for (at least 512k) gets room to spare.
JVM_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1"]
JING = "nu.validator.vendor.thaiopensource.relaxng.util.Driver"  # Jing, as vnu.jar bundles it
ATOM_SCHEMA = Path(__file__).parent.parent / "schemas" / "atom.rnc"
ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_FEEDS = ["/informationen/atom/", "/projects/atom/"]
DEMO_PASSWORD = "demo-Handwerk-2026"
SIGNED_IN = {"partner": "partner@example.org", "coordinator": "koordination@example.org"}
# A fragment is no document: the checker gets it inside the least a document needs, so that it judges
# the fragment's own markup (nesting, attributes, duplicate ids within it). List items, which htmx swaps
# into the page's list, get a list around them.
FRAGMENT_SHELL = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Fragment</title></head>'
    "<body>%s</body></html>"
)


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("planted for the 500 page")


# The portal's own routes and handlers, plus two views that fail the way a real one may.
handler404 = portal_urls.handler404
urlpatterns = [
    route("validator/forbidden/", forbidden),
    route("validator/broken/", broken),
    *portal_urls.urlpatterns,
]


@pytest.fixture
def java() -> str:
    """The java that runs vnu.jar. Missing in CI, the test fails; elsewhere it skips and says why."""
    binary = shutil.which("java")
    missing = None
    if binary is None:
        missing = "java is not installed (make test installs default-jre-headless)"
    elif not VNU_JAR.is_file():
        missing = f"{VNU_JAR} is missing (make test installs it from npm)"
    if missing is None:
        return binary
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(missing)
    pytest.skip(missing)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo portal: every kind of content, in the states a visitor meets (on the two spaces of the
    migration, which a transactional test before may have flushed). Seeded once for both checkers, who
    only read it, in a transaction that is rolled back after them; each test's own writes are rolled
    back to a savepoint inside it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        well_known_spaces()
        call_command("seed_demo", password=DEMO_PASSWORD, force=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def representative_pages() -> dict[str, list[str]]:
    fachgruppe = Space.objects.get(slug=FACHGRUPPE_SLUG)
    space = f"/spaces/{fachgruppe.slug}"
    information = InformationPage.objects.exclude(published_at=None).first().get_absolute_url()
    project = Project.objects.filter(status=Project.Status.ACCEPTED).first().get_absolute_url()
    meeting = f"/meetings/{Minutes.objects.filter(status=Minutes.Status.PUBLISHED).first().meeting_id}/"
    thread = Thread.objects.filter(space=fachgruppe).first().get_absolute_url()
    document = Document.objects.filter(space=fachgruppe).first().get_absolute_url()
    question = Question.objects.first().get_absolute_url()
    return {
        "anonymous": [*PUBLIC_PATHS, information, project, "/suche/?q=Ausbildung"],
        "partner": [
            "/",
            "/mein-ueberblick/",
            f"{space}/",
            f"{space}/threads/",
            thread,
            f"{space}/threads/new/",
            "/meetings/",
            meeting,
            project,
            "/notifications/",
            "/notifications/preferences/",
            "/profile/",
            "/suche/?q=Ausbildung",
            f"{space}/documents/",
            document,
            information,
            "/meetings/tasks/",
            "/projects/neu/",
            "/projects/meine/",
            "/fragen/neu/",
            "/profile/api-zugaenge/",
            "/konto/daten/",
            "/accounts/email/",
            "/accounts/sessions/",
        ],
        "coordinator": [
            "/",
            f"{space}/",
            f"{space}/members/",
            meeting,
            f"{meeting}minutes/",
            "/meetings/new/",
            project,
            "/projects/pruefung/",
            "/informationen/neu/",
            "/notifications/",
            f"/auswertung/{fachgruppe.slug}/",
            f"{space}/requests/",
            f"{meeting}edit/",
            f"{meeting}minutes/history/",
            "/fragen/",
            question,
            "/accounts/2fa/",
            "/aktivitaetsprotokoll/",
        ],
    }


def error_pages() -> dict[str, bytes]:
    """The error pages as people get them, DEBUG off, through the portal's middleware and handlers."""
    pages = {}
    for who, client in {"anonymous": Client(), "partner": Client()}.items():
        if who in SIGNED_IN:
            client.force_login(User.objects.get(email=SIGNED_IN[who]))
        pages[f"{who} 404"] = expect(client.get("/gibt-es-nicht/"), 404)
        pages[f"{who} 403"] = expect(client.get("/validator/forbidden/"), 403)
    pages["anonymous 403 CSRF"] = expect(
        Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x", "password": "y"}), 403
    )
    pages["anonymous 500"] = expect(Client(raise_request_exception=False).get("/validator/broken/"), 500)
    return pages


def fragments() -> dict[str, bytes]:
    """What htmx swaps in (requests with HX-Request: true), each from a view that answers with a partial."""
    htmx = {"HTTP_HX_REQUEST": "true"}
    partner = User.objects.get(email=SIGNED_IN["partner"])
    coordinator = User.objects.get(email=SIGNED_IN["coordinator"])
    notification = Notification.objects.create(
        user=partner,
        event=Event.objects.create(
            kind=Kind.THREAD_CREATED,
            audience=Event.Audience.PEOPLE,
            data={"actor": "Jonas Feldmann", "title": "Hitzeschutz auf Baustellen", "url": "/"},
        ),
    )
    draft = Minutes.objects.filter(status=Minutes.Status.DRAFT).first().meeting_id
    found = {}
    client = Client()
    found["anonymous projects, filtered"] = expect(client.get("/projects/?q=Ausbildung", **htmx), 200)
    found["anonymous projects, nothing found"] = expect(client.get("/projects/?q=zzzzzz", **htmx), 200)
    client.force_login(partner)
    found["partner badge"] = expect(client.get("/notifications/count/", **htmx), 200)
    found["partner data exports"] = expect(client.get("/konto/daten/", **htmx), 200)
    found["partner markdown preview"] = expect(
        client.post(
            "/markdown/vorschau/",
            {"markdown_preview": "body", "body": "# Titel\n\n*Hitzeschutz* mit [Link](https://example.org)"},
            **htmx,
        ),
        200,
    )
    marked_read = expect(client.post(notification.mark_read_url, **htmx), 200).decode()
    found["partner notification marked read"] = re.sub(
        r"(<li\b.*</li>)", r"<ul>\1</ul>", marked_read, flags=re.DOTALL
    ).encode()
    client.force_login(coordinator)
    found["coordinator minutes autosave"] = expect(
        client.post(f"/meetings/{draft}/minutes/autosave/", {"section": "introduction"}, **htmx), 200
    )
    return {who: (FRAGMENT_SHELL % body.decode()).encode() for who, body in found.items()}


def expect(response, status: int) -> bytes:
    assert response.status_code == status, f"{response.request['PATH_INFO']}: {response.status_code}"
    return response.content


@pytest.mark.urls(__name__)
def test_the_nu_html_checker_accepts_the_portals_pages(java, client, demo, tmp_path):
    pages = {}
    for who, paths in representative_pages().items():
        client.logout()
        if who in SIGNED_IN:
            client.force_login(User.objects.get(email=SIGNED_IN[who]))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, f"{who} {path}: {response.status_code}"
            if who == "anonymous":
                # Search engines show it under the title; the checker does not ask for it.
                assert (
                    len(re.findall(rb'<meta name="description" content="[^"]{40,}">', response.content)) == 1
                ), path
            file = tmp_path / f"{len(pages):02d}.html"
            file.write_bytes(response.content)
            pages[file.name] = f"{who} {path}"
    for name, content in {**error_pages(), **fragments()}.items():
        file = tmp_path / f"{len(pages):02d}.html"
        file.write_bytes(content)
        pages[file.name] = name

    run = subprocess.run(
        [
            java,
            *JVM_OPTIONS,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            *sorted(map(str, tmp_path.iterdir())),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert run.returncode in (0, 1), run.stderr
    errors = [
        f"{pages[message['url'].rsplit('/', 1)[-1]]}, line {message.get('lastLine')}: {message['message']}"
        for message in json.loads(run.stderr)["messages"]
    ]
    assert not errors, "\n".join(errors)


def test_the_atom_feeds_are_valid_rfc_4287_with_addresses_from_site_url(
    java, client, demo, settings, tmp_path
):
    settings.SITE_URL = "https://portal.example.org"
    feeds = {}
    for path in ATOM_FEEDS:
        # A feed reader may reach the portal by another name; ids and links must not follow it.
        response = client.get(path, HTTP_HOST="mirror.example.net")
        assert response.status_code == 200
        file = tmp_path / f"{len(feeds)}.xml"
        file.write_bytes(response.content)
        feeds[path] = response.content

    run = subprocess.run(
        [
            java,
            *JVM_OPTIONS,
            "-cp",
            str(VNU_JAR),
            JING,
            "-c",
            str(ATOM_SCHEMA),
            *sorted(map(str, tmp_path.iterdir())),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    report = run.stdout + run.stderr
    for number, path in enumerate(feeds):
        report = report.replace(str(tmp_path / f"{number}.xml"), path)
    assert run.returncode == 0, f"Jing against RFC 4287's schema:\n{report}"
    for path, document in feeds.items():
        assert beyond_the_schema(document, site=settings.SITE_URL) == [], path


def beyond_the_schema(document: bytes, *, site: str) -> list[str]:
    """RFC 4287's rules that its RELAX NG schema does not express (or leaves to Schematron)."""
    feed = ET.fromstring(document)  # noqa: S314 - the portal's own feed
    problems = []
    entries = feed.findall(f"{ATOM}entry")
    if not entries:
        problems.append("no entries to check")
    if feed.find(f"{ATOM}author") is None:
        problems += [
            f"entry {number} without an author, and the feed has none (4.1.1)"
            for number, entry in enumerate(entries, 1)
            if entry.find(f"{ATOM}author") is None
        ]
    # atom:id must be an absolute IRI (4.2.6); links are made absolute here so that readers need no
    # xml:base, and both from SITE_URL, whatever Host the request named.
    addresses = [element.text for element in feed.iter(f"{ATOM}id")]
    addresses += [link.get("href") for link in feed.iter(f"{ATOM}link")]
    problems += [f"{address} is not on {site}" for address in addresses if not address.startswith(f"{site}/")]
    return problems
