from django.urls import path

from groups import feeds
from groups import views_information as views

app_name = "information"

# Fixed paths first: groups.information.RESERVED_SLUGS keeps pages from taking their names.
urlpatterns = [
    path("", views.information_list, name="list"),
    path("feed/", feeds.InformationFeed(), name="feed_rss"),
    path("atom/", feeds.InformationAtomFeed(), name="feed_atom"),
    path("neu/", views.information_create, name="create"),
    path("abonnieren/", views.subscribe, name="subscribe"),
    path("abonnement/bestaetigen/<token:token>/", views.subscription_confirm, name="confirm"),
    path("abonnement/abbestellen/<token:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.information_detail, name="detail"),
    path("<slug:slug>/bearbeiten/", views.information_edit, name="edit"),
    path("<slug:slug>/veroeffentlichen/", views.information_publish, name="publish"),
]
