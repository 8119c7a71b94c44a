"""Small annotation files in every released format, written by the tests themselves.

Each mimics its source closely, quirks included (unknown categories, TVGBench's glued-on refusal
tail, spans past the video's end, `<correct>` vs `<correction>`, NA-VMR's `[[0, 0]]` negatives).
"""

from __future__ import annotations

import json
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

RAVTG_GROUPS = [
    {
        "video": "dataset/videos/tvgbench/v_aaa.mp4",
        "query_text": "A man opens the red door.",
        "timestamp": [2.0, 6.5],
        "difficulty": None,
        "video_start": None,
        "video_end": None,
        "think": "<think>...</think>",
        "GRPO": [
            {
                "q": "A man opens the red door.",
                "a": "<answer>2.0 to 6.5</answer>",
                "r": True,
                "difficulty": "original",
            },
            {
                "q": "A man opens the blue door.",
                "a": "<answer>The door in the video is red, not blue. blue A man opens the red door.</answer>",
                "r": False,
                "c": ["Attribute/AttributeValue"],
                "difficulty": "hard",
            },
        ],
    },
    {
        "video": "/data/x/v_bbb.mp4",
        "query_text": "A dog runs to the left.",
        "timestamp": [30.0, 12.0],  # reversed
        "duration": 20.0,  # and past the end once swapped
        "GRPO": [
            {
                "q": "A dog runs to the left.",
                "a": "<answer>12.0 to 20.0</answer><correct></correct>",
                "r": True,
                "difficulty": "original",
            },
            {
                "q": "Two dogs walk to the right after barking.",
                "a": "<answer>One dog runs left; nothing walks right.</answer><correction>A dog runs to the left.</correction>",
                "r": False,
                "c": ["Attribute/Counting", "Object/ObjectMoving", "Action/SceneTransition"],
                "difficulty": "easy",
            },
            {"q": "   ", "a": "", "r": False, "c": [], "difficulty": "medium"},  # empty query
        ],
    },
    {
        "video": "v_aaa.mp4",  # a second entry of the same video
        "query_text": "The man sits down.",
        "timestamp": [8.0, 9.0],
        "GRPO": [
            {
                "q": "The man sits down.",
                "a": "<answer>8.0 to 9.0</answer>",
                "r": True,
                "difficulty": "original",
            },
            {
                "q": "The man stands up.",
                "a": "<answer>He sits, he does not stand.</answer>",
                "r": False,
                "c": ["Action/FineGrainedAction"],
                "difficulty": "medium",
            },
        ],
    },
]

UVQA_OBJECT = [
    {
        "vid": "Xyz-123",
        "generated_actor_or_object": "belt",
        "generated_relation": "barber beside belt",
        "new_question": "What colour is the belt?",
        "new_answer": "There is no belt in the video.",
        "prompt": "...",
        "response": "...",
    },
    {
        "vid": "Xyz-123",
        "generated_actor_or_object": "hat",
        "new_question": "Who wears the hat?",
        "new_answer": "No hat appears.",
    },
    {"vid": "Other", "generated_actor_or_object": "cat", "new_question": "", "new_answer": "x"},
]

UVQA_ANSWERABLE = [
    {"vid": "v_qa1", "new_question": "What is the man holding?", "new_answer": "A red cup."},
    {"vid": "v_qa1", "new_question": "Where is he?", "new_answer": "In a kitchen."},
]

RATSG = {
    "AAA01": {
        "sts": [
            {
                "sentence": "person opens a door.",
                "id": "AAA01-0000",
                "timestamp": [1.0, 4.0],
                "no_answer": False,
            },
            {
                "sentence": "person eats a sandwich.",
                "id": "BBB02-1000",
                "timestamp": [],
                "no_answer": True,
            },
        ],
        "duration": 10.0,
    },
    "BBB02": {
        "sts": [
            {
                "sentence": "person eats a sandwich.",
                "id": "BBB02-0000",
                "timestamp": [3.0, 9.0],
                "no_answer": False,
            },
            {
                "sentence": "person eats a sandwich.",
                "id": "BBB02-0000",
                "timestamp": [3.0, 9.0],
                "no_answer": False,
            },
        ],
        "duration": 12.0,
    },
    "CCC03": {
        "sts": [
            {
                "sentence": "person closes the window.",
                "id": "CCC03-0000",
                "timestamp": [0.0, 2.0],
                "no_answer": False,
            }
        ],
        "duration": 5.0,
    },
}

ANET_CAPTIONS = {
    "v_anet1": {
        "duration": 60.0,
        "timestamps": [[0.0, 10.0], [15.0, 70.0]],
        "sentences": ["A man talks.", " He plays a guitar. "],
    },
    "v_anet2": {"duration": 30.0, "timestamps": [[5.0, 25.0]], "sentences": ["A woman dances."]},
}

QVHIGHLIGHTS = [
    {
        "qid": 1,
        "query": "A girl cooks.",
        "duration": 150,
        "vid": "vidA_0.0_150.0",
        "relevant_windows": [[10, 20], [40, 50]],
    },
    {
        "qid": 1,
        "query": "A girl cooks.",
        "duration": 150,
        "vid": "vidB_0.0_150.0",
        "relevant_windows": [[0, 0]],
    },
    {
        "qid": 2,
        "query": "A car drives by.",
        "duration": 150,
        "vid": "vidC_0.0_150.0",
        "relevant_windows": [[100, 160]],
    },
]

#: HI-ActivityNet / SS-ActivityNet as released by RA-RFT: the RA-VTG group schema, ActivityNet
#: video names, long videos; SS irrelevant answers empty and without categories
HI_ACTIVITYNET = [
    {
        "video": "/data/activitynet/v_Xq1a2B3c4D5.mp4",
        "query_text": "A man waxes a surfboard on the beach.",
        "timestamp": [12.4, 47.9],
        "duration": 131.2,
        "think": "<think>...</think>",
        "GRPO": [
            {
                "q": "A man waxes a surfboard on the beach.",
                "a": "<answer>12.4 to 47.9</answer>",
                "r": True,
                "difficulty": "original",
            },
            {
                "q": "A man waxes a snowboard on the beach.",
                "a": "<answer>The board being waxed is a surfboard, not a snowboard.</answer>",
                "r": False,
                "c": ["Object/ObjectExistence"],
                "difficulty": "hard",
            },
            {
                "q": "A woman waxes a snowboard in a garage.",
                "a": "<answer>It is a man waxing a surfboard on a beach, not a woman with a "
                "snowboard in a garage.</answer>",
                "r": False,
                "c": ["Object/ObjectExistence", "Scene/SceneExistence"],
                "difficulty": "medium",
            },
        ],
    },
]
SS_ACTIVITYNET = [
    {
        "video": "/data/activitynet/v_Xq1a2B3c4D5.mp4",
        "query_text": "A man waxes a surfboard on the beach.",
        "timestamp": [12.4, 140.0],
        "duration": 131.2,
        "GRPO": [
            {"q": "A man waxes a surfboard on the beach.", "a": "", "r": True,
             "difficulty": "original"},
            {"q": "Two girls play the violin on a stage.", "a": "", "r": False,
             "difficulty": "easy"},
        ],
    },
]  # fmt: skip

CHARADES_STA = "AAA01 1.0 4.0##person opens a door.\nBBB02 3.0 9.0##person eats a sandwich.\nBBB02 9.0 3.0##person drinks.\n"
CHARADES_CSV = "id,subject,scene,length\nAAA01,x,Kitchen,10.5\nBBB02,y,Hall,12.0\n"


def write_clone_layout(root: Path) -> Path:
    """Write every fixture where a folder of repository clones would hold it."""
    files = {
        "RA-RFT/dataset/anno/hi_vtg_tvgbench.json": RAVTG_GROUPS,
        "UVQA/dataset/uvqa/object/eval_object.json": UVQA_OBJECT,
        "UVQA/dataset/uvqa/answerable/eval_answerable.json": UVQA_ANSWERABLE,
        "RaTSG/data/dataset/charades_RF/charades_sta_test2.0.json": RATSG,
        "activitynet_captions/val_2.json": ANET_CAPTIONS,
    }
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
    return _write_qvhighlights(root)


def write_released_extras(root: Path) -> Path:
    """The files `data fetch` added tasks for: HI-/SS-ActivityNet and the answerable UVQA
    counterpart as released (`eval_uvqa_format.json`)."""
    for relative, data in {
        "RA-RFT/dataset/anno/hi_vtg_activitynet.json": HI_ACTIVITYNET,
        "RA-RFT/dataset/anno/ss_vtg_activitynet.json": SS_ACTIVITYNET,
        "UVQA/dataset/video_chatgpt/eval/eval_uvqa_format.json": UVQA_ANSWERABLE,
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
    return root


#: UVQA training questions and their DPO negatives (item i of one pairs with item i of the other)
UVQA_TRAIN_OBJECT = [
    {
        "vid": "moma_1",
        "new_question": "What is the dog chewing?",
        "new_answer": "There is no dog in the video; a cat plays with a ball.",
        "generated_actor_or_object": "dog",
    },
    {
        "vid": "moma_2",
        "new_question": "Where does the horse run?",
        "new_answer": "No horse appears; two people jog in a park.",
        "generated_actor_or_object": "horse",
    },
]
UVQA_TRAIN_NEGATIVE_OBJECT = [
    {"vid": "moma_1", "new_question": "What is the dog chewing?", "new_answer": "A bone."},
    {"vid": "moma_2", "new_question": "Where does the horse run?", "new_answer": "In a field."},
]


def write_training_sources(root: Path) -> Path:
    """The training files in their released layout: HI-VTG train, UVQA object train + negatives,
    and the Video-ChatGPT chunks (one question each, the same video in the first two)."""
    files = {
        "RA-RFT/dataset/anno/hi_vtg_train.json": RAVTG_GROUPS,
        "UVQA/dataset/uvqa/object/train_object.json": UVQA_TRAIN_OBJECT,
        "UVQA/dataset/uvqa/object/train_negative_object.json": UVQA_TRAIN_NEGATIVE_OBJECT,
    }
    for k in range(1, 6):
        vid = "v_chat1" if k <= 2 else f"v_chat{k}"
        files[f"UVQA/dataset/video_chatgpt/train/train_uvqa_format_chunk{k}.json"] = [
            {"vid": vid, "new_question": f"What happens in part {k}?", "new_answer": f"Part {k}."}
        ]
        files[f"UVQA/dataset/video_chatgpt/train_negative/train_neg_chunk{k}.json"] = [
            {"vid": vid, "new_question": f"What happens in part {k}?",
             "new_answer": "I cannot tell from the video."}
        ]  # fmt: skip
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
    return root


def _write_qvhighlights(root: Path) -> Path:
    qv = root / "MomentofUntruth/UniVTG-NA/data/qvhighlights/metadata/qvhl_id_pos_neg_val.jsonl"
    qv.parent.mkdir(parents=True, exist_ok=True)
    qv.write_text("".join(json.dumps(row) + "\n" for row in QVHIGHLIGHTS))
    return root
