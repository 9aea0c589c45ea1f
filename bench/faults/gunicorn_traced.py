"""The repository's gunicorn.conf.py plus one hook: each request a worker takes is appended to the
file named by JIPP_TRACE_REQUESTS, so a fault script knows which requests had reached a worker.

A client's clock cannot tell: a connection the kernel has queued in the listen backlog looks
"started" to the client but no worker has taken it yet.
"""

import os
from pathlib import Path
from runpy import run_path

# gunicorn reads the settings it knows from this module's globals and ignores the rest.
globals().update(
    {
        name: value
        for name, value in run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")).items()
        if not name.startswith("__")
    }
)
TRACE = os.environ["JIPP_TRACE_REQUESTS"]


def pre_request(worker, req):
    target = f"{req.path}?{req.query}" if req.query else req.path
    # One short line per O_APPEND write: lines from several workers never interleave.
    with open(TRACE, "a") as trace:
        trace.write(target + "\n")
