"""One stage while it compiles, and its step names (part of pipeline step 3).

Owned step: the per-stage state the instruction rules read and change (LLB state,
image config, env, working directory, user, ...) and the progress name of each step,
``[stage i/n] TEXT`` (the reference's ``prefixCommand``). A name is a pure function of
the state; the step counter advances only in :meth:`StageState.begin_step`.
"""

from __future__ import annotations

import math

from frontend import llb, records
from frontend.compiler.envlist import EnvList
from frontend.compiler.image import ImageConfig
from frontend.language.instructions import Instruction
from frontend.records import field, record
from frontend.stages import ResolvedStage, Stage


@record(eq=False)
class StageState:
    """One stage while it is compiled (local to one compilation)."""

    resolved: ResolvedStage
    name: str  # progress prefix name ("" when the Dockerfile has one stage)
    state: llb.State = field(default_factory=llb.scratch)
    image: ImageConfig | None = None
    base_image: ImageConfig | None = None
    platform: llb.Platform | None = None
    env: EnvList = field(default_factory=EnvList)
    cwd: str = "/"
    user: str = ""
    network: str = "default"
    build_args: list[tuple[str, str | None]] = field(default_factory=list)
    commands: list[tuple[Instruction, bool]] = field(default_factory=list)  # (cmd, onbuild)
    cmd_total: int = 0
    cmd_index: int = 0  # the number of the current step (0: none yet)
    cmd_is_onbuild: bool = False
    cmd_set: bool = False  # CMD seen in this stage (ENTRYPOINT then keeps it)
    ignore_cache: bool = False
    epoch: str | None = None  # history ``created`` (RFC 3339) from SOURCE_DATE_EPOCH
    epoch_ns: int | None = None  # the same time for files the stage's ops create
    dispatched: bool = False
    onbuild_initialised: bool = False
    ctx_paths: set[str] = field(default_factory=set)
    # paths other stages or commands read from this stage's filesystem ("/" = all);
    # shared with the stages built on it (the follow paths of a local named context)
    paths: set[str] = field(default_factory=set)

    @property
    def stage(self) -> Stage:
        return self.resolved.stage

    @property
    def img(self) -> ImageConfig:
        assert self.image is not None
        return self.image

    @property
    def plat(self) -> llb.Platform:
        assert self.platform is not None
        return self.platform

    def begin_step(self) -> None:
        """Start the next numbered step. The reference numbers a step each time it
        names one (FROM of an image, RUN, COPY/ADD, WORKDIR that makes a directory);
        this is the only place the counter changes."""
        self.cmd_index += 1

    def step_name(
        self,
        text: str,
        multi_platform: bool,
        *,
        target_env: bool = True,
        state_platform: bool = False,
    ) -> str:
        """``[name i/n] text`` for the current step (pure: naming twice gives the same
        number; see :meth:`begin_step`).

        With several platforms the prefix starts with the step's platform (the stage's;
        with ``state_platform`` its LLB state's, as RUN names it: a stage on scratch has
        none, and then shows no platform) and, when the stage's env names another target (``ARG
        TARGETARCH`` in a stage built for the build platform), ``->arch``
        (``target_env=False``: not for FROM)."""
        if self.cmd_total == 0:
            return text
        shown = self.state.platform if state_platform else self.platform
        out = "["
        if multi_platform and shown is not None:
            out += shown.format_all()
            if target_env:
                out += target_platform_suffix(shown, self.env)
            out += " "
        if self.name:
            out += self.name + " "
        width = int(1 + math.log10(self.cmd_total))
        out += f"{self.cmd_index:>{width}}/{self.cmd_total}] "
        if self.cmd_is_onbuild:
            out += "ONBUILD "
        return out + text


def target_platform_suffix(base: llb.Platform, env: EnvList) -> str:
    """The reference's ``formatTargetPlatform(base, platformFromEnv(env))``: ``->arm64``
    when the env's TARGETPLATFORM (or TARGETOS/TARGETARCH/TARGETVARIANT) names another
    architecture on the same OS, ``->os/arch`` for another OS, else empty."""
    target: llb.Platform | None = None
    parts = {"TARGETOS": "", "TARGETARCH": "", "TARGETVARIANT": ""}
    for key in env:
        value = env.get(key) or ""
        if key == "TARGETPLATFORM":
            try:
                target = llb.Platform.parse_raw(value)
            except ValueError:
                continue  # as the reference: the other keys still count
            break
        if key in parts:
            parts[key] = value
            target = llb.Platform(parts["TARGETOS"], parts["TARGETARCH"], parts["TARGETVARIANT"])
    if target is None:
        return ""
    target = records.replace(
        target, os=target.os or base.os, architecture=target.architecture or base.architecture
    ).normalized()
    if target.os == base.os and target.architecture != base.architecture:
        return "->" + target.architecture + (f"/{target.variant}" if target.variant else "")
    if target.os != base.os:
        return "->" + target.format_all()
    return ""
