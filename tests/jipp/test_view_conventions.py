"""House conventions of the views, checked over the source: one decorator order, one conflict
exception, one POST-step pattern."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIEW_MODULES = sorted(
    path
    for pattern in ("jipp/**/*.py", "innovations/*.py", "replication/*.py", "hubs/*.py")
    for path in ROOT.glob(pattern)
    if "migrations" not in path.parts and "testing" not in path.parts
)
METHOD_DECORATORS = {"require_POST", "require_GET", "require_safe", "require_http_methods"}


def _name(decorator):
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_login_required_comes_before_the_method_check(path):
    """``@login_required`` outermost, then the allowed methods: a signed-out visitor is always sent to
    sign in first, whatever the method."""
    tree = ast.parse(path.read_text())
    wrong = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [_name(d) for d in node.decorator_list]
            if "login_required" in names and METHOD_DECORATORS & set(names):
                first_method = min(names.index(n) for n in METHOD_DECORATORS & set(names))
                if names.index("login_required") > first_method:
                    wrong.append(node.name)
    assert wrong == []


def test_one_conflict_exception():
    """Every 409 comes from ``jipp.errors.Conflict``: no module defines another exception for it."""
    others = []
    for path in VIEW_MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                _name(base) in ("Exception", "Conflict") for base in node.bases
            ):
                others.append(f"{path.relative_to(ROOT)}:{node.name}")
    # Not conflicts: a failed backup (a command's error), an import file that cannot be read (shown
    # on the upload form as its error), a message the mail server did not take (a job's error, retried
    # by the queue) and a duplicate replication request, which the request form
    # answers by linking to the open request.
    assert others == [
        "innovations/importing.py:FileRefused",
        "jipp/errors.py:Conflict",
        "jipp/notifications/delivery.py:DeliveryFailed",
        "jipp/ops/backup.py:BackupError",
        "replication/services.py:DuplicateRequest",
    ]


def test_one_409_template():
    templates = [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]
    with_409 = [p.name for p in templates if p.name in ("409.html", "conflict.html", "problem.html")]
    assert with_409 == ["409.html"]
