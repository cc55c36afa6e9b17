from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        from . import report, signals  # noqa: F401  (signals connects its receivers)

        report.release()
