"""Fixtures of the unit tests that talk to the fake daemon (``gateway_fakes``): the
daemon's state and a gateway client connected to it over a real stdio channel."""

from __future__ import annotations

import os
from collections.abc import Iterator

# the stdio bridges of these tests fork in a process where grpcio is loaded (the fake
# daemon's): without fork support grpcio starts no threads in the child
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "0")

import pytest
from gateway_fakes import DaemonState, connected_client, sample_state

from frontend.gateway.client import GatewayClient


@pytest.fixture
def state() -> DaemonState:
    return sample_state()


@pytest.fixture
def client(state: DaemonState) -> Iterator[GatewayClient]:
    with connected_client(state) as c:
        yield c
