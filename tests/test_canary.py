"""Canary crawl (issue 5): unique strings planted in the records that must stay hidden, then every
page, fragment, search result, export and admin page crawled as each persona; a string must
never appear for a persona that may not see it.

Each text is ``CANARY-<KEY>-<uuid4 hex>``, new for every test, planted through the services on
the conftest records ``case`` (Clinical Support, assigned to ``clinician``, ``intern`` on its
team, for ``person`` Maria Santos) and on ``second_case`` below (Clinical Support, ``clinician``
alone, for Dana Whitlock):

=========  ===============================================  ===================================
canary     planted in                                       may see it — every other persona
                                                            must not, and the crawl as each of
                                                            these must find it
=========  ===============================================  ===================================
protected  a substance-use (42 CFR Part 2) note on          clinician (treating), supervisor
           second_case
clinical   a clinical note on case                          clinician, clinician_same_unit,
                                                            intern, supervisor
address    Maria Santos's street, marked confidential       clinician, intern (her care team),
                                                            supervisor
pending    the intern's clinical note on case, not yet      intern, clinician (author and
           co-signed                                        co-signer; not even supervisors)
general    a general note on case (control)                 who opens case: the above and
                                                            officer_on_team
narrative  the officer's contact about Maria (control)      who finds people: officers,
                                                            clinicians, intern, supervisor
staff      a staff member's last name (control)             everyone; the crawl as admin_user
                                                            must find it
=========  ===============================================  ===================================

So the protected note is hidden from officer, clinician_other_unit, clinician_same_unit, intern
(not on second_case), partner, admin_user and anonymous; the clinical note from officer,
officer_on_team, clinician_other_unit, partner, admin_user and anonymous; the confidential
address from everyone but the care team and supervisors. The rules are those of
``cases/permissions.py`` (``NotePolicy``, ``may_see_confidential_address``, ``ContactPolicy``)
and of docs/data-model.md "Who sees a note". Beside the conftest personas, two sit on the
boundaries: ``clinician_same_unit`` (opens both cases; Part 2 keeps the protected note to the
treating team) and ``officer_on_team`` (on ``case``'s team: its general notes, never clinical
ones). The controls prove the crawl reaches the pages where the canaries would show.

**The Safety Net minute canary arrives with Safety Net** (a minute not shared with the
meeting's partners): the safetynet app has no models yet. Adding it, like any canary, is one
entry in ``CANARIES``: a key, a function writing the text into a record through a service,
and the personas that may see it. A persona added to ``CRAWL_PERSONAS`` may see nothing until
a canary says otherwise.

How the crawl reaches pages (tests/crawl.py): every URL name the resolver knows, with the
kwargs and query of its permission-matrix row, and for ``<pk>`` URLs the pk of every record of
that row's model (of every planted record when there is no row yet); the person search and
the contact picker searched for both names and each canary; then every link, ``hx-get``, GET
form (submitted with the same search terms), redirect and ``HX-Redirect`` on the way, as a
normal and as an htmx request. The administrator also gets every registered model's list
(searched for each canary) and the change pages of the records the planted ones refer to, and
from there their history, delete and password pages; plus the admin URLs the planted records
would have if their models were registered. Non-HTML bodies (CSV, JSON) and response headers
are checked as text. A PDF export, when one exists, needs its text layer extracted here
(WeasyPrint writes glyph ids, not the text). A canary is searched for without its last six
characters, so that a page echoing the query does not count as a leak.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from accounts.models import Unit
from accounts.roles import Role
from cases import casework, services
from cases.models import CaseType
from cfsj.lib.urls import iter_url_names
from tests.conftest import PERSONAS
from tests.crawl import Crawler, Fetched
from tests.factories import UserFactory
from tests.factories import contact as make_contact
from tests.factories import person as make_person
from tests.test_permission_matrix import ROWS

CRAWL_PERSONAS = (*PERSONAS, "clinician_same_unit", "officer_on_team")
LIMIT = 600  # distinct URLs per persona
SIGN_IN_OR_ENROL = (django_settings.LOGIN_URL_PATH, "/accounts/2fa/")

Plant = Callable[[pytest.FixtureRequest, str], Model]


@dataclass(frozen=True)
class Canary:
    key: str
    plant: Plant  # writes the text into a record (through a service) and returns the record
    may_see: frozenset[str]
    found_by: frozenset[str] | None = field(default=None)  # positive control; default may_see
    control: bool = False  # planted to show that the crawl reaches it, not searched for

    @property
    def must_be_found_by(self) -> frozenset[str]:
        return self.may_see if self.found_by is None else self.found_by


def _fixture(request: pytest.FixtureRequest, name: str):
    return request.getfixturevalue(name)


def _note(case: str, author: str, level: str) -> Plant:
    def plant(request, text):
        return casework.note_add(
            actor=_fixture(request, author), case=_fixture(request, case), level=level, text=text
        )

    return plant


def _confidential_address(person: str) -> Plant:
    def plant(request, text):
        who = _fixture(request, person)
        return services.person_update(
            actor=_fixture(request, "supervisor"),
            person=who,
            data={"street": text, "address_confidential": True},
            flags=who.flags.all(),
        )

    return plant


def _narrative(author: str, person: str) -> Plant:
    def plant(request, text):
        return make_contact(
            author=_fixture(request, author), people=[_fixture(request, person)], narrative=text
        )

    return plant


def _staff_name(request, text):
    return UserFactory(username="p_canary_staff", role=Role.OFFICER, last_name=text)


def _seen_by(*personas: str) -> frozenset[str]:
    return frozenset(personas)


TREATING = ("clinician", "supervisor")  # second_case's treating team, and supervisors
CARE_TEAM = ("clinician", "intern")  # of Maria Santos, through ``case``
CASE_READERS = ("clinician", "clinician_same_unit", "intern", "supervisor")
FINDERS = ("officer", "officer_on_team", "clinician", "clinician_same_unit")
FINDERS += ("clinician_other_unit", "intern", "supervisor")
CASE_OPENERS = (*CASE_READERS, "officer_on_team")

# One entry per canary: key, how it is planted, who may see it (everyone else must not).
# fmt: off
CANARIES = (
    Canary("protected", _note("second_case", "clinician", "protected"), _seen_by(*TREATING)),
    Canary("clinical", _note("case", "clinician", "clinical"), _seen_by(*CASE_READERS)),
    Canary("address", _confidential_address("person"), _seen_by(*CARE_TEAM, "supervisor")),
    Canary("pending", _note("case", "intern", "clinical"), _seen_by("intern", "clinician")),
    # Positive controls: planted to show that the crawl reaches where the canaries would be.
    Canary("general", _note("case", "clinician", "general"), _seen_by(*CASE_OPENERS), control=True),
    Canary("narrative", _narrative("officer", "person"), _seen_by(*FINDERS), control=True),
    Canary("staff", _staff_name, frozenset(CRAWL_PERSONAS), _seen_by("admin_user"), control=True),
    # Canary("minute", _minute(...), _seen_by(...)): a non-shared minute, with Safety Net.
)
# fmt: on
SECRETS = [c for c in CANARIES if not c.control]


# --- the records ---------------------------------------------------------------------------


@pytest.fixture
def second_case(db, clinician, supervisor):
    """A Clinical Support case for another person, assigned to ``clinician`` with nobody on its
    team: the intern is not on it."""
    return casework.case_open(
        actor=supervisor,
        unit=Unit.objects.get(code="clinical-support"),
        case_type=CaseType.objects.get(code="youth-support"),
        reason="Referred by the school nurse.",
        person=make_person(first_name="Dana", last_name="Whitlock"),
        assigned_to=clinician,
    )


@pytest.fixture
def clinician_same_unit(db):
    """A Clinical Support clinician on neither case."""
    return UserFactory(username="p_clin_same", role=Role.CLINICIAN, units=("clinical-support",))


@pytest.fixture
def officer_on_team(case):
    user = UserFactory(username="p_officer_team", role=Role.OFFICER, units=("family-justice",))
    case.team.add(user)
    return user


@dataclass
class World:
    text: dict[str, str]  # canary key → planted text
    records: list[Model]
    search_terms: list[str]


@pytest.fixture
def world(request, case, second_case, settings) -> World:
    # A crawl searches far more often than a person: the per-user rate limits would answer
    # 429 and hide the results. Every rate setting of cfsj is raised, present and future.
    for name in dir(django_settings):
        if name.startswith("CFSJ_") and name.endswith("_RATE"):
            setattr(settings, name, "100000/m")
    text = {c.key: f"CANARY-{c.key.upper()}-{uuid.uuid4().hex}" for c in CANARIES}
    records = [canary.plant(request, text[canary.key]) for canary in CANARIES]
    records += [case, second_case, case.person, second_case.person]
    # A canary is searched for without its last characters: a page echoing the query (the
    # search box, a ``next=``) shows that prefix, and only the record itself the whole text.
    echo_safe = [text[c.key][:-6] for c in SECRETS]
    names = [case.person.full_name, second_case.person.full_name]
    return World(text=text, records=records, search_terms=[*names, *echo_safe])


# --- seeds ---------------------------------------------------------------------------------


class _Recorder:
    """Hands a matrix row the fixtures it asks for and remembers them: the record behind the
    row's ``pk`` says which model that URL takes."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request
        self.objects: list[object] = []

    def getfixturevalue(self, name: str) -> object:
        value = self._request.getfixturevalue(name)
        self.objects.append(value)
        return value


def _row(name: str, request) -> tuple[str | None, type[Model] | None]:
    """The URL of the name's matrix row, and the model of its ``pk`` when a record gave it."""
    row = ROWS.get(name)
    if row is None:
        return None, None
    recorder = _Recorder(request)
    kwargs = row.kwargs(recorder)
    model = next(
        (type(o) for o in recorder.objects if isinstance(o, Model) and o.pk == kwargs.get("pk")),
        None,
    )
    url = reverse(name, kwargs=kwargs)
    if query := row.query(recorder):
        url = f"{url}?{urlencode(query)}"
    return url, model


def _seed_urls(world: World, request) -> tuple[list[str], list[str]]:
    """(URLs to start from, URL names none of them could be made for). A ``<pk>`` URL is tried
    with every record of its row's model (all made by this test: the planted ones and those the
    matrix rows ask conftest for), or, without a row to say, with every planted record's pk."""
    names = sorted(n for n in iter_url_names() if not n.startswith("admin:"))
    any_pk = sorted(
        {r.pk for r in world.records}
        | {request.getfixturevalue(p).pk for p in CRAWL_PERSONAS if p != "anonymous"}
    )
    seeds: list[str] = []
    unseeded: list[str] = []
    for name in names:
        url, model = _row(name, request)
        urls = [url] if url else []
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            post_only = name in ROWS and ROWS[name].method != "get"  # 405 to any GET
            pks = [] if post_only else _pks_of(model) if model else any_pk
            for pk in pks:
                try:
                    urls.append(reverse(name, kwargs={"pk": pk}))
                except NoReverseMatch:
                    break
        if not urls:
            unseeded.append(name)
        seeds += urls
    for name in ("cases:person_search", "cases:contact_person_picker"):
        seeds += [f"{reverse(name)}?{urlencode({'q': term})}" for term in world.search_terms]
    return seeds, unseeded


def _pks_of(model: type[Model], most: int = 25) -> list[int]:
    return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:most])


def _admin_seeds(world: World, persona: str, request) -> list[str]:
    """Every registered model's list for everyone. For the administrator also each list
    searched for each term, and the change page (whose links lead on to its history, delete
    and password pages) of the records the planted ones point at (their authors, the personas,
    their case type, unit…) and of a few others; and the admin URLs the planted records would
    have if their models were registered (they must not be)."""
    seeds = [reverse("admin:index")]
    if persona != "admin_user":
        return seeds + [reverse(f"{_admin_name(m)}_changelist") for m in admin.site._registry]
    related = _related_records(world, request)
    for model, model_admin in admin.site._registry.items():
        changelist = reverse(f"{_admin_name(model)}_changelist")
        seeds.append(changelist)
        if model_admin.search_fields:  # people are not in the admin: search for the canaries
            terms = world.search_terms[-len(SECRETS) :]
            seeds += [f"{changelist}?{urlencode({'q': t})}" for t in terms]
        pks = {*_pks_of(model, most=3), *related.get(model, ())}
        seeds += [reverse(f"{_admin_name(model)}_change", args=[pk]) for pk in sorted(pks)]
    base = reverse("admin:index")
    for record in world.records:
        opts = record._meta
        seeds.append(f"{base}{opts.app_label}/{opts.model_name}/{record.pk}/change/")
        seeds.append(f"{base}{opts.app_label}/{opts.model_name}/")
    return seeds


def _admin_name(model: type[Model]) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}"


def _related_records(world: World, request) -> dict[type[Model], set]:
    """model → pks of the records the planted ones refer to, and the personas."""
    related: dict[type[Model], set] = {}
    for record in world.records:
        for f in record._meta.concrete_fields:
            if f.is_relation and getattr(record, f.attname) is not None:
                related.setdefault(f.related_model, set()).add(getattr(record, f.attname))
    for name in CRAWL_PERSONAS:
        if name != "anonymous":
            user = request.getfixturevalue(name)
            related.setdefault(type(user), set()).add(user.pk)
    return related


# --- checks --------------------------------------------------------------------------------


@dataclass
class Leak:
    persona: str
    canary: str
    page: Fetched

    def __str__(self) -> str:
        kind = "htmx fragment" if self.page.htmx else "page"
        return (
            f"{self.persona} saw {self.canary} in the {kind} {self.page.url} ({self.page.status})"
        )


def _snippet(body: str, text: str, width: int = 80) -> str:
    at = body.find(text)
    return " ".join(body[max(0, at - width) : at + len(text) + width].split())


def _crawl(persona: str, world: World, as_persona, request) -> tuple[Crawler, list[str]]:
    crawler = Crawler(as_persona(persona), search_terms=world.search_terms, limit=LIMIT)
    seeds, unseeded = _seed_urls(world, request)
    seeds += _admin_seeds(world, persona, request)
    for url in seeds:
        crawler.add(url, bounded=False)
    crawler.run()
    return crawler, unseeded


@pytest.mark.parametrize("persona", CRAWL_PERSONAS)
def test_no_persona_finds_a_canary_it_may_not_see(persona, world, as_persona, request):
    crawler, unseeded = _crawl(persona, world, as_persona, request)
    pages = crawler.fetched
    urls = {page.url for page in pages}

    forbidden = [c for c in CANARIES if persona not in c.may_see]
    leaks = [
        (Leak(persona, canary.key, page), _snippet(page.body, world.text[canary.key]))
        for page in pages
        for canary in forbidden
        if world.text[canary.key] in page.body
    ]
    assert leaks == [], "Canary leak — a persona saw what it may not:\n" + "\n".join(
        f"  {leak}: …{snippet}…" for leak, snippet in leaks
    )

    crashed = [
        f"  {page.url}{' (htmx)' if page.htmx else ''}" for page in pages if page.status >= 500
    ]
    assert crashed == [], (
        f"Pages that crashed as {persona} (a crash hides what the page would show):\n"
        + "\n".join(crashed)
    )

    # Not vacuous: the crawl was large, most of it answered, and found what the persona may see.
    assert unseeded == [], f"URL names the crawl could not build a URL for: {unseeded}"
    assert len(urls) < LIMIT, "The crawl hit its bound: raise LIMIT so that no page is skipped"
    assert len(urls) >= 60, f"The crawl as {persona} reached only {len(urls)} URLs"
    _assert_the_persona_got_pages(persona, pages)
    for canary in CANARIES:
        if persona in canary.must_be_found_by:
            found = [p.url for p in pages if world.text[canary.key] in p.body]
            assert found, f"Positive control: the crawl as {persona} never found {canary.key}"


# 200 answers a crawl must get at least (plain requests): a persona with little to open gets
# its home, account and MFA pages; the administrator the admin's lists and change pages.
LEAST_PAGES = {"anonymous": 1, "partner": 8, "admin_user": 60}


def _assert_the_persona_got_pages(persona: str, pages: list[Fetched]) -> None:
    """Pages, not a wall of redirects (to the sign-in page, or to MFA enrolment if the personas
    ever lose their second factor): a persona must get most of its pages' own answers."""
    plain = [p for p in pages if not p.htmx]
    ok = [p for p in plain if p.status == 200]
    least = LEAST_PAGES.get(persona, 25)
    assert len(ok) >= least, f"Only {len(ok)} pages answered 200 to {persona}"
    if persona == "anonymous":
        return
    sent_away = [p.url for p in plain if p.location.startswith(SIGN_IN_OR_ENROL)]
    assert len(sent_away) < len(plain) / 4, (
        f"{len(sent_away)} of {len(plain)} requests as {persona} were sent to sign in or to "
        f"enrol a second factor, e.g. {sent_away[:3]}: is the persona still signed in?"
    )


# --- positive controls on the pages themselves ------------------------------------------------


def test_the_clinician_on_the_cases_reads_the_protected_and_clinical_canaries(
    world, as_persona, case, second_case
):
    client = as_persona("clinician")
    first = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    second = client.get(reverse("cases:case_detail", args=[second_case.pk])).content.decode()
    assert world.text["clinical"] in first
    assert world.text["protected"] in second


def test_the_supervisor_reads_the_confidential_address(world, as_persona, person):
    response = as_persona("supervisor").get(reverse("cases:person_detail", args=[person.pk]))
    assert world.text["address"] in response.content.decode()


def test_an_officer_reads_the_person_page_without_the_confidential_address(
    world, as_persona, person
):
    response = as_persona("officer").get(reverse("cases:person_detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maria" in html
    assert world.text["address"] not in html
