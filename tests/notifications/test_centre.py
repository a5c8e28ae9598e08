"""The notification centre and the preferences page, as a signed-in person uses them."""

import re

import pytest
from django.urls import reverse

from groups import services
from groups.models import Membership
from portal.notifications.forms import TOPICS
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Notification, Preference
from tests.factories import UserFactory
from tests.outbox import deliver_all
from tests.querycount import assert_constant_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


def _new_thread(space, author, title: str = "Ausbildung 2027") -> None:
    services.thread_create(space=space, author=author, title=title, body="Wer macht mit?")
    deliver_all()


def _badge(client) -> str:
    return client.get(reverse("notifications:unread_badge"), **HTMX).content.decode()


@pytest.fixture
def member(fachgruppe):
    user = UserFactory()
    Membership.objects.create(space=fachgruppe, user=user)
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_the_header_shows_the_unread_count(fachgruppe, partner, member_client):
    _new_thread(fachgruppe, partner, "Erste")
    _new_thread(fachgruppe, partner, "Zweite")

    page = member_client.get("/").content.decode()

    assert 'id="notification-badge"' in page
    assert '>2<span class="visually-hidden"> ungelesen</span>' in page


def test_the_badge_fragment_answers_htmx_with_the_current_count(fachgruppe, partner, member_client):
    assert ">0<" in _badge(member_client)
    _new_thread(fachgruppe, partner)

    fragment = _badge(member_client)

    assert fragment.startswith('<span id="notification-badge"')
    assert "<html" not in fragment
    assert ">1<" in fragment
    assert 'hx-get="/notifications/count/"' in fragment


def test_the_badge_stops_polling_once_the_person_is_signed_out(client):
    response = client.get(reverse("notifications:unread_badge"), **HTMX)

    # 286 tells htmx to stop polling instead of swapping the login page into the header.
    assert response.status_code == 286
    assert response.content == b""


def test_the_list_shows_the_persons_notifications_newest_first(fachgruppe, partner, member_client):
    _new_thread(fachgruppe, partner, "Ältere Diskussion")
    _new_thread(fachgruppe, partner, "Neuere Diskussion")

    page = member_client.get(reverse("notifications:list")).content.decode()

    assert page.index("Neuere Diskussion") < page.index("Ältere Diskussion")
    assert page.count("Als gelesen markieren") == 2


def test_the_list_leaves_out_notifications_of_a_ring_the_person_has_left(
    fachgruppe, inner, coordinator, inner_member, client
):
    _new_thread(inner, coordinator, "Nur für den inneren Kreis")
    _new_thread(fachgruppe, coordinator, "Für die ganze Fachgruppe")
    Membership.objects.filter(user=inner_member, space=inner).delete()
    client.force_login(inner_member)

    page = client.get(reverse("notifications:list")).content.decode()

    assert "Für die ganze Fachgruppe" in page
    assert "Nur für den inneren Kreis" not in page
    assert '>1<span class="visually-hidden"> ungelesen' in _badge(client)


def test_the_list_is_paginated(fachgruppe, partner, member_client):
    for number in range(27):
        services.thread_create(space=fachgruppe, author=partner, title=f"Thema {number}", body="Text")
    deliver_all()

    first = member_client.get(reverse("notifications:list")).content.decode()
    second = member_client.get(reverse("notifications:list") + "?page=2").content.decode()

    assert first.count("Als gelesen markieren") == 25
    assert second.count("Als gelesen markieren") == 2
    assert "Seite 2 von 2" in second
    assert 'href="?page=1"' in second


def test_the_list_needs_the_same_queries_for_one_or_three_notifications(fachgruppe, partner, member_client):
    counter = iter(range(100))

    assert_constant_queries(
        member_client,
        reverse("notifications:list"),
        grow=lambda: _new_thread(fachgruppe, partner, f"Thema {next(counter)}"),
    )


def test_marking_one_read_without_javascript_returns_to_the_list(fachgruppe, partner, member, member_client):
    _new_thread(fachgruppe, partner, "Erste")
    _new_thread(fachgruppe, partner, "Zweite")
    first, second = Notification.objects.filter(user=member).order_by("pk")

    response = member_client.post(reverse("notifications:mark_read", args=[first.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    fachgruppe, partner, member, member_client
):
    _new_thread(fachgruppe, partner)
    notification = Notification.objects.get(user=member)

    response = member_client.post(reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"})

    assert response.status_code == 302
    assert response["Location"] == notification.event.data["url"]
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_one_read_with_htmx_swaps_just_the_item_and_the_count(
    fachgruppe, partner, member, member_client
):
    _new_thread(fachgruppe, partner, "Erste")
    _new_thread(fachgruppe, partner, "Zweite")
    first = Notification.objects.filter(user=member).order_by("pk").first()

    response = member_client.post(reverse("notifications:mark_read", args=[first.pk]), **HTMX)

    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith(f'<li id="notification-{first.pk}"')
    assert "Erste" in fragment
    assert "Zweite" not in fragment
    assert "Als gelesen markieren" not in fragment
    assert f'id="notification-{first.pk}-read"' in fragment
    assert 'hx-swap-oob="true">1<span class="visually-hidden"> ungelesen' in fragment
    assert "<html" not in fragment


def test_nobody_can_mark_someone_elses_notification(fachgruppe, partner, member, client):
    _new_thread(fachgruppe, partner)
    notification = Notification.objects.get(user=member)
    client.force_login(partner)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_all_read_marks_every_notification_of_the_person_only(fachgruppe, partner, member, member_client):
    other = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other)
    _new_thread(fachgruppe, partner, "Erste")
    _new_thread(fachgruppe, partner, "Zweite")

    response = member_client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "Alle Benachrichtigungen sind als gelesen markiert." in response.content.decode()
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 2
    assert ">0<" in _badge(member_client)


def test_the_preferences_page_is_in_the_account_navigation_with_a_label_for_every_choice(
    fachgruppe, member_client
):
    page = member_client.get(reverse("notifications:preferences")).content.decode()

    link = '<a class="nav-link active" href="/notifications/preferences/" aria-current="page">'
    assert f"{link}Benachrichtigungen</a>" in page
    for name, _label, _kinds, coordinators_only in TOPICS:
        if not coordinators_only:
            assert f'<label class="form-label" for="id_topic_{name}">' in page
    for choice in ("sofort", "täglich", "wöchentlich", "nur im Portal", "aus", "wie voreingestellt"):
        assert f">{choice}</option>" in page


def test_every_kind_is_in_exactly_one_topic():
    kinds = [kind for _name, _label, topic_kinds, _only in TOPICS for kind in topic_kinds]
    assert sorted(kinds) == sorted(Kind)


def test_partners_do_not_see_the_coordinators_kinds_and_coordinators_do(partner, coordinator, client):
    client.force_login(partner)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'for="id_topic_discussions"' in page
    assert 'for="id_topic_coordination"' not in page
    assert "Beitrittsanfragen" not in page

    client.force_login(coordinator)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'for="id_topic_coordination"' in page


def test_a_partner_cannot_set_a_coordinators_kind_by_posting_it(partner, client):
    client.force_login(partner)
    client.post(reverse("notifications:preferences"), {"topic_coordination": Channel.OFF})

    assert not Preference.objects.filter(user=partner, kind=Kind.JOIN_REQUESTED).exists()


def test_a_topic_of_mixed_stored_channels_is_left_as_it_is_when_saved_unchanged(member, member_client):
    Preference.objects.create(user=member, kind=Kind.THREAD_CREATED, channel=Channel.IMMEDIATE)
    Preference.objects.create(user=member, kind=Kind.POST_CREATED, channel=Channel.OFF)
    form = member_client.get(reverse("notifications:preferences")).context["form"]
    assert form["topic_discussions"].initial == "mixed"

    member_client.post(reverse("notifications:preferences"), {n: form[n].initial or "" for n in form.fields})

    assert set(Preference.objects.filter(user=member).values_list("kind", "channel")) == {
        (Kind.THREAD_CREATED, Channel.IMMEDIATE),
        (Kind.POST_CREATED, Channel.OFF),
    }


def test_saving_the_preferences_unchanged_keeps_the_inner_circles_weekly_default(
    fachgruppe, partner, inner_member, client
):
    client.force_login(inner_member)
    form = client.get(reverse("notifications:preferences")).context["form"]
    unchanged = {name: form[name].initial or "" for name in form.fields}

    client.post(reverse("notifications:preferences"), unchanged)
    _new_thread(fachgruppe, partner)

    assert Preference.objects.filter(user=inner_member).count() == 0
    assert Delivery.objects.get(user=inner_member).channel == Channel.WEEKLY


def test_saved_preferences_take_effect_on_the_next_event(fachgruppe, partner, member, member_client):
    Preference.objects.create(user=member, kind=Kind.POST_CREATED, space=fachgruppe, channel=Channel.OFF)
    response = member_client.post(
        reverse("notifications:preferences"), {"topic_discussions": Channel.IMMEDIATE}, follow=True
    )
    assert "Ihre Einstellungen wurden gespeichert." in response.content.decode()
    thread = services.thread_create(space=fachgruppe, author=partner, title="Sofort", body="Text")
    services.post_reply(thread=thread, author=partner, body="Antwort")
    deliver_all()

    assert Delivery.objects.get(user=member, event__kind=Kind.THREAD_CREATED).channel == Channel.IMMEDIATE
    # A per-space choice of the former matrix still holds.
    assert not Notification.objects.filter(user=member, event__kind=Kind.POST_CREATED).exists()
    page = member_client.get(reverse("notifications:preferences")).content.decode()
    assert '<option value="immediate" selected>' in page
    assert "Ihre früheren Einstellungen für einzelne Räume gelten weiter." in page


def test_a_tampered_choice_is_refused_with_a_message_and_nothing_is_saved(member, member_client):
    response = member_client.post(
        reverse("notifications:preferences"), {"topic_discussions": "carrier-pigeon"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfen Sie die markierten Angaben." in page
    assert "is-invalid" in page
    assert not Preference.objects.filter(user=member).exists()


RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_marking_read_swaps_the_item_and_the_count_under_the_csp(
    page, live_server, fachgruppe, partner, member
):
    from axe_playwright_python.sync_playwright import Axe
    from django.conf import settings
    from django.test import Client

    _new_thread(fachgruppe, partner, "Erste")
    _new_thread(fachgruppe, partner, "Zweite")
    first = Notification.objects.filter(user=member).order_by("pk").first()
    client = Client()
    client.force_login(member)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.set_default_timeout(5_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(f"{live_server.url}/notifications/")
    page.wait_for_load_state("networkidle")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    page.get_by_role("button", name=re.compile(r"^Als gelesen markieren\W+.*„Erste“ begonnen\.$")).click()

    item = page.locator(f"#notification-{first.pk}")
    item.get_by_text("Gelesen", exact=True).wait_for()
    assert page.locator("#notification-badge").inner_text().startswith("1")
    assert page.evaluate("document.activeElement.id") == f"notification-{first.pk}-read"
    assert navigations == []
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []
    first.refresh_from_db()
    assert first.read_at is not None
    for path in ("/notifications/", "/notifications/preferences/"):
        page.goto(f"{live_server.url}{path}")
        violations = [
            v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}
        ]
        assert violations == [], path


def test_a_demoted_coordinator_no_longer_finds_the_join_request_in_the_centre_nor_the_digest(
    fachgruppe, coordinator, fachgruppe_coordinator, client, mailoutbox
):
    """The centre and the digests ask the same rule (audience.still_visible): an event for the
    coordination stays only while the person coordinates the space."""
    from portal.notifications import digests
    from portal.notifications.services import preference_set

    preference_set(user=fachgruppe_coordinator, kind=Kind.JOIN_REQUESTED, channel=Channel.DAILY)
    applicant = UserFactory(name="Berta Bewerberin")
    services.join_request_create(space=fachgruppe, user=applicant, message="Bitte aufnehmen.")
    deliver_all()
    client.force_login(fachgruppe_coordinator)
    assert "Berta Bewerberin" in client.get(reverse("notifications:list")).content.decode()
    assert '>1<span class="visually-hidden"> ungelesen' in _badge(client)

    services.membership_set_role(
        membership=Membership.objects.get(user=fachgruppe_coordinator, space=fachgruppe),
        role=Membership.Role.MEMBER,
        by=coordinator,
    )

    page = client.get(reverse("notifications:list")).content.decode()
    assert "Berta Bewerberin" not in page
    assert "Neue Beitrittsanfrage" not in page
    assert '>0<span class="visually-hidden"> ungelesen' in _badge(client)
    mailoutbox.clear()
    assert digests.send_digest(channel=Channel.DAILY, user_id=fachgruppe_coordinator.pk) == 0
    assert mailoutbox == []
    # The coordinator who still coordinates keeps it.
    client.force_login(coordinator)
    assert "Berta Bewerberin" in client.get(reverse("notifications:list")).content.decode()


def test_a_join_request_names_the_person_and_leaves_once_withdrawn(fachgruppe, coordinator, client):
    applicant = UserFactory(name="Jonas Feldmann", organisation_name="Tischlerinnung Nordland")
    join_request = services.join_request_create(space=fachgruppe, user=applicant, message="Bitte.")
    deliver_all()
    client.force_login(coordinator)

    page = client.get(reverse("notifications:list")).content.decode()
    assert "Jonas Feldmann möchte dem Raum „Fachgruppe Handwerk“ beitreten." in page

    services.join_request_withdraw(join_request=join_request, user=applicant)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Jonas Feldmann" not in page
    assert '>0<span class="visually-hidden"> ungelesen' in _badge(client)


def test_a_decided_join_request_leaves_the_coordinators_centre(fachgruppe, coordinator, client):
    applicant = UserFactory(name="Jonas Feldmann")
    join_request = services.join_request_create(space=fachgruppe, user=applicant)
    deliver_all()
    services.join_request_approve(join_request=join_request, by=coordinator)
    deliver_all()

    client.force_login(coordinator)
    assert "möchte dem Raum" not in client.get(reverse("notifications:list")).content.decode()
    # The applicant keeps the decision.
    client.force_login(applicant)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Ihre Beitrittsanfrage wurde angenommen" in page


def test_several_posts_in_one_thread_are_one_entry_read_as_a_whole(
    fachgruppe, partner, member, member_client
):
    thread = services.thread_create(space=fachgruppe, author=partner, title="Hitzeschutz", body="Wer?")
    services.post_reply(thread=thread, author=partner, body="Ich.")
    services.post_reply(thread=thread, author=partner, body=f"Und @{member.name}?")
    _new_thread(fachgruppe, partner, "Anderes Thema")

    page = member_client.get(reverse("notifications:list")).content.decode()

    assert "3 neue Beiträge in „Hitzeschutz“ (Sie wurden erwähnt)" in page
    assert page.count("Als gelesen markieren") == 2
    newest = Notification.objects.filter(user=member, event__subject_id=thread.pk).first()
    others = Notification.objects.filter(user=member, event__subject_id=thread.pk).exclude(pk=newest.pk)
    member_client.post(reverse("notifications:mark_read", args=[newest.pk]), {"also": [n.pk for n in others]})
    assert not Notification.objects.filter(
        user=member, event__subject_id=thread.pk, read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(user=member, read_at__isnull=True).count() == 1


def test_a_new_thread_that_mentions_me_is_one_entry_about_the_mention(
    fachgruppe, partner, member, member_client
):
    services.thread_create(space=fachgruppe, author=partner, title="Ausbildung", body=f"@{member.name}, Sie?")
    deliver_all()

    page = member_client.get(reverse("notifications:list")).content.decode()

    assert f"{partner.name} hat Sie in der Diskussion „Ausbildung“ erwähnt." in page
    assert page.count("Als gelesen markieren") == 1


def test_grouped_entries_need_the_same_queries_for_one_or_three_posts(fachgruppe, partner, member_client):
    thread = services.thread_create(space=fachgruppe, author=partner, title="Hitzeschutz", body="Wer?")

    def reply():
        services.post_reply(thread=thread, author=partner, body="Noch einer.")
        deliver_all()

    assert_constant_queries(member_client, reverse("notifications:list"), grow=reply)


def test_nobody_marks_someone_elses_notification_as_part_of_an_entry(fachgruppe, partner, member, client):
    _new_thread(fachgruppe, partner, "Meins")
    other = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other)
    _new_thread(fachgruppe, partner, "Fremd")
    mine = Notification.objects.filter(user=member).first()
    theirs = Notification.objects.get(user=other)
    client.force_login(member)

    client.post(reverse("notifications:mark_read", args=[mine.pk]), {"also": [theirs.pk]})

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unfollowing_a_thread_stops_its_replies_but_not_mentions(fachgruppe, partner, member, member_client):
    thread = services.thread_create(space=fachgruppe, author=partner, title="Hitzeschutz", body="Wer?")
    deliver_all()
    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert "Nicht mehr verfolgen" in page

    member_client.post(reverse("notifications:follow", args=["thread", thread.pk]), {"follow": "0"})
    services.post_reply(thread=thread, author=partner, body="Noch eine Antwort.")
    services.post_reply(thread=thread, author=partner, body=f"@{member.name}, was meinen Sie?")
    deliver_all()

    kinds = list(Notification.objects.filter(user=member).values_list("event__kind", flat=True))
    assert sorted(kinds) == sorted([Kind.THREAD_CREATED, Kind.MENTIONED])
    assert ">Verfolgen</button>" in member_client.get(thread.get_absolute_url()).content.decode()

    member_client.post(reverse("notifications:follow", args=["thread", thread.pk]), {"follow": "1"})
    services.post_reply(thread=thread, author=partner, body="Und wieder.")
    deliver_all()
    assert Notification.objects.filter(user=member, event__kind=Kind.POST_CREATED).count() == 1


def test_a_thread_one_may_not_see_cannot_be_followed(inner, coordinator, partner, client):
    thread = services.thread_create(space=inner, author=coordinator, title="Intern", body="Nur innen.")
    client.force_login(partner)

    response = client.post(reverse("notifications:follow", args=["thread", thread.pk]), {"follow": "0"})

    assert response.status_code == 404


def test_a_project_waits_in_the_coordinators_centre_only_until_it_is_decided(partner, coordinator, client):
    from projects import notify as project_notify
    from projects.models import Project
    from tests.factories.projects import ProjectFactory, submitted

    project = submitted(ProjectFactory(submitted_by=partner, title="Praxistage"))
    project_notify.submitted(project, by=partner)
    deliver_all()
    client.force_login(coordinator)
    assert (
        "hat das Projekt „Praxistage“ zur Prüfung eingereicht."
        in client.get(reverse("notifications:list")).content.decode()
    )

    project.status = Project.Status.DECLINED
    project.save()

    assert "Praxistage" not in client.get(reverse("notifications:list")).content.decode()


def test_several_events_of_one_meeting_are_one_entry(fachgruppe, coordinator, member, member_client):
    from meetings import notify as meeting_notify
    from tests.factories.meetings import MeetingFactory

    meeting = MeetingFactory(space=fachgruppe, title="Herbsttreffen")
    meeting_notify.meeting_scheduled(meeting, by=coordinator)
    meeting_notify.meeting_changed(meeting, by=coordinator, what="Neuer Raum")
    meeting_notify.meeting_changed(meeting, by=coordinator, what="Neue Uhrzeit")
    deliver_all()

    page = member_client.get(reverse("notifications:list")).content.decode()

    assert "3 Neuigkeiten zur Sitzung „Herbsttreffen“" in page
    assert page.count("Als gelesen markieren") == 1
