"""Rebuilding the site: what `SITE/.cache` lets a build skip, and when it must not."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from reference_runs import reference_runs

from benchmark.cli import main
from benchmark.official import OfficialReference
from benchmark.records import read_json, write_json
from leaderboard.cache import DigestMemo
from leaderboard.site import build_site
from leaderboard.submission import pack


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return reference_runs(tmp_path_factory.mktemp("runs"), "synth_hivtg,synth_qa", bootstrap=20)


@pytest.fixture
def submissions(runs, tmp_path):
    folder = tmp_path / "submissions"
    shutil.copytree(runs, folder)
    return folder


def build(folder, out, **options):
    paths = sorted(folder.iterdir())
    return build_site(paths, out, OfficialReference(), progress=False, **options)


def site_files(out):
    """Every file of the site but the cache, with its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def test_a_rebuild_validates_nothing_and_writes_the_same_site(submissions, tmp_path):
    out = tmp_path / "site"
    first = build(submissions, out)
    before = site_files(out)
    again = build(submissions, out)
    assert (first.validated, again.validated, again.from_cache) == (3, 0, 3)
    assert again.accepted == first.accepted
    assert site_files(out) == before


def test_a_rebuild_renders_only_the_model_pages_whose_entry_changed(submissions, tmp_path):
    out = tmp_path / "site"
    build(submissions, out)
    pages = sorted((out / "models").glob("*.html"))
    stamps = {p.name: p.stat().st_mtime_ns for p in pages}
    kept = pages[0]
    kept.unlink()  # a page missing on disk is written again though its entry is the same
    info = read_json(submissions / "random" / "run.json")
    info["model"]["card"] = {**info["model"].get("card", {}), "name": "random, renamed"}
    write_json(submissions / "random" / "run.json", info)
    build(submissions, out)
    after = {p.name: p.stat().st_mtime_ns for p in (out / "models").glob("*.html")}
    changed = {name for name in after if after[name] != stamps.get(name)}
    assert changed == {kept.name, "random.html"}, changed
    assert "random, renamed" in (out / "models" / "random.html").read_text()


def test_processes_build_the_same_site_as_one(submissions, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    build(submissions, one, jobs=1)
    report = build(submissions, two, jobs=2)
    assert report.validated == 3
    assert site_files(one) == site_files(two)


def test_new_submissions_go_to_worker_processes_after_cached_ones_loaded_the_tasks(
    submissions, tmp_path
):
    """The official reference, with its tasks (and their families) loaded by the cache check,
    is sent to the workers: everything in it must pickle."""
    out = tmp_path / "site"
    reference = OfficialReference()
    build_site([submissions / "random"], out, reference, progress=False)
    report = build_site(sorted(submissions.iterdir()), out, reference, progress=False, jobs=2)
    assert (report.validated, report.from_cache) == (2, 1)
    assert report.accepted == ["always-answer", "always-refuse", "random"]


def test_a_changed_submission_is_validated_again(submissions, tmp_path):
    out = tmp_path / "site"
    build(submissions, out)
    samples = submissions / "random" / "samples" / "synth_qa.jsonl"
    lines = samples.read_text().splitlines()
    k = next(i for i, line in enumerate(lines) if '"type": "judgment"' in line)
    judgment = json.loads(lines[k])
    judgment["verdict"] = "correct" if judgment["verdict"] != "correct" else "wrong"
    lines[k] = json.dumps(judgment)
    samples.write_text("\n".join(lines) + "\n")
    report = build(submissions, out)
    assert report.validated == 1
    assert "random" in report.rejected and "random" not in report.accepted
    assert not (out / "models" / "random.html").exists()  # its pages are gone with it
    folders = {p.name for p in (out / "data").iterdir() if p.is_dir()}
    # the two accepted submissions' data, the shared gold data and the videos' frame strips
    assert len(folders) == 2 + 2 and {"gold", "frames"} <= folders


def test_removed_submissions_leave_no_pages_or_data(submissions, tmp_path):
    out = tmp_path / "site"
    build(submissions, out)
    shutil.rmtree(submissions / "always-answer")
    report = build(submissions, out)
    assert report.validated == 0 and report.accepted == ["always-refuse", "random"]
    assert sorted(p.name for p in (out / "models").iterdir()) == [
        "always-refuse.html",
        "random.html",
    ]
    assert (
        "always-answer" not in (out / "boards" / "synth_qa--rules_sbert_none--acc.html").read_text()
    )
    assert len([p for p in (out / "data").iterdir() if p.is_dir()]) == 2 + 2  # + gold, frames


def test_the_same_content_under_two_names_is_validated_once(submissions, tmp_path):
    pack(submissions / "random", submissions / "random-archived.tar.gz")
    shutil.copy(submissions / "random-archived.tar.gz", submissions / "random-twice.tar.gz")
    report = build(submissions, tmp_path / "site")
    assert report.validated == 4  # three folders, and one archive content
    assert set(report.accepted) >= {"random-archived", "random-twice"}


def test_what_the_cache_may_not_decide(submissions, tmp_path):
    out = tmp_path / "site"
    build(submissions, out, rejudge=False)
    assert build(submissions, out).validated == 3  # not re-judged before: re-judge now
    assert build(submissions, out, rejudge=False).validated == 0  # re-judged is good enough
    assert build(submissions, out, fresh=True).validated == 3
    cached = sorted((out / ".cache" / "validated").glob("*.json"))
    assert len(cached) == 3
    entry = json.loads(cached[0].read_text())
    entry["key"]["code"] = "another version of refusal-bench"
    cached[0].write_text(json.dumps(entry))
    cached[1].write_text("{damaged")
    entry = json.loads(cached[2].read_text())
    task = next(iter(entry["official"]))
    entry["official"][task][1] = "0" * 64  # made for other official data
    cached[2].write_text(json.dumps(entry))
    assert build(submissions, out).validated == 3


def test_cache_misses_when_the_sample_data_is_gone(submissions, tmp_path):
    out = tmp_path / "site"
    build(submissions, out)
    folders = sorted(p for p in (out / "data").iterdir() if p.is_dir() and p.name != "gold")
    shutil.rmtree(folders[0])
    assert build(submissions, out).validated == 1
    assert folders[0].is_dir()


def test_digest_memo_rehashes_a_file_whose_size_or_time_changed(tmp_path):
    memo = DigestMemo(tmp_path / "digests.json")
    path = tmp_path / "f.jsonl"
    path.write_text("abc\n")
    first = memo.file_digest(path)
    memo.save()
    memo = DigestMemo(tmp_path / "digests.json")
    assert memo.file_digest(path) == first and not memo.changed
    stat = path.stat()
    path.write_text("abd\n")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert memo.file_digest(path) != first


def test_cli_rebuild_says_what_it_validated(submissions, tmp_path, capsys):
    command = ["leaderboard", "build", "--submissions", str(submissions)]
    command += ["--out", str(tmp_path / "site"), "--no-progress", "--jobs", "1"]
    assert main(command) == 0
    assert "3 submissions on the site, 0 rejected (3 validated now" in capsys.readouterr().out
    info = read_json(submissions / "random" / "run.json")
    info["model"]["card"]["name"] = "random, renamed"
    write_json(submissions / "random" / "run.json", info)
    assert main(command) == 0
    assert "(1 validated now, 2 from the cache of earlier builds)" in capsys.readouterr().out
    assert "random, renamed" in (tmp_path / "site" / "models" / "random.html").read_text()


def test_an_unforeseen_error_rejects_one_submission_and_the_build_goes_on(
    submissions, tmp_path, monkeypatch
):
    from leaderboard import summarize

    real = summarize.validate

    def failing(submission, reference, **options):
        if submission.id == "random":
            raise KeyError("a bug")
        return real(submission, reference, **options)

    monkeypatch.setattr(summarize, "validate", failing)
    report = build(submissions, tmp_path / "site")
    assert report.accepted == ["always-answer", "always-refuse"]
    assert "KeyError: 'a bug'" in report.rejected["random"][0]
    assert "bug in refusal-bench" in report.rejected["random"][0]


def test_a_rejection_is_remembered_unless_official_data_was_missing(submissions, tmp_path):
    (submissions / "always-refuse" / "results.json").write_text("{not json")
    unavailable = submissions / "random"  # names a released task whose data is not here
    for name in ("run.json", "results.json"):
        info = read_json(unavailable / name)
        info["tasks"]["hi_tvgbench"] = info["tasks"]["synth_hivtg"]
        write_json(unavailable / name, info)
    out = tmp_path / "site"
    first = build(submissions, out)
    again = build(submissions, out)
    assert first.accepted == again.accepted == ["always-answer"]
    assert again.rejected == first.rejected
    assert "not valid JSON" in again.rejected["always-refuse"][0]
    assert any("official data is not available" in p for p in again.rejected["random"])
    assert (first.validated, again.validated, again.from_cache) == (3, 1, 2)


def test_a_symlink_added_to_an_accepted_submission_rejects_it(submissions, tmp_path):
    out = tmp_path / "site"
    build(submissions, out)
    (submissions / "random" / "samples" / "evil.jsonl").symlink_to("/etc/passwd")
    report = build(submissions, out)
    assert "symlinks" in report.rejected["random"][0] and "random" not in report.accepted


def test_the_site_folder_must_be_new_empty_or_an_earlier_site(submissions, tmp_path):
    from benchmark.errors import UsageError

    theirs = tmp_path / "project"
    (theirs / "data").mkdir(parents=True)
    (theirs / "data" / "precious.csv").write_text("keep me")
    with pytest.raises(UsageError, match="not a refusal-bench site"):
        build(submissions, theirs)
    assert (theirs / "data" / "precious.csv").read_text() == "keep me"
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="not a folder"):
        build(submissions, tmp_path / "file")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(submissions, empty).validated == 3
    assert build(submissions, empty).validated == 0  # its own earlier build


def test_rendering_reads_only_the_summary_and_computes_no_metric(
    submissions, tmp_path, monkeypatch
):
    """The build's second stage: from SITE/data/summary.json alone, the same pages, with the
    paired UVQA view of a submission that names its base run."""
    from benchmark.compare import compare_runs
    from benchmark.metrics import summary as metric_summary
    from leaderboard import render, summarize

    info = read_json(submissions / "always-answer" / "run.json")
    info["base_run"] = "random"
    write_json(submissions / "always-answer" / "run.json", info)
    out = tmp_path / "site"
    build(submissions, out)
    before = site_files(out)
    summary = read_json(out / "data" / "summary.json")
    entry = next(e for e in summary["entries"] if e["id"] == "always-answer")
    paired = entry["paired"]["synth_qa"]
    expected = compare_runs(submissions / "always-answer", submissions / "random", n_resamples=0)
    assert paired["base"] == "random"
    assert paired["metrics"] == expected["tasks"]["synth_qa"]["paired"]["metrics"]
    assert paired["metrics"]["s_permis"] == 0.0  # "yes" never answers what random refused

    def forbidden(*args, **kwargs):
        raise AssertionError("a metric was computed while rendering")

    for module, name in ((metric_summary, "summarize_task"), (metric_summary, "paired_summary"),
                         (metric_summary, "cluster_bootstrap"), (summarize, "paired_summary"),
                         (summarize, "validate")):  # fmt: skip
        monkeypatch.setattr(module, name, forbidden)
    shutil.rmtree(submissions)
    for page in [*out.glob("*.html"), out / "data" / "index.js"]:
        page.unlink()
    assert render.render(out) == ["always-answer", "always-refuse", "random"]
    assert site_files(out) == before


def test_tie_sums_are_kept_at_validation_for_their_code_judge_and_samples_only(
    submissions, tmp_path
):
    """The per-video column sums that the tie intervals need are written by the process that
    validated a submission, equal to those worked out again from its download, and are used
    only for the code, judge and official samples they were made with."""
    from collections import Counter

    from benchmark.families import family_named
    from benchmark.records import Judgment, from_dict
    from leaderboard.cache import code_digest
    from leaderboard.ranking import MISSING, VideoSums, per_video_sums, video_index

    out = tmp_path / "site"
    build(submissions, out)
    summary = json.loads((out / "data" / "summary.json").read_text())
    reference = OfficialReference()
    kept = VideoSums.of_site(out, code_digest())
    checked = 0
    for entry in summary["entries"]:
        for task, rows in entry["rows"].items():
            official = reference.task(task)
            names, sums = kept.read(entry["digest"], task, entry["judge"], official.digest)
            download = (out / rows).with_suffix(".jsonl").read_text().splitlines()
            judgments = [from_dict(Judgment, json.loads(line)["judgment"]) for line in download]
            family = family_named(entry["results"]["tasks"][task]["family"])
            again = per_video_sums(official.samples, judgments, family=family, judge=entry["judge"])
            assert names == again[0] and (sums == again[1]).all()
            per_video = Counter(s.video.path for s in official.samples)  # every item is scored
            videos = video_index(official.samples)
            assert sums[names.index("n")].tolist() == [per_video[v] for v in videos]
            checked += 1
    assert checked == 6  # 3 submissions × 2 tasks
    entry = summary["entries"][0]
    task, official = "synth_qa", reference.task("synth_qa")
    assert kept.read(entry["digest"], task, entry["judge"], official.digest) is not MISSING
    assert kept.read(entry["digest"], task, "openai:gpt-4o", official.digest) is MISSING
    assert kept.read(entry["digest"], task, entry["judge"], "0" * 64) is MISSING
    other_code = VideoSums.of_site(out, "another version of refusal-bench")
    assert other_code.read(entry["digest"], task, entry["judge"], official.digest) is MISSING
    (out / ".cache" / "columns" / f"{entry['digest']}.npz").write_bytes(b"PK\x03\x04damaged")
    assert kept.read(entry["digest"], task, entry["judge"], official.digest) is MISSING
