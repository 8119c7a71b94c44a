"""The released annotation files `refusal-bench data fetch` downloads, each pinned to a commit.

A file is pinned by its repository, the commit and its path, and verified by its git blob id:
the SHA-1 of `"blob <size>\\0" + content`, the id git itself gives the file (`git hash-object`),
so one id pins the exact bytes. Ids copied from the repositories at those commits are given in
full where this project holds the file and otherwise as the first 12 hex digits (48 bits:
enough to catch a wrong or corrupt file), and by sha256 where this project has computed it
(`SHA256`). A file whose id is not known yet (the UVQA training
files) is checked against the id recorded at its first fetch (`fetch.LOCK_FILE`), and `fetch`
says so.

`folder` is the name the loaders expect under a data root (`<root>/RA-RFT/dataset/anno/...`, as
in a clone of the repository: `benchmark.data.sources`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Repository:
    owner: str
    name: str
    commit: str  # full 40-hex commit id
    license: str

    @property
    def folder(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class PinnedFile:
    repo: Repository
    path: str  # inside the repository
    blob: str | None  # git blob id, full or a prefix of at least 12 hex digits; None: unknown
    role: str  # "test" (an evaluation file) or "train" (a training source)

    @property
    def key(self) -> str:
        """`<folder>/<path>`: how task YAMLs name the file."""
        return f"{self.repo.folder}/{self.path}"

    @property
    def sha256(self) -> str | None:
        """The file's sha256 where this project has computed it (checked as well)."""
        return SHA256.get(self.key)


RA_RFT = Repository("JINSUBY", "RA-RFT", "8843cbb259cd5661e59654ea609fc844b00a175b", "Apache-2.0")
UVQA = Repository("EsYoon7", "UVQA", "697ef3783b582d77ca7c3fbfde05f8ba54c46da2", "see repository")
RATSG = Repository(
    "HuiGuanLab", "RaTSG", "c747877509dcad1772cc5fe08e1f83ec5733adec", "see repository"
)
MOMENT = Repository(
    "keflanagan", "MomentofUntruth", "ac2adcdd56230a3169adf965fc7926d3ee2784ce", "see repository"
)


def _ra_rft(name: str, blob: str, role: str = "test") -> PinnedFile:
    return PinnedFile(RA_RFT, f"dataset/anno/{name}", blob, role)


def _uvqa_category(category: str) -> list[PinnedFile]:
    negative = "train_negatvie_attribute.json" if category == "attribute" else None  # as released
    return [
        PinnedFile(UVQA, f"dataset/uvqa/{category}/train_{category}.json", None, "train"),
        PinnedFile(
            UVQA,
            f"dataset/uvqa/{category}/{negative or f'train_negative_{category}.json'}",
            None,
            "train",
        ),
    ]


FILES: tuple[PinnedFile, ...] = (
    _ra_rft("hi_vtg_activitynet.json", "e1289fb11cd8c3d45e7ae5e410fb0a98b7e217ef"),
    _ra_rft("hi_vtg_charades.json", "1a12076817bbd8ab9c51d18c1c4aef80b28b053e"),
    _ra_rft("hi_vtg_tvgbench.json", "b7a5bb14c76de2213d49a7be6154a1c5e790254f"),
    _ra_rft("human_anno.json", "bdbdbcb3a73e"),
    _ra_rft("ss_vtg_activitynet.json", "ca11b9cbf15a"),
    _ra_rft("ss_vtg_charades.json", "a5fea40db066dc76e09b4ea7381ee885a2f66359"),
    _ra_rft("ss_vtg_qvhighlight.json", "20d026b7b983e00ad4fbe5e7c496e8345f264e5a"),
    _ra_rft("hi_vtg_train.json", "63d78366f14d", role="train"),
    PinnedFile(UVQA, "dataset/uvqa/object/eval_object.json",
               "080371065bbbbb18749a3bb85b88664de669ede2", "test"),
    PinnedFile(UVQA, "dataset/uvqa/relation/eval_relation.json",
               "7ed52e2b28f045a33f4ea04f590afe516b97c023", "test"),
    PinnedFile(UVQA, "dataset/uvqa/attribute/eval_attribute.json",
               "c00fbc372611220c8b49716f7288aff0525a240c", "test"),
    PinnedFile(UVQA, "dataset/video_chatgpt/eval/eval_uvqa_format.json", "9796981ca9fc", "test"),
    *(f for category in ("object", "relation", "attribute") for f in _uvqa_category(category)),
    *(PinnedFile(UVQA, f"dataset/video_chatgpt/train/train_uvqa_format_chunk{k}.json", None,
                 "train") for k in range(1, 6)),
    *(PinnedFile(UVQA, f"dataset/video_chatgpt/train_negative/train_neg_chunk{k}.json", None,
                 "train") for k in range(1, 6)),
    PinnedFile(RATSG, "data/dataset/charades_RF/charades_sta_test2.0.json",
               "c8626f446e2c1306d343971f35149612fcc56100", "test"),
    PinnedFile(RATSG, "data/dataset/charades_RF/charades_sta_train.txt",
               "c4737d4f2877807cc9685724c69dd245697b1176", "train"),
    PinnedFile(MOMENT, "UniVTG-NA/data/qvhighlights/metadata/qvhl_pos_val.jsonl",
               "b7198dc056d6a3a7f4028aabb2e239466e08da0f", "test"),
    PinnedFile(MOMENT, "UniVTG-NA/data/qvhighlights/metadata/qvhl_id_pos_neg_val.jsonl",
               "c6877f7d4536d908c4a960260de2a337ddac6885", "test"),
)  # fmt: skip

BY_KEY: dict[str, PinnedFile] = {f.key: f for f in FILES}

#: sha256 of the files whose full content this project has seen (../shared/data at the pins)
SHA256 = {
    "RA-RFT/dataset/anno/hi_vtg_charades.json":
        "1569a4dd771ade97a0441a9b7fa967728325229480fc4f7b8d34de7b85c7069d",
    "RA-RFT/dataset/anno/hi_vtg_tvgbench.json":
        "12e8a933037f60b430f90918e0c861f5157c82746631a9103740619c7bc5c7e2",
    "RA-RFT/dataset/anno/ss_vtg_charades.json":
        "d6650742f84dfaec9cf9401bd41d2e01066888259bf08a810464430b73e9596d",
    "RA-RFT/dataset/anno/ss_vtg_qvhighlight.json":
        "f5ef7ec20d977d834b299bd15744a84d6ab2cf833e18429143750647d482351f",
    "UVQA/dataset/uvqa/attribute/eval_attribute.json":
        "d9bd9b931b13de94ff27bfc6c3479b77ae62c73962ef50c82d3483d9aeaafaab",
    "UVQA/dataset/uvqa/object/eval_object.json":
        "41cbe0c5c98c645906681d18409f5c6f4b5d5ac719d8df4d3ba88d27cce888e1",
    "UVQA/dataset/uvqa/relation/eval_relation.json":
        "85845fb46cab62eaa826eecf2e1392c23e430169b3c20e118e674da7697e410d",
    "RaTSG/data/dataset/charades_RF/charades_sta_test2.0.json":
        "c9dba74e2d7947bc26df5bc1f648894420ff2f9884937de8a45b52c3e0f33ceb",
    "RaTSG/data/dataset/charades_RF/charades_sta_train.txt":
        "e966fc1970cf6bc4cc73db2dd4fc10e148313810a372eef488defb0dd2ee359f",
    "MomentofUntruth/UniVTG-NA/data/qvhighlights/metadata/qvhl_id_pos_neg_val.jsonl":
        "d8dc426d88897fdf2cfeacd216e1f789f479cd90d826715a1a7b0ef415bde996",
    "MomentofUntruth/UniVTG-NA/data/qvhighlights/metadata/qvhl_pos_val.jsonl":
        "f668a1eaea156ec5315e14718999cea043a8cf948d3cafbd8e8d655318c3cd02",
}  # fmt: skip
