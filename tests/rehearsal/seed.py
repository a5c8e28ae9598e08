"""The rehearsal's people and work on top of the demo portal, as JSON; run in the portal's environment.

`python -m tests.rehearsal.seed --password P --partners N --inner N --coordinators N
--signing-in N` adds that many partners (members of the Fachgruppe), inner members
(Fachkräftezentren) and coordinators (of both spaces, with TOTP), signs each in with
Django's test client (a session row, as a real sign-in leaves it; coordinators'
sessions record the second factor, as tests/bench/fixtures.py does), adds the
partners who sign in themselves during the run (through the sign-in form, with the
password P: their addresses go into the JSON) and prepares what the coordinators
work through during the run: held meetings with draft minutes to publish, inner
threads to widen, join requests to approve. Every partner and inner member is a
participant of the upcoming Fachgruppe meeting, so they can answer (RSVP).
The counts bound the coordinators' work: once every draft is published, a
publish finds nothing left to do, as a real coordinator would.
"""

import argparse
import json
import sys
import time

import django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--password", required=True)
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument("--inner", type=int, default=30)
    parser.add_argument("--coordinators", type=int, default=20)
    parser.add_argument("--signing-in", type=int, default=40, help="partners who sign in during the run")
    parser.add_argument("--drafts", type=int, default=24, help="held meetings with draft minutes")
    parser.add_argument("--widenable", type=int, default=40, help="inner threads to widen")
    parser.add_argument("--requests", type=int, default=60, help="pending join requests")
    args = parser.parse_args()
    django.setup()

    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth.hashers import identify_hasher, make_password
    from django.db import transaction
    from django.test import Client

    from groups.models import JoinRequest, Membership, Post, Space, Thread, User
    from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG
    from meetings.models import Meeting, Minutes, Participant
    from tests.factories.meetings import HeldMeetingFactory, MeetingFactory

    fachgruppe = Space.objects.get(slug=FACHGRUPPE_SLUG)
    inner = Space.objects.get(slug=INNER_SLUG)
    # One hash for everybody: hashing hundreds of passwords with Argon2 would take minutes. So every
    # account shares the hash's salt too, which production never does (make_password salts each
    # one); a sign-in costs the same either way, which is all the rehearsal measures.
    password = make_password(args.password)
    if identify_hasher(password).algorithm != "argon2":
        raise SystemExit("The rehearsal measures sign-ins with Argon2: PASSWORD_HASHERS must start with it.")

    def person(email: str, name: str) -> User:
        user = User.objects.create(
            email=email, name=name, organisation_name="Probe-Kammer", password=password
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    def cookie(user: User, *, totp: bool) -> str:
        methods = [{"method": "password", "at": time.time(), "email": user.email}]
        if totp:
            authenticator = TOTP.activate(user, generate_totp_secret()).instance
            methods.append({"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"})
        client = Client()
        client.force_login(user)
        session = client.session
        session["account_authentication_methods"] = methods
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        return session.session_key

    with transaction.atomic():
        upcoming = MeetingFactory(space=fachgruppe, title="Probe: Fachgruppentreffen")
        cookies = {"partner": [], "inner": [], "coordinator": []}
        inner_names = []
        for n in range(args.partners):
            user = person(f"probe-partner-{n}@example.org", f"Partnerin Probe {n}")
            Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.MEMBER)
            Participant.objects.create(meeting=upcoming, user=user)
            cookies["partner"].append(cookie(user, totp=False))
        for n in range(args.inner):
            user = person(f"probe-innen-{n}@example.org", f"Innenberater Probe {n}")
            Membership.objects.create(space=inner, user=user, role=Membership.Role.MEMBER)
            Participant.objects.create(meeting=upcoming, user=user)
            cookies["inner"].append(cookie(user, totp=False))
            inner_names.append(user.name)
        coordinators = []
        for n in range(args.coordinators):
            user = person(f"probe-koordination-{n}@example.org", f"Koordinatorin Probe {n}")
            for space in (fachgruppe, inner):
                Membership.objects.create(space=space, user=user, role=Membership.Role.COORDINATOR)
            cookies["coordinator"].append(cookie(user, totp=True))
            coordinators.append(user)
        signing_in = []
        for n in range(args.signing_in):
            user = person(f"probe-anmeldung-{n}@example.org", f"Partner Probe Anmeldung {n}")
            Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.MEMBER)
            Participant.objects.create(meeting=upcoming, user=user)
            signing_in.append(user.email)
        drafts = []
        for n in range(args.drafts):
            meeting = HeldMeetingFactory(space=fachgruppe, title=f"Probe-Sitzung {n}")
            Minutes.objects.create(
                meeting=meeting, status=Minutes.Status.DRAFT, introduction=f"Protokoll der Probe-Sitzung {n}."
            )
            drafts.append(meeting.pk)
        inner_threads = []
        for n in range(args.widenable + 10):
            thread = Thread.objects.create(
                space=inner, audience=inner, title=f"Probe: Erfahrung {n}", author=coordinators[0]
            )
            Post.objects.create(thread=thread, author=coordinators[0], body="Worum es geht.")
            inner_threads.append(thread.pk)
        fachgruppe_threads = list(
            Thread.objects.filter(space=fachgruppe, audience=fachgruppe).values_list("pk", flat=True)[:20]
        )
        for n in range(args.requests):
            user = person(f"probe-anfrage-{n}@example.org", f"Anfragende Probe {n}")
            JoinRequest.objects.create(space=fachgruppe, user=user, message="Ich möchte mitarbeiten.")
        Meeting.objects.filter(pk=upcoming.pk).update(status=Meeting.Status.PLANNED)

    print(
        json.dumps(
            {
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "cookies": cookies,
                "signing_in": signing_in,
                "password": args.password,
                "inner_names": inner_names,
                "fachgruppe": fachgruppe.slug,
                "inner": inner.slug,
                "upcoming_meeting": upcoming.pk,
                "drafts": drafts,
                # The last ten stay inner: the inner members keep threads of their own to answer in.
                "widenable": inner_threads[: args.widenable],
                "inner_threads": inner_threads[args.widenable :],
                "fachgruppe_threads": fachgruppe_threads,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
