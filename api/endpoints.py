"""The read-only JSON API (django-ninja): the public showcase, information and meetings for everyone,
and with a personal token (or the signed-in session) what that person may see.

Every read goes through the rule book (groups.access) and the selectors built on it, exactly as
the pages do: hidden is 404, like missing. Rate limits, ETag/Last-Modified and 304 are added
around every endpoint by api.http; api.urls mounts them.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from api import schemas, serialise, tokens
from api.cursor import DEFAULT_LIMIT, MAX_LIMIT, CursorError, Key, keyset_page, position_page
from groups import access
from groups.models import Document, DocumentVersion, Post, Space, Thread, Topic, Trade
from groups.selectors_information import InformationFilter, information_detail, published_pages
from meetings import selectors as meeting_selectors
from meetings import selectors_minutes
from meetings.models import ActionItem, Meeting
from portal import fulltext
from projects import catalogue
from projects.forms_catalogue import catalogue_filters
from projects.models import Project, ProjectImage

DESCRIPTION = """
Read-only access to the portal of the Fachgruppe Handwerk.

* Without a token: the public showcase of model projects, the public information pages and the
  public meetings.
* With a personal token (`Authorization: Bearer fhp_...`, made on the account page
  "API-Zugänge"): everything the token's owner may see in the portal — their spaces, meetings with
  agenda and published minutes, threads, documents' metadata and their action items. A token only
  reads; it cannot change anything and opens no page of the portal.

Lists are paged by cursor: pass the `next` value of a page as `cursor` to get the following page;
`next` is null on the last page. Every answer has an `ETag` (and, where the rows carry a change
time, `Last-Modified`); send `If-None-Match` to get `304 Not Modified` when nothing changed.
Requests are limited per client address and per token (`429` with `Retry-After`).
What the reader may not see does not exist: `404`, as for an address that does not exist.
"""


class Reader(HttpBearer):
    """Who reads: the owner of a presented token, else the signed-in session, else (for the public
    endpoints) the public. A token that is presented and not valid is refused, never read as public."""

    def __init__(self, *, personal: bool):
        super().__init__()
        self.personal = personal

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header:
            scheme, _space, secret = header.partition(" ")
            if scheme.lower() != self.openapi_scheme:
                return None
            return tokens.user_for_secret(secret.strip())
        if request.user.is_authenticated and request.user.is_active:
            return request.user
        return None if self.personal else AnonymousUser()

    def authenticate(self, request: HttpRequest, token: str):
        # Required by HttpBearer; __call__ above decides, and reaches the same lookup.
        return tokens.user_for_secret(token)


PUBLIC = Reader(personal=False)
PERSONAL = Reader(personal=True)

api = NinjaAPI(
    title="Fachgruppe Handwerk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
    auth=PUBLIC,
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return api.create_response(
        request,
        {"detail": _("Bitte senden Sie einen gültigen persönlichen Zugang (Authorization: Bearer …).")},
        status=401,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Nicht gefunden.")}, status=404)


@api.exception_handler(CursorError)
def _bad_cursor(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(
        request, {"detail": _("Ungültige Angabe: %(fields)s") % {"fields": _fields(exc)}}, status=400
    )


def _fields(exc: ValidationError) -> str:
    return ", ".join(sorted({str(error.get("loc", ["?"])[-1]) for error in exc.errors}))


def _reader(request):
    return request.auth


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _last_modified(response: HttpResponse, moments) -> None:
    moments = [moment for moment in moments if moment is not None]
    if moments:
        response["Last-Modified"] = http_date(max(moments).timestamp())


class RefusedError(ValueError):
    """A parameter names nothing the portal has (a trade that does not exist): 400 with the reason."""


@api.exception_handler(RefusedError)
def _refused(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


# --- Public: the showcase, information, meetings ---------------------------------------


@api.get(
    "/projects",
    response=schemas.ProjectPage,
    url_name="projects",
    summary=gettext_noop("Modellprojekte des Schaufensters"),
    description=gettext_noop(
        "Die aufgenommenen Modellprojekte, die zuletzt aufgenommenen zuerst; mit `q` die besten "
        "Treffer zuerst (höchstens 1.001). Die Filter sind die der Seite `/projects/`: die Kürzel "
        "eines Gewerks (`gewerk`), Themas (`thema`) und Förderprogramms (`foerderprogramm`), ein "
        "Regionskürzel und eine Art der Organisation."
    ),
    tags=["showcase"],
)
def project_list(
    request,
    response: HttpResponse,
    q: str = "",
    gewerk: str = "",
    thema: str = "",
    region: str = "",
    foerderprogramm: str = "",
    organisationsart: str = "",
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
):
    """Accepted model projects, newest first; with `q` the best hits first (at most 1,001).

    The filters are those of the catalogue page (`/projects/`): slugs of a trade (`gewerk`), topic
    (`thema`) and funding programme (`foerderprogramm`), a region code and an organisation kind.
    """
    params = QueryDict(mutable=True)
    for name, value in {
        "q": q,
        "gewerk": gewerk,
        "thema": thema,
        "region": region,
        "foerderprogramm": foerderprogramm,
        "organisationsart": organisationsart,
    }.items():
        if value:
            params[name] = value
    form, filters = catalogue_filters(params)
    if form.is_bound and form.errors:
        raise RefusedError(_("Unbekannter Wert für: %(fields)s") % {"fields": ", ".join(sorted(form.errors))})
    rows = catalogue.catalogue(_reader(request), filters)
    if isinstance(rows, fulltext.RankedHits):
        page = position_page(rows, cursor=cursor, limit=_limit(limit))
    else:
        page = keyset_page(
            rows.filter(accepted_at__isnull=False),
            keys=(Key("accepted_at"), Key("pk")),
            cursor=cursor,
            limit=_limit(limit),
        )
    _last_modified(response, [row.updated_at for row in page.items])
    return {"items": [serialise.project(row) for row in page.items], "next": page.next_cursor}


@api.get(
    "/projects/{slug}",
    response=schemas.ProjectDetail,
    url_name="project",
    summary=gettext_noop("Ein Modellprojekt"),
    description=gettext_noop("Ein aufgenommenes Modellprojekt des Schaufensters."),
    tags=["showcase"],
)
def project_detail(request, response: HttpResponse, slug: str):
    """One accepted model project of the showcase."""
    projects = Project.objects.filter(status=Project.Status.ACCEPTED).select_related(
        "organisation", "funding_programme"
    )
    projects = projects.prefetch_related(
        "trades",
        "topics",
        Prefetch("images", queryset=ProjectImage.objects.order_by("position", "pk"), to_attr="pictures"),
    )
    row = access.get_visible_or_404(projects, _reader(request), slug=slug)
    _last_modified(response, [row.updated_at])
    return serialise.project(row, detail=True)


@api.get(
    "/information",
    response=schemas.InformationPage,
    url_name="information",
    summary=gettext_noop("Informationen"),
    description=gettext_noop("Die veröffentlichten Informationsseiten, die neuesten zuerst."),
    tags=["information"],
)
def information_list(
    request,
    response: HttpResponse,
    gewerk: str = "",
    thema: str = "",
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
):
    """Published information pages for craft businesses, newest first; narrowed by trade or topic slug."""
    filters = InformationFilter(
        trade=_term(Trade, gewerk, "gewerk"),
        topic=_term(Topic, thema, "thema"),
    )
    page = keyset_page(
        published_pages(filters=filters),
        keys=(Key("published_at"), Key("pk")),
        cursor=cursor,
        limit=_limit(limit),
    )
    _last_modified(response, [row.updated_at for row in page.items])
    return {"items": [serialise.information(row) for row in page.items], "next": page.next_cursor}


def _term(model, slug: str, parameter: str):
    if not slug:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise RefusedError(_("Unbekannter Wert für: %(fields)s") % {"fields": parameter})
    return found


@api.get(
    "/information/{slug}",
    response=schemas.InformationDetail,
    url_name="information_page",
    summary=gettext_noop("Eine Informationsseite"),
    description=gettext_noop(
        "Eine veröffentlichte Informationsseite (Entwürfe gibt es nur im Portal, nie in der Schnittstelle)."
    ),
    tags=["information"],
)
def information_page(request, response: HttpResponse, slug: str):
    """One published information page (drafts are the portal's, never the API's)."""
    row = information_detail(user=AnonymousUser(), slug=slug)
    if row.published_at is None:
        raise Http404
    _last_modified(response, [row.updated_at])
    return serialise.information(row, detail=True)


@api.get(
    "/meetings",
    response=schemas.MeetingPage,
    url_name="meetings",
    summary=gettext_noop("Sitzungen"),
    description=gettext_noop(
        "Die Sitzungen, die der Lesende sehen darf (ohne Zugang die öffentlichen), die neuesten "
        "zuerst; geplante Sitzungen ohne Termin nach dem Zeitpunkt ihrer Planung."
    ),
    tags=["meetings"],
)
def meeting_list(request, response: HttpResponse, cursor: str | None = None, limit: int = DEFAULT_LIMIT):
    """The meetings the reader may see (the public ones without a token), latest first; tentative
    meetings without a date by the time they were planned."""
    meetings = (
        access.visible_items(Meeting.objects.all(), _reader(request))
        .select_related("space", "audience")
        .annotate(moment=Coalesce("starts_at", "created_at"))
    )
    page = keyset_page(meetings, keys=(Key("moment"), Key("pk")), cursor=cursor, limit=_limit(limit))
    _last_modified(response, [row.updated_at for row in page.items])
    return {"items": [serialise.meeting(row) for row in page.items], "next": page.next_cursor}


@api.get(
    "/meetings/{int:pk}",
    response=schemas.MeetingDetail,
    url_name="meeting",
    summary=gettext_noop("Eine Sitzung"),
    description=gettext_noop(
        "Eine Sitzung mit ihrer Tagesordnung und, sobald veröffentlicht, ihrem Protokoll; nie ein "
        "Entwurf, der Videolink oder die Teilnehmenden."
    ),
    tags=["meetings"],
)
def meeting_detail(request, response: HttpResponse, pk: int):
    """One meeting with its agenda and, once published, its minutes: the discussion of each item,
    the decisions and the action items. Drafts of minutes are never in the API."""
    user = _reader(request)
    page = meeting_selectors.meeting_detail(user=user, pk=pk)
    record = selectors_minutes.minutes_record(user=user, meeting=page.meeting, drafts=False)
    _last_modified(response, [page.meeting.updated_at, record.minutes.updated_at if record else None])
    return serialise.meeting_detail(page, record)


# --- Personal: with a token ----------------------------------------------------------


@api.get(
    "/spaces",
    response=schemas.SpacePage,
    url_name="spaces",
    summary=gettext_noop("Meine Räume"),
    description=gettext_noop("Die Räume, in deren Kreis der Lesende ist."),
    auth=PERSONAL,
    tags=["personal"],
)
def space_list(request, cursor: str | None = None, limit: int = DEFAULT_LIMIT):
    """The spaces whose ring the reader is inside, with their role there."""
    user = _reader(request)
    coordinated, member = access.coordinated_space_ids(user), access.member_space_ids(user)
    page = keyset_page(
        access.visible_spaces(user).select_related("parent"),
        keys=(Key("pk", descending=False),),
        cursor=cursor,
        limit=_limit(limit),
    )
    items = []
    for space in page.items:
        role = "coordinator" if space.pk in coordinated and space.pk in member else None
        role = role or ("member" if space.pk in member else None)
        items.append(serialise.space(space, role=role))
    return {"items": items, "next": page.next_cursor}


@api.get(
    "/threads",
    response=schemas.ThreadPage,
    url_name="threads",
    summary=gettext_noop("Diskussionen"),
    description=gettext_noop(
        "Die Diskussionen, die der Lesende sehen darf, die mit der letzten Aktivität zuerst; `space` "
        "beschränkt auf einen Raum."
    ),
    auth=PERSONAL,
    tags=["personal"],
)
def thread_list(
    request, response: HttpResponse, space: str = "", cursor: str | None = None, limit: int = DEFAULT_LIMIT
):
    """Discussion threads the reader may see, latest activity first; `space` narrows to one space."""
    threads = access.visible_items(Thread.objects.all(), _reader(request)).select_related(
        "space", "audience", "author"
    )
    threads = _in_space(threads, _reader(request), space)
    page = keyset_page(threads, keys=(Key("last_activity_at"), Key("pk")), cursor=cursor, limit=_limit(limit))
    _last_modified(response, [row.last_activity_at for row in page.items])
    return {"items": [serialise.thread(row) for row in page.items], "next": page.next_cursor}


def _in_space(queryset, user, slug: str):
    """Items at home in the space `slug`, which the reader must be inside (else 404)."""
    if not slug:
        return queryset
    found = Space.objects.filter(slug=slug).first()
    if found is None or not access.can_see_space_content(user, found):
        raise Http404
    return queryset.filter(space=found)


@api.get(
    "/threads/{int:pk}",
    response=schemas.ThreadDetail,
    url_name="thread",
    summary=gettext_noop("Eine Diskussion"),
    description=gettext_noop("Eine Diskussion mit ihren Beiträgen, die ältesten zuerst."),
    auth=PERSONAL,
    tags=["personal"],
)
def thread_detail(request, response: HttpResponse, pk: int):
    """One thread with its posts (oldest first)."""
    thread = access.get_visible_or_404(
        Thread.objects.select_related("space", "audience", "author"), _reader(request), pk=pk
    )
    posts = list(Post.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk"))
    _last_modified(response, [thread.last_activity_at, *(post.edited_at for post in posts)])
    return {**serialise.thread(thread), "posts": [serialise.post(post) for post in posts]}


@api.get(
    "/documents",
    response=schemas.DocumentPage,
    url_name="documents",
    summary=gettext_noop("Dokumente"),
    description=gettext_noop(
        "Die Dokumente, die der Lesende sehen darf, mit ihren Angaben und Fassungen (die Dateien "
        "selbst lädt man angemeldet im Portal), die zuletzt geänderten zuerst."
    ),
    auth=PERSONAL,
    tags=["personal"],
)
def document_list(
    request, response: HttpResponse, space: str = "", cursor: str | None = None, limit: int = DEFAULT_LIMIT
):
    """Shared documents the reader may see, their metadata and versions (the files themselves are
    downloaded from the portal, signed in), latest change first."""
    documents = (
        access.visible_items(Document.objects.all(), _reader(request))
        .select_related("space", "audience")
        .prefetch_related(Prefetch("versions", queryset=DocumentVersion.objects.order_by("number")))
    )
    documents = _in_space(documents, _reader(request), space)
    page = keyset_page(documents, keys=(Key("updated_at"), Key("pk")), cursor=cursor, limit=_limit(limit))
    _last_modified(response, [row.updated_at for row in page.items])
    return {"items": [serialise.document(row) for row in page.items], "next": page.next_cursor}


@api.get(
    "/action-items",
    response=schemas.ActionItemPage,
    url_name="action_items",
    summary=gettext_noop("Meine Aufgaben"),
    description=gettext_noop(
        "Die Aufgaben des Lesenden aus veröffentlichten Protokollen von Sitzungen, die er noch sehen darf."
    ),
    auth=PERSONAL,
    tags=["personal"],
)
def action_item_list(
    request,
    status: ActionItem.Status | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
):
    """The reader's own action items from published minutes of meetings they may still see."""
    items = selectors_minutes.my_action_items(_reader(request))
    if status is not None:
        items = items.filter(status=status)
    page = keyset_page(items, keys=(Key("pk"),), cursor=cursor, limit=_limit(limit))
    return {"items": [serialise.action_item(row) for row in page.items], "next": page.next_cursor}
