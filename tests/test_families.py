"""Task families: each owns its kinds, verdicts, prompt and output contract, and they agree with
the judges and the records' vocabulary."""

from __future__ import annotations

import random

import pytest

from benchmark.errors import RecordError
from benchmark.families import FAMILIES, GROUNDING, QA, family_named, family_of, family_of_samples
from benchmark.parse import parse_grounding_output
from benchmark.prompts import prompt_exists
from benchmark.records import FAMILY_NAMES, KINDS, VERDICTS_OF_KIND, Response, Sample, VideoRef
from benchmark.scorers import RulesJudge


def sample(kind, **fields):
    return Sample(id=f"{kind}-1", task="t", video=VideoRef("v.mp4"), question="A red circle moves.",
                  kind=kind, **fields)  # fmt: skip


def test_every_kind_belongs_to_exactly_one_family():
    assert list(FAMILIES) == list(FAMILY_NAMES)
    owners = {kind: [f.name for f in FAMILIES.values() if kind in f.kinds] for kind in KINDS}
    assert all(len(names) == 1 for names in owners.values()), owners
    for kind in KINDS:
        assert family_of(sample(kind)).name == owners[kind][0]
        assert set(family_of(sample(kind)).verdicts_for(kind)) == set(VERDICTS_OF_KIND[kind])


def test_every_family_has_a_prompt_template():
    assert all(prompt_exists(f.prompt) for f in FAMILIES.values())


def test_unknown_names_and_mixed_tasks_are_clear_errors():
    with pytest.raises(RecordError, match="unknown task family 'vqa'; known: grounding, qa"):
        family_named("vqa")
    with pytest.raises(RecordError, match=r"mixes grounding .* and qa .*'answerable-1'"):
        family_of_samples([sample("relevant"), sample("answerable")])
    assert family_of_samples([], default=QA) is QA


@pytest.mark.parametrize("family", list(FAMILIES.values()), ids=lambda f: f.name)
def test_the_output_contract_reads_back_as_the_decision_it_makes(family):
    """What a reference model says under a family's contract, the rules judge reads back: a guess
    is an answer, a refusal a refusal (so always-answer and always-refuse mean what they say)."""
    judge = RulesJudge()
    positive, negative = (sample(kind, duration=30.0) for kind in family.kinds)
    guess = family.guess(30.0, random.Random(0))
    refusal = family.refusal(negative.question)
    (answered, refused) = judge.judge(
        [
            (negative, Response(negative.id, "m", guess)),
            (negative, Response(negative.id, "m", refusal)),
        ]
    )
    refused_verdicts = {"irrelevant", "refused_right_reason", "refused_wrong_reason"}
    assert answered.verdict not in refused_verdicts
    assert refused.verdict in refused_verdicts
    (over,) = judge.judge([(positive, Response(positive.id, "m", refusal))])
    assert over.verdict in {"irrelevant", "refused"}


def test_the_grounding_guess_is_the_middle_third_or_a_seeded_random_span():
    assert parse_grounding_output(GROUNDING.guess(30.0, None)).span == (10.0, 20.0)
    a = parse_grounding_output(GROUNDING.guess(30.0, random.Random(1))).span
    assert a == parse_grounding_output(GROUNDING.guess(30.0, random.Random(1))).span
    assert 0 <= a[0] <= a[1] <= 30.0


def test_training_targets_and_their_opposites_make_opposite_decisions():
    judge = RulesJudge()
    for family in FAMILIES.values():
        positive, negative = (
            sample(kind, span=(2.0, 4.0) if kind == "relevant" else None, answer="red",
                   refusal="There is no red circle; the circle is blue.", duration=10.0)
            for kind in family.kinds
        )  # fmt: skip
        for s in (positive, negative):
            (right,) = judge.judge([(s, Response(s.id, "m", family.target(s)))])
            (wrong,) = judge.judge([(s, Response(s.id, "m", family.opposite(s)))])
            assert right.verdict != wrong.verdict, (family.name, s.kind)
    assert GROUNDING.reference(sample("relevant", span=(2.0, 4.5))) == "2.00 to 4.50"
    assert QA.reference(sample("unanswerable", refusal="No dog.")) == "No dog."


def test_a_family_travels_to_worker_processes_as_itself():
    import pickle

    for family in FAMILIES.values():
        assert pickle.loads(pickle.dumps(family)) is family
