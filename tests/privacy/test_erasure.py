"""Konto löschen: fresh sign-in, a confirmation that says what happens, what goes and what stays."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from groups.models import Membership, Profile, Subscriber, User
from meetings.models import CalendarToken, Participant
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Event, Preference, UnsubscribeToken
from privacy import erasure, selectors, signals
from projects.models import Project, Review
from tests.factories import TEST_PASSWORD, UserFactory, with_totp
from tests.factories.groups import ThreadFactory
from tests.factories.meetings import HeldMeetingFactory, ParticipantFactory
from tests.factories.projects import ProjectFactory, reviewed, submitted


def _reauthenticated(user) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    return client


@pytest.fixture
def heard():
    """The account_erased signals sent during the test."""
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signals.account_erased.connect(receiver)
    yield received
    signals.account_erased.disconnect(receiver)


@pytest.mark.django_db
def test_the_page_needs_a_fresh_sign_in(partner, client):
    client.force_login(partner)

    response = client.get("/konto/loeschen/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.django_db
def test_the_confirmation_says_what_goes_and_what_stays(partner, clear_cache):
    page = _reauthenticated(partner).get("/konto/loeschen/").content.decode()

    assert "Was gelöscht wird" in page
    assert "Was bleibt" in page
    assert "Ehemaliges Mitglied" in page
    assert "kann nicht rückgängig gemacht werden" in page
    assert 'name="confirm"' in page


@pytest.mark.django_db
def test_without_the_confirmation_nothing_is_erased(partner, clear_cache):
    response = _reauthenticated(partner).post("/konto/loeschen/", {})

    partner.refresh_from_db()
    assert response.status_code == 200
    assert "Bitte bestätigen Sie" in response.content.decode()
    assert partner.erased_at is None


@pytest.mark.django_db
def test_erasing_deletes_the_account_and_keeps_posts_as_former_member(
    partner, fachgruppe, coordinator, clear_cache, heard
):
    name, email = partner.name, partner.email
    thread = ThreadFactory(space=fachgruppe, author=partner, opening_post="Mein Beitrag zur Ausbildung")
    Profile.objects.create(user=partner, phone="0221 12345")
    Preference.objects.create(user=partner, kind=Kind.THREAD_CREATED, channel=Channel.OFF)
    UnsubscribeToken.objects.create(user=partner, topic=Kind.THREAD_CREATED)
    CalendarToken.objects.create(user=partner)
    Subscriber.objects.create(email=email)
    meeting = HeldMeetingFactory(space=fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner, attended=True, note="Komme später")
    draft = ProjectFactory(submitted_by=partner)
    told = Event.objects.create(
        kind=Kind.JOIN_REQUESTED,
        audience=Event.Audience.COORDINATORS,
        space=fachgruppe,
        data={"actor": name, "space": "Fachgruppe Handwerk"},
    )
    client = _reauthenticated(partner)
    session_keys = list(UserSession.objects.filter(user=partner).values_list("session_key", flat=True))

    response = client.post("/konto/loeschen/", {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/konto/geloescht/"
    former = User.objects.get(pk=partner.pk)
    assert former.erased_at is not None
    assert (former.name, former.organisation_name, former.is_active) == ("", "", False)
    assert email not in former.email
    assert not former.has_usable_password()
    assert str(former) == "Ehemaliges Mitglied"
    assert not EmailAddress.objects.filter(user=former).exists()
    assert not Membership.objects.filter(user=former).exists()
    assert not Profile.objects.filter(user=former).exists()
    assert not Preference.objects.filter(user=former).exists()
    assert not UnsubscribeToken.objects.filter(user=former).exists()
    assert not CalendarToken.objects.filter(user=former).exists()
    assert not Subscriber.objects.filter(email=email).exists()
    assert not Session.objects.filter(session_key__in=session_keys).exists()
    assert not Project.objects.filter(pk=draft.pk).exists()
    told.refresh_from_db()
    assert told.data == {"actor": "", "space": "Fachgruppe Handwerk"}
    # Signed out: the account pages ask for a sign-in again.
    assert client.get("/konto/daten/")["Location"].startswith("/accounts/login/")
    # What others rely on stays, attributed to a former member.
    participant = Participant.objects.get(meeting=meeting, user=former)
    assert (participant.attended, participant.note) == (True, "")
    assert thread.posts.get().body == "Mein Beitrag zur Ausbildung"
    reader = Client()
    reader.force_login(coordinator)
    page = reader.get(thread.get_absolute_url()).content.decode()
    assert "Mein Beitrag zur Ausbildung" in page
    assert "Ehemaliges Mitglied" in page
    assert name not in page
    assert heard == [
        {
            "signal": signals.account_erased,
            "person_id": partner.pk,
            "name": name,
            "email": email,
            "actor": partner,
            "spaces": [fachgruppe],
            "request": heard[0]["request"],
            "on_request": False,
        }
    ]
    assert heard[0]["request"].path == "/konto/loeschen/"


@pytest.mark.django_db
def test_the_former_member_cannot_sign_in_again(partner, client):
    email = partner.email
    erasure.account_erase(person=partner, actor=partner)

    response = client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_reviews_stay_with_a_former_member_as_reviewer(fachgruppe, coordinator, fachgruppe_coordinator):
    project = submitted(ProjectFactory(submitted_by=UserFactory()))
    review = reviewed(project, by=fachgruppe_coordinator)

    erasure.account_erase(person=fachgruppe_coordinator, actor=fachgruppe_coordinator)

    review = Review.objects.select_related("reviewer").get(pk=review.pk)
    assert review.transferability_reason.startswith("Lässt sich")
    assert str(review.reviewer) == "Ehemaliges Mitglied"


@pytest.mark.django_db
def test_the_last_coordinator_of_a_space_cannot_erase_before_handing_over(fachgruppe, inner, clear_cache):
    sole = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=sole, role=Membership.Role.COORDINATOR)
    Membership.objects.create(space=inner, user=sole, role=Membership.Role.COORDINATOR)
    other = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other, role=Membership.Role.COORDINATOR)
    client = _reauthenticated(sole)

    page = client.get("/konto/loeschen/").content.decode()
    client.post("/konto/loeschen/", {"confirm": "on"})
    with pytest.raises(ValidationError, match="Fachkräftezentren Handwerk"):
        erasure.account_erase(person=sole, actor=sole)

    sole.refresh_from_db()
    assert "als einzige Person diesen Raum" in page
    assert "Fachkräftezentren Handwerk" in page
    assert 'name="confirm"' not in page
    assert sole.erased_at is None
    assert selectors.erasure_blockers(sole) == [inner]
    # Handed over, the account can go.
    Membership.objects.create(space=inner, user=other, role=Membership.Role.COORDINATOR)
    erasure.account_erase(person=sole, actor=sole)
    sole.refresh_from_db()
    assert sole.erased_at is not None


@pytest.mark.django_db
def test_a_coordinator_erases_an_account_on_request(inner_member, coordinator, clear_cache, heard):
    client = _reauthenticated(coordinator)
    path = f"/konto/loeschen/person/{inner_member.pk}/"

    page = client.get(path).content.decode()
    response = client.post(path, {"confirm": "on"})

    inner_member.refresh_from_db()
    assert "auf Wunsch der Person" in page
    assert response.status_code == 302
    assert User.objects.get(pk=inner_member.pk).erased_at is not None
    assert heard[0]["actor"] == coordinator
    assert heard[0]["on_request"] is True
    assert Authenticator.objects.filter(user=coordinator).exists()


@pytest.mark.django_db
def test_erasing_on_request_needs_the_coordinators_fresh_sign_in(inner_member, coordinator, client):
    client.force_login(coordinator)

    response = client.post(f"/konto/loeschen/person/{inner_member.pk}/", {"confirm": "on"})

    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert User.objects.get(pk=inner_member.pk).erased_at is None


@pytest.mark.django_db
def test_a_coordinator_of_the_fachgruppe_only_cannot_erase_an_inner_member(
    inner_member, fachgruppe_coordinator, clear_cache
):
    client = _reauthenticated(fachgruppe_coordinator)

    response = client.post(f"/konto/loeschen/person/{inner_member.pk}/", {"confirm": "on"})

    assert response.status_code == 404
    assert User.objects.get(pk=inner_member.pk).erased_at is None


@pytest.mark.django_db
def test_nobody_but_staff_erases_a_person_outside_their_spaces(outsider, coordinator, staff):
    from groups import access

    assert not access.can_erase_account(coordinator, outsider)
    assert access.can_erase_account(staff, outsider)
    assert not access.can_erase_account(coordinator, staff)
    assert not access.can_erase_account(coordinator, coordinator)


@pytest.mark.django_db
def test_the_member_list_offers_the_erasure_only_where_the_coordinator_may(
    fachgruppe, partner, inner_member, fachgruppe_coordinator, coordinator
):
    client = Client()
    client.force_login(fachgruppe_coordinator)

    page = client.get(f"/spaces/{fachgruppe.slug}/members/").content.decode()

    assert f"/konto/loeschen/person/{partner.pk}/" in page
    # The inner member is also in the inner circle, which this coordinator does not coordinate.
    assert f"/konto/loeschen/person/{inner_member.pk}/" not in page
    assert f"/konto/loeschen/person/{fachgruppe_coordinator.pk}/" not in page


@pytest.mark.django_db
def test_the_list_and_the_page_give_the_same_answer(
    partner, inner_member, outsider, staff, coordinator, fachgruppe_coordinator, inner_coordinator
):
    from groups import access

    people = [partner, inner_member, outsider, staff, coordinator, fachgruppe_coordinator, inner_coordinator]
    for by in people:
        erasable = access.erasable_account_ids(by, [p.pk for p in people])
        assert erasable == {p.pk for p in people if access.can_erase_account(by, p)}
    assert access.erasable_account_ids(fachgruppe_coordinator, [p.pk for p in people]) == {partner.pk}
