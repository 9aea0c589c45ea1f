"""Error pages: every error status has a translated page in the site layout, and a friendly 503
while the database is unreachable.
"""

import logging

from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
)
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.module_loading import import_string

logger = logging.getLogger("jipp.ops")


# --- Database down: a friendly 503 --------------------------------------------------------------
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable_response(request=None) -> HttpResponse:
    """A static page (no database, no context processors), status 503 with Retry-After."""
    wants_json = request is not None and (
        request.path in ("/healthz", "/readyz") or "application/json" in request.headers.get("Accept", "")
    )
    if wants_json:
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    else:
        response = HttpResponse(_render_static("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.database_unavailable = True  # jipp.ops.replica retries such a request on the primary
    return response


def server_error(request):
    """``handler500``: a database outage anywhere (middleware included) becomes the 503 page; anything
    else the translated 500 page, rendered without the request (no session, no database)."""
    import sys

    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable_response(request)
    response = HttpResponse(_render_static("500.html"), status=500)
    response["Cache-Control"] = "no-store"
    return response


# Used only if a layout template itself fails while rendering an error page.
_FALLBACK_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Terjadi kesalahan · Something went wrong · JIPP</title></head>
<body><main><h1>Maaf, terjadi kesalahan · Sorry, something went wrong</h1>
<p>Silakan coba lagi sebentar lagi. · Please try again in a moment.</p><p><a href="/">Beranda · Home</a></p>
</main></body></html>"""


def _render_static(template_name: str) -> str:
    """An error page in the site layout rendered with no request: no context processor, no session,
    no query, in the language the request had already chosen; a plain page if even that fails."""
    try:
        return loader.get_template(template_name).render({"static_error_page": True})
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        logger.exception("error page %s could not be rendered", template_name)
        return _FALLBACK_PAGE


# --- Error pages (handler400/403/404, CSRF_FAILURE_VIEW, jipp.ops.middleware.ErrorPageMiddleware) -------
def error_page(request, status: int, context=None, *, template=None) -> HttpResponse:
    """The translated page for an error status, in the site layout: what happened and what to do."""
    from django.shortcuts import render

    context = {"status": status, **(context or {})}
    if status == 403 and template is None:
        context.update(_forbidden_context(request))
    response = render(request, template or f"{status}.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def conflict_page(request, conflict) -> HttpResponse:
    """The one 409 page for a ``jipp.errors.Conflict``: its message, and a link to the object as it
    is now when the step knew it (``Conflict.back_url``)."""
    return error_page(request, 409, {"message": str(conflict), "back_url": conflict.back_url})


def bad_request(request, exception=None):
    """``handler400``; a request body over Django's limits (too large, too many files) is answered
    413 instead. (Too many fields stays a 400: it is usually a mangled query string.)"""
    from django.core.exceptions import RequestDataTooBig, TooManyFilesSent

    if isinstance(exception, RequestDataTooBig | TooManyFilesSent):
        return error_page(request, 413)
    return error_page(request, 400)


def permission_denied(request, exception=None):
    """``handler403``: advice that fits the person (see ``_forbidden_context``); a view that knows
    who may open the page says so in its ``PermissionDenied`` message, shown to people with a role."""
    who = str(exception.args[0]) if exception is not None and exception.args else ""
    return error_page(request, 403, {"who_may_open": who})


def _forbidden_context(request) -> dict:
    """What the 403 page advises, from the function named by ``JIPP_FORBIDDEN_ADVICE`` (the accounts
    app knows who is asking: signed out, waiting for access, or a role that does not include the page)."""
    return import_string(settings.JIPP_FORBIDDEN_ADVICE)(request)


def page_not_found(request, exception=None):
    """``handler404``."""
    return error_page(request, 404)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without a valid security token (expired page, cookies off)."""
    return error_page(request, 403, {"csrf_failure": True}, template="403_csrf.html")
