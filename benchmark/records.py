"""The data model: Sample, Response, Judgment and the JSON/JSONL files that hold them.

Every file the project writes is plain JSON or JSONL, readable without this package. Records are
validated when read: a bad value raises `RecordError` naming the file, line, sample id and field,
so a user never meets a traceback from deep inside the metrics.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from benchmark import record_fields as rf
from benchmark.errors import RecordError

__all__ = [
    "CATEGORIES",
    "DIFFICULTIES",
    "KINDS",
    "Judgment",
    "RecordError",
    "Response",
    "Sample",
    "VideoRef",
    "from_dict",
    "read_json",
    "read_records",
    "read_run_file",
    "to_dict",
]

# --- vocabulary ---------------------------------------------------------------------------------

Kind = Literal["answerable", "unanswerable", "relevant", "irrelevant"]
Verdict = Literal[
    "correct",
    "wrong",
    "refused",
    "refused_right_reason",
    "refused_wrong_reason",
    "answered",
    "relevant",
    "irrelevant",
]
Status = Literal["ok", "parse_error", "api_error"]
#: The names of the task families; the family objects themselves are `benchmark.families`.
FamilyName = Literal["grounding", "qa"]

QA_KINDS: tuple[Kind, ...] = ("answerable", "unanswerable")
GROUNDING_KINDS: tuple[Kind, ...] = ("relevant", "irrelevant")
KINDS: tuple[Kind, ...] = get_args(Kind)
FAMILY_NAMES: tuple[FamilyName, ...] = get_args(FamilyName)
#: The family of each sample kind: a task holds the kinds of one family.
FAMILY_OF_KIND: dict[Kind, FamilyName] = {
    "answerable": "qa",
    "unanswerable": "qa",
    "relevant": "grounding",
    "irrelevant": "grounding",
}

#: Difficulty of a hard-irrelevant query by number of edits (1 = strong, 2 = moderate, 3 = weak);
#: `original` for relevant queries, `shuffled` for Simply-Shuffled irrelevant queries.
DIFFICULTIES = ("original", "strong", "moderate", "weak", "shuffled")
EDIT_DIFFICULTIES = ("strong", "moderate", "weak")

#: The 11 video-text mismatch categories of HI-VTG (RA-RFT paper, Table 1 and its evaluator).
CATEGORIES = (
    "Object/ObjectExistence",
    "Object/ObjectMoving",
    "Object/ObjectSpatialRelation",
    "Object/ObjectPartRelation",
    "Action/FineGrainedAction",
    "Action/ActionSequence",
    "Attribute/AttributeValue",
    "Attribute/Counting",
    "Attribute/Comparison",
    "Scene/SceneExistence",
    "Scene/SceneTransition",
)

#: UVQA alteration types (which scene-graph element an unanswerable question altered).
UVQA_CATEGORIES = ("object", "relation", "attribute")

#: The verdicts a judge may give a sample of each kind.
VERDICTS_OF_KIND: dict[Kind, tuple[Verdict, ...]] = {
    "answerable": ("correct", "wrong", "refused"),
    "unanswerable": ("refused_right_reason", "refused_wrong_reason", "answered"),
    "relevant": ("relevant", "irrelevant"),
    "irrelevant": ("relevant", "irrelevant"),
}
ANSWERABLE_VERDICTS = VERDICTS_OF_KIND["answerable"]
UNANSWERABLE_VERDICTS = VERDICTS_OF_KIND["unanswerable"]
GROUNDING_VERDICTS = VERDICTS_OF_KIND["relevant"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
STATUSES: tuple[Status, ...] = get_args(Status)


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VideoRef:
    """Where a sample's video is: a path relative to the video root, optionally a segment of it.

    Never decoded frames: a reference is small, hashable and JSON-serialisable (lm-eval hashes
    request arguments for its cache).
    """

    path: str = rf.spec(rf.nonempty_string)
    start: float | None = rf.spec(rf.optional(rf.seconds), None)
    end: float | None = rf.spec(rf.optional(rf.seconds), None)

    @property
    def stem(self) -> str:
        """The file name without folders and extension: the stable video id."""
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] if "." in name else name


def _video(value: Any) -> VideoRef:
    if isinstance(value, str):
        return VideoRef(rf.nonempty_string(value))
    return _from_mapping(VideoRef, rf.mapping(value))


@dataclass(slots=True)
class Sample:
    """One evaluation item: a question (QA) or a query (grounding) about one video, with gold."""

    id: str = rf.spec(rf.nonempty_string)
    task: str = rf.spec(rf.nonempty_string)
    video: VideoRef = rf.spec(_video)
    question: str = rf.spec(rf.string)
    kind: Kind = rf.spec(rf.one_of(KINDS))
    answer: str | None = rf.spec(rf.optional(rf.string), None)
    span: tuple[float, float] | None = rf.spec(rf.optional(rf.span), None)
    windows: tuple[tuple[float, float], ...] = rf.spec(rf.spans, ())
    duration: float | None = rf.spec(rf.optional(rf.seconds), None)
    refusal: str | None = rf.spec(rf.optional(rf.string), None)
    categories: tuple[str, ...] = rf.spec(rf.string_list, ())
    difficulty: str | None = rf.spec(rf.optional(rf.one_of(DIFFICULTIES)), None)
    altered: str | None = rf.spec(rf.optional(rf.string), None)
    meta: dict[str, Any] = rf.spec(rf.mapping, default_factory=dict)

    @property
    def gold_spans(self) -> tuple[tuple[float, float], ...]:
        """Every acceptable gold span: `windows` when a query has several (QVHighlights), else
        `span`. Grounding is scored against the best-matching one."""
        return self.windows or ((self.span,) if self.span is not None else ())

    @property
    def family(self) -> FamilyName:
        """The name of the task family this sample's kind belongs to."""
        return FAMILY_OF_KIND[self.kind]

    @property
    def gold_relevant(self) -> bool:
        """Grounding: the query is relevant. QA: the question is answerable."""
        return self.kind in (QA_KINDS[0], GROUNDING_KINDS[0])


@dataclass(slots=True)
class Response:
    """What a model generated for one sample (or why it could not)."""

    sample_id: str = rf.spec(rf.nonempty_string)
    model: str = rf.spec(rf.string)
    text: str = rf.spec(rf.string, "")
    error: str | None = rf.spec(rf.optional(rf.string), None)
    latency_s: float | None = rf.spec(rf.optional(rf.seconds), None)
    meta: dict[str, Any] = rf.spec(rf.mapping, default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class Judgment:
    """One judge's verdict on one response.

    `status` other than "ok" means the judge failed: such a judgment is excluded from every metric
    and counted as a failure, never scored 0.
    """

    sample_id: str = rf.spec(rf.nonempty_string)
    judge: str = rf.spec(rf.nonempty_string)
    status: Status = rf.spec(rf.one_of(STATUSES), "ok")
    verdict: Verdict | None = rf.spec(rf.optional(rf.one_of(VERDICTS)), None)
    span: tuple[float, float] | None = rf.spec(rf.optional(rf.written_span), None)
    categories: tuple[str, ...] = rf.spec(rf.string_list, ())
    consistency: float | None = rf.spec(rf.optional(rf.consistency), None)
    sbert: float | None = rf.spec(rf.optional(rf.number), None)
    prompt_version: str | None = rf.spec(rf.optional(rf.string), None)
    error: str | None = rf.spec(rf.optional(rf.string), None)
    meta: dict[str, Any] = rf.spec(rf.mapping, default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def __post_init__(self) -> None:
        if self.status == "ok" and self.verdict is None:
            raise ValueError("an ok judgment needs a verdict (field 'verdict')")


R = TypeVar("R", Sample, Response, Judgment, VideoRef)

#: The `type` tag of each record kind in run files (samples/<task>.jsonl mixes responses and
#: judgments, append-only).
RECORD_TYPES: dict[str, type] = {"sample": Sample, "response": Response, "judgment": Judgment}


def to_dict(record: Sample | Response | Judgment | VideoRef) -> dict[str, Any]:
    """A JSON-ready dict; fields left at None or empty are omitted to keep files readable."""
    out: dict[str, Any] = {}
    for name in _fields(type(record)):
        value = getattr(record, name)
        if value is None:
            continue
        kind = type(value)
        if kind is tuple or kind is list or kind is dict:
            if not value:
                continue
            value = list(value) if kind is tuple else value
        elif kind is VideoRef:
            value = to_dict(value)
        out[name] = value
    return out


def from_dict(cls: type[R], data: Any, *, where: str = "") -> R:
    """Build and validate a record from parsed JSON; `where` prefixes error messages."""
    try:
        return _from_mapping(cls, rf.mapping(data))
    except ValueError as exc:
        raise _record_error(exc, data, where) from None


def _record_error(exc: ValueError, data: Any, where: str) -> RecordError:
    sample = (data.get("id") or data.get("sample_id")) if isinstance(data, dict) else None
    about = f"sample {sample!r}: " if isinstance(sample, str) else ""
    prefix = f"{where}: " if where else ""
    return RecordError(f"{prefix}{about}{exc}")


@functools.cache
def _fields(cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(cls)}


@functools.cache
def _parsers(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """Each field's parser (and `type`, the run files' tag, as None: skipped), and the names of
    the fields without a default."""
    fields = _fields(cls)
    parsers: dict[str, Any] = {name: f.metadata["parse"] for name, f in fields.items()}
    parsers["type"] = None
    required = frozenset(
        name
        for name, f in fields.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    return parsers, required


def _from_mapping(cls: type[R], data: Mapping[str, Any]) -> R:
    parsers, required = _parsers(cls)
    if not data.keys() <= parsers.keys():
        unknown = sorted(data.keys() - parsers.keys())[0]
        known = ", ".join(_fields(cls))
        raise ValueError(f"unknown field {unknown!r} in a {cls.__name__.lower()} (known: {known})")
    values: dict[str, Any] = {}
    for name, value in data.items():
        parse = parsers[name]
        if parse is None:
            continue
        try:
            values[name] = parse(value)
        except ValueError as exc:
            raise ValueError(f"field {name!r}: {exc}") from None
    if not required <= values.keys():
        missing = [name for name in _fields(cls) if name in required and name not in values]
        raise ValueError(f"missing field {missing[0]!r}")
    return cls(**values)


# --- files -------------------------------------------------------------------------------------


def read_json(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON file; a missing or malformed file is a RecordError naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordError(f"{path}: file not found") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None


def write_json(path: str | os.PathLike[str], data: Any, *, indent: int | None = 2) -> None:
    """Write JSON atomically (temp file + rename), so a killed process never leaves half a file.
    `indent=None`: compact, for large files only programs read."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def iter_jsonl(
    path: str | os.PathLike[str], *, tolerate_torn_tail: bool = False
) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed object) for each non-blank line.

    With `tolerate_torn_tail`, a last line without a trailing newline that does not parse is
    skipped: that is what a process killed mid-write leaves behind, and resuming rewrites it.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise RecordError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise RecordError(f"{path}: a folder, not a JSONL file") from None
    except PermissionError:
        raise RecordError(f"{path}: not readable (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise RecordError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
            "write it as UTF-8 JSON Lines"
        ) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            torn = number == len(lines)  # no newline after it
            if tolerate_torn_tail and torn:
                return
            raise RecordError(
                f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})"
            ) from None


def read_records(path: str | os.PathLike[str], cls: type[R]) -> list[R]:
    """Read a JSONL file of one record type, validating every line."""
    return [from_dict(cls, obj, where=f"{path}:{n}") for n, obj in iter_jsonl(path)]


def read_run_file(
    path: str | os.PathLike[str], *, tolerate_torn_tail: bool = True
) -> tuple[list[Response], list[Judgment]]:
    """Read an append-only `samples/<task>.jsonl` of typed response and judgment lines."""
    responses: list[Response] = []
    judgments: list[Judgment] = []
    for n, obj in iter_jsonl(path, tolerate_torn_tail=tolerate_torn_tail):
        kind = obj.get("type") if isinstance(obj, dict) else None
        if kind == "response":
            cls, into = Response, responses
        elif kind == "judgment":
            cls, into = Judgment, judgments
        else:
            raise RecordError(
                f'{path}:{n}: field \'type\' must be "response" or "judgment", got {rf.show(kind)}'
            )
        try:
            into.append(_from_mapping(cls, obj))
        except ValueError as exc:  # where is named only on an error: most files have none
            raise _record_error(exc, obj, f"{path}:{n}") from None
    return responses, judgments


def write_jsonl(path: str | os.PathLike[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Write a whole JSONL file atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def append_records(
    path: str | os.PathLike[str], records: Iterable[Response | Judgment], *, sync: bool = True
) -> None:
    """Append typed records to a run file, one line each, flushed (and fsynced) before returning."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _heal_torn_tail(path)
    with path.open("a", encoding="utf-8") as fh:
        for record in records:
            kind = "response" if isinstance(record, Response) else "judgment"
            fh.write(json.dumps({"type": kind, **to_dict(record)}, ensure_ascii=False) + "\n")
        fh.flush()
        if sync:
            os.fsync(fh.fileno())


def _heal_torn_tail(path: Path) -> None:
    """Drop a partial last line (no newline) left by a killed writer before appending after it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as fh:
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return
        fh.seek(0)
        data = fh.read()
        fh.truncate(data.rfind(b"\n") + 1)
