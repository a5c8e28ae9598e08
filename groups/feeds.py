"""RSS 2.0 and Atom feeds of the published information, filterable like the list (?gewerk=&thema=)."""

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from groups import selectors_information
from groups.views_information import filters_from
from portal.feeds import PortalFeed

FEED_LENGTH = 30


class InformationFeed(PortalFeed):
    title = _("Informationen für Handwerksbetriebe · Fachgruppe Handwerk")
    description = _(
        "Neue Informationen der Fachgruppe Handwerk der Offensive Mittelstand für Handwerksbetriebe."
    )

    def get_object(self, request):
        return filters_from(request.GET)[1]

    def link(self):
        return reverse("information:list")

    def items(self, filters):
        # Only what the public may see: published pages, through the ring rules (groups.information).
        return selectors_information.published_pages(filters=filters)[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [trade.name for trade in item.trades.all()] + [topic.name for topic in item.topics.all()]


class InformationAtomFeed(InformationFeed):
    feed_type = Atom1Feed
    subtitle = InformationFeed.description
