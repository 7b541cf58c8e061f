"""Record classes: what ``dataclasses.dataclass`` makes, for a fraction of its cost.

Owned step: none (a leaf utility every package uses, like :mod:`frontend.gocompat`).
Python 3.11's ``dataclass`` compiles five or six functions for every class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, frozen ``__setattr__`` and
``__delattr__``), each by its own ``exec``: for the 130 classes a build imports that
was three quarters of the frontend's own import time, paid on every build before
any work (the start-up budget, issue 12). :func:`record` compiles ``__init__`` only,
with the signature and body ``dataclass`` gives it, and only when the class's first
instance is made (a class a build never instantiates costs no compilation), as the code
of its shape (how many fields, which keyword-only, which with a factory: compiled once
per shape, :func:`_init_template`) with its own names put in; the other methods are
shared functions reading the class's field names, behaving as
``dataclass``'s generated ones:

* ``__repr__``: ``QualName(a=1, b='x')``, the fields with ``repr=True``;
* ``__eq__``: an instance of the very same class whose ``compare`` fields are equal
  (as tuples), else ``NotImplemented``; ``eq=False`` leaves ``object``'s identity;
* ``__hash__``: ``frozen`` and ``eq``: the hash of that tuple; ``eq`` without
  ``frozen``: unhashable (``None``); a ``__hash__`` of the class body is kept;
* ``frozen``: assigning or deleting a field raises :class:`FrozenInstanceError` (an
  ``AttributeError``, as ``dataclasses``' is; importing that module for its exception
  would pull in ``inspect`` and ``ast``, 15 ms of start-up);
* ``slots``: the class is made anew with ``__slots__`` of its own fields;
* ``kw_only``: the class's own fields are keyword-only in ``__init__``;
  ``__match_args__`` names the positional ones; ``__post_init__`` runs after
  ``__init__``; methods the class defines itself are kept.

Fields are the class's annotations (not ``ClassVar``), with the bases' first; a
default is a class attribute or a :func:`field` (``default``, ``default_factory``,
``repr``, ``compare``). :func:`replace` and :func:`fields` stand for ``dataclasses``'
(which do not know records).
"""

from __future__ import annotations

import builtins
import functools
import operator
import types
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform, overload

__all__ = ["FrozenInstanceError", "field", "fields", "is_record", "record", "replace"]

_T = TypeVar("_T")


class FrozenInstanceError(AttributeError):
    """Assigning or deleting a field of a frozen record."""


_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "MISSING"})()


class _Field:
    """One field: its name, default (or factory) and whether repr/eq see it."""

    __slots__ = ("compare", "default", "default_factory", "kw_only", "name", "repr")

    def __init__(
        self,
        default: Any = _MISSING,
        default_factory: Any = _MISSING,
        repr: bool = True,
        compare: bool = True,
    ) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare
        self.kw_only = False

    def copy_as(self, name: str, kw_only: bool) -> _Field:
        out = _Field(self.default, self.default_factory, self.repr, self.compare)
        out.name = name
        out.kw_only = kw_only
        return out


@overload
def field(*, default: _T, repr: bool = True, compare: bool = True) -> _T: ...  # pragma: no cover
@overload
def field(
    *, default_factory: Callable[[], _T], repr: bool = True, compare: bool = True
) -> _T: ...  # pragma: no cover
@overload
def field(*, repr: bool = True, compare: bool = True) -> Any: ...  # pragma: no cover
def field(
    *,
    default: Any = _MISSING,
    default_factory: Any = _MISSING,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default (or ``default_factory``, called for each instance) and
    whether ``__repr__`` and ``__eq__``/``__hash__`` include it."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _Field(default, default_factory, repr, compare)


def _is_classvar(annotation: object) -> bool:
    if isinstance(annotation, str):  # postponed annotations (our modules)
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


def _collect(cls: type, kw_only: bool) -> dict[str, _Field]:
    """The class's fields in ``__init__`` order: the bases' (records), then its own."""
    found: dict[str, _Field] = {}
    for base in reversed(cls.__mro__[1:-1]):  # object has none
        for f in base.__dict__.get("__record_fields__", ()):
            found[f.name] = f
    # the class's own annotations (not its bases'), without importing inspect
    own = cls.__dict__
    for name, annotation in own.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        value = own.get(name, _MISSING)
        if isinstance(value, _Field):
            spec = value.copy_as(name, kw_only)
        else:  # a plain default (or none): made here once, not copied
            spec = _Field(value)
            spec.name = name
            spec.kw_only = kw_only
        found[name] = spec
    return found


@functools.cache
def _init_template(
    shape: tuple[tuple[bool, bool], ...], frozen: bool, post_init: bool
) -> types.CodeType:
    """The code of an ``__init__`` for fields of ``shape`` (per field, in order: whether
    it has a default factory, whether it is keyword-only), as ``dataclass`` writes it
    but with placeholder names (:func:`_placeholder`). Compiled once per shape: a
    record's ``__init__`` is this code with its own names put in (defaults are not
    code: they come with the function): a poster.big build compiles 29 templates for
    its 66 records (9.0 ms of compiling became 5.2-5.8 ms)."""
    names = [_placeholder(i) for i in range(len(shape))]
    positional = [n for n, (_, kw_only) in zip(names, shape, strict=True) if not kw_only]
    keyword = [n for n, (_, kw_only) in zip(names, shape, strict=True) if kw_only]
    body: list[str] = []
    for i, (name, (factory, _)) in enumerate(zip(names, shape, strict=True)):
        value = f"__factory_{i}() if {name} is __MISSING else {name}" if factory else name
        body.append(
            f"    __setattr(self, {name!r}, {value})" if frozen else f"    self.{name} = {value}"
        )
    if post_init:
        body.append("    self.__post_init__()")
    params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    env: dict[str, Any] = {}
    exec(f"def __init__({params}):\n" + ("\n".join(body) or "    pass") + "\n", env)
    code: types.CodeType = env["__init__"].__code__
    return code


def _placeholder(i: int) -> str:
    return f"_record_field_{i}_"


def _compile_init(
    specs: list[_Field], frozen: bool, post_init: bool, qualname: str
) -> Callable[..., None]:
    """The record's ``__init__``: its shape's code (:func:`_init_template`) with the
    field names, the defaults and the factories of ``specs``."""
    shape = tuple((f.default_factory is not _MISSING, f.kw_only) for f in specs)
    template = _init_template(shape, frozen, post_init)
    rename = {_placeholder(i): f.name for i, f in enumerate(specs)}

    def renamed(names: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(rename.get(n, n) if isinstance(n, str) else n for n in names)

    code = template.replace(
        co_varnames=renamed(template.co_varnames),
        co_names=renamed(template.co_names),
        co_consts=renamed(template.co_consts),
        co_qualname=f"{qualname}.__init__",
    )
    env: dict[str, Any] = {
        "__builtins__": builtins,
        "__MISSING": _MISSING,
        "__setattr": object.__setattr__,
    }
    defaults: list[Any] = []
    kwdefaults: dict[str, Any] = {}
    for i, f in enumerate(specs):
        if f.default_factory is not _MISSING:
            env[f"__factory_{i}"] = f.default_factory
            default = _MISSING
        elif f.default is not _MISSING:
            default = f.default
        elif not f.kw_only and defaults:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            continue
        if f.kw_only:
            kwdefaults[f.name] = default
        else:
            defaults.append(default)
    init = types.FunctionType(code, env, "__init__", tuple(defaults) or None)
    if kwdefaults:
        init.__kwdefaults__ = kwdefaults
    init.__qualname__ = f"{qualname}.__init__"
    return init


def _first_init(
    owner: list[type], specs: list[_Field], frozen: bool, post_init: bool, qualname: str
) -> Callable[..., None]:
    """The class's ``__init__`` until its first instance: compiles the real one, puts
    it on the class (``owner[0]``) and runs it. A class a build never instantiates
    (most ``HEALTHCHECK``, ``ONBUILD``, outline or SBOM types) costs no compilation."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _compile_init(specs, frozen, post_init, qualname)
        if owner[0].__dict__.get("__init__") is __init__:
            type.__setattr__(owner[0], "__init__", init)
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{qualname}.__init__"
    return __init__


def _key_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of ``names``' values (what ``dataclass`` compares and hashes)."""
    if len(names) >= 2:
        return operator.attrgetter(*names)
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _repr(self: Any) -> str:
    names = type(self).__record_repr__
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__class__.__record_key__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__class__.__record_key__(self))


def _frozen(cls: type[Any], names: frozenset[str]) -> dict[str, Any]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return {"__setattr__": __setattr__, "__delattr__": __delattr__}


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in self.__class__.__record_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(self.__class__.__record_fields__, state, strict=True):
        object.__setattr__(self, f.name, value)


def _process(cls: type, frozen: bool, slots: bool, eq: bool, kw_only: bool) -> type:
    found = _collect(cls, kw_only)
    specs = list(found.values())
    own = cls.__dict__
    shown: list[str] = []
    compared: list[str] = []
    positional: list[str] = []
    for f in specs:  # one pass: this runs for every record class a build imports
        name = f.name
        if f.repr:
            shown.append(name)
        if f.compare:
            compared.append(name)
        if not f.kw_only:
            positional.append(name)
        # the class attribute holds the plain default, as dataclass leaves it
        if isinstance(own.get(name), _Field):
            if f.default is _MISSING:
                if not slots:
                    delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    methods: dict[str, Any] = {
        "__record_fields__": tuple(specs),
        "__record_repr__": tuple(shown),
        "__record_key__": _key_of(tuple(compared)),
        "__match_args__": tuple(positional),
    }
    owner: list[type] = []  # the class made (with slots, a new one)
    if "__init__" not in own:
        post_init = hasattr(cls, "__post_init__")
        methods["__init__"] = _first_init(owner, specs, frozen, post_init, cls.__qualname__)
    if "__repr__" not in own:
        methods["__repr__"] = _repr
    if eq and "__eq__" not in own:
        methods["__eq__"] = _eq
    class_hash = own.get("__hash__", _MISSING)
    explicit_hash = not (class_hash is _MISSING or (class_hash is None and "__eq__" in own))
    if eq and not explicit_hash:
        methods["__hash__"] = _hash if frozen else None
    names = frozenset(found)
    if frozen:
        methods.update(_frozen(cls, names))
    if slots:
        body = dict(own)
        inherited = {s for base in cls.__mro__[1:-1] for s in base.__dict__.get("__slots__", ())}
        body["__slots__"] = tuple(n for n in found if n not in inherited)
        for name in found:
            body.pop(name, None)
        body.pop("__dict__", None)
        body.pop("__weakref__", None)
        body.update(methods)
        if frozen:
            body.setdefault("__getstate__", _getstate)
            body.setdefault("__setstate__", _setstate)
        made = type(cls)(cls.__name__, cls.__bases__, body)
        made.__qualname__ = cls.__qualname__
        owner.append(made)
        return made
    for name, value in methods.items():
        setattr(cls, name, value)
    owner.append(cls)
    return cls


@overload
def record(cls: type[_T], /) -> type[_T]: ...  # pragma: no cover
@overload
def record(
    *, frozen: bool = False, slots: bool = False, eq: bool = True, kw_only: bool = False
) -> Callable[[type[_T]], type[_T]]: ...  # pragma: no cover
@dataclass_transform(field_specifiers=(field,))
def record(
    cls: type[_T] | None = None,
    /,
    *,
    frozen: bool = False,
    slots: bool = False,
    eq: bool = True,
    kw_only: bool = False,
) -> Any:
    """Make ``cls`` a record (see the module's docstring), as
    ``dataclasses.dataclass(frozen=, slots=, eq=, kw_only=)`` makes a dataclass."""

    def wrap(c: type[_T]) -> type[_T]:
        return _process(c, frozen, slots, eq, kw_only)

    return wrap if cls is None else wrap(cls)


def is_record(obj: object) -> bool:
    """Whether ``obj`` is a record class or an instance of one."""
    return hasattr(obj if isinstance(obj, type) else type(obj), "__record_fields__")


def fields(obj: object) -> tuple[str, ...]:
    """The names of a record's (or record class's) fields, in ``__init__`` order."""
    cls = obj if isinstance(obj, type) else type(obj)
    return tuple(f.name for f in cls.__record_fields__)  # type: ignore[attr-defined]


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record ``obj`` with ``changes`` (``dataclasses.replace``)."""
    cls = type(obj)
    for f in cls.__record_fields__:  # type: ignore[attr-defined]
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return cls(**changes)
