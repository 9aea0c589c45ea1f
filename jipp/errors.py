"""The one conflict exception: the object changed since the form was shown (decided by someone
else, submitted twice, a stale version). Views answer it with the 409 page."""


class Conflict(Exception):
    """The object changed since the form was shown (decided by someone else, submitted twice)."""
