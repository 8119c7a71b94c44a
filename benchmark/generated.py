"""Files written from the metric table, so that adding a metric is its function and its entry.

- the `metric_list` of each family's base task YAML (`tasks/_templates/<family>_yaml`), which
  lm-eval reads statically;
- `docs/metrics.md`, the glossary of every metric of results.json.

`python -m benchmark.generated` rewrites them; `tests/test_metric_table.py` fails, naming this
command, when one is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from benchmark import tasks_dir
from benchmark.families import FAMILIES, Family
from benchmark.lmeval_tasks import aggregation_name
from benchmark.metrics import METRICS

COMMAND = "python -m benchmark.generated"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"


def base_yaml(family: Family) -> Path:
    return tasks_dir() / "_templates" / f"{family.name}_yaml"


def metric_list(family: Family) -> str:
    """The `metric_list:` block of a family's base task YAML."""
    lines = ["metric_list:"]
    for key, metric in METRICS.of(family.name).items():
        lines += [
            f'  - metric: "{key}"',
            f"    aggregation: !function utils.agg_{aggregation_name(key)}",
            f"    higher_is_better: {'true' if metric.higher_is_better else 'false'}",
        ]
    return "\n".join(lines) + "\n"


def with_metric_list(text: str, family: Family) -> str:
    """A base YAML's text with its `metric_list:` block (up to the next top-level key) current."""
    pattern = re.compile(r"^metric_list:\n(?:[ -].*\n)*", re.MULTILINE)
    if not pattern.search(text):
        raise ValueError(f"{base_yaml(family)}: no metric_list block")
    return pattern.sub(lambda _: metric_list(family), text, count=1)


def metrics_doc() -> str:
    """docs/metrics.md: every metric of results.json, per family, from the table."""
    out = [
        "# Metrics",
        "",
        f"Generated from `benchmark/metrics/table.py` by `{COMMAND}`; do not edit by hand.",
        "Rates are fractions in [0, 1] (the papers print percentages). A metric that cannot be",
        "computed is `null` in results.json, with the reason in `breakdowns.null_reasons`.",
    ]
    for family in FAMILIES.values():
        for paired in (False, True):
            metrics = METRICS.of(family.name, paired=paired)
            if not metrics:
                continue
            title = "paired, from `compare` or a base run" if paired else "results.json"
            out += ["", f"## {family.title} ({family.name}; {title})", ""]
            out += ["| key | name | definition | better | range | headline | source |"]
            out += ["|---|---|---|---|---|---|---|"]
            for key, m in metrics.items():
                better = "higher" if m.higher_is_better else "lower"
                span = f"[{m.range[0]:g}, {m.range[1]:g}]"
                cells = [
                    f"`{key}`",
                    m.name,
                    m.definition,
                    better,
                    span,
                    "yes" * m.headline,
                    m.source,
                ]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"


def stale() -> list[Path]:
    """The generated files that differ from what the table gives."""
    found = [
        p
        for f in FAMILIES.values()
        if (p := base_yaml(f)).read_text() != with_metric_list(p.read_text(), f)
    ]
    if not DOCS.is_file() or DOCS.read_text() != metrics_doc():
        found.append(DOCS)
    return found


def write() -> list[Path]:
    """Rewrite the generated files; the paths that changed."""
    changed = stale()
    for family in FAMILIES.values():
        path = base_yaml(family)
        path.write_text(with_metric_list(path.read_text(), family))
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(metrics_doc())
    return changed


if __name__ == "__main__":
    for path in write():
        print(f"rewrote {path}")
    sys.exit(0)
