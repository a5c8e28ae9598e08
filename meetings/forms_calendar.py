"""Forms of the date polls: proposing dates, answering all of them at once, choosing one."""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings import selectors_polls
from meetings.models import DatePoll, Meeting, PollAnswer, PollOption
from meetings.selectors_calendar import BERLIN
from portal import dates
from portal.forms import PortalForm

OPTION_ROWS = 5


class PollOptionForm(PortalForm):
    """One proposed date; a row left empty is ignored."""

    date = forms.DateField(label=_("Datum"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Beginn"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ende"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        data = super().clean()
        given = [data.get(name) for name in ("date", "start", "end")]
        if any(given) and not all(given):
            raise ValidationError(
                _("Bitte geben Sie Datum, Beginn und Ende an oder lassen Sie die Zeile leer.")
            )
        if all(given) and data["end"] <= data["start"]:
            raise ValidationError(_("Das Ende muss nach dem Beginn liegen."))
        return data

    def period(self) -> tuple[datetime, datetime] | None:
        data = self.cleaned_data
        if not data.get("date"):
            return None
        return (
            datetime.combine(data["date"], data["start"], tzinfo=BERLIN),
            datetime.combine(data["date"], data["end"], tzinfo=BERLIN),
        )


class BasePollOptionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.periods():
            raise ValidationError(_("Bitte schlagen Sie mindestens einen Termin vor."))

    def periods(self) -> list[tuple[datetime, datetime]]:
        return [period for form in self.forms if (period := form.period()) is not None]


PollOptionFormSet = forms.formset_factory(
    PollOptionForm, formset=BasePollOptionFormSet, extra=OPTION_ROWS, max_num=OPTION_ROWS
)


def option_label(option: PollOption) -> str:
    return dates.period(option.starts_at, option.ends_at)


class PollAnswerForm(PortalForm):
    """One radio group per proposed date, so the whole poll is answered with one submit and no script."""

    def __init__(self, *args, options: list[PollOption], **kwargs):
        super().__init__(*args, **kwargs)
        for option in options:
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=option_label(option),
                choices=PollAnswer.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Bitte wählen Sie eine Antwort für diesen Termin.")},
            )

    def answers(self) -> dict[int, str]:
        return {int(name.removeprefix("option_")): value for name, value in self.cleaned_data.items()}


class PollCloseForm(PortalForm):
    option = forms.ModelChoiceField(
        label=_("Gewählter Termin"),
        queryset=PollOption.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Bitte wählen Sie den Termin, der gelten soll.")},
    )

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = poll.options.all()
        self.fields["option"].label_from_instance = option_label


@dataclass
class PollPanel:
    """A meeting's date poll as one person sees it: results, and the forms they may use."""

    meeting: Meeting
    poll: DatePoll | None
    results: selectors_polls.PollResults | None = None
    answer_form: PollAnswerForm | None = None
    close_form: PollCloseForm | None = None
    may_start: bool = False


def poll_panel(*, meeting: Meeting, user, can_coordinate: bool, data=None) -> PollPanel:
    """In a constant number of queries; `data` binds the answer form to what was just submitted."""
    poll = DatePoll.objects.filter(meeting=meeting).first()
    return panel_of_poll(poll=poll, meeting=meeting, user=user, can_coordinate=can_coordinate, data=data)


def panel_of_poll(
    *, poll: DatePoll | None, meeting: Meeting, user, can_coordinate: bool, data=None
) -> PollPanel:
    """The panel of a poll already read (the meeting page has it from its shared read)."""
    if poll is None:
        may_start = can_coordinate and meeting.status == Meeting.Status.TENTATIVE
        return PollPanel(meeting=meeting, poll=None, may_start=may_start)
    panel = PollPanel(meeting=meeting, poll=poll, results=selectors_polls.poll_results(poll=poll, user=user))
    if poll.status == DatePoll.Status.OPEN:
        if selectors_polls.may_answer(user, meeting):
            panel.answer_form = PollAnswerForm(
                data,
                options=[result.option for result in panel.results.options],
                initial={f"option_{pk}": answer for pk, answer in panel.results.own.items()},
            )
        if can_coordinate:
            panel.close_form = PollCloseForm(poll=poll)
    return panel
