"""The base of the portal's RSS and Atom feeds: addresses from SITE_URL, conditional GET, a feed author.

Feed readers keep item ids for years, so ids and links must not depend on the
host name a request happened to use; they are built from `SITE_URL`. Readers
poll: a feed answers `304 Not Modified` to a matching `If-None-Match` or
`If-Modified-Since`. Atom requires an author on the feed or on every entry
(RFC 4287, 4.1.1): the feed names the Fachgruppe.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe, quote_etag
from django.utils.translation import gettext_lazy as _


class _SiteAddressedRequest:
    """The request as the syndication framework sees it: host and scheme of SITE_URL."""

    def __init__(self, request):
        self._request = request
        self._site = urlsplit(settings.SITE_URL)

    def get_host(self) -> str:
        return self._site.netloc

    def is_secure(self) -> bool:
        return self._site.scheme == "https"

    def __getattr__(self, name):
        return getattr(self._request, name)


class PortalFeed(Feed):
    author_name = _("Fachgruppe Handwerk")

    def get_feed(self, obj, request):
        return super().get_feed(obj, _SiteAddressedRequest(request))

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
