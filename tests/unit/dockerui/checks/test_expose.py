"""EXPOSE specs as the reference's 1.26 ``parsePorts`` reads them, with their rules."""

from __future__ import annotations

import pytest

from frontend.dockerui.checks import BuildFacts, lint
from frontend.dockerui.checks.expose import parse_port, parse_ports, split_port
from frontend.dockerui.checks.linter import Linter
from frontend.language import DockerfileError
from frontend.language.errors import Range


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("80", ("", "", "80")),
        ("80:81", ("", "80", "81")),
        ("1.2.3.4:80:81/udp", ("1.2.3.4", "80", "81/udp")),
        ("[::1]:8080:8080", ("[::1]", "8080", "8080")),
    ],
)
def test_split(raw: str, parts: tuple[str, str, str]) -> None:
    assert split_port(raw) == parts


@pytest.mark.parametrize(
    ("raw", "ports"),
    [
        ("80", ["80/tcp"]),
        ("80/TCP", ["80/tcp"]),
        ("53/udp", ["53/udp"]),
        ("9/sctp", ["9/sctp"]),
        ("8000-8002", ["8000/tcp", "8001/tcp", "8002/tcp"]),
        ("8000-8000/udp", ["8000/udp"]),
        ("127.0.0.1:80:80", ["80/tcp"]),
        ("[::1]:8080:8080", ["8080/tcp"]),
        ("5000-5001:5000-5001", ["5000/tcp", "5001/tcp"]),
        ("9000-9009:80", ["80/tcp"]),  # a host range for one container port
        ("0", ["0/tcp"]),
    ],
)
def test_ports(raw: str, ports: list[str]) -> None:
    assert parse_port(raw) == ports


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("/tcp", 'invalid port: "/tcp": no port specified'),
        ("80/foo", 'invalid port: "80/foo": invalid proto: foo'),
        ("abc", "invalid containerPort: abc"),
        ("70000", "invalid containerPort: 70000"),
        ("90-80", "invalid containerPort: 90-80"),
        ("x:80", "invalid hostPort: x"),
        ("1.2.3:80:80", "invalid IP address: 1.2.3"),
        ("[::1:80:80", "invalid IP address [::1: address [::1:: missing ']' in address"),
        ("1-2:5-7", "invalid ranges specified for container and host Ports: 5-7 and 1-2"),
    ],
)
def test_errors(raw: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse_port(raw)
    assert info.value.message == message


def test_rules_run_before_validation_and_stop_with_it() -> None:
    linter = Linter()
    with pytest.raises(DockerfileError):
        parse_ports(["1.2.3.4:80:80/TCP", "x:80", "9:9"], linter, Range(2, 2))
    assert [w.message for w in linter.warnings] == [
        "Defined protocol '1.2.3.4:80:80/TCP' in EXPOSE instruction should be lowercase",
        "EXPOSE instruction should not define an IP address or host-port mapping, found "
        "'1.2.3.4:80:80/TCP'",
        # x:80 warns, then fails: 9:9 is never read
        "EXPOSE instruction should not define an IP address or host-port mapping, found 'x:80'",
    ]


def test_bad_proto_fails_before_its_rules() -> None:
    linter = Linter()
    with pytest.raises(DockerfileError):
        parse_ports(["80/FOO"], linter, None)
    assert linter.warnings == ()


def test_ports_are_expanded_with_the_stage_env() -> None:
    src = "FROM scratch\nARG P=80/TCP\nENV Q=1:2\nEXPOSE $P ${Q}\n"
    result = lint(src, BuildFacts())
    assert [(w.rule_name, w.message.split("'")[1], w.line) for w in result.warnings] == [
        ("ExposeProtoCasing", "80/TCP", 4),
        ("ExposeInvalidFormat", "1:2", 4),
    ]
    bad = lint("FROM scratch\nEXPOSE 80/nope\n")
    assert bad.error is not None
    assert bad.error.message == 'invalid port: "80/nope": invalid proto: nope'
    assert bad.error.location == Range(2, 2)
