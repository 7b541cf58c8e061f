"""File ops: chains of mkdir / mkfile / symlink / rm / copy actions on a state.

Owned step: ``frontend.llb``. Build a chain with the module functions and the methods
of :class:`FileAction` (``mkdir(...).copy(...)``), then apply it with
``state.file(chain)``. Each action works on the result of the previous one; only the
last action's result is an output of the op. Paths are normalised against ``cwd``
(copy sources against ``src_cwd``) like Go's llb does.
"""

from __future__ import annotations

import posixpath

from frontend.gocompat import go_clean, go_parse_int
from frontend.llb import caps as C
from frontend.llb.core import NO_CONSTRAINTS, Built, Constraints, Output, State
from frontend.llb.marshal import MarshalContext
from frontend.pb import ops_pb2
from frontend.records import record

Owner = int | str  # a numeric id, or a name looked up in the base's passwd/group


@record(frozen=True, slots=True)
class Chown:
    """The owner of created files: a user and a group, each a name or an id."""

    user: Owner | None = None
    group: Owner | None = None

    @classmethod
    def parse(cls, spec: str) -> Chown:
        """``user[:group]``; numbers and ``root`` become ids, like Go's ``WithUser``."""

        def one(v: str) -> Owner:
            if v == "root":
                return 0
            n = go_parse_int(v, 32)  # Go's strconv.ParseInt(v, 10, 32): no blanks, no "_"
            return v if n is None else n

        user, sep, group = spec.partition(":")
        return cls(one(user), one(group) if sep else None)


@record(frozen=True, slots=True)
class Mkdir:
    """A file action creating a directory."""

    path: str
    mode: int
    make_parents: bool = False
    owner: Chown | None = None
    created: int | None = None  # unix nanoseconds


@record(frozen=True, slots=True)
class Mkfile:
    """A file action creating a file with ``data``."""

    path: str
    mode: int
    data: bytes
    owner: Chown | None = None
    created: int | None = None


@record(frozen=True, slots=True)
class Symlink:
    """A file action creating a symbolic link."""

    oldpath: str  # the link's target
    newpath: str  # where the link is created
    owner: Chown | None = None
    created: int | None = None


@record(frozen=True, slots=True)
class Rm:
    """A file action removing a path."""

    path: str
    allow_not_found: bool = False
    allow_wildcard: bool = False


@record(frozen=True, slots=True)
class CopyAction:
    """A file action copying ``src`` of ``source`` to ``dest``."""

    source: State
    src: str
    dest: str
    src_cwd: str = "/"
    mode: int | str | None = None  # octal bits, or a symbolic string (``u+x``)
    owner: Chown | None = None
    follow_symlinks: bool = False
    dir_contents_only: bool = False
    attempt_unpack: bool = False
    create_dest_path: bool = False
    allow_wildcard: bool = False
    allow_empty_wildcard: bool = False
    include_patterns: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()
    required_paths: tuple[str, ...] = ()
    always_replace_existing_dest_paths: bool = False
    created: int | None = None


Action = Mkdir | Mkfile | Symlink | Rm | CopyAction


@record(frozen=True, slots=True)
class FileAction:
    """An immutable chain of actions (``prev`` runs first)."""

    action: Action
    prev: FileAction | None = None

    def then(self, action: Action) -> FileAction:
        return FileAction(action, self)

    def mkdir(self, path: str, mode: int, **kw: object) -> FileAction:
        return self.then(Mkdir(path, mode, **kw))  # type: ignore[arg-type]

    def mkfile(self, path: str, mode: int, data: bytes, **kw: object) -> FileAction:
        return self.then(Mkfile(path, mode, data, **kw))  # type: ignore[arg-type]

    def symlink(self, oldpath: str, newpath: str, **kw: object) -> FileAction:
        return self.then(Symlink(oldpath, newpath, **kw))  # type: ignore[arg-type]

    def rm(self, path: str, **kw: object) -> FileAction:
        return self.then(Rm(path, **kw))  # type: ignore[arg-type]

    def copy(self, source: State, src: str, dest: str, **kw: object) -> FileAction:
        return self.then(make_copy(source, src, dest, **kw))

    def actions(self) -> list[Action]:
        out: list[Action] = []
        node: FileAction | None = self
        while node is not None:
            out.append(node.action)
            node = node.prev
        out.reverse()
        return out


def make_copy(source: State, src: str, dest: str, **kw: object) -> CopyAction:
    for key in ("include_patterns", "exclude_patterns", "required_paths"):
        if key in kw:
            kw[key] = tuple(kw[key])  # type: ignore[arg-type]
    return CopyAction(source, src, dest, **kw)  # type: ignore[arg-type]


def mkdir(path: str, mode: int, **kw: object) -> FileAction:
    return FileAction(Mkdir(path, mode, **kw))  # type: ignore[arg-type]


def mkfile(path: str, mode: int, data: bytes, **kw: object) -> FileAction:
    return FileAction(Mkfile(path, mode, data, **kw))  # type: ignore[arg-type]


def symlink(oldpath: str, newpath: str, **kw: object) -> FileAction:
    return FileAction(Symlink(oldpath, newpath, **kw))  # type: ignore[arg-type]


def rm(path: str, **kw: object) -> FileAction:
    return FileAction(Rm(path, **kw))  # type: ignore[arg-type]


def copy(source: State, src: str, dest: str, **kw: object) -> FileAction:
    """Copy ``src`` of ``source`` to ``dest``. Options: see :class:`CopyAction`."""
    return FileAction(make_copy(source, src, dest, **kw))


def normalize_path(parent: str, p: str, keep_slash: bool) -> str:
    """Clean ``p`` and make it absolute under ``parent``; optionally keep ``/``/``/.``."""
    orig = p
    p = go_clean(p)
    if not p.startswith("/"):
        p = go_clean(posixpath.join("/", parent, p))
    if keep_slash:
        if orig.endswith("/") and not p.endswith("/"):
            p += "/"
        elif orig.endswith("/."):
            if p != "/":
                p += "/"
            p += "."
    return p


def _time(t: int | None) -> int:
    return -1 if t is None else t


def _user(u: Owner | None, base: int) -> ops_pb2.UserOpt | None:
    if u is None:
        return None
    if isinstance(u, str) and u:
        return ops_pb2.UserOpt(byName=ops_pb2.NamedUserOpt(name=u, input=base))
    return ops_pb2.UserOpt(byID=int(u) & 0xFFFFFFFF if not isinstance(u, str) else 0)


def _chown(c: Chown | None, base: int) -> ops_pb2.ChownOpt | None:
    if c is None:
        return None
    o = ops_pb2.ChownOpt()
    user, group = _user(c.user, base), _user(c.group, base)
    if user is not None:
        o.user.CopyFrom(user)
    if group is not None:
        o.group.CopyFrom(group)
    return o


@record(frozen=True, slots=True, eq=False)
class FileOp:
    """A file op: a chain of file actions on ``base``."""

    base: State
    chain: FileAction
    cwd: str = "/"
    constraints: Constraints = NO_CONSTRAINTS

    def walk_inputs(self) -> tuple[Output, ...]:
        # Go lists the last action's base and copy source first, then walks back
        seen: list[Output] = []
        for a in reversed(self.chain.actions()):
            for st in (self.base, a.source if isinstance(a, CopyAction) else None):
                if st is not None and st.output is not None and st.output not in seen:
                    seen.append(st.output)
        return tuple(seen)

    def build(self, ctx: MarshalContext) -> Built:
        op = ops_pb2.Op()
        fo = op.file
        fo.SetInParent()

        def add_input(st: State) -> int:
            if st.output is None:
                return -1
            inp = ctx.input_of(st.output)
            for i, existing in enumerate(op.inputs):
                if existing == inp:
                    return i
            op.inputs.append(inp)
            return len(op.inputs) - 1

        actions = self.chain.actions()
        # inputs are added in action order, so the indices are known before actions
        # refer to earlier results (len(inputs) + action index)
        bases: list[int] = []
        seconds: list[int] = []
        for a in actions:
            bases.append(add_input(self.base))
            seconds.append(add_input(a.source) if isinstance(a, CopyAction) else -1)
        n = len(op.inputs)
        for i, a in enumerate(actions):
            base = bases[i]
            fa = fo.actions.add(
                input=base if i == 0 else n + i - 1,
                secondaryInput=seconds[i],
                output=0 if i == len(actions) - 1 else -1,
            )
            if isinstance(a, Mkdir):
                fa.mkdir.CopyFrom(
                    ops_pb2.FileActionMkDir(
                        path=normalize_path(self.cwd, a.path, False),
                        mode=a.mode & 0o777,
                        makeParents=a.make_parents,
                        owner=_chown(a.owner, base),
                        timestamp=_time(a.created),
                    )
                )
            elif isinstance(a, Mkfile):
                fa.mkfile.CopyFrom(
                    ops_pb2.FileActionMkFile(
                        path=normalize_path(self.cwd, a.path, False),
                        mode=a.mode & 0o777,
                        data=a.data,
                        owner=_chown(a.owner, base),
                        timestamp=_time(a.created),
                    )
                )
            elif isinstance(a, Symlink):
                fa.symlink.CopyFrom(
                    ops_pb2.FileActionSymlink(
                        oldpath=a.oldpath,
                        newpath=a.newpath,
                        owner=_chown(a.owner, base),
                        timestamp=_time(a.created),
                    )
                )
            elif isinstance(a, Rm):
                fa.rm.CopyFrom(
                    ops_pb2.FileActionRm(
                        path=normalize_path(self.cwd, a.path, False),
                        allowNotFound=a.allow_not_found,
                        allowWildcard=a.allow_wildcard,
                    )
                )
            else:
                src = go_clean(a.src)
                if not src.startswith("/"):
                    src = go_clean(posixpath.join(a.src_cwd or "/", src))
                cp = ops_pb2.FileActionCopy(
                    src=src,
                    dest=normalize_path(self.cwd, a.dest, True),
                    owner=_chown(a.owner, base),
                    include_patterns=a.include_patterns,
                    exclude_patterns=a.exclude_patterns,
                    required_paths=a.required_paths,
                    allowWildcard=a.allow_wildcard,
                    allowEmptyWildcard=a.allow_empty_wildcard,
                    followSymlink=a.follow_symlinks,
                    dirCopyContents=a.dir_contents_only,
                    attemptUnpackDockerCompatibility=a.attempt_unpack,
                    createDestPath=a.create_dest_path,
                    timestamp=_time(a.created),
                    alwaysReplaceExistingDestPaths=a.always_replace_existing_dest_paths,
                )
                if a.mode is None:
                    cp.mode = -1
                elif isinstance(a.mode, str):
                    cp.modeStr = a.mode
                else:
                    cp.mode = a.mode
                fa.copy.CopyFrom(cp)
        # Go's llb records only file.base for a FileOp (its per-action caps never reach
        # the metadata); callers may add more through Constraints.caps.
        return Built(op, frozenset({C.FILE_BASE}))


def file_op(
    base: State, chain: FileAction, *, cwd: str = "/", constraints: Constraints = NO_CONSTRAINTS
) -> State:
    """Apply ``chain`` to ``base``; the result state keeps ``base``'s platform."""
    op = FileOp(base, chain, cwd, constraints)
    return State(Output(op, 0), base.platform)
