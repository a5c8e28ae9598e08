"""Every text field of every portal form has a length limit and refuses control characters."""

import copy
import importlib

import pytest
from django import forms
from django.template.loader import render_to_string

from groups.models import Thread
from portal import limits
from portal.forms import HardenedFieldsMixin, NoControlCharacters, harden_fields, is_multiline
from tests import htmltree

FORM_MODULES = [
    "groups.forms",
    "groups.forms_questions",
    "meetings.forms",
    "meetings.forms_calendar",
    "meetings.forms_minutes",
    "projects.forms",
    "projects.forms_catalogue",
    "portal.forms",
    "portal.notifications.forms",
]
APPS = ("groups.", "meetings.", "projects.", "portal.")


def _portal_forms() -> list[type[forms.BaseForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found, todo = [], list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if (cls.__module__.startswith(APPS) and cls.__module__ != "portal.forms") or cls.__name__ == (
            "SignupProfileForm"
        ):
            found.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__name__}")


PORTAL_FORMS = _portal_forms()


def test_the_forms_are_found():
    names = {cls.__name__ for cls in PORTAL_FORMS}
    assert {"ThreadForm", "QuestionForm", "InformationPageForm", "ContentForm", "RespondForm"} <= names
    assert len(PORTAL_FORMS) > 40


@pytest.mark.parametrize("form_class", PORTAL_FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_text_field_has_a_limit_and_refuses_control_characters(form_class):
    assert issubclass(form_class, HardenedFieldsMixin), "derive from portal.forms.PortalForm/PortalModelForm"
    fields = copy.deepcopy(form_class.base_fields)
    harden_fields(fields, text_limits=form_class.text_limits, owner=form_class.__name__)
    for name, field in fields.items():
        if not isinstance(field, forms.CharField):
            continue
        multiline = is_multiline(field)
        if multiline:
            ceiling = limits.DOCUMENT
        else:
            ceiling = limits.EMAIL if isinstance(field, forms.EmailField) else limits.LINE
        assert field.max_length is not None, name
        assert field.max_length <= ceiling, name
        if field.widget.is_hidden:
            # The limit holds on the server; HTML allows maxlength only on inputs a person types into.
            assert "maxlength" not in field.widget.attrs, name
        else:
            assert field.widget.attrs["maxlength"] == str(field.max_length), name
        assert NoControlCharacters(multiline=multiline) in field.validators, name


@pytest.mark.parametrize(
    "value",
    [
        "Zeile\r\nZwei",
        "Zeile\nZwei",
        "mit\x00Null",
        "mit\tTab",
        "C1\x85NEL",
        "Trenner\u2028Zeile",
        "Absatz\u2029Neu",
        "DEL\x7f",
    ],
)
def test_a_single_line_field_refuses_breaks_and_controls(value):
    fields = {"title": forms.CharField(max_length=200)}
    harden_fields(fields, text_limits={}, owner="Test")
    with pytest.raises(forms.ValidationError) as refused:
        fields["title"].clean(value)
    assert refused.value.messages == ["Dieses Feld darf keine Zeilenumbrüche oder Steuerzeichen enthalten."]


def test_a_multi_line_field_keeps_line_breaks_and_tabs_but_refuses_nul():
    fields = {"body": forms.CharField(widget=forms.Textarea, max_length=limits.POST)}
    harden_fields(fields, text_limits={}, owner="Test")
    assert fields["body"].clean("Erste Zeile\r\n\tZweite Zeile") == "Erste Zeile\r\n\tZweite Zeile"
    for value in ("mit\x00Null", "mit\x1bEscape"):
        with pytest.raises(forms.ValidationError) as refused:
            fields["body"].clean(value)
        assert refused.value.messages == ["Dieses Feld darf keine Steuerzeichen enthalten."]


def test_a_line_break_counts_once_as_in_the_browser():
    fields = {"body": forms.CharField(widget=forms.Textarea, max_length=10)}
    harden_fields(fields, text_limits={}, owner="Test")
    assert fields["body"].clean("1234\r\n5678") == "1234\r\n5678"
    with pytest.raises(forms.ValidationError):
        fields["body"].clean("1234\r\n567890")


def test_a_form_states_the_limit_of_a_text_field():
    from groups.forms import PostForm

    field = PostForm().fields["body"]
    assert field.max_length == limits.POST
    assert field.help_text.endswith("Höchstens 20.000 Zeichen.")
    assert 'maxlength="20000"' in str(PostForm()["body"])


def _new_thread(client, space, **data):
    page = client.get(f"/spaces/{space.slug}/threads/new/").content.decode()
    token = page.split('name="once" value="', 1)[1].split('"', 1)[0]
    return client.post(f"/spaces/{space.slug}/threads/new/", {"once": token, **data})


def test_a_title_with_a_line_break_comes_back_with_what_was_typed(client, partner, fachgruppe):
    client.force_login(partner)

    response = _new_thread(client, fachgruppe, title="Ausbildung\r\nBcc: alle", body="Mein langer Text")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Feld darf keine Zeilenumbrüche oder Steuerzeichen enthalten." in html
    assert "Mein langer Text" in html
    assert not Thread.objects.filter(space=fachgruppe).exists()


def test_a_body_over_the_limit_is_refused_by_the_server(client, partner, fachgruppe):
    client.force_login(partner)

    response = _new_thread(client, fachgruppe, title="Zu lang", body="x" * (limits.POST + 1))

    assert response.status_code == 200
    assert "(Er besteht aus 20001 Zeichen.)" in response.content.decode()
    assert not Thread.objects.filter(space=fachgruppe).exists()


def test_a_body_with_nul_is_refused_not_a_server_error(client, partner, fachgruppe):
    client.force_login(partner)

    response = _new_thread(client, fachgruppe, title="Null", body="vorher\x00nachher")

    assert response.status_code == 200
    assert "Dieses Feld darf keine Steuerzeichen enthalten." in response.content.decode()
    assert not Thread.objects.filter(space=fachgruppe).exists()


def test_the_links_of_a_project_are_saved_and_a_nul_among_them_is_refused(client, partner):
    from projects.models import Project
    from tests.once import token

    client.force_login(partner)
    client.post("/projects/neu/", {"title": "Praxistage", **token()})
    project = Project.objects.get()
    url = f"/projects/{project.slug}/bearbeiten/kontakt/"

    saved = client.post(url, {"links": "https://example.org/a\r\nhttps://example.org/b"})
    refused = client.post(url, {"links": "https://example.org/a\r\nhttps://example.org/\x00b"})

    project.refresh_from_db()
    assert saved.status_code == 302
    assert project.links == ["https://example.org/a", "https://example.org/b"]
    assert refused.status_code == 200
    assert "Dieses Feld darf keine Steuerzeichen enthalten." in refused.content.decode()


class _Choice(forms.Form):
    date = forms.ChoiceField(
        label="Gewählter Termin",
        choices=[("1", "Donnerstag, 25. Februar 2027, 10:00–16:00 Uhr"), ("2", "Donnerstag, 4. März 2027")],
        widget=forms.RadioSelect,
    )


def test_every_radio_button_of_a_choice_list_floats_beside_its_label():
    html = render_to_string("components/form_field.html", {"field": _Choice()["date"]})
    inputs = htmltree.parse(html).all("input")

    assert [(i.attrs["type"], i.attrs["value"]) for i in inputs] == [("radio", "1"), ("radio", "2")]
    # Without Bootstrap's check class a long label (an inline-block) drops below its button on a phone.
    assert all("form-check-input" in i.attrs["class"].split() for i in inputs)
