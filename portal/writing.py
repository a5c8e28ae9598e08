"""Writing help for Markdown fields: the widget, its hint, and the preview without JavaScript.

A form field that takes Markdown uses `MarkdownTextarea`. `components/form_field.html` then
shows, around the plain textarea:

- a toolbar (bold, italic, heading, list, link). `static/js/writing.js` reveals it, so a page
  without JavaScript shows no buttons that would not work;
- a short hint with examples, and, where mentions notify people, how to mention someone;
- a "Vorschau" button. With JavaScript, htmx sends the field to `portal:markdown_preview`,
  which renders it with the same sanitising renderer as a save (`portal.markdown`). Without
  JavaScript the button submits the form. Every PortalForm then treats the request as a
  preview, not a submission: it is not valid, shows no errors, and the page comes back with
  everything typed and the preview under the field (`PREVIEW_FIELD`).
- with `mention_url` set (by the view, for the item's ring), the script suggests people as
  soon as "@" and two letters are typed, from that address (a listbox the arrow keys move
  through; Enter or Tab takes a name, Escape closes it).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

# The name of the "Vorschau" submit button; its value is the HTML name of the field to preview.
PREVIEW_FIELD = "markdown_preview"

MARKDOWN_HELP = _("Sie können Markdown verwenden, z. B. **fett**, *kursiv*, Listen mit „-“ und Links.")
MENTION_HELP = _(
    "Erwähnen Sie eine Person mit @ und ihrem Namen, z. B. @Jonas Feldmann oder @[Jonas Feldmann]; "
    "sie wird benachrichtigt."
)


class MarkdownTextarea(forms.Textarea):
    """A textarea for Markdown; the field template adds toolbar, hint and preview."""

    def __init__(self, attrs=None, *, mentions: bool = False):
        super().__init__(attrs)
        self.mentions = mentions
        self.mention_url = ""
        self.show_preview = False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.mentions and self.mention_url:
            context["widget"]["attrs"]["data-mention-url"] = self.mention_url
        return context


def is_markdown(field: forms.Field) -> bool:
    return isinstance(field.widget, MarkdownTextarea)


def set_mention_url(form: forms.BaseForm, url: str) -> None:
    """Lets the Markdown fields of the form that notify mentioned people suggest names from `url`."""
    for field in form.fields.values():
        if is_markdown(field) and field.widget.mentions:
            field.widget.mention_url = url


def mark_preview(form: forms.BaseForm) -> bool:
    """Whether the form was sent by a "Vorschau" button; marks that field's widget to show it."""
    if not form.is_bound:
        return False
    return show_preview(form, form.data.get(PREVIEW_FIELD) or "")


def show_preview(form: forms.BaseForm, html_name: str) -> bool:
    """Shows the preview under the form's Markdown field of that HTML name, if it has one."""
    for name, field in form.fields.items():
        if html_name and is_markdown(field) and form.add_prefix(name) == html_name:
            field.widget.show_preview = True
            return True
    return False
