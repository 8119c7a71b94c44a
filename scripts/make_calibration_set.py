"""Write the judge-calibration set: realistic model outputs with their correct outcome.

    python scripts/make_calibration_set.py --data-root ../shared/data

Each output is written for one real sample (released tasks and the synthetic split) in the style
of one model family, from phrasings written by hand for this set, and labelled with what a careful
reader takes it to say: grounding `span` (with the span), `refusal` or `unparsed`; QA `refusal`
or `answer` (and, for refusals of unanswerable questions, whether they name the altered element).
The labels come from how each output was written, never from a judge. The file is committed as
`benchmark/calibration/outputs.jsonl`; rerunning with the same data gives the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from benchmark.task_loading import load_task

OUT = Path(__file__).resolve().parents[1] / "benchmark" / "calibration" / "outputs.jsonl"
GROUNDING_TASKS = {"hi_charades": 90, "hi_tvgbench": 90, "ss_charades": 35, "ss_qvhighlights": 35}
SYNTH_GROUNDING = {"synth_hivtg": 70, "synth_ss": 30}
QA_TASKS = {"uvqa_object": 70, "uvqa_relation": 45, "uvqa_attribute": 50}
SYNTH_QA = {"synth_uvqa": 60, "synth_qa": 75}
OTHER_THINGS = ["box", "towel", "laptop", "broom", "pillow", "blanket", "sandwich", "mirror",
                "guitar", "bicycle", "umbrella", "ladder", "bucket", "newspaper"]  # fmt: skip
_DET = re.compile(r"\b(?:a|an|the|some|his|her|their|two|three|another)\s+(\w{3,})(?:\s+(\w{3,}))?")
_SKIP = set(
    "person man woman someone people video clip group while who from into onto with over under "
    "about after before this that there their them then when where which what".split()
)
_ADJECTIVES = {"small", "large", "big", "little", "red", "blue", "green", "yellow", "white",
               "black", "old", "young", "other", "same", "first", "second", "brown"}  # fmt: skip


def noun(query: str, rng: random.Random) -> str:
    """A thing the query names: the word after a determiner (after its adjective, if any)."""
    found = []
    for first, second in _DET.findall(query.lower()):
        word = second if first in _ADJECTIVES and second else first
        if word not in _SKIP and not word.endswith(("ing", "ed")) and word not in _ADJECTIVES:
            found.append(word)
    if not found:  # no determiner: the longest word that is not a verb form
        found = [w for w in re.findall(r"[a-z]{4,}", query.lower())
                 if w not in _SKIP and not w.endswith(("ing", "ed", "s"))][:3]  # fmt: skip
    return rng.choice(sorted(found, key=len)[-2:]) if found else "thing"


# --- how times are written ------------------------------------------------------------------------


def clock(x: float, hours: bool = False, ms: bool = False) -> str:
    m, s = divmod(x, 60)
    h, m = divmod(int(m), 60)
    sec = f"{s:06.3f}" if ms else f"{round(s):02d}"
    return f"{h:02d}:{m:02d}:{sec}" if hours or h else f"{m:02d}:{sec}"


def span_text(a: float, b: float, rng: random.Random) -> tuple[str, tuple[float, float]]:
    """A span in one of the formats models print, and the span it means (rounded as written)."""
    a1, b1 = round(a, 1), round(b, 1)
    a2, b2 = round(a, 2), round(b, 2)
    ai, bi = round(a), round(b)
    options = [
        (f"{a2} to {b2}", (a2, b2)),
        (f"{a1} - {b1} seconds", (a1, b1)),
        (f"{a1}–{b1}s", (a1, b1)),
        (f"from {a1} to {b1} seconds", (a1, b1)),
        (f"between {a1} and {b1} seconds", (a1, b1)),
        (f"{a1} s - {b1} s", (a1, b1)),
        (f"[{a2}, {b2}]", (a2, b2)),
        (f"({a1}, {b1})", (a1, b1)),
        (f"{clock(ai)} to {clock(bi)}", (float(ai), float(bi))),
        (f"{clock(ai)}-{clock(bi)}", (float(ai), float(bi))),
        (f"{clock(a2, hours=True, ms=True)} --> {clock(b2, hours=True, ms=True)}", (a2, b2)),
        (f"{str(a1).replace('.', ',')} to {str(b1).replace('.', ',')} s", (a1, b1)),
        (f"the {ai}-second mark to the {bi}-second mark", (float(ai), float(bi))),
        (f"{ai}s to {bi}s", (float(ai), float(bi))),
    ]
    return rng.choice(options)


def labelled_span(a: float, b: float, rng: random.Random) -> tuple[str, tuple[float, float]]:
    a1, b1 = round(a, 1), round(b, 1)
    options = [
        f"Start: {a1}, End: {b1}",
        f"Start time: {a1}s\nEnd time: {b1}s",
        f"The event starts at {a1} s and ends at {b1} s.",
        f"It begins around {a1} seconds and finishes at about {b1} seconds.",
        f"**Start:** {a1} seconds  **End:** {b1} seconds",
        f"start = {a1}; end = {b1}",
        f"Starting at {a1}s, ending at {b1}s.",
    ]
    return rng.choice(options), (a1, b1)


def json_span(a: float, b: float, rng: random.Random) -> tuple[str, tuple[float, float]]:
    a1, b1 = round(a, 1), round(b, 1)
    options = [
        f'{{"start": {a1}, "end": {b1}}}',
        f'```json\n{{"start_time": {a1}, "end_time": {b1}}}\n```',
        f'{{"timestamps": [{a1}, {b1}]}}',
        f'{{"span": [[{a1}, {b1}]], "relevant": true}}',
        f"{{'start': {a1}, 'end': {b1}}}",
        f'{{"relevant": true, "start": "{a1}", "end": "{b1}"}}',
        f'{{"answer": "{a1} to {b1}"}}',
        f'[{{"start": {a1}, "end": {b1}, "label": "event"}}]',
    ]
    return rng.choice(options), (a1, b1)


# --- grounding outputs ----------------------------------------------------------------------------
# Each style function returns (text, outcome, span). `q` is the query, `x` a thing it names, `y` a
# thing it does not, (a, b) a span to give.

THINKS = [
    "<think>The query asks about {x}. I scan the frames: from 0 to 3 s there is no {x}, then "
    "something happens around {a:.0f} s.</think>",
    "<think>\nLet me check each segment. The video does not show anything relevant at first. "
    "Later the {x} is visible.\n</think>",
    "<think>I am not sure the {x} appears; the query might be unrelated. Looking again...</think>",
    "<think>First I describe the video: a person in a room, a {y} on a table, there is no sound."
    "</think>",
]


def time_r1(q, x, y, a, b, rng):
    think = rng.choice(THINKS).format(x=x, y=y, a=a)
    if rng.random() < 0.15:  # cut off inside <think> by max_new_tokens
        return think.replace("</think>", "") + " The answer seems to be", "unparsed", None
    body, span = (
        span_text(a, b, rng)
        if rng.random() < 0.8
        else (f"{a:.2f}-{b:.2f}", (round(a, 2), round(b, 2)))
    )
    return f"{think} <answer>{body}</answer>", "span", span


def videochat_r1(q, x, y, a, b, rng):
    think = rng.choice(THINKS).format(x=x, y=y, a=a)
    a2, b2 = round(a, 2), round(b, 2)
    body = rng.choice([f"{a2}, {b2}", f"[{a2}, {b2}]", f"{a2}-{b2}", f"({a2}, {b2})"])
    if body == f"{a2}, {b2}":
        body = f"[{a2}, {b2}]"
    return f"{think}\n<answer>{body}</answer>", "span", (a2, b2)


RA_REFUSALS = [
    "The video does not contain a segment relevant to the query because the {x} never appears.",
    "This query is somewhat inconsistent with the video. The footage shows a {y} rather than "
    "a {x}, so no part of the video matches.",
    "The query does not align with the video: the person handles a {y}, not a {x}.",
    "There is no {x} in the video; the person only interacts with a {y}.",
    "This query is clearly unrelated to the video.",
    "The described action does not occur in the footage, so no interval satisfies the query.",
]


def ra_rft(q, x, y, a, b, rng):
    think = rng.choice(THINKS).format(x=x, y=y, a=a)
    correction_tag = rng.choice(["correction", "correct"])
    if rng.random() < 0.5:
        body, span = span_text(a, b, rng)
        return (
            f"{think}\n<answer>\n{body}\n</answer>\n<{correction_tag}>NIL</{correction_tag}><|im_end|>",
            "span",
            span,
        )
    refusal = rng.choice(RA_REFUSALS).format(x=x, y=y)
    fixed = q.replace(x, y) if x in q else q
    return (
        f"{think}\n<answer>\n{refusal}\n</answer>\n<{correction_tag}>\n{fixed}\n</{correction_tag}>",
        "refusal",
        None,
    )


PLAIN_SPANS = [
    "The event happens {s}.",
    "The moment described occurs {s}.",
    "{S}.",
    "This happens at {s} in the video.",
    "The query corresponds to {s}.",
    "The relevant segment is {s}.",
    "Answer: {s}",
]


def qwen_plain(q, x, y, a, b, rng):
    s, span = span_text(a, b, rng)
    template = rng.choice(PLAIN_SPANS)
    return template.format(s=s, S=s[0].upper() + s[1:]), "span", span


def llava_chat(q, x, y, a, b, rng):
    s, span = span_text(a, b, rng)
    lead = rng.choice([
        f"In the video, we can see the {x} clearly. ",
        "The video shows a person moving around a room. ",
        "Sure! ",
        "Based on the video, ",
    ])  # fmt: skip
    tail = rng.choice([
        f"The action takes place {s}.",
        f"this can be observed approximately {s}.",
        f"The person is seen doing this {s}, after which they walk away.",
        f"You can find it {s}.",
    ])  # fmt: skip
    return lead + tail, "span", span


def gpt4o_prose(q, x, y, a, b, rng):
    s, span = span_text(a, b, rng)
    if rng.random() < 0.5:
        text = (
            f"Let me walk through the video. At the start, the person stands near the door. "
            f'The part that matches "{q.strip()}" comes later: it occurs {s}. '
            "Before that, the person is just looking around."
        )
    else:
        text = (
            f"The clip opens with a wide shot. Overall, the requested moment, where the {x} "
            f"is involved, spans {s}."
        )
    return text, "span", span


def json_answer(q, x, y, a, b, rng):
    if rng.random() < 0.25:
        text = rng.choice([
            f'{{"relevant": false, "span": null, "reason": "There is no {x} in the video."}}',
            f'```json\n{{"relevant": false, "explanation": "It is a {y}, not a {x}."}}\n```',
            '{"is_relevant": "no", "start": null, "end": null}',
        ])  # fmt: skip
        return text, "refusal", None
    text, span = json_span(a, b, rng)
    return text, "span", span


def labelled(q, x, y, a, b, rng):
    text, span = labelled_span(a, b, rng)
    return text, "span", span


def span_phrases(*templates: str):
    """A style that gives the span in one of these phrasings ({s}: the span, {x}: a thing the
    query names, {a}: the start)."""

    def style(q, x, y, a, b, rng):
        s, span = span_text(a, b, rng)
        return rng.choice(templates).format(s=s, x=x, a=a), "span", span

    return style


hedged = span_phrases(
    "I'm not sure, but it is around {s}.",
    "It's hard to tell exactly, but the event seems to happen {s}.",
    "Possibly {s}; the frames are blurry.",
    "I can't determine the exact moment, but roughly {s}.",
    "The query doesn't perfectly match, but the closest moment is {s}.",
    "I think it is {s}, though I'm not certain.",
    "Probably {s}. The {x} is partly hidden.",
)
side_remark = span_phrases(
    "There's no audio, but the action happens {s}.",
    "The {x} is not seen until {a:.0f} s; the event takes place {s}.",
    "The camera does not move. The event occurs {s}.",
    "It doesn't start before {a:.0f} seconds: the moment is {s}.",
    "No other people are present. The query matches {s}.",
    "There is no doubt: {s}.",
)


def terse_refusal(q, x, y, a, b, rng):
    text = rng.choice([
        "No.", "Irrelevant.", "Not in the video.", "None", "N/A", "No matching segment.",
        "Unrelated.", "The query is not relevant.", "Not present.", "no such event",
    ])  # fmt: skip
    return text, "refusal", None


VERBOSE_REFUSALS = [
    "After reviewing the whole video, I could not find any moment where {q_lower}. The person "
    "spends the clip with a {y}, and a {x} is absent throughout.",
    "This query doesn't match the video. The footage shows someone using a {y} instead.",
    "The person picks up a {y}, not a {x}.",
    "This query assumes a {x}, but the video never shows one.",
    "The video doesn't provide enough information to locate this event.",
    "I watched the clip carefully and the {x} is missing from every scene.",
    "Nothing like that happens in the video; it is a {y} that the person is holding.",
    "That doesn't happen here. The clip only features a {y} being moved around.",
    "The {x} mentioned in the query cannot be seen anywhere in the footage.",
    "I'm sorry, but this event does not occur in the provided video.",
    "There is a mismatch between the query and the video content: the object is a {y}.",
    "The query describes a {x}, whereas the video shows a {y}.",
    "At no point in the video does this happen.",
    "The query seems to be based on a false premise - there's no {x}.",
    "No part of the footage depicts the {x}.",
]


def verbose_refusal(q, x, y, a, b, rng):
    q_lower = q.strip().rstrip(".").lower()
    return rng.choice(VERBOSE_REFUSALS).format(x=x, y=y, q_lower=q_lower), "refusal", None


def evidence_refusal(q, x, y, a, b, rng):
    s, _ = span_text(a, b, rng)
    text = rng.choice([
        f"There is no {x}; a {y} is seen {s}.",
        f"The query does not match the video. The closest thing is a {y} shown {s}, but it "
        "is different.",
        f"The video shows a {y} {s}, not a {x}, so the query is not grounded in the video.",
        f"I do not see any {x}. From {a:.0f} s the person only holds a {y}.",
        f"The query is inconsistent with the video: {s} the person uses a {y} rather than a {x}.",
    ])  # fmt: skip
    return text, "refusal", None


def garbage(q, x, y, a, b, rng):
    text = rng.choice([
        "", " ", "<think>The query mentions a", "the the the the the the", "I'm not sure.",
        "Yes.", "The event happens in the video.", "12", "<answer></answer>",
        f"{q.strip()} {q.strip()}", "Sorry, I can only see images.", "!!!!!!!!",
        "<think>There is no dog here at all.</think>", "The video is about a person at home.",
        "It happens at the beginning of the video.", "The query is relevant.",
    ])  # fmt: skip
    return text, "unparsed", None


GROUNDING_STYLES = {
    "time-r1": time_r1, "videochat-r1": videochat_r1, "ra-rft": ra_rft, "qwen-plain": qwen_plain,
    "llava-chat": llava_chat, "gpt4o-prose": gpt4o_prose, "json": json_answer,
    "labelled": labelled, "hedged": hedged, "side-remark": side_remark,
    "terse-refusal": terse_refusal, "verbose-refusal": verbose_refusal,
    "evidence-refusal": evidence_refusal, "garbage": garbage,
}  # fmt: skip


# --- QA outputs -----------------------------------------------------------------------------------
# Each returns (text, outcome, reason): outcome "refusal" or "answer"; reason "right" / "wrong" for
# a refusal that names / does not name the altered element `e` (None when not applicable).

GENERIC_REFUSALS = [
    "I'm sorry, but I can't answer that based on the video.",
    "This cannot be determined from the video.",
    "The question cannot be answered from what is shown.",
    "It is not possible to tell from this clip.",
    "I don't know.",
    "Unanswerable.",
    "The video doesn't give enough information to answer this.",
    "There's no way to know that from the footage.",
]
SPECIFIC_REFUSALS = [
    "There is no {e} in the video, so this can't be answered.",
    "The video does not show any {e}.",
    "This question assumes a {e}, but the video never shows one.",
    "Nothing like a {e} is in the clip.",
    "I don't see a {e} anywhere in the video.",
    "The question is unanswerable because the {e} it mentions does not appear.",
    "The premise is wrong: no {e} is present in the video.",
    "The {e} is not visible at any point, so I cannot say.",
    "Actually, there isn't any {e} in this video.",
    "The question is based on a false premise: the video features no {e}.",
    "The video doesn't feature a {e}; it shows something else entirely.",
    "Based on the video, a {e} does not appear, so the question has no answer.",
]
ANSWERS = [
    "The man is cutting vegetables in the kitchen.",
    "She is wearing a red jacket.",
    "He picks up the cup and drinks from it.",
    "The person looks happy and smiles at the camera.",
    "They are playing soccer on a grass field.",
    "There are three people in the room.",
    "The woman opens the door and walks in.",
    "It is sunny outside.",
    "He does not use a knife; he tears the bread by hand.",
    "No one else is in the room; the woman sits alone at the table.",
    "The dog is not running; it lies on the couch the whole time.",
    "It's hard to say for sure, but he seems to be cooking pasta.",
    "In the video, the person reacts by laughing and clapping their hands.",
    "The color is blue.",
    "Two.",
    "The child never stops smiling while playing with the toy.",
    "The man is not angry; he looks calm and speaks slowly.",
    "Based on the video, the person appears to be fixing a bike.",
]


def qa_output(sample, rng, style):
    e = sample.altered.strip() if sample.altered else None
    if style == "answer":
        if sample.answer and rng.random() < 0.4:
            return rng.choice([
                f"{sample.answer}.", f"The answer is {sample.answer}.",
                f"It is {sample.answer}.", f"From the video, I would say {sample.answer}.",
            ]), "answer", None  # fmt: skip
        return rng.choice(ANSWERS), "answer", None
    if style == "yes-no-answer":
        return rng.choice([
            "No, he is not smiling; he looks serious.",
            "Yes, the woman is holding a cup.",
            "No, the person does not leave the room.",
            "No. She keeps her hat on throughout.",
            "Yes — they do, at the very end.",
        ]), "answer", None  # fmt: skip
    if style == "generic-refusal":
        return rng.choice(GENERIC_REFUSALS), "refusal", "wrong" if e else None
    if e is None:
        return rng.choice(GENERIC_REFUSALS), "refusal", None
    words = e.split()
    short = " ".join(words[-2:]) if len(words) > 2 else e
    if style == "specific-refusal":
        return rng.choice(SPECIFIC_REFUSALS).format(e=short), "refusal", "right"
    if style == "wrong-reason-refusal":
        other = rng.choice([t for t in OTHER_THINGS if t not in e])
        return rng.choice(SPECIFIC_REFUSALS).format(e=other), "refusal", "wrong"
    # "gpt4o-refusal": verbose prose
    return rng.choice([
        f"Looking at the video, I can't find any {short}. The clip shows other people and objects, "
        "but nothing that matches the question, so I can't answer it.",
        f"The question refers to {short}, but that isn't something that appears in the video. "
        "It may be based on a misunderstanding of the content.",
        f"Unfortunately the video doesn't include {short}, which means the question cannot be "
        "answered accurately.",
    ]), "refusal", "right"  # fmt: skip


QA_STYLES_UNANSWERABLE = ["specific-refusal", "generic-refusal", "wrong-reason-refusal",
                          "gpt4o-refusal", "answer"]  # fmt: skip
QA_STYLES_ANSWERABLE = ["answer", "yes-no-answer", "generic-refusal"]


# --- the set --------------------------------------------------------------------------------------


def gold_or_random_span(sample, rng):
    if sample.gold_spans and rng.random() < 0.8:
        return sample.gold_spans[0]
    duration = sample.duration or 60.0
    a = rng.uniform(0, duration * 0.7)
    return a, min(duration, a + rng.uniform(1, duration * 0.3))


def row(sample, family, style, text, outcome, span=None, reason=None) -> dict:
    """One labelled output of the set."""
    out = {"task": sample.task, "sample_id": sample.id, "family": family, "style": style}
    out |= {"text": text, "outcome": outcome}
    if span is not None:
        out["span"] = [float(span[0]), float(span[1])]
    if reason is not None:
        out["reason"] = reason
    return out


def element(sample) -> str:
    """The altered element of an unanswerable question, as a refusal would name it (its last
    one or two words that are not function words: "unclassified adult  kneeling down" ->
    "kneeling")."""
    words = [
        w
        for w in sample.altered.split()
        if w.lower() not in _SKIP | {"of", "the", "a", "down", "up"}
    ]
    return " ".join(words[-2:]) if len(words) <= 2 else words[-1]


def things(sample, rng) -> tuple[str, str]:
    """A thing the query names and one it does not."""
    x = noun(sample.question, rng)
    return x, rng.choice([t for t in OTHER_THINGS if t != x])


def build(data_root: str | None, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    styles = list(GROUNDING_STYLES)
    for task, n in {**GROUNDING_TASKS, **SYNTH_GROUNDING}.items():
        samples = load_task(task, data_root=data_root).samples
        for sample in rng.sample(samples, n):
            style = styles[len(rows) % len(styles)]
            x, y = things(sample, rng)
            a, b = gold_or_random_span(sample, rng)
            text, outcome, span = GROUNDING_STYLES[style](sample.question, x, y, a, b, rng)
            rows.append(row(sample, "grounding", style, text, outcome, span))
    for task, n in {**QA_TASKS, **SYNTH_QA}.items():
        samples = load_task(task, data_root=data_root).samples
        for k, sample in enumerate(rng.sample(samples, min(n, len(samples)))):
            pool = QA_STYLES_ANSWERABLE if sample.kind == "answerable" else QA_STYLES_UNANSWERABLE
            style = pool[(k + len(rows)) % len(pool)]
            text, outcome, reason = qa_output(sample, rng, style)
            if sample.kind != "unanswerable" or outcome != "refusal":
                reason = None
            rows.append(row(sample, "qa", style, text, outcome, reason=reason))
    rows += written_after(
        data_root, random.Random(seed + 1), "holdout",
        ("hi_charades", "hi_tvgbench", "synth_hivtg"),
        HOLDOUT_GROUNDING, HOLDOUT_QA_REFUSALS, HOLDOUT_QA_ANSWERS, ("uvqa_object", "synth_uvqa"),
    )  # fmt: skip
    rows += written_after(
        data_root, random.Random(seed + 2), "holdout-2",
        ("hi_charades", "hi_tvgbench", "ss_qvhighlights", "synth_hivtg"),
        HOLDOUT2_GROUNDING, HOLDOUT2_QA_REFUSALS, HOLDOUT2_QA_ANSWERS, ("synth_qa", "uvqa_object"),
    )  # fmt: skip
    for k, item in enumerate(rows):
        item["id"] = f"cal-{k:04d}"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build(args.data_root)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({"id": row.pop("id"), **row}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} outputs -> {args.out}")


# --- a second set, written after the judge was tuned on the styles above -------------------------
# Kept as its own styles ("holdout-*") so that `judge-check` shows how the rules carry over to
# phrasings they were not written against.

HOLDOUT_GROUNDING = [
    ("The specified event can be found at {s} in the video.", "span"),
    ("<answer>The person does it from {s}.</answer>", "span"),
    ("Timestamp: {s}", "span"),
    ("Answer: The event occurs in the segment {s}.", "span"),
    ("Output: {s}", "span"),
    ("This takes place during {s} of the video.", "span"),
    ("It happens at around {a1} seconds and ends at approximately {b1} seconds.", "span"),
    ("Start time - {a1} s, end time - {b1} s", "span"),
    ("The event lasts from {a1} s until {b1} s.", "span"),
    ("{a1} → {b1}", "span"),
    ("I'm fairly confident it's {s}.", "span"),
    (
        "The answer is {s}.\n\nExplanation: nothing relevant happens before {a1:.0f} seconds.",
        "span",
    ),
    ("The event is not at the beginning of the video; it happens {s}.", "span"),
    ("Although the {x} is not clearly visible, the action seems to take place {s}.", "span"),
    ("Relevant. {s}", "span"),
    ('{{"query_relevant": true, "timestamps": "{s}"}}', "span"),
    ("Sorry, I couldn't locate this event in the video.", "refusal"),
    ("The video shows someone with a {y}, so the query about a {x} does not apply.", "refusal"),
    ("This event isn't depicted in the footage.", "refusal"),
    ("The described moment does not exist in this clip.", "refusal"),
    ("There is no segment where {q}", "refusal"),
    ("None. The {x} never shows up.", "refusal"),
    ("I don't think this happens in the video.", "refusal"),
    ("The query is about a {x}, but the video is about a {y}.", "refusal"),
    ("The query cannot be matched to any part of the video.", "refusal"),
    ("The requested event is absent from the video.", "refusal"),
    ("Query not found in video.", "refusal"),
    ("The person holds a {y}; the {x} from the query is nowhere to be seen.", "refusal"),
    ("The video only includes people talking; nothing resembling this is visible.", "refusal"),
    ("I could not identify any segment that corresponds to the query.", "refusal"),
    ("Relevance: irrelevant\nSpan: none", "refusal"),
    ("Unfortunately, this action is not performed in the video.", "refusal"),
    ("The query describes the opposite of what happens in the clip.", "refusal"),
    ("There isn't a {x} in this video. A {y} appears {s} instead.", "refusal"),
    ("The footage contains a {y} from {s}, but no {x} at any time.", "refusal"),
    ("The event happens in the middle of the video.", "unparsed"),
    ("Yes, this event is in the video.", "unparsed"),
    ("I don't know.", "unparsed"),
    ("As an AI, I cannot watch videos.", "unparsed"),
    ("The answer is 15.", "unparsed"),
    ("Please clarify your query.", "unparsed"),
    ("<think>The {x} might be there. Let me look from {s} again. No, wait", "unparsed"),
]
HOLDOUT_QA_REFUSALS = [
    "Sorry, I cannot provide an answer because the video does not contain a {e}.",
    "Hmm, I'm unable to spot any {e} in this video.",
    "That's not shown in the video.",
    "The video doesn't seem to include any {e}.",
    "I can only see other people; no {e} appears.",
    "This seems to be a trick question — the video has no {e}.",
    "The answer cannot be inferred from the clip.",
    "N/A - the premise of the question is incorrect.",
    "Answer: Not applicable. The video shows no such thing.",
    "Honestly, no {e} can be seen in this video at all.",
    "The question mentions a {e}, but the video actually shows a {y}.",
    "I don't have enough information to answer that.",
    "The video is too blurry to tell.",
    "I'm afraid the clip doesn't show that.",
    "Your question seems to contain an error: there is a {y}, not a {e}.",
    "I don't think there is a {e} in this video.",
]
HOLDOUT_QA_ANSWERS = [
    "I think he is happy.",
    "He seems to be angry, but it's not entirely clear.",
    "The woman is slicing tomatoes on a wooden board.",
    "They never leave the car; they talk inside it the whole time.",
    "Nothing special, he just walks to the door and opens it.",
    "He doesn't seem to notice the camera and keeps working.",
    "It looks like a birthday party, with balloons and a cake.",
    "Probably around three people, although one is partly off screen.",
]


def written_after(data_root, rng, style, grounding_tasks, grounding_texts, qa_refusals,
                  qa_answers, answer_tasks) -> list[dict]:  # fmt: skip
    """The outputs of a set written after the rules: each grounding text (labelled) twice and
    each QA text three times, for random samples of the given tasks."""

    def samples(tasks):
        return [s for t in tasks for s in load_task(t, data_root=data_root).samples]

    rows = []
    grounding = samples(grounding_tasks)
    for text, outcome in grounding_texts * 2:
        sample = rng.choice(grounding)
        x, y = things(sample, rng)
        a, b = gold_or_random_span(sample, rng)
        fields = {"a1": round(a, 1), "b1": round(b, 1), "ai": round(a), "bi": round(b)}
        span = (fields["ai"], fields["bi"]) if "{ai}" in text else (fields["a1"], fields["b1"])
        if "{s}" in text:
            fields["s"], span = span_text(a, b, rng)
        q = sample.question.strip().rstrip(".").lower()
        text = text.format(x=x, y=y, q=q, **fields)
        rows.append(row(sample, "grounding", style, text, outcome,
                        span if outcome == "span" else None))  # fmt: skip
    unanswerable = samples(("uvqa_object", "uvqa_relation", "uvqa_attribute", "synth_uvqa"))
    for text in qa_refusals * 3:
        sample = rng.choice(unanswerable)
        e = element(sample)
        y = rng.choice([t for t in OTHER_THINGS if t not in e])
        rows.append(row(sample, "qa", style, text.format(e=e, y=y), "refusal"))
    pool = samples(answer_tasks)
    for text in qa_answers * 3:
        rows.append(row(rng.choice(pool), "qa", style, text, "answer"))
    return rows


# --- a third set ("holdout-2"), written after the review of the rules -------------------------

HOLDOUT2_GROUNDING = [
    (
        "The action can be observed from approximately {a1} seconds to {b1} seconds in the video.",
        "span",
    ),
    ("{a1}s~{b1}s", "span"),
    ("Time range: {a1} - {b1} (seconds)", "span"),
    ("The segment [{a1}s - {b1}s] matches the description.", "span"),
    ("<answer>{a1} - {b1} seconds</answer>", "span"),
    ("This occurs between second {ai} and second {bi}.", "span"),
    ("The query is answered by the clip spanning {a1} to {b1} s.", "span"),
    ("```\n{a1} - {b1}\n```", "span"),
    ("**Answer:** {a1}–{b1} s", "span"),
    ('{{"timestamp": [{a1}, {b1}], "confidence": 0.8}}', "span"),
    ('{{"segments": [{{"start": {a1}, "end": {b1}}}]}}', "span"),
    ("{{'relevant': 'yes', 'span': '{a1}-{b1}'}}", "span"),
    ("It happens twice: briefly from 0.1 to 0.2 s, and most clearly from {a1} to {b1} s.", "span"),
    ("Yes, it happens. Start: {a1}. End: {b1}.", "span"),
    ("At {a1} seconds the person starts, and at {b1} seconds they finish.", "span"),
    ("It lasts from about {a1}s to about {b1}s.", "span"),
    ("Approximately {a1}-{b1} sec.", "span"),
    ("The video shows this around the {ai}-{bi} second range.", "span"),
    ("The scene begins at {a1} s and lasts until {b1} s.", "span"),
    ("Hmm, I watched the clip and I don't see a {x} at any point.", "refusal"),
    ("That doesn't seem to be in the video.", "refusal"),
    ("The video does not appear to contain such an event.", "refusal"),
    ("The query refers to a {x}, which I couldn't spot.", "refusal"),
    ("No {x} is visible in this clip; the person is handling a {y}.", "refusal"),
    ("This moment isn't in the video.", "refusal"),
    ("I believe the query is incorrect for this video: the person holds a {y}.", "refusal"),
    ("The {x} described doesn't exist in the footage.", "refusal"),
    ("Nope, nothing like that.", "refusal"),
    ("There's a {y}, but no {x}.", "refusal"),
    ("The query mentions a {x}; however, only a {y} is shown.", "refusal"),
    ("Irrelevant query - the clip is about a {y}.", "refusal"),
    ("This does not correspond to anything in the video.", "refusal"),
    ("Answer: no such moment exists.", "refusal"),
    ("I'm unable to find the {x} the query talks about.", "refusal"),
    ("The video never shows a {x}; it focuses on a {y} from {a1} to {b1} s.", "refusal"),
    ("The premise is wrong: a {y} is used throughout, from {a1} to {b1} s.", "refusal"),
    ("The footage shows a {y} at {a1} to {b1} s rather than a {x}.", "refusal"),
    ("None of the frames show a {x}.", "refusal"),
    ("Not applicable: the video lacks any {x}.", "refusal"),
    ("<answer>The query cannot be localized because the {x} is missing.</answer>", "refusal"),
    ("The person is in a kitchen.", "unparsed"),
    ("<answer>Yes</answer>", "unparsed"),
    ("It's around the middle.", "unparsed"),
    ("Sure, here is the answer:", "unparsed"),
    ("<think>Long reasoning about the {x}, maybe {a1} to {b1} s", "unparsed"),
    ("At {ai} seconds.", "unparsed"),
    ("I cannot process video content.", "unparsed"),
    ("Thank you for the video!", "unparsed"),
    ("The query is relevant to the video.", "unparsed"),
]
HOLDOUT2_QA_REFUSALS = [
    "I'm not able to determine that from the video.",
    "There doesn't appear to be any {e} in the clip.",
    "The clip contains no {e}.",
    "Sorry, I didn't notice any {e}.",
    "Hard to say, since no {e} is visible.",
    "It is impossible to know based on what is shown.",
    "The question is flawed; the video does not include a {e}.",
    "This isn't answerable from the footage.",
    "Your question implies a {e}, but I can't see one.",
    "The {e} you mention doesn't appear.",
    "I have no information about a {e} from this video.",
    "Not sure what you mean - there is no {e} here.",
    "The video does not depict {e}, so I can't describe it.",
    "None; there isn't a {e}.",
    "I can't tell; the {e} never appears.",
]
HOLDOUT2_QA_ANSWERS = [
    "He is not wearing a hat; he has short black hair.",
    "Nobody else appears; she cooks alone.",
    "They don't look happy - they seem worried.",
    "The man doesn't appear angry; he is smiling.",
    "I'd say it is probably a kitchen, though I'm not certain.",
    "The woman never sits down; she stands at the counter the whole time.",
    "It is red.",
    "She is holding a phone, not a remote.",
    "No, the door stays closed.",
    "Three people, none of whom are wearing hats.",
    "Not much happens; the man just sits there.",
]


if __name__ == "__main__":
    main()
