"""Views of the calendar, the date polls and the registrations: thin, every meeting through groups.access."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import access
from meetings import calendar, polls, registrations, selectors, selectors_calendar, selectors_registrations
from meetings.forms_calendar import PollCloseForm, PollOptionFormSet, poll_panel
from meetings.models import DatePoll, Meeting, Registration
from portal.viewhelpers import anonymous_to_login


def _meeting_or_404(request, pk: int) -> Meeting:
    return access.get_visible_or_404(Meeting.objects.select_related("space"), request.user, pk=pk)


def _not_modified(request, validators: selectors_calendar.Validators) -> HttpResponse | None:
    """304 when the client's copy (If-None-Match, or If-Modified-Since) is still the current one."""
    # Whole seconds, as HTTP dates have them: a header sent back must compare equal.
    last_modified = int(validators.last_modified.timestamp()) if validators.last_modified else None
    response = get_conditional_response(request, etag=validators.etag, last_modified=last_modified)
    if response is not None:
        _set_validators(response, validators)
    return response


def _set_validators(response: HttpResponse, validators: selectors_calendar.Validators) -> None:
    response["ETag"] = validators.etag
    if validators.last_modified is not None:
        response["Last-Modified"] = http_date(validators.last_modified.timestamp())
    # What a calendar shows depends on who asks: no shared cache may keep it. "no-cache"
    # rather than "no-store", so the client keeps its copy and asks with the validators.
    patch_cache_control(response, private=True, no_cache=True)


def _ics_response(body: bytes, *, filename: str, validators: selectors_calendar.Validators) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _set_validators(response, validators)
    return response


# --- Calendar ----------------------------------------------------------------


@anonymous_to_login
def meeting_ics(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if meeting.starts_at is None:
        raise Http404
    with_link = access.meetings_with_visible_link(request.user, [meeting])
    validators = selectors_calendar.meeting_validators(meeting=meeting, with_link=bool(with_link))
    if (response := _not_modified(request, validators)) is not None:
        return response
    meetings = list(selectors_calendar.calendar_meetings(Meeting.objects.filter(pk=meeting.pk)))
    body = selectors_calendar.ics_for(
        meetings,
        user=request.user,
        name=meeting.title,
        uid=selectors_calendar.meeting_calendar_uid(meeting),
        with_link=with_link,
    )
    return _ics_response(body, filename=f"sitzung-{meeting.pk}.ics", validators=validators)


def calendar_month(request):
    first = selectors_calendar.parse_month(request.GET.get("month"))
    if first is None:
        raise Http404
    month = selectors_calendar.month_view(user=request.user, first=first)
    return render(request, "meetings/calendar_month.html", {"month": month})


@login_required
def calendar_subscribe(request):
    if request.method == "POST":
        calendar.feed_token_renew(user=request.user)
        messages.success(
            request, _("Die neue Adresse gilt ab sofort; die bisherige funktioniert nicht mehr.")
        )
        return redirect("meetings:calendar_subscribe")
    token = calendar.feed_token_for(user=request.user)
    feed_url = settings.SITE_URL + reverse("meetings:calendar_feed", kwargs={"token": token.token})
    return render(request, "meetings/calendar_subscribe.html", {"feed_url": feed_url, "token": token})


def calendar_feed(request, token: str):
    """No login: the secret in the address stands for the person, and only what they may see now."""
    user = selectors_calendar.feed_owner(token)
    if user is None:
        raise Http404
    validators = selectors_calendar.feed_validators(user=user, token=token)
    if (response := _not_modified(request, validators)) is not None:
        return response
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = selectors_calendar.feed_ics(user=user, validators=validators, name=_("Fachgruppe Handwerk"))
    return _ics_response(body, filename="fachgruppe-handwerk.ics", validators=validators)


# --- Date polls -------------------------------------------------------------


@anonymous_to_login
def poll_create(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    if DatePoll.objects.filter(meeting=meeting).exists():
        return redirect("meetings:poll_detail", pk=meeting.pk)
    formset = PollOptionFormSet(request.POST or None, prefix="options")
    refused = []
    if request.method == "POST" and formset.is_valid():
        try:
            polls.poll_open(meeting=meeting, by=request.user, options=formset.periods())
        except ValidationError as error:
            refused = error.messages
        else:
            messages.success(
                request, _("Die Terminumfrage ist eröffnet; die Eingeladenen werden benachrichtigt.")
            )
            return redirect("meetings:poll_detail", pk=meeting.pk)
    return render(
        request, "meetings/poll_form.html", {"meeting": meeting, "formset": formset, "refused": refused}
    )


@anonymous_to_login
def poll_detail(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    get_object_or_404(DatePoll, meeting=meeting)
    panel = poll_panel(
        meeting=meeting,
        user=request.user,
        can_coordinate=access.can_coordinate(request.user, meeting.space),
        data=request.POST if request.method == "POST" else None,
    )
    if request.method == "POST":
        if panel.answer_form is None:
            raise Http404
        if panel.answer_form.is_valid():
            try:
                polls.poll_answer(poll=panel.poll, user=request.user, answers=panel.answer_form.answers())
            except ValidationError as error:
                panel.answer_form.add_error(None, error)
            else:
                messages.success(request, _("Vielen Dank, Ihre Antworten sind gespeichert."))
                return redirect("meetings:poll_detail", pk=meeting.pk)
    return render(request, "meetings/poll_detail.html", {"meeting": meeting, "panel": panel})


@anonymous_to_login
@require_POST
def poll_close(request, pk: int):
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    poll = get_object_or_404(DatePoll, meeting=meeting)
    form = PollCloseForm(request.POST, poll=poll)
    if not form.is_valid():
        messages.error(request, form.errors["option"][0])
        return redirect("meetings:poll_detail", pk=meeting.pk)
    try:
        polls.poll_close(poll=poll, option=form.cleaned_data["option"], by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("meetings:poll_detail", pk=meeting.pk)
    messages.success(request, _("Der Termin steht fest; die Eingeladenen werden benachrichtigt."))
    return redirect(meeting)


# --- Registrations ----------------------------------------------------------


@anonymous_to_login
@require_POST
def registration_create(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    try:
        registration = registrations.registration_register(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("Sie sind angemeldet."))
        else:
            messages.info(request, _("Alle Plätze sind vergeben; Sie stehen auf der Warteliste."))
    return redirect(meeting)


@anonymous_to_login
@require_POST
def registration_cancel(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    registration = Registration.objects.filter(
        meeting=meeting, user=request.user, status__in=selectors_registrations.ACTIVE
    ).first()
    if registration is None:
        messages.error(request, _("Sie sind für diesen Termin nicht angemeldet."))
        return redirect(meeting)
    try:
        registrations.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Ihre Anmeldung ist storniert."))
    return redirect(meeting)
