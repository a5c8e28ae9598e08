"""A coordinator runs a meeting like the seed's through the pages, from planning to published minutes."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import ActionItem, Decision, Meeting, Minutes, Participant
from tests.meetings.minutes_form import editor_fields
from tests.outbox import deliver_all


@pytest.mark.django_db
def test_a_coordinator_runs_a_meeting_from_invitation_to_published_minutes(
    client, coordinator, inner_member, partner, fachgruppe
):
    day = timezone.localdate() + datetime.timedelta(days=7)
    client.force_login(coordinator)
    response = client.post(
        "/meetings/new/",
        {
            "space": fachgruppe.pk,
            "audience": str(fachgruppe.pk),
            "title": "Sitzung der Fachgruppe: Ziele",
            "kind": Meeting.Kind.SITZUNG,
            "date": day.isoformat(),
            "start_time": "15:00",
            "end_time": "17:00",
            "place": "Videokonferenz",
            "video_url": "https://meet.example.org/fachgruppe",
        },
    )
    meeting = Meeting.objects.get(title="Sitzung der Fachgruppe: Ziele")
    assert response.status_code == 302
    base = f"/meetings/{meeting.pk}/"
    for title in ("Begrüßung", "Welche Ziele verfolgt die Fachgruppe?", "Weiteres Vorgehen"):
        client.post(f"{base}agenda/new/", {"title": title})
    client.post(f"{base}participants/invite/", {"invite_account": "1", "email": inner_member.email})
    client.post(f"{base}participants/invite/", {"invite_account": "1", "email": partner.email})
    client.post(
        f"{base}participants/invite/",
        {
            "invite_guest": "1",
            "guest-name": "Katrin Weiß",
            "guest-organisation": "itb",
            "guest-email": "weiss@example.org",
        },
    )
    client.post(f"{base}agenda/publish/")
    # The planning coordinator takes part from the start, beside the three invited.
    assert meeting.participants.count() == 4
    deliver_all()
    assert {m.to[0] for m in mail.outbox if "Tagesordnung" in m.subject} >= {
        inner_member.email,
        partner.email,
    }

    client.force_login(partner)
    client.post(f"{base}participants/respond/", {"response": Participant.Response.EXCUSED, "note": "Urlaub"})
    client.force_login(inner_member)
    client.post(f"{base}participants/respond/", {"response": Participant.Response.ACCEPTED})

    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 30)))):
        client.force_login(coordinator)
        client.post(f"{base}held/")
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.HELD
        goals = meeting.agenda_items.get(position=2)
        fields = editor_fields(client, meeting)
        fields[f"item-{goals.pk}-discussion"] = "Das Zwiebelmodell."
        fields[f"decision-new-{goals.pk}-text"] = "Ein Konzept wird erarbeitet."
        fields["action-new-title"] = "Konzept schreiben"
        fields["action-new-agenda_item"] = str(goals.pk)
        fields["action-new-assignees"] = [str(inner_member.pk)]
        fields["action-new-due_date"] = (day + datetime.timedelta(days=30)).isoformat()
        client.post(f"{base}minutes/", fields)
        assert Decision.objects.filter(agenda_item=goals).count() == 1
        assert ActionItem.objects.filter(meeting=meeting).count() == 1

        client.force_login(partner)
        assert "Das Zwiebelmodell." not in client.get(base).content.decode()
        assert client.get(f"{base}minutes.pdf").status_code == 404

        client.force_login(coordinator)
        client.post(f"{base}minutes/publish/")
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.PUBLISHED

    client.force_login(partner)
    page = client.get(base).content.decode()
    assert "Das Zwiebelmodell." in page
    assert "Ein Konzept wird erarbeitet." in page
    pdf = client.get(f"{base}minutes.pdf")
    text = "\n".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
        ).pages
    )
    assert "Protokoll" in text
    assert "(entschuldigt)" in text
    assert "Ein Konzept wird erarbeitet." in text
    assert "Weiteres Vorgehen" in text

    client.force_login(inner_member)
    assert "Konzept schreiben" in client.get("/meetings/tasks/").content.decode()
