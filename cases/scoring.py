"""Screening instruments: answer validation and scoring rules. Pure functions over an
instrument version's *definition* (the JSON data file it was loaded from), so an answer set is
always scored by the rule and questions of its own version, never by a later one.

A definition names its rule in ``"scoring"``; :data:`RULES` maps that name to a function. A new
instrument version may reuse a rule; a new rule is a new name, so old versions keep theirs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

YES, NO, NOT_ANSWERED = "yes", "no", "not_answered"
ANSWER_VALUES = {
    "yes_no": {YES, NO},
    "yes_no_na": {YES, NO, NOT_ANSWERED},
}


class AnswerError(ValueError):
    """Answers that do not fit the definition: ``errors`` maps question ids to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Result:
    code: str  # the fixed meaning the code relies on ("screened_in", "high", ...)
    label: str  # what people read
    details: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False  # an urgent follow-up task is created (cases.services)


def asked(question: dict, answers: dict) -> bool:
    """Skip logic: a question with ``asked_if`` is asked only when those answers were given."""
    return all(answers.get(qid) == value for qid, value in question.get("asked_if", {}).items())


def clean_answers(definition: dict, raw: dict) -> dict:
    """Answers keyed by question id, typed and complete, or :class:`AnswerError`."""
    errors: dict[str, str] = {}
    answers: dict[str, Any] = {}
    for question in definition["questions"]:
        qid, kind = question["id"], question["type"]
        value = raw.get(qid)
        if not asked(question, {**raw, **answers}):
            continue
        required = question.get("required", True)
        if kind in ANSWER_VALUES:
            if value in (None, ""):
                if required:
                    errors[qid] = str(_("An answer is required."))
                continue
            if value not in ANSWER_VALUES[kind]:
                errors[qid] = str(_("Not one of the allowed answers."))
                continue
            answers[qid] = value
        elif kind == "boolean":
            if value not in (None, "", True, False, "true", "false", "on"):
                errors[qid] = str(_("Not a yes/no value."))
                continue
            answers[qid] = value in (True, "true", "on")
        elif kind == "text":
            if value is not None and not isinstance(value, str):
                errors[qid] = str(_("Not text."))
                continue
            text = (value or "").strip()
            if len(text) > 2000:
                errors[qid] = str(_("At most 2,000 characters."))
                continue
            answers[qid] = text
        else:
            errors[qid] = f"unknown question type {kind!r}"
    if errors:
        raise AnswerError(errors)
    return answers


def score(definition: dict, answers: dict) -> Result:
    return RULES[definition["scoring"]](answers)


# --- rules ------------------------------------------------------------------------------------


def lap_screen(answers: dict) -> Result:
    """Screened in when any of Q1–Q3 is Yes ("protocol", high-danger questions); else when four
    or more of Q4–Q11 are Yes ("protocol", count); else the officer may screen in on belief."""
    high_danger = [q for q in ("q1", "q2", "q3") if answers.get(q) == YES]
    other_yes = [q for q in (f"q{n}" for n in range(4, 12)) if answers.get(q) == YES]
    details: dict[str, Any] = {
        "high_danger_yes": high_danger,
        "other_yes_count": len(other_yes),
        "spoke_with_hotline": answers.get("spoke_with_hotline"),
    }
    if high_danger:
        details["path"] = "protocol_q1_q3"
    elif len(other_yes) >= 4:
        details["path"] = "protocol_q4_q11"
    elif answers.get("officer_belief"):
        details["path"] = "officer_belief"
        return Result("screened_in_belief", str(_("Screened in: officer's belief")), details)
    else:
        details["path"] = "none"
        return Result("not_screened_in", str(_("Did not screen in")), details)
    return Result("screened_in_protocol", str(_("Screened in according to the protocol")), details)


def cssrs_screener_triage(answers: dict) -> Result:
    """No total score: the highest endorsed item decides. High: Yes to 4 or 5, or to 6 within
    three months. Moderate: Yes to 3, or to 6 longer ago. Low: Yes to 1 or 2 only."""
    yes = {qid for qid, value in answers.items() if value == YES}
    behaviour_recent = "q6" in yes and answers.get("q6_recent") == YES
    if {"q4", "q5"} & yes or behaviour_recent:
        return Result(
            "high",
            str(_("High risk: immediate behavioural-health evaluation")),
            {"endorsed": sorted(yes)},
            urgent=True,
        )
    if "q3" in yes or "q6" in yes:
        return Result(
            "moderate", str(_("Moderate risk: further evaluation")), {"endorsed": sorted(yes)}
        )
    if {"q1", "q2"} & yes:
        return Result("low", str(_("Low risk: further evaluation")), {"endorsed": sorted(yes)})
    return Result("none", str(_("No risk indicated")), {"endorsed": []})


RULES: dict[str, Callable[[dict], Result]] = {
    "lap_screen": lap_screen,
    "cssrs_screener_triage": cssrs_screener_triage,
}
