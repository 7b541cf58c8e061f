"""One instruction -> its rule (part of pipeline step 3).

Owned step: the table from instruction type to the rule that applies it to a stage
(the reference's ``dispatch`` switch), and expanding the instruction with the stage
env first (ARG expands its own values). The rules live by feature:
:mod:`~frontend.compiler.run` (RUN), :mod:`~frontend.compiler.mounts` (RUN --mount),
:mod:`~frontend.compiler.copy` (COPY, ADD), :mod:`~frontend.compiler.config` (the
image-config instructions). FROM is no instruction of a stage: it starts one
(:mod:`frontend.compiler.convert`). A type with no rule is an internal error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar, cast

from frontend.compiler.config import (
    dispatch_arg,
    dispatch_cmd,
    dispatch_entrypoint,
    dispatch_env,
    dispatch_expose,
    dispatch_healthcheck,
    dispatch_label,
    dispatch_maintainer,
    dispatch_onbuild,
    dispatch_shell,
    dispatch_stopsignal,
    dispatch_user,
    dispatch_volume,
    dispatch_workdir,
)
from frontend.compiler.copy import dispatch_copy
from frontend.compiler.run import dispatch_run
from frontend.compiler.state import StageState
from frontend.compiler.steps import RuleContext
from frontend.language import instructions as ins
from frontend.language.shell import EnvExpander
from frontend.records import record

Handler = Callable[[RuleContext, StageState, ins.Instruction], None]
_I = TypeVar("_I", bound=ins.Instruction)


@record(frozen=True, slots=True)
class Rule:
    """The rule of one instruction type; ``expand``: given the instruction expanded
    with the stage env (ARG is given it as written and expands its values itself)."""

    handler: Handler
    expand: bool = True


def _rule(kind: type[_I], handler: Callable[[RuleContext, StageState, _I], None]) -> Rule:
    # the table is keyed by ``kind``: a handler only ever gets instructions of its type
    return Rule(cast(Handler, handler), expand=kind is not ins.Arg)


HANDLERS: Mapping[type[ins.Instruction], Rule] = {
    ins.Arg: _rule(ins.Arg, dispatch_arg),
    ins.Env: _rule(ins.Env, dispatch_env),
    ins.Run: _rule(ins.Run, dispatch_run),
    ins.Copy: _rule(ins.Copy, dispatch_copy),
    ins.Add: _rule(ins.Add, dispatch_copy),
    ins.Workdir: _rule(ins.Workdir, dispatch_workdir),
    ins.User: _rule(ins.User, dispatch_user),
    ins.Cmd: _rule(ins.Cmd, dispatch_cmd),
    ins.Entrypoint: _rule(ins.Entrypoint, dispatch_entrypoint),
    ins.Shell: _rule(ins.Shell, dispatch_shell),
    ins.Label: _rule(ins.Label, dispatch_label),
    ins.Maintainer: _rule(ins.Maintainer, dispatch_maintainer),
    ins.Expose: _rule(ins.Expose, dispatch_expose),
    ins.Volume: _rule(ins.Volume, dispatch_volume),
    ins.StopSignal: _rule(ins.StopSignal, dispatch_stopsignal),
    ins.Healthcheck: _rule(ins.Healthcheck, dispatch_healthcheck),
    ins.Onbuild: _rule(ins.Onbuild, dispatch_onbuild),
}

# instruction types that are never dispatched to a stage, and where they are handled
NOT_DISPATCHED: Mapping[type[ins.Instruction], str] = {
    ins.From: "starts a stage (frontend.stages.split_stages, Compiler._init_base)",
}


def dispatch(c: RuleContext, st: StageState, cmd: ins.Instruction) -> None:
    """Apply ``cmd`` to stage ``st``. Raises :class:`TypeError` for an instruction
    type that has no rule (a compiler bug, not a user error)."""
    rule = HANDLERS.get(type(cmd))
    if rule is None:
        where = NOT_DISPATCHED.get(type(cmd))
        detail = f": it {where}" if where else ""
        raise TypeError(f"no compiler rule for instruction type {type(cmd).__name__}{detail}")
    if rule.expand:
        cmd = cmd.expand(EnvExpander(c.lexer, st.env))
    rule.handler(c, st, cmd)
