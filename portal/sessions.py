"""The signed-in person's list of sessions (allauth.usersessions), read in a constant number of queries."""

from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from allauth.usersessions.views import ListUserSessionsView
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import constant_time_compare


def live_user_sessions(*, user) -> list[UserSession]:
    """The person's sessions that still sign them in, oldest first; the others are removed.

    allauth checks every session on its own, three queries each. With the
    database session engine one query finds the live sessions, and since they
    all belong to `user`, Django's check that a session still matches the
    account (the password hash it was opened with) needs no further query.
    """
    sessions = list(UserSession.objects.filter(user=user).order_by("created_at"))
    stored = Session.objects.filter(
        session_key__in=[session.session_key for session in sessions], expire_date__gt=timezone.now()
    )
    live_keys = {row.session_key for row in stored if _signs_in(row.get_decoded(), user)}
    dead = [session.pk for session in sessions if session.session_key not in live_keys]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [session for session in sessions if session.session_key in live_keys]


def _signs_in(data: dict, user) -> bool:
    session_hash = data.get(HASH_SESSION_KEY, "")
    return str(data.get(SESSION_KEY)) == str(user.pk) and any(
        constant_time_compare(session_hash, valid_hash)
        for valid_hash in (user.get_session_auth_hash(), *user.get_session_auth_fallback_hash())
    )


class SessionListView(ListUserSessionsView):
    """allauth's page and form, with the sessions read by `live_user_sessions`."""

    def get_context_data(self, **kwargs) -> dict:
        # Skips allauth's own get_context_data, which would check each session again.
        context = super(ListUserSessionsView, self).get_context_data(**kwargs)
        sessions = live_user_sessions(user=self.request.user)
        context.update(
            sessions=sessions,
            session_count=len(sessions),
            show_last_seen_at=usersessions_settings.TRACK_ACTIVITY,
        )
        return context
