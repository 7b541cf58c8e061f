"""``pyfrontend graph FILE``: the stage graph, the waves BuildKit can run in parallel.

The cli step for the stage graph (:func:`frontend.stages.resolve_graph`, with the
global ARGs, build args and automatic platform ARGs the compiler expands the FROM
lines with), no daemon. Nodes are the stages and the images they start from or copy
or mount from (``COPY --from=alpine:3.15``; ``scratch`` is no node: there is nothing
to load); edges go from what is used to the stage using it: ``FROM``, ``COPY
--from``, ``RUN --mount`` (found by the one ``--from`` scanner,
:func:`frontend.stages.from_refs`). The stages the target does not need
(:meth:`~frontend.stages.StageGraph.reachable`) are pruned: BuildKit never builds
them, with or without ``--target``; an image only pruned stages use is pruned too.

Waves: a stage can start once every stage it uses is done, so its wave is one after
the latest of theirs (a stage using no stage is in the first stage wave); an image is
loaded in the wave before the first stage that needs it (it is then ready just in
time: loading it earlier would not finish anything sooner). What shares a wave can
run in parallel. For the lesson's ``Dockerfile.poster.big``: ``alpine``; ``build``;
``poster1`` ‖ ``poster2`` ‖ ``busybox``; ``union``; the last stage.

Formats: text (default; one wave a line group, then what is pruned), ``--format dot``
(Graphviz: a ``rank=same`` group per wave, pruned nodes dashed and grey, the target
doubly outlined) and ``--format mermaid`` (a ``flowchart LR`` with one subgraph per
wave and a ``pruned`` class). A bad Dockerfile is reported as ``FILE:LINE: message``,
exit 1. Same input, same bytes out.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from frontend.cli.options import (
    BuildInput,
    add_build_options,
    add_file_argument,
    build_input,
    report,
)
from frontend.records import field, record

if TYPE_CHECKING:
    from frontend.stages import StageGraph

PROG = "pyfrontend graph"

__all__ = ["Edge", "Graph", "Node", "main", "stage_graph", "to_dot", "to_mermaid", "to_text"]


@record(frozen=True, slots=True)
class Node:
    """A stage (``stage`` its index) or an image (``stage`` None)."""

    id: str  # s<index> for a stage, i<n> for an image (in order of first use)
    label: str  # the stage's name (``stage-N`` unnamed) or the image reference
    stage: int | None
    platform: str | None = None  # an image's --platform (as expanded), if any
    pruned: bool = False
    wave: int = 0  # 1-based; 0 for a pruned node
    target: bool = False

    @property
    def kind(self) -> str:
        return "image" if self.stage is None else "stage"


@record(frozen=True, slots=True)
class Edge:
    """``src`` is used by the stage ``dst`` (``how``: FROM, COPY --from, RUN --mount)."""

    src: str
    dst: str
    how: str


@record(frozen=True, slots=True)
class Graph:
    """The stage graph of one Dockerfile: its nodes, edges and target."""

    name: str  # the Dockerfile's name
    nodes: tuple[Node, ...]  # stages in file order, then images in order of first use
    edges: tuple[Edge, ...]  # by stage, in instruction order
    target: str = ""  # the --target asked for ("" = the last stage)
    by_id: dict[str, Node] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id.update((n.id, n) for n in self.nodes)

    def waves(self) -> list[list[Node]]:
        """The needed nodes by wave, each in the graph's node order."""
        count = max((n.wave for n in self.nodes), default=0)
        out: list[list[Node]] = [[] for _ in range(count)]
        for n in self.nodes:
            if not n.pruned:
                out[n.wave - 1].append(n)
        return out

    def inputs(self, node: Node) -> list[Edge]:
        return [e for e in self.edges if e.dst == node.id]


def _edge_kind(mount_type: str) -> str:
    return "RUN --mount" if mount_type else "COPY --from"


def stage_graph(graph: StageGraph, name: str, target: str = "") -> Graph:
    """The drawable graph of ``graph`` (resolved for ``target``)."""
    from frontend.stages import BaseImage, BaseStage, from_refs

    needed = graph.reachable()
    images: dict[tuple[str, str | None], str] = {}  # (ref, platform) -> node id
    image_users: dict[str, list[int]] = {}
    edges: list[Edge] = []
    # stage edges: (used stage index, using stage index)
    stage_deps: dict[int, list[int]] = {rs.stage.index: [] for rs in graph.stages}

    def image(ref: str, platform: str | None, user: int) -> str:
        key = (ref, platform)
        if key not in images:
            images[key] = f"i{len(images)}"
        node_id = images[key]
        image_users.setdefault(node_id, []).append(user)
        return node_id

    for rs in graph.stages:
        i = rs.stage.index
        sid = f"s{i}"
        if isinstance(rs.base, BaseStage):
            edges.append(Edge(f"s{rs.base.index}", sid, "FROM"))
            stage_deps[i].append(rs.base.index)
        elif isinstance(rs.base, BaseImage):
            edges.append(Edge(image(rs.base_name, rs.platform, i), sid, "FROM"))
        for cmd in rs.stage.commands:
            for ref in from_refs(cmd):
                if ref.onbuild:
                    continue  # a source of the stages built on this one
                src = graph.source(ref.value, ref.location, by_index=ref.by_index)
                how = _edge_kind(ref.mount_type)
                if isinstance(src, BaseStage):
                    edge = Edge(f"s{src.index}", sid, how)
                    stage_deps[i].append(src.index)
                else:
                    edge = Edge(image(src.ref, rs.platform, i), sid, how)
                if edge not in edges:
                    edges.append(edge)

    # waves: a stage one after the latest stage it uses (the dependencies come first
    # in the file only for FROM, so memoised depth-first; the graph has no cycles)
    level: dict[int, int] = {}

    def stage_level(i: int) -> int:
        todo = [i]
        while todo:
            j = todo[-1]
            if j in level:
                todo.pop()
                continue
            missing = [d for d in stage_deps[j] if d not in level]
            if missing:
                todo.extend(missing)
                continue
            level[j] = max((level[d] + 1 for d in stage_deps[j]), default=1)
            todo.pop()
        return level[i]

    for i in needed:
        stage_level(i)
    image_level = {
        node_id: min(level[u] for u in users if u in needed) - 1
        for node_id, users in image_users.items()
        if any(u in needed for u in users)
    }
    used_levels = sorted({level[i] for i in needed} | set(image_level.values()))
    wave_of = {lv: n + 1 for n, lv in enumerate(used_levels)}

    nodes: list[Node] = []
    for rs in graph.stages:
        i = rs.stage.index
        pruned = i not in needed
        nodes.append(
            Node(
                f"s{i}",
                rs.stage.display_name,
                i,
                pruned=pruned,
                wave=0 if pruned else wave_of[level[i]],
                target=i == graph.target,
            )
        )
    for (image_ref, platform), node_id in images.items():
        lv = image_level.get(node_id)
        nodes.append(
            Node(
                node_id,
                image_ref,
                None,
                platform=platform,
                pruned=lv is None,
                wave=0 if lv is None else wave_of[lv],
            )
        )
    return Graph(name, tuple(nodes), tuple(edges), target)


# -- text -------------------------------------------------------------------------------


def _describe(g: Graph, n: Node) -> str:
    if n.stage is None:
        head = f"image {n.label}"
        return head + (f" (--platform={n.platform})" if n.platform else "")
    parts = []
    for e in g.inputs(n):
        src = g.by_id[e.src]
        parts.append(f"{e.how} {src.label}" if e.how == "FROM" else f"{e.how}={src.label}")
    if not any(e.how == "FROM" for e in g.inputs(n)):
        parts.insert(0, "FROM scratch")
    mark = "  (target)" if n.target else ""
    return f"stage {n.label}: {', '.join(parts)}{mark}"


def to_text(g: Graph) -> str:
    """The waves, one line per node, then the pruned nodes."""
    target = next(n for n in g.nodes if n.target)
    out = [f"{g.name}: target {target.label}\n"]
    for k, wave in enumerate(g.waves(), 1):
        together = f" ({len(wave)} in parallel)" if len(wave) > 1 else ""
        out.append(f"wave {k}{together}\n")
        out.extend(f"  {_describe(g, n)}\n" for n in wave)
    pruned = [n for n in g.nodes if n.pruned]
    if pruned:
        why = f"--target {g.target}" if g.target else "the last stage"
        out.append(f"pruned (not needed for {why})\n")
        out.extend(f"  {_describe(g, n)}\n" for n in pruned)
    return "".join(out)


# -- Graphviz ---------------------------------------------------------------------------


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(g: Graph) -> str:
    """A Graphviz ``digraph``: images as cylinders, stages as boxes."""
    out = [f"digraph {_dot_quote(g.name)} {{\n", "  rankdir=LR;\n", "  node [shape=box];\n"]
    for n in g.nodes:
        label = n.label
        if n.platform:
            label += f"\n--platform={n.platform}"
        attrs = [f"label={_dot_quote(label)}"]
        if n.stage is None:
            attrs.append("shape=cylinder")
        if n.target:
            attrs.append("peripheries=2")
        if n.pruned:
            attrs += ["style=dashed", "color=gray", "fontcolor=gray"]
        out.append(f"  {n.id} [{', '.join(attrs)}];\n")
    for k, wave in enumerate(g.waves(), 1):
        ids = "; ".join(n.id for n in wave)
        out.append(f"  {{ rank=same; {ids}; }}  // wave {k}\n")
    for e in g.edges:
        attrs = [f"label={_dot_quote(e.how)}"]
        if g.by_id[e.dst].pruned:
            attrs += ["style=dashed", "color=gray", "fontcolor=gray"]
        out.append(f"  {e.src} -> {e.dst} [{', '.join(attrs)}];\n")
    out.append("}\n")
    return "".join(out)


# -- Mermaid ----------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def to_mermaid(g: Graph) -> str:
    """A Mermaid ``flowchart``: a subgraph per wave, images as cylinders."""

    def shape(n: Node) -> str:
        label = n.label + (f" --platform={n.platform}" if n.platform else "")
        if n.stage is None:
            return f"{n.id}[({_mermaid_text(label)})]"
        if n.target:
            return f"{n.id}[[{_mermaid_text(label)}]]"
        return f"{n.id}[{_mermaid_text(label)}]"

    out = ["flowchart LR\n"]
    for k, wave in enumerate(g.waves(), 1):
        out.append(f'  subgraph wave{k} ["wave {k}"]\n')
        out.extend(f"    {shape(n)}\n" for n in wave)
        out.append("  end\n")
    pruned = [n for n in g.nodes if n.pruned]
    out.extend(f"  {shape(n)}\n" for n in pruned)
    for e in g.edges:
        arrow = "-.->" if g.by_id[e.dst].pruned else "-->"
        out.append(f"  {e.src} {arrow}|{_mermaid_text(e.how)}| {e.dst}\n")
    if pruned:
        out.append("  classDef pruned stroke-dasharray: 5 5,color:#999\n")
        out.append(f"  class {','.join(n.id for n in pruned)} pruned\n")
    return "".join(out)


# -- the command ------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    add_file_argument(p)
    add_build_options(p)
    p.add_argument("--format", default="text", choices=("text", "dot", "mermaid"))
    return p


def _graph(given: BuildInput) -> Graph:
    """The graph as the build resolves it (the compiler's global ARGs)."""
    from frontend.compiler import CompileOptions, no_resolver
    from frontend.compiler.convert import Compiler

    platform = given.target_platform
    opts = CompileOptions(
        target=given.target,
        build_args=given.build_args,
        target_platform=platform,
        build_platform=platform,
        platform_explicit=given.platform is not None,
    )
    compiler = Compiler(given.parse(), opts, no_resolver)
    return stage_graph(compiler.graph, given.name, given.target)


def main(argv: Sequence[str]) -> int:
    from frontend.language import DockerfileError

    args = _parser().parse_args(list(argv))
    given = build_input(args, PROG)  # (an InputError is reported by the dispatcher)
    try:
        graph = _graph(given)
    except DockerfileError as e:
        return report(e, given.name)
    render = {"text": to_text, "dot": to_dot, "mermaid": to_mermaid}[args.format]
    sys.stdout.write(render(graph))
    return 0
