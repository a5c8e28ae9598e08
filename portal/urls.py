from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from groups import views as groups_views
from portal import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Fachgruppe Handwerk"
admin.site.site_title = "Fachgruppe Handwerk"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("rechtliches/<slug:slug>/", views.legal_page, name="legal"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("spaces/", include("groups.urls")),
    path("invitations/<str:token>/", groups_views.invitation_accept, name="invitation_accept"),
    path("profile/", groups_views.profile_edit, name="profile_edit"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
