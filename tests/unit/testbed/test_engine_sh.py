"""``tests/testbed/engine.sh`` start/stop logic, run against fake ``dockerd``, ``docker``
and ``ip`` commands on PATH (no daemon, no network change): the deadline and its
message, the retry after a dockerd that died or hung (containerd's slow first boot),
one starter at a time, and the containerd store's bridge removed on stop."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ENGINE_SH = Path(__file__).resolve().parents[2] / "testbed" / "engine.sh"

# dockerd: takes the next line of $FAKE/plan (or "ok" when it is used up):
#   ok              answers at once until it is stopped
#   slow N          answers after N seconds
#   hang            never answers
#   die-containerd  exits 1 like dockerd whose managed containerd did not come up
FAKE_DOCKERD = r"""#!/usr/bin/env bash
set -u
echo "$*" >> "$FAKE/dockerd.calls"
pidfile= host=
while [ $# -gt 0 ]; do
  case $1 in --pidfile) pidfile=$2; shift ;; --host) host=$2; shift ;; esac; shift
done
plan=ok
if [ -s "$FAKE/plan" ]; then plan=$(head -n1 "$FAKE/plan"); sed -i 1d "$FAKE/plan"; fi
echo "fake dockerd $$: $plan"
echo $$ > "$pidfile"
up="$FAKE/up-$(echo "$host" | tr '/:' '__')"
trap 'rm -f "$up" "$pidfile"; exit 0' TERM
case $plan in
  die-containerd)
    echo 'level=error msg="failed to start containerd: timeout waiting for containerd to start"'
    exit 1 ;;
  hang) ;;
  slow*) sleep "${plan#slow }" & wait $!; touch "$up" ;;
  ok) touch "$up" ;;
esac
while :; do sleep 0.2 & wait $!; done
"""
FAKE_DOCKER = r"""#!/usr/bin/env bash
case "$1 $2" in
  "buildx version") echo "github.com/docker/buildx fake"; exit 0 ;;
  "compose version") echo "2.26.1"; exit 0 ;;
  "version -f") [ -e "$FAKE/up-$(echo "$DOCKER_HOST" | tr '/:' '__')" ]; exit $? ;;
esac
exit 1
"""
FAKE_IP = r"""#!/usr/bin/env bash
echo "$*" >> "$FAKE/ip.calls"
case "$1 $2" in
  "link show") [ -e "$FAKE/bridge-$3" ]; exit $? ;;
  "link add") touch "$FAKE/bridge-$4" ;;
  "link delete") rm "$FAKE/bridge-$3" ;;
esac
exit 0
"""


# install-engine.sh must find the (fake) engine installed and never reach apt
FAKE_APT_GET = r"""#!/usr/bin/env bash
echo "apt-get $*" >> "$FAKE/apt.calls"
exit 97
"""


class Fake:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / "bin"
        self.bin.mkdir()
        self.engine_dir = root / "engine"
        for name, text in (
            ("dockerd", FAKE_DOCKERD),
            ("docker", FAKE_DOCKER),
            ("ip", FAKE_IP),
            ("apt-get", FAKE_APT_GET),
        ):
            path = self.bin / name
            path.write_text(text)
            path.chmod(0o755)

    def plan(self, *steps: str) -> None:
        (self.root / "plan").write_text("".join(f"{s}\n" for s in steps))

    def run(
        self, action: str, *, store: str = "containerd", timeout: int = 2, attempts: int = 3
    ) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "FAKE": str(self.root),
            "PYFRONTEND_ENGINE_STORE": store,
            "PYFRONTEND_ENGINE_DIR": str(self.engine_dir),
            "PYFRONTEND_ENGINE_BRIDGE": "pftest0",
            "PYFRONTEND_ENGINE_TIMEOUT": str(timeout),
            "PYFRONTEND_ENGINE_ATTEMPTS": str(attempts),
        }
        return subprocess.run(
            ["bash", str(ENGINE_SH), action],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    @property
    def dockerd_calls(self) -> list[str]:
        path = self.root / "dockerd.calls"
        return path.read_text().splitlines() if path.exists() else []

    @property
    def ip_calls(self) -> list[str]:
        path = self.root / "ip.calls"
        return path.read_text().splitlines() if path.exists() else []

    def bridge(self) -> bool:
        return (self.root / "bridge-pftest0").exists()

    def dockerd_pid(self) -> int | None:
        pidfile = self.engine_dir / "dockerd.pid"
        try:
            text = pidfile.read_text().strip()
        except FileNotFoundError:
            return None
        return int(text) if text else None  # empty while the fake is writing it


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie not yet reaped by init still "exists": look at its state
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][0] != "Z"


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[Fake]:
    f = Fake(tmp_path)
    yield f
    assert not (tmp_path / "apt.calls").exists(), "engine.sh tried to install the engine"
    pid = f.dockerd_pid()
    if pid is not None and _alive(pid):
        os.kill(pid, signal.SIGKILL)


def test_start_retries_after_containerd_failed_then_stop_removes_the_bridge(fake: Fake) -> None:
    fake.plan("die-containerd", "ok")
    done = fake.run("start")
    assert done.returncode == 0, done.stderr
    host = f"unix://{fake.engine_dir}/docker.sock"
    assert done.stdout.strip() == host
    assert len(fake.dockerd_calls) == 2
    assert "--bridge pftest0 --iptables=false" in fake.dockerd_calls[-1]
    assert "attempt 1 of 3" in done.stderr and "attempt 2 of 3" in done.stderr
    assert "dockerd exited during start-up" in done.stderr
    assert "timeout waiting for containerd to start" in done.stderr  # the log's lines
    assert "containerd was slow or failed to start" in done.stderr
    assert fake.bridge()
    assert "addr add 172.31.254.1/24 dev pftest0" in fake.ip_calls
    pid = fake.dockerd_pid()
    assert pid is not None and _alive(pid)

    again = fake.run("start")  # already up: nothing started
    assert again.returncode == 0 and again.stdout.strip() == host
    assert len(fake.dockerd_calls) == 2

    stopped = fake.run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not _alive(pid)
    assert not fake.bridge()
    assert "link delete pftest0" in fake.ip_calls
    assert "removed bridge pftest0" in stopped.stderr


def test_start_gives_up_at_the_deadline_with_a_clear_message(fake: Fake) -> None:
    fake.plan("hang", "hang")
    t0 = time.monotonic()
    done = fake.run("start", timeout=1, attempts=2)
    took = time.monotonic() - t0
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"did not answer on {fake.engine_dir}/docker.sock within 1s" in done.stderr
    assert "FAILED: no engine on" in done.stderr and "after 2 attempts of 1s" in done.stderr
    assert "PYFRONTEND_ENGINE_TIMEOUT" in done.stderr
    assert "fake dockerd" in done.stderr  # the attempt's log lines are shown
    assert len(fake.dockerd_calls) == 2
    assert took < 30
    pid = fake.dockerd_pid()
    assert pid is None or not _alive(pid)  # the hung dockerds were stopped


def test_a_slow_boot_within_the_deadline_is_waited_for(fake: Fake) -> None:
    fake.plan("slow 2")
    done = fake.run("start", timeout=20)
    assert done.returncode == 0, done.stderr
    assert len(fake.dockerd_calls) == 1
    assert "up after attempt 1" in done.stderr
    fake.run("stop")


def test_a_dockerd_still_booting_is_waited_for_not_started_twice(fake: Fake) -> None:
    # the starter of a slow dockerd was interrupted: that dockerd is still booting
    fake.plan("slow 2")
    fake.engine_dir.mkdir()
    sock = fake.engine_dir / "docker.sock"
    booting = subprocess.Popen(
        [
            str(fake.bin / "dockerd"),
            "--host",
            f"unix://{sock}",
            "--pidfile",
            str(fake.engine_dir / "dockerd.pid"),
        ],
        env={**os.environ, "FAKE": str(fake.root)},
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if fake.dockerd_pid() == booting.pid:
                break
            time.sleep(0.05)
        done = fake.run("start", timeout=20)
        assert done.returncode == 0, done.stderr
        assert f"dockerd {booting.pid} is running but not answering yet" in done.stderr
        assert len(fake.dockerd_calls) == 1  # only the one that was booting
        fake.run("stop")
        assert booting.wait(timeout=30) == 0
    finally:
        if booting.poll() is None:
            booting.kill()


def test_stop_removes_a_bridge_left_behind(fake: Fake) -> None:
    (fake.root / "bridge-pftest0").touch()  # an earlier run's, its engine gone
    done = fake.run("stop")
    assert done.returncode == 0, done.stderr
    assert not fake.bridge()


def test_classic_store_has_no_bridge_and_stop_leaves_bridges_alone(fake: Fake) -> None:
    (fake.root / "bridge-pftest0").touch()
    done = fake.run("start", store="classic")
    assert done.returncode == 0, done.stderr
    assert "--bridge" not in fake.dockerd_calls[-1]
    assert fake.run("stop", store="classic").returncode == 0
    assert fake.bridge()
    assert not any(c.startswith("link delete") for c in fake.ip_calls)


def test_classic_store_uses_an_engine_that_already_answers(fake: Fake) -> None:
    other = f"unix://{fake.root}/other.sock"
    (fake.root / f"up-{other.replace('/', '_').replace(':', '_')}").touch()
    env_host = {"DOCKER_HOST": other}
    done = subprocess.run(
        ["bash", str(ENGINE_SH), "start"],
        env={
            "PATH": f"{fake.bin}:{os.environ['PATH']}",
            "FAKE": str(fake.root),
            "PYFRONTEND_ENGINE_DIR": str(fake.engine_dir),
            **env_host,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == other
    assert fake.dockerd_calls == []


def test_debian12_runs_its_own_unpacked_dockerd_on_its_own_bridge(fake: Fake) -> None:
    sbin = fake.engine_dir / "root" / "usr" / "sbin"
    sbin.mkdir(parents=True)
    (sbin / "dockerd").write_text(FAKE_DOCKERD)  # as unpacked from docker.io 20.10's .deb
    (sbin / "dockerd").chmod(0o755)
    done = fake.run("start", store="debian12")
    assert done.returncode == 0, done.stderr
    assert "--bridge pftest0 --iptables=false" in fake.dockerd_calls[-1]
    assert "addr add 172.31.253.1/24 dev pftest0" in fake.ip_calls
    pid = fake.dockerd_pid()
    assert pid is not None
    assert (
        Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[1] == str(sbin / "dockerd").encode()
    )
    fake.run("stop", store="debian12")
    assert not _alive(pid) and not fake.bridge()


def test_debian12_without_bookworm_in_apt_says_so(fake: Fake) -> None:
    done = fake.run("start", store="debian12")
    assert done.returncode != 0
    assert "cannot download docker.io/bookworm: Debian 12 (bookworm) must be in apt's sources" in (
        done.stderr
    )
    assert (fake.root / "apt.calls").read_text().startswith("apt-get download")
    (fake.root / "apt.calls").unlink()  # the one apt call expected here
    assert fake.dockerd_calls == []
