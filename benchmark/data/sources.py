"""Where the released annotation files are, under a data root.

A data root (`--data-root`, else `REFUSAL_BENCH_DATA`) may be a folder of repository clones
(`<root>/RA-RFT/dataset/anno/...`, as in the source repositories), a single clone
(`<root>/dataset/anno/...`), or a flat folder of the files (`<root>/hi_vtg_tvgbench.json`).
A file that is in none of those places is a `MissingDataError` naming every path tried and where
the file comes from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from benchmark.errors import MissingDataError

DATA_ROOT_ENV = "REFUSAL_BENCH_DATA"
VIDEO_ROOT_ENV = "REFUSAL_BENCH_VIDEOS"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A released file: the repository it comes from and its path inside it."""

    repo: str  # folder name of the clone, e.g. "RA-RFT"
    path: str  # path inside the repository
    origin: str  # where a user gets it (repository and license)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def candidates(self, root: Path) -> list[Path]:
        """The places a data root may hold this file, most specific first."""
        paths = [root / self.repo / self.path, root / self.path, root / self.name]
        return list(dict.fromkeys(paths))


def data_root(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The data root given on the command line, else from the environment, else None."""
    value = explicit if explicit is not None else os.environ.get(DATA_ROOT_ENV)
    return Path(value).expanduser() if value else None


def video_root(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The video root given on the command line, else from the environment, else None."""
    value = explicit if explicit is not None else os.environ.get(VIDEO_ROOT_ENV)
    return Path(value).expanduser() if value else None


def locate(source: SourceFile, root: Path | None) -> Path:
    """The path of a released file under the data root, or a MissingDataError saying where it
    was looked for and where it comes from."""
    if root is None:
        raise MissingDataError(
            f"{source.name} is needed but no data root is set: pass --data-root DIR or set "
            f"{DATA_ROOT_ENV}. The file comes from {source.origin} ({source.repo}/{source.path})."
        )
    tried = source.candidates(root)
    for path in tried:
        if path.is_file():
            return path
    raise MissingDataError(
        f"{source.name} not found under the data root {root}; looked for "
        + ", ".join(str(p) for p in tried)
        + f". It comes from {source.origin} ({source.repo}/{source.path})."
    )


def is_present(source: SourceFile, root: Path | None) -> bool:
    return root is not None and any(p.is_file() for p in source.candidates(root))


RA_RFT = "JINSUBY/RA-RFT on GitHub (Apache-2.0)"
UVQA = "EsYoon7/UVQA on GitHub"
RATSG = "HuiGuanLab/RaTSG on GitHub"
NA_VMR = "keflanagan/MomentofUntruth on GitHub"
ANET = "the ActivityNet Captions release (cs.stanford.edu/people/ranjaykrishna/densevid)"
CHARADES = "the Charades-STA release (github.com/jiyanggao/TALL) and Charades (prior.allenai.org)"

HI_TVGBENCH = SourceFile("RA-RFT", "dataset/anno/hi_vtg_tvgbench.json", RA_RFT)
HI_CHARADES = SourceFile("RA-RFT", "dataset/anno/hi_vtg_charades.json", RA_RFT)
HI_ACTIVITYNET = SourceFile("RA-RFT", "dataset/anno/hi_vtg_activitynet.json", RA_RFT)
SS_CHARADES = SourceFile("RA-RFT", "dataset/anno/ss_vtg_charades.json", RA_RFT)
SS_QVHIGHLIGHTS = SourceFile("RA-RFT", "dataset/anno/ss_vtg_qvhighlight.json", RA_RFT)
HUMAN_RAVTG = SourceFile("RA-RFT", "dataset/anno/human_anno.json", RA_RFT)
UVQA_OBJECT = SourceFile("UVQA", "dataset/uvqa/object/eval_object.json", UVQA)
UVQA_RELATION = SourceFile("UVQA", "dataset/uvqa/relation/eval_relation.json", UVQA)
UVQA_ATTRIBUTE = SourceFile("UVQA", "dataset/uvqa/attribute/eval_attribute.json", UVQA)
UVQA_ANSWERABLE = SourceFile(
    "UVQA",
    "dataset/uvqa/answerable/eval_answerable.json",
    "you: Video-ChatGPT QA converted to {vid, new_question, new_answer} (not released with UVQA)",
)
RATSG_CHARADES = SourceFile("RaTSG", "data/dataset/charades_RF/charades_sta_test2.0.json", RATSG)
CHARADES_STA_TEST = SourceFile("charades_sta", "charades_sta_test.txt", CHARADES)
CHARADES_CSV_TEST = SourceFile("Charades", "Charades_v1_test.csv", CHARADES)
QVHL_POS_VAL = SourceFile(
    "MomentofUntruth", "UniVTG-NA/data/qvhighlights/metadata/qvhl_pos_val.jsonl", NA_VMR
)
QVHL_POS_NEG_VAL = SourceFile(
    "MomentofUntruth", "UniVTG-NA/data/qvhighlights/metadata/qvhl_id_pos_neg_val.jsonl", NA_VMR
)
ANET_CAPTIONS_VAL2 = SourceFile("activitynet_captions", "val_2.json", ANET)
