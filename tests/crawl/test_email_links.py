"""The email check of tests/conftest.py (tests/mailcheck.py): what it accepts and what it reports."""

from django.core.mail import EmailMultiAlternatives

from tests.mailcheck import check_outbox, links_in


def message(body, to, html=None, subject="Subjek"):
    email = EmailMultiAlternatives(subject, body, "noreply@jipp.example.id", to)
    if html is not None:
        email.attach_alternative(html, "text/html")
    return email


def test_relative_and_bare_path_links_are_found():
    absolute, relative = links_in(
        "Buka permintaan: /replikasi/ruang-kerja/10/\nStatus: 2/3 dan/atau (/data/)."
    )
    assert absolute == [] and relative == ["/replikasi/ruang-kerja/10/", "/data/"]
    absolute, relative = links_in('<p><a href="/ruang-kerja/">buka</a> http://x.example/a.</p>', html=True)
    assert absolute == ["http://x.example/a"] and relative == ["/ruang-kerja/"]


def test_each_link_must_be_absolute_on_the_site_and_open_for_its_recipient(world, settings):
    settings.JIPP_SITE_URL = "https://jipp.example.id"
    site = settings.JIPP_SITE_URL
    staff = world.staff_pekanbaru.email
    outbox = [
        message(f"Ruang kerja: {site}/ruang-kerja/\nData: {site}/data/", [staff]),  # fine
        message("Buka permintaan: /replikasi/ruang-kerja/10/", [staff], subject="Relatif"),
        message("Lihat http://127.0.0.1:8000/ruang-kerja/", [staff], subject="Host lain"),
        message(f"Pemantauan: {site}/pemantauan/", [staff], subject="Terlarang"),
        message(f"Ruang kerja: {site}/ruang-kerja/", ["nobody@example.id"], subject="Tanpa akun"),
        message("teks", [staff], html='<a href="/ruang-kerja/">buka</a>', subject="HTML"),
    ]
    problems = check_outbox(outbox, test_id="t")
    assert problems == [
        "t: email 'Relatif' to staff_pekanbaru@example.id: /replikasi/ruang-kerja/10/ is not an absolute URL",
        "t: email 'Host lain' to staff_pekanbaru@example.id: http://127.0.0.1:8000/ruang-kerja/ is not on "
        "the site URL https://jipp.example.id",
        "t: email 'Terlarang' to staff_pekanbaru@example.id: https://jipp.example.id/pemantauan/ answers 403 "
        "for its recipient (staff_pekanbaru)",
        "t: email 'Tanpa akun' to nobody@example.id: https://jipp.example.id/ruang-kerja/ ends on the "
        "sign-in page (/akun/masuk/?next=/ruang-kerja/) for its recipient (an anonymous visitor)",
        "t: email 'HTML' to staff_pekanbaru@example.id: /ruang-kerja/ is not an absolute URL",
    ]
    # Without database access (a test that does not use it) only the addresses are checked.
    assert check_outbox(outbox[3:4], test_id="t", fetch=False) == []
