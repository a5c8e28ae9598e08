"""Invitations for real groups: rings, organisations and chosen people in one step, answers from the mail.

Also the mails themselves: members' and guests' invitations with place, agenda,
the three answer links and the calendar file; changes and cancellations that
reach every invitee once, guests included.
"""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from groups.models import Membership, Profile
from meetings import guests, rsvp, selectors_calendar, services
from meetings.models import Meeting, Participant
from meetings.selectors_calendar import BERLIN
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Event, Mail, Preference
from tests import once
from tests.factories import UserFactory
from tests.factories.groups import OrganisationFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, ParticipantFactory
from tests.htmltree import parse
from tests.outbox import deliver_all


def _meeting(space, **kwargs) -> Meeting:
    return MeetingFactory(
        space=space,
        title="Sitzung der Fachgruppe: Ziele",
        starts_at=datetime.datetime(2027, 3, 2, 10, tzinfo=BERLIN),
        ends_at=datetime.datetime(2027, 3, 2, 12, tzinfo=BERLIN),
        place="Handwerkskammer Musterstadt, Raum 3",
        video_url="https://meet.example.org/ziele",
        **kwargs,
    )


def _invited_ids(meeting) -> set[int]:
    return set(
        Participant.objects.filter(meeting=meeting, user__isnull=False).values_list("user_id", flat=True)
    )


@pytest.fixture
def guest_mail_at_once(outbox_at_once, django_capture_on_commit_callbacks):
    """Guests' mails go out after the commit as the worker would send them."""
    return django_capture_on_commit_callbacks


# --- One step for a whole ring, an organisation, chosen people --------------


def test_the_whole_fachgruppe_in_one_step_with_an_exclusion(
    client, coordinator, partner, inner_member, fachgruppe, inner
):
    other = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other)
    meeting = _meeting(fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner)  # invited before: not twice
    client.force_login(coordinator)

    response = client.post(
        f"/meetings/{meeting.pk}/participants/invite/",
        {"invite_group": "1", "group-spaces": [fachgruppe.pk], "group-exclude": [other.pk], **once.token()},
    )

    assert response.status_code == 302
    assert _invited_ids(meeting) == {partner.pk, inner_member.pk, coordinator.pk}
    assert Participant.objects.filter(meeting=meeting, user=partner).count() == 1
    [event] = Event.objects.filter(kind=Kind.MEETING_INVITED)
    assert event.recipient_ids == sorted([inner_member.pk, coordinator.pk])


def test_a_ring_beyond_the_audience_is_not_offered_and_refused(
    client, coordinator, partner, inner, fachgruppe
):
    meeting = _meeting(inner, audience=inner)
    client.force_login(coordinator)

    page = client.get(f"/meetings/{meeting.pk}/participants/invite/")
    assert page.context["group_form"].fields["spaces"].queryset.get() == inner
    assert partner not in page.context["group_form"].fields["people"].queryset

    with pytest.raises(ValidationError, match="Diesen Kreis erreicht die Sitzung nicht"):
        services.participants_invite(meeting=meeting, by=coordinator, spaces=[fachgruppe])
    with pytest.raises(ValidationError, match="kann diese Sitzung nicht sehen"):
        services.participants_invite(meeting=meeting, by=coordinator, people=[partner])
    assert not Participant.objects.filter(meeting=meeting).exists()
    assert not Event.objects.filter(kind=Kind.MEETING_INVITED).exists()


def test_the_inner_circle_of_a_fachgruppe_meeting(coordinator, partner, inner_member, fachgruppe, inner):
    meeting = _meeting(inner, audience=fachgruppe)

    services.participants_invite(meeting=meeting, by=coordinator, spaces=[inner])

    assert _invited_ids(meeting) == {inner_member.pk, coordinator.pk}


def test_an_organisations_members_who_can_see_the_meeting(coordinator, partner, outsider, fachgruppe):
    chamber = OrganisationFactory(name="Handwerkskammer Musterstadt")
    for user in (partner, outsider):
        Profile.objects.create(user=user, organisation=chamber)
    meeting = _meeting(fachgruppe)

    invited = services.participants_invite(meeting=meeting, by=coordinator, organisations=[chamber])

    # The outsider belongs to the chamber but could not see the meeting.
    assert [p.user for p in invited] == [partner]


def test_nothing_chosen_keeps_the_form_with_a_message(client, coordinator, fachgruppe):
    meeting = _meeting(fachgruppe)
    client.force_login(coordinator)

    response = client.post(
        f"/meetings/{meeting.pk}/participants/invite/", {"invite_group": "1", **once.token()}
    )

    assert response.status_code == 200
    assert "Bitte wählen Sie aus, wen Sie einladen möchten." in response.content.decode()


def test_the_planning_coordinator_takes_part_by_default(coordinator, fachgruppe):
    meeting = services.meeting_create(
        by=coordinator,
        space=fachgruppe,
        audience=fachgruppe,
        fields={"title": "Neue Sitzung", "starts_at": timezone.now() + datetime.timedelta(days=9)},
    )

    assert _invited_ids(meeting) == {coordinator.pk}
    assert not Event.objects.filter(kind=Kind.MEETING_INVITED).exists()


# --- The members' invitation mail -----------------------------------------


def _links(body: str) -> dict[str, str]:
    return dict(re.findall(r"(Zugesagt|Abgesagt|Entschuldigt): (http\S+)", body))


def test_a_members_mail_has_place_agenda_links_and_a_request(coordinator, partner, fachgruppe):
    meeting = _meeting(fachgruppe, agenda_published_at=timezone.now())
    AgendaItemFactory(meeting=meeting, title="Begrüßung", position=1)

    services.participants_invite(meeting=meeting, by=coordinator, people=[partner])
    deliver_all()

    [message] = [m for m in mail.outbox if m.to == [partner.email]]
    assert "Termin: Dienstag, 2. März 2027, 10:00–12:00 Uhr" in message.body
    assert "Ort: Handwerkskammer Musterstadt, Raum 3; Videokonferenz (Link im Portal)" in message.body
    assert "1. Begrüßung" in message.body
    assert "meet.example.org" not in message.body
    assert "meet.example.org" not in message.alternatives[0].content
    assert set(_links(message.body)) == {"Zugesagt", "Abgesagt", "Entschuldigt"}
    assert "Zugesagt</a>" in message.alternatives[0].content
    # Added before the signature, which stays at the end.
    assert message.body.index("Zugesagt:") < message.body.index("\n-- \n")
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"sitzung-{meeting.pk}.ics", "text/calendar")
    cal = Calendar.from_ical(content)
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = cal.events
    assert str(event["UID"]) == selectors_calendar.meeting_uid(meeting)
    assert "meet.example.org" not in content


def test_an_english_member_gets_english_links_text(coordinator, fachgruppe):
    english = UserFactory(language="en")
    fachgruppe.memberships.create(user=english)
    meeting = _meeting(fachgruppe)

    services.participants_invite(meeting=meeting, by=coordinator, people=[english])
    deliver_all()

    [message] = mail.outbox
    # (The new sentences' English comes with the catalogue: only the words it has already are checked.)
    assert "Place: Handwerkskammer Musterstadt, Raum 3" in message.body
    assert "Accepted: http://testserver/meetings/antwort/" in message.body
    assert "Declined: http://testserver/meetings/antwort/" in message.body


# --- Answering from the mail -------------------------------------------------


def test_the_link_shows_the_answer_chosen_and_saves_only_on_post(client, partner, fachgruppe):
    meeting = _meeting(fachgruppe)
    participant = ParticipantFactory(meeting=meeting, user=partner)
    url = rsvp.links(participant)[Participant.Response.EXCUSED].removeprefix("http://testserver")

    page = client.get(url)

    assert page.status_code == 200
    assert page.context["form"].initial["response"] == "excused"
    participant.refresh_from_db()
    assert participant.response == Participant.Response.INVITED

    saved = client.post(url, {"response": "excused", "note": "Urlaub", **once.token()})

    assert saved.status_code == 200
    assert "Danke, Ihre Rückmeldung ist gespeichert." in saved.content.decode()
    participant.refresh_from_db()
    assert (participant.response, participant.note) == ("excused", "Urlaub")


def test_a_guest_answers_without_an_account(client, coordinator, fachgruppe):
    meeting = _meeting(fachgruppe)
    guest = services.participant_invite_guest(
        meeting=meeting, by=coordinator, name="Gast", email="g@example.org"
    )
    url = rsvp.links(guest)["accepted"].removeprefix("http://testserver")

    client.post(url, {"response": "accepted", **once.token()})

    guest.refresh_from_db()
    assert guest.response == Participant.Response.ACCEPTED


def test_an_answer_without_a_choice_keeps_the_note(client, partner, fachgruppe):
    participant = ParticipantFactory(meeting=_meeting(fachgruppe), user=partner)
    url = rsvp.links(participant)["accepted"].removeprefix("http://testserver")

    response = client.post(url, {"note": "Komme später", **once.token()})

    assert response.status_code == 200
    assert "Bitte wählen Sie Zusage, Absage oder Entschuldigung." in response.content.decode()
    assert 'value="Komme später"' in response.content.decode()


@pytest.mark.parametrize("case", ["forged", "other_purpose", "ended", "cancelled"])
def test_an_invalid_or_expired_link_answers_404_and_changes_nothing(client, partner, fachgruppe, case):
    meeting = _meeting(fachgruppe)
    participant = ParticipantFactory(meeting=meeting, user=partner)
    token = rsvp.token_for(participant)
    if case == "forged":
        token = signing.dumps({"p": participant.pk + 1, "m": meeting.pk}, salt="falsch")
    elif case == "other_purpose":
        token = signing.dumps({"p": participant.pk, "m": meeting.pk})
    elif case == "ended":
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=3),
            ends_at=timezone.now() - datetime.timedelta(hours=1),
        )
    else:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)

    page = client.get(f"/meetings/antwort/{token}/")
    posted = client.post(f"/meetings/antwort/{token}/", {"response": "accepted", **once.token()})

    assert (page.status_code, posted.status_code) == (404, 404)
    assert "Dieser Link ist nicht (mehr) gültig" in page.content.decode()
    participant.refresh_from_db()
    assert participant.response == Participant.Response.INVITED


def test_a_token_is_for_one_participant_only(partner, inner_member, fachgruppe):
    meeting = _meeting(fachgruppe)
    mine = ParticipantFactory(meeting=meeting, user=partner)
    ParticipantFactory(meeting=meeting, user=inner_member)

    assert rsvp.participant_for(rsvp.token_for(mine)) == mine
    services.participant_answer_from_mail(token=rsvp.token_for(mine), response="declined")

    assert set(Participant.objects.filter(meeting=meeting).values_list("user_id", "response")) == {
        (partner.pk, "declined"),
        (inner_member.pk, "invited"),
    }


# --- Guests: language, links, changes and cancellation ------------------------


def test_a_guest_invitation_in_the_chosen_language_with_links(
    client, coordinator, fachgruppe, guest_mail_at_once
):
    meeting = _meeting(fachgruppe)
    client.force_login(coordinator)

    with guest_mail_at_once(execute=True):
        client.post(
            f"/meetings/{meeting.pk}/participants/invite/",
            {
                "invite_guest": "1",
                "guest-name": "Jane Guest",
                "guest-email": "jane@example.org",
                "guest-language": "en",
                **once.token(),
            },
        )

    [message] = mail.outbox
    assert message.subject == "[Fachgruppe Handwerk] Invitation: Sitzung der Fachgruppe: Ziele"
    # The guest keeps the existing rule: the video link is in the guest's mail.
    assert "https://meet.example.org/ziele" in message.body
    assert "Accepted: http://testserver/meetings/antwort/" in message.body
    assert str(Calendar.from_ical(message.attachments[0][1])["METHOD"]) == "REQUEST"


def _at_once(user, *kinds) -> None:
    """Changes of a space's meetings go into the daily overview unless a person wants them at once."""
    for kind in kinds:
        Preference.objects.create(user=user, kind=kind, channel=Channel.IMMEDIATE)


def test_a_change_reaches_members_and_guests_once(coordinator, partner, fachgruppe, guest_mail_at_once):
    meeting = _meeting(fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner)
    _at_once(partner, Kind.MEETING_CHANGED)
    guest = Participant.objects.create(meeting=meeting, name="Gast", email="gast@example.org")

    with guest_mail_at_once(execute=True):
        services.meeting_update(
            meeting=meeting, by=coordinator, fields={"place": "Handwerkskammer Musterstadt, Saal 1"}
        )
    deliver_all()

    [to_guest] = [m for m in mail.outbox if m.to == [guest.email]]
    assert to_guest.subject == "[Fachgruppe Handwerk] Sitzung geändert: Sitzung der Fachgruppe: Ziele"
    assert "Geändert: Ort" in to_guest.body
    assert "Ort: Handwerkskammer Musterstadt, Saal 1" in to_guest.body
    [event] = Calendar.from_ical(to_guest.attachments[0][1]).events
    assert event["SEQUENCE"] == 1
    [to_partner] = [m for m in mail.outbox if m.to == [partner.email]]
    assert "Ort: Handwerkskammer Musterstadt, Saal 1" in to_partner.body
    assert str(Calendar.from_ical(to_partner.attachments[0][1])["METHOD"]) == "REQUEST"
    # The worker's task for an older change sends nothing: a newer mail replaced it.
    assert guests.build_update(Mail(params={"participant": guest.pk, "sequence": 0})) is None


def test_a_cancellation_carries_cancel_with_the_same_uid(
    coordinator, partner, fachgruppe, guest_mail_at_once
):
    meeting = _meeting(fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner)
    guest = Participant.objects.create(meeting=meeting, name="Gast", email="gast@example.org", language="en")
    _at_once(partner, Kind.MEETING_CANCELLED)

    with guest_mail_at_once(execute=True):
        services.meeting_cancel(meeting=meeting, by=coordinator)
    deliver_all()

    for address in (guest.email, partner.email):
        [message] = [m for m in mail.outbox if m.to == [address]]
        cal = Calendar.from_ical(message.attachments[0][1])
        [event] = cal.events
        assert (str(cal["METHOD"]), str(event["STATUS"]), str(event["UID"])) == (
            "CANCEL",
            "CANCELLED",
            selectors_calendar.meeting_uid(meeting),
        )
        assert "antwort/" not in message.body
    [to_guest] = [m for m in mail.outbox if m.to == [guest.email]]
    assert to_guest.subject == "[Fachgruppe Handwerk] Meeting cancelled: Sitzung der Fachgruppe: Ziele"


def test_a_change_that_guests_do_not_see_sends_them_nothing(coordinator, fachgruppe, guest_mail_at_once):
    meeting = _meeting(fachgruppe)
    Participant.objects.create(meeting=meeting, name="Gast", email="gast@example.org")

    with guest_mail_at_once(execute=True):
        services.meeting_update(meeting=meeting, by=coordinator, fields={"capacity": 30})

    assert mail.outbox == []


def test_an_organisation_and_chosen_people_in_one_submit(
    client, coordinator, partner, inner_member, fachgruppe
):
    chamber = OrganisationFactory(name="Handwerkskammer Musterstadt")
    colleague = UserFactory()
    Membership.objects.create(space=fachgruppe, user=colleague)
    for user in (partner, colleague):
        Profile.objects.create(user=user, organisation=chamber)
    meeting = _meeting(fachgruppe)
    client.force_login(coordinator)

    client.post(
        f"/meetings/{meeting.pk}/participants/invite/",
        {
            "invite_group": "1",
            "group-organisations": [chamber.pk],
            "group-people": [inner_member.pk],
            "group-exclude": [colleague.pk],
            **once.token(),
        },
    )

    assert _invited_ids(meeting) == {partner.pk, inner_member.pk}


def test_a_person_outside_the_meetings_ring_cannot_be_posted(client, coordinator, partner, inner):
    meeting = _meeting(inner, audience=inner)
    client.force_login(coordinator)

    response = client.post(
        f"/meetings/{meeting.pk}/participants/invite/",
        {"invite_group": "1", "group-people": [partner.pk], **once.token()},
    )

    assert response.status_code == 200
    assert response.context["group_form"].errors["people"]
    assert not Participant.objects.filter(meeting=meeting).exists()


def test_invitees_hear_of_a_change_at_once_by_default_and_the_rest_of_the_ring_in_the_digest(
    coordinator, partner, fachgruppe
):
    bystander = UserFactory()
    Membership.objects.create(space=fachgruppe, user=bystander)
    meeting = _meeting(fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner)

    services.meeting_update(meeting=meeting, by=coordinator, fields={"place": "Innungshaus, Raum 2"})
    deliver_all()

    [to_partner] = [m for m in mail.outbox if m.to == [partner.email]]
    assert "Innungshaus, Raum 2" in to_partner.body
    assert str(Calendar.from_ical(to_partner.attachments[0][1])["METHOD"]) == "REQUEST"
    assert not [m for m in mail.outbox if m.to == [bystander.email]]
    waiting = Delivery.objects.get(event__kind=Kind.MEETING_CHANGED, user=bystander)
    assert waiting.channel == Channel.DAILY


def test_an_invitee_who_chose_the_digest_for_changes_keeps_it(coordinator, partner, fachgruppe):
    meeting = _meeting(fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner)
    Preference.objects.create(user=partner, kind=Kind.MEETING_CHANGED, channel=Channel.WEEKLY)

    services.meeting_update(meeting=meeting, by=coordinator, fields={"place": "Innungshaus, Raum 3"})
    deliver_all()

    assert not [m for m in mail.outbox if m.to == [partner.email]]


def test_the_invitation_page_marks_who_is_invited_already_and_invites_nobody_twice(
    client, coordinator, partner, inner_member, fachgruppe
):
    meeting = _meeting(fachgruppe)
    partner.name = "Paula Partner"
    partner.save(update_fields=["name"])
    ParticipantFactory(meeting=meeting, user=partner, name=partner.name)
    client.force_login(coordinator)
    url = f"/meetings/{meeting.pk}/participants/invite/"

    page = parse(client.get(url))

    options = {o["value"]: o for o in page.one("select", name="group-people").all("option")}
    assert "bereits eingeladen" in options[str(partner.pk)].text()
    assert options[str(partner.pk)].has("disabled")
    assert not options[str(inner_member.pk)].has("disabled")
    assert "Paula Partner" in page.one(id="already-invited").text()

    again = client.post(url, {"invite_group": "1", "group-people": [partner.pk], **once.token()})
    assert again.status_code == 200
    assert "Die gewählten Personen sind bereits eingeladen." in again.content.decode()
    both = client.post(
        url, {"invite_group": "1", "group-people": [partner.pk, inner_member.pk], **once.token()}
    )
    assert both.status_code == 302
    assert Participant.objects.filter(meeting=meeting, user=partner).count() == 1
    assert Participant.objects.filter(meeting=meeting, user=inner_member).count() == 1
