"""Fixtures: fake credentials -> course.sandbox.start() -> bedrock_sim.activate() -> clients."""

from __future__ import annotations

import pytest

from course import sandbox


@pytest.fixture(scope="session")
def sim_aws():
    sandbox.isolate_environment()
    box = sandbox.start()
    import course.bedrock_sim as bedrock_sim

    bedrock_sim.activate()
    return box


@pytest.fixture(autouse=True)
def _clean(sim_aws):
    import course.bedrock_sim as bedrock_sim

    sim_aws.reset()
    bedrock_sim.reset()
    yield
    sim_aws.reset()
    bedrock_sim.reset()


@pytest.fixture
def runtime(sim_aws):
    return sim_aws.client("bedrock-runtime")


@pytest.fixture
def bedrock(sim_aws):
    return sim_aws.client("bedrock")


@pytest.fixture
def agent(sim_aws):
    return sim_aws.client("bedrock-agent")


@pytest.fixture
def agent_runtime(sim_aws):
    return sim_aws.client("bedrock-agent-runtime")


@pytest.fixture
def s3(sim_aws):
    return sim_aws.client("s3")


@pytest.fixture
def aws_s3vectors(sim_aws):
    return sim_aws.client("s3vectors")
