"""Model prompts as versioned Jinja templates, named by id (`ravtg_v1`, `qa_v1`).

A task names its prompt in its YAML (`metadata.prompt`, defaulting to its family's); the id is the
version recorded in run.json, so results are only ever compared between runs that asked the same
question the same way. Bump the id (a new file) when a template's wording changes. The RA-VTG
prompt follows the RA-RFT output contract (think / answer "S to E" / correction, with a relevant
and a refuse branch); the QA prompt asks for an answer or an explicit refusal naming the mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2

SYSTEM_PROMPT = "You are a video analysis expert."


@dataclass(frozen=True, slots=True)
class Prompt:
    system: str
    text: str
    version: str  # the template id, e.g. "ravtg_v1"


def render_prompt(question: str, prompt: str) -> Prompt:
    """The prompt `prompt` (a template id such as "ravtg_v1") for one question or query."""
    text = template(prompt).render(question=question).strip()
    return Prompt(system=SYSTEM_PROMPT, text=text, version=prompt)


def prompt_exists(prompt: str) -> bool:
    try:
        template(prompt)
    except jinja2.TemplateNotFound:
        return False
    return True


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
