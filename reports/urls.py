from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("<slug:slug>/taetigkeitsbericht/<int:year>/", views.activity_report, name="activity_report"),
    path(
        "<slug:slug>/taetigkeitsbericht/<int:year>.pdf", views.activity_report_pdf, name="activity_report_pdf"
    ),
    path(
        "<slug:slug>/taetigkeitsbericht/<int:year>/neu/",
        views.activity_report_render,
        name="activity_report_render",
    ),
]
