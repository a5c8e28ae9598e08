"""The portal's URLs and `__bench__/bare`: the cheapest page the same stack can serve.

The bare page passes through the same middleware (sessions, CSP, language,
security headers) but renders no template and runs no query, so the ratio of a
portal page to it shows what the page itself costs.
"""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare", bare), *portal_urlpatterns]
