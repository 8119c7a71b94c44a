"""`refusal-bench data fetch` against a mirror served on 127.0.0.1, built from ../shared/data in
the raw-file layout (OWNER/REPO/COMMIT/PATH): verified files, a corrupted file, interrupted
downloads, 404s and 500s. No test reaches the internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from data_fixtures import SHARED_DATA

from benchmark.cli import main
from benchmark.data import fetch
from benchmark.data.manifest import BY_KEY, FILES
from benchmark.provenance import file_sha256

CHARADES = "RA-RFT/dataset/anno/hi_vtg_charades.json"
TVGBENCH = "RA-RFT/dataset/anno/hi_vtg_tvgbench.json"


class Mirror:
    """A raw-file mirror over HTTP with Range support and faults to order, per file key."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, str | None]] = []  # (key, Range header)
        self.corrupt: set[str] = set()
        self.fail: dict[str, int] = {}  # key -> number of 500s still to send
        self.cut: dict[str, int] = {}  # key -> bytes sent before the first reply breaks off
        self.extra: dict[str, bytes] = {}  # key -> content of a file not in ../shared/data
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                key = mirror.key_of(self.path)
                mirror.requests.append((key, self.headers.get("Range")))
                data = mirror.content(key)
                if data is None:
                    return self._plain(404, b"not found")
                if mirror.fail.get(key, 0) > 0:
                    mirror.fail[key] -= 1
                    return self._plain(500, b"boom")
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].split("-")[0])
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if key in mirror.cut:
                    self.wfile.write(body[: mirror.cut.pop(key)])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def _plain(self, code, body):
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/raw"

    def key_of(self, url_path: str) -> str:
        owner_repo_commit_path = url_path.split("/raw/", 1)[1]
        _, repo, _, path = owner_repo_commit_path.split("/", 3)
        return f"{repo}/{path}"

    def content(self, key: str) -> bytes | None:
        if key in self.extra:
            data = self.extra[key]
        else:
            pinned = BY_KEY.get(key)
            source = SHARED_DATA / key
            if pinned is None or not source.is_file():
                return None
            data = source.read_bytes()
        if key in self.corrupt:
            data = data[:1000] + b"X" + data[1001:]
        return data

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mirror(tmp_path):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    served = Mirror(tmp_path / "mirror")
    yield served
    served.close()


def fetch_cli(root, mirror, *what, extra=()):
    return main(["data", "fetch", *what, "--data-root", str(root), "--mirror", mirror.url,
                 "--no-progress", "--retries", "1", *extra])  # fmt: skip


def fetcher(root, mirror, **kw):
    return fetch.Fetcher(root, base=mirror.url, backoff=0.0, progress=False, **kw)


def test_every_pinned_id_matches_the_file_this_project_holds():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"released annotation files not found at {SHARED_DATA}")
    held = [f for f in FILES if (SHARED_DATA / f.key).is_file()]
    assert len(held) == 11
    for pinned in held:
        assert fetch.git_blob_id(SHARED_DATA / pinned.key) == pinned.blob, pinned.key
        assert file_sha256(SHARED_DATA / pinned.key) == pinned.sha256, pinned.key
    assert all(f.blob is None or len(f.blob) >= 12 for f in FILES)


def test_fetching_tasks_writes_verified_files_where_the_tasks_read_them(tmp_path, mirror, capsys):
    root = tmp_path / "data"
    assert fetch_cli(root, mirror, "hi_charades", "hi_tvgbench") == 0
    out = capsys.readouterr().out
    assert "2 fetched, 0 present, 0 failed" in out and "verified" in out
    for key in (CHARADES, TVGBENCH):
        assert (root / key).read_bytes() == (SHARED_DATA / key).read_bytes()
        assert not (root / (key + ".part")).exists()
    lock = json.loads((root / fetch.LOCK_FILE).read_text())
    assert lock[CHARADES]["git_blob"] == BY_KEY[CHARADES].blob
    assert lock[CHARADES]["commit"] == "8843cbb259cd5661e59654ea609fc844b00a175b"
    assert len(lock[CHARADES]["sha256"]) == 64
    assert mirror.requests[0][0] == CHARADES or mirror.requests[0][0] == TVGBENCH
    # already there and verified: skipped without a request
    before = len(mirror.requests)
    assert fetch_cli(root, mirror, "hi_charades") == 0
    assert "0 fetched, 1 present" in capsys.readouterr().out and len(mirror.requests) == before
    assert main(["tasks", "--data-root", str(root)]) == 0
    listing = capsys.readouterr().out
    assert any(line.startswith("hi_charades") and "2194" in line for line in listing.splitlines())


def test_fetch_all_from_a_partial_mirror_makes_every_task_it_holds_available(
    tmp_path, mirror, capsys
):
    root = tmp_path / "data"
    assert fetch_cli(root, mirror, "all") == 2  # the files the mirror lacks are reported
    captured = capsys.readouterr()
    assert "11 fetched, 0 present, 21 failed" in captured.out
    assert "HTTP 404" in captured.out and "not fetched" in captured.err
    assert main(["tasks", "--data-root", str(root)]) == 0
    listing = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line}
    for task, n in (("hi_charades", 2194), ("hi_tvgbench", 1600), ("ss_charades", 3720),
                    ("ss_qvhighlights", 3100), ("uvqa_object", 238), ("uvqa_relation", 111),
                    ("uvqa_attribute", 118)):  # fmt: skip
        assert f" {n} " in listing[task], listing[task]
    assert "missing" in listing["hi_activitynet"]


def test_a_corrupted_file_is_rejected_and_never_used(tmp_path, mirror, capsys):
    root = tmp_path / "data"
    mirror.corrupt.add(CHARADES)
    assert fetch_cli(root, mirror, "hi_charades") == 2
    out = capsys.readouterr().out
    assert "not the pinned 1a12076817bb" in out and "deleted and is not used" in out
    assert not (root / CHARADES).exists() and not (root / (CHARADES + ".part")).exists()


def test_an_interrupted_download_resumes_where_it_stopped(tmp_path, mirror):
    root = tmp_path / "data"
    mirror.cut[CHARADES] = 100_000
    outcomes = fetcher(root, mirror).fetch([BY_KEY[CHARADES]], log=lambda line: None)
    assert [o.status for o in outcomes] == ["fetched"]
    assert (CHARADES, "bytes=100000-") in mirror.requests  # the retry asked for the rest only
    assert fetch.git_blob_id(root / CHARADES) == BY_KEY[CHARADES].blob


def test_a_download_cut_off_is_kept_and_resumed_by_the_next_run(tmp_path, mirror):
    root = tmp_path / "data"
    mirror.cut[TVGBENCH] = 250_000
    (first,) = fetcher(root, mirror, retries=0).fetch([BY_KEY[TVGBENCH]], log=lambda s: None)
    assert first.status == "failed" and "the next fetch resumes it" in first.detail
    assert (root / (TVGBENCH + ".part")).stat().st_size == 250_000
    (second,) = fetcher(root, mirror, retries=0).fetch([BY_KEY[TVGBENCH]], log=lambda s: None)
    assert second.status == "fetched" and (TVGBENCH, "bytes=250000-") in mirror.requests


def test_404_and_500_give_clear_errors(tmp_path, mirror):
    root = tmp_path / "data"
    (missing,) = fetcher(root, mirror).fetch(
        [BY_KEY["RA-RFT/dataset/anno/hi_vtg_activitynet.json"]], log=lambda s: None
    )
    assert missing.status == "failed" and "HTTP 404" in missing.detail
    assert "/JINSUBY/RA-RFT/8843cbb259cd5661e59654ea609fc844b00a175b/dataset/anno/" in (
        missing.detail
    )
    mirror.fail[CHARADES] = 2  # transient: retried
    (ok,) = fetcher(root, mirror, retries=2).fetch([BY_KEY[CHARADES]], log=lambda s: None)
    assert ok.status == "fetched"
    mirror.fail[TVGBENCH] = 99
    (down,) = fetcher(root, mirror, retries=2).fetch([BY_KEY[TVGBENCH]], log=lambda s: None)
    assert down.status == "failed" and "HTTP 500" in down.detail and "3 attempts" in down.detail


def test_a_present_file_that_differs_is_reported_and_left_alone(tmp_path, mirror, capsys):
    root = tmp_path / "data"
    (root / CHARADES).parent.mkdir(parents=True)
    (root / CHARADES).write_text("[]")
    assert fetch_cli(root, mirror, "hi_charades") == 2
    assert "present but is not the pinned version" in capsys.readouterr().out
    assert (root / CHARADES).read_text() == "[]" and not mirror.requests


def test_files_without_a_pinned_id_are_held_to_the_id_of_their_first_fetch(tmp_path, mirror):
    root = tmp_path / "data"
    key = "UVQA/dataset/uvqa/object/train_object.json"
    mirror.extra[key] = b'[{"vid": "a", "question": "q", "answer": "x"}]'
    (first,) = fetcher(root, mirror).fetch([BY_KEY[key]], log=lambda s: None)
    assert first.status == "fetched" and "not pinned: recorded git blob" in first.detail
    (root / key).unlink()
    mirror.extra[key] = b'[{"vid": "a", "question": "q", "answer": "y"}]'  # the mirror changed
    (second,) = fetcher(root, mirror).fetch([BY_KEY[key]], log=lambda s: None)
    assert second.status == "failed" and "recorded at the first fetch" in second.detail
    assert not (root / key).exists()


def test_the_mirror_can_come_from_the_environment(tmp_path, mirror, monkeypatch, capsys):
    monkeypatch.setenv(fetch.MIRROR_ENV, mirror.url)
    root = tmp_path / "data"
    assert main(["data", "fetch", "hi_tvgbench", "--data-root", str(root), "--no-progress"]) == 0
    assert mirror.url in capsys.readouterr().out


def test_unknown_names_and_tasks_without_released_files_are_usage_errors(tmp_path, capsys):
    assert main(["data", "fetch", "nope", "--data-root", str(tmp_path)]) == 2
    assert "unknown task or group 'nope'" in capsys.readouterr().err
    assert main(["data", "fetch", "synth_qa", "--data-root", str(tmp_path)]) == 2
    assert "reads no released file" in capsys.readouterr().err


def test_a_file_whose_sha256_differs_from_the_known_one_is_rejected(tmp_path, mirror, monkeypatch):
    from benchmark.data import manifest

    monkeypatch.setitem(manifest.SHA256, CHARADES, "0" * 64)
    (outcome,) = fetcher(tmp_path / "data", mirror).fetch([BY_KEY[CHARADES]], log=lambda s: None)
    assert outcome.status == "failed" and "sha256 differs" in outcome.detail
    assert not (tmp_path / "data" / CHARADES).exists()


def test_a_damaged_fetch_record_and_an_unwritable_root_are_one_line_errors(
    tmp_path, mirror, capsys
):
    root = tmp_path / "data"
    root.mkdir()
    (root / fetch.LOCK_FILE).write_text("{bad")
    assert fetch_cli(root, mirror, "hi_charades") == 2
    err = capsys.readouterr().err
    assert "cannot read the fetch record" in err and "Traceback" not in err
    (root / fetch.LOCK_FILE).unlink()
    (root / "RA-RFT").write_text("a file where a folder must go")
    assert fetch_cli(root, mirror, "hi_charades") == 2
    out = capsys.readouterr().out
    assert "failed   RA-RFT/dataset/anno/hi_vtg_charades.json: NotADirectoryError" in out
