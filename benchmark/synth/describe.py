"""Relevant queries and answerable/unanswerable questions read off a scene graph.

`describe_event` turns an event into a structured query that picks out exactly that event (the
matcher confirms it returns one span), adding optional facets (then, relation, comparison, scene,
part) so edits along every category have something to change. Questions are templates over a
uniquely matching query; their answers are read off the graph. Unanswerable questions alter the
question's object, relation or attribute so that its presupposition matches nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from benchmark.synth.query import (
    SCENE_WORDS,
    Act,
    Desc,
    Query,
    SceneChange,
    Style,
    match,
    noun_phrase,
    relation_between,
    verb_phrase,
    visible,
)
from benchmark.synth.world import COLOURS, SCENES, SHAPES, SceneGraph


def describe_event(graph: SceneGraph, event, rng: random.Random) -> Query | None:
    """A query that holds for this event and no other; None if no such wording exists."""
    actor = graph.entity(event.actors[0])
    state = graph.state(actor.id, event.start)
    count = len(event.actors)
    subject = Desc(shape=actor.shape, colour=state.colour, count=count)
    if rng.random() < 0.35 or count > 1:
        subject = replace(subject, size=state.size if rng.random() < 0.5 or count > 1 else None)
    if actor.part and rng.random() < 0.6:
        subject = replace(subject, part=actor.part)
    query = Query(subject=subject, action=Act(event.kind, event.direction, event.colour))
    mid = (event.start + event.end) / 2

    if count == 1:
        following = [e for e in graph.events_of(actor.id) if e.start >= event.end]
        if following and rng.random() < 0.45:
            nxt = following[0]
            query = replace(query, then=Act(nxt.kind, nxt.direction, nxt.colour))
        others = [e for e in graph.entities if e.id != actor.id and visible(graph, e.id, mid)]
        rng.shuffle(others)
        for other in others:
            relations = relation_between(graph, actor.id, other.id, mid)
            if relations and rng.random() < 0.5:
                query = replace(
                    query, relation=(rng.choice(relations), _other_desc(graph, other.id, mid))
                )
                break
        for other in others:
            mine, theirs = graph.state(actor.id, mid).radius, graph.state(other.id, mid).radius
            if abs(mine - theirs) > 4 and rng.random() < 0.35:
                query = replace(
                    query,
                    comparison=(
                        "larger" if mine > theirs else "smaller",
                        _other_desc(graph, other.id, mid),
                    ),
                )
                break
    end = event.end
    if query.then is not None:
        end = next(e for e in graph.events_of(actor.id) if e.start >= event.end).end
    scene = graph.scene_during(event.start, end)
    if scene and rng.random() < 0.5:
        query = replace(query, scene=scene)
    spans = match(graph, query)
    if spans != [(event.start, end)]:
        return None
    return query


def scene_change_queries(graph: SceneGraph) -> list[SceneChange]:
    return [
        SceneChange(a.scene, b.scene)
        for a, b in zip(graph.segments, graph.segments[1:], strict=False)
    ]


def _other_desc(graph: SceneGraph, entity_id: str, t: float) -> Desc:
    entity = graph.entity(entity_id)
    return Desc(shape=entity.shape, colour=graph.state(entity_id, t).colour)


# --- questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    text: str
    answer: str | None  # None for unanswerable questions
    kind: str  # answerable | unanswerable
    category: str | None = None  # object | relation | attribute for unanswerable ones
    altered: str | None = None
    refusal: str | None = None
    presupposition: Query | None = None  # what the question takes for granted (checked by match)
    form: str = ""  # colour | direction | count | scene | shape | after


_TEMPLATES = {
    "colour": ("What colour is the {np} that {vp}?", "Which colour does the {np} that {vp} have?"),
    "direction": ("In which direction does the {np} move?", "Which way does the {np} move?"),
    "count": ("How many {np} {vp} together?", "How many {np} {vp} at the same time?"),
    "scene": ("Where is the {np} when it {vp}?", "In which setting does the {np} {vp_base}?"),
    "shape": (
        "What shape is the {colour} object that {vp}?",
        "Which shape is the {colour} thing that {vp}?",
    ),
    "after": ("What does the {np} do after it {vp}?", "After the {np} {vp}, what does it do next?"),
}


def answerable_questions(
    graph: SceneGraph, rng: random.Random, style: Style
) -> list[tuple[Question, Query]]:
    """Questions with short exact answers, each about exactly one event (checked by match)."""
    out: list[tuple[Question, Query]] = []
    for event in graph.events:
        actor = graph.entity(event.actors[0])
        state = graph.state(actor.id, event.start)
        act = Act(event.kind, event.direction, event.colour)
        count = len(event.actors)
        if count > 1:
            presupposition = Query(Desc(actor.shape, colour=state.colour, count=count), act)
            # count questions name the group without its number: "how many red squares appear"
            np = f"{state.colour} {actor.shape}s"
            text = rng.choice(_TEMPLATES["count"]).format(
                np=np, vp=verb_phrase(act, style, plural=True)
            )
            if _unique(graph, Query(Desc(actor.shape, colour=state.colour, count=count), act)):
                out.append(
                    (Question(text, _number(count), "answerable", form="count"), presupposition)
                )
            continue
        kinds = ["colour", "shape", "scene"] + (["direction"] if event.kind == "move" else [])
        following = [e for e in graph.events_of(actor.id) if e.start >= event.end]
        if following:
            kinds.append("after")
        kind = rng.choice(kinds)
        vp = verb_phrase(act, style)
        if kind == "colour":
            desc = Desc(actor.shape, part=actor.part if rng.random() < 0.3 else None)
            question = Query(desc, act)
            text = rng.choice(_TEMPLATES["colour"]).format(np=_np(desc), vp=vp)
            answer = state.colour
        elif kind == "shape":
            desc = Desc(actor.shape, colour=state.colour)
            question = Query(desc, act)
            text = rng.choice(_TEMPLATES["shape"]).format(colour=state.colour, vp=vp)
            if not _unique(graph, Query(Desc("?", colour=state.colour), act), any_shape=True):
                continue
            answer = actor.shape
        elif kind == "direction":
            desc = Desc(actor.shape, colour=state.colour)
            question = Query(desc, Act("move"))
            text = rng.choice(_TEMPLATES["direction"]).format(np=_np(desc))
            answer = {"left": "left", "right": "right", "up": "up", "down": "down"}[event.direction]
        elif kind == "scene":
            scene = graph.scene_during(event.start, event.end)
            if scene is None:
                continue
            desc = Desc(actor.shape, colour=state.colour)
            question = Query(desc, act)
            text = rng.choice(_TEMPLATES["scene"]).format(np=_np(desc), vp=vp, vp_base=_base(vp))
            answer = scene
        else:  # after
            nxt = following[0]
            desc = Desc(actor.shape, colour=state.colour)
            question = Query(desc, act)
            text = rng.choice(_TEMPLATES["after"]).format(np=_np(desc), vp=vp)
            answer = verb_phrase(Act(nxt.kind, nxt.direction, nxt.colour), Style())
        if kind != "shape" and not _unique(graph, question):
            continue
        out.append((Question(text, answer, "answerable", form=kind), question))
    return out


def unanswerable_variant(
    graph: SceneGraph, question: Question, presupposition: Query, rng: random.Random
) -> Question | None:
    """Alter the question's object, relation or attribute so that nothing in the video fits."""
    if question.form in ("shape", "count"):  # the subject is the answer, or a group: not altered
        return None
    category = rng.choice(("object", "relation", "attribute"))
    subject = presupposition.subject
    if category == "object":
        present = {e.shape for e in graph.entities}
        absent = [s for s in SHAPES if s not in present]
        if not absent or subject.count > 1:
            return None
        new = rng.choice(absent)
        altered_query = replace(presupposition, subject=replace(subject, shape=new))
        text = _swap_word(question.text, subject.shape, new)
        refusal = f"The question cannot be answered: there is no {new} in the video."
        altered = new
    elif category == "attribute":
        if subject.colour is None or subject.count > 1:
            return None
        new = rng.choice([c for c in COLOURS if c != subject.colour])
        altered_query = replace(presupposition, subject=replace(subject, colour=new))
        text = _swap_word(question.text, subject.colour, new)
        refusal = (
            f"The question cannot be answered: there is no {new} {subject.shape} doing that "
            "in the video."
        )
        altered = new
    else:
        others = [e for e in graph.entities if e.shape != subject.shape]
        if not others or subject.count > 1:
            return None
        other = rng.choice(others)
        relation = rng.choice(("above", "below", "left of", "right of"))
        other_desc = Desc(other.shape, colour=other.colour)
        altered_query = replace(presupposition, relation=(relation, other_desc))
        phrase = f"{relation} the {noun_phrase(other_desc, det=None)}"
        noun = noun_phrase(subject, det=None)
        if f"the {noun}" not in question.text:
            return None
        text = question.text.replace(f"the {noun}", f"the {noun} {phrase}", 1)
        refusal = (
            f"The question cannot be answered: the {subject.shape} in question is not {phrase}."
        )
        altered = phrase
    if text == question.text or match(graph, altered_query):
        return None
    return Question(
        text, None, "unanswerable", category, altered, refusal, altered_query, question.form
    )


def scene_absent(graph: SceneGraph) -> list[str]:
    present = {s.scene for s in graph.segments}
    return [s for s in SCENES if s not in present]


def _unique(graph: SceneGraph, query: Query, *, any_shape: bool = False) -> bool:
    if any_shape:
        hits = sum(
            len(match(graph, replace(query, subject=replace(query.subject, shape=s))))
            for s in SHAPES
        )
        return hits == 1
    return len(match(graph, query)) == 1


def _np(desc: Desc) -> str:
    return noun_phrase(desc, det=None)


def _base(vp: str) -> str:
    first, _, rest = vp.partition(" ")
    if first.endswith("es") and first[:-2].endswith(("ss", "sh", "ch", "x")):
        first = first[:-2]
    elif first.endswith("s"):
        first = first[:-1]
    return f"{first} {rest}".strip()


def _number(n: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(n, str(n))


def _swap_word(text: str, old: str, new: str) -> str:
    import re

    return re.sub(rf"\b{re.escape(old)}\b", new, text, count=1)


SCENE_PHRASES = SCENE_WORDS
