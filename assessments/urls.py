from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("start/<slug:slug>/", views.start, name="start"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report.json", views.report_json_view, name="report_json"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/retake/", views.retake, name="retake"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/matches/", views.matches, name="matches"),
    # Last, so that the fixed words above are never read as a step name.
    path("<int:pk>/<slug:step>/", views.step, name="step"),
]
