"""Views of information for craft businesses: the public list and pages, drafting and publishing,
and the public subscription (double opt-in, one-click unsubscribe).

The list, pages and subscription need no account. Drafts exist only for the
members of their home space: for everyone else they answer 404 like a page
that does not exist.
"""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from groups import (
    access,
    information,
    selectors_information,
    selectors_subscriptions,
    subscriptions,
    widening,
)
from groups.forms_questions import InformationFilterForm, InformationPageForm, SubscriptionForm
from groups.models import Subscriber
from groups.spaces import fachgruppe
from portal import pagination
from portal.pagination import query_without_page
from portal.secret_links import mask_email, secret_link_page
from portal.viewhelpers import form_error, widen_confirmation

PAGE_SIZE = 10


def filters_from(params) -> tuple[InformationFilterForm, selectors_information.InformationFilter]:
    """The list's and the feeds' filters from GET parameters; unknown values are reported, not applied."""
    form = InformationFilterForm(params or None)
    if form.is_bound and form.is_valid():
        return form, selectors_information.InformationFilter(
            trade=form.cleaned_data["gewerk"], topic=form.cleaned_data["thema"]
        )
    return form, selectors_information.InformationFilter()


def information_list(request):
    filter_form, filters = filters_from(request.GET)
    page = pagination.paginate(
        request, selectors_information.published_pages(filters=filters), page_size=PAGE_SIZE
    )
    return render(
        request,
        "groups/information/information_list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "filter_query": query_without_page(request),
            "drafts": selectors_information.draft_list(user=request.user),
            "can_draft": access.can_see_space_content(request.user, fachgruppe()),
            "subscription_form": SubscriptionForm(),
        },
    )


def information_detail(request, slug: str):
    page = selectors_information.information_detail(user=request.user, slug=slug)
    return render(
        request,
        "groups/information/information_detail.html",
        {
            "page": page,
            "can_edit": selectors_information.can_edit(request.user, page),
            "can_publish": page.published_at is None and access.can_coordinate(request.user, page.space),
        },
    )


@login_required
def information_create(request):
    space = fachgruppe()
    if not access.can_see_space_content(request.user, space):
        raise Http404
    form = InformationPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = information.information_draft_create(space=space, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Der Entwurf ist gespeichert. Sichtbar ist er nur für %(space)s.") % {"space": space},
            )
            return redirect(page)
    return render(request, "groups/information/information_form.html", {"form": form, "page": None})


@login_required
def information_edit(request, slug: str):
    page = selectors_information.information_detail(user=request.user, slug=slug)
    if not selectors_information.can_edit(request.user, page):
        raise Http404
    form = InformationPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            information.information_update(page=page, by=request.user, **data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(page)
    return render(request, "groups/information/information_form.html", {"form": form, "page": page})


@login_required
def information_publish(request, slug: str):
    """Publishing (also of an answer drafted from a question) widens to the public: confirmed first."""
    page = selectors_information.information_detail(user=request.user, slug=slug)
    if not access.can_coordinate(request.user, page.space):
        raise Http404
    refusal = selectors_information.publish_refusal(page)
    if refusal:
        messages.error(request, refusal)
        return redirect(page)
    return widen_confirmation(
        request,
        item=page,
        preview=widening.preview(
            item=page, ring=None, title=page.title, text=page.summary, confirm_url=request.path
        ),
        widen=lambda: information.information_publish(page=page, by=request.user),
        done=_("Die Information ist veröffentlicht."),
    )


# --- Subscription --------------------------------------------------------


def subscribe(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each request mails the address it names: limited per client and per address
        # (ACCOUNT_RATE_LIMITS["information_subscribe"]), answered with the portal's 429 page.
        limited = ratelimit.consume_or_429(
            request, action="information_subscribe", key=form.cleaned_data["email"].strip().lower()
        )
        if limited is not None:
            return limited
        subscriptions.subscription_request(
            email=form.cleaned_data["email"],
            language=translation.get_language() or "de",
            trades=form.cleaned_data["trades"],
            topics=form.cleaned_data["topics"],
        )
        # The same words whether or not the address was already subscribed or mailed a moment ago.
        messages.success(
            request,
            _(
                "Vielen Dank. Bitte sehen Sie in Ihr Postfach: Erst wenn Sie den Link in unserer E-Mail "
                "bestätigen, erhalten Sie neue Informationen."
            ),
        )
        return redirect("information:list")
    return render(request, "groups/information/subscribe.html", {"form": form})


@secret_link_page
def subscription_confirm(request, token: str):
    """GET shows a button, POST confirms: a mail scanner following the link confirms nothing."""
    if request.method == "POST":
        subscriber = subscriptions.subscription_confirm(token=token)
        if subscriber is not None:
            return render(
                request,
                "groups/information/subscription_confirmed.html",
                {"address": mask_email(subscriber.email)},
            )
    elif selectors_subscriptions.open_confirmation(token) is not None:
        return render(request, "groups/information/subscription_confirm.html")
    return render(request, "groups/information/subscription_link_invalid.html", status=404)


@csrf_exempt
@secret_link_page
def unsubscribe(request, token: str):
    """GET asks for confirmation; POST (also the mail client's one-click POST, without cookies)
    unsubscribes and answers 200 without a redirect. Repeating changes nothing."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        subscriptions.subscription_cancel(subscriber=subscriber)
        return render(request, "groups/information/unsubscribed.html")
    return render(
        request, "groups/information/unsubscribe_confirm.html", {"address": mask_email(subscriber.email)}
    )
