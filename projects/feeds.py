"""RSS 2.0 and Atom feeds of the showcase, filterable like the list (?gewerk=&thema=&region=...).

A feed shows what the public sees, whoever requests it: feed readers share
and cache addresses, so nothing in a feed may depend on the reader.
"""

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from portal.feeds import PortalFeed
from projects import catalogue
from projects.forms_catalogue import catalogue_filters

FEED_LENGTH = 30


class ProjectFeed(PortalFeed):
    title = _("Modellprojekte · Fachgruppe Handwerk")
    description = _(
        "Übertragbare Modellprojekte mit Mehrwert für das Handwerk, geprüft und vorgestellt von der "
        "Fachgruppe Handwerk der Offensive Mittelstand."
    )

    def get_object(self, request):
        return catalogue_filters(request.GET)[1]

    def link(self):
        return reverse("projects:list")

    def items(self, filters):
        return catalogue.feed_items(filters, limit=FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.accepted_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name if item.organisation else None

    def item_categories(self, item):
        return [trade.name for trade in item.trades.all()] + [topic.name for topic in item.topics.all()]


class ProjectAtomFeed(ProjectFeed):
    feed_type = Atom1Feed
    subtitle = ProjectFeed.description
