"""RA-RFT rewards and the baseline recipes' training data, against hand-computed values."""

from __future__ import annotations

import pytest

from baselines.data import (
    GENERIC_REFUSAL,
    ca_dpo_pairs,
    confidence,
    dpo_pairs,
    grpo_examples,
    idk_relabel,
    sft_examples,
    target,
    weighted_dpo_loss,
)
from baselines.rewards import correction_reward, explain_reward, format_reward, refuse_iou_reward
from benchmark.task_loading import load_task


def exact(a, b):
    return [1.0 if x == y else 0.0 for x, y in zip(a, b, strict=True)]


def test_format_reward_needs_the_whole_layout():
    good = "<think>x</think>\n<answer>1 to 2</answer>\n<correction>NIL</correction>"
    assert format_reward(
        [
            good,
            good + " trailing",
            "<answer>1 to 2</answer>",
            [{"role": "assistant", "content": good}],
        ]
    ) == [1.0, 0.0, 0.0, 1.0]


def test_refuse_iou_by_hand():
    outputs = [
        "<answer>5 to 15</answer>",
        "<answer>5 to 15</answer>",
        "<answer>nothing matches</answer>",
        "<answer>no</answer>",
    ]
    rewards = refuse_iou_reward(
        outputs,
        relevant=[True, False, False, True],
        span=[[0, 10], None, None, [0, 10]],
        duration=[20, 20, 20, 20],
    )
    # IoU(5-15, 0-10) = 5/15; (1 - 5/20) * (1 - 5/20) = 0.5625
    assert rewards == pytest.approx([5 / 15 * 0.5625, 0.0, 1.0, 0.0])
    # no <answer> block: 0 even for an irrelevant query (the authors' reward), not a refusal
    assert refuse_iou_reward(["", "there is no such event"], relevant=[False, False],
                             span=[None, None], duration=[20, 20]) == [0.0, 0.0]  # fmt: skip


def test_explain_and_correction_rewards_by_hand():
    outputs = [
        "<answer>there is no dog</answer><correction>a cat sleeps</correction>",
        "<answer>2 to 3</answer><correction>NIL</correction>",
    ]
    # eq. 6 with exact-match similarity: the refusal matches its own reference (1 - 0), the
    # span "2 to 3" matches a_time (1 - 0)
    assert explain_reward(
        outputs,
        relevant=[False, True],
        answer_time=["2 to 3", "2 to 3"],
        answer_refusal=["there is no dog", "there is no dog"],
        similarity=exact,
    ) == [1.0, 1.0]
    assert correction_reward(
        outputs, relevant=[False, True], original_query=["a cat sleeps", None], similarity=exact
    ) == [1.0, 1.0]
    assert correction_reward(
        ["<correction>x</correction>"], relevant=[True], original_query=[None], similarity=exact
    ) == [0.0]


def test_minilm_similarity_is_cos_plus_one_over_two():
    pytest.importorskip("sentence_transformers")
    from baselines.rewards import minilm_similarity

    (same,) = minilm_similarity(["a red car"], ["a red car"])
    assert same == pytest.approx(1.0, abs=1e-5)


def test_sft_mixes_one_to_one_and_keeps_the_video():
    samples = load_task("synth_uvqa").samples + load_task("synth_qa").samples
    examples = sft_examples(samples)
    answerable = [
        e
        for e in examples
        if e["completion"] != GENERIC_REFUSAL and "cannot be answered" not in e["completion"]
    ]
    assert len(examples) == 2 * min(
        len(load_task("synth_uvqa").samples), len(load_task("synth_qa").samples)
    )
    assert abs(len(answerable) - len(examples) / 2) <= 1
    assert all(
        e["video"]["path"].startswith("videos/") and e["prompt_version"] == "qa_v1"
        for e in examples
    )


def test_dpo_pairs_prefer_the_reference_and_keep_tasks_apart():
    uvqa, qa = load_task("synth_uvqa").samples, load_task("synth_qa").samples
    unanswerable = uvqa[0]
    answerable = next(s for s in qa if s.id == unanswerable.id)  # the tasks reuse sample ids
    negatives = {("synth_uvqa", unanswerable.id): "It is a green triangle."}
    pairs = {p["task"]: p for p in dpo_pairs([unanswerable, answerable], negatives=negatives)}
    assert pairs["synth_uvqa"]["chosen"] == target(unanswerable)
    assert pairs["synth_uvqa"]["rejected"] == "It is a green triangle."
    assert pairs["synth_qa"]["chosen"] == target(answerable) == answerable.answer
    assert pairs["synth_qa"]["rejected"] == GENERIC_REFUSAL  # not the other task's negative
    mixed = dpo_pairs(uvqa + qa)
    assert all(p["chosen"] != p["rejected"] for p in mixed)
    assert len({(p["task"], p["sample_id"]) for p in mixed}) == len(mixed)


def test_grpo_examples_one_relevant_and_one_refusable_per_video():
    samples = load_task("synth_hivtg").samples
    first, again, other = (
        grpo_examples(samples, step=0),
        grpo_examples(samples, step=0),
        grpo_examples(samples, step=1),
    )
    assert first == again and first != other
    assert [e["relevant"] for e in first[:4]] == [True, False, True, False]
    irrelevant = first[1]
    assert irrelevant["refusal"] and irrelevant["original_query"] and irrelevant["span"] is None


def test_inbol_confidence_relabelling_and_weights():
    samples = load_task("synth_qa", limit=4).samples
    first, second = (("synth_qa", s.id) for s in samples[:2])
    confidences = {first: confidence(["no idea"], samples[0].answer), second: 1.0}
    relabelled = idk_relabel(samples[:2], confidences, threshold=0.5)
    assert relabelled[0]["completion"] == GENERIC_REFUSAL and relabelled[0]["relabelled"]
    assert relabelled[1]["completion"] == samples[1].answer


def test_ca_dpo_pairs_follow_inbol_bands_with_the_models_own_wrong_answers():
    """Known: correct ≻ refusal; mixed: correct ≻ incorrect (weight c) and refusal ≻ incorrect
    (1 − c); unknown: refusal ≻ incorrect; "incorrect" is what the model itself said."""
    samples = load_task("synth_qa", limit=6).samples
    answerable = [s for s in samples if s.kind == "answerable"][:3]
    known, mixed, unknown = answerable
    ref = {s.id: s.answer for s in answerable}
    answers = {
        ("synth_qa", known.id): [ref[known.id]] * 4,
        ("synth_qa", mixed.id): [ref[mixed.id], "a purple whale", "a purple whale", "I don't know"],
        ("synth_qa", unknown.id): ["seven", "four", "seven", "seven"],
    }
    pairs = ca_dpo_pairs(answerable, answers)
    table = [(p["sample_id"], p["band"], p["chosen"], p["rejected"], p["weight"]) for p in pairs]
    assert table == [
        (known.id, "known", ref[known.id], GENERIC_REFUSAL, 1.0),
        (mixed.id, "mixed", ref[mixed.id], "a purple whale", 0.25),
        (mixed.id, "mixed", GENERIC_REFUSAL, "a purple whale", 0.75),
        (unknown.id, "unknown", GENERIC_REFUSAL, "seven", 1.0),
    ]
    # thresholds move the bands: 0.25 counts as unknown at unknown=0.3
    moved = ca_dpo_pairs([mixed], answers, unknown=0.3)
    assert [(p["band"], p["chosen"]) for p in moved] == [("unknown", GENERIC_REFUSAL)]


def test_weighted_dpo_loss_by_hand():
    import math

    # margin = 0.1 * ((1 - 0) - (0 - 0)) = 0.1 -> -log(sigmoid(0.1)) = log(1 + e^-0.1)
    loss = weighted_dpo_loss([1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0])
    assert loss == pytest.approx(math.log(1 + math.exp(-0.1)) / 2)


def test_recipe_settings_problems_are_usage_errors(tmp_path):
    from baselines.common import RecipeConfig, load_config
    from benchmark.errors import UsageError

    config = load_config(RecipeConfig, None, ["model=m", "learning_rate=1e-6", "limit=null"])
    assert config.learning_rate == 1e-6 and isinstance(config.learning_rate, float)
    assert config.limit is None
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("model: [unclosed\n")
    problems = {
        "set 'model'": (None, []),
        "cannot read": (tmp_path / "absent.yaml", []),
        "not valid YAML": (bad_yaml, []),
        "unknown setting 'lr'": (None, ["model=m", "lr=1"]),
        "'frames' must be int": (None, ["model=m", "frames=many"]),
        "'learning_rate' must be float": (None, ["model=m", "learning_rate=fast"]),
        "'bf16' must be bool": (None, ["model=m", "bf16=7"]),
    }
    for message, (path, overrides) in problems.items():
        with pytest.raises(UsageError, match=message):
            load_config(RecipeConfig, path, overrides)


def test_training_without_videos_stops_before_any_model_is_loaded(monkeypatch):
    from data_fixtures import SHARED_DATA

    from baselines.common import RecipeConfig, training_samples
    from benchmark.errors import UsageError

    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")

    monkeypatch.delenv("REFUSAL_BENCH_VIDEOS", raising=False)
    with pytest.raises(UsageError, match="videos of uvqa_object are not on this machine"):
        training_samples(RecipeConfig(model="m", tasks="uvqa_object", data_root=str(SHARED_DATA),
                                      allow_test_data=True))  # fmt: skip


def test_explain_reward_prefers_a_specific_refusal_to_a_generic_one_on_hi_charades():
    """The issue's case: on a real HI-Charades item, eq. 6 ranks the refusal that names the
    mismatch above a generic one (the old reward ranked them the other way round)."""
    pytest.importorskip("sentence_transformers")
    from data_fixtures import SHARED_DATA

    from benchmark.task_loading import load_task

    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    samples = load_task("hi_charades", data_root=SHARED_DATA).samples
    relevant, irrelevant = samples[2], samples[3]  # IV1S7: the glass placed on the table
    assert relevant.video == irrelevant.video and irrelevant.kind == "irrelevant"
    time = f"{relevant.span[0]:g} to {relevant.span[1]:g}"
    specific = "<answer>The person puts a glass on the table, not a bottle.</answer>"
    generic = "<answer>The video does not contain this event.</answer>"
    spans = "<answer>8.2 to 13.6</answer>"
    rewards = explain_reward([specific, generic, spans], relevant=[False] * 3,
                             answer_time=[time] * 3, answer_refusal=[irrelevant.refusal] * 3)  # fmt: skip
    assert rewards[0] > rewards[1] > 0 > rewards[2]
    # the same span on the relevant query is rewarded: a_time is its own reference
    (grounded,) = explain_reward([spans], relevant=[True], answer_time=[time],
                                 answer_refusal=[irrelevant.refusal])  # fmt: skip
    assert grounded > 0


def test_empty_setting_is_empty_not_the_string_none():
    from baselines.common import RecipeConfig, load_config

    config = load_config(RecipeConfig, None, ["model=m", "eval_tasks="])
    assert config.eval_tasks == ""  # YAML's null would have been the text 'None'


def test_each_reward_on_real_hi_charades_items_equals_the_papers_definition():
    """IV1S7 of HI-Charades (duration 16.75 s): relevant "person puts the glass on the table."
    at 8.2-13.6 s; irrelevant "person puts the bottle on the table." with its reference refusal.
    refuse-IoU, explain (eq. 6) and correction computed here by hand from the definitions, the
    similarities straight from sentence-transformers' MiniLM: s = (cos + 1) / 2."""
    pytest.importorskip("sentence_transformers")
    from data_fixtures import SHARED_DATA
    from sentence_transformers import SentenceTransformer, util

    from benchmark.scorers.sbert import _local_path

    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    samples = {s.id: s for s in load_task("hi_charades", data_root=SHARED_DATA).samples}
    relevant, irrelevant = samples["IV1S7#0"], samples["IV1S7#1"]
    assert relevant.span == (8.2, 13.6) and relevant.duration == 16.75
    minilm = SentenceTransformer(str(_local_path("all-MiniLM-L6-v2")), device="cpu")

    def s(a: str, b: str) -> float:
        u, v = minilm.encode([a, b], convert_to_tensor=True)
        return (util.cos_sim(u, v).item() + 1) / 2

    answer = "<think>The glass goes down.</think><answer>9.0 to 14.0</answer><correction>NIL</correction>"
    refusal = ("<think>No bottle.</think><answer>The person puts a glass on the table, not a "
               "bottle.</answer><correction>person puts the glass on the table.</correction>")  # fmt: skip
    rows = dict(relevant=[True, False], span=[[8.2, 13.6], None], duration=[16.75, 16.75],
                answer_time=["8.2 to 13.6"] * 2, answer_refusal=[irrelevant.refusal] * 2,
                original_query=[None, relevant.question])  # fmt: skip
    outputs = [answer, refusal]
    assert format_reward(outputs) == [1.0, 1.0]
    # IoU([9, 14], [8.2, 13.6]) = 4.6 / 5.8; (1 - 0.8 / 16.75)(1 - 0.4 / 16.75)
    iou = 4.6 / 5.8 * (1 - 0.8 / 16.75) * (1 - 0.4 / 16.75)
    assert refuse_iou_reward(outputs, **rows) == pytest.approx([iou, 1.0])
    refusal_text = "The person puts a glass on the table, not a bottle."
    explain = [s("9.0 to 14.0", "8.2 to 13.6") - s("9.0 to 14.0", irrelevant.refusal),
               s(refusal_text, irrelevant.refusal) - s(refusal_text, "8.2 to 13.6")]  # fmt: skip
    assert explain_reward(outputs, **rows) == pytest.approx(explain, abs=1e-5)
    correction = [1.0, s("person puts the glass on the table.", relevant.question)]
    assert correction_reward(outputs, **rows) == pytest.approx(correction, abs=1e-5)
