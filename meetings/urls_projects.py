"""What meetings add to the project pages' addresses; portal/urls.py mounts it beside projects.urls."""

from django.urls import path

from meetings.views import project_agenda

app_name = "project_agenda"

urlpatterns = [
    path("<slug:slug>/tagesordnung/", project_agenda.put_on_agenda, name="put_on_agenda"),
]
