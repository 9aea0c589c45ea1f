"""The agency directory: load_agencies, the government tree, proposed units decided with access
requests, renames and merges (nothing orphaned, old addresses redirect), coverage per government."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext

from following.models import Follow
from innovations.models import DuplicateFlag, ImportRun, Innovation, InnovationTally
from jipp import directory
from jipp.accounts import services as account_services
from jipp.accounts.models import AccessRequest
from jipp.accounts.views import _agency_matches
from jipp.errors import Conflict
from jipp.management.commands.load_agencies import central_agencies
from jipp.models import Agency, AgencyRedirect, AuditEntry, Membership, Province, Regency
from replication.models import ReplicationRequest
from tests.conftest import make_user
from tests.replication.factories import make_innovation, make_request


def _load(**kwargs):
    out = StringIO()
    call_command("load_agencies", stdout=out, **kwargs)
    return out.getvalue()


# --- load_agencies -------------------------------------------------------------------------------------


@pytest.fixture
def regions(db):
    call_command("load_regions", stdout=StringIO())


def test_load_agencies_creates_every_government_and_ministry_once(regions):
    central = len(central_agencies())
    assert central >= 70  # the data file really holds the cabinet's ministries and the main agencies

    first = _load()
    governments = Agency.objects.governments().listed()
    assert governments.filter(level="province").count() == 38
    assert governments.filter(level="regency").count() == 514
    assert governments.filter(level="central").count() == central
    assert f"({38 + 514 + central} created" in first

    second = _load()
    assert "nothing to do" in second
    assert Agency.objects.count() == 38 + 514 + central
    assert f"38 province governments, 514 regency and city governments, {central} central" in second


def test_government_names_follow_the_kind_of_region(regions):
    _load()
    names = set(Agency.objects.governments().values_list("name", flat=True))
    assert {
        "Pemerintah Provinsi Riau",
        "Pemerintah Kota Pekanbaru",
        "Pemerintah Kabupaten Siak",
        "Pemerintah Aceh",
        "Pemerintah Kota Administrasi Jakarta Pusat",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        "Badan Riset dan Inovasi Nasional",
    } <= names
    pekanbaru = Agency.objects.get(directory_key="regency:14.71")
    assert pekanbaru.regency.code == "14.71" and pekanbaru.level == "regency"
    assert pekanbaru.slug == "pemerintah-kota-pekanbaru"


def test_load_agencies_adopts_a_hand_made_government_and_never_collides_with_a_slug(regions):
    riau = Province.objects.get(code="14")
    siak = Regency.objects.get(code="14.08")
    hand_made = Agency.objects.create(
        name="Pemerintah Kabupaten Siak", slug="pemkab-siak", level="regency", province=riau, regency=siak
    )
    squatter = Agency.objects.create(
        name="Kantor lain", slug="pemerintah-provinsi-riau", level="province", province=riau
    )
    _load()
    hand_made.refresh_from_db()
    assert hand_made.is_government and hand_made.directory_key == "regency:14.08"
    assert Agency.objects.filter(regency=siak, is_government=True).count() == 1
    riau_government = Agency.objects.get(directory_key="province:14")
    assert riau_government.slug == "pemerintah-provinsi-riau-2" and riau_government != squatter
    assert "nothing to do" in _load()


def test_a_renamed_or_merged_ministry_is_not_created_again(regions):
    _load()
    ministry = make_user("kementerian")
    Membership.objects.create(user=ministry, role="ministry")
    panrb = Agency.objects.get(name="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi")
    directory.rename_agency(agency_id=panrb.pk, name="Kementerian PANRB", by=ministry)
    brin = Agency.objects.get(name="Badan Riset dan Inovasi Nasional")
    copy = Agency.objects.create(
        name="BRIN", slug="brin", level="central", province=brin.province, is_government=True
    )
    directory.merge_agencies(duplicate_id=brin.pk, kept_id=copy.pk, by=ministry)
    assert Agency.objects.get(pk=copy.pk).directory_key == brin.directory_key
    assert "nothing to do" in _load()


# --- The tree ------------------------------------------------------------------------------------------


@pytest.fixture
def governments(world):
    make = Agency.objects.create
    return {
        "pekanbaru": make(
            name="Pemerintah Kota Pekanbaru",
            slug="pemerintah-kota-pekanbaru",
            level="regency",
            province=world.riau,
            regency=world.pekanbaru_city,
            is_government=True,
        ),
        "siak": make(
            name="Pemerintah Kabupaten Siak",
            slug="pemerintah-kabupaten-siak",
            level="regency",
            province=world.riau,
            regency=world.siak_regency,
            is_government=True,
        ),
        "denpasar": make(
            name="Pemerintah Kota Denpasar",
            slug="pemerintah-kota-denpasar",
            level="regency",
            province=world.bali,
            regency=world.denpasar_city,
            is_government=True,
        ),
    }


def _refused(**changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=changes.pop("pk")).update(**changes)


def test_a_unit_belongs_only_to_the_government_of_its_own_region(world, governments):
    world.pekanbaru.parent = governments["pekanbaru"]
    world.pekanbaru.full_clean()
    world.pekanbaru.save()
    _refused(pk=world.siak.pk, parent=governments["pekanbaru"])  # another regency's government
    _refused(pk=world.siak.pk, parent=world.pekanbaru)  # a unit, not a government
    _refused(pk=world.pekanbaru.pk, parent=world.pekanbaru)  # itself
    _refused(pk=governments["siak"].pk, parent=governments["pekanbaru"])  # a government has no parent
    _refused(pk=governments["pekanbaru"].pk, is_government=False)  # it heads a unit
    world.siak.parent = governments["pekanbaru"]
    with pytest.raises(ValidationError):
        world.siak.full_clean()


def test_one_active_government_per_region(world, governments):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(
            name="Pemkot Pekanbaru",
            slug="pemkot",
            level="regency",
            province=world.riau,
            regency=world.pekanbaru_city,
            is_government=True,
        )


# --- Proposed units ------------------------------------------------------------------------------------


def _register(client, user, **data):
    client.force_login(user)
    return client.post(reverse("register"), {"position": "Staf", "message": "", **data})


def test_a_person_proposes_a_missing_unit_and_nobody_else_sees_it(world, governments, client):
    person = make_user("rina")
    response = _register(
        client, person, agency=governments["pekanbaru"].pk, new_unit_name="  UPT Puskesmas  Rejosari "
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get(user=person)
    unit = request.agency
    assert (unit.name, unit.status, unit.parent) == (
        "UPT Puskesmas Rejosari",
        "proposed",
        governments["pekanbaru"],
    )
    assert (unit.level, unit.province, unit.regency) == ("regency", world.riau, world.pekanbaru_city)
    assert AuditEntry.for_object(unit).get().action == "propose"

    # Not in public pages, search facets or anybody's picker.
    assert unit not in _agency_matches("Rejosari")
    client.logout()
    assert client.get(reverse("innovations:agency_detail", kwargs={"slug": unit.slug})).status_code == 404
    assert client.get(reverse("innovations:list"), {"agency": unit.slug}).status_code in (200, 400)
    assert unit.slug not in client.get(reverse("innovations:list")).content.decode()
    other = make_user("other")
    response = _register(client, other, agency=unit.pk)
    assert response.status_code == 400
    # The officer deciding it sees it.
    client.force_login(world.officer_riau)
    page = client.get(reverse("access_request_detail", args=[request.pk]))
    assert (
        "UPT Puskesmas Rejosari" in page.content.decode()
        and "Pemerintah Kota Pekanbaru" in page.content.decode()
    )


def test_a_unit_is_proposed_under_a_government_only(world, governments, client):
    response = _register(client, make_user("rina"), agency=world.siak.pk, new_unit_name="Bidang Baru")
    assert response.status_code == 400
    assert not AccessRequest.objects.exists()
    # A unit already listed in the region (whatever the case of its letters) is chosen, not proposed.
    response = _register(
        client,
        make_user("budi"),
        agency=governments["pekanbaru"].pk,
        new_unit_name="disdukcapil kota pekanbaru",
    )
    assert response.status_code == 400
    assert "sudah ada di daftar" in response.content.decode()
    # Another person's pending proposal stays private: proposing the same name is not refused by it.
    for username in ("eko", "sari"):
        response = _register(
            client, make_user(username), agency=governments["pekanbaru"].pk, new_unit_name="Bidang Baru"
        )
        assert response.status_code == 302
    assert Agency.objects.filter(name="Bidang Baru", status="proposed").count() == 2


def test_approving_the_request_approves_the_unit_under_the_officers_name(world, governments, client):
    person = make_user("rina")
    request = account_services.request_access(
        user=person, agency=governments["pekanbaru"], new_unit_name="Puskesmas Rejosari", position="Staf"
    )
    client.force_login(world.officer_riau)
    response = client.post(
        reverse("access_request_detail", args=[request.pk]),
        {"decision": "approve", "unit_name": "UPT Puskesmas Rejosari", "note": ""},
    )
    assert response.status_code == 302
    unit = Agency.objects.get(pk=request.agency_id)
    assert (unit.status, unit.name, unit.slug) == (
        "active",
        "UPT Puskesmas Rejosari",
        "upt-puskesmas-rejosari",
    )
    assert Membership.objects.get(user=person).agency == unit
    assert [e.action for e in AuditEntry.for_object(unit)] == ["approve_proposal", "propose"]
    assert unit in _agency_matches("Rejosari")


def test_declining_the_request_rejects_the_unit(world, governments):
    request = account_services.request_access(
        user=make_user("rina"),
        agency=governments["pekanbaru"],
        new_unit_name="Puskesmas Rejosari",
        position="Staf",
    )
    account_services.decide_access_request(
        access_request_id=request.pk, by=world.officer_riau, approve=False, note="Sudah ada: Dinkes."
    )
    unit = Agency.objects.get(pk=request.agency_id)
    assert unit.status == "rejected"
    assert AuditEntry.for_object(unit).first().action == "reject_proposal"
    assert unit not in _agency_matches("Rejosari")


def test_officer_of_another_hub_cannot_decide_the_unit(world, governments, client):
    request = account_services.request_access(
        user=make_user("rina"),
        agency=governments["pekanbaru"],
        new_unit_name="Puskesmas Rejosari",
        position="Staf",
    )
    client.force_login(world.officer_bali)
    response = client.post(reverse("access_request_detail", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert Agency.objects.get(pk=request.agency_id).status == "proposed"


# --- Rename --------------------------------------------------------------------------------------------


def test_officer_renames_an_agency_and_the_old_address_redirects(world, client):
    innovation = make_innovation(world.pekanbaru, name="Akta Kilat")
    client.force_login(world.officer_riau)
    response = client.post(
        reverse("agency_manage", args=[world.pekanbaru.pk]), {"name": "Dinas Dukcapil Kota Pekanbaru"}
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=world.pekanbaru.pk)
    assert (agency.name, agency.slug) == ("Dinas Dukcapil Kota Pekanbaru", "dinas-dukcapil-kota-pekanbaru")
    assert (
        AuditEntry.for_object(agency).get().comment
        == "Disdukcapil Kota Pekanbaru → Dinas Dukcapil Kota Pekanbaru"
    )
    old = client.get(reverse("innovations:agency_detail", kwargs={"slug": "disdukcapil-pekanbaru"}))
    assert old.status_code == 301 and old["Location"] == agency.get_absolute_url()
    # The search trigger rewrote the record with the new agency name.
    assert Innovation.objects.filter(pk=innovation.pk, search_vector="dukcapil").exists()
    # Renaming back takes the old address back.
    directory.rename_agency(agency_id=agency.pk, name="Disdukcapil Kota Pekanbaru", by=world.officer_riau)
    agency.refresh_from_db()
    assert agency.slug == "disdukcapil-kota-pekanbaru"
    for slug in ("disdukcapil-pekanbaru", "dinas-dukcapil-kota-pekanbaru"):
        response = client.get(reverse("innovations:agency_detail", kwargs={"slug": slug}))
        assert response.status_code == 301 and response["Location"] == agency.get_absolute_url()
    # Back to the first name: its address is the agency's own again, not a redirect.
    directory.rename_agency(agency_id=agency.pk, name="Dinas Dukcapil Kota Pekanbaru", by=world.officer_riau)
    agency.refresh_from_db()
    assert agency.slug == "dinas-dukcapil-kota-pekanbaru"
    assert not AgencyRedirect.objects.filter(old_slug=agency.slug).exists()
    assert client.get(agency.get_absolute_url()).status_code == 200


def test_rename_refuses_the_name_of_another_agency_of_the_region(world, client):
    Agency.objects.create(
        name="Dinas Kesehatan Kota Pekanbaru",
        slug="dinkes",
        level="regency",
        province=world.riau,
        regency=world.pekanbaru_city,
    )
    client.force_login(world.officer_riau)
    response = client.post(
        reverse("agency_manage", args=[world.pekanbaru.pk]), {"name": "dinas kesehatan kota pekanbaru"}
    )
    assert response.status_code == 400
    assert "gabungkan keduanya" in response.content.decode()


def test_officers_correct_only_their_province_and_staff_none(world):
    with pytest.raises(PermissionDenied):
        directory.rename_agency(agency_id=world.pekanbaru.pk, name="X", by=world.officer_bali)
    with pytest.raises(PermissionDenied):
        directory.rename_agency(agency_id=world.pekanbaru.pk, name="X", by=world.staff_pekanbaru)
    assert set(directory.agencies_managed_by(world.officer_riau)) == {world.pekanbaru, world.siak}
    assert set(directory.agencies_managed_by(world.ministry)) == {world.pekanbaru, world.siak, world.denpasar}


# --- Merge ---------------------------------------------------------------------------------------------


def _references():
    """Every foreign key to Agency, found here independently of the code under test."""
    found = []
    for model in __import__("django.apps").apps.apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.many_to_one and field.related_model is Agency:
                found.append((model, field.name))
            if field.concrete and field.is_relation and field.one_to_one and field.related_model is Agency:
                found.append((model, field.name))
    return found


def test_merge_moves_every_reference_to_the_kept_agency(world, client):
    """One row of every kind that can point to an agency points to the duplicate; after the merge none
    does. A foreign key added later fails here until this test gives it a row too."""
    make = Agency.objects.create
    duplicate = make(
        name="Kementerian Contoh",
        slug="kemen-contoh",
        level="central",
        province=world.riau,
        is_government=True,
    )
    kept = make(
        name="Kementerian Contoh Sentosa",
        slug="kemen-contoh-ri",
        level="central",
        province=world.riau,
        is_government=True,
    )
    older = make(
        name="Kemen Contoh", slug="kemen-lama", level="central", province=world.riau, is_government=True
    )
    unit = make(
        name="Direktorat Contoh", slug="dit-contoh", level="central", province=world.riau, parent=duplicate
    )
    directory.merge_agencies(
        duplicate_id=older.pk, kept_id=duplicate.pk, by=world.ministry
    )  # merged_into, redirect
    staff = make_user("staf.kementerian")
    Membership.objects.create(user=staff, role="staff", agency=duplicate)
    Membership.objects.create(
        user=world.staff_pekanbaru, role="staff", agency=duplicate
    )  # also kept's staff below
    Membership.objects.create(user=world.staff_pekanbaru, role="staff", agency=kept)
    own = make_innovation(duplicate, name="Layanan Contoh")  # origin side of replications
    AccessRequest.objects.create(user=make_user("calon"), agency=duplicate, position="Staf")
    source = make_innovation(world.denpasar, name="Akta Bali")
    replication = make_request(source, duplicate, staff)  # requesting side
    incoming = make_request(own, world.pekanbaru, world.staff_pekanbaru)  # origin side
    run = ImportRun.objects.create(
        created_by=world.ministry, file="impor/contoh.csv", original_name="contoh.csv"
    )
    DuplicateFlag.objects.create(  # a likely duplicate held by an import, waiting for a person
        import_run=run,
        existing=own,
        agency=duplicate,
        row_number=2,
        name="Layanan Contoh",
        source="sinovik",
        source_key="sinovik",
        source_id="2025-001",
        similarity=0.9,
    )

    Follow.objects.create(user=staff, kind="agency", agency=duplicate)  # moved to the kept agency
    Follow.objects.create(user=world.officer_riau, kind="agency", agency=duplicate)  # follows both:
    Follow.objects.create(user=world.officer_riau, kind="agency", agency=kept)  # combined into one

    references = _references()
    assert {(m._meta.label, f) for m, f in references} == {
        (m._meta.label, f) for m, f in directory.references_to_agency()
    }, "the merge must see every foreign key to Agency"
    before = {(m._meta.label, f): m._base_manager.filter(**{f: duplicate}).count() for m, f in references}
    assert all(before.values()), f"give the duplicate a row of each kind: {before}"

    moved = directory.merge_agencies(
        duplicate_id=duplicate.pk, kept_id=kept.pk, by=world.ministry, comment="Sama"
    )

    after = {(m._meta.label, f): m._base_manager.filter(**{f: duplicate}).count() for m, f in references}
    assert not any(after.values()), f"left pointing to the duplicate: {after}"
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", kept)
    assert Agency.objects.get(pk=older.pk).merged_into == kept
    assert Agency.objects.get(pk=unit.pk).parent == kept
    assert ReplicationRequest.objects.get(pk=replication.pk).requesting_agency == kept
    assert ReplicationRequest.objects.get(pk=incoming.pk).source.agency == kept
    assert Membership.objects.filter(user=world.staff_pekanbaru, agency=kept).count() == 1
    assert Membership.objects.get(user=staff).agency == kept
    assert moved[gettext("memberships combined")] == 1
    assert moved[gettext("follows combined")] == 1
    assert sorted(Follow.objects.filter(agency=kept).values_list("user__username", flat=True)) == [
        "officer_riau",
        "staf.kementerian",
    ]
    # The search trigger rewrote the moved record with the kept agency's name.
    assert (
        Innovation.objects.filter(pk=own.pk, search_vector="RI").exists()
        or Innovation.objects.get(pk=own.pk).search_vector
    )
    # History: the kept agency's page reads both agencies' trails.
    actions = [e.action for e in directory.history_of(kept)]
    assert "merge" in actions and "merged_into" in actions
    # Old addresses (the duplicate's and the one merged into it before) lead to the kept agency.
    for slug in ("kemen-contoh", "kemen-lama"):
        response = client.get(reverse("innovations:agency_detail", kwargs={"slug": slug}))
        assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()
    assert set(AgencyRedirect.objects.values_list("old_slug", flat=True)) == {"kemen-contoh", "kemen-lama"}


def test_merge_keeps_published_tallies_and_the_province(world, client):
    duplicate = Agency.objects.create(
        name="Dukcapil Pekanbaru",
        slug="dukcapil-pku",
        level="regency",
        province=world.riau,
        regency=world.pekanbaru_city,
    )
    make_innovation(duplicate, name="Akta Kilat")
    counts = sorted(InnovationTally.objects.values_list("dimension", "key", "count"))
    directory.merge_agencies(duplicate_id=duplicate.pk, kept_id=world.pekanbaru.pk, by=world.officer_riau)
    assert sorted(InnovationTally.objects.values_list("dimension", "key", "count")) == counts
    assert Innovation.objects.get(name="Akta Kilat").agency == world.pekanbaru


def test_merge_refuses_what_cannot_be_combined_and_changes_nothing(world):
    duplicate = Agency.objects.create(
        name="Dukcapil Pekanbaru",
        slug="dukcapil-pku",
        level="regency",
        province=world.riau,
        regency=world.pekanbaru_city,
    )
    staff = make_user("staf.dukcapil")
    Membership.objects.create(user=staff, role="staff", agency=duplicate)
    source = make_innovation(world.denpasar, name="Akta Bali")
    make_request(source, duplicate, staff)
    make_request(source, world.pekanbaru, world.staff_pekanbaru)
    with pytest.raises(ValidationError):
        directory.merge_agencies(duplicate_id=duplicate.pk, kept_id=world.pekanbaru.pk, by=world.officer_riau)
    assert Agency.objects.get(pk=duplicate.pk).status == "active"
    assert Membership.objects.get(user=staff).agency == duplicate
    # Other regions, the same agency twice, an already merged one.
    with pytest.raises(ValidationError):
        directory.merge_agencies(
            duplicate_id=world.siak.pk, kept_id=world.pekanbaru.pk, by=world.officer_riau
        )
    with pytest.raises(ValidationError):
        directory.merge_agencies(duplicate_id=world.siak.pk, kept_id=world.siak.pk, by=world.officer_riau)
    with pytest.raises(PermissionDenied):
        directory.merge_agencies(duplicate_id=duplicate.pk, kept_id=world.pekanbaru.pk, by=world.officer_bali)


def test_merge_page_shows_what_moves_then_merges(world, client, django_assert_max_num_queries):
    duplicate = Agency.objects.create(
        name="Dukcapil Pekanbaru",
        slug="dukcapil-pku",
        level="regency",
        province=world.riau,
        regency=world.pekanbaru_city,
    )
    make_innovation(duplicate, name="Akta Kilat")
    client.force_login(world.officer_riau)
    url = reverse("agency_merge", args=[duplicate.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Disdukcapil Kota Pekanbaru" in page.content.decode()
    with django_assert_max_num_queries(20):
        preview = client.get(url, {"kept": world.pekanbaru.pk})
    assert "Akta" not in preview.content.decode() and ": 1" in preview.content.decode()
    assert client.get(url, {"kept": world.siak.pk}).status_code == 400  # another regency: not offered
    assert client.post(url, {"kept": world.pekanbaru.pk}).status_code == 400  # not confirmed
    response = client.post(url, {"kept": world.pekanbaru.pk, "confirm": "1", "comment": "Duplikat"})
    assert response.status_code == 302
    assert Agency.objects.get(pk=duplicate.pk).status == "merged"
    assert (
        client.post(url, {"kept": world.pekanbaru.pk, "confirm": "1"}).status_code == 404
    )  # gone from the list
    with pytest.raises(Conflict):
        directory.merge_agencies(duplicate_id=duplicate.pk, kept_id=world.pekanbaru.pk, by=world.officer_riau)


def test_directory_page_lists_the_officers_agencies_with_constant_queries(
    world, client, django_assert_max_num_queries
):
    for n in range(30):
        Agency.objects.create(name=f"UPT {n}", slug=f"upt-{n}", level="province", province=world.riau)
    client.force_login(world.officer_riau)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("agency_directory"))
    text = page.content.decode()
    assert "UPT 7" in text and "Disdukcapil Kota Denpasar" not in text
    assert client.get(reverse("agency_directory"), {"q": "siak", "page": "x"}).status_code == 200


# --- Coverage per government ---------------------------------------------------------------------------


def test_coverage_page_reads_each_government_with_its_units(
    world, governments, client, django_assert_max_num_queries
):
    Agency.objects.filter(pk__in=[world.pekanbaru.pk]).update(parent=governments["pekanbaru"])
    Agency.objects.create(
        name="Dinas Kesehatan Kota Pekanbaru",
        slug="dinkes-pku",
        level="regency",
        province=world.riau,
        regency=world.pekanbaru_city,
        parent=governments["pekanbaru"],
    )
    make_innovation(world.pekanbaru, name="Akta Kilat")
    url = reverse("coverage_province", kwargs={"slug": "riau"})
    client.get(url)
    with django_assert_max_num_queries(4):
        page = client.get(url)
    text = page.content.decode()
    assert "Pemerintah Kota Pekanbaru" in text and "Cakupan menurut pemerintah daerah" in text
    csv = client.get(url, {"csv": "governments"}).content.decode()
    rows = {line.split(",")[0]: line for line in csv.splitlines()}
    assert rows["Pemerintah Kota Pekanbaru"].split(",")[1:3] == ["3", "1"]  # the government and its two units
    assert rows["Pemerintah Kabupaten Siak"].split(",")[1:3] == ["1", "0"]


def test_requests_for_a_central_ministry_go_to_the_ministry_not_to_the_hub_of_its_seat(world):
    ministry_agency = Agency.objects.create(
        name="Kementerian Contoh",
        slug="kemen-contoh",
        level="central",
        province=world.riau,
        is_government=True,
    )
    request = account_services.request_access(
        user=make_user("rina"), agency=ministry_agency, position="Analis"
    )
    with pytest.raises(PermissionDenied):
        account_services.decide_access_request(
            access_request_id=request.pk, by=world.officer_riau, approve=True
        )
    account_services.decide_access_request(access_request_id=request.pk, by=world.ministry, approve=True)
    assert AccessRequest.objects.get(pk=request.pk).status == "approved"
    # Nor do Riau's officers rename or merge central agencies.
    assert ministry_agency not in directory.agencies_managed_by(world.officer_riau)


def test_load_agencies_needs_the_regions_first(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _load()


def test_the_hub_hears_of_the_proposed_unit_in_the_request_email(
    world, governments, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.request_access(
            user=make_user("rina"),
            agency=governments["pekanbaru"],
            new_unit_name="Puskesmas Rejosari",
            position="Staf",
        )
    (message,) = [m for m in mailoutbox if world.officer_riau.email in m.to]
    assert "Puskesmas Rejosari" in message.subject
    assert "Pemerintah Kota Pekanbaru" in message.body


def test_sign_up_with_a_unit_that_is_already_listed_is_refused_with_a_message(world, governments, client):
    Agency.objects.filter(pk=world.pekanbaru.pk).update(parent=governments["pekanbaru"])
    data = {
        "agency": governments["pekanbaru"].pk,
        "new_unit_name": "Disdukcapil Kota Pekanbaru",
        "position": "Analis",
        "first_name": "Rina",
        "last_name": "Wati",
        "email": "rina@example.id",
        "password1": "sangat-rahasia-2026",
        "password2": "sangat-rahasia-2026",
    }
    response = client.post(reverse("register"), data)
    assert response.status_code == 400
    assert "sudah ada di daftar" in response.content.decode()
    assert not AccessRequest.objects.exists()
    data["new_unit_name"] = "UPT Puskesmas Rejosari"
    assert client.post(reverse("register"), data).status_code == 302
    request = AccessRequest.objects.get(user__email="rina@example.id")
    assert request.agency.status == "proposed" and not request.user.is_active
