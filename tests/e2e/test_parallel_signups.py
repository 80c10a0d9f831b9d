"""A handful of users signing up at the same instant get no server error.

PostgreSQL (`--postgres`, the production-like choice) must take it every time. The sqlite
default is tuned (WAL, busy timeout) but Kratos v1.3.1 can still meet "database is locked" on
it now and then, so its figures come from benchmarks/parallel_signups.py instead of a test.
"""

from __future__ import annotations

import pytest

from local_stack import LocalStack
from local_stack.signup_probe import parallel_sign_ups

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_ten_parallel_sign_ups_on_postgres_get_no_5xx(postgres_local_stack: LocalStack) -> None:
    signups = parallel_sign_ups(postgres_local_stack.kratos_public_url, users=10)
    assert [s.server_errors for s in signups if s.server_errors] == []
    assert all(s.succeeded for s in signups), [s.statuses for s in signups]
