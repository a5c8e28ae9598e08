from django.urls import path

from meetings.views import calendar as views

urlpatterns = [
    path("<int:pk>/ics/", views.meeting_ics, name="meeting_ics"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/subscribe/", views.calendar_subscribe, name="calendar_subscribe"),
    path("feed/<token:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<int:pk>/poll/", views.poll_detail, name="poll_detail"),
    path("<int:pk>/poll/new/", views.poll_create, name="poll_create"),
    path("<int:pk>/poll/close/", views.poll_close, name="poll_close"),
    path("<int:pk>/register/", views.registration_create, name="registration_create"),
    path("<int:pk>/register/cancel/", views.registration_cancel, name="registration_cancel"),
]
