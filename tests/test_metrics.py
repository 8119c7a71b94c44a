"""Metric functions against hand-computed values and the sanity values of DESIGN.md."""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmark import metrics as M
from benchmark.metrics import inbol

# --- RA-VTG ------------------------------------------------------------------------------------------


def one_to_one(n=10):
    """A 1:1 split: n relevant then n irrelevant items."""
    return [True] * n + [False] * n


def test_always_answer_on_a_1_to_1_split_scores_667_0_333():
    gold = one_to_one()
    conf = M.relevance_confusion(gold, [True] * len(gold))
    assert round(100 * M.f1_relevant(conf), 1) == 66.7
    assert round(100 * M.f1_irrelevant(conf), 1) == 0.0
    assert round(100 * M.f1_average(conf), 1) == 33.3


def test_always_refuse_on_a_1_to_1_split_scores_0_667_333_and_miou_50():
    gold = one_to_one()
    conf = M.relevance_confusion(gold, [False] * len(gold))
    assert round(100 * M.f1_relevant(conf), 1) == 0.0
    assert round(100 * M.f1_irrelevant(conf), 1) == 66.7
    assert round(100 * M.f1_average(conf), 1) == 33.3
    ious = [M.ra_iou(g, False, (0.0, 5.0) if g else None, None) for g in gold]
    assert M.mean_ra_iou(sum(ious), len(ious)) == 0.5


def test_count_level_functions_take_arrays_of_resamples():
    tp, fp, fn = np.array([2, 0, 0]), np.array([1, 3, 0]), np.array([1, 0, 0])
    f1 = M.f1_score(tp, fp, fn)
    assert f1[0] == pytest.approx(2 / 3) and f1[1] == 0.0 and math.isnan(f1[2])
    assert list(M.refusal_recall(np.array([1, 2]), np.array([2, 2]))) == [0.5, 1.0]


def test_f1_by_hand():
    # gold: R R R I I ; pred: R R I R I  -> TP 2, FN 1, FP 1, TN 1
    conf = M.relevance_confusion([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])
    assert conf == M.Confusion(tp=2, fn=1, fp=1, tn=1)
    # relevant: P = 2/3, R = 2/3 -> F1 = 2/3 ; irrelevant: P = 1/2, R = 1/2 -> F1 = 1/2
    assert M.f1_relevant(conf) == pytest.approx(2 / 3)
    assert M.f1_irrelevant(conf) == pytest.approx(1 / 2)
    assert M.f1_average(conf) == pytest.approx(7 / 12)


def test_f1_is_undefined_when_there_is_nothing_to_score():
    assert math.isnan(M.f1_score(0, 0, 0))
    assert M.f1_score(0, 3, 0) == 0.0


def test_confusion_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        M.relevance_confusion([True], [True, False])


@pytest.mark.parametrize(
    ("pred", "gold", "iou"),
    [
        ((0, 10), (0, 10), 1.0),
        ((0, 10), (5, 15), 5 / 15),
        ((0, 5), (5, 10), 0.0),
        ((0, 4), (6, 10), 0.0),
        ((2, 4), (0, 10), 0.2),
        ((3, 3), (3, 3), 1.0),
        ((3, 3), (0, 10), 0.0),
    ],
)
def test_temporal_iou(pred, gold, iou):
    assert M.temporal_iou(pred, gold) == pytest.approx(iou)


def test_ra_iou_cases():
    assert M.ra_iou(True, True, (0, 10), (5, 15)) == pytest.approx(1 / 3)
    assert M.ra_iou(True, True, (0, 10), None) == 0.0  # relevant but no span given
    assert M.ra_iou(True, False, (0, 10), None) == 0.0
    assert M.ra_iou(False, True, None, (0, 10)) == 0.0
    assert M.ra_iou(False, False, None, None) == 1.0


def test_recall_at_uses_greater_or_equal():
    values = [0.3, 0.5, 0.69, 0.7, 1.0, 0.0]
    for m, expected in ((0.3, 5 / 6), (0.5, 4 / 6), (0.7, 2 / 6)):
        assert M.recall_at(sum(v >= m for v in values), len(values)) == pytest.approx(expected)


def test_empty_inputs_give_nan_not_errors():
    assert math.isnan(M.mean_ra_iou(0.0, 0))
    assert math.isnan(M.recall_at(0, 0))
    assert math.isnan(M.rt_iou(0.0, 0))
    assert math.isnan(M.explanation_score_tn(0.0, 0))


def test_rt_iou_by_hand():
    gold = [
        ["Object/ObjectExistence"],
        ["Object/ObjectExistence", "Attribute/Counting"],
        [],
        ["Scene/SceneExistence"],
    ]
    pred = [["Object/ObjectExistence"], ["Attribute/Counting"], [], []]  # the last was missed
    jaccards = [M.category_jaccard(p, g) for p, g in zip(pred, gold, strict=True)]
    assert jaccards == [1.0, 0.5, 1.0, 0.0]  # J(∅, ∅) = 1
    assert M.rt_iou(sum(jaccards), len(gold)) == pytest.approx(2.5 / 4)


def test_explanation_scores_count_missed_refusals_as_zero():
    # 4 gold-irrelevant items: two TN with 0.9 and 0.5, two FP (their scores do not count)
    assert M.explanation_score(0.9 + 0.5, 4) == pytest.approx(1.4 / 4)
    assert M.explanation_score_tn(0.9 + 0.5, 2) == pytest.approx(0.7)


# --- UVQA --------------------------------------------------------------------------------------


def test_s_acc_by_hand():
    kinds = ["answerable", "answerable", "unanswerable", "unanswerable", "unanswerable"]
    verdicts = ["correct", "refused", "refused_right_reason", "refused_wrong_reason", "answered"]
    successes = [M.item_success(k, v) for k, v in zip(kinds, verdicts, strict=True)]
    assert successes == [True, False, True, False, False]
    assert M.s_acc(sum(successes), len(successes)) == pytest.approx(2 / 5)
    assert math.isnan(M.s_acc(0, 0))


def test_single_run_rates_by_hand():
    # answerable: correct, correct, wrong, refused; unanswerable: right, wrong reason, 2 answered
    assert M.answer_accuracy(2, 4) == 0.5
    assert M.over_refusal_rate(1, 4) == 0.25
    assert M.refusal_rate(2, 4) == 0.5
    assert M.right_reason_refusal_rate(1, 4) == 0.25


def test_paired_scores_by_hand():
    # answerable: of 3 base-correct, 1 now refused; of 2 base-refused, 1 now correct
    assert M.s_ex_ref(1, 3) == pytest.approx(1 / 3)
    assert M.s_permis(1, 2) == pytest.approx(1 / 2)
    # unanswerable: of 3 not refused for the right reason before, 2 are now
    assert M.s_disc(2, 3) == pytest.approx(2 / 3)


def test_paired_scores_with_empty_denominators_are_nan():
    assert math.isnan(M.s_ex_ref(0, 0))
    assert math.isnan(M.s_permis(0, 0))
    assert math.isnan(M.s_disc(0, 0))


# --- InBoL -------------------------------------------------------------------------------------


def test_trust_score_sanity_value_of_the_paper():
    assert round(100 * M.trust_score(0.7856, 0.0), 2) == 57.12


def test_inbol_by_hand():
    verdicts = ["correct", "correct", "refused", "wrong", "refused_right_reason"]
    outcomes = [inbol.outcome(v) for v in verdicts]
    assert outcomes == ["correct", "correct", "refused", "incorrect", "correct"]
    acc, refr = inbol.accuracy(3, 5), inbol.refusal_rate(1, 5)
    assert (acc, refr) == (pytest.approx(3 / 5), pytest.approx(1 / 5))
    assert M.trust_score(acc, refr) == pytest.approx(2 * 0.6 + 0.2 - 1)


def test_trust_score_bounds():
    assert M.trust_score(inbol.accuracy(3, 3), inbol.refusal_rate(0, 3)) == 1.0
    assert M.trust_score(inbol.accuracy(0, 3), inbol.refusal_rate(0, 3)) == -1.0
    assert M.trust_score(inbol.accuracy(0, 3), inbol.refusal_rate(3, 3)) == 0.0
