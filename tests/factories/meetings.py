"""Factories of the meetings app: a planned meeting of a space next month, with its agenda and people."""

import datetime

import factory
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Meeting, Participant
from tests.factories import UserFactory


def _next_month_at_three() -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=30)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned Sitzung in a month, 15:00 to 17:00; pass `space`, and `audience` (defaults to the space)."""

    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Sitzung der Fachgruppe {n}")
    kind = Meeting.Kind.SITZUNG
    status = Meeting.Status.PLANNED
    audience = factory.SelfAttribute("space")
    starts_at = factory.LazyFunction(_next_month_at_three)
    ends_at = factory.LazyAttribute(
        lambda meeting: meeting.starts_at + datetime.timedelta(hours=2) if meeting.starts_at else None
    )
    place = "Videokonferenz"
    video_url = "https://meet.example.org/fachgruppe-handwerk"


class TentativeMeetingFactory(MeetingFactory):
    status = Meeting.Status.TENTATIVE
    starts_at = None
    tentative_period = "Oktober/November 2026"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    """An item at the end of its meeting's agenda."""

    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Tagesordnungspunkt {n}")
    position = factory.LazyAttribute(lambda item: item.meeting.agenda_items.count() + 1)


class ParticipantFactory(factory.django.DjangoModelFactory):
    """An invited account; pass `user=None` with a name and an email for a guest."""

    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    response = Participant.Response.INVITED


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Aufgabe {n}")
    status = ActionItem.Status.OPEN


def _three_days_ago_at_three() -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=3)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))


class PastMeetingFactory(MeetingFactory):
    """A Sitzung three days ago, still marked planned: its minutes can be written and published."""

    starts_at = factory.LazyFunction(_three_days_ago_at_three)


class HeldMeetingFactory(PastMeetingFactory):
    status = Meeting.Status.HELD
