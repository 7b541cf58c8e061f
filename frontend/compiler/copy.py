"""COPY and ADD -> an LLB file op (or a linked layer merged in) (part of pipeline step 3).

Owned step: the reference's ``dispatchCopy`` (``convert_copy.go``) for both
instructions. What differs between COPY and ADD is one value, :class:`CopySpec`, made
from the instruction (which sources are allowed, checksum, unpacking, ``--from``,
``--parents``, ...); the rule itself has no instruction-type branches. It makes the
copy actions (local paths, URLs, git repositories, heredoc files), the ``--link``
merge, the step name and location, the history entry, and records the paths read
from the build context or the ``--from`` source.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from frontend import llb
from frontend.compiler.state import StageState
from frontend.compiler.steps import (
    CMD_DESCRIPTION,
    RuleContext,
    command_text,
    commit,
    path_relative_to_workdir,
    rooted,
    step_label,
)
from frontend.gocompat import go_join
from frontend.language import instructions as ins
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import SourceContent


@dataclass(frozen=True, slots=True)
class CopySpec:
    """One COPY or ADD, with everything in which the two differ made explicit."""

    verb: str  # "COPY" | "ADD": history, step text, errors
    sources: tuple[str, ...]
    contents: tuple[SourceContent, ...]  # heredoc files
    dest: str
    chown: str
    chmod: str
    link: bool
    excludes: tuple[str, ...]
    from_: str = ""  # COPY --from
    parents: bool = False  # COPY --parents
    allow_url: bool = False  # ADD: http(s) sources are downloaded
    allow_git: bool = False  # ADD: git sources are cloned
    checksum: str = ""  # ADD --checksum (one URL or git source)
    keep_git_dir: bool = False  # ADD --keep-git-dir
    unpack_url: bool = False  # ADD --unpack=true: a downloaded archive is unpacked
    unpack_local: bool = False  # ADD (unless --unpack=false): local archives unpacked

    @classmethod
    def of(cls, cmd: ins.Copy | ins.Add) -> CopySpec:
        common: dict[str, Any] = {
            "sources": cmd.sources,
            "contents": cmd.contents,
            "dest": cmd.dest,
            "chown": cmd.chown,
            "chmod": cmd.chmod,
            "link": cmd.link,
            "excludes": cmd.excludes,
        }
        if isinstance(cmd, ins.Copy):
            return cls("COPY", from_=cmd.from_, parents=cmd.parents, **common)
        return cls(
            "ADD",
            allow_url=True,
            allow_git=True,
            checksum=cmd.checksum,
            keep_git_dir=cmd.keep_git_dir,
            unpack_url=bool(cmd.unpack),
            unpack_local=True if cmd.unpack is None else cmd.unpack,
            **common,
        )

    def history(self) -> str:
        """The history entry (before ``# buildkit``)."""
        message = self.verb
        if self.parents:
            message += " --parents"
        if self.chown:
            message += " --chown=" + self.chown
        if self.chmod:
            message += " --chmod=" + self.chmod
        message += "".join(" " + src for src in self.sources)
        message += "".join(" <<" + content.path for content in self.contents)
        return message + " " + self.dest


def dispatch_copy(c: RuleContext, st: StageState, cmd: ins.Copy | ins.Add) -> None:
    """COPY and ADD."""
    spec = CopySpec.of(cmd)
    dest = path_relative_to_workdir(st.cwd, spec.dest)
    owner = llb.Chown.parse(spec.chown) if spec.chown else None
    mode = ins.parse_chmod(spec.chmod)
    source = c.build_context
    used: set[str] = set()  # the paths read from the --from source
    if spec.from_:
        source, used = c.source_for(spec.from_, cmd.location, st)
    if spec.checksum:
        if len(spec.sources) != 1:
            raise DockerfileError("checksum can't be specified for multiple sources")
        if not _is_http(spec.sources[0]) and not _is_git(spec.sources[0]):
            raise DockerfileError("checksum requires HTTP(S) or Git sources")
    label = step_label(st, command_text(cmd), c.lexer)
    st.begin_step()
    name = st.step_name(label, c.opts.multi_platform)

    common: dict[str, Any] = {"owner": owner, "mode": mode}
    if spec.excludes:
        common["exclude_patterns"] = spec.excludes
    action: llb.FileAction | None = None

    def add(source_state: llb.State, src: str, **kw: Any) -> None:
        nonlocal action
        kw = {**common, **kw}
        if action is None:
            action = llb.copy(source_state, src, dest, **kw)
        else:
            action = action.copy(source_state, src, dest, **kw)

    for src in spec.sources:
        if spec.allow_git and _is_git(src):
            add(_git_source(src, spec, name), "/", create_dest_path=True)
        elif _is_http(src):
            if not spec.allow_url:
                raise DockerfileError(f"source can't be a URL for {spec.verb}")
            filename = _url_filename(src)
            http = llb.http(
                src,
                filename=filename,
                checksum=spec.checksum,
                # the reference describes the download with the command of a value
                # that is not a string: the empty string
                constraints=llb.Constraints.of(custom_name=name, description={CMD_DESCRIPTION: ""}),
            )
            add(http, filename, create_dest_path=True, attempt_unpack=spec.unpack_url)
        else:
            path, kw = _local_copy(src, spec)
            add(source, path, **kw)
            if not spec.from_:
                # posixpath.normpath, not go_clean: ``COPY // x`` records ``//`` (a
                # follow path ``.``), where Go's path.Clean would record ``/`` (all)
                st.ctx_paths.add(posixpath.normpath(posixpath.join("/", src)))
            else:
                used.add(rooted(src))

    for content in spec.contents:
        doc = llb.scratch().file(
            llb.mkfile(content.path, 0o644, content.data.encode()),
            constraints=llb.Constraints.of(
                custom_name="[internal] preparing inline document", platform=st.plat
            ),
        )
        add(doc, content.path, create_dest_path=True)
    if action is None:
        raise DockerfileError(f"{spec.verb} requires at least two arguments")

    def constraints(**kw: Any) -> llb.Constraints:
        return llb.Constraints.of(
            ignore_cache=st.ignore_cache,
            locations=[c.location(cmd.location)],
            **kw,
        )

    if spec.link and not spec.chmod and c.opts.supports("mergeop") and c.opts.llb_caps is not None:
        # the copy and its merge are one step: both names have the same number
        group = llb.ProgressGroup(_progress_id(cmd.location, cmd.original, st), name, weak=True)
        layer = llb.scratch().file(
            action,
            constraints=constraints(platform=st.plat, custom_name=name, progress_group=group),
        )
        link_name = st.step_name("LINK " + label, c.opts.multi_platform)
        st.state = llb.merge(
            [st.state, layer],
            constraints=constraints(
                custom_name=link_name, progress_group=llb.ProgressGroup(group.id, name)
            ),
        )
    else:
        st.state = st.state.file(action, constraints=constraints(custom_name=name))
    commit(st, spec.history(), layer=True, buildkit=True)


def _local_copy(src: str, spec: CopySpec) -> tuple[str, dict[str, Any]]:
    """The source path and copy options of a path of the context or ``--from``."""
    patterns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    path = src
    if spec.parents:
        parent, sep, pattern = src.partition("/./")
        if not sep:
            pattern, parent = src, "/"
        pattern = llb.normalize_path("/", pattern, False)
        patterns = (pattern.lstrip("/"),)
        if not _has_wildcards(parent) and not _has_wildcards(pattern):
            required = (llb.normalize_path("/", go_join(parent, pattern), False),)
        path = parent
    kw: dict[str, Any] = {
        "follow_symlinks": True,
        "dir_contents_only": True,
        "attempt_unpack": spec.unpack_local,
        "create_dest_path": True,
        "allow_wildcard": True,
        "allow_empty_wildcard": True,
    }
    if patterns:
        kw["include_patterns"] = patterns
    if required:
        kw["required_paths"] = required
    return llb.normalize_path("/", path, False), kw


def _progress_id(location: Range, original: str, st: StageState) -> str:
    """A progress group id that is the same for the same step (the reference uses a
    random one; ours is derived so that output stays deterministic)."""
    key = f"{st.stage.index}:{location.start_line}:{original}"
    return hashlib.sha256(key.encode()).hexdigest()[:25]


def _has_wildcards(name: str) -> bool:
    i = 0
    while i < len(name):
        ch = name[i]
        if ch in "*?[":
            return True
        if ch == "\\":
            i += 1
        i += 1
    return False


def _is_http(src: str) -> bool:
    return (src.startswith("http://") or src.startswith("https://")) and not _is_git(src)


_GIT_HTTP = re.compile(r"^https?://[^/]+/.+\.git(#.*)?$|^https?://(github\.com|gitlab\.com)/")


def _is_git(src: str) -> bool:
    if src.startswith(("git@", "git://", "ssh://")):
        return True
    return bool(_GIT_HTTP.match(src))


def _url_filename(src: str) -> str:
    try:
        base = posixpath.basename(urlparse(src).path)
    except ValueError:
        base = ""
    return base if base not in ("", ".", "/") else "__unnamed__"


def _git_source(src: str, spec: CopySpec, name: str) -> llb.State:
    url, _, fragment = src.partition("#")
    ref, _, subdir = fragment.partition(":")
    return llb.git(
        url,
        ref,
        subdir=subdir,
        keep_git_dir=spec.keep_git_dir,
        constraints=llb.Constraints.of(custom_name=name),
    )
