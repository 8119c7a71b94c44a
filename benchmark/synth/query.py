"""The query language of the synthetic split, its matcher, and its wording.

Every grounding query and question is generated from a structured form (`Query`, or
`SceneChange` for a cut between scenes) and `match` evaluates that form against the scene graph:
a relevant query's gold span is the one span `match` returns; a query is irrelevant only if
`match` returns none. The text shown to models is a wording of the form (`realize`), with phrase
variants chosen by a seeded `Style` so that wording alone gives nothing away.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from benchmark.synth.world import SceneGraph

Span = tuple[float, float]

RELATION_MARGIN = 12.0  # pixels between centres for "above", "left of", ...
SIZE_MARGIN = 3.0  # pixels of radius for "larger" / "smaller"
SCENE_CHANGE_HALF_WIDTH = 1.0  # a cut is grounded as [cut - 1 s, cut + 1 s]


@dataclass(frozen=True)
class Desc:
    """Which entity: its shape and, when given, colour, size class and part; `count` > 1 names a
    group of identical entities acting together."""

    shape: str
    colour: str | None = None
    size: str | None = None
    part: str | None = None
    count: int = 1


@dataclass(frozen=True)
class Act:
    """What it does: an event kind with its direction (move) or new colour (turn)."""

    kind: str
    direction: str | None = None
    colour: str | None = None


@dataclass(frozen=True)
class Query:
    """`subject` does `action` (then `then`), optionally `relation` to / `comparison` with another
    entity at the action's midpoint, optionally in `scene`."""

    subject: Desc
    action: Act
    then: Act | None = None
    relation: tuple[str, Desc] | None = None  # ("above" | "below" | "left of" | "right of", other)
    comparison: tuple[str, Desc] | None = None  # ("larger" | "smaller", other)
    scene: str | None = None


@dataclass(frozen=True)
class SceneChange:
    """The background cuts from one scene to another."""

    from_scene: str
    to_scene: str


AnyQuery = Query | SceneChange

# --- matching -----------------------------------------------------------------------------------


def match(graph: SceneGraph, query: AnyQuery) -> list[Span]:
    """Every span of the video where the query holds, in time order."""
    if isinstance(query, SceneChange):
        return _match_scene_change(graph, query)
    spans = set()
    for event in graph.events:
        if not _act_matches(event, query.action) or len(event.actors) != query.subject.count:
            continue
        if not all(desc_matches(graph, a, query.subject, event.start) for a in event.actors):
            continue
        end = event.end
        if query.then is not None:
            following = _next_event(graph, event)
            if following is None or not _act_matches(following, query.then):
                continue
            end = following.end
        mid = (event.start + event.end) / 2
        if query.relation and not _relation_holds(graph, event.actors, *query.relation, mid):
            continue
        if query.comparison and not _comparison_holds(graph, event.actors, *query.comparison, mid):
            continue
        if query.scene is not None and graph.scene_during(event.start, end) != query.scene:
            continue
        spans.add((event.start, end))
    return sorted(spans)


def desc_matches(graph: SceneGraph, entity_id: str, desc: Desc, t: float) -> bool:
    """Whether the entity fits the description at time t (colour and size as they are then)."""
    entity = graph.entity(entity_id)
    state = graph.state(entity_id, t)
    return (
        entity.shape == desc.shape
        and (desc.colour is None or state.colour == desc.colour)
        and (desc.size is None or state.size == desc.size)
        and (desc.part is None or entity.part == desc.part)
    )


def relation_between(graph: SceneGraph, a: str, b: str, t: float) -> list[str]:
    """The spatial relations that hold from entity a to entity b at time t."""
    sa, sb = graph.state(a, t), graph.state(b, t)
    out = []
    if sa.y < sb.y - RELATION_MARGIN:
        out.append("above")
    if sa.y > sb.y + RELATION_MARGIN:
        out.append("below")
    if sa.x < sb.x - RELATION_MARGIN:
        out.append("left of")
    if sa.x > sb.x + RELATION_MARGIN:
        out.append("right of")
    return out


def visible(graph: SceneGraph, entity_id: str, t: float) -> bool:
    return graph.state(entity_id, t).visible >= 0.5


def _act_matches(event, act: Act) -> bool:
    return (
        event.kind == act.kind
        and (act.direction is None or event.direction == act.direction)
        and (act.colour is None or event.colour == act.colour)
    )


def _next_event(graph: SceneGraph, event):
    if len(event.actors) != 1:
        return None
    later = [e for e in graph.events_of(event.actors[0]) if e.start >= event.end]
    return later[0] if later else None


def _others(graph: SceneGraph, actors, desc: Desc, t: float) -> list[str]:
    return [
        e.id
        for e in graph.entities
        if e.id not in actors and visible(graph, e.id, t) and desc_matches(graph, e.id, desc, t)
    ]


def _relation_holds(graph, actors, relation: str, other: Desc, t: float) -> bool:
    return len(actors) == 1 and any(
        relation in relation_between(graph, actors[0], o, t)
        for o in _others(graph, actors, other, t)
    )


def _comparison_holds(graph, actors, comparison: str, other: Desc, t: float) -> bool:
    if len(actors) != 1:
        return False
    mine = graph.state(actors[0], t).radius
    for o in _others(graph, actors, other, t):
        theirs = graph.state(o, t).radius
        if comparison == "larger" and mine > theirs + SIZE_MARGIN:
            return True
        if comparison == "smaller" and mine < theirs - SIZE_MARGIN:
            return True
    return False


def _match_scene_change(graph: SceneGraph, query: SceneChange) -> list[Span]:
    spans = []
    for before, after in zip(graph.segments, graph.segments[1:], strict=False):
        if (before.scene, after.scene) == (query.from_scene, query.to_scene):
            cut = before.end
            w = SCENE_CHANGE_HALF_WIDTH
            spans.append((round(max(cut - w, 0.0), 2), round(min(cut + w, graph.duration), 2)))
    return spans


# --- wording -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """Seeded phrase choices: one per slot, shared by a query and its edited twins so they differ
    only where the edit is."""

    picks: dict[str, int] = field(default_factory=dict)

    @classmethod
    def draw(cls, rng: random.Random) -> Style:
        return cls({slot: rng.randrange(len(options)) for slot, options in _SLOTS.items()})

    def pick(self, slot: str) -> str:
        options = _SLOTS[slot]
        return options[self.picks.get(slot, 0) % len(options)]


_SLOTS: dict[str, tuple[str, ...]] = {
    "det": ("a", "the"),
    "appear": ("appears", "comes into view", "pops up", "shows up"),
    "disappear": ("disappears", "vanishes", "fades away", "goes out of view"),
    "move": ("moves {d}", "slides {d}", "travels {d}", "glides {d}"),
    "grow": ("grows", "gets bigger", "expands", "becomes larger"),
    "shrink": ("shrinks", "gets smaller", "contracts", "becomes smaller"),
    "turn": ("turns {c}", "changes colour to {c}", "becomes {c}", "switches to {c}"),
    "then": ("and then {b}", "and afterwards {b}", "before it {b}", "and next {b}"),
    "relation": ("while {r} the {o}", "{r} the {o}", "while it is {r} the {o}"),
    "comparison": ("while it is {c} than the {o}", "being {c} than the {o}"),
    "scene": ("{s}", "somewhere {s}", "in a scene set {s}"),
    "change": (
        "the scene changes from {a} to {b}",
        "the background cuts from {a} to {b}",
        "the setting switches from {a} to {b}",
    ),
    "group_det": ("{n}", "a group of {n}"),
}
_DIRECTION_WORDS = {
    "left": "to the left",
    "right": "to the right",
    "up": "upward",
    "down": "downward",
}
_PART_WORDS = {"wheels": "with wheels", "eyes": "with eyes", "hat": "wearing a hat"}
SCENE_WORDS = {
    "beach": "on the beach",
    "forest": "in the forest",
    "night": "at night",
    "desert": "in the desert",
    "snow": "in the snow",
}
_SCENE_NOUNS = {
    "beach": "the beach",
    "forest": "the forest",
    "night": "night",
    "desert": "the desert",
    "snow": "snow",
}
_NUMBERS = {2: "two", 3: "three", 4: "four"}


def noun_phrase(desc: Desc, *, det: str | None = "the") -> str:
    """'the small red circle with wheels' / 'two blue squares' (no article with det=None)."""
    words = [w for w in (desc.size, desc.colour) if w]
    noun = desc.shape + ("s" if desc.count > 1 else "")
    phrase = " ".join([*words, noun])
    if desc.part:
        phrase += " " + _PART_WORDS[desc.part]
    if desc.count > 1:
        return f"{_NUMBERS.get(desc.count, str(desc.count))} {phrase}"
    return f"{det} {phrase}" if det else phrase


def verb_phrase(act: Act, style: Style, *, plural: bool = False) -> str:
    text = style.pick(act.kind).format(
        d=_DIRECTION_WORDS.get(act.direction or "", ""), c=act.colour or ""
    )
    return _pluralize(text) if plural else text


def realize(query: AnyQuery, style: Style) -> str:
    """The wording of a query, as a sentence."""
    if isinstance(query, SceneChange):
        text = style.pick("change").format(
            a=_SCENE_NOUNS[query.from_scene], b=_SCENE_NOUNS[query.to_scene]
        )
        return text[0].upper() + text[1:] + "."
    plural = query.subject.count > 1
    if plural:
        subject = style.pick("group_det").format(n=noun_phrase(query.subject))
    else:
        subject = noun_phrase(query.subject, det=style.pick("det"))
    parts = [subject, verb_phrase(query.action, style, plural=plural)]
    if query.relation:
        relation, other = query.relation
        parts.append(style.pick("relation").format(r=relation, o=noun_phrase(other, det=None)))
    if query.comparison:
        comparison, other = query.comparison
        parts.append(style.pick("comparison").format(c=comparison, o=noun_phrase(other, det=None)))
    if query.scene:
        parts.append(style.pick("scene").format(s=SCENE_WORDS[query.scene]))
    if query.then:
        parts.append(style.pick("then").format(b=verb_phrase(query.then, style)))
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def _pluralize(verb_phrase_text: str) -> str:
    first, _, rest = verb_phrase_text.partition(" ")
    irregular = {"goes": "go", "does": "do", "is": "are", "has": "have"}
    if first in irregular:
        first = irregular[first]
    elif first.endswith("es") and first[:-2].endswith(("ss", "sh", "ch", "x")):
        first = first[:-2]
    elif first.endswith("s"):
        first = first[:-1]
    return f"{first} {rest}".strip()


def with_changes(query: Query, **changes) -> Query:
    return replace(query, **changes)
