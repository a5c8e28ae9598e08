from portal.notifications.selectors import unread_count


def notifications(request) -> dict:
    """The unread count of the header, counted only when a page actually shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": lambda: unread_count(user=user)}
