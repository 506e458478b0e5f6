from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from audit.triggers import protect_all

        # Sent once per app after every migrate; one receiver run (for this app) is enough.
        post_migrate.connect(protect_all, sender=self, dispatch_uid="audit.protect_all")
