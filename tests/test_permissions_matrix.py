"""Every URL of the project against every role (pretix's test_permissions, Indico's protection tree).

The list of URL names comes from the URL configuration itself: a new URL of
the portal without an entry in MATRIX fails `test_every_url_has_an_expectation`.
The objects addressed are those of the innermost ring wherever a URL takes an
object, because that is where a leak would hurt.
"""

import inspect
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from api import tokens as api_tokens
from groups import information, questions, services
from groups.models import Invitation, JoinRequest, Subscriber
from meetings import minutes, rsvp
from meetings.models import CalendarToken, DatePoll, PollOption
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification, UnsubscribeToken
from privacy import builds as privacy_builds
from privacy.models import DataExport
from projects.models import ProjectAttachment, ProjectImage
from tests import once
from tests.factories.groups import ThreadFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    HeldMeetingFactory,
    MeetingFactory,
    ParticipantFactory,
    TentativeMeetingFactory,
)
from tests.factories.projects import ProjectFactory, accepted, submitted
from tests.projects.files import tiny_jpeg
from tests.roles import ROLES

OK, REDIRECT, HIDDEN = 200, 302, 404
LOGIN = REDIRECT  # anonymous visitors are sent to the login page

EVERYONE = dict.fromkeys(ROLES, OK)
NOBODY = {**dict.fromkeys(ROLES, HIDDEN), "anonymous": LOGIN}
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}


def _only(*roles: str, status: int = OK) -> dict[str, int]:
    """Those roles get `status`; every other signed-in role a 404, anonymous visitors the login page."""
    return {**NOBODY, **dict.fromkeys(roles, status)}


def _acting(expected: dict[str, int], status: int = REDIRECT) -> dict[str, int]:
    """The same people, answered with `status` where the page itself would be shown (an action's POST)."""
    return {role: status if answer == OK else answer for role, answer in expected.items()}


INNER_RING = _only("inner_member", "inner_coordinator", "coordinator", "staff")
# The inner circle is coordinated by its own coordinators; the Fachgruppe's are outside it.
INNER_COORDINATION = _only("inner_coordinator", "coordinator", "staff")
FACHGRUPPE_RING = {**INNER_RING, "partner": OK, "fachgruppe_coordinator": OK}
# A project under review belongs to its submitter (here the inner member) and the coordination of its
# home space, the Fachgruppe: its coordinators see it though they are outside the inner circle.
PROJECT_COORDINATION = _only("fachgruppe_coordinator", "coordinator", "staff")
PROJECT_OWNER = {**PROJECT_COORDINATION, "inner_member": OK}
# The API answers a reader it does not know 401 (no login page); what is hidden is a 404 for all.
UNAUTHORIZED = 401
API_PERSONAL = {**EVERYONE, "anonymous": UNAUTHORIZED}
API_HIDDEN = dict.fromkeys(ROLES, HIDDEN)
ANY_COORDINATION = _only("fachgruppe_coordinator", "inner_coordinator", "coordinator", "staff")


@dataclass(frozen=True)
class Case:
    path: str
    expected: dict[str, int]
    method: str = "get"
    data: dict | None = None
    # An anonymous visitor's redirect is to the login page (with ?next=) unless said otherwise.
    to_login: bool = True
    # What a POST to a page answers those who may see it, when the page has no form for such a POST.
    bare_post: int | None = None
    # The route's name, where a second entry tries the same route on other objects.
    route: str | None = None


def cases(world) -> dict[str, Case]:
    """Every route's expectation. A deactivated account is signed out by the authentication
    backend on its next request: it is answered exactly as an anonymous visitor is, everywhere."""
    return {
        name: replace(case, expected={**case.expected, "deactivated": case.expected["anonymous"]})
        for name, case in _cases(world).items()
    }


def _shared_with_the_fachgruppe(world) -> dict[str, Case]:
    meeting, document, thread = world["shared_meeting"], world["shared_document"], world["shared_thread"]
    shared = {
        "meetings:detail": Case(f"/meetings/{meeting.pk}/", FACHGRUPPE_RING),
        "meetings:edit": Case(f"/meetings/{meeting.pk}/edit/", INNER_COORDINATION),
        "meetings:cancel": Case(f"/meetings/{meeting.pk}/cancel/", INNER_COORDINATION),
        "meetings:agenda_item_add": Case(f"/meetings/{meeting.pk}/agenda/new/", INNER_COORDINATION),
        "meetings:participant_invite": Case(
            f"/meetings/{meeting.pk}/participants/invite/", INNER_COORDINATION
        ),
        "meetings:minutes_edit": Case(f"/meetings/{meeting.pk}/minutes/", INNER_COORDINATION),
        "groups:document_detail": Case(document.get_absolute_url(), FACHGRUPPE_RING),
        # Without the confirmation field a POST shows the confirmation page again and widens nothing.
        "groups:document_widen": Case(f"{document.get_absolute_url()}widen/", INNER_COORDINATION, "post"),
        "groups:thread_detail": Case(thread.get_absolute_url(), FACHGRUPPE_RING),
        "groups:thread_moderate": Case(
            f"{thread.get_absolute_url()}moderate/", _acting(INNER_COORDINATION), "post", {"action": "pin"}
        ),
        # Names to mention in a reply come from the ring that reads the thread, now the Fachgruppe.
        "groups:thread_mentions": Case(f"{thread.get_absolute_url()}mentions/?q=a", FACHGRUPPE_RING),
    }
    return {
        f"{name} (shared with the Fachgruppe)": replace(case, route=name) for name, case in shared.items()
    }


def _cases(world) -> dict[str, Case]:
    inner = world["inner"].slug
    fachgruppe = world["fachgruppe"].slug
    thread = world["thread"]
    document = world["document"]
    post = thread.posts.get()
    return {
        "home": Case("/", EVERYONE),
        "overview": Case("/mein-ueberblick/", SIGNED_IN),
        # Everyone may search; what each one finds is the rule book's (tests/portal/test_search.py).
        "search": Case("/suche/?q=Konzept", EVERYONE),
        "healthz": Case("/healthz", EVERYONE),
        # Monitoring: staff only (503 here, since no worker or beat runs beside the matrix).
        "status": Case("/status/", {**dict.fromkeys(ROLES, HIDDEN), "staff": 503}),
        "status_metrics": Case("/status/metrics", {**dict.fromkeys(ROLES, HIDDEN), "staff": OK}),
        "legal": Case("/rechtliches/impressum/", EVERYONE),
        # Back to the page the visitor came from, for everyone: not a login.
        "set_language": Case(
            "/i18n/setlang/", dict.fromkeys(ROLES, REDIRECT), "post", {"language": "de"}, to_login=False
        ),
        # The preview under a Markdown field renders what is sent, for anyone signed in; it saves nothing.
        "markdown_preview": Case(
            "/markdown/vorschau/",
            _acting(SIGNED_IN, OK),
            "post",
            {"markdown_preview": "body", "body": "**fett**"},
        ),
        "invitation_accept": Case(f"/invitations/{world['invitation'].token}/", EVERYONE),
        "profile_edit": Case("/profile/", SIGNED_IN),
        # The portal's own view under allauth's URL name: its expectation is ours to keep.
        "usersessions_list": Case("/accounts/sessions/", SIGNED_IN),
        "groups:space_list": Case("/spaces/", EVERYONE),
        "groups:space_detail": Case(f"/spaces/{inner}/", EVERYONE),
        "groups:join_request_create": Case(f"/spaces/{fachgruppe}/join/", SIGNED_IN),
        "groups:join_request_withdraw": Case(
            f"/spaces/{fachgruppe}/join/{world['join_request'].pk}/withdraw/",
            _only("requester", status=REDIRECT),
            "post",
        ),
        "groups:join_request_list": Case(f"/spaces/{inner}/requests/", INNER_COORDINATION),
        "groups:join_request_decide": Case(
            f"/spaces/{inner}/requests/{world['inner_request'].pk}/", INNER_COORDINATION
        ),
        "groups:invitation_create": Case(f"/spaces/{inner}/invite/", INNER_COORDINATION),
        "groups:member_list": Case(f"/spaces/{inner}/members/", INNER_RING),
        "groups:member_update": Case(
            f"/spaces/{inner}/members/{world['inner_member_id']}/",
            _acting(INNER_COORDINATION),
            "post",
            {"action": "role", "role": "member"},
        ),
        "groups:space_leave": Case(f"/spaces/{inner}/leave/", {**INNER_RING, "staff": HIDDEN}),
        "groups:thread_list": Case(f"/spaces/{inner}/threads/", INNER_RING),
        "groups:thread_create": Case(f"/spaces/{inner}/threads/new/", INNER_RING),
        # "@" completion: names of the ring, for those who may write in it.
        "groups:space_mentions": Case(f"/spaces/{inner}/mentions/?q=a", INNER_RING),
        "groups:thread_mentions": Case(f"{thread.get_absolute_url()}mentions/?q=a", INNER_RING),
        "groups:thread_detail": Case(thread.get_absolute_url(), INNER_RING),
        "groups:thread_moderate": Case(
            f"{thread.get_absolute_url()}moderate/",
            _acting(INNER_COORDINATION),
            "post",
            {"action": "pin"},
        ),
        "groups:post_edit": Case(
            f"{thread.get_absolute_url()}posts/{post.pk}/edit/",
            _only("inner_member"),
        ),
        "groups:post_history": Case(f"{thread.get_absolute_url()}posts/{post.pk}/history/", INNER_RING),
        "groups:document_list": Case(f"/spaces/{inner}/documents/", INNER_RING),
        "groups:document_create": Case(f"/spaces/{inner}/documents/new/", INNER_RING),
        "groups:document_detail": Case(document.get_absolute_url(), INNER_RING),
        # The confirmation page of a widening; only its POST with the confirm field widens.
        "groups:document_widen": Case(f"{document.get_absolute_url()}widen/", INNER_COORDINATION),
        "groups:thread_widen": Case(f"{thread.get_absolute_url()}widen/", INNER_COORDINATION),
        "groups:document_download": Case(f"{document.get_absolute_url()}versions/1/download/", INNER_RING),
        "meetings:search": Case("/meetings/search/?q=Konzept", EVERYONE),
        "meetings:list": Case("/meetings/", EVERYONE),
        "meetings:create": Case("/meetings/new/", {**INNER_COORDINATION, "fachgruppe_coordinator": OK}),
        "meetings:detail": Case(f"/meetings/{world['meeting'].pk}/", INNER_RING),
        "meetings:edit": Case(f"/meetings/{world['meeting'].pk}/edit/", INNER_COORDINATION),
        "meetings:cancel": Case(f"/meetings/{world['meeting'].pk}/cancel/", INNER_COORDINATION),
        "meetings:mark_held": Case(
            f"/meetings/{world['meeting'].pk}/held/",
            _acting(INNER_COORDINATION),
            "post",
        ),
        "meetings:agenda_item_add": Case(f"/meetings/{world['meeting'].pk}/agenda/new/", INNER_COORDINATION),
        "meetings:agenda_item_edit": Case(
            f"/meetings/{world['meeting'].pk}/agenda/{world['agenda_item'].pk}/edit/", INNER_COORDINATION
        ),
        "meetings:agenda_item_delete": Case(
            f"/meetings/{world['meeting'].pk}/agenda/{world['spare_agenda_item'].pk}/delete/",
            _acting(INNER_COORDINATION),
            "post",
        ),
        "meetings:agenda_item_move": Case(
            f"/meetings/{world['meeting'].pk}/agenda/{world['agenda_item'].pk}/move/up/",
            _acting(INNER_COORDINATION),
            "post",
        ),
        "meetings:agenda_publish": Case(
            f"/meetings/{world['meeting'].pk}/agenda/publish/",
            _acting(INNER_COORDINATION),
            "post",
        ),
        "meetings:participant_invite": Case(
            f"/meetings/{world['meeting'].pk}/participants/invite/", INNER_COORDINATION
        ),
        # Only invited people answer; the inner member is invited, everyone else who sees it gets a 404.
        "meetings:participant_respond": Case(
            f"/meetings/{world['meeting'].pk}/participants/respond/",
            _only("inner_member", status=REDIRECT),
            "post",
            {"response": "accepted"},
        ),
        "meetings:attendance": Case(
            f"/meetings/{world['meeting'].pk}/participants/attendance/", INNER_COORDINATION
        ),
        # The answer from the invitation mail: the signed token stands for the person, whoever is signed in.
        "meetings:answer": Case(f"/meetings/antwort/{world['answer_token']}/", EVERYONE),
        "meetings:answer (a token that is not one)": Case(
            "/meetings/antwort/falsch/", dict.fromkeys(ROLES, HIDDEN), route="meetings:answer"
        ),
        "meetings:meeting_ics": Case(f"/meetings/{world['meeting'].pk}/ics/", INNER_RING),
        "meetings:calendar": Case("/meetings/calendar/", EVERYONE),
        "meetings:calendar_subscribe": Case("/meetings/calendar/subscribe/", SIGNED_IN),
        # The secret address stands for its owner (the inner member): no login, whoever holds it.
        "meetings:calendar_feed": Case(f"/meetings/feed/{world['calendar_token']}.ics", EVERYONE),
        "meetings:poll_create": Case(
            f"/meetings/{world['tentative_meeting'].pk}/poll/new/", INNER_COORDINATION
        ),
        "meetings:poll_detail": Case(f"/meetings/{world['poll'].meeting_id}/poll/", INNER_RING),
        "meetings:poll_close": Case(
            f"/meetings/{world['poll'].meeting_id}/poll/close/",
            _acting(INNER_COORDINATION),
            "post",
            {"option": world["poll"].options.get().pk},
        ),
        # Registration is closed for this meeting: who may see it is told so on the meeting page.
        "meetings:registration_create": Case(
            f"/meetings/{world['meeting'].pk}/register/",
            _acting(INNER_RING),
            "post",
        ),
        "meetings:registration_cancel": Case(
            f"/meetings/{world['meeting'].pk}/register/cancel/",
            _acting(INNER_RING),
            "post",
        ),
        # The whole record is one form: a POST saves it (or shows what is missing).
        "meetings:minutes_edit": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/", INNER_COORDINATION
        ),
        # Already published: coordinators are sent back with a message, everyone else finds nothing.
        "meetings:minutes_publish": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/publish/",
            _acting(INNER_COORDINATION),
            "post",
        ),
        # The published minutes are never autosaved: coordinators get the status saying so.
        "meetings:minutes_autosave": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/autosave/", INNER_COORDINATION, "post"
        ),
        # Without a date coordinators are sent back with a message; everyone else finds nothing.
        "meetings:minutes_approve": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/approve/",
            {**INNER_COORDINATION, "inner_coordinator": REDIRECT, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "meetings:minutes_history": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/history/", INNER_RING
        ),
        "meetings:minutes_pdf": Case(f"/meetings/{world['minutes_meeting'].pk}/minutes.pdf", INNER_RING),
        "meetings:tasks": Case("/meetings/tasks/", SIGNED_IN),
        # The inner member is the assignee; coordinators of the home space may change it too.
        "meetings:task_status": Case(
            f"/meetings/tasks/{world['action_item'].pk}/status/",
            _acting({**INNER_COORDINATION, "inner_member": OK}),
            "post",
            {"status": "in_progress"},
        ),
        "notifications:list": Case("/notifications/", SIGNED_IN),
        "notifications:unread_badge": Case("/notifications/count/", SIGNED_IN),
        "notifications:mark_read": Case(
            f"/notifications/{world['notification'].pk}/read/",
            _only("inner_member", status=REDIRECT),
            "post",
        ),
        "notifications:mark_all_read": Case("/notifications/read-all/", _acting(SIGNED_IN), "post"),
        "notifications:preferences": Case("/notifications/preferences/", SIGNED_IN),
        # Following an inner thread: for those who may see it; a hidden one is a 404.
        "notifications:follow": Case(
            f"/notifications/follow/thread/{thread.pk}/", _acting(INNER_RING), "post", {"follow": "0"}
        ),
        "notifications:unsubscribe": Case(
            f"/notifications/unsubscribe/{world['unsubscribe_token']}/", EVERYONE
        ),
        # The account's data: one's own page; the mailed link opens the ZIP for its owner only.
        "privacy:export": Case("/konto/daten/", SIGNED_IN),
        "privacy:export_download": Case(
            f"/konto/daten/herunterladen/{world['export_token']}/", _only("inner_member")
        ),
        # Erasing one's account asks for the password again before even the confirmation shows.
        "privacy:erase": Case("/konto/loeschen/", dict.fromkeys(ROLES, REDIRECT)),
        # On request, by a coordinator of every space the person is in (the inner member: both), or staff.
        "privacy:erase_on_request": Case(
            f"/konto/loeschen/person/{world['inner_member_id']}/", _only("coordinator", "staff")
        ),
        "privacy:erased": Case("/konto/geloescht/", EVERYONE),
        "questions:list": Case("/fragen/", SIGNED_IN),
        "questions:create": Case("/fragen/neu/", SIGNED_IN),
        # Asked by the requester, who is outside the Fachgruppe: the asker sees it, other outsiders do not.
        # A POST without a triage action (the coordinators' only forms there) is a 404.
        "questions:detail": Case(
            world["question"].get_absolute_url(), {**FACHGRUPPE_RING, "requester": OK}, bare_post=HIDDEN
        ),
        "questions:draft_answer": Case(
            f"{world['question'].get_absolute_url()}antwort-entwerfen/",
            _only("fachgruppe_coordinator", "coordinator", "staff", status=REDIRECT),
            "post",
        ),
        "information:list": Case("/informationen/", EVERYONE),
        "information:feed_rss": Case("/informationen/feed/", EVERYONE),
        "information:feed_atom": Case("/informationen/atom/", EVERYONE),
        "information:subscribe": Case("/informationen/abonnieren/", EVERYONE),
        "information:confirm": Case(
            f"/informationen/abonnement/bestaetigen/{world['subscriber'].confirmation_token}/", EVERYONE
        ),
        "information:unsubscribe": Case(
            f"/informationen/abonnement/abbestellen/{world['subscriber'].token}/", EVERYONE
        ),
        "information:create": Case("/informationen/neu/", FACHGRUPPE_RING),
        # A draft of the inner circle: the public area answers 404 to anyone outside, anonymous included.
        "information:detail": Case(world["draft"].get_absolute_url(), {**INNER_RING, "anonymous": HIDDEN}),
        "information:edit": Case(f"{world['draft'].get_absolute_url()}bearbeiten/", INNER_RING),
        "projects:create": Case(
            "/projects/neu/", {**SIGNED_IN, "outsider": 403, "unverified": 403, "requester": 403}
        ),
        "projects:mine": Case("/projects/meine/", SIGNED_IN),
        # Whoever coordinates a space has the queue, with the projects of their spaces only (below).
        "projects:review_queue": Case(
            "/projects/pruefung/", {**PROJECT_COORDINATION, "inner_coordinator": OK}
        ),
        "projects:detail": Case(world["project"].get_absolute_url(), PROJECT_OWNER),
        "projects:edit": Case(f"{world['project'].get_absolute_url()}bearbeiten/grunddaten/", PROJECT_OWNER),
        "projects:submit": Case(
            f"{world['project'].get_absolute_url()}einreichen/",
            _only("inner_member"),
        ),
        "projects:delete": Case(
            f"{world['spare_project'].get_absolute_url()}loeschen/",
            _only("inner_member", status=REDIRECT),
            "post",
        ),
        "projects:image_add": Case(
            f"{world['project'].get_absolute_url()}bilder/",
            _acting(PROJECT_OWNER, 400),
            "post",
        ),
        "projects:image": Case(
            f"{world['project'].get_absolute_url()}bilder/{world['image'].pk}/", PROJECT_OWNER
        ),
        "projects:thumbnail": Case(
            f"{world['project'].get_absolute_url()}bilder/{world['image'].pk}/vorschau/", PROJECT_OWNER
        ),
        "projects:image_remove": Case(
            f"{world['project'].get_absolute_url()}bilder/{world['spare_image'].pk}/entfernen/",
            _acting(PROJECT_OWNER),
            "post",
        ),
        "projects:attachment_add": Case(
            f"{world['project'].get_absolute_url()}anhaenge/",
            _acting(PROJECT_OWNER, 400),
            "post",
        ),
        "projects:attachment": Case(
            f"{world['project'].get_absolute_url()}anhaenge/{world['attachment'].pk}/", PROJECT_OWNER
        ),
        "projects:attachment_remove": Case(
            f"{world['project'].get_absolute_url()}anhaenge/{world['spare_attachment'].pk}/entfernen/",
            _acting(PROJECT_OWNER),
            "post",
        ),
        "projects:review": Case(
            f"{world['submitted_project'].get_absolute_url()}pruefung/", PROJECT_COORDINATION
        ),
        "projects:review_save": Case(
            f"{world['submitted_project'].get_absolute_url()}bewertung/",
            _acting(PROJECT_COORDINATION, 400),
            "post",
        ),
        "projects:decide": Case(
            f"{world['submitted_project'].get_absolute_url()}entscheidung/",
            _acting(PROJECT_COORDINATION, 400),
            "post",
        ),
        "project_agenda:put_on_agenda": Case(
            f"{world['accepted_project'].get_absolute_url()}tagesordnung/", PROJECT_COORDINATION
        ),
        # An inner draft is shared with the Fachgruppe first: the confirmation sends the coordination back.
        "information:publish": Case(
            f"{world['draft'].get_absolute_url()}veroeffentlichen/",
            {**INNER_COORDINATION, "inner_coordinator": REDIRECT, "coordinator": REDIRECT, "staff": REDIRECT},
        ),
        # The showcase catalogue: public; its exports are the Fachgruppe coordinators' working list.
        "projects:list": Case("/projects/", EVERYONE),
        "projects:feed_rss": Case("/projects/feed/", EVERYONE),
        "projects:feed_atom": Case("/projects/atom/", EVERYONE),
        "projects:export_csv": Case("/projects/export/csv/", PROJECT_COORDINATION),
        "projects:export_json": Case("/projects/export/json/", PROJECT_COORDINATION),
        **_api(world),
        # The audit log: coordinators of any space (each reads their own spaces' entries) and staff.
        "audit:list": Case("/aktivitaetsprotokoll/", ANY_COORDINATION),
        "audit:export": Case("/aktivitaetsprotokoll/export/", ANY_COORDINATION),
        # Narrowed to the inner circle: a space one does not coordinate does not exist.
        "audit:list (the inner circle)": Case(
            f"/aktivitaetsprotokoll/?raum={inner}", INNER_COORDINATION, route="audit:list"
        ),
        "audit:export (the inner circle)": Case(
            f"/aktivitaetsprotokoll/export/?raum={inner}", INNER_COORDINATION, route="audit:export"
        ),
        # The coordinator dashboard and the activity report of the inner circle: its coordination only.
        "reports:dashboard": Case(f"/auswertung/{inner}/", INNER_COORDINATION),
        "reports:dashboard_csv": Case(f"/auswertung/{inner}/meetings.csv", INNER_COORDINATION),
        "reports:activity_report": Case(
            f"/auswertung/{inner}/taetigkeitsbericht/{world['report_year']}/", INNER_COORDINATION
        ),
        "reports:activity_report_pdf": Case(
            f"/auswertung/{inner}/taetigkeitsbericht/{world['report_year']}.pdf", INNER_COORDINATION
        ),
        "reports:activity_report_render": Case(
            f"/auswertung/{inner}/taetigkeitsbericht/{world['report_year']}/neu/",
            _acting(INNER_COORDINATION),
            "post",
        ),
        "reports:dashboard (the Fachgruppe's)": Case(
            f"/auswertung/{fachgruppe}/", PROJECT_COORDINATION, route="reports:dashboard"
        ),
        # Inner items shared with the Fachgruppe: its coordinators see them, and still only the inner
        # circle's coordination runs them (a Fachgruppe coordinator must not publish inner content).
        **_shared_with_the_fachgruppe(world),
    }


def _api(world) -> dict[str, Case]:
    """The read-only API (with the session here; test_the_api_answers_a_token_as_the_session below
    sends each person's token instead), its reference, the token page and the embeddable showcase."""
    meeting, thread = world["meeting"], world["thread"]
    return {
        "api:reference": Case("/api/", EVERYONE),
        "api:openapi-json": Case("/api/v1/openapi.json", EVERYONE),
        "api:api-root": Case("/api/v1/", EVERYONE),
        "api:projects": Case("/api/v1/projects", EVERYONE),
        "api:project": Case(f"/api/v1/projects/{world['accepted_project'].slug}", EVERYONE),
        # A project under review is its submitter's and the coordinators' in the portal, never the API's.
        "api:project (under review)": Case(
            f"/api/v1/projects/{world['project'].slug}", API_HIDDEN, route="api:project"
        ),
        "api:information": Case("/api/v1/information", EVERYONE),
        # Drafts are the portal's, never the API's, whoever may see them there.
        "api:information_page": Case(f"/api/v1/information/{world['draft'].slug}", API_HIDDEN),
        "api:meetings": Case("/api/v1/meetings", EVERYONE),
        "api:meeting": Case(f"/api/v1/meetings/{meeting.pk}", {**INNER_RING, "anonymous": HIDDEN}),
        "api:spaces": Case("/api/v1/spaces", API_PERSONAL),
        "api:threads": Case("/api/v1/threads", API_PERSONAL),
        "api:thread": Case(f"/api/v1/threads/{thread.pk}", {**INNER_RING, "anonymous": UNAUTHORIZED}),
        "api:documents": Case("/api/v1/documents", API_PERSONAL),
        "api:action_items": Case("/api/v1/action-items", API_PERSONAL),
        "api_tokens:list": Case("/profile/api-zugaenge/", SIGNED_IN),
        "api_tokens:revoke": Case(
            f"/profile/api-zugaenge/{world['api_token'].pk}/widerrufen/",
            _only("inner_member", status=REDIRECT),
            "post",
        ),
        "embed:projects": Case("/einbetten/projekte/", EVERYONE),
        "embed:information": Case("/einbetten/informationen/", EVERYONE),
    }


# Views of other projects (allauth, Django's admin, its redirects and password forms) have their own
# tests upstream and hold no ring content. They are told apart by the module of their callback, never
# by the name of their URL: a view of ours named like allauth's (usersessions_list) is still ours, and
# so is a view of ours that an admin class of ours adds.
INSTALLED_DISTRIBUTIONS = ("site-packages", "dist-packages")


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the full route for a URL without a name
    callback: object


def routes(patterns, *, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every route of a URL conf, named or not, through every include."""
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += routes(pattern.url_patterns, prefix=route, namespace=inner_namespace)
        elif isinstance(pattern, URLPattern):
            found.append(Route(namespace + pattern.name if pattern.name else route, pattern.callback))
    return found


def is_third_party(callback) -> bool:
    """The callback is defined in an installed distribution, outside the project's tree."""
    view = inspect.unwrap(getattr(callback, "view_class", callback))
    source = Path(inspect.getfile(sys.modules[view.__module__])).resolve()
    inside = source.is_relative_to(Path(settings.BASE_DIR).resolve())
    return not inside or any(part in INSTALLED_DISTRIBUTIONS for part in source.parts)


def portal_route_keys(patterns) -> set[str]:
    return {route.key for route in routes(patterns) if not is_third_party(route.callback)}


@pytest.fixture
def world(fachgruppe, inner, inner_member, coordinator, requester):
    """Inner-ring objects for every URL that addresses one; the requester's request is to the Fachgruppe."""
    thread = ThreadFactory(space=inner, author=inner_member)
    document = services.document_create(
        space=inner,
        by=inner_member,
        title="Vertraulicher Konzeptentwurf",
        upload=SimpleUploadedFile("konzept.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    join_request_to_inner = JoinRequest.objects.create(space=inner, user=coordinator, message="(Test)")
    meeting = MeetingFactory(space=inner)
    participation = ParticipantFactory(meeting=meeting, user=inner_member)
    poll = DatePoll.objects.create(meeting=TentativeMeetingFactory(space=inner))
    minutes_meeting = HeldMeetingFactory(space=inner)
    action_item = minutes.action_item_add(
        meeting=minutes_meeting, by=coordinator, title="Vertrauliche Aufgabe", assignees=[inner_member]
    )
    minutes.minutes_publish(meeting=minutes_meeting, by=coordinator)
    PollOption.objects.create(poll=poll, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    project = ProjectFactory(submitted_by=inner_member, title="Vertrauliches Projekt")
    shared_document = services.document_create(
        space=inner,
        by=inner_member,
        title="Geteilter Konzeptentwurf",
        upload=SimpleUploadedFile("geteilt.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    shared_document.audience = fachgruppe
    shared_document.save(update_fields=["audience"])
    return {
        **_project_files(project),
        "project": project,
        "spare_project": ProjectFactory(submitted_by=inner_member),
        "submitted_project": submitted(ProjectFactory(submitted_by=inner_member)),
        "accepted_project": accepted(ProjectFactory(submitted_by=inner_member), by=coordinator),
        "tentative_meeting": TentativeMeetingFactory(space=inner),
        "poll": poll,
        "calendar_token": CalendarToken.objects.create(user=inner_member).token,
        "api_token": api_tokens.token_create(user=inner_member, name="Matrix")[0],
        "answer_token": rsvp.token_for(participation),
        "meeting": meeting,
        "minutes_meeting": minutes_meeting,
        "action_item": action_item,
        "agenda_item": AgendaItemFactory(meeting=meeting),
        "spare_agenda_item": AgendaItemFactory(meeting=meeting),
        "fachgruppe": fachgruppe,
        "inner": inner,
        "thread": thread,
        "shared_meeting": MeetingFactory(space=inner, audience=fachgruppe),
        "shared_document": shared_document,
        "shared_thread": ThreadFactory(space=inner, audience=fachgruppe, author=inner_member),
        "document": document,
        "join_request": JoinRequest.objects.get(user=requester),
        "inner_request": join_request_to_inner,
        "inner_member_id": inner_member.pk,
        "export_token": _ready_export(inner_member),
        "report_year": timezone.localdate().year,
        "notification": Notification.objects.create(
            user=inner_member,
            event=Event.objects.create(kind=Kind.THREAD_CREATED, audience=Event.Audience.RING, ring=inner),
        ),
        "unsubscribe_token": UnsubscribeToken.objects.create(
            user=inner_member, topic=Kind.THREAD_CREATED
        ).token,
        "invitation": Invitation.objects.create(
            space=inner, email="neu@example.org", token="matrix-token", expires_at="2099-01-01T00:00:00Z"
        ),
        "question": questions.question_submit(asker=requester, title="Matrixfrage", body="Worum es geht."),
        "draft": information.information_draft_create(
            space=inner, by=inner_member, title="Vertraulicher Entwurf", summary="Intern.", body="Intern."
        ),
        "subscriber": Subscriber.objects.create(
            email="abo@example.org", confirmation_token="matrix-confirm", confirmation_sent_at=timezone.now()
        ),
    }


def _ready_export(person) -> str:
    data_export = DataExport.objects.create(
        user=person,
        status=DataExport.Status.READY,
        expires_at=timezone.now() + DataExport.VALID_FOR,
        finished_at=timezone.now(),
    )
    data_export.file.save("export.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return privacy_builds.download_token(data_export)


def _project_files(project) -> dict:
    def picture():
        return ProjectImage.objects.create(
            project=project,
            image=tiny_jpeg(),
            thumbnail=tiny_jpeg("vorschau.jpg"),
            alt_text="Vertrauliches Bild",
        )

    def attachment():
        return ProjectAttachment.objects.create(
            project=project,
            file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
            title="Vertraulicher Plan",
            original_name="plan.pdf",
            content_type="application/pdf",
            size=15,
        )

    return {
        "image": picture(),
        "spare_image": picture(),
        "attachment": attachment(),
        "spare_attachment": attachment(),
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_url_has_an_expectation(world):
    missing = portal_route_keys(get_resolver().url_patterns) - {
        case.route or name for name, case in cases(world).items()
    }

    assert not missing, f"URLs without an entry in the permission matrix: {sorted(missing)}"


def test_every_expectation_belongs_to_a_url(world):
    named = {case.route or name for name, case in cases(world).items()}
    stale = named - {route.key for route in routes(get_resolver().url_patterns)}

    assert not stale, f"Entries of the permission matrix without a URL: {sorted(stale)}"


def _project_view(request):
    raise AssertionError("never called")


def test_the_guard_catches_an_unnamed_route_and_a_name_that_looks_like_a_third_party_one():
    from allauth.account import views as allauth_views
    from django.contrib import admin
    from django.urls import include, path

    synthetic = [
        path("geheim/", _project_view),
        path("export/", _project_view, name="account_export_everything"),
        path("sessions/", _project_view, name="usersessions_list"),
        path("bereich/", include([path("<int:pk>/", _project_view)])),
        path("accounts/login/", allauth_views.login, name="account_login"),
        path("accounts/", include([path("signup/", allauth_views.signup)])),
        path("admin/", admin.site.urls),
    ]

    assert portal_route_keys(synthetic) == {
        "geheim/",
        "account_export_everything",
        "usersessions_list",
        "bereich/<int:pk>/",
    }


SIGNED_OUT = ("anonymous", "deactivated")

# What a refused request must leave as it was: every table of the portal and of the accounts, except
# the session store (a request may refresh its session) and the session list allauth keeps beside it.
UNWATCHED_TABLES = {"django_session", "usersessions_usersession"}


def _fingerprint() -> dict[str, object]:
    """Each table's rows in one value: one query on PostgreSQL, a walk over the rows elsewhere."""
    models = [
        model
        for model in django_apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in UNWATCHED_TABLES
    ]
    if connection.vendor != "postgresql":
        return {m._meta.db_table: list(m._default_manager.order_by("pk").values_list()) for m in models}
    tables = sorted({model._meta.db_table for model in models})
    # Table names from the models, quoted: nothing of a request reaches this statement.
    digest = "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {} t)"
    columns = ", ".join(digest.format(connection.ops.quote_name(table)) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after[table])


def _refused(role: str, expected: int) -> bool:
    """The answer tells the person no: nothing may have changed behind it."""
    return expected in (HIDDEN, 403) or (role in SIGNED_OUT and expected == LOGIN)


def _post_answers(get_expected: int, bare_post: int | None) -> set[int]:
    """What a POST to a page may answer, given what its GET answers: the same refusal where the page
    is refused (a 405 also tells nothing), and where it is shown: the form again (200, or 400), the
    result (302), or 405 for a page that takes no POST."""
    if get_expected == OK:
        return {bare_post} if bare_post is not None else {OK, REDIRECT, 400, 405}
    if get_expected == LOGIN:
        return {LOGIN}
    return {get_expected, 405}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_permission_matrix(person, world, client, request):
    """Every route as each role: its GET (or, for an action, its POST) answers as expected. Every
    page is sent a POST too, with a fresh one-time token: it answers as its GET allows (an anonymous
    visitor lands on the login page, a hidden thing stays a 404), and where the person is refused
    nothing in the database changes."""
    role = request.node.callspec.params["person"]
    if role != "anonymous":
        client.force_login(person)
    failures: list[str] = []
    matrix = cases(world)
    # The POSTs to pages first, each rolled back, so that the matrix below finds the world as built.
    for name, case in matrix.items():
        if case.method != "get":
            continue
        expected = case.expected[role]
        with transaction.atomic():
            before = _fingerprint() if _refused(role, expected) else None
            response = client.post(case.path, once.token())
            if before is not None and (changed := _changed(before, _fingerprint())):
                failures.append(f"{name} POST {case.path} changed {changed}")
            transaction.set_rollback(True)
        _check(
            failures,
            role=role,
            name=name,
            method="POST",
            case=case,
            response=response,
            allowed=_post_answers(expected, case.bare_post),
        )
    for name, case in matrix.items():
        expected = case.expected[role]
        before = _fingerprint() if case.method == "post" and _refused(role, expected) else None
        response = getattr(client, case.method)(case.path, case.data or {})
        if before is not None and (changed := _changed(before, _fingerprint())):
            failures.append(f"{name} POST {case.path} changed {changed}")
        _check(
            failures,
            role=role,
            name=name,
            method=case.method.upper(),
            case=case,
            response=response,
            allowed={expected},
        )

    assert not failures, f"{role}:\n" + "\n".join(failures)


def _check(
    failures: list[str], *, role: str, name: str, method: str, case: Case, response, allowed: set[int]
):
    status = response.status_code
    if status not in allowed:
        failures.append(f"{name} {method} {case.path}: {status}, expected {sorted(allowed)}")
    elif (
        status == REDIRECT
        and role in SIGNED_OUT
        and case.to_login
        and case.expected[role] == LOGIN
        and not response["Location"].startswith("/accounts/login/?next=")
    ):
        failures.append(f"{name} {method} {case.path}: to {response['Location']}, not to the login page")
    # Coordinators and staff have TOTP set up here: a redirect is the ring rules', never the set-up.
    if status == REDIRECT and response["Location"] == "/accounts/2fa/totp/activate/":
        failures.append(f"{name} {method} {case.path}: sent to the TOTP set-up")


def test_the_review_queue_lists_only_the_projects_of_the_spaces_a_coordinator_coordinates(
    client, inner_member, inner_coordinator, fachgruppe_coordinator
):
    submitted(ProjectFactory(submitted_by=inner_member, title="Vertrauliches Vorhaben"))

    client.force_login(inner_coordinator)
    of_the_inner_coordinator = client.get("/projects/pruefung/").content.decode()
    client.force_login(fachgruppe_coordinator)
    of_the_fachgruppe_coordinator = client.get("/projects/pruefung/").content.decode()

    assert "Vertrauliches Vorhaben" not in of_the_inner_coordinator
    assert "Vertrauliches Vorhaben" in of_the_fachgruppe_coordinator


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_api_answers_a_token_as_the_session(person, world, client, request):
    """Every endpoint of the API read with the person's own token instead of the session: the same
    answers as in the matrix. A deactivated account's token is refused everywhere (401)."""
    role = request.node.callspec.params["person"]
    headers = {}
    if role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {api_tokens.token_create(user=person, name='Probe')[1]}"
    failures = []
    for name, case in cases(world).items():
        if not case.path.startswith("/api/v1/"):
            continue
        reads_token = (case.route or name) not in ("api:openapi-json", "api:api-root")
        expected = UNAUTHORIZED if role == "deactivated" and reads_token else case.expected[role]
        status = client.get(case.path, **headers).status_code
        if status != expected:
            failures.append(f"{name} {case.path}: {status}, expected {expected}")

    assert not failures, f"{role}:\n" + "\n".join(failures)
