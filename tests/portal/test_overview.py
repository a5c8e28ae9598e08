"""The overview ("Mein Überblick"): what each role finds there, that nothing hidden shows there,
and that it stays cheap."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups import information, questions, services
from groups.models import JoinRequest, Question
from meetings import minutes
from meetings.models import ActionItem, Participant
from portal.models import OverviewVisit
from portal.overview import SECTION_SIZE
from tests.factories import TEST_PASSWORD, UserFactory
from tests.factories.groups import ThreadFactory
from tests.factories.meetings import HeldMeetingFactory, MeetingFactory, ParticipantFactory
from tests.factories.projects import ProjectFactory, submitted
from tests.portal.test_mfa import totp_code

pytestmark = pytest.mark.django_db

URL = "/mein-ueberblick/"


def page_of(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words without tags, spaces collapsed: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, testid: str) -> str:
    """The <section> of the page with this test id, nested sections included; "" when there is none."""
    start = re.search(rf'<section[^>]*data-testid="{testid}"', html)
    if start is None:
        return ""
    depth = 0
    for tag in re.finditer(r"<(/?)section\b", html[start.start() :]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start.start() : start.start() + tag.end()]
    raise AssertionError(f"unclosed section {testid}")


def published_minutes(meeting, *, by, assignee=None, title="Aufgabe", due_date=None) -> None:
    if assignee is not None:
        item = minutes.action_item_add(meeting=meeting, by=by, title=title, assignees=[assignee])
        if due_date is not None:
            item.due_date = due_date
            item.save(update_fields=["due_date"])
    minutes.minutes_publish(meeting=meeting, by=by)


# --- Getting there -----------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.usefixtures("clear_cache")
def test_signing_in_lands_on_the_overview(client, partner):
    response = client.post("/accounts/login/", {"login": partner.email, "password": TEST_PASSWORD})

    assert response["Location"] == URL
    assert "Mein Überblick" in client.get(response["Location"]).content.decode()


@pytest.mark.usefixtures("clear_cache")
def test_a_coordinator_lands_on_the_overview_after_the_second_factor(client, coordinator):
    client.post("/accounts/login/", {"login": coordinator.email, "password": TEST_PASSWORD})

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(coordinator.totp_secret)})

    assert response["Location"] == URL


def test_the_start_page_stays_public_for_signed_in_people_and_links_to_the_overview(client, partner):
    client.force_login(partner)

    html = client.get("/").content.decode()

    assert "Drei Kreise, ein Netzwerk" in html
    assert f'href="{URL}">Zu Ihrem Überblick</a>' in html
    assert f'href="{URL}"' in html.split("Hauptnavigation")[1].split("</nav>")[0]


def test_the_overview_links_back_to_the_public_start_page(client, partner):
    html = page_of(client, partner)

    assert '<a href="/">Zur öffentlichen Startseite</a>' in html
    assert 'aria-current="page">Mein Überblick</a>' in html


# --- What each role finds -----------------------------------------------------


MEMBER_SECTIONS = {"overview-meetings", "overview-tasks", "overview-news"}


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        ("outsider", {"overview-membership", "overview-meetings"}),
        ("requester", {"overview-membership", "overview-meetings"}),
        ("partner", MEMBER_SECTIONS),
        ("inner_member", MEMBER_SECTIONS),
        ("fachgruppe_coordinator", {*MEMBER_SECTIONS, "overview-waiting"}),
        ("coordinator", {*MEMBER_SECTIONS, "overview-waiting"}),
        ("staff_member", {*MEMBER_SECTIONS, "overview-waiting"}),
    ],
)
def test_each_role_finds_its_sections(client, request, role, sections):
    html = page_of(client, request.getfixturevalue(role))

    assert set(re.findall(r'data-testid="(overview-[a-z]+)"', html)) == sections


def test_a_guest_without_a_request_is_told_how_to_join(client, outsider, fachgruppe):
    html = page_of(client, outsider)
    membership = text_of(section(html, "overview-membership"))

    assert "Ihr Weg in die Fachgruppe" in membership
    assert f'href="/spaces/{fachgruppe.slug}/join/"' in section(html, "overview-membership")
    assert "Zugang zu „Fachgruppe Handwerk“ anfragen" in membership
    assert section(html, "overview-news") == ""
    assert section(html, "overview-waiting") == ""


def test_a_guest_with_a_pending_request_sees_its_state_and_what_happens_next(client, requester, fachgruppe):
    request = JoinRequest.objects.get(user=requester)
    html = page_of(client, requester)
    membership = text_of(section(html, "overview-membership"))

    assert "Offen" in membership
    assert (
        f"Ihre Anfrage an „Fachgruppe Handwerk“ vom {timezone.localdate(request.created_at):%d.%m.%Y} "
        "liegt der Koordination vor." in membership
    )
    assert "Wie es weitergeht: Die Koordination des Raums entscheidet" in membership
    assert f'action="/spaces/{fachgruppe.slug}/join/{request.pk}/withdraw/"' in html
    # Already asked: no second invitation to ask.
    assert "Zugang zu „Fachgruppe Handwerk“ anfragen" not in membership


def test_a_guest_whose_request_was_declined_is_told_so_and_may_ask_again(client, requester, fachgruppe):
    JoinRequest.objects.filter(user=requester).update(
        status=JoinRequest.Status.DECLINED, decided_at=timezone.now()
    )

    membership = text_of(section(page_of(client, requester), "overview-membership"))

    assert "Ihre Anfrage an „Fachgruppe Handwerk“ wurde am" in membership
    assert "abgelehnt" in membership
    assert "Zugang zu „Fachgruppe Handwerk“ anfragen" in membership


def test_a_partner_sees_meetings_tasks_and_news_of_the_fachgruppe_but_nothing_waiting(
    client, partner, coordinator, fachgruppe
):
    meeting = MeetingFactory(space=fachgruppe, title="Fachgruppentreffen im Herbst")
    ParticipantFactory(meeting=meeting, user=partner)
    held = HeldMeetingFactory(space=fachgruppe, title="Sitzung im Frühjahr")
    published_minutes(held, by=coordinator, assignee=partner, title="Konzept kommentieren")
    ThreadFactory(space=fachgruppe, title="Praxistage planen")

    html = page_of(client, partner)

    meetings = text_of(section(html, "overview-meetings"))
    assert "Fachgruppentreffen im Herbst" in meetings
    assert "Ihre Rückmeldung: Noch keine" in meetings
    assert "Konzept kommentieren" in text_of(section(html, "overview-tasks"))
    news = text_of(section(html, "overview-news"))
    assert "Fachgruppe Handwerk" in news
    assert "Praxistage planen" in news
    assert "Sitzung im Frühjahr" in news
    assert section(html, "overview-waiting") == ""
    assert section(html, "overview-membership") == ""


def test_a_coordinator_sees_what_waits_with_counts_and_links(client, coordinator, requester, fachgruppe):
    submitted(ProjectFactory(title="Tandem-Beratung"))
    ProjectFactory(title="Noch ein Entwurf")
    question = questions.question_submit(asker=requester, title="Wie finden Betriebe Nachwuchs?", body="…")
    held = HeldMeetingFactory(space=fachgruppe, title="Sitzung ohne Protokoll")
    request = JoinRequest.objects.get(user=requester)

    html = page_of(client, coordinator)
    waiting = section(html, "overview-waiting")

    assert "1 Beitrittsanfrage" in waiting
    assert f'href="/spaces/{fachgruppe.slug}/requests/{request.pk}/">{requester.name}</a>' in waiting
    assert f'href="/spaces/{fachgruppe.slug}/requests/">Alle anzeigen: Fachgruppe Handwerk (1)</a>' in waiting
    assert "1 Projekt zu prüfen" in waiting
    assert "Tandem-Beratung" in waiting
    assert "Noch ein Entwurf" not in waiting
    assert 'href="/projects/pruefung/"' in waiting
    assert "1 Frage zu sichten" in waiting
    assert f'href="{question.get_absolute_url()}"' in waiting
    assert 'href="/fragen/?status=submitted"' in waiting
    assert "1 Protokoll zu veröffentlichen" in waiting
    assert f'href="/meetings/{held.pk}/minutes/"' in waiting


def test_a_coordinator_with_nothing_waiting_is_told_so(client, fachgruppe_coordinator):
    waiting = text_of(section(page_of(client, fachgruppe_coordinator), "overview-waiting"))

    assert "Wartet auf Sie Zurzeit wartet nichts auf Sie." in waiting


def test_a_coordinator_does_not_find_their_own_project_to_review(client, coordinator):
    submitted(ProjectFactory(title="Eigenes Projekt", submitted_by=coordinator))

    assert "Eigenes Projekt" not in page_of(client, coordinator)


def test_the_inner_circle_has_its_own_news_beside_the_fachgruppe(client, inner_member, inner):
    ThreadFactory(space=inner, title="Interne Abstimmung")

    news = section(page_of(client, inner_member), "overview-news")

    assert news.index("Fachgruppe Handwerk") < news.index("Fachkräftezentren Handwerk")
    assert news.index("Fachkräftezentren Handwerk") < news.index("Interne Abstimmung")


@pytest.mark.parametrize("count", [SECTION_SIZE, SECTION_SIZE + 2])
def test_lists_are_bounded_with_a_link_to_all(client, partner, fachgruppe, count):
    for n in range(count):
        ThreadFactory(space=fachgruppe, title=f"Diskussion Nummer {n}")

    news = text_of(section(page_of(client, partner), "overview-news"))

    assert len(re.findall(r"Diskussion Nummer \d", news)) == SECTION_SIZE
    assert f"{count} Diskussionen mit neuen Beiträgen" in news
    assert ("Alle anzeigen" in news) is (count > SECTION_SIZE)


# --- Nothing hidden ------------------------------------------------------------


@pytest.fixture
def inner_content(inner, inner_member, coordinator, partner):
    """Inner-circle content of every kind the overview shows, named so that a leak is easy to spot.

    The partner is even invited to the inner meeting: it stays hidden all the same."""
    ThreadFactory(space=inner, title="VERTRAULICH Diskussion", author=inner_member)
    services.document_create(
        space=inner,
        by=inner_member,
        title="VERTRAULICH Dokument",
        upload=SimpleUploadedFile("konzept.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    meeting = MeetingFactory(space=inner, title="VERTRAULICH Sitzung")
    ParticipantFactory(meeting=meeting, user=partner)
    ParticipantFactory(meeting=meeting, user=inner_member)
    held = HeldMeetingFactory(space=inner, title="VERTRAULICH Protokollsitzung")
    published_minutes(held, by=coordinator, assignee=inner_member, title="VERTRAULICH Aufgabe")
    information.information_draft_create(
        space=inner, by=inner_member, title="VERTRAULICH Entwurf", summary="Intern.", body="Intern."
    )
    JoinRequest.objects.create(space=inner, user=UserFactory(name="VERTRAULICH Anfragende"))
    HeldMeetingFactory(space=inner, title="VERTRAULICH ohne Protokoll")
    questions_in_inner = Question.objects.create(
        space=inner, audience=inner, title="VERTRAULICH Frage", body="…", asked_by=inner_member
    )
    return questions_in_inner


def test_inner_content_never_shows_for_a_fachgruppe_only_partner(client, partner, inner_content):
    html = page_of(client, partner)

    assert "VERTRAULICH" not in html
    assert "Fachkräftezentren Handwerk" not in html.split("<main")[1]


def test_a_fachgruppe_only_coordinator_sees_nothing_of_the_inner_circle(
    client, fachgruppe_coordinator, inner_content
):
    html = page_of(client, fachgruppe_coordinator)

    assert "VERTRAULICH" not in html


def test_the_inner_member_does_see_the_inner_content(client, inner_member, inner_content):
    text = text_of(page_of(client, inner_member))

    for title in ("Diskussion", "Dokument", "Sitzung", "Protokollsitzung", "Aufgabe"):
        assert f"VERTRAULICH {title}" in text
    # Waiting work is the coordinators' only.
    assert "VERTRAULICH Anfragende" not in text


def test_the_inner_coordinator_finds_the_inner_work_waiting(client, coordinator, inner_content):
    waiting = text_of(section(page_of(client, coordinator), "overview-waiting"))

    assert "VERTRAULICH Anfragende" in waiting
    assert "VERTRAULICH ohne Protokoll" in waiting


# --- One-click answers and due dates -----------------------------------------


def test_one_click_answer_is_saved_and_returns_to_the_overview_keeping_the_note(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe, title="Fachgruppentreffen")
    participant = ParticipantFactory(meeting=meeting, user=partner, note="Komme etwas später")
    html = page_of(client, partner)
    assert f'action="/meetings/{meeting.pk}/participants/respond/"' in html
    assert 'name="note" value="Komme etwas später"' in html

    response = client.post(
        f"/meetings/{meeting.pk}/participants/respond/",
        {"response": "accepted", "note": "Komme etwas später", "next": "overview"},
    )

    assert response["Location"] == URL
    participant.refresh_from_db()
    assert (participant.response, participant.note) == (Participant.Response.ACCEPTED, "Komme etwas später")
    after = client.get(URL).content.decode()
    assert "Danke, Ihre Rückmeldung ist gespeichert." in after
    assert "Ihre Rückmeldung: Zugesagt" in text_of(section(after, "overview-meetings"))


def test_meetings_without_an_invitation_say_so_and_offer_no_answer(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe, title="Offenes Treffen")

    html = page_of(client, partner)

    assert "Sie sind nicht eingeladen." in text_of(section(html, "overview-meetings"))
    assert f"/meetings/{meeting.pk}/participants/respond/" not in html


def test_overdue_tasks_are_marked(client, partner, coordinator, fachgruppe):
    today = timezone.localdate()
    held = HeldMeetingFactory(space=fachgruppe)
    for title, due in (("Längst fällig", today - datetime.timedelta(days=2)), ("Bald fällig", today)):
        item = minutes.action_item_add(meeting=held, by=coordinator, title=title, assignees=[partner])
        ActionItem.objects.filter(pk=item.pk).update(due_date=due)
    minutes.minutes_publish(meeting=held, by=coordinator)

    tasks = text_of(section(page_of(client, partner), "overview-tasks"))

    assert re.search(r"Längst fällig Überfällig bis \d\d\.\d\d\.\d{4}", tasks)
    assert re.search(r"Bald fällig bis \d\d\.\d\d\.\d{4}", tasks)
    assert tasks.count("Überfällig") == 1


# --- Since the last visit ------------------------------------------------------


def test_news_are_what_came_after_the_previous_visit(client, partner, fachgruppe):
    client.force_login(partner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        ThreadFactory(space=fachgruppe, title="Vor dem ersten Besuch")
        first = client.get(URL).content.decode()
        assert "Was in den letzten 30 Tagen hinzugekommen ist." in first
        assert "Vor dem ersten Besuch" in first

        traveller.shift(datetime.timedelta(hours=5))
        ThreadFactory(space=fachgruppe, title="Nach dem ersten Besuch")
        second = text_of(client.get(URL).content.decode())

    assert "Nach dem ersten Besuch" in second
    assert "Vor dem ersten Besuch" not in second
    assert "Seit Ihrem letzten Besuch am" in second


def test_what_was_new_stays_marked_while_the_person_keeps_coming_back(client, partner, fachgruppe):
    client.force_login(partner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(URL)
        traveller.shift(datetime.timedelta(hours=5))
        ThreadFactory(space=fachgruppe, title="Frisch")
        client.get(URL)
        for _ in range(3):
            traveller.shift(datetime.timedelta(minutes=10))
            assert "Frisch" in client.get(URL).content.decode()


def test_viewing_the_overview_again_within_minutes_writes_nothing(client, partner):
    client.force_login(partner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(URL)
        seen = OverviewVisit.objects.get(user=partner).seen_at
        traveller.shift(datetime.timedelta(minutes=2))

        with CaptureQueriesContext(connection) as captured:
            client.get(URL)

        writes = [q["sql"] for q in captured.captured_queries if "portal_overviewvisit" in q["sql"]]
        assert all(sql.startswith("SELECT") for sql in writes), writes
        assert OverviewVisit.objects.get(user=partner).seen_at == seen

        traveller.shift(datetime.timedelta(minutes=4))
        client.get(URL)
    assert OverviewVisit.objects.get(user=partner).seen_at > seen


# --- Constant queries ------------------------------------------------------------


def _grow_everything(*, fachgruppe, person, coordinator, asker):
    """One more row in every section of the overview, for `person` and for the coordinator."""

    def grow():
        meeting = MeetingFactory(space=fachgruppe)
        ParticipantFactory(meeting=meeting, user=person)
        held = HeldMeetingFactory(space=fachgruppe)
        published_minutes(held, by=coordinator, assignee=person)
        HeldMeetingFactory(space=fachgruppe)
        ThreadFactory(space=fachgruppe)
        services.document_create(
            space=fachgruppe,
            by=coordinator,
            title="Dokument",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
        page = information.information_draft_create(
            space=fachgruppe, by=coordinator, title="Information", summary="Kurz.", body="Text."
        )
        information.information_publish(page=page, by=coordinator)
        JoinRequest.objects.create(space=fachgruppe, user=UserFactory())
        submitted(ProjectFactory())
        questions.question_submit(asker=asker, title="Frage", body="…")

    return grow


def _queries(client) -> list[str]:
    # Counted with nothing cached (shared reads, the unread number): the bound must hold on a miss.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("role", ["partner", "coordinator"])
def test_the_overview_needs_the_same_queries_for_one_and_for_ten_rows_per_section(
    role, request, fachgruppe, coordinator, outsider
):
    person = request.getfixturevalue(role)
    grow = _grow_everything(fachgruppe=fachgruppe, person=person, coordinator=coordinator, asker=outsider)
    client = Client()
    client.force_login(person)
    grow()
    _queries(client)
    small = _queries(client)
    for _ in range(9):
        grow()
    large = _queries(client)

    assert len(large) == len(small), "\n".join(large)
    html = client.get(URL).content.decode()
    assert "10 Diskussionen mit neuen Beiträgen" in html
    if role == "coordinator":
        assert "10 Beitrittsanfragen" in html
