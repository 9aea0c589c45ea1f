"""Django's SMTP backend, able to say whether a failed send may still have been accepted.

A mail server accepts a message only when it answers the final "." of DATA. An error before that
dot was sent (no connection, refused, a timeout in MAIL or RCPT) means the message was not taken, so
it is retried; an error after it (the answer never came) means it may have been, and the outbox does
not send it again (``delivery.deliver``): a retry never sends a message twice.
"""

import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoEmailBackend

END_OF_DATA = b"\r\n.\r\n"


class _Tracking:
    may_be_accepted = False

    def send(self, s):
        if isinstance(s, bytes) and s.endswith(END_OF_DATA):
            self.may_be_accepted = True  # before the write: a write cut half-way is just as unsure
        return super().send(s)


class TrackingSMTP(_Tracking, smtplib.SMTP):
    pass


class TrackingSMTPSSL(_Tracking, smtplib.SMTP_SSL):
    pass


class EmailBackend(DjangoEmailBackend):
    @property
    def connection_class(self):
        return TrackingSMTPSSL if self.use_ssl else TrackingSMTP

    def message_may_be_accepted(self):
        return bool(getattr(self.connection, "may_be_accepted", False))
