"""The network map: actors and their ties laid out on the server, the same
for the same figures, and drawn as SVG."""

import math
from collections import Counter
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from actors.models import Sector

from ..models import Form
from .figures import MAX_PAIRS, HouseMap, Pair, activity_of, pair_stats
from .period import Filters
from .queries import ActorInfo, actor_infos, period_collaborations

WIDTH, HEIGHT, MARGIN = 760, 560, 48
LAYOUT_SEED = 1729
LABEL_ALL_UP_TO = 40  # more nodes than this: only the busiest get a name on the map
LABELLED_BUSIEST = 20
CHAR_WIDTH = 7.0  # about, for a 12 px sans-serif name

# Sector: colour (3:1 or more against white) and shape, so colour is never the only cue.
SECTOR_STYLE = {
    Sector.CIVIL_SOCIETY: ("#0b4f8a", "circle"),
    Sector.HOUSING_SOCIAL: ("#a14600", "square"),
    Sector.MUNICIPAL: ("#1d6b35", "diamond"),
    Sector.REGIONAL: ("#6a3d9a", "triangle"),
    Sector.PRIVATE: ("#4a4f57", "hexagon"),
}
# Form of the most committed collaboration of a tie: colour and dash pattern.
FORM_STYLE = {
    Form.KNOWLEDGE: ("#6b7079", "2 4"),
    Form.COORDINATION: ("#6b7079", "8 4"),
    Form.RESOURCES: ("#4a4f57", "14 4 3 4"),
    Form.JOINT_DELIVERY: ("#1b1b1f", ""),
    Form.CO_CREATION: ("#8a3b00", ""),
}


def shape_points(shape: str, x: float, y: float, r: float) -> str:
    """The points of a polygon node (SVG ``points``); "" for a circle."""
    corners = {"square": (4, 45), "diamond": (4, 0), "triangle": (3, -90), "hexagon": (6, 0)}
    if shape not in corners:
        return ""
    sides, turn = corners[shape]
    size = r * (1.25 if shape == "triangle" else 1.1)
    points = []
    for k in range(sides):
        angle = math.radians(turn + 360 * k / sides)
        points.append(f"{x + size * math.cos(angle):.1f},{y + size * math.sin(angle):.1f}")
    return " ".join(points)


@dataclass(frozen=True)
class Node:
    actor: ActorInfo
    count: int
    x: float
    y: float
    r: float
    fill: str
    shape: str
    points: str
    label: str  # "" when not written on the map
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Edge:
    pair: Pair
    form: Form
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    stroke: str
    dash: str


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    ties: int  # all ties in the period; more than len(edges) when cut at MAX_PAIRS
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def node_table(self) -> list[Node]:
        return sorted(self.nodes, key=lambda n: (-n.count, n.actor.name))

    @property
    def edge_table(self) -> list[Edge]:
        return sorted(self.edges, key=lambda e: (-e.pair.count, e.pair.a.name, e.pair.b.name))

    @property
    def cut(self) -> bool:
        return self.ties > len(self.edges)

    @property
    def svg_shapes(self) -> str:
        """The lines, shapes and names inside the map's <svg>. Written here, not
        in a template loop, as a few hundred elements render many times faster so.
        Numbers are plain floats (a dot whatever the language); names are escaped."""
        out = ['<g fill="none" stroke-linecap="round">']
        for e in self.edges:
            dash = f' stroke-dasharray="{e.dash}"' if e.dash else ""
            out.append(
                f'<line x1="{e.x1}" y1="{e.y1}" x2="{e.x2}" y2="{e.y2}" stroke="{e.stroke}" '
                f'stroke-width="{e.width}"{dash}/>'
            )
        out.append('</g><g stroke="#ffffff" stroke-width="1.5">')
        for n in self.nodes:
            if n.points:
                out.append(f'<polygon points="{n.points}" fill="{n.fill}"/>')
            else:
                out.append(f'<circle cx="{n.x}" cy="{n.y}" r="{n.r}" fill="{n.fill}"/>')
        out.append(
            '</g><g fill="#1b1b1f" stroke="#ffffff" stroke-width="3" paint-order="stroke" '
            'stroke-linejoin="round">'
        )
        for n in self.nodes:
            if n.label:
                out.append(
                    f'<text x="{n.label_x}" y="{n.label_y}" text-anchor="{n.anchor}" '
                    f'dominant-baseline="middle">{escape(n.label)}</text>'
                )
        out.append("</g>")
        return mark_safe("\n".join(out))


def layout(node_ids: list[int], weighted_edges: list[tuple[int, int, float]]) -> dict:
    """Positions in the SVG's coordinates, the same for the same input: the
    spring layout with a fixed seed, nodes and edges in a fixed order."""
    import networkx as nx

    if not node_ids:
        return {}
    if len(node_ids) == 1:
        return {node_ids[0]: (WIDTH / 2, HEIGHT / 2)}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(node_ids))
    graph.add_weighted_edges_from(sorted(weighted_edges))
    positions = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", iterations=50)
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]

    def scale(value, low, high, size):
        if high - low < 1e-9:
            return size / 2
        return round(MARGIN + (value - low) / (high - low) * (size - 2 * MARGIN), 1)

    return {
        node: (
            scale(float(p[0]), min(xs), max(xs), WIDTH),
            scale(float(p[1]), min(ys), max(ys), HEIGHT),
        )
        for node, p in positions.items()
    }


def _place_labels(circles, labels) -> dict[int, tuple[float, float, str]]:
    """Where each name goes: right of its node, else left, above or below,
    (centred, or flush with one side near the map's edges),
    wherever it overlaps no other name or node and stays on the map; a name
    that fits nowhere is left out (the table beside the map lists every actor).
    ``circles``: {pk: (x, y, r)}; ``labels``: [(pk, text)], the first placed first."""
    taken = [(x - r, y - r, x + r, y + r) for x, y, r in circles.values()]
    placed = {}
    for pk, text in labels:
        x, y, r = circles[pk]
        width, half = CHAR_WIDTH * len(text) + 2, 8
        own = (x - r, y - r, x + r, y + r)
        above, below = y - r - half - 2, y + r + half + 2
        for lx, ly, anchor in (
            (x + r + 4, y, "start"),
            (x - r - 4, y, "end"),
            (x, above, "middle"),
            (x, below, "middle"),
            (x + r, above, "end"),
            (x - r, above, "start"),
            (x + r, below, "end"),
            (x - r, below, "start"),
        ):
            left = {"start": lx, "end": lx - width, "middle": lx - width / 2}[anchor]
            box = (left, ly - half, left + width, ly + half)
            if box[0] < 2 or box[2] > WIDTH - 2 or box[1] < 2 or box[3] > HEIGHT - 2:
                continue
            if any(
                box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3]
                for t in taken
                if t != own
            ):
                continue
            taken.append(box)
            placed[pk] = (round(lx, 1), round(ly, 1), anchor)
            break
    return placed


def network(pairs: list[Pair], activity: Counter, ties: int) -> Network:
    """The network map from the pairs the page shows (the most active first)."""
    shown = [p for p in pairs if p.count][:MAX_PAIRS]
    ids = sorted({p.a.pk for p in shown} | {p.b.pk for p in shown})
    actors = {p.a.pk: p.a for p in shown} | {p.b.pk: p.b for p in shown}
    positions = layout(ids, [(p.a.pk, p.b.pk, math.sqrt(p.count)) for p in shown])
    top_activity = max((activity[pk] for pk in ids), default=1) or 1
    circles = {
        pk: (*positions[pk], round(5 + 11 * math.sqrt(activity[pk] / top_activity), 1))
        for pk in ids
    }
    busiest = sorted(ids, key=lambda pk: (-activity[pk], actors[pk].name))
    if len(ids) > LABEL_ALL_UP_TO:
        busiest = busiest[:LABELLED_BUSIEST]
    labels = _place_labels(circles, [(pk, _shorten(actors[pk].name, 22)) for pk in busiest])
    nodes = []
    for pk in ids:
        actor, (x, y, r) = actors[pk], circles[pk]
        fill, shape = SECTOR_STYLE[actor.sector]
        label_x, label_y, anchor = labels.get(pk, (x, y, "start"))
        nodes.append(
            Node(
                actor=actor,
                count=activity[pk],
                x=x,
                y=y,
                r=r,
                fill=fill,
                shape=shape,
                points=shape_points(shape, x, y, r),
                label=_shorten(actor.name, 22) if pk in labels else "",
                label_x=label_x,
                label_y=label_y,
                anchor=anchor,
            )
        )
    # Big nodes first, so small ones stay visible on top of them.
    nodes.sort(key=lambda n: (-n.r, n.actor.name))
    top_count = max((p.count for p in shown), default=1)
    edges = []
    for p in sorted(shown, key=lambda p: (p.count, p.a.name, p.b.name)):
        form = p.strongest
        stroke, dash = FORM_STYLE[form]
        width = 1.5 if top_count == 1 else round(1.5 + 5.5 * (p.count - 1) / (top_count - 1), 1)
        (x1, y1), (x2, y2) = positions[p.a.pk], positions[p.b.pk]
        edges.append(Edge(p, form, x1, y1, x2, y2, width, stroke, dash))
    return Network(tuple(nodes), tuple(edges), ties)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def network_for(filters: Filters) -> Network:
    """The network map alone: three queries (collaborations, their actors, the actors)."""
    period = period_collaborations(filters)
    actors = actor_infos()
    pairs = [p for p in pair_stats(period, actors) if p.count]
    return network(pairs, activity_of(period), len(pairs))


def house_network(house: HouseMap) -> Network:
    """The network map from figures already loaded for the map page: no query."""
    return network(house.pairs, house.activity, house.tie_count)
