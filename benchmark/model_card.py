"""A submission's identity: the model card in run.json (`model.card`).

Boards, Pareto labels and the sample browser name a submission by its card, not by the adapter
("replay", "hf:/home/me/ckpt"): display name, parameters, organisation, link, date, licence and
the frames it read. Each model fills what it knows (`Model.card()`: the hf model its hub id,
organisation, link and parameter count); `run --model-name` and `--model-card key=value,...`
set or correct any field. A replayed run has no name to guess and must be given one. `check_card`
is what `validate` asks of a card before it reaches the site.
"""

from __future__ import annotations

import re
from typing import Any

from benchmark.errors import UsageError

FIELDS = ("name", "parameters", "organisation", "link", "date", "licence", "frames")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LOCAL = re.compile(r"^(/|~|\.{1,2}/|[A-Za-z]:\\)")


def is_local_path(value: Any) -> bool:
    """Whether a setting names a file on the submitter's machine (absolute, ~ or ./ relative).

    >>> is_local_path("/home/me/preds.jsonl"), is_local_path("Qwen/Qwen2.5-VL-7B-Instruct")
    (True, False)
    """
    return isinstance(value, str) and _LOCAL.match(value) is not None


def parse_card(text: str | None) -> dict[str, str]:
    """`--model-card organisation=My Lab,licence=apache-2.0` as a dict; unknown keys are errors.

    >>> parse_card("organisation=My Lab,parameters=7.6e9")
    {'organisation': 'My Lab', 'parameters': '7.6e9'}
    """
    card: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in FIELDS:
            raise UsageError(
                f"--model-card expects key=value with keys {', '.join(FIELDS)}; got {item!r}"
            )
        card[key] = value.strip()
    return card


def build_card(model_card: dict[str, Any], given: dict[str, str], registry_name: str,
               frames: dict[str, Any] | None) -> dict[str, Any]:  # fmt: skip
    """The card run.json records: what the model knows, then the user's fields over it; the
    frames from the run's frame settings. A replay without a name is refused."""
    card = {k: v for k, v in model_card.items() if v not in (None, "")}
    card |= {k: v for k, v in given.items() if v != ""}
    if "parameters" in card:
        card["parameters"] = _parameters(card["parameters"])
    if frames and "frames" not in card:
        card["frames"] = describe_frames(frames)
    if registry_name == "replay" and not card.get("name"):
        raise UsageError(
            "name the replayed model: --model-name NAME (what the leaderboard shows; "
            "add --model-card organisation=...,link=... for the rest of its card)"
        )
    problems = check_card(card)
    if problems:
        raise UsageError(f"model card: {problems[0]}")
    return card


def describe_frames(frames: dict[str, Any]) -> str:
    """A frame spec in words: "8 frames" or "2 fps (at most 768 frames)".

    >>> describe_frames({"num_frames": 8}), describe_frames({"num_frames": None, "fps": 2.0})
    ('8 frames', '2 fps')
    """
    if frames.get("num_frames"):
        return f"{frames['num_frames']} frames"
    return f"{frames.get('fps', 2.0):g} fps"


def check_card(card: Any) -> list[str]:
    """What is wrong with a card for the site: a name is required; a link is an http(s) URL; a
    date is YYYY, YYYY-MM or YYYY-MM-DD; parameters a positive number; no field names a local
    path (the site is public)."""
    if not isinstance(card, dict):
        return ["run.json model.card must be a mapping (run with --model-name NAME)"]
    problems = []
    name = card.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("no display name (run with --model-name NAME)")
    unknown = sorted(set(card) - set(FIELDS))
    if unknown:
        problems.append(f"unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
    link = card.get("link")
    if link is not None and not (isinstance(link, str) and re.match(r"^https?://\S+$", link)):
        problems.append(f"link {link!r} is not an http(s) URL")
    date = card.get("date")
    if date is not None and not (isinstance(date, str) and _DATE.match(date)):
        problems.append(f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parameters = card.get("parameters")
    if parameters is not None and not (
        isinstance(parameters, int | float) and not isinstance(parameters, bool) and parameters > 0
    ):
        problems.append(f"parameters {parameters!r} is not a positive number")
    for key, value in card.items():
        if is_local_path(value):
            problems.append(f"{key} {value!r} is a local path; the card is shown publicly")
    return problems


def display_name(run: dict[str, Any]) -> str:
    """What the site calls a run's model: its card's name, else the adapter's name."""
    card = (run.get("model") or {}).get("card") or {}
    return card.get("name") or (run.get("model") or {}).get("name") or "unnamed"


def short_parameters(value: float | None) -> str:
    """7.6e9 → "7.6B", 350e6 → "350M".

    >>> short_parameters(7.62e9), short_parameters(3.5e8), short_parameters(None)
    ('7.6B', '350M', '')
    """
    if not value:
        return ""
    for scale, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= scale:
            return f"{value / scale:.1f}".rstrip("0").rstrip(".") + unit
    return f"{value:g}"


def _parameters(value: Any) -> float:
    try:
        number = float(str(value).upper().rstrip("B")) * (1e9 if str(value)[-1:] in "bB" else 1)
    except ValueError:
        raise UsageError(
            f"model card: parameters {value!r} is not a number (e.g. 7.6e9 or 7.6B)"
        ) from None
    return int(number) if number.is_integer() else number
