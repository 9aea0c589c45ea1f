"""Mail backends for the delivery tests: a server that is down, one that times out after taking
the message, and one that counts what it accepted (by Message-ID)."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class Switch:
    """What the next sends do: "ok", "down" (connection refused), "lost answer" (the message is
    taken, then the answer to DATA never comes)."""

    mode = "ok"


class ControlledBackend(LocmemBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._maybe = False

    def open(self):
        if Switch.mode == "down":
            raise ConnectionRefusedError(111, "Connection refused")
        return False

    def send_messages(self, messages):
        if Switch.mode == "lost answer":
            self._maybe = True
            super().send_messages(messages)  # the server has it…
            raise TimeoutError(TimeoutError("timed out waiting for the answer to DATA"))  # …we never hear
        return super().send_messages(messages)

    def message_may_be_accepted(self):
        return self._maybe
