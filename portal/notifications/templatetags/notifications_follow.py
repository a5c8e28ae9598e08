"""The follow / unfollow button of a thread or meeting page; the view reads whether the person follows
(portal.notifications.selectors.following_state), the tag only renders it."""

from django import template

register = template.Library()


@register.inclusion_tag("notifications/_follow.html", takes_context=True)
def follow_button(context, subject, what: str, following: bool | None):
    if following is None:
        return {"shown": False}
    return {
        "shown": True,
        "what": what,
        "subject": subject,
        "following": following,
        "csrf_token": context.get("csrf_token"),
    }
