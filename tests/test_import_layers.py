"""The arrows of the code point one way (README, "Layout"): the import contracts of pyproject.toml
([tool.importlinter], also run by `make lint`) hold, every module stands on a layer, and a new
arrow the wrong way breaks them."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# import-linter is in the lock file's dev group, so `make test` has it; only a hand-made environment lacks
# it, and in CI that is a failure, never a skip.
pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists() and os.environ.get("CI") != "true", reason="import-linter is in the dev group"
)


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _layer_modules() -> list[str]:
    (layers,) = [contract["layers"] for contract in CONFIG["contracts"] if contract["id"] == "layers"]
    return [name.strip() for layer in layers for name in layer.replace("|", ":").split(":")]


def _modules(package: str):
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_import_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", CONFIG["root_packages"])
def test_every_module_stands_on_a_layer(package):
    placed = _layer_modules()
    unplaced = [
        module
        for module in _modules(package)
        if module != package and not any(module == p or module.startswith(f"{p}.") for p in placed)
    ]
    assert not unplaced, f"put these on a layer of [tool.importlinter] in pyproject.toml: {unplaced}"


def test_an_arrow_from_the_core_to_a_feature_breaks_the_contracts(tmp_path):
    for package in CONFIG["root_packages"]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    planted = tmp_path / "groups" / "widening.py"
    planted.write_text(planted.read_text() + "\nfrom meetings.models import Meeting  # noqa\n")

    result = _lint_imports(tmp_path)

    assert result.returncode == 1
    assert "groups.widening -> meetings.models" in result.stdout
    assert "The core (and groups) imports no meetings" in result.stdout


def _cycle_breakers(graph) -> dict[str, set[tuple[str, str]]]:
    """For every package, the imports among its modules (subpackages taken whole) that close a circle."""
    found = {}
    for package in sorted(graph.modules):
        if graph.find_children(package):
            breakers = graph.nominate_cycle_breakers(package)
            if breakers:
                found[package] = breakers
    return found


@pytest.fixture(scope="module")
def import_graph():
    import grimp  # comes with import-linter

    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph(*CONFIG["root_packages"], cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


def test_no_circle_of_imports_inside_any_package(import_graph):
    """Lazy imports inside a function count too: a circle of them is still a circle."""
    assert _cycle_breakers(import_graph) == {}


def test_a_circle_inside_an_app_is_found(import_graph):
    import_graph.add_import(importer="meetings.minutes", imported="meetings.tasks")
    try:
        assert "meetings" in _cycle_breakers(import_graph)
    finally:
        import_graph.remove_import(importer="meetings.minutes", imported="meetings.tasks")
