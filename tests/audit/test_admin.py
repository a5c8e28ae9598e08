"""Staff read the audit log in the admin but cannot add, change or delete an entry; what staff
change elsewhere in the admin is itself recorded, with the values before and after."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin

from groups.models import Space
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True, name="Sabine Verwaltung")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    client.staff = staff
    return client


def _form_data(page) -> dict:
    """What the browser would send back for an unchanged admin change form, inlines included."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = (
            [str(item.pk if hasattr(item, "pk") else item) for item in value]
            if isinstance(value, list)
            else value
        )
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        )
        for subform in formset.initial_forms:
            for name in subform.fields:
                value = subform.initial.get(name)
                if value is not None:
                    data[subform.add_prefix(name)] = getattr(value, "pk", value)
    return {key: value for key, value in data.items() if value is not False}


def test_an_entry_cannot_be_added_changed_or_deleted_in_the_admin(superuser_client, fachgruppe):
    entry = audit.record(Action.ROLE_CHANGED, actor=None, space=fachgruppe, before={"role": "member"})
    base = "/admin/audit/auditentry/"

    assert superuser_client.get(base).status_code == 200
    page = superuser_client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(f"{base}{entry.pk}/change/", {"summary": "geändert"}).status_code == 403
    assert superuser_client.get(f"{base}add/").status_code == 403
    assert superuser_client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = superuser_client.post(
        base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in {200, 302}

    entry.refresh_from_db()
    assert (entry.summary, entry.before) == ("", {"role": "member"})
    model_admin = admin.site._registry[AuditEntry]
    assert "delete_selected" not in model_admin.get_actions(page.wsgi_request)


def test_a_change_in_the_admin_is_recorded_with_the_values_before_and_after(superuser_client, fachgruppe):
    url = f"/admin/groups/space/{fachgruppe.pk}/change/"
    data = _form_data(superuser_client.get(url))
    data["admission"] = Space.Admission.INVITATION
    data["min_project_reviews"] = 1

    response = superuser_client.post(url, data, REMOTE_ADDR="192.0.2.4")
    assert response.status_code == 302, response.context["adminform"].form.errors

    entry = AuditEntry.objects.get(action=Action.ADMIN_CHANGED)
    assert (entry.actor, entry.space, entry.ip) == (superuser_client.staff, fachgruppe, "192.0.2.4")
    assert entry.before == {"admission": "request", "min_project_reviews": None}
    assert entry.after == {"admission": "invitation", "min_project_reviews": 1}
    assert "Aufnahme" in entry.summary or "admission" in entry.summary.lower()


def test_a_deletion_in_the_admin_is_recorded_and_a_password_never_shows(superuser_client):
    person = UserFactory(name="Zu Löschen")
    response = superuser_client.post(f"/admin/groups/user/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    entry = AuditEntry.objects.get(action=Action.ADMIN_DELETED)
    assert entry.target_label == "Zu Löschen"
    assert (entry.target_type.model, entry.target_id) == ("user", str(person.pk))
    assert "argon2" not in str(AuditEntry.objects.values_list("before", "after", "summary"))


def test_every_registered_admin_records_its_changes():
    from portal.audit.admin_site import AuditedAdminMixin

    plain = [type(model_admin).__name__ for model_admin in admin.site._registry.values()]
    assert plain
    assert all(isinstance(model_admin, AuditedAdminMixin) for model_admin in admin.site._registry.values())
