"""`refusal-bench leaderboard build`: a static site from validated submissions, in two stages.

`leaderboard.summarize` validates the submissions (each content once, cached in `SITE/.cache`)
and writes `SITE/data/summary.json`, the recomputed results of every accepted submission with
what its views need; `leaderboard.render` turns that summary into pages, reading nothing else
but the metric table. The summary can be rendered again without any validation, and is itself
the site's machine-readable export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leaderboard.ranking import sort_rows
from leaderboard.render import render
from leaderboard.sample_data import safe_json
from leaderboard.summarize import summarize
from leaderboard.validate import Reference

__all__ = ["BuildReport", "build_site", "safe_json", "sort_rows"]


@dataclass
class BuildReport:
    index: Path
    accepted: list[str]
    rejected: dict[str, list[str]]
    validated: int = 0  # submission contents validated by this build
    from_cache: int = 0  # submissions whose outcome came from the cache of earlier builds


def build_site(submissions: list[Path], out: Path, reference: Reference, **options) -> BuildReport:
    """Validate the submissions and write the site. `options` are those of
    `leaderboard.summarize.summarize` (`rejudge`, `jobs`, `fresh`, `progress`); with `jobs` > 1
    a calling script needs the `if __name__ == "__main__":` guard."""
    out = Path(out)
    summary = summarize(submissions, out, reference, **options)
    accepted = render(out)
    return BuildReport(
        index=out / "index.html",
        accepted=accepted,
        rejected=summary.rejected,
        validated=summary.validated,
        from_cache=summary.from_cache,
    )
