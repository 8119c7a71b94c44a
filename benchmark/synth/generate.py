"""Random scene graphs for the synthetic split, seeded.

Each video has one or two background segments (a cut between them), two or three single entities
with distinct shape-colour pairs, and sometimes a group of identical entities that appear
together (for counting). Every entity does one to three things in turn; events never straddle a
cut, so "where" an event happens is always one scene. Positions are chosen so every move stays
inside the frame.
"""

from __future__ import annotations

import random

from benchmark.synth.world import (
    COLOURS,
    DIRECTIONS,
    PARTS,
    SCENES,
    SHAPES,
    SIZES,
    Entity,
    Event,
    SceneGraph,
    Segment,
)

DURATION = 10.0
FPS = 8
WIDTH, HEIGHT = 160, 120
MOVE = 30.0
_MARGIN = SIZES["large"] + 6


def generate_scene_graph(video_id: str, rng: random.Random) -> SceneGraph:
    segments = _segments(rng)
    cut = segments[0].end if len(segments) > 1 else None
    cells = _cells(rng)
    entities: list[Entity] = []
    events: list[Event] = []
    used_pairs: set[tuple[str, str]] = set()

    for i in range(rng.choice((2, 3, 3))):
        shape, colour = _fresh_pair(rng, used_pairs)
        entity = Entity(
            id=f"e{i}",
            shape=shape,
            colour=colour,
            size=rng.choice(tuple(SIZES)),
            part=rng.choice((None, None, *PARTS)),
            x=0.0,
            y=0.0,
        )
        plan = _plan_events(entity, rng, cut)
        cell = min(cells, key=lambda c: _clipping(c, plan))  # the cell its moves fit best
        cells.remove(cell)
        x, y = _place(cell, plan, rng)
        entity = Entity(**{**entity.__dict__, "x": x, "y": y})
        entities.append(entity)
        events.extend(
            Event(id=f"{entity.id}.{k}", actors=(entity.id,), **spec) for k, spec in enumerate(plan)
        )

    if cells and rng.random() < 0.6:  # a group of identical entities appearing together
        shape, colour = _fresh_pair(rng, used_pairs)
        size = rng.choice(tuple(SIZES))
        count = min(rng.choice((2, 3)), len(cells))
        if count >= 2:
            start = round(rng.uniform(0.5, DURATION - 3.0), 2)
            start, end = _avoid_cut(start, round(rng.uniform(1.0, 1.6), 2), cut)
            ids = []
            for j in range(count):
                x, y = _place(cells.pop(), [], rng)
                ids.append(f"g{j}")
                entities.append(
                    Entity(id=f"g{j}", shape=shape, colour=colour, size=size, part=None, x=x, y=y)
                )
            events.append(
                Event(id="g.appear", kind="appear", actors=tuple(ids), start=start, end=end)
            )

    events.sort(key=lambda e: (e.start, e.id))
    return SceneGraph(
        video_id=video_id,
        duration=DURATION,
        fps=FPS,
        width=WIDTH,
        height=HEIGHT,
        entities=tuple(entities),
        segments=tuple(segments),
        events=tuple(events),
        move_distance=MOVE,
    )


def _segments(rng: random.Random) -> list[Segment]:
    first, second = rng.sample(SCENES, 2)
    if rng.random() < 0.35:
        return [Segment(first, 0.0, DURATION)]
    cut = round(rng.uniform(4.0, 6.0), 2)
    return [Segment(first, 0.0, cut), Segment(second, cut, DURATION)]


def _fresh_pair(rng: random.Random, used: set[tuple[str, str]]) -> tuple[str, str]:
    while True:
        pair = (rng.choice(SHAPES), rng.choice(tuple(COLOURS)))
        if pair not in used:
            used.add(pair)
            return pair


def _cells(rng: random.Random) -> list[tuple[float, float]]:
    """Centres of a 3 × 2 grid, shuffled: one per entity, so entities start apart."""
    xs = (WIDTH * 1 / 6, WIDTH * 3 / 6, WIDTH * 5 / 6)
    ys = (HEIGHT * 1 / 4, HEIGHT * 3 / 4)
    cells = [(x, y) for x in xs for y in ys]
    rng.shuffle(cells)
    return cells


def _travel(plan: list[dict]) -> tuple[float, float]:
    dx = sum(DIRECTIONS[e["direction"]][0] for e in plan if e["kind"] == "move") * MOVE
    dy = sum(DIRECTIONS[e["direction"]][1] for e in plan if e["kind"] == "move") * MOVE
    return dx, dy


def _clipping(cell: tuple[float, float], plan: list[dict]) -> float:
    """How far a start at the cell centre must shift for the planned moves to stay in frame."""
    return sum(abs(a - b) for a, b in zip(_place(cell, plan, None), cell, strict=True))


def _place(cell: tuple[float, float], plan: list[dict], rng: random.Random) -> tuple[float, float]:
    """A start point near the cell centre from which every planned move stays in the frame
    (`rng` None: the centre itself)."""
    dx, dy = _travel(plan)
    jx, jy = (rng.uniform(-6, 6), rng.uniform(-4, 4)) if rng is not None else (0.0, 0.0)
    x = min(max(cell[0] + jx, _MARGIN - min(dx, 0)), WIDTH - _MARGIN - max(dx, 0))
    y = min(max(cell[1] + jy, _MARGIN - min(dy, 0)), HEIGHT - _MARGIN - max(dy, 0))
    return round(x, 1), round(y, 1)


def _plan_events(entity: Entity, rng: random.Random, cut: float | None) -> list[dict]:
    """One to three events in turn, each 1.2-2.0 s, not straddling the cut."""
    plan: list[dict] = []
    size, colour = entity.size, entity.colour
    t = round(rng.uniform(0.2, 1.5), 2)
    starts_hidden = rng.random() < 0.35
    n_events = rng.choice((1, 2, 2, 3))
    for k in range(n_events):
        start, end = _avoid_cut(t, round(rng.uniform(1.2, 2.0), 2), cut)
        if end > DURATION - 0.2:
            break
        if k == 0 and starts_hidden:
            kind = "appear"
        elif k == n_events - 1 and rng.random() < 0.25:
            kind = "disappear"
        else:
            kind = rng.choice(("move", "move", "turn", "grow" if size == "small" else "shrink"))
        spec: dict = {"kind": kind, "start": start, "end": end}
        if kind == "move":
            previous = {e["direction"] for e in plan if e["kind"] == "move"}
            spec["direction"] = rng.choice([d for d in DIRECTIONS if d not in previous])
        elif kind == "turn":
            colour = rng.choice([c for c in COLOURS if c != colour])
            spec["colour"] = colour
        elif kind in ("grow", "shrink"):
            size = "large" if kind == "grow" else "small"
        plan.append(spec)
        if kind == "disappear":
            break
        t = round(end + rng.uniform(0.3, 1.2), 2)
    return plan


def _avoid_cut(start: float, length: float, cut: float | None) -> tuple[float, float]:
    if cut is not None and start < cut + 0.2 and start + length > cut - 0.2:
        start = round(cut + 0.25, 2)
    return start, round(start + length, 2)
