"""requirements.lock and pyproject.toml: ``python -m jipp.lockfile stamp|check|runtime``.

``make lock`` compiles requirements.lock with pip-tools (every package, runtime and dev, pinned with
hashes), then ``stamp`` appends a digest of what pyproject.toml asks for (its dependencies and
optional dependencies). ``check`` (``make lint``, and before every install) recomputes the digest and
fails when pyproject.toml's dependencies changed without ``make lock``: compiling again takes over a
minute, comparing a digest none. ``runtime`` prints the part of the lock the portal needs to run (the
project's dependencies and what they need, after pip-tools' "via" notes), hashes included: what the
Docker image installs, so the dev tools stay out of it.
"""

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
PREFIX = "# pyproject.toml dependencies sha256: "


def digest() -> str:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    wanted = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def recorded() -> str | None:
    if not LOCK.exists():
        return None
    for line in LOCK.read_text().splitlines():
        if line.startswith(PREFIX):
            return line.removeprefix(PREFIX).strip()
    return None


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def runtime() -> str:
    """The lock's entries for the runtime dependencies and everything they pull in."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    wanted = {_name(re.split(r"[\[=<>!~; ]", dep, maxsplit=1)[0]) for dep in project.get("dependencies", [])}
    blocks: dict[str, list[str]] = {}  # name -> its requirement lines (with hashes)
    parents: dict[str, set[str]] = {}  # name -> the packages it is there for
    current = None
    in_via = False
    for line in LOCK.read_text().splitlines():
        requirement = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if requirement:
            current = _name(requirement.group(1))
            blocks[current], parents[current], in_via = [line], set(), False
        elif current and line.startswith("    --hash="):
            blocks[current].append(line)
        elif current and line.strip().startswith("# via"):
            rest = line.strip().removeprefix("# via").strip()
            in_via = not rest
            if rest:
                parents[current].add(_name(rest.split(" ", 1)[0]))
        elif current and in_via and line.startswith("    #   "):
            parents[current].add(_name(line.strip().removeprefix("#").strip().split(" ", 1)[0]))
        else:
            in_via = False
    needed = set(wanted)
    while True:
        more = {name for name, via in parents.items() if name not in needed and via & needed}
        if not more:
            break
        needed |= more
    missing = wanted - blocks.keys()
    if missing:
        raise SystemExit(f"requirements.lock lacks {', '.join(sorted(missing))}: run `make lock`.")
    # Each entry as the lock writes it: "name==version \" and its hash lines, continued with "\".
    return "".join("\n".join(blocks[name]) + "\n" for name in sorted(needed & blocks.keys()))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "stamp":
        lines = [line for line in LOCK.read_text().splitlines() if not line.startswith(PREFIX)]
        LOCK.write_text("\n".join([*lines, PREFIX + digest()]) + "\n")
        return 0
    if command == "check":
        if recorded() != digest():
            print(
                "requirements.lock is not current with the dependencies in pyproject.toml: run `make lock` "
                "and commit requirements.lock.",
                file=sys.stderr,
            )
            return 1
        return 0
    if command == "runtime":
        sys.stdout.write(runtime())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
