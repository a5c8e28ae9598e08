"""Registration for trainings: places, the waiting list, moving up, and who may register."""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from groups.models import Membership
from meetings import registrations, selectors_registrations
from meetings.models import Meeting, Registration
from portal.notifications.kinds import Kind
from portal.notifications.models import Event
from tests.factories import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.outbox import deliver_all
from tests.roles import well_known_spaces


def _member(space):
    user = UserFactory()
    Membership.objects.create(space=space, user=user)
    return user


@pytest.fixture
def training(fachgruppe):
    return MeetingFactory(
        space=fachgruppe,
        title="Schulung Arbeitsschutz",
        kind=Meeting.Kind.SCHULUNG,
        capacity=2,
        registration_open=True,
    )


def _statuses(meeting) -> dict[int, str]:
    return dict(meeting.registrations.values_list("user_id", "status"))


def test_registrations_beyond_capacity_go_to_the_waiting_list(training, fachgruppe):
    people = [_member(fachgruppe) for _ in range(4)]

    for person in people:
        registrations.registration_register(meeting=training, user=person)

    assert [_statuses(training)[p.pk] for p in people] == ["confirmed", "confirmed", "waiting", "waiting"]


def test_cancelling_a_place_moves_the_first_waiting_person_up_and_tells_them(training, fachgruppe):
    first, second, third, fourth = (_member(fachgruppe) for _ in range(4))
    for person in (first, second, third, fourth):
        registrations.registration_register(meeting=training, user=person)

    registrations.registration_cancel(registration=Registration.objects.get(user=first), by=first)
    deliver_all()

    assert _statuses(training) == {
        first.pk: "cancelled",
        second.pk: "confirmed",
        third.pk: "confirmed",
        fourth.pk: "waiting",
    }
    [message] = mail.outbox
    assert message.to == [third.email]
    assert "Sie haben einen Platz: Schulung Arbeitsschutz" in message.subject
    assert Event.objects.get(kind=Kind.REGISTRATION_MOVED_UP).recipient_ids == [third.pk]


def test_leaving_the_waiting_list_moves_nobody_up(training, fachgruppe):
    people = [_member(fachgruppe) for _ in range(4)]
    for person in people:
        registrations.registration_register(meeting=training, user=person)

    registrations.registration_cancel(registration=Registration.objects.get(user=people[2]), by=people[2])

    assert [_statuses(training)[p.pk] for p in people] == ["confirmed", "confirmed", "cancelled", "waiting"]
    assert not Event.objects.filter(kind=Kind.REGISTRATION_MOVED_UP).exists()


def test_registering_twice_is_refused_and_after_cancelling_allowed_again(training, partner):
    registration = registrations.registration_register(meeting=training, user=partner)
    with pytest.raises(ValidationError, match="bereits angemeldet"):
        registrations.registration_register(meeting=training, user=partner)

    registrations.registration_cancel(registration=registration, by=partner)
    again = registrations.registration_register(meeting=training, user=partner)

    assert again.pk == registration.pk
    assert again.status == Registration.Status.CONFIRMED


def test_nobody_else_can_cancel_a_registration(training, partner, coordinator):
    registration = registrations.registration_register(meeting=training, user=partner)

    with pytest.raises(ValidationError, match="nur Ihre eigene"):
        registrations.registration_cancel(registration=registration, by=coordinator)


def test_registration_page_flow_shows_places_and_waiting_position(client, training, fachgruppe, partner):
    for _ in range(2):
        registrations.registration_register(meeting=training, user=_member(fachgruppe))
    client.force_login(partner)
    page = client.get(f"/meetings/{training.pk}/").content.decode()
    assert "Ausgebucht" in page
    assert "Alle 2 Plätze sind vergeben." in page
    assert "Noch 0" not in page
    assert "Auf die Warteliste setzen" in page

    response = client.post(f"/meetings/{training.pk}/register/", follow=True)

    content = response.content.decode()
    assert "Alle Plätze sind vergeben; Sie stehen auf der Warteliste." in content
    assert "Sie stehen auf der Warteliste, an Position 1." in content

    response = client.post(f"/meetings/{training.pk}/register/cancel/", follow=True)
    assert "Ihre Anmeldung ist storniert." in response.content.decode()
    assert _statuses(training)[partner.pk] == "cancelled"


def test_free_places_are_counted_against_the_capacity(client, training, fachgruppe, partner):
    registrations.registration_register(meeting=training, user=_member(fachgruppe))
    client.force_login(partner)

    page = client.get(f"/meetings/{training.pk}/").content.decode()

    assert "Noch 1 von 2 Plätzen frei." in page
    assert "Verbindlich anmelden" in page


def test_a_visitor_of_a_full_public_training_is_told_it_is_booked_out_and_how_to_wait(client, fachgruppe):
    training = MeetingFactory(
        space=fachgruppe, audience=None, kind=Meeting.Kind.SCHULUNG, capacity=1, registration_open=True
    )
    registrations.registration_register(meeting=training, user=_member(fachgruppe))

    page = client.get(f"/meetings/{training.pk}/").content.decode()

    assert "Ausgebucht" in page
    assert "Der einzige Platz ist vergeben." in page
    assert "Um sich auf die Warteliste setzen zu lassen, melden Sie sich bitte im Portal an." in page
    assert "um sich für diesen Termin anzumelden" not in page


def test_a_visitor_of_a_public_training_with_places_is_asked_to_sign_in_to_book(client, fachgruppe):
    training = MeetingFactory(
        space=fachgruppe, audience=None, kind=Meeting.Kind.SCHULUNG, capacity=3, registration_open=True
    )

    page = client.get(f"/meetings/{training.pk}/").content.decode()

    assert "Noch 3 von 3 Plätzen frei." in page
    assert "Um einen Platz zu buchen, melden Sie sich bitte im Portal an." in page


def test_closed_registration_is_refused(client, training, partner):
    Meeting.objects.filter(pk=training.pk).update(registration_open=False)
    client.force_login(partner)

    response = client.post(f"/meetings/{training.pk}/register/", follow=True)

    assert "Für diesen Termin ist keine Anmeldung möglich." in response.content.decode()
    assert not Registration.objects.exists()


def test_partner_outside_the_space_registers_only_when_open_to_partners(fachgruppe, outsider):
    public_training = MeetingFactory(space=fachgruppe, audience=None, capacity=10, registration_open=True)

    assert not selectors_registrations.may_register(outsider, public_training)
    Meeting.objects.filter(pk=public_training.pk).update(open_to_partners=True)
    public_training.refresh_from_db()
    assert selectors_registrations.may_register(outsider, public_training)

    registrations.registration_register(meeting=public_training, user=outsider)
    assert _statuses(public_training) == {outsider.pk: "confirmed"}


def test_an_unverified_address_cannot_register_from_outside(fachgruppe, outsider):
    training = MeetingFactory(
        space=fachgruppe, audience=None, capacity=10, registration_open=True, open_to_partners=True
    )
    EmailAddress.objects.filter(user=outsider).update(verified=False)

    assert not selectors_registrations.may_register(outsider, training)


def test_inner_training_shared_with_the_fachgruppe_opens_to_its_partners_only_when_marked(
    fachgruppe, inner, partner
):
    training = MeetingFactory(space=inner, audience=fachgruppe, capacity=10, registration_open=True)

    with pytest.raises(ValidationError, match="keine Anmeldung möglich"):
        registrations.registration_register(meeting=training, user=partner)
    Meeting.objects.filter(pk=training.pk).update(open_to_partners=True)
    training.refresh_from_db()
    registrations.registration_register(meeting=training, user=partner)

    assert _statuses(training) == {partner.pk: "confirmed"}


def test_partner_never_sees_or_registers_for_an_inner_training(client, inner, partner):
    training = MeetingFactory(space=inner, capacity=10, registration_open=True, open_to_partners=True)
    client.force_login(partner)

    assert client.post(f"/meetings/{training.pk}/register/").status_code == 404
    assert not selectors_registrations.may_register(partner, training)
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_do_not_both_get_it():
    fachgruppe, _inner = well_known_spaces()
    training = MeetingFactory(space=fachgruppe, capacity=1, registration_open=True)
    people = [_member(fachgruppe) for _ in range(2)]
    barrier = threading.Barrier(2)

    def register(person):
        barrier.wait()
        try:
            registrations.registration_register(meeting=training, user=person)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(_statuses(training).values()) == ["confirmed", "waiting"]
