"""The OCI image config (compiler.image): schema, Go JSON, and the typed edits."""

from __future__ import annotations

import json

from frontend import llb
from frontend.compiler.image import ImageConfig
from tests.unit.compiler.util import RecordingResolver, compile_text, image_config, lines

BUSYBOX = "docker.io/library/busybox:latest"


def test_base_config_keeps_only_the_reference_schema() -> None:
    base = image_config(Cmd=["sh"], Hostname="", AttachStdin=False, Image="", Volumes=None)
    base.update(
        comment="Imported from -",
        container_config={"Hostname": ""},
        docker_version="26.1.5",
    )
    c = compile_text(lines("FROM busybox", "RUN true"), RecordingResolver({BUSYBOX: base}))
    data = json.loads(c.result.image.to_json())
    assert set(data) == {"architecture", "os", "config", "rootfs", "history"}
    assert data["config"] == {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "Cmd": ["sh"],
    }
    assert c.result.base_image is not None
    assert c.result.base_image.data["created"] == "2024-01-01T00:00:00Z"


def test_config_json_escapes_like_go() -> None:
    img = ImageConfig.from_json(json.dumps(image_config(Labels={"m": "<a&b>"})).encode())
    assert b'"m":"\\u003ca\\u0026b\\u003e"' in img.to_json()
    assert b'"config":{"Labels"' in img.to_json()


def test_typed_edits_write_the_reference_keys() -> None:
    img = ImageConfig.empty(llb.Platform("linux", "amd64"))
    img.set_env("A", "1")
    img.set_env("PATH", "/bin")  # replaced in place, order kept
    img.workdir = "/w"
    img.user = "nobody"
    img.set_cmd(["sh"])
    img.set_entrypoint(["tini"], keep_cmd=True)
    img.set_shell(["/bin/bash", "-c"])
    img.set_labels([("b", "2"), ("a", "1")])
    img.set_author("me")
    img.add_exposed_ports(["80/tcp"])
    img.add_volumes(["/data"])
    img.set_stop_signal("SIGTERM")
    img.set_healthcheck(["CMD", "true"], [("Interval", 5), ("Timeout", 0)], 3)
    img.add_onbuild("RUN x")
    assert img.onbuild == ["RUN x"]
    assert img.has_env("A") and not img.has_env("B")
    assert (img.workdir, img.user) == ("/w", "nobody")
    assert json.loads(img.to_json()) == {
        "author": "me",
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "User": "nobody",
            "ExposedPorts": {"80/tcp": {}},
            "Env": ["PATH=/bin", "A=1"],
            "Entrypoint": ["tini"],
            "Cmd": ["sh"],
            "Volumes": {"/data": {}},
            "WorkingDir": "/w",
            "Labels": {"a": "1", "b": "2"},
            "StopSignal": "SIGTERM",
            "ArgsEscaped": True,
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 5, "Retries": 3},
            "OnBuild": ["RUN x"],
            "Shell": ["/bin/bash", "-c"],
        },
        "rootfs": {"type": "layers", "diff_ids": None},
    }
    img.set_entrypoint(["x"], keep_cmd=False)
    img.clear_onbuild()
    data = json.loads(img.to_json())["config"]
    assert "Cmd" not in data and "OnBuild" not in data
    img.clear_config()
    assert json.loads(img.to_json())["config"] == {}


def test_platform_of_a_config() -> None:
    assert ImageConfig.empty(llb.Platform("linux", "arm64", "v8")).platform == llb.Platform(
        "linux", "arm64", "v8"
    )
    assert ImageConfig({"os": "linux"}).platform is None
