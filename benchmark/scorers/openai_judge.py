"""The `openai:<model>` judge: an LLM on any OpenAI-compatible endpoint grades each response.

Steps, as in the RA-RFT evaluator: (1) relevance and the top-1 span; for responses judged
irrelevant, (2) the mismatch categories among the 11 and (3) reasoning consistency 0-5 with the
reference refusal. QA responses get one step: the UVQA response type.

Under the `ra-rft` protocol (`benchmark.protocols`) the steps read what the evaluator's read:
step 1 the think-stripped first answer block, with the best span as written; steps 2-3 the
reasoning text, only for gold-irrelevant queries (categories for refusals, consistency for every
one: a missed refusal's score is kept for the per-category figures but never counts in the
headline), against the released answer; its own prompt templates (`*_rarft_v1`).

Prompts are versioned Jinja templates (`benchmark/prompts/judge/`); every reply must be one JSON
object of the expected shape; a reply that is not gets one repair request, then the judgment is a
`parse_error`. A request that fails after retries makes an `api_error`. Either is excluded from
every metric and counted.

Items are judged concurrently (`concurrency` threads); every completion goes through the client's
SQLite cache, so judging the same responses again makes no request.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from benchmark.families import GROUNDING, QA, family_of
from benchmark.openai_client import (
    CacheMiss,
    ChatClient,
    InvalidReply,
    RequestFailed,
    ResponseCache,
    ask_json,
    default_cache_path,
)
from benchmark.prompts import template
from benchmark.protocols import Protocol, get_protocol
from benchmark.records import CATEGORIES, VERDICTS_OF_KIND, Judgment, Response, Sample
from benchmark.scorers.base import Judge
from benchmark.scorers.sbert import SbertScorer
from benchmark.scorers.spec import JudgeSpec
from benchmark.spans import normalize_span

PROMPT_VERSION = "openai_judge_v1"  # relevance_v1 + categories_v1 + consistency_v1 + answer_type_v1
#: Under `ra-rft`: relevance_rarft_v1 + categories_rarft_v1 + consistency_rarft_v1 + answer_type_v1
RARFT_PROMPT_VERSION = "openai_judge_rarft_v1"
DEFAULT_CONCURRENCY = 8


class OpenAIJudge(Judge):
    prompt_version = PROMPT_VERSION

    def __init__(
        self,
        model: str,
        *,
        sbert: SbertScorer | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        cache: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        check: bool = True,
        protocol: str | Protocol | None = None,
    ) -> None:
        response_cache = None if cache == "none" else ResponseCache(cache or default_cache_path())
        self.client = ChatClient(
            model,
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            cache=response_cache,
        )
        if check:
            self.client.check()
        self.model = model
        self.sbert = sbert
        self.protocol = get_protocol(protocol)
        self._rarft = self.protocol.name == "ra-rft"
        self.prompt_version = RARFT_PROMPT_VERSION if self._rarft else PROMPT_VERSION
        self.concurrency = max(1, concurrency)
        self.name = JudgeSpec(
            "openai",
            model,
            sbert=sbert.model_name if sbert else "none",
            protocol=self.protocol.name,
        ).id
        self.batch_size = 8 * self.concurrency
        self._cached_only = threading.local()  # per thread: answer from the cache or not at all

    @property
    def rules(self):
        """Per family: its items judged concurrently, each by the family's steps."""
        return {name: self._judge_concurrently for name in self._steps}

    @property
    def _steps(self):
        """Per family, the judge steps of one item: (sample, response text) -> judgment fields."""
        return {GROUNDING.name: self._grounding, QA.name: self._qa_fields}

    def _judge_concurrently(self, items: list[tuple[Sample, Response]]) -> list[Judgment]:
        # items the cache answers whole are judged here; the rest go to the request threads
        judgments: list[Judgment | None] = [None] * len(items)
        misses = []
        for k, item in enumerate(items):
            try:
                judgments[k] = self._one(*item, cached_only=True)
            except CacheMiss:
                misses.append(k)
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            for k, judgment in zip(
                misses, pool.map(lambda k: self._one(*items[k]), misses), strict=True
            ):
                judgments[k] = judgment
        return self._add_sbert(items, judgments)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "model": self.model,
            "base_url": self.client.base_url,
            "prompt_version": self.prompt_version,
            "protocol": self.protocol.name,
            "concurrency": self.concurrency,
            "sbert": self.sbert.describe() if self.sbert else None,
        }

    def usage(self) -> dict[str, Any]:
        return self.client.usage.as_dict(self.model)

    # --- one item -------------------------------------------------------------------------------

    def _one(self, sample: Sample, response: Response, cached_only: bool = False) -> Judgment:
        self._cached_only.value = cached_only
        try:
            fields = self._steps[family_of(sample).name](sample, response.text)
            return Judgment(
                sample_id=sample.id, judge=self.name, prompt_version=self.prompt_version, **fields
            )
        except RequestFailed as exc:
            status, error = "api_error", str(exc)
        except InvalidReply as exc:
            status, error = "parse_error", str(exc)
        return Judgment(
            sample_id=sample.id,
            judge=self.name,
            status=status,
            error=error,
            prompt_version=self.prompt_version,
        )

    def _grounding(self, sample: Sample, text: str) -> dict[str, Any]:
        if self._rarft:
            return self._grounding_rarft(sample, text)
        reply = self._ask("relevance", {}, {"response": text}, _relevance)
        if reply["relevant"]:
            span = reply["span"]
            return {
                "verdict": "relevant",
                "span": normalize_span(span, sample.duration) if span else None,
            }
        categories = self._ask(
            "categories", {"categories": CATEGORIES}, {"response": text}, _categories
        )
        consistency = None
        if sample.refusal:
            consistency = self._ask(
                "consistency", {}, {"response": text, "reference": sample.refusal}, _consistency
            )
        return {
            "verdict": "irrelevant",
            "categories": tuple(categories),
            "consistency": consistency,
        }

    def _grounding_rarft(self, sample: Sample, text: str) -> dict[str, Any]:
        """The evaluator's steps 1-3 on the texts it gives them (see the module docstring)."""
        answer = self.protocol.answer_text(text)
        reply = self._ask("relevance_rarft", {}, {"response": answer}, _relevance)
        fields: dict[str, Any] = {
            "verdict": "relevant" if reply["relevant"] else "irrelevant",
            "span": reply["span"],  # as written: a reversed span scores IoU 0
        }
        if sample.gold_relevant:
            return fields
        reasoning = self.protocol.explanation_text(text, answer)
        if not reply["relevant"] and reasoning:
            fields["categories"] = tuple(
                self._ask("categories_rarft", {}, {"response": reasoning}, _categories)
            )
        reference = self.protocol.reference(sample)
        if reference:
            fields["consistency"] = (
                self._ask(
                    "consistency_rarft",
                    {},
                    {"response": reasoning, "reference": reference},
                    _consistency,
                )
                if reasoning
                else 0.0
            )
        return fields

    def _qa_fields(self, sample: Sample, text: str) -> dict[str, Any]:
        verdicts = VERDICTS_OF_KIND[sample.kind]
        reference = (sample.answer if sample.gold_relevant else sample.refusal) or ""
        arguments = {"question": sample.question, "response": text, "reference": reference}
        arguments["altered"] = None if sample.gold_relevant else sample.altered
        verdict = self._ask(
            "answer_type", {"verdicts": verdicts}, arguments, lambda d: _verdict(d, verdicts)
        )
        return {"verdict": verdict}

    def _ask(self, step: str, system_args: dict, user_args: dict, validate) -> Any:
        module = template(f"judge/{step}_v1").module
        messages = [
            {"role": "system", "content": str(module.system(**system_args)).strip()},
            {"role": "user", "content": str(module.user(**user_args)).strip()},
        ]
        cached_only = getattr(self._cached_only, "value", False)
        try:
            return ask_json(
                self.client, messages, validate, version=f"{step}_v1", cached_only=cached_only
            )
        except InvalidReply as exc:
            raise InvalidReply(f"{step}: {exc}") from None

    def _add_sbert(self, items, judgments: list[Judgment]) -> list[Judgment]:
        """SBERT similarity of explanations to the reference, as the rules judge computes it."""
        if self.sbert is None:
            return judgments
        protocol = self.protocol
        wanted, texts, references = [], [], []
        for k, ((sample, response), j) in enumerate(zip(items, judgments, strict=True)):
            grounding = family_of(sample).name == GROUNDING.name
            reference = protocol.reference(sample) if grounding else None
            if (
                j.ok
                and reference
                and protocol.scores_explanation(sample, j.verdict == "irrelevant")
            ):
                answer = protocol.answer_text(response.text)
                wanted.append(k)
                texts.append(protocol.explanation_text(response.text, answer))
                references.append(reference)
        for k, score in zip(wanted, self.sbert.clipped(texts, references), strict=True):
            judgments[k].sbert = float(score)
        return judgments


# --- replies ---------------------------------------------------------------------------------


def _relevance(data: dict) -> dict[str, Any]:
    label = data.get("classification")
    if label not in ("relevant", "irrelevant"):
        raise InvalidReply(f"'classification' must be relevant or irrelevant, got {label!r}")
    span = data.get("span")
    if label == "irrelevant" or span is None:
        return {"relevant": label == "relevant", "span": None}
    if (
        not isinstance(span, list)
        or len(span) != 2
        or not all(isinstance(x, int | float) and not isinstance(x, bool) and x >= 0 for x in span)
    ):
        raise InvalidReply(f"'span' must be [start, end] in seconds or null, got {span!r}")
    return {"relevant": True, "span": (float(span[0]), float(span[1]))}


def _categories(data: dict) -> list[str]:
    labels = data.get("categories")
    if not isinstance(labels, list) or not all(isinstance(c, str) for c in labels):
        raise InvalidReply(f"'categories' must be a list of category names, got {labels!r}")
    return [
        c for c in CATEGORIES if c in labels
    ]  # unknown names dropped, as the RA-RFT evaluator does


def _consistency(data: dict) -> float:
    score = data.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 5:
        raise InvalidReply(f"'score' must be a number from 0 to 5, got {score!r}")
    return float(score)


def _verdict(data: dict, allowed: tuple[str, ...]) -> str:
    verdict = data.get("verdict")
    if verdict not in allowed:
        raise InvalidReply(f"'verdict' must be one of {', '.join(allowed)}, got {verdict!r}")
    return verdict
