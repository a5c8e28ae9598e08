"""The one way the portal makes a slug from a German name or title.

Django's slugify drops what is not ASCII after decomposing it, so "Nachfolgebörse" became
"nachfolgeborse" and "Bäckerhandwerk" "backerhandwerk". German writes the umlauts and ß out
instead (ä → ae, ö → oe, ü → ue, ß → ss), and so do these addresses. Only new slugs are made
this way: an existing slug is never rewritten, so every address already shared keeps answering.
"""

from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def german_slugify(value: str) -> str:
    return slugify(str(value).translate(GERMAN_TRANSLITERATION))
