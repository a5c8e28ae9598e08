from django.urls import path

from api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/widerrufen/", views.token_revoke, name="revoke"),
]
