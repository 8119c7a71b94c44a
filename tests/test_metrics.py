"""Metric functions against hand-computed values and the sanity values of DESIGN.md."""

from __future__ import annotations

import math

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
    assert M.mean_ra_iou(ious) == 0.5


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
    assert M.recall_at(values, 0.3) == pytest.approx(5 / 6)
    assert M.recall_at(values, 0.5) == pytest.approx(4 / 6)
    assert M.recall_at(values, 0.7) == pytest.approx(2 / 6)


def test_empty_inputs_give_nan_not_errors():
    assert math.isnan(M.mean_ra_iou([]))
    assert math.isnan(M.recall_at([], 0.5))
    assert math.isnan(M.rt_iou([], [], []))


def test_rt_iou_by_hand():
    gold = [
        ["Object/ObjectExistence"],
        ["Object/ObjectExistence", "Attribute/Counting"],
        [],
        ["Scene/SceneExistence"],
    ]
    pred = [["Object/ObjectExistence"], ["Attribute/Counting"], [], ["Scene/SceneExistence"]]
    relevant = [False, False, False, True]  # the last was missed: its predicted set is empty
    # Jaccard: 1, 1/2, J(∅,∅) = 1, 0 -> mean 2.5 / 4
    assert M.rt_iou(gold, pred, relevant) == pytest.approx(2.5 / 4)


def test_refusal_explanation_score_counts_missed_refusals_as_zero():
    # 4 gold-irrelevant items: two TN with 0.9 and 0.5, two FP; one gold-relevant item ignored
    scores = [0.9, 0.5, 0.7, None, 0.99]
    gold = [False, False, False, False, True]
    pred = [False, False, True, True, True]
    over_irrelevant, over_tn = M.refusal_explanation_score(scores, gold, pred)
    assert over_irrelevant == pytest.approx(1.4 / 4)
    assert over_tn == pytest.approx(0.7)


def test_refusal_explanation_score_needs_a_score_for_every_true_negative():
    with pytest.raises(ValueError, match="item 0 has no score"):
        M.refusal_explanation_score([None], [False], [False])


# --- UVQA --------------------------------------------------------------------------------------


def test_s_acc_by_hand():
    kinds = ["answerable", "answerable", "unanswerable", "unanswerable", "unanswerable"]
    verdicts = ["correct", "refused", "refused_right_reason", "refused_wrong_reason", "answered"]
    assert M.s_acc(kinds, verdicts) == pytest.approx(2 / 5)
    assert math.isnan(M.s_acc([], []))


def test_single_run_rates_by_hand():
    answerable = ["correct", "correct", "wrong", "refused"]
    unanswerable = ["refused_right_reason", "refused_wrong_reason", "answered", "answered"]
    assert M.answer_accuracy(answerable) == 0.5
    assert M.over_refusal_rate(answerable) == 0.25
    assert M.refusal_rate(unanswerable) == 0.5
    assert M.right_reason_refusal_rate(unanswerable) == 0.25


def test_paired_scores_by_hand():
    # answerable items, base f0 vs aligned f1
    f0 = ["correct", "correct", "correct", "refused", "refused", "wrong"]
    f1 = ["refused", "correct", "wrong", "correct", "refused", "refused"]
    assert M.s_ex_ref(f0, f1) == pytest.approx(1 / 3)  # of 3 base-correct, 1 now refused
    assert M.s_permis(f0, f1) == pytest.approx(1 / 2)  # of 2 base-refused, 1 now correct
    u0 = ["answered", "refused_wrong_reason", "refused_right_reason", "answered"]
    u1 = ["refused_right_reason", "refused_right_reason", "refused_right_reason", "answered"]
    assert M.s_disc(u0, u1) == pytest.approx(2 / 3)  # of 3 not right before, 2 right now


def test_paired_scores_with_empty_denominators_are_nan():
    assert math.isnan(M.s_ex_ref(["wrong"], ["refused"]))
    assert math.isnan(M.s_permis([], []))
    with pytest.raises(ValueError, match="differ in length"):
        M.s_disc(["answered"], [])


# --- InBoL -------------------------------------------------------------------------------------


def test_trust_score_sanity_value_of_the_paper():
    assert round(100 * M.trust_score(0.7856, 0.0), 2) == 57.12


def test_inbol_by_hand():
    scores = M.inbol_scores(["correct", "correct", "refused", "wrong", "refused_right_reason"])
    assert scores["acc"] == pytest.approx(3 / 5)
    assert scores["refr"] == pytest.approx(1 / 5)
    assert scores["s_trust"] == pytest.approx(2 * 0.6 + 0.2 - 1)


def test_trust_score_bounds():
    assert inbol.inbol_scores(["correct"] * 3)["s_trust"] == 1.0
    assert inbol.inbol_scores(["wrong"] * 3)["s_trust"] == -1.0
    assert inbol.inbol_scores(["refused"] * 3)["s_trust"] == 0.0
