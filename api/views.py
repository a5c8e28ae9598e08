"""Pages around the API: its reference, the person's tokens (made and revoked there), and the
embeddable showcase that partners put on their own sites in an <iframe>."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from api import reference as api_reference
from api import tokens
from api.endpoints import api
from api.forms import TokenForm
from groups.models import Trade
from groups.selectors_information import InformationFilter, published_pages
from projects import catalogue

EMBED_LENGTH = 6


def index(request):
    """`/api/v1/` itself: where the machine-readable description and the reference are."""
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "reference": request.build_absolute_uri(reverse("api:reference")),
        }
    )


def reference(request):
    schema = api_reference.document()
    return render(
        request,
        "api/reference.html",
        {
            "info": schema["info"],
            "operations": api_reference.operations(schema),
            "components": api_reference.components(schema),
            "limits": {
                "address": settings.API_REQUESTS_PER_MINUTE_PER_ADDRESS,
                "token": settings.API_REQUESTS_PER_MINUTE_PER_TOKEN,
            },
        },
    )


@login_required
def token_list(request):
    """The person's tokens; a POST makes a new one and shows its secret on this answer only."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            form = TokenForm()
    # The secret is in the body only, never in an address; the page is no-store like every signed-in
    # one (portal.middleware.PrivatePagesNoStoreMiddleware). No "no-referrer" here: browsers then send
    # "Origin: null" with the page's own forms, which the CSRF check refuses.
    return render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": tokens.my_tokens(user=request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = tokens.token_revoke(user=request.user, pk=pk)
    messages.success(
        request, _("Der Zugang „%(name)s“ ist widerrufen und funktioniert nicht mehr.") % {"name": token.name}
    )
    return redirect("api_tokens:list")


# --- The embeddable showcase ------------------------------------------------------


def _embeddable(response):
    """Framing allowed for the origins of EMBED_FRAME_ANCESTORS only (none: not at all); the rest of
    the policy is the portal's. X-Frame-Options cannot name origins, so it is left off here."""
    response._csp_config = {
        **settings.SECURE_CSP,
        "frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS) or [CSP.NONE],
    }
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _trade(request) -> Trade | None:
    """The trade of ?gewerk=slug; an unknown one is a 404, so a mistyped snippet shows no wrong list."""
    slug = request.GET.get("gewerk", "")
    return get_object_or_404(Trade, slug=slug) if slug else None


def _language(request) -> str:
    """The partner's page chooses (?sprache=en); cookies of the portal do not reach a frame elsewhere."""
    wanted = request.GET.get("sprache", "")
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@xframe_options_exempt
def embed_projects(request):
    """The newest model projects of the showcase (of one trade with ?gewerk=slug), for an <iframe>.
    Always the public's view, whoever is signed in in this browser."""
    trade = _trade(request)
    with translation.override(_language(request)):
        projects = list(
            catalogue.catalogue(AnonymousUser(), catalogue.CatalogueFilter(trade=trade))[:EMBED_LENGTH]
        )
        response = render(
            request,
            "api/embed_projects.html",
            {"projects": projects, "trade": trade, "site_url": settings.SITE_URL},
        )
    return _embeddable(response)


@xframe_options_exempt
def embed_information(request):
    """The newest public information pages (of one trade with ?gewerk=slug), for an <iframe>."""
    trade = _trade(request)
    with translation.override(_language(request)):
        pages = list(published_pages(filters=InformationFilter(trade=trade))[:EMBED_LENGTH])
        response = render(
            request,
            "api/embed_information.html",
            {"pages": pages, "trade": trade, "site_url": settings.SITE_URL},
        )
    return _embeddable(response)
