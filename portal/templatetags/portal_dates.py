from django import template

from portal import dates

register = template.Library()


@register.filter
def period(starts_at, ends_at=None) -> str:
    """`{{ meeting.starts_at|period:meeting.ends_at }}`: a day with its hours, in the active language."""
    if not starts_at:
        return ""
    return dates.period(starts_at, ends_at or None)
