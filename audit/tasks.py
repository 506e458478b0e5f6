from celery import shared_task

from audit.heads import publish_head


@shared_task(ignore_result=True)
def publish_audit_head() -> None:
    publish_head()
