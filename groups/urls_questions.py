from django.urls import path

from groups import views_questions as views

app_name = "questions"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("neu/", views.question_create, name="create"),
    path("<int:pk>/", views.question_detail, name="detail"),
    path("<int:pk>/antwort-entwerfen/", views.question_draft_answer, name="draft_answer"),
]
