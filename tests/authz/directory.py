"""The agency directory (issue 12): renaming and merging agencies.

Riau's officers correct Riau's agencies (Bali's officers get 404 for them), the ministry and
administrators correct every agency, staff and people without a role none (403). A proposed unit is
decided on the access request page (tests/authz/workflow.py).
"""

from jipp.models import Agency
from tests.authz import Case
from tests.authz.workflow import roles


def _pekanbaru(w):
    return {"pk": w.pekanbaru.pk}


def _duplicate(w):
    """A duplicate of Disdukcapil Kota Pekanbaru, to merge into it."""
    w.duplicate = Agency.objects.create(
        name="Dukcapil Pekanbaru",
        slug="dukcapil-pekanbaru-duplikat",
        level="regency",
        province=w.riau,
        regency=w.pekanbaru_city,
    )
    return {"pk": w.duplicate.pk}


CASES = [
    Case("agency_directory", "get", roles(302, 403, 403, 200, 200, 200, 200)),
    Case("agency_directory", "post", roles(302, 405, 405, 405, 405, 405, 405)),
    Case("agency_manage", "get", roles(302, 403, 403, 200, 404, 200, 200), kwargs=_pekanbaru),
    Case(
        "agency_manage",
        "post",
        roles(302, 403, 403, 302, 404, 302, 302),
        kwargs=_pekanbaru,
        data=lambda w, *_: {"name": "Dinas Dukcapil Kota Pekanbaru"},
    ),
    Case("agency_merge", "get", roles(302, 403, 403, 200, 404, 200, 200), kwargs=_duplicate),
    Case(
        "agency_merge",
        "get",
        roles(302, 403, 403, 400, 404, 400, 400),
        kwargs=_duplicate,
        query="kept=1",  # not a candidate id: 400, and the form says so with the list
        id="agency_merge[get unknown kept]",
    ),
    Case(
        "agency_merge",
        "post",
        roles(302, 403, 403, 302, 404, 302, 302),
        kwargs=_duplicate,
        data=lambda w, *_: {"kept": w.pekanbaru.pk, "confirm": "1"},
    ),
]
