"""The secret token of a person's calendar feed: given on first use, renewed on request. The calendar's
reads (the iCalendar files, the feed behind the token, the month view) are in meetings.selectors_calendar."""

from django.db import transaction

from meetings.models import CalendarToken


def feed_token_for(*, user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def feed_token_renew(*, user) -> CalendarToken:
    """A new secret for the person's feed: the old address answers 404 from now on."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = CalendarToken._meta.get_field("token").get_default()
        token.save(update_fields=["token", "created_at"])
    return token
