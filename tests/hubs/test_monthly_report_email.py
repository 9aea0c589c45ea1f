"""The monthly hub report by email (hubs.tasks.send_monthly_reports): on the 1st, last month's report to
each hub's officers and a summary to the ministry, in the recipient's language, once."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from hubs import services
from hubs.models import MonthlyReportDelivery
from hubs.tasks import send_monthly_reports
from jipp.models import Hub, Membership
from tests.conftest import make_user
from tests.hubs.conftest import make_innovation

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _first_of_month_morning(year=2026, month=11):
    return datetime.datetime(year, month, 1, 8, 0, tzinfo=JAKARTA)


@pytest.fixture
def october_activity(world):
    """An innovation of Pekanbaru submitted and published in October 2026."""
    at = datetime.datetime(2026, 10, 10, 10, 0, tzinfo=JAKARTA)
    return make_innovation(world.pekanbaru, submitted_at=at, published_at=at)


def _by_recipient(mailoutbox):
    return {message.to[0]: message for message in mailoutbox}


def test_officers_and_the_ministry_get_last_months_report_once(
    world, october_activity, mailoutbox, django_capture_on_commit_callbacks
):
    now = _first_of_month_morning()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_monthly_reports(now=now) == 3
    mail = _by_recipient(mailoutbox)
    assert set(mail) == {"officer_riau@example.id", "officer_bali@example.id", "ministry@example.id"}

    riau = mail["officer_riau@example.id"]
    assert "Hub JIPP Riau" in riau.subject and "October 2026" in riau.subject
    assert "Innovations published: 1" in riau.body
    assert "http://testserver/pemantauan/hub/riau/laporan/2026/10/" in riau.body or re.search(
        r"https?://\S+/pemantauan/hub/riau/laporan/2026/10/", riau.body
    )
    assert "Hub JIPP Bali" not in riau.body
    summary = mail["ministry@example.id"]
    assert "Hub JIPP Riau" in summary.body and "Hub JIPP Bali" in summary.body
    assert re.search(r"https?://\S+/pemantauan/hub/bali/laporan/2026/10/", summary.body)
    deliveries = MonthlyReportDelivery.objects.filter(month=datetime.date(2026, 10, 1))
    assert {(d.hub_id, d.recipients) for d in deliveries} == {
        (world.hub_riau.pk, 1),
        (world.hub_bali.pk, 1),
        (None, 1),
    }

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # The same day again, and every later day of the month: nothing more.
        for day in range(1, 30):
            assert services.send_monthly_reports(now=now + datetime.timedelta(days=day - 1, hours=1)) == 0
    assert mailoutbox == []


def test_a_missed_first_is_made_up_the_next_day_and_december_follows(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_monthly_reports(now=_first_of_month_morning() + datetime.timedelta(days=1)) == 3
        assert services.send_monthly_reports(now=_first_of_month_morning(2026, 12)) == 3
        assert services.send_monthly_reports(now=_first_of_month_morning(2027, 1)) == 3
    months = sorted({d.month for d in MonthlyReportDelivery.objects.all()})
    assert months == [datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)]


def test_inactive_hubs_get_none_and_a_new_officer_is_included(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    Hub.objects.filter(pk=world.hub_bali.pk).update(status=Hub.Status.INACTIVE)
    second = make_user("officer_riau_2")
    Membership.objects.create(user=second, role="officer", hub=world.hub_riau)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_monthly_reports(now=_first_of_month_morning())
    mail = _by_recipient(mailoutbox)
    assert set(mail) == {"officer_riau@example.id", "officer_riau_2@example.id", "ministry@example.id"}
    assert "Hub JIPP Bali" not in mail["ministry@example.id"].body


def test_written_in_the_recipients_language(world, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "id"
    with django_capture_on_commit_callbacks(execute=True):
        services.send_monthly_reports(now=_first_of_month_morning())
    riau = _by_recipient(mailoutbox)["officer_riau@example.id"]
    with translation.override("id"):
        assert "Oktober 2026" in riau.subject
    assert "Laporan bulanan" in riau.subject
    assert "Inovasi diterbitkan" in riau.body or "diterbitkan" in riau.body


def test_the_job_reads_its_tick_as_now(world, mailoutbox, django_capture_on_commit_callbacks):
    tick = int(_first_of_month_morning().timestamp())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_monthly_reports(timestamp=tick) == 3
        assert send_monthly_reports(timestamp=tick) == 0


def test_the_month_is_the_one_before_the_portals_local_date(world, django_capture_on_commit_callbacks):
    # 1 November 00:30 in Jakarta is still 31 October in UTC: the report is October's.
    now = datetime.datetime(2026, 11, 1, 0, 30, tzinfo=JAKARTA)
    assert timezone.localdate(now) == datetime.date(2026, 11, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_monthly_reports(now=now)
    assert set(MonthlyReportDelivery.objects.values_list("month", flat=True)) == {datetime.date(2026, 10, 1)}
