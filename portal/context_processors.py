from django.conf import settings

from portal import chrome


def portal(request) -> dict:
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "SITE_NAME": "Fachgruppe Handwerk",
        "chrome": chrome.links(),
    }
