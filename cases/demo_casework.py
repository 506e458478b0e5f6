"""The demo city's casework (issue 4): cases in the three units with their status history,
notes at every confidentiality level, tasks, consultations and screening assessments.

``manage.py seed_demo`` calls :func:`create_demo_casework` after :func:`cases.demo.
create_demo_people`, in the same transaction. Cases, transitions, notes and consultations go
through the real services (cases.casework, cases.consultations), so the demo obeys the same
rules as the application: an intern's note waits for the clinician's co-signature, a Clinical
Support case is closed by a supervisor, a case's worker joins the person's care team. The
services date things "now"; the dates are then moved into the past, without a history row.
Everything comes from one ``random.Random(rng_seed)``, so the same city gives the same work.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Unit, User
from cases import casework, consultations, scoring
from cases.models import (
    Assessment,
    Case,
    CaseType,
    ClosureOutcome,
    Consultation,
    Contact,
    InstrumentVersion,
    Note,
    Person,
    Task,
)

SEED = 20_261_204
CASES = 120
S = Case.Status

# unit → (worker username, weight); the clinician holds most Clinical Support cases.
WORKERS = {
    "clinical-support": (("clinician", 6), ("cl.nguyen", 2), ("cl.haddad", 2)),
    "family-justice": (("supervisor", 2), ("sw.garcia", 3), ("sw.obrien", 3)),
    "social-justice": (("supervisor", 2), ("sw.mendes", 3), ("sw.kim", 3)),
}
# Four in ten cases are the Clinical Support Unit's, three in ten each of the other units'.
UNIT_CYCLE = ("clinical-support",) * 4 + ("family-justice",) * 3 + ("social-justice",) * 3
# Who each unit works with (population flags), and the case type a flag suggests.
UNIT_FLAGS = {
    "clinical-support": ("mental-health", "substance-use"),
    "family-justice": ("juvenile", "dv-sa-survivor"),
    "social-justice": ("homeless", "senior-care", "substance-use", "mental-health"),
}
FLAG_CASE_TYPE = {
    "substance-use": "substance-use",
    "mental-health": "mental-health",
    "juvenile": "youth-support",
    "dv-sa-survivor": "domestic-violence",
    "homeless": "homelessness",
    "senior-care": "senior-care",
}
UNIT_DEFAULT_TYPE = {
    "clinical-support": "mental-health",
    "family-justice": "family-support",
    "social-justice": "homelessness",
}
# Where the demo cases are in their lifecycle (a few closed cases were reopened).
STATUS_WEIGHTS = (
    (S.REFERRED, 10),
    (S.OPEN, 14),
    (S.ACTIVE, 42),
    (S.CLOSING, 10),
    (S.CLOSED, 20),
    ("reopened", 4),
)
PATHS = {
    S.REFERRED: (),
    S.OPEN: (S.OPEN,),
    S.ACTIVE: (S.OPEN, S.ACTIVE),
    S.CLOSING: (S.OPEN, S.ACTIVE, S.CLOSING),
    S.CLOSED: (S.OPEN, S.ACTIVE, S.CLOSING, S.CLOSED),
    "reopened": (S.OPEN, S.ACTIVE, S.CLOSING, S.CLOSED, S.OPEN, S.ACTIVE),
}
TRANSITION_REASONS = {
    S.OPEN: ("Referral accepted after screening.", "First meeting held; consent signed."),
    S.ACTIVE: ("Plan agreed with the person.", "Engaged with weekly sessions."),
    S.CLOSING: ("Goals largely met; preparing closure.", "Person declined further contact."),
    S.CLOSED: ("Closure reviewed and approved.", "Closing summary complete."),
}
REASONS = {
    "mental-health": (
        "Repeated crisis calls; no current outpatient provider.",
        "Transported for evaluation twice this quarter; family asks for support.",
    ),
    "substance-use": (
        "Opioid use; interested in treatment after an overdose reversal.",
        "Alcohol use affecting housing; asked for detox options.",
    ),
    "youth-support": (
        "School refusal and conflict at home.",
        "Diverted after a shoplifting incident; needs an after-school plan.",
    ),
    "domestic-violence": (
        "LAP screened in; safety planning and advocacy.",
        "Protective order in place; support with court dates.",
    ),
    "homelessness": (
        "Sleeping outside in the Square; wants a shelter bed.",
        "Recently evicted; staying with friends.",
    ),
    "senior-care": (
        "Caregiver overwhelmed; missed medical appointments.",
        "Wandering episodes reported by neighbours.",
    ),
    "family-support": (
        "Family under strain after a parent's job loss.",
        "Sibling conflict and truancy; parents ask for help.",
    ),
}
NOTES = {
    Note.Level.GENERAL: (
        "Phoned {name}; agreed to meet at the station on Thursday.",
        "Left a message for {name}; will try again next week.",
        "Met {name} with a family member; reviewed the plan together.",
        "Confirmed transport to the appointment.",
    ),
    Note.Level.CLINICAL: (
        "Mood low but stable; denies current intent. Safety plan reviewed.",
        "Reports better sleep since starting medication; continue weekly check-ins.",
        "Anxious about court; practised grounding techniques.",
    ),
    Note.Level.PROTECTED: (
        "Attending the outpatient programme three times a week; urine screens negative.",
        "Relapse reported last weekend; re-engaged with the counsellor.",
    ),
}
TASKS = (
    "Call back about the appointment",
    "Send the referral paperwork",
    "Check in after the court date",
    "Home visit with the family",
    "Review the safety plan",
    "Confirm school attendance with the counsellor",
)
QUESTIONS = (
    "Is anyone from the CSU working with {name}? Family worried about recent behaviour.",
    "{name} asked for help with drinking. What can we offer tonight?",
    "Third welfare check this month for {name}. Should a clinician follow up?",
    "{name} talked about not wanting to be here any more. Please advise.",
)
ANSWERS = (
    "We know {name}; the assigned clinician will call them tomorrow.",
    "Not known to us. We will reach out this week and let you know.",
    "Please bring {name} to the walk-in clinic; we have told them to expect you.",
)


def create_demo_casework(
    users: dict[str, User], *, rng_seed: int = SEED, cases: int = CASES
) -> dict[str, int]:
    """Make about ``cases`` cases and the work around them. Returns counts per kind."""
    work = _Casework(users, random.Random(rng_seed))  # noqa: S311 — not security
    work.open_cases(cases)
    work.consultations_from_contacts()
    work.direct_consultations()
    work.assessments()
    return {
        "cases": Case.objects.count(),
        "notes": Note.objects.count(),
        "tasks": Task.objects.count(),
        "consultations": Consultation.objects.count(),
        "assessments": Assessment.objects.count(),
    }


class _Casework:
    def __init__(self, users: dict[str, User], rng: random.Random) -> None:
        self.users = users
        self.rng = rng
        self.today = timezone.localdate()
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.types = {t.code: t for t in CaseType.objects.all()}
        self.outcomes = list(ClosureOutcome.objects.order_by("position"))
        self.people = list(
            Person.objects.filter(merged_into__isnull=True).prefetch_related("flags").order_by("pk")
        )
        self.flags = {
            person.pk: {flag.code for flag in person.flags.all()} for person in self.people
        }
        self.cases: list[Case] = []
        # So that even a small demo city shows every state: the first cases take each status
        # in turn, and the first of a kind is forced where chance might skip it.
        # The first (a substance-use case) is active, so that it holds notes at every level.
        self.statuses = [S.ACTIVE, S.REFERRED, S.OPEN, S.CLOSING, S.CLOSED, "reopened"]
        self.pending_notes = 0
        self.overdue_tasks = 0

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options):
        return self.rng.choice(options)

    def weighted(self, pairs):
        return self.rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]

    # --- cases ---------------------------------------------------------------------------

    def open_cases(self, target: int) -> None:
        taken: dict[str, set[int]] = {code: set() for code in WORKERS}
        for index in range(target):
            unit_code = UNIT_CYCLE[index % len(UNIT_CYCLE)]
            person = self.person_for(unit_code, taken[unit_code], substance=index == 0)
            if person is None:
                continue
            taken[unit_code].add(person.pk)
            self.open_case(unit_code, person, force_substance=index == 0)

    def person_for(self, unit_code: str, taken: set[int], *, substance: bool) -> Person | None:
        wanted = ("substance-use",) if substance else UNIT_FLAGS[unit_code]
        free = [p for p in self.people if p.pk not in taken]
        matching = [p for p in free if self.flags[p.pk] & set(wanted)]
        pool = matching or free
        return self.pick(pool) if pool else None

    def open_case(self, unit_code: str, person: Person, *, force_substance: bool) -> None:
        flags = self.flags[person.pk]
        type_code = next(
            (FLAG_CASE_TYPE[f] for f in UNIT_FLAGS[unit_code] if f in flags),
            UNIT_DEFAULT_TYPE[unit_code],
        )
        if force_substance:
            type_code = "substance-use"
        worker = self.users[self.weighted(WORKERS[unit_code])]
        team = []
        if worker.username == "clinician" and (self.chance(0.5) or not self.pending_notes):
            team.append(self.users["intern"])
        status = self.statuses.pop(0) if self.statuses else self.weighted(STATUS_WEIGHTS)
        opened_on = self.today - timedelta(days=self.rng.randint(20, 700))
        path = PATHS[status]
        case = casework.case_open(
            actor=self.users["supervisor"],
            unit=self.units[unit_code],
            case_type=self.types[type_code],
            reason=self.pick(REASONS[type_code]),
            person=person,
            risk=self.weighted(((Case.Risk.LOW, 4), (Case.Risk.MODERATE, 4), (Case.Risk.HIGH, 2))),
            assigned_to=worker,
            team=team,
            status=S.REFERRED if status == S.REFERRED or self.chance(0.5) else S.OPEN,
            opened_on=opened_on,
        )
        if case.status == S.OPEN:
            path = path[1:]
        for to_status in path:
            closing = to_status == S.CLOSED and case.unit.closure_needs_approval
            case = casework.case_transition(
                actor=self.users["supervisor"] if closing else worker,
                case=case,
                to_status=to_status,
                reason=self.pick(TRANSITION_REASONS[to_status]),
                closure_outcome=self.pick(self.outcomes) if to_status == S.CLOSING else None,
            )
        moments = self.backdate_history(case, opened_on)
        if case.status != S.REFERRED:
            self.notes(case, worker, team, moments)
            self.tasks(case, worker, moments)
        self.cases.append(case)

    def backdate_history(self, case: Case, opened_on: date) -> list[datetime]:
        """Spread the status changes between the opening day and today."""
        changes = list(case.status_changes.order_by("pk"))
        start = _at(opened_on, 9)
        span = (timezone.now() - start).total_seconds()
        moments = sorted(
            start + timedelta(seconds=span * (i / len(changes)) * self.rng.uniform(0.6, 0.95))
            for i in range(len(changes))
        )
        for change, moment in zip(changes, moments, strict=True):
            change.at = moment
            change.save()
        case.created_at = start
        if case.status == S.CLOSED:
            case.closed_on = timezone.localtime(moments[-1]).date()
        case.save_without_historical_record()
        return moments

    def notes(self, case: Case, worker: User, team: list, moments: list[datetime]) -> None:
        levels = [Note.Level.GENERAL]
        if case.unit.is_clinical or worker.username.startswith("sw."):
            levels.append(Note.Level.CLINICAL)
        if case.case_type.code == "substance-use":
            levels.append(Note.Level.PROTECTED)
        first = moments[1] if len(moments) > 1 else moments[0]
        last = moments[-1] if case.status in (S.CLOSED, S.CLOSING) else timezone.now()
        count = self.rng.randint(len(levels), 5)
        for n in range(count):
            # The first notes cover every level the case may hold, then chance decides.
            level = levels[n] if n < len(levels) else self.pick(levels)
            self.note(case, worker, level, _between(first, last, (n + 1) / (count + 1)))
        for intern in team:
            count = self.rng.randint(1, 3)
            for n in range(count):
                when = _between(first, last, self.rng.uniform(0.3, 0.95))
                level = self.pick((Note.Level.GENERAL, Note.Level.CLINICAL))
                note = self.note(case, intern, level, when)
                # Co-signed by the supervising clinician; an open case's latest one may wait.
                waits = self.chance(0.5) or not self.pending_notes
                if n == count - 1 and not case.is_closed and waits:
                    self.pending_notes += 1
                    continue
                note = casework.note_cosign(actor=intern.supervising_clinician, note=note)
                later = when + timedelta(hours=self.rng.randint(2, 48))
                note.cosigned_at = note.signed_at = min(later, timezone.now())
                note.save_without_historical_record()

    def note(self, case: Case, author: User, level: str, when: datetime) -> Note:
        text = self.pick(NOTES[level]).format(name=case.person.first_name)
        note = casework.note_add(actor=author, case=case, level=level, text=text)
        note.created_at = when
        if note.signed_at is not None:
            note.signed_at = when
        note.save_without_historical_record()
        return note

    def tasks(self, case: Case, worker: User, moments: list[datetime]) -> None:
        finished = case.status in (S.CLOSED, S.CLOSING)
        for _n in range(self.rng.randint(0 if self.overdue_tasks else 1, 3)):
            created = _between(moments[0], timezone.now(), self.rng.uniform(0.2, 0.9))
            due = timezone.localtime(created).date() + timedelta(days=self.rng.randint(3, 30))
            if not (finished or self.overdue_tasks):  # the city's first open task is overdue
                due = self.today - timedelta(days=self.rng.randint(1, 10))
                created = min(created, _at(due - timedelta(days=7), 9))
                done = False
            else:
                done = finished or (due < self.today and self.chance(0.6)) or self.chance(0.2)
            if not done and due < self.today:
                self.overdue_tasks += 1
            done_at = min(_at(due, 15), timezone.now()) if done else None
            Task.objects.create(
                title=self.pick(TASKS),
                due_on=due,
                assignee=worker,
                case=case,
                urgent=self.chance(0.15),
                done_at=done_at,
                done_by=worker if done else None,
                created_at=created,
                created_by=worker,
            )

    # --- consultations -------------------------------------------------------------------

    def consultations_from_contacts(self) -> None:
        """The contacts whose author ticked "request a consultation" asked for one; all but
        the last few days' are answered by now."""
        ticked = Contact.objects.filter(
            status=Contact.Status.FINAL, consultation_requested=True
        ).select_related("author")
        for contact in ticked.order_by("occurred_at", "pk"):
            consultation = consultations.consultation_from_contact(
                actor=contact.author, contact=contact
            )
            if consultation is None:
                continue
            recent = timezone.now() - contact.occurred_at < timedelta(days=3)
            self.work_on(consultation, contact.occurred_at, answer=not recent)

    def direct_consultations(self) -> None:
        """Requests from person pages: a few waiting (urgent ones too), a few taken, a few
        answered, and some of those answered opened a Clinical Support case."""
        officer = self.users["officer"]
        people = [p for p in self.people if self.flags[p.pk] & {"mental-health", "substance-use"}]
        people = people or self.people
        plan = ["open", "open", "open", "taken", "taken", "answered", "answered", "case", "case"]
        for n, state in enumerate(plan):
            person = self.pick(people)
            asked_at = timezone.now() - timedelta(
                hours=self.rng.randint(1, 20) if state in ("open", "taken") else 24 * (n + 2)
            )
            urgency = (
                Consultation.Urgency.EMERGENCY
                if n == 0
                else Consultation.Urgency.URGENT
                if n in (1, 3)
                else Consultation.Urgency.ROUTINE
            )
            consultation = consultations.consultation_request(
                actor=officer,
                person=person,
                question=self.pick(QUESTIONS).format(name=person.first_name),
                urgency=urgency,
            )
            self.work_on(
                consultation,
                asked_at,
                take=state != "open",
                answer=state in ("answered", "case"),
                open_case=state == "case",
            )

    def work_on(
        self,
        consultation: Consultation,
        asked_at: datetime,
        *,
        take: bool = True,
        answer: bool = True,
        open_case: bool = False,
    ) -> None:
        clinician = self.users[self.weighted(WORKERS["clinical-support"])]
        consultation.created_at = asked_at
        consultation.save_without_historical_record()
        if take:
            consultation = consultations.consultation_take(
                actor=clinician, consultation=consultation
            )
        if answer:
            name = consultation.person.first_name
            consultation = consultations.consultation_answer(
                actor=clinician,
                consultation=consultation,
                answer=self.pick(ANSWERS).format(name=name),
            )
            consultation.answered_at = asked_at + timedelta(hours=self.rng.randint(1, 30))
            consultation.answered_at = min(consultation.answered_at, timezone.now())
            consultation.save_without_historical_record()
        if open_case:
            case = consultations.consultation_open_case(
                actor=clinician,
                consultation=consultation,
                unit=self.units["clinical-support"],
                case_type=self.types["mental-health"],
                reason=consultation.question,
                risk=Case.Risk.MODERATE,
            )
            self.cases.append(case)

    # --- assessments ---------------------------------------------------------------------

    def assessments(self) -> None:
        """LAP screens by the officer on scene with survivors; C-SSRS screeners by the
        clinician on mental-health cases. Scored by the instrument version's own rule."""
        lap = _latest_version("lap")
        cssrs = _latest_version("cssrs-screener")
        survivors = [p for p in self.people if "dv-sa-survivor" in self.flags[p.pk]]
        survivors = survivors or self.people[:3]
        for person in survivors[: max(3, len(survivors) // 3)]:
            answers = (("yes", 3), ("no", 5), ("not_answered", 1))
            raw = {f"q{n}": self.weighted(answers) for n in range(1, 12)}
            raw["officer_belief"] = self.chance(0.3)
            raw["spoke_with_hotline"] = self.pick(("yes", "no"))
            when = timezone.now() - timedelta(days=self.rng.randint(1, 600))
            self.assess(lap, person, None, self.users["officer"], raw, when)
        clinical = [c for c in self.cases if c.unit.is_clinical]
        mental_health = [c for c in clinical if c.case_type.code == "mental-health"] or clinical
        for case in mental_health[: max(3, len(mental_health) // 2)]:
            raw = {qid: self.weighted((("yes", 1), ("no", 2))) for qid in ("q1", "q2", "q6")}
            raw.update({qid: self.weighted((("yes", 1), ("no", 3))) for qid in ("q3", "q4", "q5")})
            raw["q6_recent"] = self.pick(("yes", "no"))
            when = _between(case.created_at, timezone.now(), self.rng.uniform(0.05, 0.5))
            self.assess(cssrs, case.person, case, case.assigned_to, raw, when)

    def assess(
        self,
        version: InstrumentVersion,
        person: Person,
        case: Case | None,
        by: User,
        raw: dict,
        when: datetime,
    ) -> Assessment:
        answers = scoring.clean_answers(version.definition, raw)
        result = scoring.score(version.definition, answers)
        return Assessment.objects.create(
            person=person,
            case=case,
            instrument_version=version,
            answers=answers,
            result_code=result.code,
            result_label=result.label,
            result_details=result.details,
            performed_by=by,
            performed_at=when,
        )


def _latest_version(code: str) -> InstrumentVersion:
    return InstrumentVersion.objects.filter(instrument__code=code).order_by("-loaded_at").first()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _between(start: datetime, end: datetime, fraction: float) -> datetime:
    return start + (end - start) * fraction
