"""What a loader noticed while reading a source: counts of fixed or dropped items, by reason.

Loaders never crash on the known quirks of released files; they apply a documented rule, count it
here, and the CLI prints the counts. A user sees e.g. "2 spans reversed (swapped)".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadReport:
    """Counts of what a loader fixed, dropped or could not recognise, with an example of each."""

    source: str
    counts: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    unknown_categories: Counter = field(default_factory=Counter)

    def note(self, what: str, example: str = "") -> None:
        """Count one occurrence of `what` (e.g. "empty query (dropped)"), keeping one example."""
        self.counts[what] += 1
        if example:
            self.examples.setdefault(what, example)

    def lines(self) -> list[str]:
        """Human-readable lines, one per kind of event, most frequent first."""
        out = [
            f"{self.source}: {n} × {what}"
            + (f" (e.g. {self.examples[what]})" if what in self.examples else "")
            for what, n in self.counts.most_common()
        ]
        if self.unknown_categories:
            labels = ", ".join(f"{c} ×{n}" for c, n in self.unknown_categories.most_common())
            out.append(f"{self.source}: unknown categories kept as they are: {labels}")
        return out

    def as_dict(self) -> dict:
        return {
            "counts": dict(self.counts),
            "examples": dict(self.examples),
            "unknown_categories": dict(self.unknown_categories),
        }
