"""The audit trail: an append-only access log, and the base every domain model stands on.

Change history (who changed what, when) is django-simple-history's, declared on each model; the
access log (who *read* what) is ours, because no library records reads, list results or
denied attempts.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RecordsAreNotDeleted(Exception):
    """Raised when code tries to delete or bulk-change an audited record."""


class AuditedQuerySet(models.QuerySet):
    # QuerySet.update() and delete() bypass the change history (simple-history sees only
    # save()), so on audited models they are refused outright: save each row instead.
    def update(self, **kwargs):  # type: ignore[override]
        raise RecordsAreNotDeleted(
            f"Bulk update of {self.model.__name__} would escape its history; save each record."
        )

    def delete(self):  # type: ignore[override]
        raise RecordsAreNotDeleted(
            f"{self.model.__name__} records are closed, voided or merged, never deleted."
        )


class AuditedModel(models.Model):
    """Abstract base of domain models: never hard-deleted, never bulk-updated.

    Subclasses declare ``history = HistoricalRecords()`` themselves so that each history table
    is visible where the model is.
    """

    objects = AuditedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise RecordsAreNotDeleted(
            f"{type(self).__name__} records are closed, voided or merged, never deleted."
        )


class AccessLog(models.Model):
    """One row per read of a restricted record, result set, export or authentication event.

    Append-only: nothing in the application updates or deletes these rows.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        SEARCH = "search", _("Searched")
        EXPORT = "export", _("Exported")
        PRINT = "print", _("Printed")
        DISCLOSE = "disclose", _("Disclosed")
        DENIED = "denied", _("Denied")
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        LOCKOUT = "lockout", _("Locked out")
        SIGN_OUT = "sign_out", _("Signed out")
        PURGE = "purge", _("Purged by retention")
        # Account security events (issue 5).
        MFA_ADDED = "mfa_added", _("Second factor added")
        MFA_REMOVED = "mfa_removed", _("Second factor removed")
        MFA_CODES_RESET = "mfa_codes_reset", _("Recovery codes regenerated")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        EMAIL_CHANGED = "email_changed", _("E-mail address changed")
        SESSIONS_ENDED = "sessions_ended", _("Sessions ended")
        ACCOUNT_DISABLED = "disabled", _("Account disabled")
        ACCOUNT_ENABLED = "enabled", _("Account re-enabled")
        # Access outside the usual scope and its oversight (issue 5).
        BREAK_GLASS = "break_glass", _("Broke the glass")
        REVIEWED = "reviewed", _("Audit review acknowledged")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept beside the foreign key for events whose user is unknown (a failed sign-in).
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The hash chain (audit.chain): row_hash = sha256(prev_hash + the row's canonical JSON).
    prev_hash = models.CharField(max_length=64, editable=False)
    row_hash = models.CharField(max_length=64, editable=False)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="accesslog_record"),
            models.Index(fields=["user", "-at"], name="accesslog_user"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):  # type: ignore[override]
        if self.pk is not None and not self._state.adding:
            raise RecordsAreNotDeleted("Access-log rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise RecordsAreNotDeleted("Access-log rows are append-only.")


class RewritePermit(models.Model):
    """While a row exists here, the append-only triggers let UPDATE and DELETE through.

    Written and removed inside one transaction by :func:`audit.services.audit_rewrite` (key
    rotation and the retention purge only), so other connections never see one; a row found
    outside such a transaction was left by hand, and ``verify_audit`` reports it.
    """

    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.created_by}: {self.reason}"


class AuditReview(AuditedModel):
    """A supervisor's acknowledgement that one week's access log was reviewed (issue 5).

    One per week, the week starting on a Monday (local time); written only by
    :func:`audit.services.review_acknowledge`, which refuses a week not yet ended.
    """

    week_start = models.DateField(_("week starting"), unique=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)
    # About staff access, not about clients: plain text (the form says so), like the log itself.
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly audit review")

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d}"
