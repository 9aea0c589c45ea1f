"""The officer's comparison of a proposed edit with the published record (issue 10 review): only what the
edit changes is listed, one block per field with its label, the published and the proposed value, the
removed and added words marked with <del>/<ins> (not by colour alone); unchanged fields are folded away in
a <details>; changed awards and evidence are listed too."""

import re
from html import unescape

import pytest
from django.urls import reverse

from innovations.models import Award
from tests.workflow.helpers import COMPLETE, make_evidence, make_innovation, make_revision

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Warga mengurus akta kelahiran dari kelurahan, selesai dalam tiga hari."


def review_page(client, world, innovation):
    client.force_login(world.officer_riau)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk}))
    assert response.status_code == 200
    return response, response.content.decode()


def text(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def blocks(html):
    """Each listed change as (heading, published side, proposed side) HTML fragments."""
    found = re.findall(
        r'<div class="entry proposed-change">\s*<h4>(.*?)</h4>\s*<dl class="facts">\s*'
        r"<div><dt>Now published</dt><dd>(.*?)</dd></div>\s*<div><dt>Proposed</dt><dd>(.*?)</dd></div>",
        html,
        re.S,
    )
    return [(text(heading), old, new) for heading, old, new in found]


def test_the_review_lists_only_the_changed_fields_with_old_and_new_values(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    # The revision carries its whole section: the background is sent again unchanged.
    make_revision(
        innovation,
        by=world.staff_pekanbaru,
        status="submitted",
        summary=NEW_SUMMARY,
        background=COMPLETE["background"],
        stage="trial",
    )
    response, html = review_page(client, world, innovation)

    changes = blocks(html)
    assert [heading for heading, _, _ in changes] == ["Summary", "Stage"]
    assert [str(c["label"]) for c in response.context["proposed_changes"]] == ["summary", "stage"]
    assert re.search(r"Proposed changes <span class=\"count\">\(2\)</span>", html)

    _, old, new = changes[0]
    assert text(old).replace("Removed: ", "") == COMPLETE["summary"]
    assert text(new).replace("Added: ", "") == NEW_SUMMARY
    # Only the words that differ are marked, in text as well as style.
    removed = [text(d) for d in re.findall(r"<del>(.*?)</del>", old, re.S)]
    added = [text(i) for i in re.findall(r"<ins>(.*?)</ins>", new, re.S)]
    assert removed == ["Removed: kelurahan tanpa antre di kantor dinas."]
    assert added == ["Added: kelurahan, selesai dalam tiga hari."]
    assert not any("akta kelahiran" in part for part in removed + added)

    _, old, new = changes[1]  # a choice shows its label, not its stored key
    assert text(old) == "Removed: Implemented" and "<del>" in old
    assert text(new) == "Added: Trial" and "<ins>" in new

    # Everything else, including the background sent unchanged, is folded away, not listed as changed.
    details = re.search(r"<details><summary>(.*?)</summary>(.*?)</details>", html, re.S)
    assert text(details.group(1)) == f"{len(innovation.EDITABLE_FIELDS) - 2} unchanged fields"
    assert "Background and goals" in details.group(2) and COMPLETE["background"] in details.group(2)
    assert "Summary" not in text(details.group(2))
    assert "Background and goals" not in [heading for heading, _, _ in changes]


def test_changed_awards_and_evidence_are_listed_and_an_empty_value_is_named(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    Award.objects.create(innovation=innovation, program="kipp", year=2022, rank="top99")
    kept = make_evidence(innovation, title="Foto layanan")
    dropped = make_evidence(innovation, title="SK tim inovasi")
    revision = make_revision(
        innovation,
        by=world.staff_pekanbaru,
        status="submitted",
        website="https://pekanbaru.go.id/akta",
        awards=[{"program": "kipp", "year": 2023, "rank": "top45", "title": ""}],
    )
    revision.removed_evidence = [dropped.pk]
    revision.save(update_fields=["removed_evidence"])
    make_evidence(innovation, revision=revision, title="Foto loket baru")
    _, html = review_page(client, world, innovation)

    changes = {heading: (old, new) for heading, old, new in blocks(html)}
    assert list(changes) == ["Website", "Awards", "Evidence"]
    old, new = changes["Website"]
    assert text(old) == "(empty)" and text(new) == "Added: https://pekanbaru.go.id/akta"
    old, new = changes["Awards"]
    assert "<del>" in old and "2022" in text(old) and "2023" not in text(old)
    assert "<ins>" in new and "2023" in text(new) and "2022" not in text(new)
    old, new = changes["Evidence"]
    assert re.findall(r"<li>(.*?)</li>", old) == [
        kept.title,
        '<del><span class="visually-hidden">Removed: </span>SK tim inovasi</del>',
    ]
    assert re.findall(r"<li>(.*?)</li>", new) == [
        kept.title,
        '<ins><span class="visually-hidden">Added: </span>Foto loket baru</ins>',
    ]


def test_an_edit_that_changes_nothing_says_so(world, client):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    make_revision(innovation, by=world.staff_pekanbaru, status="submitted", summary=COMPLETE["summary"])
    _, html = review_page(client, world, innovation)
    assert "proposed-change" not in html
    assert "The proposed edit changes nothing in the published record." in html
