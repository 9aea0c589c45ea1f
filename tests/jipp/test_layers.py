"""The import rule between apps (jipp/layers.py), which `make lint` also runs."""

from jipp import layers


def test_no_app_imports_an_app_above_it():
    assert list(layers.violations()) == []


def test_an_upward_import_inside_a_function_is_found(tmp_path, monkeypatch):
    (tmp_path / "jipp").mkdir()
    (tmp_path / "jipp" / "__init__.py").write_text("")
    (tmp_path / "jipp" / "core.py").write_text("def f():\n    from hubs.rules import can_monitor\n")
    for app in ("innovations", "replication", "hubs"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "hubs" / "views.py").write_text("from innovations.models import Innovation\n")
    monkeypatch.setattr(layers, "ROOT", tmp_path)
    found = list(layers.violations())
    assert found == ["jipp/core.py:2: jipp imports hubs.rules.can_monitor from hubs, an app above it"]


def test_every_installed_project_app_has_a_layer(settings):
    ours = [
        app
        for app in settings.INSTALLED_APPS
        if app.split(".")[0] in {"jipp", "innovations", "replication", "hubs", "following"}
    ]
    assert ours == layers.LAYERS
