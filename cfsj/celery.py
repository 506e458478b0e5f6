"""The Celery application. Broker and result store come from settings (Redis, or the filesystem
transport for the zero-setup local trial); schedules live in ``settings.CELERY_BEAT_SCHEDULE``."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfsj.settings")

app = Celery("cfsj")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# cfsj/ is not an installed app, so autodiscovery does not see its tasks module.
app.conf.imports = ("cfsj.tasks",)


def ensure_local_broker_dirs() -> None:
    """The filesystem transport does not create its folders; make them before first use."""
    from django.conf import settings

    if not settings.REDIS_URL:
        for name in ("queue", "processed", "results", "control"):
            Path(settings.CELERY_DATA_DIR, name).mkdir(parents=True, exist_ok=True)
