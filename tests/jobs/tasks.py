"""Jobs only the queue tests use: the worker processes they start import this module
(tests/jobs/worker_settings.py). Each writes what happened to a file the test reads."""

import os
import time

from jipp.ops import jobs


def _note(path, line):
    with open(path, "a") as f:
        f.write(f"{line}\n")


@jobs.task(
    name="tests.flaky",
    retry=jobs.RetryStrategy(max_attempts=4, exponential_wait=2),  # waits 2 s, 4 s, 8 s
    pass_context=True,
)
def flaky(context, *, path, failures):
    """Fails its first ``failures`` attempts, then succeeds."""
    _note(path, f"attempt {context.job.attempts} {time.time():.3f}")
    if context.job.attempts < failures:
        raise RuntimeError("the mail server is still down")
    _note(path, "done")


@jobs.task(name="tests.slow", retry=False)
def slow(*, path, seconds):
    """Takes ``seconds`` the first time it starts, no time when it starts again (it resumes)."""
    with open(path, "a+") as f:
        f.seek(0)
        started_before = "start" in f.read()
    _note(path, f"start {os.getpid()}")
    if not started_before:
        time.sleep(seconds)
    _note(path, f"done {os.getpid()}")
