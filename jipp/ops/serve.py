"""``make run``: gunicorn and one job worker side by side, started and stopped together.

    python -m jipp.ops.serve [gunicorn arguments...]

Ctrl-C (SIGINT) or SIGTERM stops both gently: each gets SIGTERM (gunicorn finishes its requests, the
worker its running job, within their graceful timeouts), then this waits for both. If either stops on
its own, the other is stopped too and the exit status is the first one's, so a crashed worker never
leaves a portal running without its jobs. The children run in their own process group, so a Ctrl-C
in the terminal reaches them only through here, once. Production runs the two as separate services
instead (docs/deploy.md).
"""

import signal
import subprocess
import sys
import time

STOP_TIMEOUT = 40  # seconds: longer than gunicorn's and the worker's graceful timeouts


def commands(gunicorn_args):
    python = sys.executable
    return [
        [python, "-m", "gunicorn", "jipp.wsgi", "--config", "gunicorn.conf.py", *gunicorn_args],
        [python, "manage.py", "procrastinate", "worker"],
    ]


def run(cmds):
    children = [subprocess.Popen(cmd, start_new_session=True) for cmd in cmds]
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    while not stopping:
        exited = [child for child in children if child.poll() is not None]
        if exited:
            status = exited[0].returncode
            break
        time.sleep(0.2)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    for sig, handler in previous.items():
        signal.signal(sig, handler)
    return status


if __name__ == "__main__":
    sys.exit(run(commands(sys.argv[1:])))
