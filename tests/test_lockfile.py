"""The lock files agree with pyproject.toml, and the check says so when they do not."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = ("pyproject.toml", "requirements.lock", "requirements-prod.lock", "scripts/lockfile.py")


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, a file of the project
        [sys.executable, str(root / "scripts" / "lockfile.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_it_agrees_with_pyproject_as_committed():
    result = _check(ROOT)
    assert result.returncode == 0, result.stderr


def test_it_fails_when_a_dependency_changes_without_a_new_lock(copy):
    whitenoise = '"whitenoise>=6.9,<7",'
    _edit(copy / "pyproject.toml", whitenoise, whitenoise + '\n    "humanize>=4",')
    result = _check(copy)
    assert result.returncode == 1
    assert "requirements-prod.lock was not compiled from this pyproject.toml" in result.stderr
    assert "requirements.lock pins no version of humanize" in result.stderr


def test_it_fails_when_a_dev_tool_changes_without_a_new_lock(copy):
    _edit(copy / "pyproject.toml", '"ruff>=0.17,<0.18",', '"ruff>=0.18,<0.19",')
    result = _check(copy)
    assert result.returncode == 1
    assert "requirements.lock pins ruff==0.17" in result.stderr
    assert "requirements-prod.lock" not in result.stderr


def test_it_fails_when_a_lock_is_edited_by_hand(copy):
    _edit(copy / "requirements-prod.lock", "\ndjango==5.2", "\ndjango==5.1")
    result = _check(copy)
    assert result.returncode == 1
    assert "requirements-prod.lock pins Django==5.1" in result.stderr


def test_the_order_of_the_dependencies_does_not_count(copy):
    _edit(copy / "pyproject.toml", '    "gunicorn>=23",\n', "")
    _edit(copy / "pyproject.toml", "dependencies = [\n", 'dependencies = [\n    "gunicorn>=23",\n')
    assert _check(copy).returncode == 0
