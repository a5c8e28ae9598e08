"""The minutes of a meeting and the signed-in person's action items ("Meine Aufgaben")."""

from django.urls import path

from meetings.views import minutes

urlpatterns = [
    path("<int:pk>/minutes/", minutes.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/autosave/", minutes.minutes_autosave, name="minutes_autosave"),
    path("<int:pk>/minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path("<int:pk>/minutes/publish/", minutes.minutes_publish, name="minutes_publish"),
    path("<int:pk>/minutes/history/", minutes.minutes_history, name="minutes_history"),
    path("<int:pk>/minutes.pdf", minutes.minutes_download, name="minutes_pdf"),
    path("tasks/", minutes.task_list, name="tasks"),
    path("tasks/<int:pk>/status/", minutes.task_status, name="task_status"),
]
