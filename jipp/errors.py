"""The one conflict exception.

``Conflict`` means the request cannot apply to the object as it now is: someone else decided first,
the form was sent twice, its version is stale, or the object's state does not allow the step. Nothing
was changed. A one-step POST (``jipp.steps.post_step``) and every other view let it propagate:
``jipp.ops.middleware.ErrorPageMiddleware`` answers it with the one 409 page (``templates/409.html``),
showing the message and a link to the object as it is now. Form pages (an edit section, a decision
with a note) catch it instead and show the form again with what the person typed, the message and
status 409, so nothing typed is lost.
"""


class Conflict(Exception):
    def __init__(self, message="", *, back_url=None):
        super().__init__(str(message))
        self.message = message
        self.back_url = back_url  # the page showing the object as it is now (set by post_step)

    def __str__(self):
        return str(self.message)
