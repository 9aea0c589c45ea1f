import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from jipp.models import Agency, AuditEntry, Hub, Membership, Province, Regency


@pytest.mark.django_db
def test_load_regions_loads_38_provinces_and_514_regencies_and_is_idempotent():
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    riau = Province.objects.get(code="14")
    assert riau.name == "Riau"
    assert riau.regencies.count() == 12
    pekanbaru = Regency.objects.get(code="14.71")
    assert (pekanbaru.name, pekanbaru.kind, pekanbaru.province_id) == ("Kota Pekanbaru", "kota", riau.pk)
    assert Regency.objects.get(code="14.08").kind == "kabupaten"
    assert Regency.objects.filter(kind="kota").count() == 98

    before = list(Regency.objects.order_by("code").values_list("id", "code", "name", "kind", "province_id"))
    from io import StringIO

    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "(0 created, 0 updated)" in out.getvalue()
    assert (
        list(Regency.objects.order_by("code").values_list("id", "code", "name", "kind", "province_id"))
        == before
    )


@pytest.mark.django_db
def test_load_regions_repairs_a_changed_name():
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Regency.objects.filter(code="14.71").update(name="Pekanbaru (old)")
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Regency.objects.get(code="14.71").name == "Kota Pekanbaru"


def test_a_second_hub_for_the_same_province_is_refused(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Hub.objects.create(province=world.riau, name="Another", slug="another", year_designated=2022)


def test_province_code_must_be_two_digits(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Province.objects.create(code="1A", name="Bad", slug="bad")


def test_regency_agency_needs_a_regency_and_province_agency_must_not_have_one(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="X", slug="x", level="regency", province=world.riau)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(
            name="Y", slug="y", level="province", province=world.riau, regency=world.pekanbaru_city
        )


def test_membership_scope_must_match_role(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.outsider, role="staff", hub=world.hub_riau)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.outsider, role="officer", agency=world.pekanbaru)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.staff_pekanbaru, role="staff", agency=world.pekanbaru)


def test_audit_entries_are_append_only_in_the_database(world):
    entry = AuditEntry.record(world.pekanbaru, actor=world.admin, action="test", to_state="x")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():  # noqa: B017
        with connection.cursor() as cursor:
            cursor.execute("UPDATE jipp_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    with pytest.raises(Exception, match="append-only"), transaction.atomic():  # noqa: B017
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM jipp_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test"


def test_database_has_the_search_extensions_and_indonesian_config(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'unaccent') ORDER BY 1")
        assert [row[0] for row in cursor.fetchall()] == ["pg_trgm", "unaccent"]
        cursor.execute("SELECT to_tsvector('indonesian', 'pelayanan') @@ to_tsquery('indonesian', 'layanan')")
        assert cursor.fetchone()[0] is True
