"""What the admin must not do: move or widen content past the service, or lose the Fachgruppe."""

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.core import checks

from groups import spaces
from groups.models import RingItem, Space
from projects.models import Project
from projects.services import home_space
from tests.factories import UserFactory
from tests.factories.meetings import MeetingFactory


def _admins_of_ring_content():
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, RingItem) or model is Project:
            yield model, model_admin


def test_every_admin_of_ring_content_keeps_space_and_audience_read_only(rf):
    request = rf.get("/admin/")
    seen = []
    for model, model_admin in _admins_of_ring_content():
        readonly = set(model_admin.get_readonly_fields(request, obj=model()))
        assert {"space", "audience"} <= readonly, model.__name__
        seen.append(model.__name__)
    assert {"Thread", "Document", "Meeting", "Question", "InformationPage", "Project"} <= set(seen)


def test_a_staff_edit_in_the_admin_does_not_change_a_meetings_audience(client, inner, fachgruppe):
    meeting = MeetingFactory(space=inner, audience=inner)
    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "audience" not in form.fields
    assert "space" not in form.fields


def test_an_existing_space_cannot_be_moved_in_the_tree(rf, inner):
    model_admin = admin.site._registry[Space]
    assert "parent" in model_admin.get_readonly_fields(rf.get("/"), obj=inner)
    assert "is_fachgruppe" in model_admin.get_readonly_fields(rf.get("/"), obj=None)


def test_the_fachgruppe_is_found_by_its_flag_after_a_rename(fachgruppe):
    fachgruppe.slug = "fachgruppe-handwerk-neu"
    fachgruppe.save(update_fields=["slug"])

    assert spaces.fachgruppe() == home_space() == Space.objects.get(slug="fachgruppe-handwerk-neu")


def test_the_system_check_wants_exactly_one_fachgruppe(fachgruppe):
    assert not [e for e in checks.run_checks(databases=["default"]) if e.id == "groups.E001"]

    Space.objects.filter(pk=fachgruppe.pk).update(is_fachgruppe=False)

    errors = [e for e in checks.run_checks(databases=["default"]) if e.id == "groups.E001"]
    assert len(errors) == 1
    assert "0 spaces" in errors[0].msg
