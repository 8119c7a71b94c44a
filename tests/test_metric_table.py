"""The metric table is the one place a metric is defined: everything that names a metric agrees
with it (results.json, the run table, compare, the task YAMLs, lm-eval, the families' views, the
leaderboard, the README)."""

from __future__ import annotations

import importlib.util

import pytest

from benchmark import tasks_dir
from benchmark.families import FAMILIES, GROUNDING, QA
from benchmark.generated import COMMAND
from benchmark.lmeval_tasks import AGGREGATIONS, aggregation_name
from benchmark.metrics import METRICS, summarize_task
from benchmark.records import Judgment, Sample, VideoRef
from benchmark.registry import load_registry, read_task_yaml
from benchmark.run_records import Results
from benchmark.runner import results_table


def sample(i, kind):
    span = (0.0, 5.0) if kind == "relevant" else None
    return Sample(f"s{i}", "t", VideoRef(f"v{i}.mp4"), "q", kind, span=span)


def judged(s, verdict):
    span = (0.0, 5.0) if verdict == "relevant" else None
    return Judgment(s.id, "rules", verdict=verdict, span=span)


SUMMARIES = {
    GROUNDING.name: lambda: summarize_task(
        [sample(0, "relevant"), sample(1, "irrelevant")],
        [judged(sample(0, "relevant"), "relevant"), judged(sample(1, "irrelevant"), "relevant")],
        family=GROUNDING,
        judge="rules",
        n_resamples=0,
    ),
    QA.name: lambda: summarize_task(
        [sample(0, "answerable"), sample(1, "unanswerable")],
        [judged(sample(0, "answerable"), "correct"), judged(sample(1, "unanswerable"), "answered")],
        family=QA,
        judge="rules",
        n_resamples=0,
    ),
}


def test_every_entry_is_complete():
    for metric in METRICS:
        assert metric.family in FAMILIES, metric.key
        assert metric.name and metric.definition and metric.source and metric.null_reason
        low, high = metric.range
        assert low < high
    for family in FAMILIES.values():
        assert family.headline, family.name
        assert family.primary in family.headline


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_results_json_holds_exactly_the_family_part_of_the_table_in_its_order(family):
    result = SUMMARIES[family]()
    assert tuple(result.metrics) == FAMILIES[family].metrics
    assert set(result.breakdowns["null_reasons"]) <= set(result.metrics)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_run_table_prints_the_headline_metrics(family):
    table = results_table(Results(tasks={"t": SUMMARIES[family]()}))
    printed = [line.split()[0] for line in table.splitlines()[1:]]
    assert tuple(printed) == METRICS.headline(family)


def test_every_task_yaml_lists_its_family_metrics_with_the_table_directions():
    utils = _task_utils()
    for spec in load_registry().tasks.values():
        config = read_task_yaml(spec.config_path)
        listed = [m["metric"] for m in config["metric_list"]]
        assert tuple(listed) == spec.family.metrics, f"{spec.config_path}: {COMMAND}"
        for entry in config["metric_list"]:
            metric = METRICS.get(spec.family.name, entry["metric"])
            assert entry["higher_is_better"] == metric.higher_is_better, entry
            function = entry["aggregation"].removeprefix("!function utils.")
            assert function == f"agg_{aggregation_name(metric.key)}"
            assert callable(getattr(utils, function)), function


def test_the_lm_eval_bridge_aggregates_every_single_run_metric():
    single_run = {aggregation_name(m.key) for m in METRICS if not m.paired}
    assert set(AGGREGATIONS) == single_run


def test_family_views_name_metrics_of_the_table():
    for family in FAMILIES.values():
        for view in family.pareto:
            assert {view.x, view.y} <= set(family.metrics), (family.name, view)
        if family.paired_pareto is not None:
            view = family.paired_pareto
            assert {view.x, view.y} <= set(family.paired_metrics), (family.name, view)


def test_the_leaderboard_columns_and_directions_come_from_the_table():
    from leaderboard.render import _board

    for family in FAMILIES.values():
        entry = {
            "id": "e",
            "model": "m",
            "results": {"tasks": {"t": SUMMARIES[family.name]().to_dict()}},
            "run": {"model": {"registry_name": "m", "args": {}}, "seed": 0},
        }
        board = _board("t", family, "openai:gpt-4o", [entry])  # an LLM judge with SBERT
        assert tuple(board["columns"]) == family.headline
        assert set(board["lower_is_better"]) == {
            k for k in family.headline if not METRICS.get(family.name, k).higher_is_better
        }
        assert board["default_sort"] == family.primary
        # a rules board has no LLM-score column; without SBERT, no SBERT column either
        for judge, absent in (
            ("rules", {"llm_score"}),
            ("rules[sbert=none]", {"llm_score", "sbert"}),
        ):
            columns = _board("t", family, judge, [entry])["columns"]
            assert set(family.headline) - set(columns) == absent & set(family.headline)


def test_the_files_written_from_the_table_are_current():
    from benchmark.generated import COMMAND, stale

    assert not stale(), f"out of date: {stale()}; run `{COMMAND}`"


def test_a_metric_the_table_lacks_is_an_error_not_a_silent_none():
    with pytest.raises(KeyError, match="no metric 'f1_everything' for the grounding family"):
        METRICS.get(GROUNDING.name, "f1_everything")


def _task_utils():
    path = tasks_dir() / "_templates" / "utils.py"
    spec = importlib.util.spec_from_file_location("task_utils", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_site_glossary_and_column_tooltips_come_from_the_table():
    from leaderboard.render import _environment, metric_title

    page = (
        _environment()
        .get_template("glossary.html")
        .render(families=list(FAMILIES.values()), metrics=list(METRICS), root="")
    )
    for metric in METRICS:
        assert f"<code>{metric.key}</code>" in page.replace("&amp;", "&")
    over = METRICS.get(QA.name, "over_refusal")
    assert (
        metric_title("over_refusal", QA.name) == f"{over.name}: {over.definition} (lower is better)"
    )
