"""The Simply-Shuffled builder: 1:1, seeded, never a query of the video itself."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.data.shuffle import build_simply_shuffled, normalize_text
from benchmark.records import Sample, VideoRef

_texts = st.sampled_from(
    ["a man runs", "A man runs.", "a dog barks", "a cat sleeps", "two people talk", "rain falls"]
)


@st.composite
def plain_sets(draw):
    n_videos = draw(st.integers(2, 6))
    samples = []
    for v in range(n_videos):
        for k in range(draw(st.integers(1, 4))):
            samples.append(
                Sample(
                    id=f"v{v}#{k}",
                    task="p",
                    video=VideoRef(f"v{v}.mp4"),
                    question=draw(_texts),
                    kind="relevant",
                    span=(0.0, 1.0),
                )
            )
    return samples


@settings(max_examples=150, deadline=None)
@given(plain=plain_sets(), seed=st.integers(0, 10))
def test_shuffled_queries_never_come_from_or_copy_the_own_video(plain, seed):
    out = build_simply_shuffled(plain, task="ss", seed=seed)
    own_texts = {}
    for s in plain:
        own_texts.setdefault(s.video.path, set()).add(normalize_text(s.question))
    shuffled = [s for s in out if s.kind == "irrelevant"]
    for s in shuffled:
        assert s.meta["donor_video"] != s.video.path
        assert normalize_text(s.question) not in own_texts[s.video.path]
        assert s.difficulty == "shuffled"
    assert len([s for s in out if s.kind == "relevant"]) == len(plain)
    assert len({s.id for s in out}) == len(out)


def test_one_to_one_and_seeded():
    plain = [
        Sample(
            id=f"v{v}#0",
            task="p",
            video=VideoRef(f"v{v}.mp4"),
            question=f"event number {v}",
            kind="relevant",
            span=(0.0, 1.0),
        )
        for v in range(20)
    ]
    first = build_simply_shuffled(plain, task="ss", seed=1)
    assert len(first) == 40
    assert [s.kind for s in first[:4]] == ["relevant", "irrelevant", "relevant", "irrelevant"]
    assert first == build_simply_shuffled(plain, task="ss", seed=1)
    assert first != build_simply_shuffled(plain, task="ss", seed=2)
