"""The follow / unfollow button of a thread or meeting page (one query)."""

from django import template

from portal.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_follow.html", takes_context=True)
def follow_button(context, subject, what: str):
    user = context["request"].user
    if not user.is_authenticated:
        return {"shown": False}
    return {
        "shown": True,
        "what": what,
        "subject": subject,
        "following": selectors.is_following(user=user, subject=subject),
        "csrf_token": context.get("csrf_token"),
    }
