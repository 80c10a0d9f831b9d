"""End-to-end fixtures: the suite runs once on sqlite and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local_stack import LocalStack
from tests.e2e.kratos_api import Browser

STACK_FIXTURES = {"sqlite": "local_stack", "postgres": "postgres_local_stack"}


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def stack(request: pytest.FixtureRequest) -> LocalStack:
    """The shared local stack on each database; `-m "not postgres"` keeps only sqlite."""
    found: LocalStack = request.getfixturevalue(STACK_FIXTURES[request.param])
    return found


@pytest.fixture
def browser(stack: LocalStack) -> Iterator[Browser]:
    """A fresh browser profile (empty cookie jar) for one test."""
    with Browser(stack) as fresh:
        yield fresh
