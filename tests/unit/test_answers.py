"""Whole answers kept per generation: least recently used dropped first, failures never kept."""

from __future__ import annotations

import pytest

from search_api.core.answers import Answers, NoAnswers


def test_a_kept_answer_is_served_until_the_least_recently_used_is_dropped():
    answers = Answers(limit=2)
    computed: list[str] = []

    def compute(name: str):
        return lambda: computed.append(name) or name.upper()

    assert answers.kept("a", compute("a")) == "A"
    assert answers.kept("b", compute("b")) == "B"
    assert answers.kept("a", compute("a")) == "A"  # served: "a" is now the most recently used
    assert answers.kept("c", compute("c")) == "C"  # drops "b"
    assert answers.kept("a", compute("a")) == "A"
    assert answers.kept("b", compute("b")) == "B"  # computed again
    assert computed == ["a", "b", "c", "b"] and len(answers) == 2


def test_a_failure_is_not_kept_and_nothing_is_kept_where_records_may_change_unseen():
    answers = Answers(limit=4)

    def fails():
        raise KeyError("no-such-record")

    with pytest.raises(KeyError):
        answers.kept("x", fails)
    assert answers.kept("x", lambda: 1) == 1
    throwaway = NoAnswers()
    assert throwaway.kept("x", lambda: 1) == 1 and throwaway.kept("x", lambda: 2) == 2 and len(throwaway) == 0


def test_an_answer_kept_as_json_comes_back_equal_but_not_the_same_object():
    from pydantic import TypeAdapter

    from models.schemas import Scores

    answers = Answers(limit=2)
    adapter = TypeAdapter(list[Scores])
    first = answers.kept("k", lambda: [Scores(keyword=1.5, fused=0.25)], adapter)
    again = answers.kept("k", lambda: [], adapter)
    assert again == first and again is not first
