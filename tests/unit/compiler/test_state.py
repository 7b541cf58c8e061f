"""Step names: a pure function of the stage state; the counter moves in begin_step."""

from __future__ import annotations

from frontend import llb
from frontend.compiler.state import StageState
from frontend.language import Lexer, parse_dockerfile
from frontend.stages import resolve_graph, split_stages
from tests.unit.compiler.util import compile_text, lines


def _state(name: str = "build", total: int = 12) -> StageState:
    df = parse_dockerfile("FROM alpine AS build\n")
    graph = resolve_graph(split_stages(df.instructions), {}, Lexer("\\"))
    st = StageState(graph.stages[0], name)
    st.cmd_total = total
    return st


def test_naming_is_pure_and_begin_step_advances() -> None:
    st = _state()
    st.begin_step()
    assert st.step_name("RUN a", False) == "[build  1/12] RUN a"
    assert st.step_name("RUN a", False) == "[build  1/12] RUN a"  # naming twice: same step
    st.begin_step()
    assert st.step_name("COPY b", False) == "[build  2/12] COPY b"
    assert st.cmd_index == 2


def test_step_name_prefixes() -> None:
    st = _state(name="")
    st.begin_step()
    assert st.step_name("RUN a", False) == "[ 1/12] RUN a"
    st.cmd_is_onbuild = True
    assert st.step_name("RUN a", False) == "[ 1/12] ONBUILD RUN a"
    st.platform = llb.Platform("linux", "arm64")
    st.env = st.env.set("TARGETARCH", "amd64")
    assert st.step_name("RUN a", True) == "[linux/arm64->amd64  1/12] ONBUILD RUN a"
    assert st.step_name("FROM x", True, target_env=False) == "[linux/arm64  1/12] ONBUILD FROM x"
    assert _state(total=0).step_name("RUN a", False) == "RUN a"  # no steps counted


def test_a_linked_copy_and_its_merge_share_one_step_number() -> None:
    c = compile_text(
        lines("FROM alpine", "COPY --link a /a", "RUN true"), llb_caps=frozenset({"mergeop"})
    )
    assert "[2/3] COPY --link a /a" in c.names
    assert "[2/3] LINK COPY --link a /a" in c.names
    assert "[3/3] RUN true" in c.names
