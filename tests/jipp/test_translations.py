"""Every interface string is translatable and the Indonesian catalog is complete and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def test_indonesian_catalog_has_no_untranslated_or_fuzzy_entries():
    catalog = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_compiled_catalog_matches_the_source_catalog():
    source = {_key(e): (e.msgstr, dict(e.msgstr_plural)) for e in polib.pofile(str(PO)) if e.translated()}
    compiled = {_key(e): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(MO)) if e.msgid}
    assert compiled == source, "run `make messages` (or msgfmt) to recompile locale/id/LC_MESSAGES/django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalog_holds_every_string_marked_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the sources and compare with the committed catalog."""
    for name in [
        "jipp",
        "innovations",
        "replication",
        "hubs",
        "following",
        "templates",
        "locale",
        "manage.py",
    ]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    # A dummy URL: makemessages never connects, and no embedded server is started for the copy.
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "jipp.settings",
        "DATABASE_URL": "postgres://x@localhost/x",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = {_key(e) for e in polib.pofile(str(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"))}
    committed = {_key(e) for e in polib.pofile(str(PO))}
    missing = sorted(fresh - committed)
    assert not missing, f"strings not in the catalog (run `make messages`): {missing[:20]}"
