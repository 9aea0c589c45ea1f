"""Settings of the job workers the queue tests start as separate processes: the production settings,
the test jobs (tests/jobs/tasks.py) importable, and no periodic job deferred by itself (a tick within
``max_delay`` would otherwise be deferred at start), so a test runs only the jobs it defers."""

from jipp.settings import *  # noqa: F403

PROCRASTINATE_IMPORT_PATHS = ["tests.jobs.tasks"]
PROCRASTINATE_PERIODIC_DEFAULTS = {"max_delay": 0}
