"""Notification kinds are registered in code by their apps and stored as plain strings: a new kind
needs no migration, and a kind nobody registered is refused."""

from io import StringIO

import pytest
from django.core import checks, mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.notifications import events, kinds, services
from portal.notifications.forms import TOPICS
from portal.notifications.models import Event, Notification, Preference
from tests.outbox import deliver_all

NEW_KIND = "test_badge_awarded"


@pytest.fixture
def new_kind():
    """A kind a new feature would add: registered the way an app's kinds module does."""
    kinds.register_kind(NEW_KIND, _("Neue Plakette"), topic="personal", personal=True)
    yield NEW_KIND
    kinds.unregister_kind(NEW_KIND)


def test_every_kind_the_code_names_is_registered_by_an_app_and_sits_on_one_topic():
    assert {spec.value for spec in kinds.registered()} >= {kind.value for kind in kinds.Kind}
    on_topics = [kind for _name, _label, topic_kinds, _only in TOPICS for kind in topic_kinds]
    assert sorted(on_topics) == sorted(spec.value for spec in kinds.registered())
    assert not [error for error in checks.run_checks() if error.id.startswith("notifications.")]


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_by_the_outbox_the_preferences_and_the_model(partner, fachgruppe):
    with pytest.raises(kinds.UnknownKindError):
        events.record(kind="no_such_kind", audience=Event.Audience.PEOPLE, data={}, recipients=[partner])
    with pytest.raises(kinds.UnknownKindError):
        services.preference_set(user=partner, kind="no_such_kind", channel="off")
    with pytest.raises(ValidationError) as refused:
        Event(kind="no_such_kind", audience=Event.Audience.PEOPLE).full_clean()
    assert "kind" in refused.value.error_dict
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_new_kind_needs_no_migration_and_reaches_people_with_its_label(
    new_kind, partner, fachgruppe, client
):
    out = StringIO()
    # Raises SystemExit when a migration would be written.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()

    events.record(
        kind=new_kind, audience=Event.Audience.PEOPLE, data={"title": "Plakette"}, recipients=[partner]
    )
    deliver_all()
    assert Notification.objects.get(user=partner).event.kind == new_kind
    # Personal, so at once by mail; without a subject of its own, the label is the subject.
    [message] = mail.outbox
    assert message.to == [partner.email]
    assert "Neue Plakette" in message.subject

    client.force_login(partner)
    assert "Neue Plakette" in client.get(reverse("notifications:list")).content.decode()


@pytest.mark.django_db
def test_the_database_check_names_a_stored_kind_that_no_app_registers_any_more(new_kind, partner):
    events.record(kind=new_kind, audience=Event.Audience.PEOPLE, data={}, recipients=[partner])
    assert not [e for e in checks.run_checks(databases=["default"]) if e.id == "notifications.E002"]

    kinds.unregister_kind(new_kind)
    [error] = [e for e in checks.run_checks(databases=["default"]) if e.id == "notifications.E002"]
    assert new_kind in error.msg


def test_a_kind_named_in_code_but_not_registered_fails_the_system_check():
    spec = kinds.spec(kinds.Kind.MEMBER_LEFT)
    kinds.unregister_kind(spec.value)
    try:
        found = [e.id for e in checks.run_checks()]
    finally:
        kinds.register_kind(spec.value, spec.label, topic=spec.topic, personal=spec.personal)
    assert "notifications.E001" in found


def test_a_kind_registered_twice_differently_is_a_programming_error():
    with pytest.raises(Exception, match="registered twice"):
        kinds.register_kind(kinds.Kind.MEMBER_LEFT, _("Etwas anderes"), topic="coordination")


def test_a_partners_preferences_offer_a_newly_registered_kind_on_its_topic(new_kind, partner, client):
    client.force_login(partner)
    client.post(reverse("notifications:preferences"), {"topic_personal": "off"})
    assert Preference.objects.filter(user=partner, kind=new_kind, channel="off").exists()
