"""The meetings' URLs, one module per area so the areas stay apart."""

from django.urls import path

from meetings import urls_calendar, urls_core, urls_minutes
from meetings.views.search import meeting_search

app_name = "meetings"

urlpatterns = [
    path("search/", meeting_search, name="search"),
    *urls_core.urlpatterns,
    *urls_minutes.urlpatterns,
    *urls_calendar.urlpatterns,
]
