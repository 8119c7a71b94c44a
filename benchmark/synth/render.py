"""Drawing a scene graph frame by frame and encoding it as H.264 MP4 with PyAV.

Frames are numpy arrays drawn from `SceneGraph.state`, so the pixels agree with the labels by
construction. Rendering is deterministic: no randomness here, and the encoder runs single-threaded
with fixed settings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmark.synth.world import SceneGraph

#: Background of each scene: (top colour, bottom colour, horizon as a fraction of the height).
BACKGROUNDS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], float]] = {
    "beach": ((135, 200, 240), (225, 200, 140), 0.45),
    "forest": ((70, 110, 60), (40, 80, 35), 0.55),
    "night": ((15, 20, 60), (30, 30, 45), 0.7),
    "desert": ((240, 180, 110), (200, 140, 80), 0.4),
    "snow": ((200, 210, 225), (235, 238, 242), 0.5),
}
_OUTLINE = (20, 20, 20)


def render_frames(graph: SceneGraph):
    """Yield (time, frame) for every frame of the video; frames are H × W × 3 uint8."""
    yy, xx = np.mgrid[0 : graph.height, 0 : graph.width].astype(np.float32)
    n_frames = round(graph.duration * graph.fps)
    for i in range(n_frames):
        t = i / graph.fps
        frame = _background(graph.scene_at(t), graph.height, graph.width)
        for entity in graph.entities:
            state = graph.state(entity.id, t)
            radius = state.radius * state.visible
            if radius < 1.0:
                continue
            _draw_entity(
                frame, xx, yy, entity.shape, entity.part, state.x, state.y, radius, state.rgb
            )
        yield t, frame


def encode_video(graph: SceneGraph, path: Path) -> None:
    """Write the video as H.264 MP4 (yuv420p, constant frame rate)."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part.mp4")
    with av.open(str(tmp), "w") as container:
        stream = container.add_stream("libx264", rate=graph.fps)
        stream.width, stream.height, stream.pix_fmt = graph.width, graph.height, "yuv420p"
        stream.options = {"crf": "18", "preset": "veryfast", "threads": "1", "g": str(graph.fps)}
        stream.codec_context.thread_count = 1
        container.metadata["comment"] = f"refusal-bench synthetic video {graph.video_id}"
        for _, frame in render_frames(graph):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    tmp.replace(path)


def _background(scene: str, height: int, width: int) -> np.ndarray:
    top, bottom, horizon = BACKGROUNDS[scene]
    frame = np.empty((height, width, 3), np.uint8)
    split = int(height * horizon)
    frame[:split] = top
    frame[split:] = bottom
    if scene == "night":  # a few fixed stars
        for sx, sy in ((17, 9), (53, 21), (101, 7), (139, 27), (77, 35), (121, 15)):
            if sy < split and sx < width:
                frame[sy, sx] = (250, 250, 210)
    if scene == "forest":  # tree trunks on the horizon
        for tx in range(8, width, 37):
            frame[max(split - 14, 0) : split, tx : tx + 3] = (60, 40, 25)
    return frame


def _draw_entity(frame, xx, yy, shape, part, x, y, r, rgb) -> None:
    dx, dy = xx - x, yy - y
    outline = _shape_mask(shape, dx, dy, r + 1.5)
    frame[outline] = _OUTLINE
    frame[_shape_mask(shape, dx, dy, r)] = rgb
    if part == "wheels":
        for wx in (-0.55 * r, 0.55 * r):
            wheel = (xx - (x + wx)) ** 2 + (yy - (y + r)) ** 2 <= (0.32 * r) ** 2
            frame[wheel] = (30, 30, 30)
    elif part == "eyes":
        for ex in (-0.35 * r, 0.35 * r):
            eye = (xx - (x + ex)) ** 2 + (yy - (y - 0.25 * r)) ** 2
            frame[eye <= (0.22 * r) ** 2] = (255, 255, 255)
            frame[eye <= (0.1 * r) ** 2] = (0, 0, 0)
    elif part == "hat":
        brim = (np.abs(dx) <= 0.8 * r) & (dy >= -1.15 * r) & (dy <= -0.95 * r)
        crown = (np.abs(dx) <= 0.45 * r) & (dy >= -1.7 * r) & (dy <= -1.0 * r)
        frame[brim | crown] = (25, 25, 25)


def _shape_mask(shape: str, dx, dy, r):
    if shape == "circle":
        return dx * dx + dy * dy <= r * r
    if shape == "square":
        s = r * 0.88
        return (np.abs(dx) <= s) & (np.abs(dy) <= s)
    if shape == "diamond":
        return np.abs(dx) + np.abs(dy) <= r * 1.15
    if shape == "cross":
        arm = r * 0.36
        return ((np.abs(dx) <= arm) & (np.abs(dy) <= r)) | ((np.abs(dy) <= arm) & (np.abs(dx) <= r))
    if shape == "triangle":  # pointing up
        return (dy <= r * 0.8) & (dy >= -r) & (np.abs(dx) <= (dy + r) * 0.62)
    raise ValueError(f"unknown shape {shape!r}")
