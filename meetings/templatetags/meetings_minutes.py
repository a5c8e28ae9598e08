"""What the meeting page's minutes section needs beyond `meeting` and `can_coordinate`."""

from django import template

from meetings import minutes
from meetings.models import Meeting

register = template.Library()


@register.simple_tag(takes_context=True, name="minutes_record")
def minutes_record_tag(context, meeting: Meeting, can_coordinate: bool) -> minutes.MinutesRecord | None:
    return minutes.minutes_record(user=context["request"].user, meeting=meeting, coordinator=can_coordinate)


@register.filter
def assignee_names(action_item) -> str:
    return minutes.assignee_names(action_item)
