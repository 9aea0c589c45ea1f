"""A tiny site with one of each defect, so tests/crawl/test_checks.py proves the crawler sees them."""

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import path

from jipp import urls as portal_urls

PAGE = '<!doctype html><html lang="id"><head><title>{title}</title></head><body>{body}</body></html>'


def page(body, title="Page", h1="<h1>Heading</h1>"):
    return lambda request: HttpResponse(PAGE.format(title=title, body=h1 + body))


def boom(request):
    return HttpResponse("boom", status=500)


def forbidden(request):
    return HttpResponse(PAGE.format(title="No", body="<h1>No</h1>"), status=403)


def listing(request):
    return HttpResponse(
        PAGE.format(title="List", body="<h1>List</h1><p>page " + request.GET.get("page", "1"))
    )


def not_found(request, exception=None):
    return HttpResponse("gone", status=404)


handler404 = not_found


def data_json(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path(
        "",
        page(
            '<a href="/good/">good</a> <a href="/list/?q=air&page=1">list</a>'
            '<a href="/broken/">broken</a> <a href="/closed/">closed</a>'
            '<a href="??q=air&page=2">double</a> <a href="https://elsewhere.example/">out</a>'
            '<a href="/notitle/">t</a> <a href="/twoh1/">h</a> <a href="/data.csv">csv</a>'
            '<a href="/data.json">json</a> <a href="/moved/">moved</a> <a href="mailto:a@b.c">mail</a>'
            '<form method="get" action="/list/"><input name="q" value="air"><select name="sort">'
            '<option value="new">new</option><option value="old" selected>old</option></select>'
            '<input type="checkbox" name="x" value="1"><button type="submit">Go</button></form>'
            '<form method="post" action="/broken/"><button>never</button></form>'
        ),
    ),
    path("good/", page("<p>fine</p>")),
    path(
        "list/",
        lambda request: HttpResponse(
            PAGE.format(
                title="List",
                body="<h1>List</h1>"
                + (
                    '<a rel="next" href="/list/?page=3">skip</a>'
                    if request.GET.get("page") == "1"
                    else '<a rel="next" href="/list/?page=2">lost q</a>'
                ),
            )
        ),
    ),
    path("broken/", boom),
    path("closed/", forbidden),
    path("notitle/", page("", title="  ")),
    path("twoh1/", page("<h1>again</h1>")),
    path("data.csv", page("not a file")),
    path("data.json", data_json),
    path("moved/", lambda request: HttpResponseRedirect("/gone/")),
    # The portal's named URLs the crawler reverses (sign-out, language switch).
    *[p for p in portal_urls.urlpatterns if getattr(p, "name", None) in ("sign_out", "set_language")],
]
