"""A contact sheet of a synthetic video: sampled frames above its event timeline, as a PNG.

So that a person can see what a label refers to: each frame is stamped with its time, and the
timeline below shows the scene segments and every event as a bar over its span.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmark.synth.render import BACKGROUNDS, render_frames
from benchmark.synth.world import COLOURS, SceneGraph

_SCALE = 2
_ROW = 16


def contact_sheet(graph: SceneGraph, path: Path, *, frames: int = 8, columns: int = 4) -> Path:
    """Write the contact sheet of `graph` to `path` (PNG) and return the path."""
    from PIL import Image, ImageDraw

    all_frames = list(render_frames(graph))
    picks = np.linspace(0, len(all_frames) - 1, frames).round().astype(int)
    tile_w, tile_h = graph.width * _SCALE, graph.height * _SCALE
    rows = -(-frames // columns)
    actors = [e.id for e in graph.entities]
    timeline_h = _ROW * (len(actors) + 3)
    sheet = Image.new("RGB", (tile_w * columns, tile_h * rows + timeline_h), (250, 250, 250))
    draw = ImageDraw.Draw(sheet)
    for n, index in enumerate(picks):
        t, frame = all_frames[index]
        tile = Image.fromarray(frame).resize((tile_w, tile_h), Image.NEAREST)
        x, y = (n % columns) * tile_w, (n // columns) * tile_h
        sheet.paste(tile, (x, y))
        draw.rectangle([x, y, x + 44, y + 13], fill=(0, 0, 0))
        draw.text((x + 3, y + 1), f"{t:5.2f}s", fill=(255, 255, 255))

    top = tile_h * rows
    width = sheet.width - 90

    def at(t: float) -> int:
        return 85 + round(t / graph.duration * width)

    draw.text((4, top + 2), "scene", fill=(0, 0, 0))
    for segment in graph.segments:
        band = BACKGROUNDS[segment.scene][0]
        draw.rectangle([at(segment.start), top + 2, at(segment.end), top + _ROW - 2], fill=band)
        draw.text((at(segment.start) + 3, top + 3), segment.scene, fill=_ink(band))
    for row, actor in enumerate(actors, start=1):
        entity = graph.entity(actor)
        y = top + row * _ROW
        label = f"{entity.colour} {entity.shape}" + (f"+{entity.part}" if entity.part else "")
        draw.text((4, y + 2), label[:14], fill=(0, 0, 0))
        for event in graph.events_of(actor):
            words = (
                event.kind
                + (f" {event.direction}" if event.direction else "")
                + (f" {event.colour}" if event.colour else "")
            )
            fill = COLOURS.get(event.colour or entity.colour, (120, 120, 120))
            draw.rectangle(
                [at(event.start), y + 2, at(event.end), y + _ROW - 2], fill=fill, outline=(0, 0, 0)
            )
            draw.text((at(event.start) + 2, y + 3), words, fill=_ink(fill))
    axis = top + (len(actors) + 1) * _ROW + 2
    for second in range(int(graph.duration) + 1):
        draw.line([at(second), axis, at(second), axis + 4], fill=(0, 0, 0))
        draw.text((at(second) - 3, axis + 5), str(second), fill=(0, 0, 0))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
    return path


def _ink(background: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads on the background."""
    r, g, b = background
    return (0, 0, 0) if 0.299 * r + 0.587 * g + 0.114 * b > 110 else (255, 255, 255)
