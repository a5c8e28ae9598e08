"""The notification centre, preferences and the one-click unsubscribe (RFC 8058)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseStopPolling

from groups import access
from portal import pagination
from portal.notifications import selectors, services, subjects
from portal.notifications.forms import PreferencesForm
from portal.secret_links import mask_email, secret_link_page


@login_required
def notification_list(request):
    def read() -> tuple[pagination.Page, list[selectors.Entry]]:
        page = pagination.paginate(request, selectors.notifications_of(user=request.user), parameter="page")
        return page, selectors.centre_entries(page.object_list)

    if set(request.GET) <= {"page"} and request.GET.get("page", "1") == "1":
        page, entries = selectors.first_page_of_centre(user=request.user, build=read)
    else:
        page, entries = read()
    return render(request, "notifications/list.html", {"page": page, "entries": entries})


def unread_badge(request):
    """The unread count in the header; htmx fetches it now and then."""
    if not request.user.is_authenticated:
        if request.htmx:
            # Signed out meanwhile: stop polling rather than swap the login page into the header.
            return HttpResponseStopPolling()
        return redirect_to_login(request.get_full_path())
    return render(
        request, "notifications/_badge.html", {"unread_count": selectors.unread_count(user=request.user)}
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = selectors.notifications_of(user=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    # An entry of several notifications (one thread, one meeting) is read as a whole; only the
    # person's own notifications they may still see are marked.
    also = {int(value) for value in request.POST.getlist("also") if value.isdigit()} - {pk}
    if also:
        also = set(
            selectors.notifications_of(user=request.user).filter(pk__in=also).values_list("pk", flat=True)
        )
    services.notification_mark_read(user=request.user, pks={pk, *also})
    target = notification.event.data.get("url")
    if request.POST.get("open") and target:
        return redirect(target)
    if request.htmx:
        # Just the item, and the header's count out of band; without JavaScript the whole list.
        marked = selectors.notifications_of(user=request.user).filter(pk__in={pk, *also})
        [entry] = selectors.centre_entries(marked)[:1]
        return render(
            request,
            "notifications/list.html#marked_read",
            {"entry": entry, "unread_count": selectors.unread_count(user=request.user)},
        )
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.notification_mark_read(user=request.user)
    messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihre Einstellungen wurden gespeichert."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt
@secret_link_page
def unsubscribe(request, token: str):
    """GET asks for confirmation; POST (also the mail client's one-click POST, without
    cookies or login) unsubscribes and answers 200 without a redirect.

    A token works once and for a year (UnsubscribeToken): a used one answers 200 and changes
    nothing (a repeated POST, an old mail), an expired one 410, an unknown one 404, each with a
    page that says so and where the settings are.
    """
    found = selectors.unsubscribe_token(token=token)
    if found is None:
        return _unsubscribe_link_invalid(request, reason="unknown", status=404)
    if found.is_expired:
        return _unsubscribe_link_invalid(request, reason="expired", status=410)
    if found.used_at is not None:
        return _unsubscribe_link_invalid(request, reason="used", status=200)
    if request.method == "POST":
        if not services.unsubscribe(token=found):
            return _unsubscribe_link_invalid(request, reason="used", status=200)
        return render(request, "notifications/unsubscribed.html", {"token": found})
    return render(
        request,
        "notifications/unsubscribe_confirm.html",
        {"token": found, "address": mask_email(found.user.email)},
    )


def _unsubscribe_link_invalid(request, *, reason: str, status: int):
    return render(request, "notifications/unsubscribe_link_invalid.html", {"reason": reason}, status=status)


def _followable(what: str):
    model = subjects.followable(what)
    if model is None:
        raise Http404
    return model


@login_required
@require_POST
def follow(request, what: str, pk: int):
    """Follow (the default) or stop following a thread or meeting the person may see; 404 otherwise."""
    subject = access.get_visible_or_404(_followable(what)._default_manager.all(), request.user, pk=pk)
    following = request.POST.get("follow") == "1"
    services.subject_follow(user=request.user, subject=subject, follow=following)
    if following:
        messages.success(request, _("Sie erhalten wieder Benachrichtigungen dazu."))
    else:
        messages.success(
            request,
            _(
                "Sie erhalten dazu keine Benachrichtigungen mehr, "
                "außer wenn Sie erwähnt oder eingeladen werden."
            ),
        )
    return redirect(subject.get_absolute_url())
