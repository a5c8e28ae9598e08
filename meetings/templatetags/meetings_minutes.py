"""Filters of the minutes' pages (the record itself is read by the view)."""

from django import template

from meetings import minutes

register = template.Library()


@register.filter
def assignee_names(action_item) -> str:
    return minutes.assignee_names(action_item)
