import json
from pathlib import Path

import pytest

from cases.scoring import AnswerError, clean_answers, score

INSTRUMENTS = Path(__file__).resolve().parents[2] / "cases" / "instruments"
LAP = json.loads((INSTRUMENTS / "lap-1.json").read_text())
CSSRS = json.loads((INSTRUMENTS / "cssrs-screener-1.json").read_text())


def lap(**yes):
    answers = {f"q{n}": "no" for n in range(1, 12)}
    answers.update({key: value for key, value in yes.items()})
    return score(LAP, clean_answers(LAP, answers))


@pytest.mark.parametrize("question", ["q1", "q2", "q3"])
def test_lap_any_yes_to_questions_1_to_3_screens_in_by_protocol(question):
    result = lap(**{question: "yes"})
    assert result.code == "screened_in_protocol"
    assert result.details["path"] == "protocol_q1_q3"


def test_lap_three_yes_among_4_to_11_does_not_screen_in():
    result = lap(q4="yes", q5="yes", q11="yes")
    assert result.code == "not_screened_in"
    assert result.details["other_yes_count"] == 3


def test_lap_four_yes_among_4_to_11_screens_in_by_protocol():
    result = lap(q4="yes", q5="yes", q6="yes", q11="yes")
    assert result.code == "screened_in_protocol"
    assert result.details["path"] == "protocol_q4_q11"


def test_lap_not_answered_does_not_count_as_yes():
    result = lap(q4="yes", q5="yes", q6="yes", q7="not_answered")
    assert result.code == "not_screened_in"


def test_lap_the_officer_may_screen_in_on_belief():
    result = lap(q4="yes", officer_belief="on")
    assert result.code == "screened_in_belief"
    assert result.details["path"] == "officer_belief"


def test_lap_a_victim_who_answered_nothing_can_be_screened_in_on_belief():
    answers = {f"q{n}": "not_answered" for n in range(1, 12)}
    answers.update(did_not_answer="on", officer_belief="on")
    assert score(LAP, clean_answers(LAP, answers)).code == "screened_in_belief"


def test_lap_protocol_wins_over_belief_and_records_the_hotline_answer():
    result = lap(q2="yes", officer_belief="on", spoke_with_hotline="yes")
    assert result.details["path"] == "protocol_q1_q3"
    assert result.details["spoke_with_hotline"] == "yes"


def test_lap_missing_answers_are_refused_by_question():
    with pytest.raises(AnswerError) as error:
        clean_answers(LAP, {"q1": "yes"})
    assert set(error.value.errors) == {f"q{n}" for n in range(2, 12)}


def test_lap_answers_of_the_wrong_type_are_refused():
    answers = {f"q{n}": "no" for n in range(1, 12)}
    answers["q4"] = "maybe"
    answers["worries"] = 42
    with pytest.raises(AnswerError) as error:
        clean_answers(LAP, answers)
    assert set(error.value.errors) == {"q4", "worries"}


def cssrs(**answers):
    base = {"q1": "no", "q2": "no", "q6": "no"}
    base.update(answers)
    return score(CSSRS, clean_answers(CSSRS, base))


def test_cssrs_wish_to_be_dead_only_is_low():
    assert cssrs(q1="yes").code == "low"


def test_cssrs_thoughts_with_method_is_moderate():
    assert cssrs(q2="yes", q3="yes", q4="no", q5="no").code == "moderate"


@pytest.mark.parametrize("item", ["q4", "q5"])
def test_cssrs_intent_or_plan_is_high_and_urgent(item):
    answers = {"q2": "yes", "q3": "no", "q4": "no", "q5": "no", item: "yes"}
    result = cssrs(**answers)
    assert (result.code, result.urgent) == ("high", True)


def test_cssrs_behaviour_longer_ago_is_moderate_and_recent_is_high():
    assert cssrs(q6="yes", q6_recent="no").code == "moderate"
    assert cssrs(q6="yes", q6_recent="yes").code == "high"


def test_cssrs_questions_3_to_5_are_not_asked_when_2_is_no():
    answers = clean_answers(CSSRS, {"q1": "yes", "q2": "no", "q4": "yes", "q6": "no"})
    assert "q4" not in answers
    assert score(CSSRS, answers).code == "low"


def test_cssrs_questions_3_to_5_are_required_when_2_is_yes():
    with pytest.raises(AnswerError) as error:
        clean_answers(CSSRS, {"q1": "no", "q2": "yes", "q6": "no"})
    assert set(error.value.errors) == {"q3", "q4", "q5"}


def test_cssrs_nothing_endorsed_is_no_risk():
    assert cssrs().code == "none"
