"""What the meeting page's poll and registration sections need beyond `meeting` and `can_coordinate`."""

from django import template

from meetings import registrations
from meetings.forms_calendar import PollPanel, poll_panel
from meetings.models import Meeting

register = template.Library()


@register.simple_tag(takes_context=True, name="poll_panel")
def poll_panel_tag(context, meeting: Meeting, can_coordinate: bool) -> PollPanel:
    return poll_panel(meeting=meeting, user=context["request"].user, can_coordinate=can_coordinate)


@register.simple_tag(takes_context=True, name="registration_panel")
def registration_panel_tag(context, meeting: Meeting) -> registrations.RegistrationPanel:
    return registrations.registration_panel(meeting=meeting, user=context["request"].user)
