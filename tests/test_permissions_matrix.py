"""Every URL of the project against every role (pretix's test_permissions, Indico's protection tree).

The list of URL names comes from the URL configuration itself: a new URL of
the portal without an entry in MATRIX fails `test_every_url_has_an_expectation`.
The objects addressed are those of the innermost ring wherever a URL takes an
object, because that is where a leak would hurt.
"""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from groups import information, questions, services
from groups.models import Invitation, JoinRequest, Subscriber
from meetings import minutes
from meetings.models import CalendarToken, DatePoll, PollOption
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification, UnsubscribeToken
from projects.models import ProjectAttachment, ProjectImage
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

# Third-party areas with their own tests upstream; their pages hold no ring content.
THIRD_PARTY_PREFIXES = ("admin:", "account_", "mfa_", "usersessions_")

OK, REDIRECT, HIDDEN = 200, 302, 404
LOGIN = REDIRECT  # anonymous visitors are sent to the login page

EVERYONE = dict.fromkeys(ROLES, OK)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
INNER_RING = {
    "anonymous": LOGIN,
    "outsider": HIDDEN,
    "requester": HIDDEN,
    "partner": HIDDEN,
    "inner_member": OK,
    "coordinator": OK,
    "staff": OK,
}
INNER_COORDINATION = {**INNER_RING, "inner_member": HIDDEN}
FACHGRUPPE_RING = {**INNER_RING, "partner": OK}
# A project under review belongs to its submitter (here the inner member) and the Fachgruppe's coordination.
PROJECT_OWNER = INNER_RING
PROJECT_COORDINATION = INNER_COORDINATION


@dataclass(frozen=True)
class Case:
    path: str
    expected: dict[str, int]
    method: str = "get"
    data: dict | None = None


def cases(world) -> dict[str, Case]:
    inner = world["inner"].slug
    fachgruppe = world["fachgruppe"].slug
    thread = world["thread"]
    document = world["document"]
    post = thread.posts.get()
    return {
        "home": Case("/", EVERYONE),
        "overview": Case("/mein-ueberblick/", SIGNED_IN),
        "healthz": Case("/healthz", EVERYONE),
        # Monitoring: staff only (503 here, since no worker or beat runs beside the matrix).
        "status": Case("/status/", {**dict.fromkeys(ROLES, HIDDEN), "staff": 503}),
        "status_metrics": Case("/status/metrics", {**dict.fromkeys(ROLES, HIDDEN), "staff": OK}),
        "legal": Case("/rechtliches/impressum/", EVERYONE),
        "set_language": Case("/i18n/setlang/", dict.fromkeys(ROLES, REDIRECT), "post", {"language": "de"}),
        "invitation_accept": Case(f"/invitations/{world['invitation'].token}/", EVERYONE),
        "profile_edit": Case("/profile/", SIGNED_IN),
        "groups:space_list": Case("/spaces/", EVERYONE),
        "groups:space_detail": Case(f"/spaces/{inner}/", EVERYONE),
        "groups:join_request_create": Case(f"/spaces/{fachgruppe}/join/", SIGNED_IN),
        "groups:join_request_withdraw": Case(
            f"/spaces/{fachgruppe}/join/{world['join_request'].pk}/withdraw/",
            {**dict.fromkeys(ROLES, HIDDEN), "anonymous": LOGIN, "requester": REDIRECT},
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
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
            {"action": "role", "role": "member"},
        ),
        "groups:space_leave": Case(f"/spaces/{inner}/leave/", {**INNER_RING, "staff": HIDDEN}),
        "groups:thread_list": Case(f"/spaces/{inner}/threads/", INNER_RING),
        "groups:thread_create": Case(f"/spaces/{inner}/threads/new/", INNER_RING),
        "groups:thread_detail": Case(thread.get_absolute_url(), INNER_RING),
        "groups:thread_moderate": Case(
            f"{thread.get_absolute_url()}moderate/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
            {"action": "pin"},
        ),
        "groups:post_edit": Case(
            f"{thread.get_absolute_url()}posts/{post.pk}/edit/",
            {**INNER_RING, "coordinator": HIDDEN, "staff": HIDDEN},
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
        "meetings:create": Case("/meetings/new/", {**INNER_COORDINATION, "outsider": HIDDEN}),
        "meetings:detail": Case(f"/meetings/{world['meeting'].pk}/", INNER_RING),
        "meetings:edit": Case(f"/meetings/{world['meeting'].pk}/edit/", INNER_COORDINATION),
        "meetings:cancel": Case(f"/meetings/{world['meeting'].pk}/cancel/", INNER_COORDINATION),
        "meetings:mark_held": Case(
            f"/meetings/{world['meeting'].pk}/held/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "meetings:agenda_item_add": Case(f"/meetings/{world['meeting'].pk}/agenda/new/", INNER_COORDINATION),
        "meetings:agenda_item_edit": Case(
            f"/meetings/{world['meeting'].pk}/agenda/{world['agenda_item'].pk}/edit/", INNER_COORDINATION
        ),
        "meetings:agenda_item_delete": Case(
            f"/meetings/{world['meeting'].pk}/agenda/{world['spare_agenda_item'].pk}/delete/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "meetings:agenda_item_move": Case(
            f"/meetings/{world['meeting'].pk}/agenda/{world['agenda_item'].pk}/move/up/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "meetings:agenda_publish": Case(
            f"/meetings/{world['meeting'].pk}/agenda/publish/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "meetings:participant_invite": Case(
            f"/meetings/{world['meeting'].pk}/participants/invite/", INNER_COORDINATION
        ),
        # Only invited people answer; the inner member is invited, everyone else who sees it gets a 404.
        "meetings:participant_respond": Case(
            f"/meetings/{world['meeting'].pk}/participants/respond/",
            {**INNER_RING, "inner_member": REDIRECT, "coordinator": HIDDEN, "staff": HIDDEN},
            "post",
            {"response": "accepted"},
        ),
        "meetings:attendance": Case(
            f"/meetings/{world['meeting'].pk}/participants/attendance/", INNER_COORDINATION
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
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
            {"option": world["poll"].options.get().pk},
        ),
        # Registration is closed for this meeting: who may see it is told so on the meeting page.
        "meetings:registration_create": Case(
            f"/meetings/{world['meeting'].pk}/register/",
            {**INNER_RING, "inner_member": REDIRECT, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "meetings:registration_cancel": Case(
            f"/meetings/{world['meeting'].pk}/register/cancel/",
            {**INNER_RING, "inner_member": REDIRECT, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "meetings:minutes_edit": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/", INNER_COORDINATION
        ),
        # Already published: coordinators are sent back with a message, everyone else finds nothing.
        "meetings:minutes_publish": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/publish/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        # The published minutes are never autosaved: coordinators get the status saying so.
        "meetings:minutes_autosave": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/autosave/", INNER_COORDINATION, "post"
        ),
        # Without a date coordinators are sent back with a message; everyone else finds nothing.
        "meetings:minutes_approve": Case(
            f"/meetings/{world['minutes_meeting'].pk}/minutes/approve/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
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
            {**INNER_COORDINATION, "inner_member": REDIRECT, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
            {"status": "in_progress"},
        ),
        "notifications:list": Case("/notifications/", SIGNED_IN),
        "notifications:unread_badge": Case("/notifications/count/", SIGNED_IN),
        "notifications:mark_read": Case(
            f"/notifications/{world['notification'].pk}/read/",
            {**dict.fromkeys(ROLES, HIDDEN), "anonymous": LOGIN, "inner_member": REDIRECT},
            "post",
        ),
        "notifications:mark_all_read": Case(
            "/notifications/read-all/", {**dict.fromkeys(ROLES, REDIRECT), "anonymous": LOGIN}, "post"
        ),
        "notifications:preferences": Case("/notifications/preferences/", SIGNED_IN),
        "notifications:unsubscribe": Case(
            f"/notifications/unsubscribe/{world['unsubscribe_token']}/", EVERYONE
        ),
        "questions:list": Case("/fragen/", SIGNED_IN),
        "questions:create": Case("/fragen/neu/", SIGNED_IN),
        # Asked by the requester, who is outside the Fachgruppe: the asker sees it, other outsiders do not.
        "questions:detail": Case(world["question"].get_absolute_url(), {**FACHGRUPPE_RING, "requester": OK}),
        "questions:draft_answer": Case(
            f"{world['question'].get_absolute_url()}antwort-entwerfen/",
            {**dict.fromkeys(ROLES, HIDDEN), "anonymous": LOGIN, "coordinator": REDIRECT, "staff": REDIRECT},
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
        "projects:create": Case("/projects/neu/", {**SIGNED_IN, "outsider": 403, "requester": 403}),
        "projects:mine": Case("/projects/meine/", SIGNED_IN),
        "projects:review_queue": Case("/projects/pruefung/", PROJECT_COORDINATION),
        "projects:detail": Case(world["project"].get_absolute_url(), PROJECT_OWNER),
        "projects:edit": Case(f"{world['project'].get_absolute_url()}bearbeiten/grunddaten/", PROJECT_OWNER),
        "projects:submit": Case(
            f"{world['project'].get_absolute_url()}einreichen/",
            {**PROJECT_OWNER, "coordinator": HIDDEN, "staff": HIDDEN},
        ),
        "projects:delete": Case(
            f"{world['spare_project'].get_absolute_url()}loeschen/",
            {**dict.fromkeys(ROLES, HIDDEN), "anonymous": LOGIN, "inner_member": REDIRECT},
            "post",
        ),
        "projects:image_add": Case(
            f"{world['project'].get_absolute_url()}bilder/",
            {**PROJECT_OWNER, "inner_member": 400, "coordinator": 400, "staff": 400},
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
            {**PROJECT_OWNER, "inner_member": REDIRECT, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "projects:attachment_add": Case(
            f"{world['project'].get_absolute_url()}anhaenge/",
            {**PROJECT_OWNER, "inner_member": 400, "coordinator": 400, "staff": 400},
            "post",
        ),
        "projects:attachment": Case(
            f"{world['project'].get_absolute_url()}anhaenge/{world['attachment'].pk}/", PROJECT_OWNER
        ),
        "projects:attachment_remove": Case(
            f"{world['project'].get_absolute_url()}anhaenge/{world['spare_attachment'].pk}/entfernen/",
            {**PROJECT_OWNER, "inner_member": REDIRECT, "coordinator": REDIRECT, "staff": REDIRECT},
            "post",
        ),
        "projects:review": Case(
            f"{world['submitted_project'].get_absolute_url()}pruefung/", PROJECT_COORDINATION
        ),
        "projects:review_save": Case(
            f"{world['submitted_project'].get_absolute_url()}bewertung/",
            {**PROJECT_COORDINATION, "coordinator": 400, "staff": 400},
            "post",
        ),
        "projects:decide": Case(
            f"{world['submitted_project'].get_absolute_url()}entscheidung/",
            {**PROJECT_COORDINATION, "coordinator": 400, "staff": 400},
            "post",
        ),
        "projects:put_on_agenda": Case(
            f"{world['accepted_project'].get_absolute_url()}tagesordnung/", PROJECT_COORDINATION
        ),
        # An inner draft is shared with the Fachgruppe first: the confirmation sends the coordination back.
        "information:publish": Case(
            f"{world['draft'].get_absolute_url()}veroeffentlichen/",
            {**INNER_COORDINATION, "coordinator": REDIRECT, "staff": REDIRECT},
        ),
        # The showcase catalogue: public; its exports are the Fachgruppe coordinators' working list.
        "projects:list": Case("/projects/", EVERYONE),
        "projects:feed_rss": Case("/projects/feed/", EVERYONE),
        "projects:feed_atom": Case("/projects/atom/", EVERYONE),
        "projects:export_csv": Case("/projects/export/csv/", PROJECT_COORDINATION),
        "projects:export_json": Case("/projects/export/json/", PROJECT_COORDINATION),
    }


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner_namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _portal_url_names() -> set[str]:
    return {name for name in _url_names(get_resolver()) if not name.startswith(THIRD_PARTY_PREFIXES)}


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
    ParticipantFactory(meeting=meeting, user=inner_member)
    poll = DatePoll.objects.create(meeting=TentativeMeetingFactory(space=inner))
    minutes_meeting = HeldMeetingFactory(space=inner)
    action_item = minutes.action_item_add(
        meeting=minutes_meeting, by=coordinator, title="Vertrauliche Aufgabe", assignees=[inner_member]
    )
    minutes.minutes_publish(meeting=minutes_meeting, by=coordinator)
    PollOption.objects.create(poll=poll, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    project = ProjectFactory(submitted_by=inner_member, title="Vertrauliches Projekt")
    return {
        **_project_files(project),
        "project": project,
        "spare_project": ProjectFactory(submitted_by=inner_member),
        "submitted_project": submitted(ProjectFactory(submitted_by=inner_member)),
        "accepted_project": accepted(ProjectFactory(submitted_by=inner_member), by=coordinator),
        "tentative_meeting": TentativeMeetingFactory(space=inner),
        "poll": poll,
        "calendar_token": CalendarToken.objects.create(user=inner_member).token,
        "meeting": meeting,
        "minutes_meeting": minutes_meeting,
        "action_item": action_item,
        "agenda_item": AgendaItemFactory(meeting=meeting),
        "spare_agenda_item": AgendaItemFactory(meeting=meeting),
        "fachgruppe": fachgruppe,
        "inner": inner,
        "thread": thread,
        "document": document,
        "join_request": JoinRequest.objects.get(user=requester),
        "inner_request": join_request_to_inner,
        "inner_member_id": inner_member.pk,
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
    missing = _portal_url_names() - set(cases(world))

    assert not missing, f"URLs without an entry in the permission matrix: {sorted(missing)}"


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_permission_matrix(person, world, client, request):
    role = request.node.callspec.params["person"]
    if role != "anonymous":
        client.force_login(person)
    failures = []
    for name, case in cases(world).items():
        response = getattr(client, case.method)(case.path, case.data or {})
        expected = case.expected[role]
        if response.status_code != expected:
            failures.append(
                f"{name} {case.method.upper()} {case.path}: {response.status_code}, expected {expected}"
            )
        if expected == LOGIN and role == "anonymous" and case.method == "get":
            assert response["Location"].startswith("/accounts/login/"), name
        # Coordinators and staff have TOTP set up here: a redirect is the ring rules', never the set-up.
        if response.status_code == REDIRECT:
            assert response["Location"] != "/accounts/2fa/totp/activate/", name

    assert not failures, f"{role}:\n" + "\n".join(failures)
