"""A real SMTP server on loopback (aiosmtpd) that appends the Message-ID of every message it
accepts to a file, flushed before it answers 250: what the file holds is what was delivered.

    python bench/faults/smtp_sink.py PORT FILE
"""

import signal
import sys
import threading
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content)
        line = f"{message.get('Message-ID', '')}\t{','.join(envelope.rcpt_tos)}\n"
        with self.lock, self.path.open("a") as out:
            out.write(line)
            out.flush()
        return "250 Message accepted for delivery"


def main():
    port, path = int(sys.argv[1]), Path(sys.argv[2])
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"smtp sink on 127.0.0.1:{port}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
