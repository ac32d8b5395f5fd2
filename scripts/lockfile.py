"""Keep the lock files and pyproject.toml in agreement.

    python scripts/lockfile.py stamp   # after compiling the locks (`make lock` runs it)
    python scripts/lockfile.py check   # CI: fails if pyproject.toml changed since

`make lock` compiles requirements.lock (every dependency and the dev extra, for
Python 3.11 on Linux) and requirements-prod.lock (the same pins, production only), then
stamps each with a sha256 of the dependency lists it was compiled from. The check
recomputes that hash, so editing a dependency in pyproject.toml without relocking fails,
offline and whatever PyPI has released since: re-resolving and diffing instead would
fail the day a new release appears, with nothing changed here. It also checks each
direct requirement is pinned to a version its specifier allows, which catches a lock
edited by hand.
"""

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
# Lock file: the pyproject extras it holds.
LOCKS = {"requirements.lock": ("dev",), "requirements-prod.lock": ()}
STAMP = "# pyproject-sha256: "
# The platform the locks are compiled for (markers on a requirement are read for it).
TARGET = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_machine": "x86_64",
    "extra": "",
}


def _project() -> dict:  # type: ignore[type-arg]
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def _requirements(extras: tuple[str, ...]) -> list[str]:
    project = _project()
    listed = list(project.get("dependencies", []))
    for extra in extras:
        listed += project.get("optional-dependencies", {}).get(extra, [])
    return listed


def digest(extras: tuple[str, ...]) -> str:
    """The hash of what a lock was compiled from: order and spacing do not count."""
    listed = sorted(re.sub(r"\s+", "", item) for item in _requirements(extras))
    source = {"requires-python": _project().get("requires-python", ""), "requires": listed}
    return hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()


def stamp() -> None:
    for name, extras in LOCKS.items():
        path = ROOT / name
        lines = [line for line in path.read_text().splitlines() if not line.startswith(STAMP)]
        lines.insert(0, STAMP + digest(extras))
        path.write_text("\n".join(lines) + "\n")
        print(f"stamped {name}")


def _pins(text: str) -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def problems() -> list[str]:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found = []
    for name, extras in LOCKS.items():
        path = ROOT / name
        if not path.exists():
            found.append(f"{name} is missing: run `make lock`")
            continue
        text = path.read_text()
        stamped = next((ln[len(STAMP) :] for ln in text.splitlines() if ln.startswith(STAMP)), "")
        if stamped != digest(extras):
            found.append(f"{name} was not compiled from this pyproject.toml: run `make lock`")
        pins = _pins(text)
        for item in _requirements(extras):
            requirement = Requirement(item)
            if requirement.marker and not requirement.marker.evaluate(TARGET):
                continue
            pinned = pins.get(canonicalize_name(requirement.name))
            if pinned is None:
                found.append(f"{name} pins no version of {requirement.name}")
            elif not requirement.specifier.contains(pinned, prereleases=True):
                found.append(f"{name} pins {requirement.name}=={pinned}, outside {item!r}")
    return found


def main(argv: list[str]) -> int:
    if argv == ["stamp"]:
        stamp()
        return 0
    if argv == ["check"]:
        found = problems()
        for problem in found:
            print(problem, file=sys.stderr)
        if not found:
            print("the lock files agree with pyproject.toml")
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
