from django.urls import path

from projects import urls_catalogue
from projects.views import detail, media, review, submission

app_name = "projects"

# Fixed paths first: projects.services.RESERVED_SLUGS keeps projects from taking their names.
urlpatterns = [
    *urls_catalogue.urlpatterns,
    path("neu/", submission.project_create, name="create"),
    path("meine/", submission.my_projects, name="mine"),
    path("pruefung/", review.review_queue, name="review_queue"),
    path("<slug:slug>/", detail.project_detail, name="detail"),
    path("<slug:slug>/bearbeiten/<slug:section>/", submission.project_edit, name="edit"),
    path("<slug:slug>/einreichen/", submission.project_submit, name="submit"),
    path("<slug:slug>/loeschen/", submission.project_delete, name="delete"),
    path("<slug:slug>/bilder/", submission.image_add, name="image_add"),
    path("<slug:slug>/bilder/<int:pk>/", media.image_file, name="image"),
    path("<slug:slug>/bilder/<int:pk>/vorschau/", media.thumbnail_file, name="thumbnail"),
    path("<slug:slug>/bilder/<int:pk>/entfernen/", submission.image_remove, name="image_remove"),
    path("<slug:slug>/anhaenge/", submission.attachment_add, name="attachment_add"),
    path("<slug:slug>/anhaenge/<int:pk>/", media.attachment_file, name="attachment"),
    path("<slug:slug>/anhaenge/<int:pk>/entfernen/", submission.attachment_remove, name="attachment_remove"),
    path("<slug:slug>/pruefung/", review.project_review, name="review"),
    path("<slug:slug>/bewertung/", review.review_save, name="review_save"),
    path("<slug:slug>/entscheidung/", review.decision_save, name="decide"),
]
