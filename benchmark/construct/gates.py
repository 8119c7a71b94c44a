"""Quality gates for constructed splits, and the report of what they kept and rejected.

Every candidate (an unanswerable question or a hard-irrelevant query) passes the same checks:
not equal to the original, not equal to another query of the same video, not a duplicate, no
leak of the original element into the question, categories among the known ones, a non-empty
refusal. Rejections are counted by reason; kept items by category and difficulty.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


@dataclass
class GateReport:
    kept: Counter = field(default_factory=Counter)  # by category
    by_difficulty: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)  # by reason
    examples: dict[str, str] = field(default_factory=dict)

    def reject(self, reason: str, example: str) -> None:
        self.rejected[reason] += 1
        self.examples.setdefault(reason, example)

    def keep(self, categories: tuple[str, ...] | list[str], difficulty: str | None = None) -> None:
        self.kept.update(categories or ["(none)"])
        if difficulty:
            self.by_difficulty[difficulty] += 1

    def lines(self) -> list[str]:
        out = [f"kept {sum(self.by_difficulty.values()) or sum(self.kept.values())} items"]
        out += [f"  category {c}: {n}" for c, n in sorted(self.kept.items())]
        out += [f"  difficulty {d}: {n}" for d, n in sorted(self.by_difficulty.items())]
        out += [f"rejected {sum(self.rejected.values())} candidates"]
        out += [
            f"  {reason}: {n} (e.g. {self.examples[reason]!r})"
            for reason, n in self.rejected.most_common()
        ]
        return out

    def as_dict(self) -> dict:
        return {
            "kept_by_category": dict(self.kept),
            "kept_by_difficulty": dict(self.by_difficulty),
            "rejected": dict(self.rejected),
            "examples": self.examples,
        }


class Gates:
    """The checks, remembering what each video already has so duplicates are caught."""

    def __init__(self, allowed_categories: tuple[str, ...]) -> None:
        self.allowed = set(allowed_categories)
        self.seen: dict[str, set[str]] = {}
        self.report = GateReport()

    def admit(
        self,
        video: str,
        text: str,
        *,
        original: str,
        other_queries: list[str],
        refusal: str,
        categories: list[str] | tuple[str, ...],
        leaked: str | None = None,
    ) -> bool:
        """Whether a candidate passes; a rejection is counted with its reason."""
        key = normalize(text)
        seen = self.seen.setdefault(video, set())
        reason = None
        if not key:
            reason = "empty text"
        elif key == normalize(original):
            reason = "edit equal to the original"
        elif key in {normalize(q) for q in other_queries}:
            reason = "equal to another query of the same video"
        elif key in seen:
            reason = "duplicate"
        elif leaked and re.search(rf"\b{re.escape(leaked.lower())}\b", text.lower()):
            reason = "leaks the original element"
        elif not refusal.strip():
            reason = "no refusal"
        elif not categories or any(c not in self.allowed for c in categories):
            reason = "malformed categories"
        if reason is not None:
            self.report.reject(reason, text)
            return False
        seen.add(key)
        return True
