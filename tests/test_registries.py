"""The tables of models and judges, judge ids, and settings typed by their hints."""

from __future__ import annotations

from typing import Literal

import pytest

from benchmark.coerce import CoercionError, coerce, parameter_hints
from benchmark.errors import UsageError
from benchmark.models import MODELS, Model, load_model, model_class
from benchmark.scorers import DEFAULT_SBERT, JUDGES, JudgeSpec, load_judge


def test_every_model_of_the_table_is_a_model_class():
    for name in MODELS:
        cls = model_class(name)
        assert issubclass(cls, Model), name


def test_model_arguments_are_typed_by_the_constructor():
    model = load_model("random", {"p_refuse": "0.25", "seed": "7"})
    assert (model.p_refuse, model.seed) == (0.25, 7)
    with pytest.raises(UsageError, match=r"argument seed='x' must be int"):
        load_model("random", {"seed": "x"})
    with pytest.raises(UsageError, match=r"takes no argument 'temp'.*p_refuse, seed"):
        load_model("random", {"temp": "1"})
    with pytest.raises(UsageError, match="unknown model 'gpt9'"):
        load_model("gpt9")


def test_a_missing_required_argument_says_how_to_give_it():
    with pytest.raises(
        UsageError, match=r"model 'replay' needs the argument 'path': --model-args path="
    ):
        load_model("replay")


@pytest.mark.parametrize(
    ("value", "hint", "expected"),
    [
        ("3", int, 3),
        ("3", float, 3.0),
        ("1e-6", float, 1e-6),
        ("no", bool, False),
        ("TRUE", bool, True),
        ("none", int | None, None),
        (None, str | None, None),
        ("none", str | None, "none"),  # a string setting keeps the text
        ("12", int | str, 12),
        (7, str, "7"),
        ("b", Literal["a", "b"], "b"),
    ],
)
def test_coercion_follows_the_type_hint(value, hint, expected):
    assert coerce(value, hint) == expected and type(coerce(value, hint)) is type(expected)


@pytest.mark.parametrize(
    ("value", "hint", "message"),
    [
        ("many", int, "must be int, got 'many'"),
        ("7", bool, "must be bool, got '7'"),
        (True, int, "must be int, got True"),  # a YAML `true` is no count
        ("c", Literal["a", "b"], "must be 'a' or 'b', got 'c'"),
        ("x", float | None, "must be float or None, got 'x'"),
    ],
)
def test_coercion_errors_say_what_the_setting_must_be(value, hint, message):
    with pytest.raises(CoercionError, match=message):
        coerce(value, hint)


def test_parameter_hints_resolve_postponed_annotations():
    from benchmark.models.reference import RandomModel

    assert parameter_hints(RandomModel) == {"p_refuse": float, "seed": int}


@pytest.mark.parametrize(
    ("text", "kind", "model", "sbert"),
    [
        ("rules", "rules", None, DEFAULT_SBERT),
        ("rules[sbert=none]", "rules", None, "none"),
        ("openai:gpt-4o-mini", "openai", "gpt-4o-mini", DEFAULT_SBERT),
        (
            "openai:Qwen/Qwen2.5-72B[sbert=all-mpnet-base-v2]",
            "openai",
            "Qwen/Qwen2.5-72B",
            "all-mpnet-base-v2",
        ),
    ],
)
def test_judge_ids_parse_and_print_back(text, kind, model, sbert):
    spec = JudgeSpec.parse(text)
    assert (spec.kind, spec.model, spec.sbert) == (kind, model, sbert)
    assert spec.id == text and JudgeSpec.parse(spec.id) == spec


def test_the_sbert_flag_applies_unless_the_id_names_one():
    assert JudgeSpec.parse("rules", sbert="none").id == "rules[sbert=none]"
    assert JudgeSpec.parse("rules[sbert=m]", sbert="none").sbert == "m"
    assert JudgeSpec.parse("rules", sbert=DEFAULT_SBERT).id == "rules"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gpt", "unknown judge 'gpt'"),
        ("openai", "judge 'openai' needs a model"),
        ("rules:x", "judge 'rules' takes no model"),
        ("Rules!", "unknown judge 'Rules!'"),
    ],
)
def test_bad_judge_ids_are_usage_errors(text, message):
    with pytest.raises(UsageError, match=message):
        JudgeSpec.parse(text)


def test_a_judge_is_built_from_its_table_entry_and_refuses_options_it_does_not_take():
    judge = load_judge("rules[sbert=none]")
    assert judge.name == "rules[sbert=none]" and type(judge).__name__ == "RulesJudge"
    assert JUDGES["rules"].deterministic and not JUDGES["openai"].deterministic
    with pytest.raises(UsageError, match="judge 'rules' takes no option 'concurrency'"):
        load_judge("rules[sbert=none]", concurrency=4)
