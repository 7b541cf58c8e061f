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
import re
from typing import Any

from frontend import llb
from frontend.compiler.state import StageState
from frontend.compiler.steps import (
    CMD_DESCRIPTION,
    RuleContext,
    command_text,
    commit_step,
    path_relative_to_workdir,
    rooted,
    step_label,
)
from frontend.gocompat import GoURLError, go_base, go_join, go_quote, go_url_parse
from frontend.language import instructions as ins
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import SourceContent
from frontend.records import record


@record(frozen=True, slots=True)
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
    keep_git_dir: bool | None = None  # ADD --keep-git-dir (None: not given)
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

    def history(self) -> list[str]:
        """The words of the history entry (before ``# buildkit``)."""
        words = [self.verb]
        if self.parents:
            words.append("--parents")
        if self.chown:
            words.append("--chown=" + self.chown)
        if self.chmod:
            words.append("--chmod=" + self.chmod)
        words += self.sources
        words += ("<<" + content.path for content in self.contents)
        words.append(self.dest)
        return words


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
        if not is_http(spec.sources[0]) and not _is_git(spec.sources[0]):
            raise DockerfileError("checksum requires HTTP(S) or Git sources")
    # a git source's query may set these: as in the reference, for the sources after
    # it too
    checksum, keep_git_dir = spec.checksum, spec.keep_git_dir
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
        if not spec.from_ and not src.startswith(("http://", "https://")):
            # the reference reads from the context every source that does not start
            # so, a git URL too (``git@...``, ``HTTPS://...``); ``//`` is ``/`` (all)
            st.ctx_paths.add(rooted(src))
        try:
            git_ref = llb.parse_git_ref(src)
        except llb.GitRefError as e:
            raise DockerfileError(str(e)) from None
        if git_ref is not None and not git_ref.indistinguishable_from_local:
            if not spec.allow_git:
                raise DockerfileError(f"source can't be a git ref for {spec.verb}")
            if git_ref.keep_git_dir is not None:
                if keep_git_dir is not None and keep_git_dir != git_ref.keep_git_dir:
                    raise DockerfileError("inconsistent keep-git-dir configuration")
                keep_git_dir = git_ref.keep_git_dir
            if checksum and git_ref.checksum and checksum != git_ref.checksum:
                raise DockerfileError(
                    f"checksum mismatch {go_quote(checksum)} != {go_quote(git_ref.checksum)}"
                )
            checksum = git_ref.checksum or checksum
            repo = llb.git(
                git_ref.remote,
                git_ref.ref,
                subdir=git_ref.subdir,
                keep_git_dir=bool(keep_git_dir),
                checksum=checksum,
                skip_submodules=git_ref.submodules is False,
                fetch_by_commit=git_ref.fetch_by_commit,
                constraints=llb.Constraints.of(custom_name=name),
            )
            add(_marshallable(repo), "/", create_dest_path=True)
        elif is_http(src):
            if not spec.allow_url:
                raise DockerfileError(f"source can't be a URL for {spec.verb}")
            if checksum:
                check_digest(checksum)
            filename = url_filename(src)
            http = llb.http(
                src,
                filename=filename,
                checksum=checksum,
                # the reference describes the download with the command of a value
                # that is not a string: the empty string
                constraints=llb.Constraints.of(custom_name=name, description={CMD_DESCRIPTION: ""}),
            )
            add(
                _marshallable(http), filename, create_dest_path=True, attempt_unpack=spec.unpack_url
            )
        else:
            path, kw = _local_copy(src, spec)
            add(source, path, **kw)
            if spec.from_:
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
    commit_step(st, spec.history())


def _local_copy(src: str, spec: CopySpec) -> tuple[str, dict[str, Any]]:
    """The source path and copy options of a path of the context or ``--from``."""
    patterns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    path = src
    if spec.parents:
        parent, sep, pattern = src.partition("/./")
        if not sep:
            pattern, parent = src, "/"
        pattern = _normalize_path(pattern)
        patterns = (pattern.removeprefix("/"),)
        if not _has_wildcards(parent) and not _has_wildcards(pattern):
            required = (_normalize_path(go_join(parent, pattern)),)
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
    return _normalize_path(path), kw


def _normalize_path(p: str) -> str:
    """The reference's ``system.NormalizePath("/", p)`` for Linux: a relative path is
    joined to ``/`` (and so cleaned); an absolute one is kept as it is (``/a/.`` stays:
    unlike copy sources, include patterns and required paths are not cleaned later)."""
    return p if p.startswith("/") else go_join("/", p)


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


def is_http(src: str) -> bool:
    """The reference's ``isHTTPSource``: ``http://`` or ``https://`` and no git URL."""
    return src.startswith(("http://", "https://")) and not _is_git(src)


def _is_git(src: str) -> bool:
    """The reference's ``isGitSource`` (``github.com/o/r`` included; a git URL with a
    wrong query is not one here: the copy reports its error)."""
    try:
        return llb.parse_git_ref(src) is not None
    except llb.GitRefError:
        return False


def url_filename(src: str) -> str:
    """The name a download is saved as: the URL path's last element."""
    try:
        base = go_base(go_url_parse(src).path)
    except GoURLError:
        return "__unnamed__"
    return base if base not in (".", "/") else "__unnamed__"


def _marshallable(st: llb.State) -> llb.State:
    """``st``, a source; the reference fails to marshal one whose identifier or
    attributes are not UTF-8 (a URL's %-escape of other bytes): a located error here."""
    op = st.output.vertex if st.output is not None else None
    if isinstance(op, llb.SourceOp):
        for text in (op.identifier, *(t for pair in op.attrs for t in pair)):
            try:
                text.encode()
            except UnicodeEncodeError:
                raise DockerfileError("string field contains invalid UTF-8") from None
    return st


_DIGEST_SIZES = {"sha256": 64, "sha384": 96, "sha512": 128}
_DIGEST = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")


def check_digest(value: str) -> None:
    """go-digest's ``Parse``, as the reference checks a download's ``--checksum``."""
    algorithm, sep, encoded = value.partition(":")
    if not sep or not algorithm or not encoded:
        raise DockerfileError("invalid checksum digest format")
    size = _DIGEST_SIZES.get(algorithm)
    if size is None:
        if _DIGEST.fullmatch(value) is None:
            raise DockerfileError("invalid checksum digest format")
        raise DockerfileError("unsupported digest algorithm")
    if len(encoded) != size:
        raise DockerfileError("invalid checksum digest length")
    if re.fullmatch(r"[a-f0-9]+", encoded) is None:
        raise DockerfileError("invalid checksum digest format")
