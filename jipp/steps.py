"""The one pattern for a one-step POST view: a button that moves an object on (submit, publish, approve,
record a session, remove a file, change a hub's status).

A ``Step`` says who may take it, which form carries it and what it does; ``post_step`` runs it in the
same order everywhere:

1. the caller has already fetched the object the person may see (404 otherwise);
2. ``allowed(user, obj)`` or 403 (``jipp.access.require``);
3. the form is valid, or ``invalid(form)`` answers 400 with the page and the form's errors;
4. ``perform(user, obj, data)`` changes the object in one transaction with its audit entry; a
   ``ValidationError`` goes back onto the form (400); a ``jipp.errors.Conflict`` (the object moved on)
   propagates to the one 409 page, with a link to ``back_url``;
5. a success message, and a redirect to ``done(obj, result)`` (the object's page by default).

``applies(obj)`` says whether the step is possible in the object's present state, so the page offers
only the steps that can succeed; the model re-checks it under its row lock.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from jipp import access
from jipp.errors import Conflict


def _always(obj) -> bool:
    return True


def _no_kwargs(obj) -> dict:
    return {}


def _object_page(obj, result):
    return obj.get_absolute_url()


@dataclass(frozen=True)
class Step:
    form: type
    allowed: Callable[[Any, Any], bool]
    perform: Callable[[Any, Any, dict], Any]
    success: Any  # a (lazy) message, or ``success(result)`` giving one (or None for no message)
    applies: Callable[[Any], bool] = _always
    form_kwargs: Callable[[Any], dict] = _no_kwargs
    initial: Callable[[Any], dict] = field(default=_no_kwargs)
    done: Callable[[Any, Any], str] = _object_page
    error_field: str | None = None  # where an error that names no field of the form goes

    def offered_to(self, user, obj) -> bool:
        """The page shows this step's form: possible now, and ``user`` may take it."""
        return self.applies(obj) and self.allowed(user, obj)

    def blank_form(self, obj):
        return self.form(initial=self.initial(obj), **self.form_kwargs(obj))


def post_step(request, obj, step: Step, *, invalid, back_url):
    """Run ``step`` on ``obj`` for ``request`` (see the module docstring for the order of answers)."""
    access.require(step.allowed(request.user, obj))
    form = step.form(request.POST, request.FILES, **step.form_kwargs(obj))
    if form.is_valid():
        try:
            result = step.perform(request.user, obj, form.cleaned_data)
        except Conflict as conflict:
            conflict.back_url = conflict.back_url or back_url
            raise
        except ValidationError as error:
            add_errors(form, error, step.error_field)
            return invalid(form, error)
        message = step.success(result) if callable(step.success) else step.success
        if message:
            messages.success(request, message)
        return redirect(step.done(obj, result))
    return invalid(form, None)


def add_errors(form, error: ValidationError, default_field=None):
    """Put a model or service ``ValidationError`` onto ``form``: per field where the form has that
    field, else as an error of the whole form (or of ``default_field``)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)
