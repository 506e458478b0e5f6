"""Finding people: the one search box, the duplicate check on create, and duplicate candidates.

One ranking on every database: the database narrows the candidates (on PostgreSQL through the
pg_trgm GIN index on ``Person.search_names``, see :func:`_candidate_sql`; on SQLite, the
zero-setup trial, by reading the folded names of all visible people) and
:func:`cfsj.lib.matching.name_score` ranks them in Python with rapidfuzz. So SQLite and
PostgreSQL put the same people first; PostgreSQL may leave out weak matches that SQLite lists
lower down (a correctly spelt name is not also looked for under its close spellings).

The box understands: names (typos, swapped first/last, nicknames, missing accents), a date of
birth (2009-03-14, 3/14/2009, 3/14/09), an age ("16", "age 16", "Smith 16"), and a phone
number (7+ digits; ten digits must be the whole number).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts import access
from cases.models import CareTeamMember, Person
from cfsj.lib.matching import name_score, query_words
from cfsj.lib.text import digits

MAX_RESULTS = 20
# Candidates the database hands to the Python ranking (PostgreSQL); enough that a common
# surname with a typo still contains the right person.
CANDIDATES = 1000
# Rows a lone loose word (a close spelling or a prefix) may contribute.
LOOSE_ROWS = 1000
# Words of a query that reach the database (the ranking reads them all): each costs one or two
# index scans.
MAX_WORDS = 3
NAME_THRESHOLD = 0.6
# word_similarity threshold for the index-backed candidate filter: low, since the ranking
# that follows is the judge (a transposition, "smtih" ~ "smith", is 0.33 in trigrams).
TRIGRAM_THRESHOLD = 0.3

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_US_DATE = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b")
# An age on its own ("16", "age 16") or beside a name ("Smith 16").
_AGE = re.compile(r"(?:^|\s)(?:age\s*)?(\d{1,3})(?=\s|$)", re.IGNORECASE)
_PHONE = re.compile(r"[\d().\-+ ]{7,}")
_NUMBER_WORD = re.compile(r"(?:^|\s)\S*\d\S*(?=\s|$)")


@dataclass(frozen=True)
class ParsedQuery:
    names: str = ""
    date_of_birth: date | None = None
    age: int | None = None
    phone: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.date_of_birth or self.age is not None or self.phone)


@dataclass
class SearchHit:
    person: Person
    score: float


def parse_query(raw: str) -> ParsedQuery:
    text = " ".join((raw or "").split())[:200]
    born, text = _take_date(text)
    phone = ""
    for match in _PHONE.finditer(text):
        candidate = digits(match.group())
        if len(candidate) >= 7:
            phone = candidate[-10:]
            text = _cut(text, match)
            break
    age = None
    age_match = _AGE.search(text)
    if age_match and int(age_match.group(1)) <= 120:
        age = int(age_match.group(1))
        text = _cut(text, age_match)
    # Any other number cannot be part of a name and would only drag the name score down.
    text = _NUMBER_WORD.sub(" ", text)
    return ParsedQuery(names=" ".join(text.split()), date_of_birth=born, age=age, phone=phone)


def _take_date(text: str) -> tuple[date | None, str]:
    """A date of birth as 2009-03-14, 3/14/2009, 3-14-2009 or 3/14/09 (14/3/2009 when the
    first number cannot be a month), and the text without it."""
    match = _ISO_DATE.search(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _date_or_none(year, month, day), _cut(text, match)
    match = _US_DATE.search(text)
    if match:
        month, _separator, day, year_text = match.groups()
        year = int(year_text)
        if len(year_text) == 2:
            # A two-digit year is a birth year: never in the future.
            this_year = timezone.localdate().year
            year += 2000 if 2000 + year <= this_year else 1900
        first, second = int(month), int(day)
        if first > 12 >= second:
            first, second = second, first
        return _date_or_none(year, first, second), _cut(text, match)
    return None, text


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cut(text: str, match: re.Match) -> str:
    return " ".join((text[: match.start()] + " " + text[match.end() :]).split())


def search_people(user: Any, raw_query: str, *, limit: int = MAX_RESULTS) -> list[SearchHit]:
    """People the user may see, best match first. Merged-away records are left out."""
    query = parse_query(raw_query)
    if query.is_empty:
        return []
    people = access.visible_to(user, Person).filter(merged_into__isnull=True)
    people = _filter_by_facts(people, query)
    words = query_words(query.names)
    if words:
        return _rank_by_name(people, words, limit=limit, threshold=NAME_THRESHOLD)
    if query.names and not _has_facts(query):
        return []  # only punctuation was typed
    ordered = people.order_by(*_fact_order(query), "last_name", "first_name", "pk")
    return [SearchHit(person, 1.0) for person in _load(ordered[:limit])]


def similar_people(
    user: Any,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[SearchHit]:
    """Existing people a new record may duplicate: close names, and a date of birth that agrees
    (or is unknown on one side). Used by the create form's "same person?" question."""
    people = access.visible_to(user, Person).filter(merged_into__isnull=True)
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
    words = query_words(f"{first_name} {last_name}")
    if not words:
        return []
    hits = _rank_by_name(people, words, limit=50, threshold=0.75)
    likely = [hit for hit in hits if _dob_agrees(hit.person.date_of_birth, date_of_birth)]
    return likely[:limit]


def _dob_agrees(existing: date | None, new: date | None) -> bool:
    if existing is None or new is None:
        return True
    if existing == new:
        return True
    # A transposed day and month, or a year off by one, are the usual entry errors.
    if (existing.year, existing.month, existing.day) == (new.year, new.day, new.month):
        return True
    return (existing.month, existing.day) == (new.month, new.day) and abs(
        existing.year - new.year
    ) <= 1


def _has_facts(query: ParsedQuery) -> bool:
    return bool(query.date_of_birth or query.age is not None or query.phone)


def _fact_order(query: ParsedQuery) -> list[Any]:
    """The whole phone number before the people who share only its last seven digits."""
    if not query.phone:
        return []
    exact = Case(When(phone_digits=query.phone, then=Value(0)), default=Value(1))
    return [exact.asc()]


def _filter_by_facts(people: QuerySet, query: ParsedQuery) -> QuerySet:
    if query.date_of_birth:
        people = people.filter(date_of_birth=query.date_of_birth)
    if query.age is not None:
        today = timezone.localdate()
        youngest = _years_before(today, query.age)
        oldest = _years_before(today, query.age + 1) + timedelta(days=1)
        people = people.filter(date_of_birth__range=(oldest, youngest))
    if len(query.phone) == 10:
        # A whole number: that number, or the same local number kept without an area code.
        # Both are equalities, read through the phone_digits index.
        people = people.filter(Q(phone_digits=query.phone) | Q(phone_digits=query.phone[-7:]))
    elif query.phone:
        people = people.filter(phone_digits__endswith=query.phone[-7:])
    return people


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _rank_by_name(
    people: QuerySet, words: list[tuple[str, ...]], *, limit: int, threshold: float
) -> list[SearchHit]:
    candidates = _candidates(people, words)
    scored = []
    cache: dict = {}
    for pk, search_names in candidates:
        score = name_score(words, search_names, cache)
        if score >= threshold:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    top = scored[:limit]
    by_pk = {
        person.pk: person for person in _load(Person.objects.filter(pk__in=[pk for _, pk in top]))
    }
    return [SearchHit(by_pk[pk], score) for score, pk in top if pk in by_pk]


def _candidates(people: QuerySet, words: list[tuple[str, ...]]) -> list[tuple[int, str]]:
    if connection.vendor != "postgresql":
        return list(people.values_list("pk", "search_names"))
    sql, params = _candidate_sql(people, words[:MAX_WORDS])
    with transaction.atomic(), connection.cursor() as cursor:
        # Local to this transaction (or to the request's, when one is open). The planner prices
        # the trigram operators as cheap and, left alone, may read the whole table evaluating
        # them row by row (1.4 s on 200,000 people); without sequential scans each arm below is
        # read through the GIN index (docs/performance.md).
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true),"
            " set_config('pg_trgm.strict_word_similarity_threshold', '1', true),"
            " set_config('enable_seqscan', 'off', true)",
            [str(TRIGRAM_THRESHOLD)],
        )
        cursor.execute(sql, params)
        return cursor.fetchall()


def _candidate_sql(people: QuerySet, words: list[tuple[str, ...]]) -> tuple[str, list[Any]]:
    """One statement; the people with the highest total weight go to the Python ranking.

    For each word *i* of the query:

    * ``exact_i``: the people with one of its forms as a whole name token (weight 2);
    * when no one has word *i* as a name token (a typo, or a word still being typed):
      - ``loose_i``: the people whose names come close to it: a close spelling for four
        letters or more, a prefix for three (weight 1; at most LOOSE_ROWS, since "mar" begins
        an eighth of all names);
      - when ``loose_i`` was cut short, the people of the other words' ``exact_j`` whose names
        come close to it (weight 1): "Jon Smyth" reads the Jons, Johns and Jonathans and keeps
        the Smith-like ones.

    A word found exactly is trusted: its close spellings are not looked for. Every arm reads
    ``people`` (visible, not merged, and the query's facts: age, date of birth, phone), so a
    fact narrows the candidates before they are cut to CANDIDATES.

    The SQL is assembled from compiled ORM querysets, whose values stay parameters, and from
    names and integers of this function only (hence the S608 exemptions).
    """
    # The common table expressions come first in the statement, the arms after: two lists of
    # parameters, in the order of their placeholders.
    ctes: list[str] = []
    cte_params: list[Any] = []
    arms: list[str] = []
    arm_params: list[Any] = []
    for i, word in enumerate(words):
        sql, exact_params = _exact_sql(people, word)
        ctes.append(f"exact_{i:d} AS MATERIALIZED ({sql})")
        cte_params.extend(exact_params)
    for i, word in enumerate(words):
        arms.append(f"SELECT id, 2 AS weight FROM exact_{i:d}")  # noqa: S608
        operator, value = _loose(word[0])
        if not operator:
            continue
        # Only when word i is not a name token; the loose arm's query runs only then.
        missing = f"NOT EXISTS (SELECT 1 FROM exact_{i:d})"  # noqa: S608
        lookup = "trigram_word_similar" if operator == "%%>" else "regex"
        loose = people.filter(**{f"search_names__{lookup}": value}).order_by().values_list("id")
        sql, loose_params = loose[:LOOSE_ROWS].query.sql_with_params()
        loose_sql = f"SELECT id FROM ({sql}) AS l WHERE {missing}"  # noqa: S608
        ctes.append(f"loose_{i:d} AS MATERIALIZED ({loose_sql})")
        cte_params.extend(loose_params)
        arms.append(f"SELECT id, 1 FROM loose_{i:d}")  # noqa: S608
        # The other words' people, when the loose arm was cut short and may have missed them.
        full = f"(SELECT COUNT(*) FROM loose_{i:d}) >= {LOOSE_ROWS:d}"  # noqa: S608
        for j in range(len(words)):
            if j != i:
                close = f"SELECT id, 1 FROM exact_{j:d} WHERE search_names {operator} %s"  # noqa: S608
                arms.append(f"{close} AND {full}")
                arm_params.append(value)
    union = " UNION ALL ".join(f"({arm})" for arm in arms)
    sql = (
        f"WITH {', '.join(ctes)} "  # noqa: S608
        "SELECT person.id, person.search_names FROM cases_person AS person JOIN ("
        f" SELECT id, SUM(weight) AS weight FROM ({union}) AS arms"
        " GROUP BY id ORDER BY SUM(weight) DESC, id LIMIT %s"
        ") AS best ON best.id = person.id"
    )
    return sql, [*cte_params, *arm_params, CANDIDATES]


def _exact_sql(people: QuerySet, word: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
    """The people with one of the word's forms as a whole name token. A regular expression
    finds long forms through the index; for a form of three letters or fewer, whose regular
    expression gives the index one trigram at most ("mar": 26,000 rows to recheck among
    200,000), strict word similarity of 1 uses the word-boundary trigrams too."""
    short = [form for form in word if len(form) <= 3]
    long = [form for form in word if len(form) > 3]
    parts = [people.filter(search_names__trigram_strict_word_similar=form) for form in short]
    if long:
        forms = "|".join(re.escape(form) for form in long)
        parts.append(people.filter(search_names__regex=f"(^| )({forms})( |$)"))
    columns = [part.order_by().values_list("id", "search_names") for part in parts]
    union = columns[0].union(*columns[1:]) if len(columns) > 1 else columns[0]
    return union.query.sql_with_params()


def _loose(typed: str) -> tuple[str, str]:
    """(SQL operator, value) for names close to a typed word: a close spelling (word
    similarity) for four letters or more, a prefix for three; nothing for shorter words."""
    if len(typed) >= 4:
        return "%%>", typed
    if len(typed) == 3:
        return "~", f"(^| ){re.escape(typed)}"
    return "", ""


def _load(queryset: QuerySet) -> list[Person]:
    """People with what a result row shows, in three queries: the people, their flags, their
    current care team with its users (as ``person.current_team``)."""
    current_team = CareTeamMember.objects.filter(ended_on__isnull=True).select_related("user")
    return list(
        queryset.prefetch_related(
            "flags", Prefetch("care_team", queryset=current_team, to_attr="current_team")
        )
    )


def parse_date(value: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
