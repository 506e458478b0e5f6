"""Demo users, one per role (DESIGN.md "Demo data"). Used by ``manage.py seed_demo``."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import PartnerOrganisation, Unit, User
from accounts.roles import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    units: tuple[str, ...] = ()
    organisation: str | None = None


DEMO_USERS = (
    DemoUser("officer", Role.OFFICER, "Dana", "Reyes", units=("family-justice",)),
    DemoUser("clinician", Role.CLINICIAN, "Morgan", "Okafor", units=("clinical-support",)),
    DemoUser("intern", Role.INTERN, "Sam", "Lindqvist", units=("clinical-support",)),
    DemoUser(
        "supervisor",
        Role.SUPERVISOR,
        "Pat",
        "Moreau",
        units=("family-justice", "social-justice", "clinical-support"),
    ),
    DemoUser("partner", Role.PARTNER, "Jordan", "Baptiste", organisation="cps"),
    DemoUser("admin", Role.ADMINISTRATOR, "Alex", "Chen"),
    # More caseworkers, so that caseloads and reassignment have someone to compare and move
    # cases to (cases.demo_casework spreads the demo cases over them).
    DemoUser("cl.nguyen", Role.CLINICIAN, "Linh", "Nguyen", units=("clinical-support",)),
    DemoUser("cl.haddad", Role.CLINICIAN, "Rania", "Haddad", units=("clinical-support",)),
    DemoUser("sw.garcia", Role.CLINICIAN, "Lucia", "Garcia", units=("family-justice",)),
    DemoUser("sw.obrien", Role.CLINICIAN, "Kevin", "O'Brien", units=("family-justice",)),
    DemoUser("sw.mendes", Role.CLINICIAN, "Tiago", "Mendes", units=("social-justice",)),
    DemoUser("sw.kim", Role.CLINICIAN, "Grace", "Kim", units=("social-justice",)),
)
DEMO_USERNAMES = frozenset(user.username for user in DEMO_USERS)


def holds_non_demo_data() -> bool:
    """True when the database has records that seed_demo did not make (a real deployment)."""
    if User.objects.exclude(username__in=DEMO_USERNAMES).exists():
        return True
    # People recorded before any demo user existed are real (an import, say), not demo data.
    Person = apps.get_model("cases", "Person")
    return not holds_demo_data() and Person.objects.exists()


def holds_demo_data() -> bool:
    return User.objects.filter(username__in=DEMO_USERNAMES).exists()


def create_demo_users() -> dict[str, User]:
    password = settings.CFSJ_DEMO_PASSWORD
    units = {unit.code: unit for unit in Unit.objects.all()}
    organisations = {org.code: org for org in PartnerOrganisation.objects.all()}
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    # One hash for all: they share the password anyway, and each hash costs a deliberate ~0.3 s.
    hashed = make_password(password)
    created: dict[str, User] = {}
    for spec in DEMO_USERS:
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@cfsj.invalid",
            organisation=organisations.get(spec.organisation) if spec.organisation else None,
        )
        user.password = hashed
        user.save()
        user.groups.add(groups[spec.role])
        user.units.add(*(units[code] for code in spec.units))
        created[spec.username] = user
    intern = created["intern"]
    intern.supervising_clinician = created["clinician"]
    intern.save()
    return created
