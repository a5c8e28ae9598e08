"""The public showcase: the catalogue, its feeds and the coordinators' exports."""

from django.urls import path

from projects.feeds import ProjectAtomFeed, ProjectFeed
from projects.views import catalogue

urlpatterns = [
    path("", catalogue.project_list, name="list"),
    path("feed/", ProjectFeed(), name="feed_rss"),
    path("atom/", ProjectAtomFeed(), name="feed_atom"),
    path("export/csv/", catalogue.export_csv, name="export_csv"),
    path("export/json/", catalogue.export_json, name="export_json"),
]
