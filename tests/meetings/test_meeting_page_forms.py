"""The small forms of the meeting page come back with what was typed and the missing field marked."""

import re

from meetings.models import Participant
from tests.factories.meetings import MeetingFactory, ParticipantFactory


def test_an_answer_without_a_choice_keeps_the_note_and_marks_the_choice(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner, name=partner.name)
    client.force_login(partner)

    response = client.post(
        f"/meetings/{meeting.pk}/participants/respond/", {"note": "Komme etwas später, ab 10 Uhr."}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert meeting.title in html
    assert 'value="Komme etwas später, ab 10 Uhr."' in html
    error = re.search(r'<div class="invalid-feedback d-block" id="(id_response_error)">([^<]+)</div>', html)
    assert error is not None
    assert error.group(2) == "Bitte wählen Sie Zusage, Absage oder Entschuldigung."
    # The radio group names its error; each radio is marked invalid.
    assert re.search(r'<fieldset[^>]*aria-describedby="id_response_error"', html)
    assert 'name="response" value="accepted" id="id_response_0" required aria-invalid="true"' in html
    participant = Participant.objects.get(meeting=meeting, user=partner)
    assert participant.note == ""
    assert participant.response == Participant.Response.INVITED


def test_a_complete_answer_is_saved_and_leads_back_to_the_meeting(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner, name=partner.name)
    client.force_login(partner)

    response = client.post(
        f"/meetings/{meeting.pk}/participants/respond/", {"response": "accepted", "note": "Gern."}
    )

    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    participant = Participant.objects.get(meeting=meeting, user=partner)
    assert (participant.response, participant.note) == (Participant.Response.ACCEPTED, "Gern.")
