"""Hard-irrelevant edits: change one element of a relevant query along one of the 11 categories.

Each edit rewrites one facet of the structured query and says, in words, what differs from the
video. `edit_query` applies 1, 2 or 3 edits along distinct categories (strong / moderate / weak)
and keeps the result only if the matcher finds no event for it; `changed_categories` reads back
which categories two queries differ in, so tests can check every label against the structure.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from benchmark.records import CATEGORIES
from benchmark.synth.query import (
    SCENE_WORDS,
    Act,
    AnyQuery,
    Desc,
    Query,
    SceneChange,
    match,
    noun_phrase,
)
from benchmark.synth.world import (
    COLOURS,
    OPPOSITE_ACTION,
    OPPOSITE_DIRECTION,
    PARTS,
    SCENES,
    SHAPES,
    SceneGraph,
)

DIFFICULTY_EDITS = {"strong": 1, "moderate": 2, "weak": 3}
_FLIP = {
    "above": "below",
    "below": "above",
    "left of": "right of",
    "right of": "left of",
    "larger": "smaller",
    "smaller": "larger",
}
_ACTION_WORDS = {
    "appear": "appears",
    "disappear": "disappears",
    "grow": "grows",
    "shrink": "shrinks",
}
_SCENE_NAMES = {
    "beach": "beach",
    "forest": "forest",
    "night": "night-time scene",
    "desert": "desert",
    "snow": "snow",
}


@dataclass(frozen=True)
class Edited:
    query: AnyQuery
    categories: tuple[str, ...]
    mismatches: tuple[str, ...]  # one sentence fragment per edit, saying what the video shows

    @property
    def refusal(self) -> str:
        return "The query does not match the video: " + "; ".join(self.mismatches) + "."


#: edit(current, original, graph, rng) -> (edited query, what the video shows instead) or None.
#: `current` may already carry other edits; the words describe the video, so they use `original`.
Edit = Callable[[AnyQuery, AnyQuery, SceneGraph, random.Random], tuple[AnyQuery, str] | None]


def _object_existence(q, orig, graph, rng):
    if not isinstance(q, Query):
        return None
    present = {e.shape for e in graph.entities}
    absent = [s for s in SHAPES if s not in present]
    if not absent:
        return None
    shape = rng.choice(absent)
    old = noun_phrase(replace(orig.subject, count=1))
    return replace(
        q, subject=replace(q.subject, shape=shape)
    ), f"there is no {shape} in the video, it is {old}"


def _object_moving(q, orig, graph, rng):
    if not isinstance(q, Query) or q.action.kind != "move":
        return None
    new = OPPOSITE_DIRECTION[q.action.direction]
    return (
        replace(q, action=replace(q.action, direction=new)),
        f"{noun_phrase(orig.subject)} moves {_dir(q.action.direction)}, not {_dir(new)}",
    )


def _spatial_relation(q, orig, graph, rng):
    if not isinstance(q, Query) or q.relation is None:
        return None
    relation, other = q.relation
    new = _FLIP[relation]
    return (
        replace(q, relation=(new, other)),
        f"{noun_phrase(orig.subject)} is {relation} {noun_phrase(other)}, not {new} it",
    )


def _part_relation(q, orig, graph, rng):
    if not isinstance(q, Query) or q.subject.part is None:
        return None
    new = rng.choice([p for p in PARTS if p != q.subject.part])
    return (
        replace(q, subject=replace(q.subject, part=new)),
        f"the {orig.subject.shape} has {_part(q.subject.part)}, not {_part(new)}",
    )


def _fine_grained_action(q, orig, graph, rng):
    if not isinstance(q, Query) or q.action.kind not in OPPOSITE_ACTION:
        return None
    new = OPPOSITE_ACTION[q.action.kind]
    return (
        replace(q, action=Act(new)),
        f"{noun_phrase(orig.subject)} {_ACTION_WORDS[q.action.kind]}, it does not {new}",
    )


def _action_sequence(q, orig, graph, rng):
    if not isinstance(q, Query) or q.then is None or q.then == q.action:
        return None
    return (
        replace(q, action=q.then, then=q.action),
        f"{noun_phrase(orig.subject)} first {_act(q.action)} and then {_act(q.then)}, "
        "not the other way round",
    )


def _attribute_value(q, orig, graph, rng):
    if not isinstance(q, Query):
        return None
    if q.subject.colour is not None:
        new = rng.choice([c for c in COLOURS if c != q.subject.colour])
        return (
            replace(q, subject=replace(q.subject, colour=new)),
            f"the {orig.subject.shape}{'s are' if q.subject.count > 1 else ' is'} "
            f"{q.subject.colour}, not {new}",
        )
    if q.subject.size is not None:
        new = "large" if q.subject.size == "small" else "small"
        return replace(
            q, subject=replace(q.subject, size=new)
        ), f"the {orig.subject.shape} is {q.subject.size}, not {new}"
    return None


def _counting(q, orig, graph, rng):
    if not isinstance(q, Query) or q.subject.count < 2:
        return None
    new = 3 if q.subject.count == 2 else 2  # groups have 2 or 3 members: no tell-tale "four"
    return (
        replace(q, subject=replace(q.subject, count=new)),
        f"{_n(q.subject.count)} {orig.subject.shape}s appear together, not {_n(new)}",
    )


def _comparison(q, orig, graph, rng):
    if not isinstance(q, Query) or q.comparison is None:
        return None
    comparison, other = q.comparison
    new = _FLIP[comparison]
    return (
        replace(q, comparison=(new, other)),
        f"{noun_phrase(orig.subject)} is {comparison} than {noun_phrase(other)}, not {new}",
    )


def _scene_existence(q, orig, graph, rng):
    if not isinstance(q, Query) or q.scene is None:
        return None
    present = {s.scene for s in graph.segments}
    new = rng.choice([s for s in SCENES if s not in present])
    return replace(
        q, scene=new
    ), f"this happens {SCENE_WORDS[q.scene]}, and there is no {_SCENE_NAMES[new]} in the video"


def _scene_transition(q, orig, graph, rng):
    if not isinstance(q, SceneChange):
        return None
    return (
        SceneChange(q.to_scene, q.from_scene),
        f"the scene changes from {_SCENE_NAMES[q.from_scene]} to {_SCENE_NAMES[q.to_scene]}, "
        "not the other way round",
    )


EDITS: dict[str, Edit] = {
    "Object/ObjectExistence": _object_existence,
    "Object/ObjectMoving": _object_moving,
    "Object/ObjectSpatialRelation": _spatial_relation,
    "Object/ObjectPartRelation": _part_relation,
    "Action/FineGrainedAction": _fine_grained_action,
    "Action/ActionSequence": _action_sequence,
    "Attribute/AttributeValue": _attribute_value,
    "Attribute/Counting": _counting,
    "Attribute/Comparison": _comparison,
    "Scene/SceneExistence": _scene_existence,
    "Scene/SceneTransition": _scene_transition,
}
assert tuple(sorted(EDITS)) == tuple(sorted(CATEGORIES))

#: Edits that rewrite the action cannot be combined with swapping the action order.
_EXCLUSIVE = {"Action/ActionSequence": {"Object/ObjectMoving", "Action/FineGrainedAction"}}


def applicable(query: AnyQuery, graph: SceneGraph) -> list[str]:
    """Categories along which this query can be edited."""
    rng = random.Random(0)
    return [c for c, edit in EDITS.items() if edit(query, query, graph, rng) is not None]


def edit_query(
    query: AnyQuery,
    graph: SceneGraph,
    n_edits: int,
    rng: random.Random,
    usage: Counter | None = None,
    tries: int = 12,
) -> Edited | None:
    """`n_edits` edits along distinct categories (least used first) after which the matcher finds
    no event; None when the query cannot be edited so."""
    usage = usage if usage is not None else Counter()
    for _ in range(tries):
        categories = _choose(applicable(query, graph), n_edits, rng, usage)
        if categories is None:
            return None
        edited, mismatches = query, []
        for category in categories:
            step = EDITS[category](edited, query, graph, rng)
            if step is None:
                break
            edited, mismatch = step
            mismatches.append(mismatch)
        else:
            if not match(graph, edited) and changed_categories(query, edited) == set(categories):
                usage.update(categories)
                return Edited(edited, tuple(categories), tuple(mismatches))
    return None


def changed_categories(original: AnyQuery, edited: AnyQuery) -> set[str]:
    """The categories along which two queries differ, read off their structure."""
    if isinstance(original, SceneChange) or isinstance(edited, SceneChange):
        if original == edited:
            return set()
        swapped = (
            isinstance(original, SceneChange)
            and isinstance(edited, SceneChange)
            and ((edited.from_scene, edited.to_scene) == (original.to_scene, original.from_scene))
        )
        return {"Scene/SceneTransition"} if swapped else {"?"}
    out = set()
    a, b = original.subject, edited.subject
    if a.shape != b.shape:
        out.add("Object/ObjectExistence")
    if (a.colour, a.size) != (b.colour, b.size):
        out.add("Attribute/AttributeValue")
    if a.part != b.part:
        out.add("Object/ObjectPartRelation")
    if a.count != b.count:
        out.add("Attribute/Counting")
    swapped = original.then is not None and (edited.action, edited.then) == (
        original.then,
        original.action,
    )
    if swapped and original.then != original.action:
        out.add("Action/ActionSequence")
    else:
        if original.action.direction != edited.action.direction:
            out.add("Object/ObjectMoving")
        if (original.action.kind, original.action.colour) != (
            edited.action.kind,
            edited.action.colour,
        ):
            out.add("Action/FineGrainedAction")
        if original.then != edited.then:
            out.add("?")  # no edit changes `then` except by swapping
    if original.relation != edited.relation:
        out.add("Object/ObjectSpatialRelation")
    if original.comparison != edited.comparison:
        out.add("Attribute/Comparison")
    if original.scene != edited.scene:
        out.add("Scene/SceneExistence")
    return out


def _choose(options: list[str], n: int, rng: random.Random, usage: Counter) -> list[str] | None:
    chosen: list[str] = []
    pool = list(options)
    rng.shuffle(pool)
    pool.sort(key=lambda c: usage[c])  # stable: least used first, random among equals
    for category in pool:
        if len(chosen) == n:
            break
        if any(
            category in _EXCLUSIVE.get(c, ()) or c in _EXCLUSIVE.get(category, ()) for c in chosen
        ):
            continue
        chosen.append(category)
    return chosen if len(chosen) == n else None


def _dir(direction: str) -> str:
    return {"left": "to the left", "right": "to the right", "up": "upward", "down": "downward"}[
        direction
    ]


def _part(part: str) -> str:
    return {"wheels": "wheels", "eyes": "eyes", "hat": "a hat"}[part]


def _n(count: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(count, str(count))


def _act(act: Act) -> str:
    if act.kind == "move":
        return f"moves {_dir(act.direction)}"
    if act.kind == "turn":
        return f"turns {act.colour}"
    return _ACTION_WORDS[act.kind]


__all__ = [
    "DIFFICULTY_EDITS",
    "EDITS",
    "Desc",
    "Edited",
    "applicable",
    "changed_categories",
    "edit_query",
]
