"""One environment, three doors: pyproject.toml, requirements.lock and environment.yml agree."""

from __future__ import annotations

import re
import sys

from zhnews.paths import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _direct_dependencies() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return [_name(d) for d in tomllib.load(handle)["project"]["dependencies"]]


def _lock_pins() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {name.lower(): version for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.M)}


def _environment_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*-\s+([A-Za-z0-9_.-]+)\s*==?\s*([^\s#]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_every_direct_dependency_is_locked_exactly():
    pins = _lock_pins()
    missing = [d for d in _direct_dependencies() if d not in pins]
    assert not missing, f"not in requirements.lock: {missing} (run `make lock`)"


def test_lock_pins_every_package_with_hashes():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.findall(r"^[A-Za-z0-9_.-]+==\S+.*?(?=^[A-Za-z0-9_.-]+==|\Z)", text, re.M | re.S)
    assert len(blocks) == len(_lock_pins()) > 50
    assert all("--hash=sha256:" in block for block in blocks)


def test_environment_yml_pins_the_locked_versions():
    lock, environment = _lock_pins(), _environment_pins()
    for dependency in _direct_dependencies():
        assert dependency in environment, f"{dependency} missing from environment.yml"
        assert environment[dependency] == lock[dependency], (
            f"{dependency}: environment.yml has {environment[dependency]}, requirements.lock {lock[dependency]}"
        )
    extra = set(environment) - set(_direct_dependencies()) - {"python"}
    assert not extra, f"environment.yml pins packages pyproject.toml does not declare: {extra}"


def test_python_is_pinned_to_a_supported_version():
    python = _environment_pins()["python"]
    with open(ROOT / "pyproject.toml", "rb") as handle:
        requires = tomllib.load(handle)["project"]["requires-python"]
    assert requires == ">=3.10"
    assert tuple(map(int, python.split("."))) >= (3, 10)


def test_readme_explains_every_direct_dependency():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").lower()
    unexplained = [d for d in _direct_dependencies() if f"`{d}`" not in readme]
    assert not unexplained, f"README.md does not say why these are needed: {unexplained}"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme[readme.index("## Quickstart") : readme.index("## Notebooks")]
    assert "make test" in quickstart and "make run" in quickstart
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "make test"
    assert all(c.startswith(("set ", "cd ")) for c in commands[:-1])
