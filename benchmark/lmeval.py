"""The model side of the lm-eval integration.

lm-eval 0.4 has no plugin mechanism for models and no video modality, so importing this module
registers every refusal-bench model as an lm-eval model named `rb-<name>` (e.g. `rb-random`),
and the task YAMLs pass each sample's video as a JSON reference in the request's `visual`
argument. `refusal-bench lm-eval ARGS...` runs lm-eval's own command line with these models and
this project's task folder included.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from lm_eval.api.model import LM
from lm_eval.api.registry import register_model

from benchmark import tasks_dir
from benchmark.generation import Generation
from benchmark.lmeval_tasks import doc_sample
from benchmark.models import MODELS, Model, Request, load_model
from benchmark.prompts import SYSTEM_PROMPT, Prompt
from benchmark.records import VideoRef
from benchmark.registry import load_registry

PREFIX = "rb-"


class RefusalBenchLM(LM):
    """An lm-eval LM that forwards `generate_until` requests to a refusal-bench model."""

    MULTIMODAL = True
    model_name: str = ""

    def __init__(self, batch_size=None, max_batch_size=None, device=None, **model_args) -> None:
        super().__init__()
        self.model: Model = load_model(self.model_name, {k: str(v) for k, v in model_args.items()})
        if batch_size not in (None, "auto"):
            self.model.batch_size = int(batch_size)

    def generate_until(self, requests) -> list[str]:
        registry = load_registry()
        ours = [self._request(r, registry) for r in requests]
        out: list[str] = []
        size = max(1, self.model.batch_size)
        for start in range(0, len(ours), size):
            out.extend(self.model.generate(ours[start : start + size]))
        return out

    def loglikelihood(self, requests):
        raise NotImplementedError("refusal-bench models generate text only")

    def loglikelihood_rolling(self, requests):
        raise NotImplementedError("refusal-bench models generate text only")

    @staticmethod
    def _request(instance, registry) -> Request:
        """Our request for an lm-eval instance: its context is the task's prompt, its generation
        kwargs (the YAML's, or lm-eval's --gen_kwargs) the generation settings."""
        context, gen_kwargs, *rest = instance.args
        (visual,) = rest[0]["visual"]
        spec = registry.tasks[visual["task"]]
        sample = doc_sample(instance.doc)
        return Request(
            sample_id=visual["sample_id"],
            task=visual["task"],
            family=spec.family,
            question=sample.question,
            prompt=Prompt(system=SYSTEM_PROMPT, text=context, version=spec.prompt),
            video=VideoRef(**visual["video"]),
            duration=sample.duration,
            generation=Generation.from_lmeval(gen_kwargs, where=f"{spec.name} gen_kwargs"),
        )


def _register(name: str) -> None:
    cls = type(f"RefusalBenchLM_{name.replace('-', '_')}", (RefusalBenchLM,), {"model_name": name})
    register_model(PREFIX + name)(cls)


for _name in MODELS:
    _register(_name)


def cli(argv: Sequence[str]) -> int:
    """Run lm-eval's command line with refusal-bench models and tasks available."""
    from lm_eval.__main__ import cli_evaluate

    args = list(argv)
    if "--include_path" not in args:
        args += ["--include_path", str(tasks_dir())]
    saved = sys.argv
    sys.argv = ["lm-eval", *args]
    try:
        cli_evaluate()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.argv = saved
    return 0
