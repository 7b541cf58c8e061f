"""``RUN --mount`` and ``--device`` values: CSV fields, defaults, deferred expansion."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, RunMount
from frontend.language.mounts import Device, mount_source, parse_csv, parse_device, parse_mount


def test_csv_fields() -> None:
    assert parse_csv('a,"b,c",d', "mounts") == ["a", "b,c", "d"]
    assert parse_csv('"x ""y"""', "mounts") == ['x "y"']
    assert parse_csv("a,", "mounts") == ["a", ""]
    with pytest.raises(DockerfileError, match="failed to parse csv mounts: EOF"):
        parse_csv("", "mounts")
    with pytest.raises(DockerfileError, match='bare " in non-quoted-field'):
        parse_csv('a,d""', "mounts")


def _same(value: str) -> str:
    return value


def parse(spec: str) -> RunMount:
    return parse_mount(spec, _same)


def test_mount_defaults_per_type() -> None:
    assert parse("target=/x") == RunMount(target="/x")
    assert not parse("type=cache,target=/c").readonly
    assert not parse("type=tmpfs,target=/t").readonly
    assert parse("type=secret,id=s").readonly
    assert parse("type=bind,target=/x,rw").readonly is False
    assert parse("type=cache,target=/c,mode=0700").mode == 0o700


def test_later_fields_win_in_field_order() -> None:
    assert parse("source=a,src=b,target=/x").source == "b"
    assert parse("src=b,source=a,target=/x").source == "a"
    assert parse("dst=/b,target=/a").target == "/a"
    assert parse("type=secret,env=E,id=a").env == "E"
    assert parse("type=bind,target=/x,env=E").env == "E"  # not checked, as the reference


def test_mount_values_are_expanded_then_checked() -> None:
    env = {"$T": "/c", "$M": "0755"}
    e = parse_mount("type=cache,target=$T,mode=$M", lambda v: env.get(v, v))
    assert (e.target, e.mode) == ("/c", 0o755)


def test_mount_source_is_what_the_graph_reads() -> None:
    # the parser's view: only from= (and a literal, valid type) is read, nothing checked
    assert mount_source("type=cache,target=$T,mode=$M,sharing=bad") == RunMount()
    assert mount_source("from=stage,type=$T,bogus,size=x") == RunMount(from_="stage")
    assert mount_source("type=secret,FROM=a$") == RunMount(from_="a$")
    with pytest.raises(DockerfileError) as info:
        mount_source("from=$S,target=/x")
    assert info.value.message == (
        "'from' doesn't support variable expansion, define alias stage instead"
    )


def test_devices() -> None:
    assert parse_device("vendor.com/gpu=all") == Device("vendor.com/gpu=all")
    assert parse_device("name=x,required=true") == Device("x", True)
    with pytest.raises(DockerfileError, match="device name already set to a"):
        parse_device("a,name=b")


ONES = "1" * 4301


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (f"type=cache,target=/c,uid={ONES}", f"invalid value {ONES} for uid"),
        (f"type=cache,target=/c,gid={ONES}", f"invalid value {ONES} for gid"),
        (f"type=cache,target=/c,mode={ONES}", f"invalid value {ONES} for mode"),
        ("type=cache,target=/c,uid=4294967296", "invalid value 4294967296 for uid"),
        ("type=cache,target=/c,mode=40000000000", "invalid value 40000000000 for mode"),
        ("type=cache,target=/c,uid=²", "invalid value ² for uid"),
        ("type=tmpfs,target=/t,size=9999P", "invalid value for size: 9999P"),
        ("type=tmpfs,target=/t,size=8E", "invalid value for size: 8E"),
        ("type=tmpfs,target=/t,size=" + "9" * 309, "invalid value for size: " + "9" * 309),
        ("type=tmpfs,target=/t,size=²k", "invalid value for size: ²k"),
    ],
)
def test_out_of_range_numbers_are_refused(spec: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse(spec)
    assert info.value.message == message


def test_numbers_at_their_limits() -> None:
    m = parse("type=cache,target=/c,uid=4294967295,gid=0,mode=37777777777")
    assert (m.uid, m.gid, m.mode) == (4294967295, 0, 0o37777777777)
    assert parse("type=tmpfs,target=/t,size=8191P").size_limit == 8191 * 1024**5
    assert parse("type=tmpfs,target=/t,size=1.5k").size_limit == 1536
