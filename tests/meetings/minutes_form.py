"""What a browser would send from the minutes editor: every field of its one form, as shown."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = False
        self.fields: dict[str, object] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "minutes-form":
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                self.fields[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select, self._multiple = name, "multiple" in attrs
            self.fields[name] = [] if self._multiple else ""
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.fields[self._select].append(attrs.get("value", ""))
            else:
                self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            value = self.fields[self._textarea] + data
            self.fields[self._textarea] = value.removeprefix("\n")


def editor_fields(client, meeting) -> dict[str, object]:
    """The editor's form as the signed-in coordinator's browser would send it untouched."""
    response = client.get(f"/meetings/{meeting.pk}/minutes/")
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return parser.fields
