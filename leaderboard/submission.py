"""Opening a submission safely: a run directory, or its .tar.gz / .zip archive.

Submissions are untrusted. Archives are never extracted with `extractall`: each member is checked
(no absolute paths, no `..`, no links or devices, size limits) and only regular files are copied
out, byte-counted as they are read. A directory may hold no symlinks. Nothing is executed or
unpickled; every file is read as JSON / JSONL text.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_FILES = 2000
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")


class SubmissionError(ValueError):
    """The submission cannot be opened at all (the message says why)."""


@dataclass(frozen=True)
class Submission:
    id: str  # a file-name-safe id: the folder or archive name
    root: Path  # the folder holding run.json, results.json and samples/
    sha256: str  # of the archive, or of the directory's files


@contextlib.contextmanager
def open_submission(path: str | Path, *, digest: str | None = None) -> Iterator[Submission]:
    """The submission at `path`, extracted to a temporary folder when it is an archive.
    `digest`: its `submission_digest`, when the caller has it already (the checks run anyway)."""
    path = Path(path)
    if digest is None:
        digest = submission_digest(path)  # checks the path first
    else:
        _check_path(path)
    if path.is_dir():
        yield Submission(submission_id(path), _run_folder(path, path), digest)
        return
    with tempfile.TemporaryDirectory(prefix="submission-") as tmp:
        out = Path(tmp)
        if path.name.endswith(".zip"):
            _extract_zip(path, out)
        else:
            _extract_tar(path, out)
        yield Submission(submission_id(path), _run_folder(out, path), digest)


def submission_digest(path: Path, file_digest: Callable[[Path], str] | None = None) -> str:
    """sha256 of an archive, or of a run directory's files (names and contents); checks first
    that the path is one or the other and that a directory holds no symlinks or oversized files.
    `file_digest`: how to hash one file (e.g. a memo of earlier digests)."""
    file_digest = file_digest or file_sha256
    _check_path(path)
    if not path.is_dir():
        return file_digest(path)
    digest = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(item.relative_to(path).as_posix().encode() + b"\0")
        digest.update(file_digest(item).encode())
    return digest.hexdigest()


def find_submissions(folder: str | Path) -> list[Path]:
    """Run directories and archives directly inside `folder`, by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SubmissionError(f"{folder}: not a folder of submissions")
    return sorted(p for p in folder.iterdir() if p.is_dir() or p.name.endswith(ARCHIVE_SUFFIXES))


def pack(run_dir: str | Path, out: str | Path) -> tuple[Path, list[tuple[str, int]], str]:
    """Pack a run directory into a .tar.gz (run.json, results.json, samples/*.jsonl only)."""
    run_dir, out = Path(run_dir), Path(out)
    members = [
        run_dir / "run.json",
        run_dir / "results.json",
        *sorted((run_dir / "samples").glob("*.jsonl")),
    ]
    listing = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out, "w:gz") as archive:
        for member in members:
            arcname = member.relative_to(run_dir).as_posix()
            info = archive.gettarinfo(str(member), arcname)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0  # reproducible archives
            with member.open("rb") as fh:
                archive.addfile(info, fh)
            listing.append((arcname, member.stat().st_size))
    return out, listing, file_sha256(out)


# --- checks ------------------------------------------------------------------------------------


def _safe_member_name(name: str) -> PurePosixPath:
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise SubmissionError(f"archive member {name!r} has an absolute path")
    if ".." in posix.parts:
        raise SubmissionError(f"archive member {name!r} points outside the archive ('..')")
    return posix


def _extract_tar(path: Path, out: Path) -> None:
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise SubmissionError(f"{path}: not a readable tar archive ({exc})") from None
    total = count = 0
    with archive:
        for member in archive:
            name = _safe_member_name(member.name)
            if member.isdir():
                continue
            if not member.isfile():
                kind = "a link" if member.issym() or member.islnk() else "not a regular file"
                raise SubmissionError(f"archive member {member.name!r} is {kind}")
            count += 1
            total = _check_size(member.name, member.size, total, count)
            source = archive.extractfile(member)
            _copy_limited(source, out / name, member.name)


def _extract_zip(path: Path, out: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionError(f"{path}: not a readable zip archive ({exc})") from None
    total = count = 0
    with archive:
        for info in archive.infolist():
            name = _safe_member_name(info.filename)
            if info.is_dir():
                continue
            mode = info.external_attr >> 16
            if mode and not stat.S_ISREG(mode):
                kind = "a link" if stat.S_ISLNK(mode) else "not a regular file"
                raise SubmissionError(f"archive member {info.filename!r} is {kind}")
            count += 1
            total = _check_size(info.filename, info.file_size, total, count)
            with archive.open(info) as source:
                _copy_limited(source, out / name, info.filename)


def _check_size(name: str, size: int, total: int, count: int) -> int:
    if size > MAX_FILE_BYTES:
        raise SubmissionError(
            f"{name}: {size} bytes, more than the {MAX_FILE_BYTES} allowed per file"
        )
    if total + size > MAX_TOTAL_BYTES or count > MAX_FILES:
        raise SubmissionError(
            f"the submission is larger than {MAX_TOTAL_BYTES} bytes or {MAX_FILES} files"
        )
    return total + size


def _copy_limited(source, target: Path, name: str) -> None:
    """Copy at most MAX_FILE_BYTES (declared sizes can lie)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with target.open("wb") as sink:
        while chunk := source.read(1 << 20):
            written += len(chunk)
            if written > MAX_FILE_BYTES:
                raise SubmissionError(
                    f"{name}: more than the {MAX_FILE_BYTES} bytes allowed per file"
                )
            sink.write(chunk)


def _check_path(path: Path) -> None:
    if path.is_symlink():
        raise SubmissionError(f"{path}: a symlink; submit the run directory or archive itself")
    if path.is_dir():
        _check_directory(path)
    elif not path.is_file() or not path.name.endswith(ARCHIVE_SUFFIXES):
        raise SubmissionError(f"{path}: not a run directory nor a .tar.gz / .zip archive")


def _check_directory(path: Path) -> None:
    total = count = 0
    for item in path.rglob("*"):
        if item.is_symlink():
            raise SubmissionError(f"{item}: submissions may not contain symlinks")
        if item.is_file():
            count += 1
            total = _check_size(str(item.relative_to(path)), item.stat().st_size, total, count)


def _run_folder(root: Path, shown: Path) -> Path:
    """The folder of `root` that holds run.json; `shown`: the submission as the user named it."""
    if (root / "run.json").is_file():
        return root
    inner = [p for p in root.iterdir() if p.is_dir() and (p / "run.json").is_file()]
    if len(inner) == 1:
        return inner[0]
    raise SubmissionError(
        f"{shown}: no run.json at the top of the submission (nor in its one top folder): give "
        "the folder `refusal-bench run --output` wrote, or an archive of it"
    )


def submission_id(path: Path) -> str:
    """A file-name-safe id: the folder's or archive's name without its suffix."""
    name = path.name
    for suffix in ARCHIVE_SUFFIXES:
        name = name.removesuffix(suffix)
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "submission"
    return cleaned[:80]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
