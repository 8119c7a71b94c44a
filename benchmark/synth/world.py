"""The scene model of the synthetic split: entities, scene segments and a timeline of events.

A video is fully described by this model, so every label read off it is exact. The state of an
entity at any time (present or not, where, what colour, how big) is a pure function of the model;
the renderer draws that state and the matcher reasons over it, so what is drawn is what is labelled.

Coordinates are pixels of a `width` × `height` frame, y pointing down; times are seconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SHAPES = ("circle", "square", "triangle", "diamond", "cross")
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 40, 40),
    "green": (40, 180, 60),
    "blue": (40, 80, 230),
    "yellow": (240, 210, 30),
    "purple": (150, 60, 190),
    "white": (245, 245, 245),
}
SIZES: dict[str, float] = {"small": 9.0, "large": 17.0}  # radius in pixels
PARTS = ("wheels", "eyes", "hat")
DIRECTIONS: dict[str, tuple[float, float]] = {
    "left": (-1.0, 0.0),
    "right": (1.0, 0.0),
    "up": (0.0, -1.0),
    "down": (0.0, 1.0),
}
SCENES = ("beach", "forest", "night", "desert", "snow")
#: Event kinds: what one entity (or a group, for `appear`) does over a span of time.
ACTIONS = ("appear", "disappear", "move", "grow", "shrink", "turn")
OPPOSITE_ACTION = {"appear": "disappear", "disappear": "appear", "grow": "shrink", "shrink": "grow"}
OPPOSITE_DIRECTION = {"left": "right", "right": "left", "up": "down", "down": "up"}


@dataclass(frozen=True)
class Entity:
    """A drawn object. `size` is its size class at the start; `part` an optional part."""

    id: str
    shape: str
    colour: str
    size: str
    part: str | None
    x: float
    y: float


@dataclass(frozen=True)
class Event:
    """Something entities do over [start, end]. `actors` are entity ids (several only for a group
    appearing together); `direction` for move, `colour` for turn (the new colour)."""

    id: str
    kind: str
    actors: tuple[str, ...]
    start: float
    end: float
    direction: str | None = None
    colour: str | None = None

    @property
    def span(self) -> tuple[float, float]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Segment:
    """A stretch of the video with one background scene; segments meet at cuts."""

    scene: str
    start: float
    end: float


@dataclass(frozen=True)
class SceneGraph:
    """One synthetic video: its entities, background segments and event timeline."""

    video_id: str
    duration: float
    fps: int
    width: int
    height: int
    entities: tuple[Entity, ...]
    segments: tuple[Segment, ...]
    events: tuple[Event, ...]
    move_distance: float = 40.0  # pixels covered by one move event
    meta: dict[str, Any] = field(default_factory=dict)

    # --- state at a time ------------------------------------------------------------------------

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.entities if e.id == entity_id)

    def events_of(self, entity_id: str) -> list[Event]:
        return sorted((e for e in self.events if entity_id in e.actors), key=lambda e: e.start)

    def scene_at(self, t: float) -> str:
        for segment in self.segments:
            if segment.start <= t < segment.end:
                return segment.scene
        return self.segments[-1].scene

    def scene_during(self, start: float, end: float) -> str | None:
        """The scene if [start, end] lies within one segment, else None (it spans a cut)."""
        for segment in self.segments:
            if segment.start <= start and end <= segment.end:
                return segment.scene
        return None

    def state(self, entity_id: str, t: float) -> EntityState:
        """Where an entity is, what it looks like, and how visible it is at time t."""
        entity = self.entity(entity_id)
        x, y = entity.x, entity.y
        colour = COLOURS[entity.colour]
        colour_name = entity.colour
        radius = SIZES[entity.size]
        size_name = entity.size
        events = self.events_of(entity_id)
        first_appear = next((e for e in events if e.kind == "appear"), None)
        visible = 0.0 if first_appear is not None else 1.0
        for event in events:
            if t < event.start:
                break
            f = 1.0 if t >= event.end else (t - event.start) / (event.end - event.start)
            if event.kind == "appear":
                visible = f
            elif event.kind == "disappear":
                visible = 1.0 - f
            elif event.kind == "move":
                dx, dy = DIRECTIONS[event.direction]
                x, y = x + dx * self.move_distance * f, y + dy * self.move_distance * f
            elif event.kind in ("grow", "shrink"):
                target = "large" if event.kind == "grow" else "small"
                radius = radius + (SIZES[target] - radius) * f
                if f >= 1.0:
                    size_name = target
            elif event.kind == "turn":
                new = COLOURS[event.colour]
                colour = tuple(round(a + (b - a) * f) for a, b in zip(colour, new, strict=True))
                if f >= 1.0:
                    colour_name = event.colour
        return EntityState(
            x=x, y=y, radius=radius, rgb=colour, colour=colour_name, size=size_name, visible=visible
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SceneGraph:
        return cls(
            video_id=data["video_id"],
            duration=data["duration"],
            fps=data["fps"],
            width=data["width"],
            height=data["height"],
            entities=tuple(Entity(**e) for e in data["entities"]),
            segments=tuple(Segment(**s) for s in data["segments"]),
            events=tuple(Event(**{**e, "actors": tuple(e["actors"])}) for e in data["events"]),
            move_distance=data.get("move_distance", 40.0),
            meta=data.get("meta", {}),
        )


@dataclass(frozen=True)
class EntityState:
    x: float
    y: float
    radius: float
    rgb: tuple[int, int, int]
    colour: str  # the named colour (the old one until a turn completes)
    size: str  # the size class (the old one until a grow/shrink completes)
    visible: float  # 0 absent .. 1 fully present (scales the drawn size during appear/disappear)
