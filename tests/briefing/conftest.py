from __future__ import annotations

import pytest

from tests.briefing.robot_server import RobotServer


@pytest.fixture
def robots():
    """A local robot platform on 127.0.0.1 for the duration of one test."""
    with RobotServer() as server:
        yield server
