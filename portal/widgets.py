"""Form widgets rendered in Python where Django's templates cost too much.

Django renders every <option> of a select through two template includes
(`select_option.html`, `attrs.html`); a filter form with a few vocabularies then
spends more time in templates than the page's queries take. PlainSelect writes
the same HTML directly.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _attributes(attrs: dict) -> SafeString:
    """Like Django's attrs.html: in the given order, True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


OPTGROUP_END = SafeString("\n  </optgroup>")
SELECT_END = SafeString("\n</select>")


class PlainSelect(forms.Select):
    """A select with the markup of Django's own templates, written without a template per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(OPTGROUP_END)
        parts.append(SELECT_END)
        return format_html_join("", "{}", ((part,) for part in parts))
