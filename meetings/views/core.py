"""Views of the meetings core: thin, every meeting resolved through groups.access.

Hidden meetings answer 404 to signed-in people and send anonymous visitors to
the login page; coordinator pages answer 404 to everyone else.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import access
from groups.models import Space
from meetings import rsvp, selectors, selectors_minutes, selectors_registrations, services
from meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    InviteAccountForm,
    InviteGroupForm,
    InviteGuestForm,
    MeetingCreateForm,
    MeetingForm,
    RespondForm,
)
from meetings.forms_calendar import panel_of_poll
from meetings.models import Meeting, Participant
from portal import dates, pagination, readcache
from portal.notifications.selectors import following_state, read_personal_ahead
from portal.viewhelpers import anonymous_to_login, form_error


def _meeting_or_404(request, pk: int) -> Meeting:
    return access.get_visible_or_404(Meeting.objects.select_related("space", "audience"), request.user, pk=pk)


def meeting_list(request):
    number = pagination.page_number(request)
    query = pagination.query_without_page(request)
    # The list reads alike for everyone of the reader's standing (portal/readcache.py); the
    # address says everything else it depends on.
    body = readcache.shared_read(
        "meeting_list",
        get_language(),
        number,
        readcache.digest(query),
        user=request.user,
        build=lambda: _meeting_list_body(request, number=number, query=query),
    )
    context = {"body": mark_safe(body), "can_plan": bool(access.coordinated_space_ids(request.user))}  # noqa: S308
    return render(request, "meetings/list.html", context)


def _meeting_list_body(request, *, number: int, query: str) -> str:
    space = None
    if slug := request.GET.get("space"):
        space = access.visible_spaces(request.user).filter(slug=slug).first()
    listing = selectors.meeting_list(user=request.user, space=space, number=number)
    listing.page.query = query
    return render_to_string("meetings/_list_body.html", {"listing": listing, "page": listing.page}, request)


@anonymous_to_login
def meeting_create(request):
    if not request.user.is_authenticated:
        raise Http404
    spaces = selectors.coordinated_spaces(user=request.user)
    if not spaces.exists():
        raise Http404
    form = MeetingCreateForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                by=request.user,
                space=form.cleaned_data["space"],
                audience=form.cleaned_data["audience"],
                fields=form.meeting_fields(),
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Die Sitzung ist angelegt."))
            return redirect(meeting)
    return render(request, "meetings/forms/meeting_form.html", {"form": form})


def _detail_page(request, pk: int, *, respond_form: RespondForm | None = None):
    """The meeting page; a small form of it that failed comes back bound, with what was typed and why."""
    read_personal_ahead(request.user, follow_button=True)
    page = selectors.meeting_detail(user=request.user, pk=pk)
    meeting, user, can_coordinate = page.meeting, request.user, page.can_coordinate
    context = {
        "page": page,
        "meeting": meeting,
        "can_coordinate": can_coordinate,
        "following": following_state(user, meeting),
        # Read only when their section is shown; the minutes only when their shared fragment is
        # not kept already (portal/templatetags/shared_fragments.py).
        "poll": SimpleLazyObject(
            lambda: panel_of_poll(poll=page.poll, meeting=meeting, user=user, can_coordinate=can_coordinate)
        ),
        "registration": SimpleLazyObject(
            lambda: selectors_registrations.registration_panel(meeting=meeting, user=user)
        ),
        "record": SimpleLazyObject(lambda: selectors_minutes.minutes_record(user=user, meeting=meeting)),
    }
    # The answer form is shown only while the meeting lies ahead.
    if page.my_participation is not None and meeting.status in (
        Meeting.Status.PLANNED,
        Meeting.Status.TENTATIVE,
    ):
        context["respond_form"] = respond_form or RespondForm(
            initial={"response": page.my_participation.response, "note": page.my_participation.note}
        )
    return render(request, "meetings/detail.html", context)


@anonymous_to_login
def meeting_detail(request, pk: int):
    return _detail_page(request, pk)


@anonymous_to_login
def meeting_edit(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, fields=form.meeting_fields())
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Die Änderungen sind gespeichert."))
            return redirect(meeting)
    return render(request, "meetings/forms/meeting_form.html", {"form": form, "meeting": meeting})


@anonymous_to_login
def meeting_cancel(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, by=request.user)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Die Sitzung ist abgesagt."))
            return redirect(meeting)
    return render(request, "meetings/forms/meeting_cancel.html", {"form": form, "meeting": meeting})


def _post_action(request, meeting: Meeting, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success)
    return redirect(meeting)


@anonymous_to_login
@require_POST
def meeting_mark_held(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    return _post_action(
        request,
        meeting,
        lambda: services.meeting_mark_held(meeting=meeting, by=request.user),
        _("Die Sitzung ist als stattgefunden markiert."),
    )


# --- Agenda --------------------------------------------------------------


def _agenda_item_form(request, meeting: Meeting, item=None) -> AgendaItemForm:
    return AgendaItemForm(
        request.POST or None,
        instance=item,
        presenters=selectors.meeting_people(meeting=meeting, keep=item.presenter_id if item else None),
        questions=selectors.linkable_questions(
            user=request.user, meeting=meeting, keep=item.question_id if item else None
        ),
        projects=selectors.linkable_projects(user=request.user, keep=item.project_id if item else None),
    )


@anonymous_to_login
def agenda_item_add(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    form = _agenda_item_form(request, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, by=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Der Tagesordnungspunkt ist hinzugefügt."))
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    return render(request, "meetings/forms/agenda_item_form.html", {"form": form, "meeting": meeting})


@anonymous_to_login
def agenda_item_edit(request, pk: int, item_id: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    item = selectors.agenda_item_of(meeting=meeting, pk=item_id)
    form = _agenda_item_form(request, meeting, item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(item=item, by=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Der Tagesordnungspunkt ist gespeichert."))
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    return render(
        request, "meetings/forms/agenda_item_form.html", {"form": form, "meeting": meeting, "item": item}
    )


@anonymous_to_login
@require_POST
def agenda_item_delete(request, pk: int, item_id: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    item = selectors.agenda_item_of(meeting=meeting, pk=item_id)
    return _post_action(
        request,
        meeting,
        lambda: services.agenda_item_delete(item=item, by=request.user),
        _("Der Tagesordnungspunkt ist entfernt."),
    )


@anonymous_to_login
@require_POST
def agenda_item_move(request, pk: int, item_id: int, direction: str):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    if direction not in {"up", "down"}:
        raise Http404
    item = selectors.agenda_item_of(meeting=meeting, pk=item_id)
    return _post_action(
        request,
        meeting,
        lambda: services.agenda_item_move(item=item, by=request.user, up=direction == "up"),
        _("Die Reihenfolge ist geändert."),
    )


@anonymous_to_login
@require_POST
def agenda_publish(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    return _post_action(
        request,
        meeting,
        lambda: services.agenda_publish(meeting=meeting, by=request.user),
        _("Die Tagesordnung ist veröffentlicht; die Eingeladenen werden benachrichtigt."),
    )


# --- Participants --------------------------------------------------------


def _invite(request, meeting: Meeting, forms) -> bool:
    group_form, account_form, guest_form = forms
    bound = next((form for form in forms if form.is_bound), None)
    if bound is None or not bound.is_valid():
        return False
    try:
        if bound is group_form:
            invited = services.participants_invite(
                meeting=meeting, by=request.user, **group_form.cleaned_data
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d Person ist neu eingeladen.",
                    "%(count)d Personen sind neu eingeladen.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
            return True
        if bound is account_form:
            services.participant_invite_account(meeting=meeting, by=request.user, user=account_form.user)
        else:
            services.participant_invite_guest(meeting=meeting, by=request.user, **guest_form.cleaned_data)
    except ValidationError as error:
        form_error(bound, error)
        return False
    messages.success(request, _("Die Einladung ist eingetragen."))
    return True


@anonymous_to_login
def participant_invite(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    data = request.POST if request.method == "POST" else None
    people = selectors.invitable_people(meeting=meeting)
    invited = selectors.invited_people(meeting=meeting)
    group_form = InviteGroupForm(
        data if data and "invite_group" in data else None,
        prefix="group",
        rings=Space.objects.filter(pk__in=[ring.pk for ring in selectors.invitable_rings(meeting=meeting)]),
        organisations=selectors.invitable_organisations(meeting=meeting),
        people=people,
        invited=frozenset(person.pk for person in invited),
    )
    account_form = InviteAccountForm(data if data and "invite_account" in data else None)
    guest_form = InviteGuestForm(data if data and "invite_guest" in data else None, prefix="guest")
    if _invite(request, meeting, (group_form, account_form, guest_form)):
        return redirect(f"{meeting.get_absolute_url()}#participants")
    return render(
        request,
        "meetings/forms/participant_invite.html",
        {
            "meeting": meeting,
            "invited": invited,
            "group_form": group_form,
            "account_form": account_form,
            "guest_form": guest_form,
        },
    )


@anonymous_to_login
@require_POST
def participant_respond(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    participant = get_object_or_404(Participant, meeting=meeting, user_id=request.user.pk)
    # The one-click answer on "Mein Überblick" sends the person back there.
    back = redirect("overview") if request.POST.get("next") == "overview" else redirect(meeting)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.participant_respond(participant=participant, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Danke, Ihre Rückmeldung ist gespeichert."))
            return back
    return _detail_page(request, pk, respond_form=form)


@anonymous_to_login
def attendance(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    participants = list(Participant.objects.filter(meeting=meeting).select_related("user"))
    form = AttendanceForm(
        request.POST or None,
        participants=participants,
        initial={"present": [str(p.pk) for p in participants if p.attended]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            present = services.attendance_record(
                meeting=meeting, by=request.user, present_ids=form.present_ids()
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Anwesenheit gespeichert: %(count)d anwesend.") % {"count": present})
            return redirect(f"{meeting.get_absolute_url()}#participants")
    return render(request, "meetings/forms/attendance.html", {"form": form, "meeting": meeting})


# --- Answering from the invitation mail ----------------------------------


def answer_from_mail(request, token: str):
    """The page the mail's links open: the chosen answer preselected, saved only by the POST.

    Works without an account and without JavaScript; a token that is invalid,
    for another purpose or expired answers a 404 page that says so.
    """
    participant = rsvp.participant_for(token)
    if participant is None:
        return render(request, "meetings/answer_invalid.html", status=404)
    meeting = participant.meeting
    if request.method == "POST":
        form = RespondForm(request.POST)
        if form.is_valid():
            try:
                services.participant_answer_from_mail(token=token, **form.cleaned_data)
            except ValidationError as error:
                form_error(form, error)
            else:
                participant.refresh_from_db(fields=["response", "note"])
                return render(
                    request, "meetings/answer_saved.html", {"meeting": meeting, "participant": participant}
                )
    else:
        chosen = request.GET.get("antwort")
        form = RespondForm(
            initial={
                "response": chosen if chosen in rsvp.ANSWERS else participant.response,
                "note": participant.note,
            }
        )
    return render(
        request,
        "meetings/answer_form.html",
        {
            "meeting": meeting,
            "participant": participant,
            "form": form,
            "when": dates.period(meeting.starts_at, meeting.ends_at) if meeting.starts_at else "",
        },
    )
