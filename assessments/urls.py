from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/report/", views.report, name="report"),
]
