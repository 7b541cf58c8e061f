"""Fixtures of the unit tests that talk to the fake daemon (``gateway_fakes``): the
daemon's state and a gateway client connected to it over a real stdio channel."""

from __future__ import annotations

from collections.abc import Iterator

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
