"""Shared reads (portal/readcache.py): served from the cache to people who stand alike, never to
anyone else, and forgotten as soon as content changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups import access
from groups.models import Membership, Thread
from portal import readcache
from projects.models import Project
from tests.factories import UserFactory
from tests.factories.groups import ThreadFactory
from tests.factories.projects import ProjectFactory, accepted

pytestmark = pytest.mark.django_db


def _client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_two_partners_share_the_space_home_read(fachgruppe, partner):
    ThreadFactory(space=fachgruppe, title="Ausbildungsmesse im Frühjahr")
    other = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other)
    url = fachgruppe.get_absolute_url()

    first, page = _queries(_client_of(partner), url)
    second, other_page = _queries(_client_of(other), url)

    assert "Ausbildungsmesse im Frühjahr" in page
    assert "Ausbildungsmesse im Frühjahr" in other_page
    assert second < first, "the second partner's page should come from the shared read"


def test_a_new_thread_appears_at_once_for_those_who_read_before(fachgruppe, partner):
    client = _client_of(partner)
    url = fachgruppe.get_absolute_url()
    client.get(url)

    ThreadFactory(space=fachgruppe, title="Neu: Nachfolge in Familienbetrieben")

    assert "Neu: Nachfolge in Familienbetrieben" in client.get(url).content.decode()


def test_what_an_inner_member_read_never_reaches_a_partner(fachgruppe, inner, partner, inner_member):
    ThreadFactory(space=inner, title="Vertrauliche Gehaltsfragen")
    ThreadFactory(space=fachgruppe, audience=fachgruppe, title="Offene Runde")
    url = fachgruppe.get_absolute_url()
    inner_url = inner.get_absolute_url()

    _, inner_page = _queries(_client_of(inner_member), inner_url)
    _queries(_client_of(inner_member), url)
    _, partner_inner_page = _queries(_client_of(partner), inner_url)

    assert "Vertrauliche Gehaltsfragen" in inner_page
    assert "Vertrauliche Gehaltsfragen" not in partner_inner_page
    assert access.standing_key(partner) != access.standing_key(inner_member)


def test_a_project_under_review_is_never_shared_with_others_of_the_same_standing(fachgruppe, partner):
    submitter = UserFactory()
    Membership.objects.create(space=fachgruppe, user=submitter)
    draft = ProjectFactory(submitted_by=submitter, title="Eigener Entwurf")
    assert draft.status != Project.Status.ACCEPTED
    assert access.standing_key(submitter) == access.standing_key(partner)

    assert _client_of(submitter).get(draft.get_absolute_url()).status_code == 200

    assert _client_of(partner).get(draft.get_absolute_url()).status_code == 404


def test_a_membership_change_changes_the_standing_and_so_the_read(fachgruppe, inner, partner):
    ThreadFactory(space=inner, title="Nur für den inneren Kreis")
    client = _client_of(partner)
    assert client.get(inner.get_absolute_url()).status_code == 200
    assert "Nur für den inneren Kreis" not in client.get(inner.get_absolute_url()).content.decode()

    Membership.objects.create(space=inner, user=partner)

    assert "Nur für den inneren Kreis" in client.get(inner.get_absolute_url()).content.decode()


def test_a_cache_that_does_not_answer_means_reading_directly(fachgruppe, partner, monkeypatch):
    ThreadFactory(space=fachgruppe, title="Auch ohne Cache sichtbar")

    def refuse(*_args, **_kwargs):
        raise readcache.redis.ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "set", refuse)
    monkeypatch.setattr(cache, "add", refuse)

    page = _client_of(partner).get(fachgruppe.get_absolute_url())

    assert page.status_code == 200
    assert "Auch ohne Cache sichtbar" in page.content.decode()


def test_the_start_page_shows_the_showcase_while_the_cache_does_not_answer(
    client, fachgruppe, coordinator, monkeypatch
):
    """make rehearsal found the start page answering 500 while Redis restarted: its showcase
    read the cache directly instead of through readcache."""
    accepted(ProjectFactory(space=fachgruppe, title="Ausbildung im Verbund"), by=coordinator)

    def refuse(*_args, **_kwargs):
        raise readcache.redis.ConnectionError("Redis is down")

    monkeypatch.setattr(readcache, "_resting_until", 0.0)
    for operation in ("get", "set", "add", "delete_many"):
        monkeypatch.setattr(cache, operation, refuse)

    page = client.get("/")

    assert page.status_code == 200
    assert "Ausbildung im Verbund" in page.content.decode()


def test_only_rows_of_the_content_apps_change_the_generation(fachgruppe, partner):
    before = readcache.generation()
    partner.sessions_seen = 1  # not a save
    Thread.objects.none()
    assert readcache.generation() == before

    ThreadFactory(space=fachgruppe)

    assert readcache.generation() != before


def test_published_minutes_are_shared_but_a_draft_never_leaves_the_coordination(
    fachgruppe, partner, coordinator
):
    from meetings import minutes
    from tests.factories.meetings import HeldMeetingFactory

    meeting = HeldMeetingFactory(space=fachgruppe, audience=fachgruppe)
    url = meeting.get_absolute_url()
    partner_client = _client_of(partner)
    assert "Protokoll" not in partner_client.get(url).content.decode()

    minutes.minutes_edit(meeting=meeting, by=coordinator, introduction="Entwurf: Begrüßung durch die Leitung")
    coordinator_page = _client_of(coordinator).get(url).content.decode()
    assert "Entwurf: Begrüßung durch die Leitung" in coordinator_page
    assert "Entwurf: Begrüßung" not in partner_client.get(url).content.decode()

    minutes.minutes_publish(meeting=meeting, by=coordinator)
    assert "Entwurf: Begrüßung durch die Leitung" in partner_client.get(url).content.decode()


def test_an_accepted_project_its_submitter_sees_only_by_their_own_right_is_not_shared(
    fachgruppe, inner, partner, coordinator
):
    submitter = UserFactory()
    Membership.objects.create(space=fachgruppe, user=submitter)
    project = ProjectFactory(submitted_by=submitter, title="Nur auf eigenes Recht sichtbar")
    # As if accepted while its audience stayed inside the inner circle, which the submitter is not in.
    Project.objects.filter(pk=project.pk).update(status=Project.Status.ACCEPTED, audience=inner)
    assert access.standing_key(submitter) == access.standing_key(partner)

    assert _client_of(submitter).get(project.get_absolute_url()).status_code == 200

    assert _client_of(partner).get(project.get_absolute_url()).status_code == 404


def test_the_catalogue_is_shared_but_never_shows_what_a_submitter_sees_by_their_own_right(
    fachgruppe, inner, partner
):
    submitter = UserFactory()
    Membership.objects.create(space=fachgruppe, user=submitter)
    ProjectFactory(
        status=Project.Status.ACCEPTED,
        audience=None,
        accepted_at=timezone.now(),
        title="Für alle: Ausbildungsverbund Nord",
    )
    own = ProjectFactory(submitted_by=submitter, title="Eigenes Recht: Werkstattverbund")
    Project.objects.filter(pk=own.pk).update(status=Project.Status.ACCEPTED, audience=inner)
    assert access.standing_key(submitter) == access.standing_key(partner)

    first, submitters_list = _queries(_client_of(submitter), "/projects/")
    second, partners_list = _queries(_client_of(partner), "/projects/")

    assert "Für alle: Ausbildungsverbund Nord" in submitters_list
    assert "Für alle: Ausbildungsverbund Nord" in partners_list
    assert "Eigenes Recht: Werkstattverbund" not in partners_list
    assert "Eigenes Recht: Werkstattverbund" not in submitters_list
    assert second < first, "the partner's results should come from the shared read"


def test_a_newly_accepted_project_is_in_the_catalogue_at_once(partner):
    client = _client_of(partner)
    client.get("/projects/")

    ProjectFactory(
        status=Project.Status.ACCEPTED,
        audience=None,
        accepted_at=timezone.now(),
        title="Neu aufgenommen: Dachdeckerlehre digital",
    )

    assert "Neu aufgenommen: Dachdeckerlehre digital" in client.get("/projects/").content.decode()


def test_the_meeting_list_is_shared_by_standing_and_a_new_meeting_is_listed_at_once(
    fachgruppe, inner, partner, inner_member
):
    from tests.factories.meetings import MeetingFactory

    MeetingFactory(space=inner, audience=inner, title="Innenkreis: Budgetrunde")
    inner_list = _client_of(inner_member).get("/meetings/").content.decode()
    partner_list = _client_of(partner).get("/meetings/").content.decode()
    assert "Innenkreis: Budgetrunde" in inner_list
    assert "Innenkreis: Budgetrunde" not in partner_list

    MeetingFactory(space=fachgruppe, audience=fachgruppe, title="Fachgruppe: Frühjahrstreffen")
    assert "Fachgruppe: Frühjahrstreffen" in _client_of(partner).get("/meetings/").content.decode()


def test_an_agenda_link_to_ones_own_project_under_review_is_never_shared(fachgruppe, partner, coordinator):
    from meetings.models import AgendaItem
    from tests.factories.meetings import MeetingFactory

    submitter = UserFactory()
    Membership.objects.create(space=fachgruppe, user=submitter)
    project = ProjectFactory(
        submitted_by=submitter, space=fachgruppe, title="In Prüfung: Lehrwerkstatt mobil"
    )
    meeting = MeetingFactory(space=fachgruppe, audience=fachgruppe)
    AgendaItem.objects.create(
        meeting=meeting, position=1, title="Vorstellung eines Projekts", project=project
    )
    assert access.standing_key(submitter) == access.standing_key(partner)
    url = meeting.get_absolute_url()

    submitters_page = _client_of(submitter).get(url).content.decode()
    partners_page = _client_of(partner).get(url).content.decode()
    submitters_again = _client_of(submitter).get(url).content.decode()

    assert "In Prüfung: Lehrwerkstatt mobil" in submitters_page
    assert "Vorstellung eines Projekts" in partners_page
    assert "In Prüfung: Lehrwerkstatt mobil" not in partners_page
    assert "In Prüfung: Lehrwerkstatt mobil" in submitters_again


def test_the_cache_keeps_one_redis_client_per_connection_pool():
    if not hasattr(cache, "_cache") or not hasattr(cache._cache, "get_client"):
        pytest.skip("the cache of this run is not Redis")
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    cache.set("readcache-test-client", "ok", 5)
    assert cache.get("readcache-test-client") == "ok"


def test_a_shared_fragment_with_forms_carries_each_readers_own_working_csrf_token(
    fachgruppe, inner, coordinator
):
    import re

    from meetings.models import AgendaItem
    from tests.factories.meetings import MeetingFactory
    from tests.roles import with_totp

    meeting = MeetingFactory(space=fachgruppe, audience=fachgruppe)
    first = AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Berichte aus den Betrieben")
    colleague = with_totp(UserFactory())
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=colleague, role=Membership.Role.COORDINATOR)
    assert access.standing_key(colleague) == access.standing_key(coordinator)
    url = meeting.get_absolute_url()
    _client_of(coordinator).get(url)

    client = Client(enforce_csrf_checks=True)
    client.force_login(colleague)
    page = client.get(url).content.decode()
    move = re.search(
        rf'action="(/meetings/{meeting.pk}/agenda/{first.pk}/move/down/)">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page,
    )

    assert "\x00" not in page
    assert move is not None, "the agenda's forms come with the colleague's token"
    assert client.post(move.group(1), {"csrfmiddlewaretoken": move.group(2)}).status_code == 302
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Berichte aus den Betrieben",
        "Begrüßung",
    ]
    # The move writes with update(), which sends no signal: the page shows the new order at once.
    page = client.get(url).content.decode()
    assert page.index("Berichte aus den Betrieben") < page.index("Begrüßung")


def test_a_date_poll_opened_after_the_meeting_page_was_read_is_shown_at_once(
    fachgruppe, partner, coordinator
):
    import datetime

    from meetings import polls
    from meetings.models import Participant
    from tests.factories.meetings import TentativeMeetingFactory

    meeting = TentativeMeetingFactory(space=fachgruppe, audience=fachgruppe)
    Participant.objects.create(meeting=meeting, user=partner, name=partner.name, email=partner.email)
    url = meeting.get_absolute_url()
    assert "Terminumfrage starten" in _client_of(coordinator).get(url).content.decode()
    assert "poll-heading" not in _client_of(partner).get(url).content.decode()

    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    polls.poll_open(meeting=meeting, by=coordinator, options=[(starts, starts + datetime.timedelta(hours=2))])

    coordinators_page = _client_of(coordinator).get(url).content.decode()
    partners_page = _client_of(partner).get(url).content.decode()
    assert "poll-heading" in coordinators_page
    assert "Terminumfrage starten" not in coordinators_page
    assert "poll-heading" in partners_page


def test_publishing_the_minutes_freezes_the_coordinators_agenda_at_once(fachgruppe, partner, coordinator):
    from meetings import minutes
    from meetings.models import AgendaItem
    from tests.factories.meetings import HeldMeetingFactory

    meeting = HeldMeetingFactory(space=fachgruppe, audience=fachgruppe)
    AgendaItem.objects.create(meeting=meeting, position=1, title="Berichte aus den Betrieben")
    url = meeting.get_absolute_url()
    minutes.minutes_edit(meeting=meeting, by=coordinator, introduction="Begrüßung durch die Leitung")
    before = _client_of(coordinator).get(url).content.decode()
    assert "Punkt hinzufügen" in before
    assert "die Tagesordnung bleibt so" not in before

    minutes.minutes_publish(meeting=meeting, by=coordinator)

    after = _client_of(coordinator).get(url).content.decode()
    assert "die Tagesordnung bleibt so" in after
    assert "Punkt hinzufügen" not in after
    partners_page = _client_of(partner).get(url).content.decode()
    assert "Begrüßung durch die Leitung" in partners_page
    assert "die Tagesordnung bleibt so" not in partners_page


def test_the_review_state_is_the_submitters_or_the_coordinators_never_the_others(
    fachgruppe, partner, coordinator
):
    from projects.models import Decision
    from tests.factories.projects import reviewed, submitted

    submitter = UserFactory()
    Membership.objects.create(space=fachgruppe, user=submitter)
    project = ProjectFactory(submitted_by=submitter, space=fachgruppe, title="Lehrwerkstatt mobil")
    url = project.get_absolute_url()

    submitters_draft = _client_of(submitter).get(url).content.decode()
    coordinators_draft = _client_of(coordinator).get(url).content.decode()
    assert "Entwurf löschen" in submitters_draft
    assert "Zur Prüfung" not in submitters_draft
    assert "Zur Prüfung" in coordinators_draft
    assert "Entwurf löschen" not in coordinators_draft

    submitted(project)
    reviewed(project, by=coordinator)
    Decision.objects.create(
        project=project,
        round=project.round,
        outcome=Decision.Outcome.RETURNED,
        reason="Bitte die Kosten aufschlüsseln.",
        decided_by=coordinator,
    )
    project.status = Project.Status.RETURNED
    project.save()

    submitters_page = _client_of(submitter).get(url).content.decode()
    coordinators_page = _client_of(coordinator).get(url).content.decode()
    assert "Bitte die Kosten aufschlüsseln." in submitters_page
    assert "Überarbeiten und erneut einreichen" in submitters_page
    assert "Bitte die Kosten aufschlüsseln." in coordinators_page
    assert "Überarbeiten und erneut einreichen" not in coordinators_page
    assert _client_of(partner).get(url).status_code == 404


def test_a_coordinators_own_draft_reads_as_theirs_but_never_so_for_a_colleague_of_the_same_standing(
    fachgruppe, inner, coordinator
):
    from tests.roles import with_totp

    colleague = with_totp(UserFactory())
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=colleague, role=Membership.Role.COORDINATOR)
    assert access.standing_key(colleague) == access.standing_key(coordinator)
    project = ProjectFactory(submitted_by=coordinator, space=fachgruppe, title="Eigener Entwurf")
    url = project.get_absolute_url()

    own_page = _client_of(coordinator).get(url).content.decode()
    colleagues_page = _client_of(colleague).get(url).content.decode()
    own_again = _client_of(coordinator).get(url).content.decode()

    assert "Entwurf löschen" in own_page
    assert "Entwurf löschen" in own_again
    assert "Zur Prüfung" in colleagues_page
    assert "Entwurf löschen" not in colleagues_page


def _follows(page: str) -> bool:
    """What the meeting page's follow button says: it offers to stop following while one follows."""
    if 'name="follow" value="0"' in page:
        return True
    assert 'name="follow" value="1"' in page, "the page should show a follow button"
    return False


def test_following_and_unfollowing_a_meeting_shows_on_the_next_page_view(fachgruppe, partner):
    from django.urls import reverse

    from tests.factories.meetings import HeldMeetingFactory

    meeting = HeldMeetingFactory(space=fachgruppe, audience=fachgruppe)
    client = _client_of(partner)
    url = meeting.get_absolute_url()
    follow_url = reverse("notifications:follow", args=["meeting", meeting.pk])
    assert _follows(client.get(url).content.decode())

    client.post(follow_url, {"follow": "0"})
    assert not _follows(client.get(url).content.decode())
    with CaptureQueriesContext(connection) as captured:
        assert not _follows(client.get(url).content.decode())
    assert not any("notifications_unfollow" in query["sql"] for query in captured), (
        "a page read again should take the follow state from the cache"
    )

    client.post(follow_url, {"follow": "1"})
    assert _follows(client.get(url).content.decode())


def test_one_persons_follow_state_never_shows_for_another_of_the_same_standing(fachgruppe, partner):
    from django.urls import reverse

    from tests.factories.meetings import HeldMeetingFactory

    meeting = HeldMeetingFactory(space=fachgruppe, audience=fachgruppe)
    other = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other)
    assert access.standing_key(other) == access.standing_key(partner)
    mine, theirs = _client_of(partner), _client_of(other)
    url = meeting.get_absolute_url()
    mine.post(reverse("notifications:follow", args=["meeting", meeting.pk]), {"follow": "0"})

    assert not _follows(mine.get(url).content.decode())
    assert _follows(theirs.get(url).content.decode())
    assert not _follows(mine.get(url).content.decode())


def test_a_meeting_changed_after_its_page_was_read_with_the_header_shows_at_once(fachgruppe, partner):
    from tests.factories.meetings import HeldMeetingFactory

    meeting = HeldMeetingFactory(space=fachgruppe, audience=fachgruppe)
    client = _client_of(partner)
    url = meeting.get_absolute_url()
    client.get(url)
    client.get(url)

    meeting.title = "Umbenannt: Herbsttreffen der Innungen"
    meeting.save()

    assert "Umbenannt: Herbsttreffen der Innungen" in client.get(url).content.decode()
