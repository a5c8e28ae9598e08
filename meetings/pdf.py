"""The minutes as a PDF that reads like a German Protokoll, rendered by weasyprint.

The print stylesheet is a static file: a PDF is not a web page, but keeping
the styles apart keeps the template plain.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from meetings.minutes import MinutesRecord

STYLESHEET = "css/minutes_pdf.css"


def minutes_pdf(record: MinutesRecord, *, request=None) -> bytes:
    html = render_to_string("meetings/minutes_pdf.html", {"record": record}, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else settings.SITE_URL
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=finders.find(STYLESHEET))]
    )
