"""The meetings' URLs, one module per area so the areas stay apart."""

from meetings import urls_calendar, urls_core, urls_minutes

app_name = "meetings"

urlpatterns = urls_core.urlpatterns + urls_minutes.urlpatterns + urls_calendar.urlpatterns
