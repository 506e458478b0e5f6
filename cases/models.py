"""People, households, relationships and contacts (DESIGN.md "The core objects").

Cases, notes, tasks, consultations and assessments join this module with their issue.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.models import AuditedModel
from cfsj.lib.fields import EncryptedJSONField, EncryptedTextField
from cfsj.lib.text import age_on, search_text

NARRATIVE_MAX_LENGTH = 10_000


class ReferenceItem(AuditedModel):
    """A choice an administrator edits (label, order, active). The code is stable; meanings the
    code relies on are separate fixed fields on each subclass, never the label."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PopulationFlag(ReferenceItem):
    """Juvenile, homeless, mental health, substance use, senior dependent care, DV/SA survivor…"""

    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_(
            "Shown only to clinicians and supervisors (e.g. substance use, whose disclosure "
            "42 CFR Part 2 restricts)."
        ),
    )
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("population flag")


class ContactType(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("contact type")


class Disposition(ReferenceItem):
    """How a contact ended. ``outcome`` is the fixed meaning the outcome reports count."""

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", _("No action")
        INFORMATION = "information", _("Information given")
        REFERRAL = "referral", _("Referral made")
        TRANSPORT = "transport", _("Transported for evaluation")
        DIVERSION = "diversion", _("Diverted")
        SUMMONS = "summons", _("Summons")
        ARREST = "arrest", _("Arrest")
        OTHER = "other", _("Other")

    outcome = models.CharField(_("counts as"), max_length=20, choices=Outcome.choices)
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("disposition")


class Person(AuditedModel):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        NON_BINARY = "non_binary", _("Non-binary")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    first_name = models.CharField(_("legal first name"), max_length=80)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    last_name = models.CharField(_("legal last name"), max_length=80)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    dob_approximate = models.BooleanField(
        _("date of birth is an estimate"),
        default=False,
        help_text=_("Set when only an age was known; the date is then an estimate."),
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.UNKNOWN
    )
    race_ethnicity = models.CharField(
        _("race / ethnicity"),
        max_length=80,
        blank=True,
        help_text=_("Optional; used only for equity evaluation."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=60, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street address"), max_length=160, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    address_confidential = models.BooleanField(
        _("address is confidential"),
        default=False,
        help_text=_("A survivor's address: shown only to the assigned team and supervisors."),
    )
    school = models.CharField(_("school"), max_length=120, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    flags = models.ManyToManyField(
        PopulationFlag, blank=True, related_name="people", verbose_name=_("population flags")
    )
    safety_notes = EncryptedTextField(
        _("safety notes for responding officers"), max_length=2000, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # Derived, for search: every name (legal, aliases, nicknames' canonical forms) lower-cased
    # and without accents; the phone's digits. Written by cases.services, never by hand.
    search_names = models.TextField(editable=False, default="")
    phone_digits = models.CharField(max_length=20, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["search_names", "phone_digits"])

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_dob"),
            models.Index(fields=["last_name", "first_name"], name="person_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_name, self.middle_name, self.last_name) if part
        )

    @property
    def age(self) -> int | None:
        return age_on(self.date_of_birth, timezone.localdate())

    @property
    def is_juvenile(self) -> bool:
        return self.age is not None and self.age < 18

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def refresh_search_fields(self, other_names: list[str]) -> None:
        self.search_names = search_text(
            [self.first_name, self.middle_name, self.last_name, *other_names]
        )
        self.phone_digits = "".join(ch for ch in self.phone if ch.isdigit())[-10:]


class PersonName(AuditedModel):
    """Another name a person is known by: alias, nickname, previous or maiden name."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("Alias")
        NICKNAME = "nickname", _("Nickname")
        PREVIOUS = "previous", _("Previous name")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="other_names")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALIAS)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class CareTeamMember(AuditedModel):
    """A worker assigned to a person: the "assigned team" that may see a confidential address
    and that officers look up. Cases keep it current once they land; ended, never deleted."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_assignments"
    )
    role = models.CharField(_("role on the team"), max_length=60, blank=True)
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_assignment_per_worker",
            )
        ]


class Household(AuditedModel):
    name = models.CharField(_("household name"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class HouseholdMember(AuditedModel):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="households")
    active = models.BooleanField(_("current member"), default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="household_member_once")
        ]


class Relationship(AuditedModel):
    """``person`` is ``kind`` of ``relative`` (e.g. Ana is *parent* of Luis). Shown both ways:
    Luis's page reads the inverse (*child* of Ana)."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        SIBLING = "sibling", _("Sibling")
        CAREGIVER = "caregiver", _("Caregiver")
        PARTNER = "partner", _("Partner")
        OTHER = "other", _("Other")

    INVERSE = {
        Kind.PARENT: _("Child"),
        Kind.GUARDIAN: _("Ward"),
        Kind.SIBLING: _("Sibling"),
        Kind.CAREGIVER: _("Cared for by"),
        Kind.PARTNER: _("Partner"),
        Kind.OTHER: _("Other"),
    }

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_out")
    relative = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_in")
    kind = models.CharField(_("relationship"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(_("current"), default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative")), name="relationship_not_self"
            )
        ]

    def label_for(self, viewer: Person) -> str:
        """How this relationship reads on ``viewer``'s page (the other person is this to them)."""
        if viewer.pk == self.relative_id:
            return str(self.get_kind_display())
        return str(self.INVERSE[self.kind])


class Contact(AuditedModel):
    """One encounter logged by an officer or clinician."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now)
    location = models.CharField(_("location"), max_length=200, blank=True)
    contact_type = models.ForeignKey(
        ContactType, null=True, on_delete=models.PROTECT, verbose_name=_("contact type")
    )
    narrative = EncryptedTextField(_("narrative"), max_length=NARRATIVE_MAX_LENGTH, blank=True)
    disposition = models.ForeignKey(
        Disposition, null=True, on_delete=models.PROTECT, verbose_name=_("disposition")
    )
    incident_number = models.CharField(_("incident / report number"), max_length=40, blank=True)
    consultation_requested = models.BooleanField(
        _("request a clinical consultation"), default=False
    )
    flags = models.ManyToManyField(
        PopulationFlag, blank=True, related_name="contacts", verbose_name=_("population flags")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts_logged"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finalised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # One per rendered form: a double-submitted form finds the contact it already made.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["author", "status"], name="contact_author_status")]

    def __str__(self) -> str:
        return f"{self.contact_type or _('Contact')} {self.occurred_at:%Y-%m-%d %H:%M}"


class ContactPerson(AuditedModel):
    """A person involved in a contact. A person added by mistake is unlinked (``removed_at``)
    by the author inside the edit window, never deleted: the history shows both."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_links")
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="contact_person_once")
        ]


class ContactAddendum(AuditedModel):
    """A later correction or addition to a contact after its edit window closed."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("addendum"), max_length=NARRATIVE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]


# --- casework (issue 4): cases, notes, tasks, consultations, assessments ----------------------


class CaseType(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("case type")


class ClosureOutcome(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("closure outcome")


class Case(AuditedModel):
    """Ongoing work for a person or a household, owned by a unit, assigned to a worker."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        OPEN = "open", _("Open")
        ACTIVE = "active", _("Active")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MODERATE = "moderate", _("Moderate")
        HIGH = "high", _("High")

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit")
    )
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, verbose_name=_("case type"))
    reason = EncryptedTextField(_("reason"), max_length=4000)
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices, default=Risk.LOW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("assigned worker"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="team_cases", verbose_name=_("team")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    goals = EncryptedTextField(_("goals and plan"), max_length=8000, blank=True)
    closure_outcome = models.ForeignKey(
        ClosureOutcome,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("closure outcome"),
    )
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: every save through cases.casework increments it; a form posted
    # with an older version is told the record changed and keeps what was typed.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["assigned_to", "status"], name="case_assignee_status"),
            models.Index(fields=["unit", "status"], name="case_unit_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(household__isnull=False),
                name="case_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.case_type}"

    @property
    def subject_name(self) -> str:
        return self.person.full_name if self.person_id else str(self.household)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseStatusChange(AuditedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Case.Status.choices)
    reason = EncryptedTextField(_("reason"), max_length=2000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class CaseTransfer(AuditedModel):
    """A case given to another worker, and why (the reason is encrypted like a status change's;
    the case's own history records only that a transfer happened)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reason"), max_length=2000)
    # Null only for transfers made before this model, whose history did not say who made them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class Note(AuditedModel):
    """A case note. Never edited once signed; corrections are addenda (``addendum_to``)."""

    class Level(models.TextChoices):
        GENERAL = "general", _("General: all staff on the case")
        CLINICAL = "clinical", _("Clinical: clinicians and supervisors")
        # The fixed meaning: substance-use treatment information under 42 CFR Part 2.
        PROTECTED = "protected", _("Protected: substance-use treatment (42 CFR Part 2)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending co-signature")
        SIGNED = "signed", _("Signed")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    level = models.CharField(
        _("confidentiality"), max_length=10, choices=Level.choices, default=Level.GENERAL
    )
    text = EncryptedTextField(_("note"), max_length=NARRATIVE_MAX_LENGTH)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SIGNED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True)
    cosigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notes_to_cosign",
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    addendum_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="addenda"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "level"], name="note_case_level")]


class Task(AuditedModel):
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        indexes = [models.Index(fields=["assignee", "done_at", "due_on"], name="task_mine")]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()


class Consultation(AuditedModel):
    """An officer's request to the Clinical Support Unit about a person."""

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent (today)")
        EMERGENCY = "emergency", _("Emergency (now)")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        TAKEN = "taken", _("Taken")
        ANSWERED = "answered", _("Answered")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consultations")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_requested"
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    question = EncryptedTextField(_("question"), max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = EncryptedTextField(_("answer for the officer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "-created_at"]


class Instrument(AuditedModel):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(AuditedModel):
    """One version of an instrument's questions and scoring rule, as loaded from its data
    file. Never changed once answers exist: a changed instrument is a new version."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=20)
    definition = models.JSONField()
    source = models.TextField(blank=True)
    licence = models.TextField(blank=True)
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "version"], name="instrument_version_once"
            )
        ]
        ordering = ["instrument", "-loaded_at"]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.version}"


class Assessment(AuditedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    answers = EncryptedJSONField()
    result_code = models.CharField(max_length=40)
    result_label = models.CharField(max_length=200)
    result_details = models.JSONField(default=dict)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)
    # One per rendered form: a double-submitted screen records one assessment (and, for a
    # high result, one urgent task), not two.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-performed_at", "-pk"]


class BreakGlassAccess(AuditedModel):
    """Break-the-glass: a clinician's or supervisor's reasoned, time-limited access to a case
    outside their units and teams (cases.breakglass). It opens the case and its general and
    clinical content, never its protected (42 CFR Part 2) notes; rows are never removed, an
    expired one simply stops counting."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = EncryptedTextField(_("reason"), max_length=2000)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    # Set once the supervisors' e-mail went out, so a retried Celery task does not send twice.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        indexes = [
            models.Index(fields=["user", "case", "expires_at"], name="break_glass_grant"),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} / {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
