"""Reads of the information pages: the public list, feed and start page, the drafts of a person's rings, one
page, who may edit it and why it cannot be published yet; everything through groups.access."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from groups import access
from groups.models import InformationPage, Topic, Trade
from portal import readcache


def _published() -> QuerySet[InformationPage]:
    """What the public sees: the public ring's pages, through the same door as everything else."""
    return access.visible_items(InformationPage.objects.all(), AnonymousUser()).filter(
        published_at__isnull=False
    )


@dataclass
class InformationFilter:
    trade: Trade | None = None
    topic: Topic | None = None


def published_pages(*, filters: InformationFilter | None = None) -> QuerySet[InformationPage]:
    """Published pages, newest first, with their vocabularies for list, feed and start page."""
    pages = _published().prefetch_related("trades", "topics").order_by("-published_at", "-pk")
    if filters is not None and filters.trade is not None:
        pages = pages.filter(trades=filters.trade)
    if filters is not None and filters.topic is not None:
        pages = pages.filter(topics=filters.topic)
    return pages


def latest_published(*, limit: int = 3) -> list[InformationPage]:
    """The newest public pages (a shared read: the start page shows them to everyone)."""
    return readcache.shared_read(
        "latest_information", limit, build=lambda: list(_published().order_by("-published_at", "-pk")[:limit])
    )


def draft_list(*, user) -> QuerySet[InformationPage]:
    """Drafts the person may see (those of their rings); empty for the public."""
    if not user.is_authenticated:
        return InformationPage.objects.none()
    return (
        access.visible_items(InformationPage.objects.filter(published_at__isnull=True), user)
        .select_related("space")
        .order_by("-updated_at")
    )


def information_detail(*, user, slug: str) -> InformationPage:
    """A published page for everyone, a draft for its ring; otherwise the same 404 as a missing page."""
    return access.get_visible_or_404(
        InformationPage.objects.select_related(
            "space", "audience", "author", "source_question"
        ).prefetch_related("trades", "topics"),
        user,
        slug=slug,
    )


def can_edit(user, page: InformationPage) -> bool:
    """Members of the home space edit a draft; once it is public, only its coordinators do."""
    if page.published_at:
        return access.can_coordinate(user, page.space)
    return access.can_see_space_content(user, page.space)


def publish_refusal(page: InformationPage) -> str:
    """Why `page` cannot be published now, or "" when it can."""
    if page.published_at is not None:
        return _("Diese Information ist bereits veröffentlicht.")
    if page.audience_id is not None and access.outer_audience(page) is not None:
        # Content flows outward one ring at a time: an inner draft is shared with the ring around it first.
        return _("Bitte teilen Sie den Entwurf zuerst mit dem umgebenden Raum.")
    return ""
