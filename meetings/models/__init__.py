"""The models of the meetings app; everything is importable from here."""

from meetings.models.agenda import ActionItem, AgendaItem, Decision, Minutes, MinutesPdf, MinutesRevision
from meetings.models.calendar import CalendarToken, DatePoll, PollAnswer, PollOption
from meetings.models.meetings import Meeting, Participant, Registration

__all__ = [
    "ActionItem",
    "AgendaItem",
    "CalendarToken",
    "DatePoll",
    "Decision",
    "Meeting",
    "Minutes",
    "MinutesPdf",
    "MinutesRevision",
    "Participant",
    "PollAnswer",
    "PollOption",
    "Registration",
]
