"""Long work reports progress without a bar; generation decodes the next batch ahead."""

from __future__ import annotations

import io
import threading
import time

from benchmark import progress as progress_module
from benchmark.models.base import Model
from benchmark.progress import Progress
from benchmark.runner import RunConfig, run
from benchmark.video import FrameSpec


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lines_each_tenth_and_each_minute_after_a_quiet_start(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", clock)
    out = io.StringIO()
    with Progress(1000, "hi_tvgbench: score", bar=False, stream=out) as p:
        clock.now = 5.0
        p.update(300)  # 30% in 5 s: still within the quiet start
        clock.now = 12.0
        p.update(10)  # 31%: the first line
        p.update(40)  # 35%: same tenth, no line
        clock.now = 80.0
        p.update(1)  # a minute since the last line: a line though no new tenth
        clock.now = 90.0
        p.update(649)  # done
    lines = out.getvalue().splitlines()
    assert lines == [
        "hi_tvgbench: score: 310/1000 samples (31%) in 12 s, about 27 s left",
        "hi_tvgbench: score: 351/1000 samples (35%) in 1 min 20 s, about 2 min 28 s left",
        "hi_tvgbench: score: 1000/1000 samples (100%) in 1 min 30 s, about 0 s left",
        "hi_tvgbench: score: 1000/1000 samples in 1 min 30 s",
    ]


def test_short_work_prints_nothing():
    out = io.StringIO()
    with Progress(10, "synth_qa: score", bar=False, stream=out) as p:
        p.update(10)
    assert out.getvalue() == ""


class WaitsForTheNextDecode(Model):
    """Generates each batch only once the loader has decoded a video beyond this batch's own
    (or gives up after a while): with decode-ahead it never waits long."""

    name = "probe"
    needs_frames = True
    frame_spec = FrameSpec(num_frames=2)
    batch_size = 6

    def __init__(self) -> None:
        self.loader = None
        self.overlapped: list[bool] = []
        self.seen: set[str] = set()

    def generate(self, requests):
        own = {r.frames.source for r in requests}
        deadline = time.monotonic() + 3
        ahead = False
        while time.monotonic() < deadline and not ahead:
            ahead = bool(self.loader.videos - own - self.seen)
            time.sleep(0.01)
        self.seen |= own
        self.overlapped.append(ahead)
        return [f"<answer>{r.frames.images.mean():.1f} to 9</answer>" for r in requests]


def test_the_next_batch_is_decoded_while_the_model_generates(tmp_path, monkeypatch):
    from benchmark import runner

    model = WaitsForTheNextDecode()
    real = runner.VideoLoader

    def loader(*args, **kwargs):
        model.loader = real(*args, **kwargs)
        return model.loader

    monkeypatch.setattr(runner, "VideoLoader", loader)
    config = RunConfig(model="probe", tasks="synth_hivtg", limit=18, output=tmp_path / "run",
                       sbert="none", progress=False, bootstrap=0)  # fmt: skip
    run(config, model=model)
    # synth_hivtg holds six queries per video: batches of 6 are one video each; every batch
    # but the last found the next video decoded while it generated
    assert model.overlapped == [True, True, False]
    assert threading.active_count() < 50  # the decode thread ends with the task


class EncodesAhead(Model):
    """Makes its inputs in `encode`; the first batch's second sample cannot be encoded."""

    name = "encoder"
    needs_frames = True
    frame_spec = FrameSpec(num_frames=2)
    batch_size = 6

    def __init__(self) -> None:
        self.encoded_on: list[str] = []
        self.given: list[bool] = []
        self.bad = None

    def encode(self, requests):
        self.encoded_on.append(threading.current_thread().name)
        self.bad = self.bad or requests[1].sample_id
        return [self._input(r) for r in requests]

    def generate(self, requests, encoded=None):
        self.given.append(encoded is not None)
        inputs = encoded if encoded is not None else [self._input(r) for r in requests]
        return [f"<answer>{x:.1f} to 9</answer>" for x in inputs]

    def _input(self, request):
        if request.sample_id == self.bad:
            raise ValueError("cannot encode these frames")
        return float(request.frames.images.mean())


def test_inputs_are_encoded_ahead_and_a_sample_that_cannot_be_encoded_is_recorded(tmp_path):
    from benchmark.records import read_run_file

    model = EncodesAhead()
    config = RunConfig(model="encoder", tasks="synth_hivtg", limit=18, output=tmp_path / "run",
                       sbert="none", progress=False, bootstrap=0)  # fmt: skip
    run(config, model=model)
    responses, _ = read_run_file(tmp_path / "run" / "samples" / "synth_hivtg.jsonl")
    failed = [r for r in responses if not r.ok]
    assert [r.sample_id for r in failed] == [model.bad]
    assert "cannot encode these frames" in failed[0].error
    assert sum(r.ok for r in responses) == 17
    # the batches went through the decode-ahead thread; the first one's encoding failed, so it
    # was generated without, then one by one (its samples encoded on the main thread)
    ahead = [name for name in model.encoded_on if name.startswith("decode-ahead")]
    assert len(ahead) == 3 and model.encoded_on.count("MainThread") == 6
    assert model.given[0] is False and model.given[-2:] == [True, True]
    assert model.given[1:-2].count(True) == 5  # the sample that cannot be encoded: without
