import factory
from django.contrib.auth.models import Group

from accounts.models import PartnerOrganisation, Unit, User

PASSWORD = "correct horse battery staple"


def totp_code(secret: str, *, steps: int = 0) -> str:
    """The code an authenticator app shows now for ``secret`` (allauth's own TOTP arithmetic).
    A code is accepted once; ``steps=±1`` gives the neighbouring one, which is also accepted
    (MFA_TOTP_TOLERANCE), for a second sign-in within the same 30 seconds."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD + steps
    return format_hotp_value(hotp_value(secret, counter))


def give_second_factor(users, *, secret: str | None = None) -> None:
    """A TOTP authenticator for each of ``users`` that has none (demo users get none from
    seed_demo: a secret made there would be a default credential)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    for user in users:
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret or generate_totp_secret())


def current_code(user, *, steps: int = 0) -> str:
    """The current code of ``user``'s TOTP authenticator (made by UserFactory)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code(decrypt(authenticator.data["secret"]), steps=steps)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def organisation(code: str) -> PartnerOrganisation:
    return PartnerOrganisation.objects.get(code=code)


STAFF_FIRST_NAMES = ("Avery", "Rowan", "Sasha", "Emery", "Reese", "Skyler", "Marlowe", "Tamsin")
STAFF_LAST_NAMES = (
    "Abernathy",
    "Blackwood",
    "Calloway",
    "Dunmore",
    "Fairbanks",
    "Galloway",
    "Hollis",
    "Ingram",
    "Kessler",
    "Lindqvist",
    "Montague",
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Staff names from pools no test uses for a person: a random surname ("Santos") once made a
    # worker's name look like a leaked person's name in an assertion.
    first_name = factory.Sequence(lambda n: STAFF_FIRST_NAMES[n % len(STAFF_FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: STAFF_LAST_NAMES[n % len(STAFF_LAST_NAMES)])
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def units(self, create: bool, extracted: tuple[str, ...] | None, **kwargs) -> None:
        if create and extracted:
            self.units.add(*Unit.objects.filter(code__in=extracted))

    @factory.post_generation
    def totp(self, create: bool, extracted: str | bool | None, **kwargs) -> None:
        """Every user has a second factor, as the MFA middleware demands outside the demo.
        ``totp=False``: a user without one; ``totp="BASE32SECRET"``: a secret the test knows
        (``totp_code(secret)`` gives the current code)."""
        if create and extracted is not False:
            from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            # As enrolment leaves it: the app and a set of recovery codes.
            TOTP.activate(self, extracted if isinstance(extracted, str) else generate_totp_secret())
            RecoveryCodes.activate(self)

    @factory.post_generation
    def finish(self, create: bool, extracted: object, **kwargs) -> None:
        if create:
            self.save()


# --- people and contacts -------------------------------------------------------------------


def person(**fields):
    """A person made through the service (so search fields are filled), by a throwaway officer
    unless ``actor`` is given. ``other_names``: [(kind, first, last)]; ``flags``: codes."""
    from cases import services
    from cases.models import PopulationFlag

    actor = fields.pop("actor", None) or _system_officer()
    other_names = fields.pop("other_names", ())
    flag_codes = fields.pop("flags", ())
    data = {"first_name": "Alex", "last_name": "Doe", **fields}
    return services.person_create(
        actor=actor,
        data=data,
        flags=PopulationFlag.objects.filter(code__in=flag_codes),
        other_names=other_names,
    )


def contact(*, author, people, finish=True, **fields):
    import uuid

    from django.utils import timezone

    from cases import services
    from cases.models import ContactType, Disposition, PopulationFlag

    values = {
        "occurred_at": timezone.now() - timezone.timedelta(hours=1),
        "location": "Central Square",
        "contact_type": ContactType.objects.get(code="outreach"),
        "narrative": "Spoke with the person about services.",
        "disposition": Disposition.objects.get(code="information"),
        "incident_number": "",
        "consultation_requested": False,
        "flags": PopulationFlag.objects.none(),
        **fields,
    }
    return services.contact_save(
        actor=author, submission_key=uuid.uuid4(), people=people, finish=finish, **values
    )


def _system_officer():
    from accounts.models import User

    existing = User.objects.filter(username="factory_officer").first()
    return existing or UserFactory(username="factory_officer", role="officer")
