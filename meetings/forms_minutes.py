"""Forms of the minutes: they only validate; meetings.minutes does the change."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings import minutes_document as document
from meetings import selectors_minutes_document as sections
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
from portal import limits
from portal.forms import PortalForm
from portal.writing import MARKDOWN_HELP, MarkdownTextarea


class IntroductionForm(PortalForm):
    introduction = forms.CharField(
        label=_("Einleitung"),
        required=False,
        widget=MarkdownTextarea(attrs={"rows": 3}),
        max_length=limits.DOCUMENT,
        help_text=MARKDOWN_HELP,
    )


class DiscussionForm(PortalForm):
    discussion = forms.CharField(
        label=_("Diskussion"),
        required=False,
        widget=MarkdownTextarea(attrs={"rows": 5}),
        max_length=limits.DOCUMENT,
        help_text=MARKDOWN_HELP,
    )


class DecisionForm(PortalForm):
    text = forms.CharField(
        label=_("Beschluss"), widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.POST
    )


class ActionItemForm(PortalForm):
    title = forms.CharField(label=_("Was"), max_length=limits.LINE)
    agenda_item = forms.ModelChoiceField(
        label=_("Zu Tagesordnungspunkt"), queryset=AgendaItem.objects.none(), required=False
    )
    assignees = forms.ModelMultipleChoiceField(
        label=_("Wer"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_assignees = forms.CharField(
        label=_("Weitere Verantwortliche"),
        max_length=limits.LINE,
        required=False,
        help_text=_("Namen von Gästen ohne Konto, durch Komma getrennt."),
    )
    due_date = forms.DateField(
        label=_("Bis wann"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position", "pk")
        self.fields["assignees"].queryset = people


class StatusForm(PortalForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class ReasonForm(PortalForm):
    # Required for a change only (meetings.minutes.keep_revision): saving unchanged minutes needs none.
    reason = forms.CharField(
        label=_("Grund der Korrektur"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.POST,
        help_text=_("Erscheint in der Historie des Protokolls."),
    )


class NextMeetingForm(PortalForm):
    next_meeting = forms.ModelChoiceField(
        label=_("Folgetermin"),
        queryset=None,
        required=False,
        empty_label=_("Automatisch: die folgenden Sitzungen des Raums"),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_meeting"].queryset = Meeting.objects.filter(
            pk__in=[choice.pk for choice in choices]
        )


class ApproveForm(PortalForm):
    approved_on = forms.DateField(
        label=_("Genehmigt am"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


@dataclass
class ItemForms:
    item: AgendaItem
    section: str
    discussion: DiscussionForm
    decisions: list[tuple[Decision, DecisionForm]]
    new_decision: DecisionForm
    base: str = ""  # the section's fingerprint as the page shows it
    # The decision an autosave of the new-decision row created, which the row now edits.
    created_decision: int | None = None

    @property
    def new_row(self) -> str:
        return sections.new_decision_row(self.item.pk)


class MinutesDocumentForm:
    """The whole Protokoll as one form: one sub-form per part, each with its own prefix.

    A section counts as sent when its fingerprint (`base-<section>`) came with the data,
    so a part added to the agenda after the page was loaded is left alone.
    """

    def __init__(self, data=None, *, meeting: Meeting, minutes: Minutes | None, people, next_choices):
        self.data = data
        self.meeting = meeting
        self.published = minutes is not None and minutes.status == Minutes.Status.PUBLISHED
        self.introduction = IntroductionForm(
            self._bound(sections.INTRODUCTION),
            initial={"introduction": minutes.introduction if minutes else ""},
        )
        self.items = []
        for item in meeting.agenda_items.order_by("position", "pk").prefetch_related("decisions"):
            section = sections.item_section(item.pk)
            bound = self._bound(section)
            self.items.append(
                ItemForms(
                    item=item,
                    section=section,
                    discussion=DiscussionForm(
                        bound, prefix=f"item-{item.pk}", initial={"discussion": item.discussion}
                    ),
                    decisions=[
                        (
                            decision,
                            DecisionForm(
                                _if_shown(bound, f"decision-{decision.pk}-text"),
                                prefix=f"decision-{decision.pk}",
                                initial={"text": decision.text},
                            ),
                        )
                        for decision in sorted(item.decisions.all(), key=lambda d: (d.position, d.pk))
                    ],
                    new_decision=NewDecisionForm(bound, prefix=sections.new_decision_row(item.pk)),
                    created_decision=self._created(
                        bound, sections.new_decision_row(item.pk), {d.pk for d in item.decisions.all()}
                    ),
                )
            )
        actions = self._bound(sections.ACTIONS)
        self.action_items = [
            (
                action_item,
                ActionItemForm(
                    _if_shown(actions, f"action-{action_item.pk}-title"),
                    meeting=meeting,
                    people=people,
                    prefix=f"action-{action_item.pk}",
                    initial={
                        "title": action_item.title,
                        "agenda_item": action_item.agenda_item_id,
                        "assignees": [person.pk for person in action_item.assignees.all()],
                        "other_assignees": action_item.other_assignees,
                        "due_date": action_item.due_date,
                    },
                ),
            )
            for action_item in meeting.action_items.prefetch_related("assignees").order_by("due_date", "pk")
        ]
        self.new_action_item = NewActionItemForm(
            actions, meeting=meeting, people=people, prefix=sections.NEW_ACTION_ROW
        )
        self.created_action_item = self._created(
            actions, sections.NEW_ACTION_ROW, {action_item.pk for action_item, _form in self.action_items}
        )
        self.next_meeting = NextMeetingForm(
            self._bound(sections.NEXT),
            prefix="next",
            choices=next_choices,
            initial={"next_meeting": meeting.next_meeting_id},
        )
        self.reason = ReasonForm(data if self.published and data is not None else None, prefix="correction")
        self.non_field_errors: list[str] = []

    def add_error(self, error) -> None:
        if getattr(error, "code", None) == "reason" and self.reason.is_bound:
            self.reason.add_error("reason", error)
        else:
            self.non_field_errors.extend(error.messages)

    def show_bases(self, bases: dict[str, str]) -> None:
        for entry in self.items:
            entry.base = bases.get(entry.section, "")

    @staticmethod
    def _created(data, row: str, allowed: set[int]) -> int | None:
        """The id a row's autosave created, as the page sent it back; only one of that part's own."""
        value = (data or {}).get(f"{row}-created", "")
        return int(value) if value.isdigit() and int(value) in allowed else None

    def _bound(self, section: str):
        if self.data is None or f"base-{section}" not in self.data:
            return None
        return self.data

    def forms(self) -> list:
        forms_ = [self.introduction, self.next_meeting, self.new_action_item]
        for entry in self.items:
            forms_ += [entry.discussion, entry.new_decision, *(form for _decision, form in entry.decisions)]
        forms_ += [form for _action_item, form in self.action_items]
        if self.published:
            forms_.append(self.reason)
        return forms_

    def is_valid(self, *, section: str | None = None) -> bool:
        """All sent parts are valid; with `section`, only that section's parts (for autosave)."""
        forms_ = self.forms() if section is None else self._section_forms(section)
        results = [form.is_valid() for form in forms_ if form.is_bound]
        return all(results)

    def _section_forms(self, section: str) -> list:
        if section == sections.INTRODUCTION:
            return [self.introduction]
        if section == sections.ACTIONS:
            return [self.new_action_item, *(form for _action_item, form in self.action_items)]
        if section == sections.NEXT:
            return [self.next_meeting]
        for entry in self.items:
            if entry.section == section:
                return [entry.discussion, entry.new_decision, *(form for _decision, form in entry.decisions)]
        return []

    @property
    def errors(self) -> bool:
        return bool(self.non_field_errors) or any(form.is_bound and form.errors for form in self.forms())

    def bases(self) -> dict[str, str]:
        return {
            key.removeprefix("base-"): value
            for key, value in (self.data or {}).items()
            if key.startswith("base-")
        }

    def change(self, *, delete_decision: int | None = None) -> "document.DocumentChange":
        """What was sent, after `is_valid`: only the sections that came with their fingerprint."""
        change = document.DocumentChange(delete_decisions={delete_decision} if delete_decision else set())
        if self.introduction.is_bound and hasattr(self.introduction, "cleaned_data"):
            change.introduction = self.introduction.cleaned_data["introduction"]
        for entry in self.items:
            if entry.discussion.is_bound and hasattr(entry.discussion, "cleaned_data"):
                new_decision = getattr(entry.new_decision, "cleaned_data", {}).get("text", "")
                decisions = {
                    decision.pk: form.cleaned_data["text"]
                    for decision, form in entry.decisions
                    if form.is_bound
                }
                if entry.created_decision is not None:
                    # The row was autosaved already: it edits that decision, emptied it removes it.
                    if new_decision.strip():
                        decisions[entry.created_decision] = new_decision
                    else:
                        change.delete_decisions.add(entry.created_decision)
                    new_decision = ""
                change.items[entry.item.pk] = document.ItemChange(
                    discussion=entry.discussion.cleaned_data["discussion"],
                    decisions=decisions,
                    new_decision=new_decision,
                )
        if self.new_action_item.is_bound and hasattr(self.new_action_item, "cleaned_data"):
            change.action_items = {
                action_item.pk: _action_change(form.cleaned_data)
                for action_item, form in self.action_items
                if form.is_bound
            }
            if self.new_action_item.has_content():
                new = _action_change(self.new_action_item.cleaned_data)
                if self.created_action_item is not None:
                    change.action_items[self.created_action_item] = new  # autosaved already
                else:
                    change.new_action_item = new
        if self.next_meeting.is_bound and hasattr(self.next_meeting, "cleaned_data"):
            change.next_meeting_sent = True
            change.next_meeting = self.next_meeting.cleaned_data["next_meeting"]
        return change

    @property
    def reason_text(self) -> str:
        return self.reason.cleaned_data.get("reason", "") if self.reason.is_bound else ""


class NewDecisionForm(DecisionForm):
    """The empty field under an item's decisions: left empty, it adds nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["text"].label = _("Neuer Beschluss")


class NewActionItemForm(ActionItemForm):
    """The empty row under the action items: left empty, it adds nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False

    def has_content(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) for name in ("title", "assignees", "other_assignees", "due_date"))

    def clean(self):
        cleaned = super().clean()
        if self.has_content() and not cleaned.get("title"):
            self.add_error("title", _("Bitte beschreiben Sie die Aufgabe."))
        return cleaned


def _if_shown(data, key: str):
    """The data for a part the page showed; a part added since is left unbound (and alone)."""
    return data if data is not None and key in data else None


def _action_change(data: dict) -> "document.ActionChange":
    return document.ActionChange(
        title=data["title"],
        agenda_item=data.get("agenda_item"),
        assignees=list(data.get("assignees") or []),
        other_assignees=data.get("other_assignees", ""),
        due_date=data.get("due_date"),
    )
