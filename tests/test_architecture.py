"""The package's layout is its architecture: layers import downwards only, libraries stay in their layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mentormatch"

# Lowest first. A module may import its own layer and the layers before it, never one after it.
LAYERS = ("vocab", "core", "inputs", "validation", "matching", "round", "outputs", "web", "cli")
CORE = {"errors", "config", "models", "outcomes", "files"}  # the root modules every layer shares
LIBRARY_HOMES = {  # third-party libraries that belong to one or two layers only
    "typer": {"cli"}, "rich": {"cli"}, "openpyxl": {"inputs", "outputs"}, "python_calamine": {"inputs"},
    "scipy": {"matching"}, "pandas": {"outputs"}, "gptables": {"outputs"}, "xlsxwriter": {"outputs"},
    "starlette": {"web"}, "jinja2": {"web"}, "uvicorn": {"web"}, "tomli_w": {"web"},  # the [web] extra
}
# Single modules that may also use a library outside its layers, and why (none at present).
MODULE_HOMES: dict[str, set[str]] = {}
MAX_LINES = 350


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name not in {"__init__.py", "__main__.py"} or p.parent != PACKAGE)


def _layer(dotted: str) -> str:
    """The layer of `mentormatch.a.b` (or of a path below the package)."""
    parts = dotted.split(".")[1:]
    if parts and parts[0] in LAYERS:
        return parts[0]
    if parts and parts[0] in CORE:
        return "core"
    raise AssertionError(f"{dotted} is in no layer: add it to a subpackage or to CORE")


def _dotted(path: Path) -> str:
    parts = ["mentormatch", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, lazy ones inside functions included."""
    return _imports_in(path.read_text(encoding="utf-8"), _dotted(path))


def _imports_in(source: str, dotted: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: resolve against this package
                base = ".".join([*dotted.split(".")[:-node.level], node.module])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if base == "mentormatch"]
    return found


def test_every_module_belongs_to_a_layer() -> None:
    for path in _modules():
        _layer(_dotted(path))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers_only(path: Path) -> None:
    own = LAYERS.index(_layer(_dotted(path)))
    upward = []
    for line, module in _imports(path):
        if not module.startswith("mentormatch.") or module == "mentormatch.__version__":
            continue
        if module.split(".")[1] in CORE | set(LAYERS) and LAYERS.index(_layer(module)) > own:
            upward.append(f"line {line}: {module}")
    assert not upward, f"{path.name} imports from a higher layer: {upward}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_libraries_stay_in_their_layer(path: Path) -> None:
    layer = _layer(_dotted(path))
    strays = [f"line {line}: {module}" for line, module in _imports(path)
              if module.split(".")[0] in LIBRARY_HOMES and layer not in LIBRARY_HOMES[module.split(".")[0]]
              and _dotted(path) not in MODULE_HOMES.get(module.split(".")[0], ())]
    assert not strays, f"{path.name} ({layer}) imports a library that belongs elsewhere: {strays}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_readable(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by what it holds"


def test_each_layer_says_what_it_holds() -> None:
    for layer in LAYERS:
        if layer == "core":
            continue
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"{layer}/__init__.py needs a docstring saying what it holds and may import"


def test_the_checker_sees_a_lazy_upward_import() -> None:
    """The walk itself can fail: an import of the CLI from inside a vocab function is found and ranked higher."""
    source = "def f():\n    from mentormatch.cli.app import app\n    from ..cli import render\n    return app\n"
    imports = [module for _, module in _imports_in(source, "mentormatch.vocab.probe")]
    assert {"mentormatch.cli.app", "mentormatch.cli"} <= set(imports)
    assert LAYERS.index(_layer("mentormatch.cli.app")) > LAYERS.index(_layer("mentormatch.vocab.probe"))
