"""`make run` on a database migrated by the old layout says how to reset it (check_migration_history)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


@pytest.mark.django_db
def test_a_current_database_passes(capsys):
    call_command("check_migration_history")
    assert "matches" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_old_layout_database_is_refused_with_the_way_to_reset_it():
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('jipp', '0005_cache_table', now())"
        )
    with pytest.raises(CommandError) as error:
        call_command("check_migration_history")
    assert "jipp.0005_cache_table" in str(error.value)
    assert "make reset-db" in str(error.value)
