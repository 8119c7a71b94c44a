"""Generating a task's responses: batches, one video's queries together, decoding ahead.

While the model generates a batch, a background thread decodes the next batch's frames and
makes its inputs (`Model.encode`: the processor's resizing and tokenising), so the decoder and
the model do not wait for each other. A batch that fails is retried one request at a
time, and a request that still fails is recorded with its error (retried on resume): one bad
sample never stops a run; a model that cannot take the inputs at all (`UsageError`) or is gone
(`EndpointDown`) does.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

from benchmark.errors import EndpointDown, UsageError
from benchmark.models import Model, Request
from benchmark.progress import Progress
from benchmark.prompts import render_prompt
from benchmark.records import Response, Sample, append_records, read_run_file
from benchmark.registry import TaskSpec
from benchmark.video import VideoError, VideoLoader


def generate_responses(
    model: Model,
    spec: TaskSpec,
    samples: list[Sample],
    path: Path,
    videos: VideoLoader | None = None,
    *,
    batch_size: int = 0,
    progress: bool = True,
) -> dict[str, Response]:
    """Every sample's latest response: those of `path` that are ok, and the others generated
    now, a batch at a time (`batch_size`; 0: the model's), each batch appended to `path`."""
    done = latest_responses(path)
    todo = [s for s in samples if s.id not in done or not done[s.id].ok]
    if videos is not None:  # the queries of one video together: it is decoded once
        todo.sort(key=lambda s: (s.video.path, s.video.start or 0.0, s.video.end or 0.0))
    size = max(1, batch_size or model.batch_size)
    batches = [todo[start : start + size] for start in range(0, len(todo), size)]
    with (
        Progress(len(todo), f"{spec.name}: generate", bar=progress) as shown,
        ThreadPoolExecutor(1, thread_name_prefix="decode-ahead") as decoder,
    ):
        # the next batch's frames are decoded and its inputs made while the model generates this
        # one's: one batch ahead, so at most two batches are held beyond the frame cache
        ahead = [decoder.submit(prepare, model, spec, batch, videos) for batch in batches[:1]]
        for k, batch in enumerate(batches):
            prepared = ahead.pop().result()
            if k + 1 < len(batches):
                ahead.append(decoder.submit(prepare, model, spec, batches[k + 1], videos))
            new = generate_batch(model, spec, batch, videos, prepared=prepared)
            append_records(path, new)
            done.update((r.sample_id, r) for r in new)
            shown.update(len(batch))
    return done


class Prepared(NamedTuple):
    """A batch made ready for the model."""

    requests: list[Request]  # with their frames decoded
    failed: list[Response]  # the samples whose video failed
    encoded: Any = None  # `model.encode(requests)`; None: `generate` makes its own inputs


def prepare(
    model: Model, spec: TaskSpec, batch: list[Sample], videos: VideoLoader | None
) -> Prepared:
    """A batch's requests, their frames decoded and inputs encoded, and the failed videos."""
    requests, failed = decode_batch(model, spec, batch, videos)
    try:
        encoded = model.encode(requests) if requests else None
    except Exception:  # `generate` meets the same error, and the retries find the sample
        encoded = None
    return Prepared(requests, failed, encoded)


def decode_batch(
    model: Model, spec: TaskSpec, batch: list[Sample], videos: VideoLoader | None
) -> tuple[list[Request], list[Response]]:
    """A batch's requests with their frames, and the samples whose video failed."""
    requests, failed = [], []
    for sample in batch:
        try:
            frames = videos.frames(sample.video) if videos is not None else None
        except VideoError as exc:  # recorded for this sample; the others go on
            failed.append(Response(sample.id, model.name, error=f"VideoError: {exc}"))
            continue
        requests.append(request_for(spec, sample, frames))
    return requests, failed


def generate_batch(
    model: Model,
    spec: TaskSpec,
    batch: list[Sample],
    videos: VideoLoader | None = None,
    *,
    prepared: Prepared | None = None,
) -> list[Response]:
    requests, failed, encoded = prepared or prepare(model, spec, batch, videos)
    if not requests:
        return failed
    batch = [s for s in batch if s.id in {r.sample_id for r in requests}]
    started = time.perf_counter()
    try:
        texts = (
            model.generate(requests)
            if encoded is None
            else model.generate(requests, encoded=encoded)
        )
        if len(texts) != len(requests):
            raise RuntimeError(f"model returned {len(texts)} outputs for {len(requests)} requests")
        latency = (time.perf_counter() - started) / len(batch)
        return failed + [
            Response(s.id, model.name, text=t, latency_s=latency)
            for s, t in zip(batch, texts, strict=True)
        ]
    except (UsageError, EndpointDown):  # the model cannot take these inputs, or is gone
        raise
    except Exception as exc:
        if len(batch) == 1:  # recorded in the run file, counted in the results, retried on resume
            return [
                *failed,
                Response(batch[0].id, model.name, error=f"{type(exc).__name__}: {exc}"),
            ]
        return failed + [r for s in batch for r in generate_batch(model, spec, [s], videos)]


def request_for(spec: TaskSpec, sample: Sample, frames=None) -> Request:
    """What the model is asked for a sample: the task's prompt around its question."""
    return Request(
        sample_id=sample.id,
        task=spec.name,
        family=spec.family,
        question=sample.question,
        prompt=render_prompt(sample.question, spec.prompt),
        video=sample.video,
        duration=sample.duration,
        frames=frames,
        generation=spec.generation,
    )


def latest_responses(path: Path) -> dict[str, Response]:
    """The last response of each sample in a run file (none: no file yet)."""
    if not path.exists():
        return {}
    responses, _ = read_run_file(path)
    return {r.sample_id: r for r in responses}
