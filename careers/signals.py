"""Any save or delete of a catalog row changes the CatalogVersion token."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import CatalogVersion


def catalog_changed(sender, action="post_save", **kwargs):
    # m2m_changed sends pre_add, post_add, ...: the post_ one is enough.
    if action.startswith("post_"):
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
