from django import template

from portal import dates

register = template.Library()


@register.filter
def period(starts_at, ends_at=None) -> str:
    """`{{ meeting.starts_at|period:meeting.ends_at }}`: a day with its hours, in the active language."""
    if not starts_at:
        return ""
    return dates.period(starts_at, ends_at or None)


@register.filter
def relative(value) -> str:
    """`{{ notification.created_at|relative }}`: how long ago, for the notification centre."""
    return dates.relative(value) if value else ""


@register.filter
def machine_time(value) -> str:
    """`<time datetime="{{ moment|machine_time }}">`: a valid HTML date or global date and time string,
    to the second in the portal's time zone (Django's "c" format adds microseconds, which HTML
    does not allow)."""
    return dates.machine_time(value)
