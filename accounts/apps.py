import unicodedata

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def unaccent(text):
    """What PostgreSQL's unaccent gives for the letters people's names carry: the letter without its marks."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def add_unaccent(sender, connection, **kwargs):
    # The admin searches with the unaccent lookup (django.contrib.postgres); SQLite has no such
    # function, so each SQLite connection gets one.
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, unaccent, deterministic=True)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        connection_created.connect(add_unaccent, dispatch_uid="accounts.add_unaccent")
