"""A submission's identity: the model card in run.json, set from the model and by flags,
checked by `validate`, and what the site calls the submission (never a local path)."""

from __future__ import annotations

import json
import shutil

from benchmark.cli import main
from benchmark.model_card import build_card, check_card
from benchmark.records import read_json, write_json
from benchmark.task_loading import load_task


def predictions(tmp_path, name="preds.jsonl"):
    path = tmp_path / name
    samples = load_task("synth_qa").samples
    path.write_text("".join(json.dumps({"id": s.id, "response": "Red."}) + "\n" for s in samples))
    return path


def replay(tmp_path, out, *flags):
    return main(["run", "--model", "replay", "--model-args", f"path={predictions(tmp_path)}",
                 "--tasks", "synth_qa", "--output", str(out), "--sbert", "none",
                 "--no-progress", "--bootstrap", "0", *flags])  # fmt: skip


def errors(capsys) -> list[str]:
    """stderr's lines, without progress bars (the synthetic split renders on first use)."""
    text = capsys.readouterr().err.replace("\r", "\n")
    return [line for line in text.splitlines() if line.strip() and "synthetic" not in line]


def test_a_replayed_run_must_be_named(tmp_path, capsys):
    assert replay(tmp_path, tmp_path / "r") == 2
    err = errors(capsys)
    assert len(err) == 1 and "--model-name NAME" in err[0]
    assert not (tmp_path / "r" / "run.json").exists()


def test_flags_fill_the_card_and_the_run_records_it(tmp_path):
    code = replay(tmp_path, tmp_path / "r", "--model-name", "My Model 7B",
                  "--model-card", "organisation=My Lab,parameters=7.6B,date=2026-11,licence=mit")  # fmt: skip
    assert code == 0
    card = read_json(tmp_path / "r" / "run.json")["model"]["card"]
    assert card == {"name": "My Model 7B", "organisation": "My Lab", "parameters": 7600000000,
                    "date": "2026-11", "licence": "mit"}  # fmt: skip
    # resuming with a flag corrects the card, nothing else
    assert replay(tmp_path, tmp_path / "r", "--model-card", "link=https://example.org/m") == 0
    card = read_json(tmp_path / "r" / "run.json")["model"]["card"]
    assert card["link"] == "https://example.org/m" and card["name"] == "My Model 7B"


def test_bad_card_fields_are_one_line_usage_errors(tmp_path, capsys):
    cases = {
        "keys name, parameters": ["--model-card", "size=7B"],
        "not YYYY": ["--model-card", "date=last week"],
        "not an http": ["--model-card", "link=ftp://x"],
        "local path": ["--model-card", "link=https://x.org,organisation=/home/me"],
    }
    for message, flags in cases.items():
        assert replay(tmp_path, tmp_path / "bad", "--model-name", "m", *flags) == 2, message
        err = errors(capsys)
        assert len(err) == 1 and message in err[0], (message, err)


def test_the_hf_model_fills_its_card_from_the_checkpoint(tmp_path):
    from benchmark.models import load_model
    from benchmark.models.hf import hub_card
    from benchmark.models.tiny import tiny_qwen2_vl

    model = load_model("hf", {"pretrained": str(tiny_qwen2_vl(tmp_path / "ckpt-a")), "frames": "4"})
    card = build_card(model.card(), {}, "hf", model.describe()["frames"])
    params = sum(p.numel() for p in model.model.parameters())
    assert card == {"name": "ckpt-a", "parameters": params, "frames": "4 frames"}  # no path
    assert hub_card("Qwen/Qwen2.5-VL-7B-Instruct") == {
        "name": "Qwen2.5-VL-7B-Instruct", "organisation": "Qwen",
        "link": "https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct"}  # fmt: skip


def test_validate_checks_the_card(tmp_path):
    assert check_card({"name": "m", "link": "https://x.org", "parameters": 7e9}) == []
    assert check_card({}) == ["no display name (run with --model-name NAME)"]
    assert "local path" in check_card({"name": "/home/me/ckpt"})[0]
    assert "unknown field 'colour'" in check_card({"name": "m", "colour": "red"})[0]


def test_two_replays_are_two_named_rows_on_the_board_with_no_local_path(tmp_path):
    from benchmark.official import OfficialReference
    from leaderboard.site import build_site

    subs = tmp_path / "subs"
    for name in ("Model A", "Model B"):
        out = subs / name.replace(" ", "-")
        assert replay(tmp_path, out, "--model-name", name) == 0
        info = read_json(out / "run.json")
        info["status"] = "complete"
        write_json(out / "run.json", info)
    report = build_site(sorted(subs.iterdir()), tmp_path / "site", OfficialReference(),
                        progress=False)  # fmt: skip
    assert report.rejected == {} and len(report.accepted) == 2
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Model A" in index and "Model B" in index and ">replay<" not in index
    for page in (tmp_path / "site").rglob("*.html"):
        assert str(tmp_path) not in page.read_text(), page  # no submitter's path anywhere
    page = (tmp_path / "site" / "models" / f"{report.accepted[0]}.html").read_text()
    assert ".../preds.jsonl" in page


def test_a_replay_without_a_card_is_rejected(tmp_path):
    from benchmark.official import OfficialReference
    from leaderboard.submission import open_submission
    from leaderboard.validate import validate

    out = tmp_path / "r"
    assert replay(tmp_path, out, "--model-name", "m") == 0
    info = read_json(out / "run.json")
    info["status"] = "complete"
    del info["model"]["card"]
    write_json(out / "run.json", info)
    with open_submission(out) as submission:
        problems = validate(submission, OfficialReference()).problems
    assert problems == ["run.json: model card: a replayed run needs a name: resume it with "
                        "--model-name NAME"]  # fmt: skip
    shutil.rmtree(out)
