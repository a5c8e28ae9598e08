from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client

from api.models import ApiToken
from groups.models import User
from meetings.demo import EXCHANGE, FOUNDING
from meetings.models import Minutes
from portal.demo import DEMO_TOTP_SECRET
from portal.demo_history import PARTNERS
from tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

DEMO_PASSWORD = "demo-Handwerk-2026"
DEMO_EMAILS = {
    "koordination@example.org",
    "innen@example.org",
    "partner@example.org",
    "gast@example.org",
    "pruefung@example.org",
}
DEMO_COORDINATORS = {"koordination@example.org", "pruefung@example.org"}
# The partners of the demo's history (portal/demo_history.py): members without a password.
HISTORY_EMAILS = {f"partnerin-{number:02d}@example.org" for number in range(1, len(PARTNERS) + 1)}


def _seed(settings, **options) -> None:
    settings.DEBUG = True
    call_command("seed_demo", password=DEMO_PASSWORD, **options)


def _snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("email", "password", "name", "organisation_name")),
        "addresses": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
        "api_tokens": sorted(
            ApiToken.objects.values_list("user__email", "name", "prefix", "digest", "revoked_at")
        ),
    }


def test_seed_creates_the_demo_accounts_with_verified_primary_addresses(settings):
    _seed(settings)

    assert set(User.objects.values_list("email", flat=True)) == DEMO_EMAILS | HISTORY_EMAILS
    assert not any(user.has_usable_password() for user in User.objects.filter(email__in=HISTORY_EMAILS))
    addresses = EmailAddress.objects.filter(email__in=DEMO_EMAILS)
    assert addresses.count() == len(DEMO_EMAILS)
    assert all(address.verified and address.primary for address in addresses)
    assert all(address.user.email == address.email for address in addresses)


def test_each_demo_account_can_sign_in_through_the_login_form(settings):
    _seed(settings)

    for email in sorted(DEMO_EMAILS):
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        if email in DEMO_COORDINATORS:
            # Coordinators use two-factor; the README tells how to get the demo code.
            assert response["Location"] == "/accounts/2fa/authenticate/", email
            response = client.post("/accounts/2fa/authenticate/", {"code": _demo_code(email)})

        assert response.status_code == 302, email
        assert response["Location"] == "/mein-ueberblick/", email
        assert client.get("/").context["user"].email == email


def test_demo_accounts_have_names_and_organisations(settings):
    _seed(settings)

    for user in User.objects.all():
        assert user.name, user.email
        assert user.organisation_name


def test_running_the_seed_twice_changes_nothing(settings):
    _seed(settings)
    first = _snapshot()

    _seed(settings)

    assert _snapshot() == first


def test_running_the_seed_with_a_new_password_changes_only_the_passwords(client, settings):
    _seed(settings)
    call_command("seed_demo", password="ein-anderes-Passwort")

    assert User.objects.count() == len(DEMO_EMAILS | HISTORY_EMAILS)
    assert EmailAddress.objects.count() == len(DEMO_EMAILS)
    assert client.login(email="partner@example.org", password="ein-anderes-Passwort")
    assert not client.login(email="partner@example.org", password=DEMO_PASSWORD)


def test_seed_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", password=DEMO_PASSWORD)

    assert not User.objects.exists()


def test_seed_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    call_command("seed_demo", password=DEMO_PASSWORD, force=True)

    assert set(User.objects.values_list("email", flat=True)) == DEMO_EMAILS | HISTORY_EMAILS


def test_seed_keeps_accounts_that_are_not_demo_accounts(settings, outsider):
    _seed(settings)

    assert User.objects.filter(pk=outsider.pk).exists()
    assert User.objects.count() == len(DEMO_EMAILS | HISTORY_EMAILS) + 1


def _demo_code(email: str) -> str:
    out = StringIO()
    call_command("demo_totp", email, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_only_the_demo_coordinators_get_the_documented_demo_authenticator(settings):
    _seed(settings)
    _seed(settings)

    with_totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP)
    assert sorted(with_totp.values_list("user__email", flat=True)) == sorted(DEMO_COORDINATORS)
    assert {authenticator.data["secret"] for authenticator in with_totp} == {DEMO_TOTP_SECRET}


def test_demo_totp_never_tells_the_code_of_a_real_authenticator():
    staff = StaffFactory()

    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", staff.email, stdout=StringIO())


def test_the_demo_has_minutes_in_draft_and_minutes_published_and_approved(settings):
    _seed(settings)

    draft = Minutes.objects.get(meeting__title=EXCHANGE)
    assert draft.status == Minutes.Status.DRAFT
    assert draft.introduction
    assert draft.meeting.agenda_items.exclude(discussion="").count() == 2
    approved = Minutes.objects.get(meeting__title=FOUNDING)
    assert approved.status == Minutes.Status.PUBLISHED
    assert approved.approved_on is not None


def test_the_demo_fills_the_dashboard_and_the_activity_report_with_plausible_numbers(settings, client):
    from django.utils import timezone

    from groups.models import Space

    _seed(settings)
    coordinator = User.objects.get(email="koordination@example.org")  # with the demo's TOTP
    fachgruppe = Space.objects.get(is_fachgruppe=True)
    client.force_login(coordinator)

    sections = {s.slug: s for s in client.get(f"/auswertung/{fachgruppe.slug}/").context["sections"]}
    facts = {slug: {fact.label: fact.value for fact in section.facts} for slug, section in sections.items()}
    assert 12 <= facts["members"]["Mitglieder heute"] <= 20
    assert sum(row[2] for row in sections["members"].table.rows) == 2  # two left
    assert facts["meetings"]["Abgehaltene Sitzungen"] >= 5
    assert 50 <= facts["meetings"]["Anwesenheitsquote über alle Sitzungen (%)"] <= 95
    assert facts["decisions"]["Beschlüsse"] >= 5
    assert facts["decisions"]["Erledigte Aufgaben"] >= 4
    assert facts["decisions"]["Durchschnittliche Tage bis erledigt"] > 0
    assert facts["questions"]["Durchschnittliche Tage bis zur Antwort"] > 0
    assert facts["information"]["E-Mail-Abonnements heute (ganzes Portal)"] >= 15
    assert facts["delivery"]["Fehlgeschlagene E-Mails im Zeitraum"] == 2
    assert sections["join-requests"].facts[2].value > 0
    year = timezone.localdate().year
    report = client.get(f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{year}/").context["report"]
    assert report.meetings.table.rows
    assert report.decisions.rows


def _printed_tokens(output: str) -> dict[str, str]:
    tokens, email = {}, None
    for line in output.splitlines():
        if line.startswith("  ") and "@" in line and "API token" not in line:
            email = line.split()[0]
        elif "API token (read only):" in line:
            tokens[email] = line.split(":", 1)[1].strip()
    return tokens


def test_the_seed_prints_a_read_only_api_token_for_the_coordinator_and_the_partner(settings, client):
    out = StringIO()
    settings.DEBUG = True
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=out)
    again = StringIO()
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=again)

    printed = _printed_tokens(out.getvalue())
    assert set(printed) == {"koordination@example.org", "partner@example.org"}
    assert _printed_tokens(again.getvalue()) == printed
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 2
    for email, secret in printed.items():
        spaces = client.get("/api/v1/spaces", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert spaces.status_code == 200, email
        assert spaces.json()["items"]
    assert client.get("/api/v1/spaces", HTTP_AUTHORIZATION="Bearer fhp_" + "x" * 43).status_code == 401


def test_a_new_demo_password_replaces_the_demo_tokens(settings, client):
    first = StringIO()
    settings.DEBUG = True
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=first)
    second = StringIO()
    call_command("seed_demo", password="ein-anderes-Passwort", stdout=second)

    old, new = _printed_tokens(first.getvalue()), _printed_tokens(second.getvalue())
    assert old["partner@example.org"] != new["partner@example.org"]
    assert (
        client.get("/api/v1/spaces", HTTP_AUTHORIZATION=f"Bearer {old['partner@example.org']}").status_code
        == 401
    )
    assert (
        client.get("/api/v1/spaces", HTTP_AUTHORIZATION=f"Bearer {new['partner@example.org']}").status_code
        == 200
    )
    assert ApiToken.objects.count() == 2
