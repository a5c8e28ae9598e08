"""Template filters that render Django form fields with Bootstrap's classes (used by the allauth elements)."""

from django import forms, template
from django.forms import BoundField
from django.forms.boundfield import BoundWidget
from django.utils.safestring import SafeString

from portal import legal, writing
from portal.markdown import render_markdown

register = template.Library()


def _control_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def bootstrap_widget(field: BoundField) -> SafeString:
    """The field's widget with Bootstrap's control class, marked invalid when the field has errors.

    Django adds `aria-invalid` and the `aria-describedby` that ties help text and
    errors (`<id>_helptext`, `<id>_error`) to the input. allauth's placeholders
    repeat the label, which is always shown here, and look like a value already
    typed in, so they are left out.
    """
    classes = [field.field.widget.attrs.get("class", ""), _control_class(field.field.widget)]
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c), "placeholder": False})


@register.filter
def check_input(choice: BoundWidget) -> SafeString:
    """One radio button or checkbox of a choice list, with Bootstrap's check class: it floats
    beside its label, so a long label wraps beside it instead of dropping below it."""
    attrs = choice.data["attrs"]
    classes = " ".join(c for c in (attrs.get("class"), "form-check-input") if c)
    context = {"widget": {**choice.data, "attrs": {**attrs, "class": classes}, "wrap_label": False}}
    return choice.parent_widget._render(choice.template_name, context, choice.renderer)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def has_required_fields(form: forms.BaseForm) -> bool:
    return any(field.field.required for field in form.visible_fields())


@register.filter
def invalid_visible_fields(form: forms.BaseForm) -> list[BoundField]:
    return [field for field in form.visible_fields() if field.errors]


@register.simple_tag
def privacy_note() -> SafeString:
    """The sentence that links the Datenschutzerklärung, worded in the request's language."""
    return SafeString(legal.privacy_note())


@register.filter
def is_markdown(field: BoundField) -> bool:
    return writing.is_markdown(field.field)


@register.filter
def as_markdown_preview(field: BoundField) -> SafeString:
    """What the field's current text looks like once saved: the same sanitising renderer."""
    return render_markdown(field.value() or "")
