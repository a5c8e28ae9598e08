"""Property: whatever is created in the inner space stays invisible outside it.

Hypothesis invents inner content of every kind (threads, replies, documents,
comments, a meeting with its agenda, minutes, decisions and action items, an
information draft, a project under review, a showcase project of the
Fachgruppe put on the inner meeting's agenda) with arbitrary text. Questions
have no inner kind (every question is brought to the Fachgruppe and is seen by
its ring): their list and page are among the channels that must not move. For each
person outside the inner ring (an anonymous visitor, a guest with or without a
pending request, an unverified sign-up, a partner of the Fachgruppe only, a
coordinator of the Fachgruppe only, a deactivated former coordinator of both) every channel must look
exactly as it did before: the pages, lists and counts they can reach, the
meeting search, the portal-wide search, the showcase catalogue and the review queue, the RSS/Atom
and ICS feeds, the notification centre, the audit log and its export, the Fachgruppe's figures, their
CSV tables and the activity report (its page and the text of its PDF), the API read
with a personal token as well as with the session, the archive of the person's data
export as the worker builds it, and the mails, immediate and digests, after the outbox has been
delivered as the worker would.

A project under review is at home in the Fachgruppe (every project is) and belongs to the review
queue of its coordinators (groups.access: until accepted, its submitter's and the home space's
coordinators' only), so its submission, by an inner member, comes first: for everyone else it
changes nothing either; for the coordinator of the Fachgruppe only it opens the project's pages and
changes exactly their review queue (`_review_queue`: the queue, their notifications, the unread count
in every page's header, one mail, their search, the Fachgruppe's figures and their data export), and
what the inner content then adds changes nothing they see, not even there.

Each example builds the inner content once and looks at it as every person outside; what they
saw before is read once, for the world every example starts from (each rolls back what it made,
and every look happens at the same moment of the clock).
"""

import datetime
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from api import tokens
from groups import information, questions, services
from meetings import minutes
from meetings import services as meetings
from meetings.models import CalendarToken, Meeting
from portal.notifications import delivery, digests
from portal.notifications.kinds import DIGEST_CHANNELS
from portal.notifications.models import Event
from privacy import builds
from privacy import services as privacy
from projects import services as projects
from reports import selectors as reports
from reports.models import ActivityReport
from tests.factories.meetings import MeetingFactory
from tests.factories.projects import ProjectFactory, accepted

OUTSIDE_ROLES = [
    "anonymous",
    "outsider",
    "unverified",
    "requester",
    "partner",
    "fachgruppe_coordinator",
    "deactivated",
]
# The coordinator of the Fachgruppe only reviews its projects: a project under review is theirs to see.
REVIEWER = "fachgruppe_coordinator"

words = st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x24F), min_size=4, max_size=12)

# Tokens, nonces and the moment a feed or calendar was built (an empty feed is dated "now") change on
# every response; nothing else may. The items' own dates stay in the comparison.
VOLATILE = [
    re.compile(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"'),
    re.compile(r"^DTSTAMP:.*$", re.MULTILINE),
    # The calendar's own UID is drawn afresh for every file (icalendar's Calendar.new); the meetings'
    # UIDs are "meeting-<id>@host" and stay compared.
    re.compile(r"^UID:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\r?$", re.MULTILINE),
    re.compile(r"<lastBuildDate>[^<]*</lastBuildDate>"),
]
# The Atom feed's own <updated>, the first in the document (each entry has its own after it).
FEED_UPDATED = re.compile(r"<updated>[^<]*</updated>")
DATA_EXPORT = "data export"
UNREAD_COUNT = "/notifications/count/"


@dataclass
class View:
    """One person outside and how they look: their session, their API token, their calendar feed."""

    role: str
    person: object
    client: Client
    token_client: Client | None
    calendar_token: str | None


def _channels(world, view) -> list[str]:
    fachgruppe, inner = world["fachgruppe"].slug, world["inner"].slug
    month, marker = world["month"], world["marker"]
    channels = [
        "/",
        "/spaces/",
        f"/spaces/{fachgruppe}/",
        f"/spaces/{fachgruppe}/threads/",
        f"/spaces/{fachgruppe}/documents/",
        f"/spaces/{fachgruppe}/members/",
        f"/spaces/{inner}/",
        f"/spaces/{inner}/threads/",
        f"/spaces/{inner}/documents/",
        # "@" completion: the names of the ring, never more once inner content exists.
        f"/spaces/{fachgruppe}/mentions/?q=a",
        f"/spaces/{inner}/mentions/?q=a",
        # Meetings: lists, the month, the search (for the invented text too), a meeting of the Fachgruppe.
        "/meetings/",
        f"/meetings/?space={fachgruppe}",
        f"/meetings/calendar/?month={month}",
        f"/meetings/search/?q={marker}",
        "/meetings/search/?q=Sitzung",
        f"/meetings/{world['outer_meeting'].pk}/",
        f"/meetings/{world['outer_meeting'].pk}/ics/",
        "/meetings/tasks/",
        # Questions and information.
        "/fragen/",
        world["question"].get_absolute_url(),
        "/informationen/",
        f"/informationen/?q={marker}",
        "/informationen/feed/",
        "/informationen/atom/",
        # The showcase catalogue, its feeds, and a project the inner meeting takes up.
        "/projects/",
        f"/projects/?q={marker}",
        "/projects/feed/",
        "/projects/atom/",
        world["showcase_project"].get_absolute_url(),
        "/projects/meine/",
        # The review queue: the Fachgruppe's coordinators' (for everyone else it does not exist).
        "/projects/pruefung/",
        # The API, read with the session and again with the person's token (_snapshot).
        "/api/v1/projects",
        f"/api/v1/projects?q={marker}",
        "/api/v1/information",
        "/api/v1/meetings",
        "/api/v1/spaces",
        "/api/v1/threads",
        "/api/v1/documents",
        "/api/v1/action-items",
        f"/api/v1/meetings/{world['outer_meeting'].pk}",
        f"/api/v1/projects/{world['showcase_project'].slug}",
        "/einbetten/projekte/",
        "/einbetten/informationen/",
        # The portal-wide search: the invented text, words every inner kind carries, and a facet.
        f"/suche/?q={marker}",
        "/suche/?q=Sitzung",
        "/suche/?q=Beschluss",
        "/suche/?q=Aufgabe",
        f"/suche/?q={marker}&art=protokolle&raum={inner}",
        # The notification centre and its count.
        "/notifications/",
        "/notifications/count/",
        # Exports and reports: the audit log and its CSV, the Fachgruppe's figures and activity report,
        # the person's own data export page.
        "/aktivitaetsprotokoll/",
        "/aktivitaetsprotokoll/export/",
        f"/auswertung/{fachgruppe}/",
        *(f"/auswertung/{fachgruppe}/{table}.csv" for table in reports.SECTIONS),
        f"/auswertung/{fachgruppe}/taetigkeitsbericht/{world['starts_at'].year}/",
        f"/auswertung/{fachgruppe}/taetigkeitsbericht/{world['starts_at'].year}.pdf",
        "/konto/daten/",
    ]
    if view.calendar_token:
        channels.append(f"/meetings/feed/{view.calendar_token}.ics")
    return channels


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != 200:
        return ""
    if response["Content-Type"] == "application/pdf":
        # The file carries its moment of rendering and ids; its text is what a reader sees.
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode()


def _snapshot(view: View, world, *, extra=(), only=None) -> dict[str, tuple[int, str]]:
    """Every channel (or those in `only`) and the pages in `extra` as `view` sees it, at the world's
    moment."""
    pages = {}
    with time_machine.travel(world["now"], tick=True):
        for path in [*_channels(world, view), *extra]:
            if only is not None and path not in only and path not in extra:
                continue
            response = view.client.get(path)
            text = _text(response)
            if path.endswith(".pdf"):
                # The report is rendered on this first look and stored; a stored one would be served
                # as it was, and the report's page would tell of it: the next look renders it afresh.
                ActivityReport.objects.all().delete()
            for volatile in VOLATILE:
                text = volatile.sub("", text)
            text = FEED_UPDATED.sub("", text, count=1)
            pages[path] = (response.status_code, text)
            if view.token_client is not None and path.startswith("/api/"):
                response = view.token_client.get(path)
                pages[f"{path} (token)"] = (response.status_code, _text(response))
        if only is None or DATA_EXPORT in only:
            pages[DATA_EXPORT] = (200, _data_export(view.person))
    return pages


def _data_export(person) -> str:
    """The archive the person would download, built as the worker builds it; the build (its row,
    its audit entry, its mail) is undone, so the other channels stay as they were."""
    if not person.is_authenticated:
        return ""
    mails = list(mail.outbox)
    with transaction.atomic():
        data_export = privacy.export_request(person=person)
        assert builds.export_build(data_export.pk)
        data_export.refresh_from_db()
        with data_export.file.open("rb") as stored:
            archive = zipfile.ZipFile(io.BytesIO(stored.read()))
        transaction.set_rollback(True)
    mail.outbox[:] = mails
    contents = []
    for name in sorted(archive.namelist()):
        text = archive.read(name).decode(errors="replace")
        if name == "daten.json":
            # Only the moment of the build differs between two builds of the same data.
            data = json.loads(text)
            data.pop("export")
            text = json.dumps(data, ensure_ascii=False, indent=0)
        contents.append(f"{name}\n{text}")
    return "\n".join(contents)


def _deliver_outbox(views=()) -> None:
    """What the workers do: every pending event dispatched, the immediate mails sent, and the digests
    of the people in `views`."""
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)
    for view in views:
        if view.person.is_authenticated:
            for channel in DIGEST_CHANNELS:
                digests.send_digest(channel=channel, user_id=view.person.pk)


def _answer(response) -> str:
    if response.status_code == 302:
        return f"302 {response['Location'].split('?')[0]}"
    return str(response.status_code)


def _mails_to(person) -> list[str]:
    if not person.is_authenticated:
        return []
    return [f"{message.subject}\n{message.body}" for message in mail.outbox if person.email in message.to]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(fachgruppe, inner, inner_member, coordinator, requester):
    outer_meeting = MeetingFactory(space=fachgruppe, title="Fachgruppentreffen im Herbst")
    showcase_project = accepted(ProjectFactory(title="Praxistage im Handwerk"), by=coordinator)
    question = questions.question_submit(
        asker=requester, title="Wie finden Betriebe Auszubildende?", body="Eine Frage der AG Transfer."
    )
    # Begun an hour ago, so that its minutes may be written (and, once it is marked held, published).
    starts_at = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    return {
        "fachgruppe": fachgruppe,
        "inner": inner,
        "inner_member": inner_member,
        "coordinator": coordinator,
        "outer_meeting": outer_meeting,
        "showcase_project": showcase_project,
        "question": question,
        "starts_at": starts_at,
        "month": starts_at.strftime("%Y-%m"),
        # One invented text for every example: each rolls back what it made, so none finds another's.
        "marker": f"innen{uuid.uuid4().hex}",
    }


class Outside:
    """The people outside the inner ring and what each of them sees of the world every example
    starts from (each example rolls back what it made)."""

    def __init__(self, views: dict[str, View], before: dict[str, dict[str, tuple[int, str]]]):
        self.views, self.before = views, before

    def __repr__(self) -> str:  # Hypothesis prints the fixtures of a failing example
        return f"Outside({', '.join(self.views)})"


@pytest.fixture
def outside(request, world) -> Outside:
    """Every person outside the inner ring, signed in where they can be, with a calendar feed and an
    API token each, and what they see once the world's outbox is delivered."""
    views = {}
    for role in OUTSIDE_ROLES:
        person = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
        client = Client()
        calendar_token = api_secret = None
        if person.is_authenticated:
            client.force_login(person)
            calendar_token = CalendarToken.objects.create(user=person).token
            api_secret = tokens.token_create(user=person, name="Skript")[1]
        token_client = Client(HTTP_AUTHORIZATION=f"Bearer {api_secret}") if api_secret else None
        views[role] = View(role, person, client, token_client, calendar_token)
    # The world's own notices, digests too, are out before anyone looks.
    _deliver_outbox(views.values())
    mail.outbox.clear()
    # Every look, before and in every example, happens at this moment ("gerade eben" stays so).
    world["now"] = timezone.now()
    return Outside(views=views, before={role: _snapshot(view, world) for role, view in views.items()})


def _submit_for_review(world, *, title: str, body: str):
    """An inner member submits a model project: it waits in the Fachgruppe coordinators' queue."""
    marker = world["marker"]
    project = ProjectFactory(
        submitted_by=world["inner_member"], title=f"{marker} {title}", summary=f"{marker} {body}"
    )
    projects.submit(project=project, by=world["inner_member"])
    return project


def _review_pages(project) -> list[str]:
    return [project.get_absolute_url(), f"{project.get_absolute_url()}pruefung/"]


def _review_queue(world) -> set[str]:
    """The channels a project under review changes for the coordinator of the Fachgruppe only: the
    queue, the notice of the submission and the unread count (which every page's header repeats), the
    portal-wide search (which finds projects under review for their reviewers), the Fachgruppe's
    figures (the review pipeline and the notice's mails) and the data export (the notice among their
    notifications)."""
    fachgruppe, inner, marker = world["fachgruppe"].slug, world["inner"].slug, world["marker"]
    return {
        "/projects/pruefung/",
        "/notifications/",
        UNREAD_COUNT,
        f"/suche/?q={marker}",
        f"/suche/?q={marker}&art=protokolle&raum={inner}",
        f"/auswertung/{fachgruppe}/",
        f"/auswertung/{fachgruppe}/projects.csv",
        f"/auswertung/{fachgruppe}/delivery.csv",
        DATA_EXPORT,
    }


UNREAD_BADGE = re.compile(r'<span id="notification-badge"[^>]*>\d+')


def _without_unread_count(seen: tuple[int, str]) -> tuple[int, str]:
    return seen[0], UNREAD_BADGE.sub('<span id="notification-badge">', seen[1])


def _create_inner_content(world, *, title: str, body: str, reply: str, with_document: bool) -> list[str]:
    """Creates the inner content and returns the addresses of what it made."""
    inner, author, coordinator = world["inner"], world["inner_member"], world["coordinator"]
    marker = world["marker"]
    made = []
    thread = services.thread_create(
        space=inner, author=author, title=f"{marker} {title}", body=f"{marker} {body}"
    )
    services.post_reply(thread=thread, author=author, body=f"{marker} {reply}")
    if with_document:
        document = services.document_create(
            space=inner,
            by=author,
            title=f"{marker} {title}",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"),
        )
        services.document_comment(document=document, author=author, body=f"{marker} {reply}")
        made.append(document.get_absolute_url())

    meeting = meetings.meeting_create(
        by=coordinator,
        space=inner,
        audience=inner,
        fields={
            "title": f"{marker} {title}",
            "kind": Meeting.Kind.SITZUNG,
            "starts_at": world["starts_at"],
            "ends_at": world["starts_at"] + datetime.timedelta(hours=2),
            "place": f"{marker} Raum",
            "description": f"{marker} {body}",
        },
    )
    meetings.participant_invite_account(meeting=meeting, by=coordinator, user=author)
    item = meetings.agenda_item_add(
        meeting=meeting,
        by=coordinator,
        # A question can only be taken up by a meeting of its own space (the Fachgruppe); a showcase
        # project by any: the project's public page must not learn of the inner meeting.
        fields={"title": f"{marker} {title}", "project": world["showcase_project"]},
    )
    meetings.agenda_publish(meeting=meeting, by=coordinator)
    minutes.minutes_edit(meeting=meeting, by=coordinator, introduction=f"{marker} {body}")
    minutes.agenda_item_discussion_edit(agenda_item=item, by=coordinator, discussion=f"{marker} {reply}")
    minutes.decision_add(agenda_item=item, by=coordinator, text=f"{marker} Beschluss {body}")
    minutes.action_item_add(
        meeting=meeting,
        by=coordinator,
        title=f"{marker} Aufgabe {title}",
        agenda_item=item,
        assignees=[author],
    )
    meetings.meeting_mark_held(meeting=meeting, by=coordinator)
    minutes.minutes_publish(meeting=meeting, by=coordinator)

    draft = information.information_draft_create(
        space=inner,
        by=author,
        title=f"{marker} {title}",
        summary=f"{marker} {body}",
        body=f"{marker} {reply}",
    )
    return [
        *made,
        f"/api/v1/threads/{thread.pk}",
        f"/api/v1/meetings/{meeting.pk}",
        f"/api/v1/information/{draft.slug}",
        thread.get_absolute_url(),
        meeting.get_absolute_url(),
        f"{meeting.get_absolute_url()}ics/",
        f"{meeting.get_absolute_url()}minutes.pdf",
        f"{meeting.get_absolute_url()}minutes/history/",
        draft.get_absolute_url(),
    ]


# No shrinking: an example builds a whole meeting, and the failing one is reported as generated.
@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=words, body=words, reply=words, with_document=st.booleans())
def test_inner_content_changes_nothing_outside(outside, world, title, body, reply, with_document):
    marker, views, before = world["marker"], outside.views, outside.before
    queue = _review_queue(world)
    with time_machine.travel(world["now"], tick=True), transaction.atomic():
        mail.outbox.clear()
        project = _submit_for_review(world, title=title, body=body)
        _deliver_outbox(views.values())
        in_queue = _snapshot(views[REVIEWER], world, only=queue, extra=_review_pages(project))
        queue_mails = {role: _mails_to(view.person) for role, view in views.items()}
        mail.outbox.clear()

        made = _create_inner_content(world, title=title, body=body, reply=reply, with_document=with_document)
        _deliver_outbox(views.values())
        after = {
            role: _snapshot(view, world, extra=_review_pages(project) if role == REVIEWER else ())
            for role, view in views.items()
        }
        # What was made does not exist for them: a 404, or the login page for a visitor not signed in.
        made += [*_review_pages(project), f"/api/v1/projects/{project.slug}"]
        answers = {
            role: {path: _answer(view.client.get(path)) for path in made} for role, view in views.items()
        }
        sent = {role: _mails_to(view.person) for role, view in views.items()}
        # Everything of this example goes, whatever kind it was: the next one starts from the same world.
        transaction.set_rollback(True)

    # The project under review reaches its reviewer's queue, by one mail too; the API shows projects
    # only once accepted.
    unchanged = {
        path
        for path in queue - {UNREAD_COUNT}
        if _without_unread_count(in_queue[path]) == _without_unread_count(before[REVIEWER][path])
    }
    assert unchanged == set(), "the project under review is missing from its reviewer's queue"
    assert in_queue[UNREAD_COUNT] != before[REVIEWER][UNREAD_COUNT]
    assert project.title in in_queue["/projects/pruefung/"][1]
    assert [project.title in message for message in queue_mails[REVIEWER]] == [True]
    theirs = queue | set(_review_pages(project))
    assert {path: answers[REVIEWER][path] for path in _review_pages(project)} == dict.fromkeys(
        _review_pages(project), "200"
    )

    # The inner content changes nothing any of them sees, and the project under review nothing else:
    # what they saw before stays, and for the reviewer their queue as the project left it (and beyond
    # it only the unread count in the header, which the queue's count channel compares).
    for role, view in views.items():
        for path, (status, text) in after[role].items():
            if role == REVIEWER and path in theirs:
                expected = in_queue[path]
            elif role == REVIEWER:
                expected, (status, text) = (
                    _without_unread_count(before[role][path]),
                    _without_unread_count((status, text)),
                )
            else:
                expected = before[role][path]
            assert status == expected[0], f"{role}: {path}"
            assert text == expected[1], f"{path} changed for {role}, outside the inner ring"
            # A search for the invented text echoes it; its results are compared above. The project
            # under review carries it too, where its reviewer sees it.
            assert marker not in text or marker in path or (role == REVIEWER and path in theirs), (
                f"{role}: {path}"
            )
        assert role == REVIEWER or queue_mails[role] == [], f"the project under review was mailed to {role}"
        assert sent[role] == [], f"a mail reached {role}, outside the inner ring"
        signed_in = view.person.is_authenticated and view.person.is_active
        refused = {"404"} if signed_in else {"404", "401", "302 /accounts/login/"}
        opened = set(_review_pages(project)) if role == REVIEWER else set()
        assert {
            path: answer
            for path, answer in answers[role].items()
            if answer not in refused and path not in opened
        } == {}, role
