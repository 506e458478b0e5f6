from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import CAPABILITIES, Role
from audit.models import AuditedModel


class Unit(AuditedModel):
    """A unit of the section (reference data: a department names its own)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Fixed meanings the code relies on, whatever the label says.
    is_clinical = models.BooleanField(
        _("clinical unit"),
        default=False,
        help_text=_("Its members may read clinical notes of the cases the unit holds."),
    )
    closure_needs_approval = models.BooleanField(
        _("case closure needs a supervisor's approval"), default=False
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")

    def __str__(self) -> str:
        return self.name


class PartnerOrganisation(AuditedModel):
    """An organisation of the Safety Net Collaborative (schools, health, human services…)."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        SCHOOL = "school", _("School")
        HEALTH = "health", _("Health")
        HUMAN_SERVICES = "human_services", _("Human services")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff or of a partner organisation. Roles are groups (accounts.roles)."""

    class DeactivationReason(models.TextChoices):
        # Only this reason may be undone by a supervisor (accounts.services.reenable_account);
        # an account an administrator disabled stays the administrator's decision.
        INACTIVITY = "inactivity", _("Unused for too long")

    units = models.ManyToManyField(
        Unit, blank=True, related_name="members", verbose_name=_("units")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("partner organisation"),
    )
    supervising_clinician = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_interns",
        verbose_name=_("supervising clinician"),
        help_text=_("For clinical interns: who co-signs their notes."),
    )
    # The 90-day inactivity rule (accounts.services.disable_inactive_accounts).
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    deactivated_reason = models.CharField(
        _("deactivation reason"),
        max_length=20,
        choices=DeactivationReason.choices,
        blank=True,
    )
    reenabled_at = models.DateTimeField(
        _("re-enabled at"),
        null=True,
        blank=True,
        help_text=_("Counts as activity for the inactivity rule (CFSJ_INACTIVE_DAYS)."),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        permissions = list(CAPABILITIES.items())

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """Names of the role groups this user holds (one query, cached on the instance)."""
        if not self.is_active or self.pk is None:
            return frozenset()
        names = set(self.groups.values_list("name", flat=True))
        return frozenset(names & set(Role.values))

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        if self.pk is None:
            return frozenset()
        return frozenset(self.units.values_list("pk", flat=True))

    def delete(self, *args, **kwargs):  # type: ignore[override]
        from audit.models import RecordsAreNotDeleted

        raise RecordsAreNotDeleted("Users are deactivated, never deleted: untick 'active'.")
