from celery import shared_task

from accounts.services import disable_inactive_accounts as disable


# Idempotent (a second run finds nothing more to disable), so a retry after a lost worker is
# harmless; the next night's run catches anything a failure left.
@shared_task(ignore_result=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def disable_inactive_accounts() -> int:
    """Nightly (settings.CELERY_BEAT_SCHEDULE): the 90-day inactivity rule."""
    return len(disable())
