"""Property: results.json equals the documented metric functions applied to the same judgments.

For random tasks of both families, `summarize_task` (per-item columns, statistics over their
sums) must give what the count-level functions of `benchmark.metrics` give when the counts are
taken item by item here, independently of the columns.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark import metrics as M
from benchmark.families import GROUNDING, QA
from benchmark.metrics import inbol
from benchmark.records import CATEGORIES, VERDICTS_OF_KIND, Judgment, Sample, VideoRef

SPANS = st.tuples(st.floats(0, 50), st.floats(0, 50)).map(lambda p: (min(p), max(p)))
SCORE = st.one_of(st.none(), st.floats(0, 1))
CATEGORY_SETS = st.lists(st.sampled_from(CATEGORIES[:4]), max_size=2, unique=True)


@st.composite
def grounding_items(draw):
    n = draw(st.integers(0, 12))
    items = []
    for i in range(n):
        relevant = draw(st.booleans())
        sample = Sample(
            id=f"s{i}",
            task="t",
            video=VideoRef(f"v{draw(st.integers(0, 3))}.mp4"),
            question="q",
            kind="relevant" if relevant else "irrelevant",
            span=draw(SPANS) if relevant else None,
            categories=() if relevant else tuple(draw(CATEGORY_SETS)),
            refusal=None if relevant else "the reference refusal",
        )
        says_relevant = draw(st.booleans())
        judgment = Judgment(
            sample_id=sample.id,
            judge="j",
            verdict="relevant" if says_relevant else "irrelevant",
            span=draw(st.one_of(st.none(), SPANS)) if says_relevant else None,
            categories=() if says_relevant else tuple(draw(CATEGORY_SETS)),
            sbert=None if says_relevant else draw(SCORE),
            consistency=None if says_relevant else draw(st.one_of(st.none(), st.floats(0, 5))),
        )
        items.append((sample, judgment))
    return items


@st.composite
def qa_items(draw):
    n = draw(st.integers(0, 12))
    items = []
    for i in range(n):
        kind = draw(st.sampled_from(QA.kinds))
        sample = Sample(f"q{i}", "t", VideoRef(f"v{draw(st.integers(0, 3))}.mp4"), "?", kind)
        verdict = draw(st.sampled_from(VERDICTS_OF_KIND[kind]))
        items.append((sample, Judgment(sample.id, "j", verdict=verdict)))
    return items


def same(actual, expected):
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return actual is None
    return actual is not None and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=150, deadline=None)
@given(grounding_items())
def test_grounding_summary_equals_the_documented_functions(items):
    samples = [s for s, _ in items]
    got = M.summarize_task(
        samples, [j for _, j in items], family=GROUNDING, judge="j", n_resamples=0
    )
    gold = [s.kind == "relevant" for s in samples]
    pred = [j.verdict == "relevant" for _, j in items]
    conf = M.relevance_confusion(gold, pred)
    ra = [M.ra_iou(g, p, s.span, j.span) for g, p, (s, j) in zip(gold, pred, items, strict=True)]
    n, n_irrelevant, n_relevant = len(items), gold.count(False), gold.count(True)
    jaccard = sum(
        M.category_jaccard(() if p else j.categories, s.categories)
        for g, p, (s, j) in zip(gold, pred, items, strict=True)
        if not g
    )
    tn_items = [j for g, p, (_, j) in zip(gold, pred, items, strict=True) if not g and not p]
    expected = {
        "f1_rel": M.f1_relevant(conf),
        "f1_irrel": M.f1_irrelevant(conf),
        "f1_avg": M.f1_average(conf),
        "miou": M.mean_ra_iou(sum(ra), n),
        "r@0.3": M.recall_at(sum(v >= 0.3 for v in ra), n),
        "r@0.5": M.recall_at(sum(v >= 0.5 for v in ra), n),
        "r@0.7": M.recall_at(sum(v >= 0.7 for v in ra), n),
        "miou_relevant": M.miou_relevant(
            sum(v for v, g in zip(ra, gold, strict=True) if g), n_relevant
        ),
        "refusal_recall": M.refusal_recall(conf.tn, n_irrelevant),
        "over_refusal": M.grounding.over_refusal_rate(conf.fn, n_relevant),
        "rt_iou": M.rt_iou(jaccard, n_irrelevant),
        "unparsed_rate": M.grounding.unparsed_rate(
            sum(M.grounding.is_unparsed(p, j.span) for p, (_, j) in zip(pred, items, strict=True)),
            n,
        ),
    }
    for key, field in (("sbert", "sbert"), ("llm_score", "consistency")):
        scores = [getattr(j, field) for j in tn_items]
        if any(score is None for score in scores):  # a partial average is null, never a number
            expected[key] = expected[f"{key}_tn"] = None
        else:
            expected[key] = M.explanation_score(sum(scores), n_irrelevant)
            expected[f"{key}_tn"] = M.explanation_score_tn(sum(scores), len(tn_items))
    if n_irrelevant and not any(s.categories for s in samples if s.kind == "irrelevant"):
        expected["rt_iou"] = None
    assert set(got.metrics) == set(expected)
    for key, value in expected.items():
        assert same(got.metrics[key], value), (key, got.metrics[key], value)
    assert got.breakdowns["confusion"] == {
        "tp": conf.tp,
        "fn": conf.fn,
        "fp": conf.fp,
        "tn": conf.tn,
    }


@settings(max_examples=150, deadline=None)
@given(qa_items())
def test_qa_summary_equals_the_documented_functions(items):
    samples = [s for s, _ in items]
    got = M.summarize_task(samples, [j for _, j in items], family=QA, judge="j", n_resamples=0)
    verdicts = [j.verdict for _, j in items]
    answerable = [j.verdict for s, j in items if s.kind == "answerable"]
    unanswerable = [j.verdict for s, j in items if s.kind == "unanswerable"]
    outcomes = [inbol.outcome(v) for v in verdicts]
    acc = inbol.accuracy(outcomes.count("correct"), len(items))
    refr = inbol.refusal_rate(outcomes.count("refused"), len(items))
    expected = {
        "s_acc": M.s_acc(sum(M.item_success(s.kind, j.verdict) for s, j in items), len(items)),
        "answer_acc": M.answer_accuracy(answerable.count("correct"), len(answerable)),
        "over_refusal": M.over_refusal_rate(answerable.count("refused"), len(answerable)),
        "refusal_rate": M.refusal_rate(
            sum(v.startswith("refused") for v in unanswerable), len(unanswerable)
        ),
        "right_reason_refusal": M.right_reason_refusal_rate(
            unanswerable.count("refused_right_reason"), len(unanswerable)
        ),
        "acc": acc,
        "refr": refr,
        "s_trust": M.trust_score(acc, refr),
    }
    assert set(got.metrics) == set(expected)
    for key, value in expected.items():
        assert same(got.metrics[key], value), (key, got.metrics[key], value)


@settings(max_examples=100, deadline=None)
@given(qa_items(), st.randoms(use_true_random=False))
def test_paired_summary_equals_the_documented_functions(items, rng):
    samples = [s for s, _ in items]
    base = [j for _, j in items]
    aligned = [Judgment(s.id, "j", verdict=rng.choice(VERDICTS_OF_KIND[s.kind])) for s in samples]
    got = M.paired_summary(samples, base, aligned, family=QA, n_resamples=0)
    pairs = list(zip(samples, base, aligned, strict=True))
    ans = [(j0.verdict, j1.verdict) for s, j0, j1 in pairs if s.kind == "answerable"]
    una = [(j0.verdict, j1.verdict) for s, j0, j1 in pairs if s.kind == "unanswerable"]
    f0_correct = [b for a, b in ans if a == "correct"]
    f0_refused = [b for a, b in ans if a == "refused"]
    f0_not_right = [b for a, b in una if a != "refused_right_reason"]
    expected = {
        "s_ex_ref": M.s_ex_ref(sum(b == "refused" for b in f0_correct), len(f0_correct)),
        "s_permis": M.s_permis(f0_refused.count("correct"), len(f0_refused)),
        "s_disc": M.s_disc(f0_not_right.count("refused_right_reason"), len(f0_not_right)),
    }
    assert got.n == len(items)
    for key, value in expected.items():
        assert same(got.metrics[key], value), (key, got.metrics[key], value)
