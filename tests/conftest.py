"""Named personas (STYLE.md habit 11). Each is a real user with a real role group, made by the
factories against the real database; the role groups and units come from the migrations."""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, organisation


@pytest.fixture
def officer(db):
    return UserFactory(username="p_officer", role=Role.OFFICER, units=("family-justice",))


@pytest.fixture
def clinician(db):
    """A clinician of the Clinical Support Unit: the one on the case in later tests."""
    return UserFactory(username="p_clinician", role=Role.CLINICIAN, units=("clinical-support",))


@pytest.fixture
def clinician_other_unit(db):
    """A clinician who works in the Social Justice Unit only."""
    return UserFactory(username="p_clinician_sj", role=Role.CLINICIAN, units=("social-justice",))


@pytest.fixture
def intern(db, clinician):
    user = UserFactory(username="p_intern", role=Role.INTERN, units=("clinical-support",))
    user.supervising_clinician = clinician
    user.save()
    return user


@pytest.fixture
def supervisor(db):
    return UserFactory(
        username="p_supervisor",
        role=Role.SUPERVISOR,
        units=("family-justice", "social-justice", "clinical-support"),
    )


@pytest.fixture
def partner(db):
    """A Safety Net partner from the public schools."""
    user = UserFactory(username="p_partner", role=Role.PARTNER)
    user.organisation = organisation("cps")
    user.save()
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="p_admin", role=Role.ADMINISTRATOR)


PERSONAS = (
    "anonymous",
    "officer",
    "clinician",
    "clinician_other_unit",
    "intern",
    "supervisor",
    "partner",
    "admin_user",
)


@pytest.fixture
def as_persona(request, client, db):
    """``as_persona("officer")`` → a test client signed in as that persona (or anonymous)."""

    def sign_in(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # A transactional test (live server, browser) ends with a flush of every table, and the
    # append-only triggers refuse the DELETEs (SQLite) or TRUNCATE (PostgreSQL) on the audit
    # tables. Before the fixtures tear down, empty those tables under a rewrite permit, the
    # way the retention purge does; the flush then removes the permit with everything else.
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        _permit_the_flush()
    return (yield)


def _permit_the_flush() -> None:
    from django.db import connection

    from audit.models import RewritePermit
    from audit.triggers import protected_tables_present

    RewritePermit.objects.create(reason="test database flush", created_by="pytest")
    with connection.cursor() as cursor:
        for table in protected_tables_present(connection):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per persona; hashing strength is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings, worker_id):
    # Rate limits and axes counters live in the cache; each test starts with none. Under xdist
    # each worker gets its own Redis database, since clearing a Redis cache flushes the database.
    from django.core.cache import cache

    if "redis" in settings.CACHES["default"]["BACKEND"]:
        number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
        base = settings.CACHES["default"]["LOCATION"].rsplit("/", 1)[0]
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": f"{base}/{1 + number}"}
        }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(db):
    """A person on nobody's care team, with a confidential address."""
    from tests.factories import person as make_person

    return make_person(
        first_name="Maria",
        last_name="Santos",
        street="12 Hidden Lane",
        city="Cambridge",
        address_confidential=True,
    )


@pytest.fixture
def contact(db, officer, person):
    """A finished contact the officer logged an hour ago about ``person``."""
    from tests.factories import contact as make_contact

    return make_contact(author=officer, people=[person])


# --- casework (issue 4) ------------------------------------------------------------------------


@pytest.fixture
def case(db, person, clinician, intern, supervisor):
    """A Clinical Support Unit case for ``person``: assigned to ``clinician``, with ``intern``
    on the team. ``clinician_other_unit`` (Social Justice) is not on it."""
    from accounts.models import Unit
    from cases import casework
    from cases.models import CaseType

    return casework.case_open(
        actor=supervisor,
        unit=Unit.objects.get(code="clinical-support"),
        case_type=CaseType.objects.get(code="youth-support"),
        reason="School refusal and conflict at home.",
        person=person,
        assigned_to=clinician,
        team=[intern],
    )


@pytest.fixture
def pending_note(case, intern):
    """An intern's general note on ``case``, waiting for ``clinician`` to co-sign it."""
    from cases import casework

    return casework.note_add(actor=intern, case=case, level="general", text="Met with the family.")


@pytest.fixture
def task(case, clinician, supervisor):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Task

    return Task.objects.create(
        title="Call the school counsellor",
        due_on=timezone.localdate() + timedelta(days=2),
        assignee=clinician,
        case=case,
        created_by=supervisor,
    )


@pytest.fixture
def consultation(db, officer, person):
    from cases.models import Consultation

    return Consultation.objects.create(
        person=person, requested_by=officer, question="Is anyone from the CSU working with her?"
    )


@pytest.fixture
def assessment(case, clinician):
    """A C-SSRS screener on ``case`` by ``clinician`` (moderate result)."""
    from cases.models import Assessment, InstrumentVersion
    from cases.scoring import clean_answers, score

    version = InstrumentVersion.objects.get(instrument__code="cssrs-screener", version="1")
    answers = clean_answers(
        version.definition,
        {"q1": "yes", "q2": "yes", "q3": "yes", "q4": "no", "q5": "no", "q6": "no"},
    )
    result = score(version.definition, answers)
    return Assessment.objects.create(
        person=case.person,
        case=case,
        instrument_version=version,
        answers=answers,
        result_code=result.code,
        result_label=result.label,
        result_details=result.details,
        performed_by=clinician,
    )


@pytest.fixture
def relationship(db, person):
    """``person``'s mother, recorded as parent of ``person``."""
    from cases.models import Relationship
    from tests.factories import person as make_person

    mother = make_person(first_name="Rosa", last_name="Santos")
    return Relationship.objects.create(person=mother, relative=person, kind="parent")


# --- audit review and account inactivity (issue 5) ---------------------------------------------


@pytest.fixture
def disabled_account(db):
    """An officer's account the inactivity rule disabled (a supervisor may re-enable it)."""
    from django.utils import timezone

    user = UserFactory(username="p_dormant", role=Role.OFFICER, units=("family-justice",))
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.deactivated_reason = "inactivity"
    user.save()
    return user


def require_pdf_renderer():
    """``cfsj.lib.pdf``, or a skip on a machine without Pango (a failure in CI, which has it)."""
    import os

    try:
        from cfsj.lib import pdf
    except OSError as error:  # WeasyPrint loads Pango when imported
        message = f"PDF rendering needs Pango: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return pdf
