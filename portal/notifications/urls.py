from django.urls import path

from portal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("count/", views.unread_badge, name="unread_badge"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("follow/<str:what>/<int:pk>/", views.follow, name="follow"),
    path("unsubscribe/<token:token>/", views.unsubscribe, name="unsubscribe"),
]
