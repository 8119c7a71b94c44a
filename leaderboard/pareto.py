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


def pareto_svg(
    points: list[Point],
    *,
    x_label: str,
    y_label: str,
    maximize_x: bool = True,
    maximize_y: bool = True,
    size: int = 360,
) -> str:
    """An inline SVG scatter of the points in [0, 1]², the front highlighted and joined."""
    pad = 44
    inner = size - 2 * pad
    front = pareto_front(points, maximize_x=maximize_x, maximize_y=maximize_y)
    on_front = {id(p) for p in front}

    def px(v: float) -> float:
        return round(pad + max(0.0, min(1.0, v)) * inner, 1)

    def py(v: float) -> float:
        return round(size - pad - max(0.0, min(1.0, v)) * inner, 1)

    parts = [
        f'<svg class="pareto" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        'role="img" '
        f'aria-label="{escape(y_label)} against {escape(x_label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" class="frame"/>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<text x="{px(tick)}" y="{size - pad + 14}" class="tick">{tick:g}</text>')
        parts.append(f'<text x="{pad - 6}" y="{py(tick) + 4}" class="tick end">{tick:g}</text>')
    arrow_x = "→ better" if maximize_x else "← better"
    arrow_y = "↑ better" if maximize_y else "↓ better"
    parts.append(
        f'<text x="{size / 2}" y="{size - 8}" class="axis">{escape(x_label)} ({arrow_x})</text>'
    )
    parts.append(
        f'<text x="12" y="{size / 2}" class="axis" transform="rotate(-90 12 {size / 2})">'
        f"{escape(y_label)} ({arrow_y})</text>"
    )
    if len(front) > 1:
        path = " ".join(f"{px(p.x)},{py(p.y)}" for p in front)
        parts.append(f'<polyline points="{path}" class="front"/>')
    for point in points:
        cls = "point on-front" if id(point) in on_front else "point"
        title = f"{point.label}: {x_label} {point.x:.3f}, {y_label} {point.y:.3f}"
        circle = (
            f'<circle cx="{px(point.x)}" cy="{py(point.y)}" r="5" class="{cls}">'
            f"<title>{escape(title)}</title></circle>"
        )
        if point.href:
            circle = f'<a href="{escape(point.href)}">{circle}</a>'
        parts.append(circle)
        anchor, dx = (' text-anchor="end"', -7) if point.x > 0.7 else ("", 7)
        parts.append(
            f'<text x="{px(point.x) + dx}" y="{py(point.y) - 6}" class="label"{anchor}>'
            f"{escape(point.label[:40])}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
