"""Git sources: URL parsing (gitutil), the Dockerfile's git references (dfgitutil) and
the source op Go's ``llb.Git`` writes. Expected values were checked against the
reference's Go code."""

from __future__ import annotations

import pytest

from frontend import llb
from frontend.llb import GitRef
from frontend.pb import ops_pb2


def source_op(st: llb.State) -> tuple[ops_pb2.SourceOp, set[str]]:
    d = llb.marshal(st)
    op = ops_pb2.Op.FromString(d.ops[0])
    return op.source, set(d.pb.metadata[d.digests[0]].caps)


@pytest.mark.parametrize(
    ("remote", "want"),
    [
        # (scheme, host, path, remote, query, fragment)
        ("http://host/.git#ref", ("http", "host", "/.git", "http://host/.git", (), "ref")),
        (
            "https://host/r.git?ref=v1&keep-git-dir=1",
            (
                "https",
                "host",
                "/r.git",
                "https://host/r.git",
                (("ref", ("v1",)), ("keep-git-dir", ("1",))),
                None,
            ),
        ),
        (
            "https://u:p%40s@host:80/a%20b/r.git#m:x",
            ("https", "host:80", "/a b/r.git", "https://u:p%40s@host:80/a%20b/r.git", (), "m:x"),
        ),
        ("https://host/r.git?", ("https", "host", "/r.git", "https://host/r.git?", (), None)),
        ("HTTPS://Host/R.git", ("https", "Host", "/R.git", "https://Host/R.git", (), None)),
        (
            "git@github.com:moby/buildkit.git?ref=v1#main:docs",
            (
                "ssh",
                "github.com",
                "moby/buildkit.git",
                "git@github.com:moby/buildkit.git",
                (("ref", ("v1",)),),
                "main:docs",
            ),
        ),
        ("ssh://git@host/r.git", ("ssh", "host", "/r.git", "ssh://git@host/r.git", (), None)),
        ("git://h:1:2/r", ("git", "h:1:2", "/r", "git://h:1:2/r", (), None)),
    ],
)
def test_parse_git_url(remote: str, want: tuple[object, ...]) -> None:
    u = llb.parse_git_url(remote)
    assert (u.scheme, u.host, u.path, u.remote, u.query, u.fragment) == want


def test_git_url_fragment_ref_and_clean_subdir() -> None:
    u = llb.parse_git_url("https://host/r.git#main:sub/../x/")
    assert (u.ref, u.subdir) == ("main", "x")
    assert llb.parse_git_url("https://host/r.git#:/").subdir == ""


@pytest.mark.parametrize(
    ("remote", "message", "unknown"),
    [
        ("github.com/a/b", "unknown protocol", True),
        ("/abs/path", "unknown protocol", True),
        ("git@host:r.git?a;b", "unknown protocol", True),  # a bad query: no scp-like URL
        ("ftp://host/r.git", "ftp: invalid protocol", False),
        ("1http://x", "1http: invalid protocol", False),
        ("https://ho st/r", 'parse "https://ho st/r": invalid character " " in host name', False),
    ],
)
def test_parse_git_url_errors(remote: str, message: str, unknown: bool) -> None:
    with pytest.raises(llb.GitURLError) as info:
        llb.parse_git_url(remote)
    assert (str(info.value), info.value.unknown_protocol) == (message, unknown)


@pytest.mark.parametrize(
    ("ref", "want"),
    [
        ("http://host/.git#ref", GitRef("http://host/.git", "", ref="ref", unencrypted_tcp=True)),
        ("https://host/r.git#ref:sub/", GitRef("https://host/r.git", "r", ref="ref", subdir="sub")),
        (
            "https://host/r.git?ref=v1&keep-git-dir=1",
            GitRef("https://host/r.git", "r", ref="v1", keep_git_dir=True),
        ),
        (
            "https://host/r.git?ref=v1&subdir=/a/../b/&checksum=abc",
            GitRef("https://host/r.git", "r", ref="v1", subdir="/a/../b/", checksum="abc"),
        ),
        ("https://host/r.git?tag=v1", GitRef("https://host/r.git", "r", ref="refs/tags/v1")),
        (
            "https://host/r.git?tag=v1#refs/tags/v1",
            GitRef("https://host/r.git", "r", ref="refs/tags/v1"),
        ),
        ("https://h/r.git?branch=main", GitRef("https://h/r.git", "r", ref="refs/heads/main")),
        (
            "https://host/r.git?keep-git-dir&submodules=false",
            GitRef("https://host/r.git", "r", keep_git_dir=True, submodules=False),
        ),
        (
            "https://h/r.git?commit=abc&fetch-by-commit&mtime=commit",
            GitRef("https://h/r.git", "r", checksum="abc", fetch_by_commit=True, mtime="commit"),
        ),
        ("https://host/a b.git", GitRef("https://host/a%20b.git", "a%20b")),
        ("HTTPS://Host/R.git", GitRef("https://Host/R.git", "R")),
        (
            "git@github.com:moby/buildkit.git#v1:docs",
            GitRef("git@github.com:moby/buildkit.git", "buildkit", ref="v1", subdir="docs"),
        ),
        ("git://host/r", GitRef("git://host/r", "r", unencrypted_tcp=True)),
        (
            "github.com/moby/buildkit?ref=x#y",
            GitRef("github.com/moby/buildkit", "buildkit", indistinguishable_from_local=True),
        ),
    ],
)
def test_parse_git_ref(ref: str, want: GitRef) -> None:
    if ref.endswith("?ref=x#y"):  # the query and the fragment disagree
        with pytest.raises(llb.GitRefError, match='ref conflicts: "y" vs "x"'):
            llb.parse_git_ref(ref)
        ref = ref.replace("?ref=x#y", "")
    assert llb.parse_git_ref(ref) == want


@pytest.mark.parametrize(
    "ref",
    [
        # an http(s) URL is a git repository only when its path ends with .git
        "https://github.com/o/r/releases/download/v1/x.tgz",
        "https://gitlab.com/o/r/-/archive/v1/x.tgz",
        "https://host/r.GIT",
        "https://host/r.git/",
        "https://host/file.tgz?x=1#frag",
        "./foo.git",
        "../foo.git",
        "foo/bar.git",
        "/abs/r.git",
        "ftp://host/r.git",
        "https://host/%zz.git",
        "https://host:abc/r.git",
    ],
)
def test_not_a_git_ref(ref: str) -> None:
    assert llb.parse_git_ref(ref) is None


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("https://host/r.git?x=1&x=2", 'query "x" has multiple values'),
        ("https://host/r.git?foo=bar", 'unexpected query "foo"'),
        ("https://host/r.git?ref=", 'query "ref" has no value'),
        (
            "https://host/r.git?tag=v1#refs/heads/master",
            'ref conflicts: "refs/heads/master" vs "refs/tags/v1"',
        ),
        ("https://host/r.git?subdir=x#r:y", 'subdir conflicts: "y" vs "x"'),
        ("https://host/r.git?branch=main&tag=v1", "branch conflicts with tag"),
        ("https://host/r.git?keep-git-dir=maybe", 'invalid keep-git-dir value: "maybe"'),
        ("https://host/r.git?submodules=2", 'invalid submodules value: "2"'),
        ("https://host/r.git?fetch-by-commit=nope", 'invalid fetch-by-commit value: "nope"'),
        (
            "https://host/r.git?mtime=bogus",
            'invalid mtime value: "bogus" (must be "checkout" or "commit")',
        ),
        ("git@host:r.git?foo=bar", 'unexpected query "foo"'),
    ],
)
def test_git_ref_query_errors(ref: str, message: str) -> None:
    with pytest.raises(llb.GitRefError) as info:
        llb.parse_git_ref(ref)
    assert str(info.value) == message


def test_git_source_options_and_caps() -> None:
    src, caps = source_op(
        llb.git(
            "https://host/r.git",
            "v1",
            subdir="/a/../b/",  # as given, like Go's GitSubDir
            keep_git_dir=True,
            checksum="abc",
            skip_submodules=True,
            mtime="commit",
            fetch_by_commit=True,
        )
    )
    assert src.identifier == "git://host/r.git#v1:/a/../b/"
    assert dict(src.attrs) == {
        "git.authheadersecret": "GIT_AUTH_HEADER",
        "git.authtokensecret": "GIT_AUTH_TOKEN",
        "git.checksum": "abc",
        "git.fetchbycommit": "true",
        "git.fullurl": "https://host/r.git",
        "git.keepgitdir": "true",
        "git.mtime": "commit",
        "git.skipsubmodules": "true",
    }
    assert caps == {
        "source.git",
        "source.git.checksum",
        "source.git.fetchbycommit",
        "source.git.fullurl",
        "source.git.keepgitdir",
        "source.git.mtime",
        "source.git.skipsubmodules",
    }


@pytest.mark.parametrize(
    ("url", "identifier", "fullurl"),
    [
        ("https://host/a%20b/r.git", "git://host/a b/r.git", "https://host/a%20b/r.git"),
        ("https://host//x/../r.git", "git://host/r.git", "https://host//x/../r.git"),
        ("git@github.com:moby/buildkit.git", "git://github.com/moby/buildkit.git", None),
        (
            "github.com/moby/buildkit",
            "git://github.com/moby/buildkit",
            "https://github.com/moby/buildkit",
        ),
        ("ftp://host/r.git", "git://ftp://host/r.git", "ftp://host/r.git"),  # no git URL: as given
        ("https://host", "git://host/", "https://host"),
    ],
)
def test_git_source_identifier(url: str, identifier: str, fullurl: str | None) -> None:
    src, _ = source_op(llb.git(url))
    assert src.identifier == identifier
    if fullurl is not None:
        assert src.attrs["git.fullurl"] == fullurl


def test_git_known_ssh_hosts_end_with_one_newline() -> None:
    for hosts in ("host ssh-ed25519 AAAA", "host ssh-ed25519 AAAA\n"):
        src, caps = source_op(llb.git("git@host:r.git", known_ssh_hosts=hosts))
        assert src.attrs["git.knownsshhosts"] == "host ssh-ed25519 AAAA\n"
        assert {"source.git.knownsshhosts", "source.git.mountsshsock"} <= caps
