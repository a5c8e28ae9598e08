from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("daten/", views.export_page, name="export"),
    path("daten/herunterladen/<str:token>/", views.export_download, name="export_download"),
    path("loeschen/", views.erase, name="erase"),
    path("loeschen/person/<int:user_id>/", views.erase_on_request, name="erase_on_request"),
    path("geloescht/", views.erased, name="erased"),
]
