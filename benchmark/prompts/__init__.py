"""Model prompts per task family, as versioned Jinja templates.

The version of every template a run used is recorded in its run.json, so results are only ever
compared between runs that asked the same question the same way. The RA-VTG prompt follows the
RA-RFT output contract (think / answer "S to E" / correction, with a relevant and a refuse
branch); the QA prompt asks for an answer or an explicit refusal naming the mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2

SYSTEM_PROMPT = "You are a video analysis expert."

#: family -> (template name, version). Bump the version when a template's wording changes.
PROMPTS: dict[str, tuple[str, str]] = {
    "grounding": ("ravtg", "v1"),
    "qa": ("qa", "v1"),
}


@dataclass(frozen=True, slots=True)
class Prompt:
    system: str
    text: str
    version: str  # e.g. "ravtg_v1"


def prompt_version(family: str) -> str:
    name, version = PROMPTS[family]
    return f"{name}_{version}"


def render_prompt(question: str, family: str) -> Prompt:
    """The prompt for one question or query of a task family ("grounding" or "qa")."""
    version = prompt_version(family)
    text = template(version).render(question=question).strip()
    return Prompt(system=SYSTEM_PROMPT, text=text, version=version)


@cache
def template(name: str) -> jinja2.Template:
    """A prompt template of this package by name without `.jinja`: "qa_v1", "judge/qa_v1",
    "construct/uvqa_v1" (model, judge and dataset-construction prompts)."""
    return _environment().get_template(f"{name}.jinja")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("benchmark", "prompts"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain-text prompts, never HTML
    )
