from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from groups import views as groups_views
from portal import sessions, views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Fachgruppe Handwerk"
admin.site.site_title = "Fachgruppe Handwerk"

handler404 = views.page_not_found

urlpatterns = [
    path("", views.home, name="home"),
    path("mein-ueberblick/", views.overview, name="overview"),
    path("suche/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("status/", views.status, name="status"),
    path("status/metrics", views.status_metrics, name="status_metrics"),
    path("rechtliches/<slug:slug>/", views.legal_page, name="legal"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("markdown/vorschau/", views.markdown_preview, name="markdown_preview"),
    path("spaces/", include("groups.urls")),
    path("meetings/", include("meetings.urls")),
    path("projects/", include("projects.urls")),
    # Meetings own the link of an agenda item to a project; they add its page for putting one on an agenda.
    path("projects/", include("meetings.urls_projects")),
    path("fragen/", include("groups.urls_questions")),
    path("informationen/", include("groups.urls_information")),
    path("auswertung/", include("reports.urls")),
    path("invitations/<token:token>/", groups_views.invitation_accept, name="invitation_accept"),
    path("profile/", groups_views.profile_edit, name="profile_edit"),
    path("profile/api-zugaenge/", include("api.urls_tokens")),
    path("api/", include("api.urls")),
    path("einbetten/", include("api.urls_embed")),
    path("notifications/", include("portal.notifications.urls")),
    path("konto/", include("privacy.urls")),
    path("aktivitaetsprotokoll/", include("portal.audit.urls")),
    path("accounts/sessions/", sessions.SessionListView.as_view(), name="usersessions_list"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
