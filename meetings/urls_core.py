"""The meetings core: list, one meeting, its planning, agenda and participants."""

from django.urls import path

from meetings.views import core

urlpatterns = [
    path("", core.meeting_list, name="list"),
    path("new/", core.meeting_create, name="create"),
    path("<int:pk>/", core.meeting_detail, name="detail"),
    path("<int:pk>/edit/", core.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", core.meeting_cancel, name="cancel"),
    path("<int:pk>/held/", core.meeting_mark_held, name="mark_held"),
    path("<int:pk>/agenda/new/", core.agenda_item_add, name="agenda_item_add"),
    path("<int:pk>/agenda/<int:item_id>/edit/", core.agenda_item_edit, name="agenda_item_edit"),
    path("<int:pk>/agenda/<int:item_id>/delete/", core.agenda_item_delete, name="agenda_item_delete"),
    path(
        "<int:pk>/agenda/<int:item_id>/move/<str:direction>/",
        core.agenda_item_move,
        name="agenda_item_move",
    ),
    path("<int:pk>/agenda/publish/", core.agenda_publish, name="agenda_publish"),
    path("<int:pk>/participants/invite/", core.participant_invite, name="participant_invite"),
    path("<int:pk>/participants/respond/", core.participant_respond, name="participant_respond"),
    path("<int:pk>/participants/attendance/", core.attendance, name="attendance"),
    path("antwort/<str:token>/", core.answer_from_mail, name="answer"),
]
