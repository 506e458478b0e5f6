"""Background work for cases. Thin: ids in, the service does the work (STYLE.md habit 7)."""

from smtplib import SMTPException

from celery import shared_task

from cases.breakglass import send_break_glass_notice


@shared_task(
    name="cases.notify_break_glass",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=8,
)
def notify_break_glass(grant_id: int) -> int:
    """E-mail the supervisors about a break-the-glass access (once, whatever the retries)."""
    return send_break_glass_notice(grant_id=grant_id)
