"""Sessions and paths for `make bench`, printed as JSON; run in the portal's environment.

`python -m tests.bench.fixtures` (the bench sets DJANGO_SETTINGS_MODULE and the
database) signs in the demo partner and the demo coordinator with Django's test
client (a session row in the database, as a real sign-in leaves it) and records
in the session what allauth records after a sign-in with password and TOTP, so a
rule that wants coordinators to have used two factors lets the bench's
coordinator through; the coordinator also gets a TOTP authenticator. It prints
the session cookies and the paths of the demo's pages that have ids or secrets
in them (the meeting with published minutes, a project, the personal feed).
"""

import json
import sys
import time

import django


def main() -> int:
    django.setup()
    print(json.dumps(prepare()))
    return 0


def prepare() -> dict:
    """Signs the two people in (new session rows) and returns their cookies, e-mails and the paths."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from groups.models import Space, User
    from groups.spaces import FACHGRUPPE_SLUG
    from meetings.calendar import feed_token_for
    from meetings.models import Minutes
    from projects.models import Project

    people = {"partner": "partner@example.org", "coordinator": "koordination@example.org"}
    cookies, emails = {}, {}
    for role, email in people.items():
        user = User.objects.get(email=email)
        methods = [{"method": "password", "at": time.time(), "email": email}]
        if role == "coordinator":
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            totp = totp or TOTP.activate(user, generate_totp_secret()).instance
            methods.append({"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"})
        client = Client()
        client.force_login(user)
        session = client.session
        session["account_authentication_methods"] = methods
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        emails[role] = email

    partner = User.objects.get(email=people["partner"])
    minutes = (
        Minutes.objects.filter(status=Minutes.Status.PUBLISHED, meeting__space__slug=FACHGRUPPE_SLUG)
        .order_by("meeting__starts_at")
        .first()
    )
    project = (
        Project.objects.filter(status=Project.Status.ACCEPTED, audience__isnull=True).order_by("pk").first()
    )
    space = Space.objects.get(slug=FACHGRUPPE_SLUG)
    paths = {
        "space": space.get_absolute_url(),
        "meeting": minutes.meeting.get_absolute_url(),
        "minutes_pdf": reverse("meetings:minutes_pdf", kwargs={"pk": minutes.meeting_id}),
        "meeting_ics": reverse("meetings:meeting_ics", kwargs={"pk": minutes.meeting_id}),
        "project": project.get_absolute_url(),
        "feed": reverse("meetings:calendar_feed", kwargs={"token": feed_token_for(user=partner).token}),
    }
    return {"cookies": cookies, "emails": emails, "paths": paths}


if __name__ == "__main__":
    sys.exit(main())
