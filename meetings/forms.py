"""Forms of the meetings core: they only validate; the services decide."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups import access
from groups.models import Organisation, Space, User
from meetings.models import AgendaItem, Meeting, Participant
from meetings.services import (
    EDITABLE_FIELDS,
    PRESENTER_REFUSED,
    PRESENTER_TWICE,
    PROJECT_REFUSED,
    QUESTION_REFUSED,
)
from portal import limits
from portal.forms import PortalForm, PortalModelForm
from portal.writing import MARKDOWN_HELP, MarkdownTextarea

PUBLIC = "public"


def _aware(day: datetime.date, time: datetime.time | None) -> datetime.datetime | None:
    """A date and a local time as a moment in the portal's time zone (Europe/Berlin)."""
    if day is None or time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time))


class MeetingForm(PortalForm):
    """A meeting's details; date and times in Europe/Berlin, or only a period for a tentative one."""

    title = forms.CharField(label=_("Titel"), max_length=limits.LINE)
    kind = forms.ChoiceField(label=_("Art"), choices=Meeting.Kind.choices)
    date = forms.DateField(
        label=_("Datum"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Beginn"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ende"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    tentative_period = forms.CharField(
        label=_("Vorgesehener Zeitraum"),
        max_length=100,
        required=False,
        help_text=_("Nur für vorläufige Termine ohne Datum, z. B. „Oktober/November 2026“."),
    )
    place = forms.CharField(label=_("Ort"), max_length=limits.LINE, required=False)
    video_url = forms.URLField(
        label=_("Link zur Videokonferenz"),
        max_length=limits.LINE,
        required=False,
        help_text=_("Nur für Teilnehmende sichtbar."),
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        widget=MarkdownTextarea(attrs={"rows": 5}),
        max_length=limits.POST,
        help_text=MARKDOWN_HELP,
    )
    capacity = forms.IntegerField(
        label=_("Plätze"), min_value=1, required=False, help_text=_("Für Schulungen: leer heißt unbegrenzt.")
    )
    registration_open = forms.BooleanField(label=_("Anmeldung offen"), required=False)
    open_to_partners = forms.BooleanField(
        label=_("Auch für Partner außerhalb des Raums"),
        required=False,
        help_text=_("Partner, die nicht Mitglied des Raums sind, können sich anmelden."),
    )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        initial = {name: getattr(meeting, name) for name in EDITABLE_FIELDS}
        if meeting.starts_at:
            start = timezone.localtime(meeting.starts_at)
            initial |= {"date": start.date(), "start_time": start.time()}
        if meeting.ends_at:
            initial["end_time"] = timezone.localtime(meeting.ends_at).time()
        return initial

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start is None:
            self.add_error("start_time", _("Bitte geben Sie die Uhrzeit des Beginns an."))
        if day is None and (start or end):
            self.add_error("date", _("Bitte geben Sie das Datum an."))
        if day and start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        if day is None and not data.get("tentative_period", "").strip() and not self.errors:
            raise forms.ValidationError(
                _("Bitte geben Sie ein Datum oder, wenn der Termin vorläufig ist, den Zeitraum an.")
            )
        return data

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
        fields["starts_at"] = _aware(data["date"], data["start_time"])
        fields["ends_at"] = _aware(data["date"], data["end_time"])
        return fields


class MeetingCreateForm(MeetingForm):
    """A new meeting also chooses its home space and who may see it."""

    space = forms.ModelChoiceField(label=_("Raum"), queryset=Space.objects.none(), empty_label=None)
    audience = forms.ChoiceField(
        label=_("Sichtbar für"),
        help_text=_("Der Raum selbst, ein Raum darum oder die Öffentlichkeit."),
    )

    field_order = ["space", "audience"]

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
        around: dict[int, Space] = {}
        for space in spaces.select_related("parent__parent"):
            for ring in access.ring_chain(space):
                around.setdefault(ring.pk, ring)
        self.fields["audience"].choices = [
            *((str(pk), _("Mitglieder von %(space)s") % {"space": ring.name}) for pk, ring in around.items()),
            (PUBLIC, _("Öffentlich")),
        ]
        self._around = around

    def clean(self):
        data = super().clean()
        chosen = data.get("audience")
        data["audience"] = None if chosen in (None, PUBLIC) else self._around[int(chosen)]
        return data


class CancelForm(PortalForm):
    confirm = forms.BooleanField(label=_("Ja, die Sitzung absagen und alle Beteiligten benachrichtigen."))


class AgendaItemForm(PortalModelForm):
    """An agenda item; who presents it and which question it takes up are chosen from what the
    caller offers (meetings.selectors.meeting_people and linkable_questions)."""

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "details",
            "presenter",
            "presenter_name",
            "duration_minutes",
            "question",
            "project",
        ]
        widgets = {"details": MarkdownTextarea(attrs={"rows": 4})}
        labels = {
            "presenter": _("Vortragende Person"),
            "presenter_name": _("Vortragender Gast ohne Konto"),
            "question": _("Verknüpfte Frage"),
            "project": _("Vorgestelltes Modellprojekt"),
        }
        help_texts = {
            "presenter": _("Ein Mitglied des Raums oder eine eingeladene Person."),
            "presenter_name": _("Name und Organisation, wenn die Person kein Konto im Portal hat."),
            "question": _("Eine Frage an diesen Raum, die unter diesem Punkt besprochen wird."),
            "project": _(
                "Ein angenommenes Projekt aus dem Schaufenster, das unter diesem Punkt vorgestellt wird."
            ),
        }
        error_messages = {
            "presenter": {"invalid_choice": PRESENTER_REFUSED},
            "question": {"invalid_choice": QUESTION_REFUSED},
            "project": {"invalid_choice": PROJECT_REFUSED},
        }

    text_limits = {"details": limits.POST}

    def __init__(self, *args, presenters, questions, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = presenters
        self.fields["presenter"].empty_label = _("– niemand mit Konto –")
        self.fields["presenter"].label_from_instance = _person_label
        self.fields["question"].queryset = questions
        self.fields["question"].empty_label = _("– keine –")
        self.fields["question"].label_from_instance = lambda question: question.title
        self.fields["project"].queryset = projects
        self.fields["project"].empty_label = _("– keines –")
        self.fields["project"].label_from_instance = lambda project: project.title

    def clean(self):
        data = super().clean()
        if data.get("presenter") and data.get("presenter_name", "").strip():
            self.add_error("presenter_name", PRESENTER_TWICE)
        return data


def _person_label(user: User) -> str:
    organisation = user.organisation_name
    return f"{user.name} ({organisation})" if organisation else user.name


class InviteAccountForm(PortalForm):
    email = forms.EmailField(label=_("E-Mail-Adresse des Kontos"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Zu dieser Adresse gibt es kein Konto. Laden Sie die Person als Gast ein.")
            )
        self.user = user
        return email


class PeopleSelect(forms.SelectMultiple):
    """A list of people in which those already invited are shown but cannot be chosen again."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.unavailable: set[str] = set()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.unavailable:
            option["attrs"]["disabled"] = True
        return option


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """People by name and organisation; those in `invited` are marked "bereits eingeladen"."""

    invited: frozenset[int] = frozenset()

    def label_from_instance(self, obj):
        label = f"{obj.name} ({obj.organisation_name})" if obj.organisation_name else obj.name
        if obj.pk in self.invited:
            return _("%(person)s – bereits eingeladen") % {"person": label}
        return label


class InviteGroupForm(PortalForm):
    """Whole rings, organisations and chosen people in one step, with exclusions."""

    spaces = forms.ModelMultipleChoiceField(
        label=_("Ganzer Kreis"),
        queryset=Space.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alle Mitglieder dieses Raums und der Räume darin."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Mitglieder einer Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    people = PersonChoiceField(
        label=_("Ausgewählte Personen"),
        queryset=User.objects.none(),
        required=False,
        widget=PeopleSelect(attrs={"size": 8}),
        help_text=_("Mehrere wählen Sie mit gedrückter Strg-Taste (am Mac: cmd) aus."),
    )
    exclude = PersonChoiceField(
        label=_("Ausgenommen"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Diese Personen werden nicht eingeladen, auch wenn ein gewählter Kreis sie umfasst."),
    )

    def __init__(self, *args, rings, organisations, people, invited: frozenset[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spaces"].queryset = rings
        self.fields["organisations"].queryset = organisations
        if not organisations.exists():
            del self.fields["organisations"]
        self.invited = invited
        self.fields["people"].queryset = people
        self.fields["exclude"].queryset = people
        self.fields["people"].invited = invited
        self.fields["people"].widget.unavailable = {str(pk) for pk in invited}

    def clean(self):
        data = super().clean()
        if not (data.get("spaces") or data.get("organisations") or data.get("people")):
            raise forms.ValidationError(_("Bitte wählen Sie aus, wen Sie einladen möchten."))
        people = data.get("people") or []
        only_people = people and not (data.get("spaces") or data.get("organisations"))
        if only_people and all(person.pk in self.invited for person in people):
            self.add_error("people", _("Die gewählten Personen sind bereits eingeladen."))
        return data


class InviteGuestForm(PortalModelForm):
    class Meta:
        model = Participant
        fields = ["name", "organisation", "email", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["language"].help_text = _(
            "Die Sprache der Einladung und weiterer Nachrichten an den Gast."
        )
        self.fields["language"].choices = [
            ("", _("Wie im Portal voreingestellt (Deutsch)")),
            *settings.LANGUAGES,
        ]


class RespondForm(PortalForm):
    response = forms.ChoiceField(
        label=_("Ihre Rückmeldung"),
        choices=[
            (Participant.Response.ACCEPTED, _("Ich nehme teil")),
            (Participant.Response.DECLINED, _("Ich nehme nicht teil")),
            (Participant.Response.EXCUSED, _("Ich bin entschuldigt")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie Zusage, Absage oder Entschuldigung.")},
    )
    note = forms.CharField(label=_("Anmerkung"), max_length=limits.LINE, required=False)


class AttendanceForm(PortalForm):
    present = forms.MultipleChoiceField(
        label=_("Anwesend"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(p.pk), p.display_name) for p in participants]

    def present_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["present"]}


class ProjectAgendaForm(PortalForm):
    """Which upcoming meeting an accepted model project is put on (meetings/project_agenda.py)."""

    meeting = forms.ModelChoiceField(label=_("Sitzung"), queryset=Meeting.objects.none(), empty_label=None)
    duration_minutes = forms.IntegerField(
        label=_("Dauer (Minuten)"), min_value=5, max_value=240, initial=20, required=False
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda meeting: f"{meeting.title} ({meeting.space})"
