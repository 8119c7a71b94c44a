"""Submissions, validation, hostile input and the static site."""

from __future__ import annotations

import io
import json
import re
import shutil
import tarfile
import zipfile

import pytest
from reference_runs import reference_runs

from benchmark.cli import main
from benchmark.official import OfficialReference
from benchmark.records import read_json, write_json
from benchmark.task_loading import load_task
from leaderboard import submission as submission_module
from leaderboard.pareto import Point, pareto_front, pareto_svg
from leaderboard.site import build_site, safe_json
from leaderboard.submission import SubmissionError, open_submission, pack
from leaderboard.validate import validate

TASKS = "synth_hivtg,synth_qa,synth_uvqa"
EVIL = "<script>alert('x')</script>\"'&"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return reference_runs(tmp_path_factory.mktemp("runs"), TASKS, bootstrap=50)


@pytest.fixture
def copy(runs, tmp_path):
    def make(model="random", name=None):
        target = tmp_path / (name or model)
        shutil.copytree(runs / model, target)
        return target

    return make


def problems_of(path):
    with open_submission(path) as submission:
        return validate(submission, OfficialReference()).problems


def test_a_real_run_is_valid(runs, capsys):
    assert problems_of(runs / "random") == []
    assert main(["validate", str(runs / "random")]) == 0
    assert "valid" in capsys.readouterr().out


def test_every_problem_is_reported_not_only_the_first(copy, capsys):
    path = copy()
    results = read_json(path / "results.json")
    results["tasks"]["synth_hivtg"]["metrics"]["f1_rel"] = 0.99
    results["tasks"]["synth_qa"]["n"] += 1
    write_json(path / "results.json", results)
    info = read_json(path / "run.json")
    info["prompts"]["grounding"] = "ravtg_v0"
    write_json(path / "run.json", info)
    problems = problems_of(path)
    assert any(
        "synth_hivtg: results.json says f1_rel=0.99 but the samples give" in p for p in problems
    )
    assert any("synth_qa: results.json says n=" in p for p in problems)
    assert any("prompt versions" in p for p in problems)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{len(problems)} problems" in err


def test_nan_metrics_are_rejected(copy):
    path = copy()
    text = (path / "results.json").read_text().replace('"f1_rel": 0.', '"f1_rel": NaN, "x": 0.', 1)
    (path / "results.json").write_text(text)
    assert any("NaN is not allowed" in p for p in problems_of(path))


def test_duplicate_missing_and_unknown_ids_are_problems(copy):
    path = copy()
    lines = (path / "samples" / "synth_qa.jsonl").read_text().splitlines(keepends=True)
    responses = [line for line in lines if '"type": "response"' in line]
    kept = [line for line in lines if line != responses[1]]  # one sample loses its response
    kept.append(responses[0])  # another is answered twice
    kept.append(responses[2].replace('"sample_id": "', '"sample_id": "nope-'))  # an unknown id
    (path / "samples" / "synth_qa.jsonl").write_text("".join(kept))
    problems = " | ".join(problems_of(path))
    assert "no successful response" in problems
    assert "answered more than once" in problems
    assert "unknown sample ids" in problems


def test_unknown_tasks_limited_and_train_split_runs_are_problems(copy):
    path = copy()
    results = read_json(path / "results.json")
    results["tasks"]["made_up"] = results["tasks"]["synth_qa"]
    write_json(path / "results.json", results)
    info = read_json(path / "run.json")
    info["limit"] = 10
    info["split"] = "train"
    write_json(path / "run.json", info)
    problems = " | ".join(problems_of(path))
    assert "unknown task 'made_up'" in problems and "--limit 10" in problems
    assert "the 'train' split" in problems


def test_judgments_that_the_rules_judge_would_not_give_are_caught(copy):
    path = copy()
    file = path / "samples" / "synth_hivtg.jsonl"
    file.write_text(file.read_text().replace('"verdict": "irrelevant"', '"verdict": "relevant"', 3))
    assert any("differ from what 'rules[sbert=none]' gives" in p for p in problems_of(path))


def test_submit_packs_a_valid_archive(runs, tmp_path, capsys):
    out = tmp_path / "sub.tar.gz"
    assert main(["submit", str(runs / "random"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "sha256" in printed and "samples/synth_qa.jsonl" in printed
    assert problems_of(out) == []


def _tar_with(tmp_path, name, payload=b"{}", kind=tarfile.REGTYPE, link=""):
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(name)
        info.type, info.linkname, info.size = (
            kind,
            link,
            len(payload) if kind == tarfile.REGTYPE else 0,
        )
        archive.addfile(info, io.BytesIO(payload) if kind == tarfile.REGTYPE else None)
    return path


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("../escape.json", tarfile.REGTYPE, "points outside the archive"),
        ("/etc/passwd", tarfile.REGTYPE, "absolute path"),
        ("run.json", tarfile.SYMTYPE, "is a link"),
        ("run.json", tarfile.LNKTYPE, "is a link"),
    ],
)
def test_hostile_tar_members_are_refused(tmp_path, name, kind, message):
    with (
        pytest.raises(SubmissionError, match=message),
        open_submission(_tar_with(tmp_path, name, kind=kind, link="/etc/passwd")),
    ):
        pass


def test_hostile_zip_members_are_refused(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../run.json", "{}")
    with pytest.raises(SubmissionError, match="points outside"), open_submission(path):
        pass
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as archive:
        info = zipfile.ZipInfo("run.json")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(SubmissionError, match="is a link"), open_submission(link):
        pass


def test_oversized_files_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(submission_module, "MAX_FILE_BYTES", 10)
    with (
        pytest.raises(SubmissionError, match="allowed per file"),
        open_submission(_tar_with(tmp_path, "run.json", b"x" * 100)),
    ):
        pass


def test_directories_with_symlinks_are_refused(copy, tmp_path):
    path = copy()
    (path / "samples" / "evil.jsonl").symlink_to("/etc/passwd")
    with pytest.raises(SubmissionError, match="symlinks"), open_submission(path):
        pass
    # a digest known from earlier does not skip the checks
    with pytest.raises(SubmissionError, match="symlinks"), open_submission(path, digest="0" * 64):
        pass


def test_pareto_front():
    points = [
        Point("a", 0.2, 0.9),
        Point("b", 0.6, 0.6),
        Point("c", 0.5, 0.5),
        Point("d", 0.9, 0.1),
    ]
    assert [p.label for p in pareto_front(points)] == ["a", "b", "d"]
    assert [p.label for p in pareto_front(points, maximize_x=False)] == ["a"]
    svg = pareto_svg([Point(EVIL, 0.5, 0.5)], x_label="x", y_label="y")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def label_boxes(svg: str) -> list[tuple[float, ...]]:
    return [tuple(map(float, b.split())) for b in re.findall(r'data-box="([^"]+)"', svg)]


def overlapping(boxes) -> list:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]  # fmt: skip


def test_crowded_pareto_labels_never_overprint_and_the_plot_says_what_it_shows():
    import random

    rng = random.Random(0)
    crowd = [Point(f"model {i} with a long name", 0.5 + rng.random() / 20, 0.5 + rng.random() / 20)
             for i in range(12)]  # fmt: skip
    svg = pareto_svg([*crowd, Point("always-refuse", 0.0, 1.0)], x_label="F1 irrelevant",
                     y_label="F1 relevant", title="t: F1 relevant against F1 irrelevant")  # fmt: skip
    boxes = label_boxes(svg)
    keyed = re.findall(r'class="key">(\d+): ', svg)
    assert len(boxes) == 13 and not overlapping(boxes)  # every point labelled, none overprinted
    assert keyed == [str(n) for n in range(1, len(keyed) + 1)]  # what did not fit is numbered
    assert 'class="title">t: F1 relevant against F1 irrelevant<' in svg
    assert "on the Pareto front" in svg and "dominated" in svg  # the legend
    assert "F1 irrelevant (→ better)" in svg and "F1 relevant (↑ better)" in svg


def test_safe_json_cannot_break_out_of_a_script():
    text = safe_json({"a": "</script><script>alert(1)</script>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>&"}


@pytest.fixture(scope="module")
def site(runs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for model in ("always-answer", "always-refuse", "random"):
        shutil.copytree(runs / model, folder / model)
    evil = folder / "evil-model"
    shutil.copytree(runs / "random", evil)
    info = read_json(evil / "run.json")
    info["model"]["card"]["name"] = EVIL  # what the site shows of a submission: its card
    write_json(evil / "run.json", info)
    samples = evil / "samples" / "synth_qa.jsonl"
    samples.write_text(
        samples.read_text().replace(
            "Based on the video", "<script>alert(1)</script> Based on the video"
        )
    )
    # a run judged by another judge: its own board
    other = folder / "other-judge"
    shutil.copytree(runs / "always-answer", other)
    main(["score", str(other), "--no-progress", "--bootstrap", "0"])  # judge "rules" (with SBERT)
    info = read_json(other / "run.json")
    # a broken submission is listed as rejected, never shown
    broken = folder / "broken"
    shutil.copytree(runs / "always-refuse", broken)
    (broken / "results.json").write_text("{not json")
    pack(runs / "always-refuse", folder / "archived.tar.gz")
    out = tmp_path_factory.mktemp("site")
    report = build_site(sorted(folder.iterdir()), out, OfficialReference(), progress=False)
    return out, report, info


def test_site_lists_accepted_and_rejected(site):
    out, report, _ = site
    assert set(report.accepted) == {
        "always-answer",
        "always-refuse",
        "random",
        "evil-model",
        "other-judge",
        "archived",
    }
    assert "broken" in report.rejected
    index = (out / "index.html").read_text()
    assert "Rejected submissions" in index and "results.json:1: not valid JSON" in index


def test_site_is_offline_and_escapes_untrusted_text(site):
    out, _, _ = site
    for page in out.rglob("*.html"):
        text = page.read_text()
        assert "<script>alert" not in text, page
        # nothing loaded from the network (a model card's link is a plain anchor)
        assert not re.search(
            r"""(src|href)=["']?(https?:)?//""",
            re.sub(r"""<a rel="nofollow noopener" href="https?://[^"]*">""", "", text),
        ), page
        assert "@import" not in text and "url(http" not in text, page
    for script in (out / "data").rglob("*.js"):
        text = script.read_text()
        assert "<" not in text and ">" not in text, script
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in (out / "index.html").read_text()


def test_sortable_pages_exist_for_every_metric(site):
    out, _, _ = site
    boards = sorted(p.name for p in (out / "boards").glob("synth_hivtg--rules_sbert_none--*.html"))
    assert "synth_hivtg--rules_sbert_none--f1_rel.html" in boards
    page = (out / "boards" / "synth_hivtg--rules_sbert_none--f1_irrel.html").read_text()
    first = page.index("always-refuse")
    assert first < page.index("always-answer")  # refusing wins on F1_irrel


def test_a_board_says_how_its_judge_agrees_with_the_calibration_set(site):
    from benchmark.scorers.rules import CALIBRATION

    out, _, _ = site
    page = (out / "boards" / "synth_hivtg--rules_sbert_none--f1_rel.html").read_text()
    expected = f"{CALIBRATION['grounding_outcome_agreement']:.1%} of the labelled grounding"
    assert expected in page and "judge-check" in page


def test_model_pages_show_breakdowns(site):
    out, _, _ = site
    page = (out / "models" / "random.html").read_text()
    assert "By difficulty" in page and "By category" in page and "Object/ObjectExistence" in page


def test_runs_of_different_judges_are_ranked_on_separate_boards(site):
    out, _, info = site
    assert info["judge"]["name"] == "rules"
    index = (out / "index.html").read_text()
    assert index.count("judge: rules[sbert=none]</span>") == 3  # synth_hivtg, synth_qa, synth_uvqa
    assert index.count("judge: rules</span>") == 3
    assert (out / "boards" / "synth_hivtg--rules--f1_avg.html").is_file()
    board = (out / "boards" / "synth_hivtg--rules--f1_avg.html").read_text()
    assert "other-judge" in board and "always-refuse" not in board


def test_boards_name_metrics_define_them_and_describe_the_task(site):
    """Headers carry the metric's display name, a tooltip with its definition and a link to its
    glossary entry; each board says what its task holds and what a negative item is; a rules
    board has no LLM-score column."""
    out, _, _ = site
    page = (out / "boards" / "synth_hivtg--rules_sbert_none--f1_irrel.html").read_text()
    assert ">F1 irrelevant ▼</a>" in page
    assert 'href="../glossary.html#grounding-f1_irrel"' in page
    assert "F1 with irrelevant as positive" in page  # the tooltip: the table's definition
    glossary = (out / "glossary.html").read_text()
    assert 'id="grounding-f1_irrel"' in glossary
    samples = load_task("synth_hivtg").samples
    relevant = sum(s.kind == "relevant" for s in samples)
    assert f"{relevant} relevant, {len(samples) - relevant} irrelevant items" in page
    assert "An irrelevant query describes an event that does not happen" in page
    assert 'data-metric="llm_score"' not in page and 'data-metric="sbert"' not in page
    index = (out / "index.html").read_text()
    assert "An unanswerable question asks about" in index


def test_every_board_and_every_submissions_records_can_be_downloaded(site):
    import csv

    out, _, _ = site
    board = json.loads((out / "boards" / "synth_hivtg--rules_sbert_none.json").read_text())
    assert board["sorted_by"] == "f1_avg" and board["rows"][0]["rank"] == 1
    models = {row["model"] for row in board["rows"]}
    assert {"always-answer", "always-refuse", "random"} <= models
    with (out / "boards" / "synth_hivtg--rules_sbert_none.csv").open() as file:
        rows = list(csv.DictReader(file))
    assert [r["model"] for r in rows] == [r["model"] for r in board["rows"]]
    assert float(rows[0]["f1_avg"]) == pytest.approx(board["rows"][0]["f1_avg"])
    page = (out / "boards" / "synth_hivtg--rules_sbert_none--f1_avg.html").read_text()
    assert 'href="../boards/synth_hivtg--rules_sbert_none.csv" download' in page
    assert "refusal-bench run --model always-refuse" in page  # a reproduce command per row
    model_page = (out / "models" / "random.html").read_text()
    link = re.search(r'href="\.\./(data/[^"]+/synth_qa\.jsonl)" download', model_page).group(1)
    records = [json.loads(line) for line in (out / link).read_text().splitlines()]
    samples = load_task("synth_qa").samples
    assert [r["id"] for r in records] == [s.id for s in samples]
    assert {"question", "gold", "response", "verdict"} <= set(records[0])
    assert (out / link).with_suffix(".csv").read_text().startswith("id,kind,question,")


def test_equal_values_share_a_rank():
    from leaderboard.ranking import ranks

    rows = [
        {"model": m, "values": {"f": v}}
        for m, v in zip("abcde", (0.5, 0.7, 0.5, None, 0.1), strict=True)
    ]
    assert ranks(rows, "f") == [1, 2, 2, 4, 0]
    assert ranks(rows, "f", lower_is_better=True) == [1, 2, 2, 4, 0]


def test_csv_cells_cannot_run_as_formulas():
    from leaderboard.sample_data import csv_text

    assert csv_text([{"a": "=HYPERLINK(1)", "b": 2}]).splitlines() == ["a,b", "'=HYPERLINK(1),2"]


def test_neighbours_the_data_cannot_tell_apart_share_a_place(runs, tmp_path, capsys):
    """A copy of `random` with one answer turned into a refusal differs from it by one item:
    the paired bootstrap interval of the difference contains 0, so the two share a place;
    always-refuse and always-answer stay apart. A rebuild reuses the cached intervals; without
    them, the same intervals come from the sums kept at validation, or else the downloads."""
    subs = tmp_path / "subs"
    for model in ("random", "always-refuse", "always-answer"):
        shutil.copytree(runs / model, subs / model)
    twin = subs / "random-twin"
    shutil.copytree(runs / "random", twin)
    samples_file = twin / "samples" / "synth_qa.jsonl"
    records = [json.loads(line) for line in samples_file.read_text().splitlines()]
    answerable = {x.id for x in load_task("synth_qa").samples if x.kind == "answerable"}
    answered = next(r for r in records if r["type"] == "response" and "yes" in r["text"]
                    and r["sample_id"] in answerable)  # fmt: skip
    answered["text"] = "The question cannot be answered from the video."  # one item differs
    kept = [r for r in records
            if r["type"] == "response" or r["sample_id"] != answered["sample_id"]]  # fmt: skip
    samples_file.write_text("".join(json.dumps(r) + "\n" for r in kept))  # judged afresh below
    assert main(["score", str(twin), "--sbert", "none", "--bootstrap", "50", "--no-progress"]) in (
        0,
        1,
    )
    site = tmp_path / "site"
    report = build_site(sorted(subs.iterdir()), site, OfficialReference(), progress=False)
    assert report.rejected == {}, report.rejected
    board = json.loads((site / "boards" / "synth_qa--rules_sbert_none.json").read_text())
    rows = {r["submission"]: r for r in board["rows"]}
    assert rows["random"]["over_refusal"] != rows["random-twin"]["over_refusal"]  # different...
    summary = json.loads((site / "data" / "summary.json").read_text())
    tied = summary["ties"]["synth_qa|rules[sbert=none]"]["over_refusal"]
    assert sorted(map(sorted, tied)) == [["random", "random-twin"]]  # ...but not apart
    page = (site / "boards" / "synth_qa--rules_sbert_none--over_refusal.html").read_text()
    places = re.findall(
        r'<td class="rank">(\d+)</td>\s*<td class="model"><a href="[^"]*/([^"/]+)\.html"', page
    )
    assert {sid: int(rank) for rank, sid in places} == {"always-refuse": 4, "always-answer": 1,
                                                        "random": 2, "random-twin": 2}  # fmt: skip
    cached = json.loads((site / ".cache" / "ties.json").read_text())["ties"]
    build_site(sorted(subs.iterdir()), site, OfficialReference(), progress=False)
    assert json.loads((site / ".cache" / "ties.json").read_text())["ties"] == cached
    # computed again from the per-video sums kept at validation alone, then from the downloads
    downloads = {p: p.read_bytes() for p in (site / "data").glob("*/*.jsonl")}
    for path in downloads:
        path.unlink()
    (site / ".cache" / "ties.json").unlink()
    build_site(sorted(subs.iterdir()), site, OfficialReference(), progress=False)
    assert json.loads((site / ".cache" / "ties.json").read_text())["ties"] == cached
    for path, data in downloads.items():
        path.write_bytes(data)
    shutil.rmtree(site / ".cache" / "columns")
    (site / ".cache" / "ties.json").unlink()
    build_site(sorted(subs.iterdir()), site, OfficialReference(), progress=False)
    assert json.loads((site / ".cache" / "ties.json").read_text())["ties"] == cached


def test_run_base_run_gives_the_paired_uvqa_view_of_a_group(runs, tmp_path, capsys):
    """`run --base-run DIR` records the base; the `synth` group pools synth_qa (answerable) with
    synth_uvqa (unanswerable), so S_ex-ref and S_disc exist and the index draws them."""
    from benchmark.families import QA
    from benchmark.metrics import paired_summary
    from benchmark.metrics.summary import pooled
    from benchmark.records import read_run_file

    subs = tmp_path / "subs"
    pair = "synth_qa,synth_uvqa"
    answers = tmp_path / "base.jsonl"  # a base that answers everything, the answerable right
    answers.write_text("".join(
        json.dumps({"id": x.id, "response": x.answer or "Yes, there is."}) + "\n"
        for t in pair.split(",") for x in load_task(t).samples))  # fmt: skip
    common = ["--tasks", pair, "--sbert", "none", "--bootstrap", "50", "--no-progress"]
    assert main(["run", "--model", "replay", "--model-args", f"path={answers}",
                 "--model-name", "eager", "--output", str(subs / "random"), *common]) == 0  # fmt: skip
    aligned = subs / "always-refuse"
    assert main(["run", "--model", "always-refuse", "--output", str(aligned), *common,
                 "--base-run", str(subs / "random")]) == 0  # fmt: skip
    assert read_json(aligned / "run.json")["base_run"] == "random"
    site = tmp_path / "site"
    report = build_site(sorted(subs.iterdir()), site, OfficialReference(), progress=False)
    assert report.rejected == {}
    summary = read_json(site / "data" / "summary.json")
    entry = next(e for e in summary["entries"] if e["id"] == "always-refuse")
    group = entry["paired"]["synth"]
    assert group["tasks"] == ["synth_qa", "synth_uvqa"] and group["base"] == "random"
    # the same pooled computation by hand, from the run files
    tasks = ("synth_qa", "synth_uvqa")
    judged = {run: {t: read_run_file(subs / run / "samples" / f"{t}.jsonl")[1] for t in tasks}
              for run in ("random", "always-refuse")}  # fmt: skip
    samples, base, ours = pooled({t: load_task(t).samples for t in tasks},
                                 judged["random"], judged["always-refuse"])  # fmt: skip
    expected = paired_summary(samples, base, ours, family=QA, n_resamples=0)
    assert group["metrics"] == pytest.approx(expected.metrics)
    assert group["metrics"]["s_disc"] is not None and group["metrics"]["s_ex_ref"] is not None
    assert entry["paired"]["synth_qa"]["metrics"]["s_disc"] is None  # one kind: undefined
    index = (site / "index.html").read_text()
    assert "synth (pooled: synth_qa + synth_uvqa)" in index
    assert re.search(r'class="title">synth: [^<]+ against [^<]+<', index)  # the drawn view


def test_base_run_must_be_a_run(tmp_path, capsys):
    assert main(["run", "--model", "random", "--tasks", "synth_qa", "--limit", "2",
                 "--output", str(tmp_path / "r"), "--base-run", str(tmp_path / "nope")]) == 2  # fmt: skip
    assert "--base-run" in capsys.readouterr().err


def test_sample_downloads_join_gold_and_verdict_as_json_and_safe_csv(tmp_path):
    """The JSONL line is the sample, its gold and the verdict as plain JSON; in the CSV every
    span is JSON (not a Python tuple) and a response that a spreadsheet would run is quoted."""
    import csv

    from benchmark.records import Judgment, Response, Sample, VideoRef
    from leaderboard.sample_data import write_sample_data
    from leaderboard.validate import TaskRecords

    video = VideoRef("v.mp4")
    samples = [
        Sample(id="a", task="t", video=video, question="Q1", kind="relevant", span=(1.0, 4.0),
               duration=10.0),
        Sample(id="b", task="t", video=video, question="Q2", kind="irrelevant", duration=10.0),
    ]  # fmt: skip
    judged = Judgment(sample_id="a", judge="rules", verdict="relevant", span=(1.5, 4.0))
    records = TaskRecords(
        samples=samples,
        responses={"a": Response("a", "m", "-From 1.5 to 4 s."), "b": Response("b", "m", "?")},
        judgments={"a": judged},
    )
    write_sample_data(tmp_path, "ab" * 32, {"t": records})
    folder = tmp_path / "data" / ("ab" * 8)
    lines = [json.loads(line) for line in (folder / "t.jsonl").read_text().splitlines()]
    assert lines == [
        {"id": "a", "kind": "relevant", "question": "Q1",
         "gold": {"span": [1.0, 4.0], "duration": 10.0}, "response": "-From 1.5 to 4 s.",
         "verdict": "relevant", "status": "ok", "span": [1.5, 4.0],
         "judgment": {"sample_id": "a", "judge": "rules", "status": "ok",
                      "verdict": "relevant", "span": [1.5, 4.0]}},
        {"id": "b", "kind": "irrelevant", "question": "Q2", "gold": {"duration": 10.0},
         "response": "?", "verdict": None, "status": "missing", "span": None, "judgment": None},
    ]  # fmt: skip
    with (folder / "t.csv").open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows[0]["span"] == "[1.5, 4.0]" and rows[0]["judgment_span"] == "[1.5, 4.0]"
    assert rows[0]["gold_span"] == "[1.0, 4.0]" and rows[0]["response"] == "'-From 1.5 to 4 s."
    assert rows[1]["status"] == "missing" and rows[1]["span"] == "" and rows[1]["gold_span"] == ""
