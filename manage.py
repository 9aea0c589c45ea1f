#!/usr/bin/env python
import os
import sys

# Commands only developers run (never a deployment) get local development defaults, so that they work
# in a checkout with no environment at all: DEBUG on and, when DATABASE_URL is unset, the embedded
# PostgreSQL under var/ (started here, never by the settings). Every other command, `migrate` included,
# needs the real settings and refuses to start without SECRET_KEY and DATABASE_URL (the Makefile passes
# the embedded server's URL to the ones it runs).
DEVELOPER_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jipp.settings")
    if len(sys.argv) > 1 and sys.argv[1] in DEVELOPER_COMMANDS:
        os.environ.setdefault("DEBUG", "1")
        if not os.environ.get("DATABASE_URL"):
            from jipp import embedded_db

            os.environ["DATABASE_URL"] = embedded_db.ensure_running()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
