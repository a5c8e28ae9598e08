from django.conf import settings


def portal(request) -> dict:
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "SITE_NAME": "Fachgruppe Handwerk",
    }
