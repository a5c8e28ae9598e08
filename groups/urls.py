from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.space_list, name="space_list"),
    path("<slug:slug>/", views.space_detail, name="space_detail"),
    path("<slug:slug>/join/", views.join_request_create, name="join_request_create"),
    path("<slug:slug>/join/<int:pk>/withdraw/", views.join_request_withdraw, name="join_request_withdraw"),
    path("<slug:slug>/requests/", views.join_request_list, name="join_request_list"),
    path("<slug:slug>/requests/<int:pk>/", views.join_request_decide, name="join_request_decide"),
    path("<slug:slug>/invite/", views.invitation_create, name="invitation_create"),
    path("<slug:slug>/members/", views.member_list, name="member_list"),
    path("<slug:slug>/members/<int:user_id>/", views.member_update, name="member_update"),
    path("<slug:slug>/leave/", views.space_leave, name="space_leave"),
    path("<slug:slug>/threads/", views.thread_list, name="thread_list"),
    path("<slug:slug>/threads/new/", views.thread_create, name="thread_create"),
    path("<slug:slug>/mentions/", views.space_mentions, name="space_mentions"),
    path("<slug:slug>/threads/<int:pk>/mentions/", views.thread_mentions, name="thread_mentions"),
    path("<slug:slug>/threads/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("<slug:slug>/threads/<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("<slug:slug>/threads/<int:pk>/widen/", views.thread_widen, name="thread_widen"),
    path("<slug:slug>/threads/<int:pk>/posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path(
        "<slug:slug>/threads/<int:pk>/posts/<int:post_id>/history/", views.post_history, name="post_history"
    ),
    path("<slug:slug>/documents/", views.document_list, name="document_list"),
    path("<slug:slug>/documents/new/", views.document_create, name="document_create"),
    path("<slug:slug>/documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("<slug:slug>/documents/<int:pk>/widen/", views.document_widen, name="document_widen"),
    path(
        "<slug:slug>/documents/<int:pk>/versions/<int:number>/download/",
        views.document_download,
        name="document_download",
    ),
]
