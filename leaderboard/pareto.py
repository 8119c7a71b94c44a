"""Pareto fronts of two metrics and their drawing as inline SVG.

A submission is on the front when no other is at least as good on both axes and better on one.
`maximize_x` / `maximize_y` say which way is better (over-refusal and refusal rate in some views
are better low). The SVG is built from escaped text only: labels come from untrusted submissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float
    href: str = ""


def pareto_front(
    points: list[Point], *, maximize_x: bool = True, maximize_y: bool = True
) -> list[Point]:
    """The non-dominated points, sorted by x.

    >>> front = pareto_front([Point("a", 0.1, 0.9), Point("b", 0.5, 0.5), Point("c", 0.4, 0.4)])
    >>> [p.label for p in front]
    ['a', 'b']
    """
    sx, sy = (1 if maximize_x else -1), (1 if maximize_y else -1)

    def dominates(p: Point, q: Point) -> bool:
        return sx * p.x >= sx * q.x and sy * p.y >= sy * q.y and (p.x, p.y) != (q.x, q.y)

    front = [q for q in points if not any(dominates(p, q) for p in points)]
    return sorted(front, key=lambda p: (p.x, p.y))


#: a label's box: 10 px text, at most this many pixels per character (system-ui is narrower)
CHAR_WIDTH, LABEL_HEIGHT, RADIUS = 6.2, 12.0, 5.0


def pareto_svg(
    points: list[Point],
    *,
    x_label: str,
    y_label: str,
    title: str = "",
    maximize_x: bool = True,
    maximize_y: bool = True,
    x_range: tuple[float, float] = (0.0, 1.0),
    y_range: tuple[float, float] = (0.0, 1.0),
    size: int = 360,
) -> str:
    """An inline SVG scatter of the points, the front highlighted and joined, with a title, a
    legend, and labels placed so that no two overlap (a label that fits nowhere becomes a
    number, named in a key under the plot); each label carries its box as `data-box`."""
    pad, top = 44, 30
    inner_w, inner_h = size - 2 * pad, size - pad - top - 26
    front = pareto_front(points, maximize_x=maximize_x, maximize_y=maximize_y)
    on_front = {id(p) for p in front}

    def scale(v: float, bounds: tuple[float, float]) -> float:
        low, high = bounds
        return max(0.0, min(1.0, (v - low) / (high - low))) if high > low else 0.0

    def px(v: float) -> float:
        return round(pad + scale(v, x_range) * inner_w, 1)

    def py(v: float) -> float:
        return round(top + 26 + (1 - scale(v, y_range)) * inner_h, 1)

    plot = (pad, top + 26, pad + inner_w, top + 26 + inner_h)
    height = size + 0
    parts = [
        f'<rect x="{plot[0]}" y="{plot[1]}" width="{inner_w}" height="{inner_h}" class="frame"/>'
    ]
    if title:
        parts.append(f'<text x="{size / 2}" y="16" class="title">{escape(title)}</text>')
    parts += _legend(size, top)
    for k in range(5):
        fx = x_range[0] + k * (x_range[1] - x_range[0]) / 4
        fy = y_range[0] + k * (y_range[1] - y_range[0]) / 4
        parts.append(f'<text x="{px(fx)}" y="{plot[3] + 14}" class="tick">{fx:g}</text>')
        parts.append(f'<text x="{pad - 6}" y="{py(fy) + 4}" class="tick end">{fy:g}</text>')
    arrow_x = "→ better" if maximize_x else "← better"
    arrow_y = "↑ better" if maximize_y else "↓ better"
    parts.append(
        f'<text x="{pad + inner_w / 2}" y="{plot[3] + 30}" class="axis">'
        f"{escape(x_label)} ({arrow_x})</text>"
    )
    middle = plot[1] + inner_h / 2
    parts.append(
        f'<text x="12" y="{middle}" class="axis" transform="rotate(-90 12 {middle})">'
        f"{escape(y_label)} ({arrow_y})</text>"
    )
    if len(front) > 1:
        path = " ".join(f"{px(p.x)},{py(p.y)}" for p in front)
        parts.append(f'<polyline points="{path}" class="front"/>')
    centres = [(px(p.x), py(p.y)) for p in points]
    placed = _Boxes()
    for x, y in centres:
        placed.points.add((x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS))
    key: list[str] = []
    order = sorted(range(len(points)), key=lambda i: id(points[i]) not in on_front)
    labels: dict[int, str] = {}
    for i in order:  # front points first: their labels matter most
        point, (cx, cy) = points[i], centres[i]
        text = point.label[:40]
        box = _place(text, cx, cy, placed, plot)
        if box is None:  # nowhere free: a number, named in the key
            key.append(text)
            text = str(len(key))
            box = _place(text, cx, cy, placed, plot, steps=8)
        if box is None:
            continue
        placed.labels.add(box)
        labels[i] = (
            f'<text x="{box[0]}" y="{box[3] - 2}" class="label" '
            f'data-box="{box[0]} {box[1]} {box[2]} {box[3]}">{escape(text)}</text>'
        )
    for i, point in enumerate(points):
        cls = "point on-front" if id(point) in on_front else "point"
        title_text = f"{point.label}: {x_label} {point.x:.3f}, {y_label} {point.y:.3f}"
        circle = (
            f'<circle cx="{centres[i][0]}" cy="{centres[i][1]}" r="{RADIUS:g}" class="{cls}">'
            f"<title>{escape(title_text)}</title></circle>"
        )
        if point.href:
            circle = f'<a href="{escape(point.href)}">{circle}</a>'
        parts.append(circle)
        if i in labels:
            parts.append(labels[i])
    for n, text in enumerate(key, 1):
        height += 14
        parts.append(f'<text x="{pad}" y="{height - 4}" class="key">{n}: {escape(text)}</text>')
    aria = f"{title or y_label + ' against ' + x_label}"
    head = (
        f'<svg class="pareto" viewBox="0 0 {size} {height}" width="{size}" height="{height}" '
        f'role="img" aria-label="{escape(aria)}" xmlns="http://www.w3.org/2000/svg">'
    )
    return "\n".join([head, *parts, "</svg>"])


def _legend(size: int, top: int) -> list[str]:
    """What the colours mean: front points, other points, the front's line."""
    y = top + 8
    return [
        f'<circle cx="52" cy="{y}" r="4" class="point on-front"/>',
        f'<text x="60" y="{y + 4}" class="legend">on the Pareto front</text>',
        f'<circle cx="180" cy="{y}" r="4" class="point"/>',
        f'<text x="188" y="{y + 4}" class="legend">dominated</text>',
        f'<line x1="260" y1="{y}" x2="280" y2="{y}" class="front"/>',
        f'<text x="284" y="{y + 4}" class="legend">front</text>',
    ]


def _place(text, cx, cy, placed: _Boxes, plot, steps=2):
    """The first box near (cx, cy) for `text` inside the plot that overlaps no placed label and
    no point, trying `steps` rings of positions; None when there is none."""
    width, height = len(text) * CHAR_WIDTH + 2, LABEL_HEIGHT
    for step in range(1, steps + 1):
        for dx, dy in ((8, -4), (-8, -4), (8, 16), (-8, 16), (10, 6), (-10, 6), (0, -8), (0, 22)):
            dx, dy = dx * step, dy * step
            x0 = cx + dx if dx >= 0 else cx + dx - width
            if dx == 0:
                x0 = cx - width / 2
            y1 = cy + dy
            box = (round(x0, 1), round(y1 - height, 1), round(x0 + width, 1), round(y1, 1))
            if not (plot[0] <= box[0] and box[2] <= plot[2] + 40 and plot[1] - 14 <= box[1]
                    and box[3] <= plot[3]):  # fmt: skip
                continue
            if placed.labels.hits(box) or placed.points.hits(box):
                continue
            return box
    return None


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Grid:
    """Boxes bucketed by the 32-pixel cells they cover: an overlap test looks only at the boxes
    sharing a cell (a plot of 200 points would otherwise test every label against every box)."""

    CELL = 32.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[tuple]] = {}

    def _keys(self, box):
        c = self.CELL
        for gx in range(int(box[0] // c), int(box[2] // c) + 1):
            for gy in range(int(box[1] // c), int(box[3] // c) + 1):
                yield gx, gy

    def add(self, box) -> None:
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(box)

    def hits(self, box) -> bool:
        return any(
            _overlap(box, other) for key in self._keys(box) for other in self._cells.get(key, ())
        )


class _Boxes:
    """The placed labels and the points' own discs, which no label may cover."""

    def __init__(self) -> None:
        self.labels, self.points = _Grid(), _Grid()
