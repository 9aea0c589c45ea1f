"""The import rule between the portal's apps, checked by ``make lint`` (``python -m jipp.layers``).

Apps are layered bottom to top in this order; a module may import its own app and the apps below it,
never one above, at module level or inside a function. So no two apps import each other. The
composition root (settings, root URLs, WSGI/ASGI entry points) wires every app together and may
import any of them; nothing imports it. Tests, migrations and benchmarks are outside the rule.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top: the shared core, operations, notifications, accounts, the domain apps, following.
LAYERS = [
    "jipp",
    "jipp.ops",
    "jipp.notifications",
    "jipp.accounts",
    "innovations",
    "replication",
    "hubs",
    "following",
]
COMPOSITION_ROOT = {"jipp.settings", "jipp.urls", "jipp.api_urls", "jipp.wsgi", "jipp.asgi"}


def app_of(module: str) -> str | None:
    """The longest app name that ``module`` lies in (``jipp.ops.cache`` → ``jipp.ops``)."""
    matches = [app for app in LAYERS if module == app or module.startswith(app + ".")]
    return max(matches, key=len) if matches else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str):
    """Every module ``path`` imports (function-level imports included), with its line."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def sources():
    for top in {app.split(".")[0] for app in LAYERS}:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts or "testing" in path.parts:
                continue
            yield path


def violations():
    for path in sources():
        module = module_name(path)
        if module in COMPOSITION_ROOT:
            continue
        own = app_of(module)
        for target, line in imports_of(path, module):
            other = app_of(target)
            if other is None or other == own:
                continue
            if target.rpartition(".")[0] in COMPOSITION_ROOT or target in COMPOSITION_ROOT:
                yield f"{path.relative_to(ROOT)}:{line}: imports {target}, the composition root"
            elif LAYERS.index(other) > LAYERS.index(own):
                yield f"{path.relative_to(ROOT)}:{line}: {own} imports {target} from {other}, an app above it"


def main() -> int:
    found = list(violations())
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} import(s) against the layering {' < '.join(LAYERS)}", file=sys.stderr)
        return 1
    print(f"layers ok: {' < '.join(LAYERS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
