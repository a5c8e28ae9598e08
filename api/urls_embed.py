from django.urls import path

from api import views

app_name = "embed"
urlpatterns = [
    path("projekte/", views.embed_projects, name="projects"),
    path("informationen/", views.embed_information, name="information"),
]
