import pytest
from django.db import connection

QUEUE_TABLES = (
    "procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers, procrastinate_workers"
)


@pytest.fixture
def empty_queue(transactional_db):
    """The queue's tables are not Django-managed, so the test flush leaves them: start and end empty."""

    def empty():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {QUEUE_TABLES} CASCADE")

    empty()
    yield
    empty()
