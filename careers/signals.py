"""Any save or delete of a catalog row changes the CatalogVersion token.

Writers of many rows (load_catalog, import_onet) work inside `one_change()` instead: no
token write per row, and none of the row-by-row waiting on the token row that would bring;
they call CatalogVersion.changed() once, at the end of their transaction, if they wrote.
"""

import contextlib
import contextvars

from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import CatalogVersion

_bulk = contextvars.ContextVar("careers_bulk_write", default=False)


@contextlib.contextmanager
def one_change():
    reset = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(reset)


def catalog_changed(sender, action="post_save", **kwargs):
    # m2m_changed sends pre_add, post_add, ...: the post_ one is enough.
    if action.startswith("post_") and not _bulk.get():
        CatalogVersion.changed()


def version_loaded(sender, raw=False, **kwargs):
    # loaddata writes a token from a dump, which may name an older catalog: replace it.
    if raw:
        CatalogVersion.changed()


def connect(app_config):
    for model in app_config.get_models():
        if model is CatalogVersion:
            continue
        uid = f"careers.catalog_changed.{model._meta.label}"
        post_save.connect(catalog_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(catalog_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}")
    post_save.connect(version_loaded, sender=CatalogVersion, dispatch_uid="careers.catalog_version_loaded")
