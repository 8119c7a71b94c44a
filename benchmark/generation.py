"""How much and how a model generates for a task: its YAML's `generation_kwargs`.

The settings travel with every request (`Request.generation`), so a model generates what the task
asks for (256 tokens for a QA answer, 512 for a reasoned grounding) unless the user overrides it
in `--model-args`. The YAML uses lm-eval's keys, so lm-eval reads the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from benchmark.errors import UsageError

DEFAULT_MAX_NEW_TOKENS = 512


@dataclass(frozen=True, slots=True)
class Generation:
    """Generation settings of a task."""

    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS
    until: tuple[str, ...] = ()  # stop strings: the output ends before the first one found
    temperature: float = 0.0  # 0: greedy decoding

    @property
    def do_sample(self) -> bool:
        return self.temperature > 0

    @classmethod
    def from_lmeval(cls, kwargs: Any, *, where: str = "generation_kwargs") -> Generation:
        """From lm-eval's `generation_kwargs` (`max_gen_toks`, `until`, `do_sample`,
        `temperature`); with `do_sample` true and no temperature, 1.0."""
        if kwargs is None:
            return cls()
        if not isinstance(kwargs, dict):
            raise UsageError(f"{where}: expected a mapping")
        until = kwargs.get("until") or ()
        until = (until,) if isinstance(until, str) else tuple(until)
        try:
            max_new_tokens = int(kwargs.get("max_gen_toks", DEFAULT_MAX_NEW_TOKENS))
            temperature = float(kwargs.get("temperature", 1.0 if kwargs.get("do_sample") else 0.0))
        except (TypeError, ValueError) as exc:
            raise UsageError(f"{where}: {exc}") from None
        if kwargs.get("do_sample") is False:
            temperature = 0.0
        if max_new_tokens <= 0 or temperature < 0 or not all(isinstance(u, str) for u in until):
            raise UsageError(
                f"{where}: max_gen_toks must be > 0, temperature >= 0 and until a list of strings"
            )
        return cls(max_new_tokens=max_new_tokens, until=until, temperature=temperature)

    def overridden(
        self, *, max_new_tokens: int | None = None, temperature: float | None = None
    ) -> Generation:
        """These settings with a model's own arguments in their place where it has them (None or
        0 tokens: the task's). How every adapter lets `--model-args` win over the task.

        >>> Generation(256).overridden(max_new_tokens=0, temperature=0.7)
        Generation(max_new_tokens=256, until=(), temperature=0.7)
        """
        return replace(
            self,
            max_new_tokens=max_new_tokens or self.max_new_tokens,
            temperature=self.temperature if temperature is None else temperature,
        )

    def stop(self, text: str) -> str:
        """The text up to the first stop string (all of it when there is none).

        >>> Generation(until=("\\n\\n",)).stop("12.5 to 17.8\\n\\nQuestion: ...")
        '12.5 to 17.8'
        """
        cut = min((i for i in (text.find(u) for u in self.until if u) if i >= 0), default=-1)
        return text if cut < 0 else text[:cut]

    def describe(self) -> dict[str, Any]:
        return {
            "max_new_tokens": self.max_new_tokens,
            "until": list(self.until),
            "temperature": self.temperature,
        }
