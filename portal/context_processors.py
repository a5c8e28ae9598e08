from functools import partial

from django.conf import settings

from portal import chrome, header

# The portal's name wherever it names itself (pages, allauth's mails).
SITE_NAME = "Fachgruppe Handwerk"


def portal(request) -> dict:
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "SITE_NAME": SITE_NAME,
        "chrome": chrome.links(),
        # Rendered only where a page shows it (templates/base.html), and then mostly kept.
        "site_header": partial(header.render, request),
    }
