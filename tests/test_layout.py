"""The package's layout holds: data flows one way (ingest → enrich → warehouse; training may
read enrich, nothing at run time reads training), no import cycle, no module over 500 lines,
and the commands users run import no training-only package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "marsad"
# Shared foundations any stage may import; they import no stage.
FOUNDATIONS = {"arabic", "cache", "ids", "limits", "failpoints", "shipped", "synthetic", "data"}
# What each stage may import besides itself and the foundations.
MAY_IMPORT = {
    "foundations": set(),
    "ingest": set(),
    "enrich": {"ingest"},
    "warehouse": {"ingest", "enrich"},
    "training": {"ingest", "enrich"},
    "cli": {"ingest", "enrich", "warehouse", "training"},
}
TRAINING_PACKAGES = ("jax", "jaxlib", "optax", "gensim", "sklearn")
LONGEST_MODULE = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    part = module.split(".")[1] if "." in module else ""
    return "foundations" if part in FOUNDATIONS or not part else part


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of the package that ``path`` imports when it runs, at the top or inside a
    function; imports for type checking only are no dependency."""
    found: set[str] = set()
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "marsad")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            if base.split(".")[0] == "marsad":
                for alias in node.names:
                    child = f"{base}.{alias.name}"
                    found.add(child if child in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found & modules


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: _runtime_imports(path, set(paths)) - {name} for name, path in paths.items()}


def test_data_flows_one_way_between_stages():
    wrong = [
        f"{module} ({_stage(module)}) imports {target} ({_stage(target)})"
        for module, targets in _graph().items()
        for target in targets
        if _stage(target) not in {_stage(module), "foundations"}
        and _stage(target) not in MAY_IMPORT[_stage(module)]
    ]
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_round_a_cycle():
    graph = _graph()
    done: set[str] = set()

    def cycle_from(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            found = cycle_from(target, [*path, module])
            if found:
                return found
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = cycle_from(module, [])
        assert cycle is None, " → ".join(cycle)


def test_every_stage_says_what_it_holds_and_may_import():
    for stage in ("ingest", "enrich", "warehouse", "training"):
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
        assert doc and "import" in doc, f"marsad/{stage}/__init__.py says nothing of its imports"


def test_no_module_is_over_500_lines():
    long = [
        f"{p.relative_to(REPO)}: {n} lines"
        for folder in ("marsad", "pipelines", "dashboards", "bench")
        for p in (REPO / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    ]
    assert not long, "\n".join(long)


def test_what_users_run_imports_no_training_package():
    """`make run`, the dashboard and the CLI work without the training group installed:
    loading them (the Dagster definitions with every asset, the CLI, the dashboard's data
    code, the tagger and classifier) imports none of its packages."""
    code = (
        "import sys\n"
        "import pipelines.definitions, marsad.cli, dashboards.queries, dashboards.charts\n"
        "from marsad.enrich.entities.tagger import shipped_tagger\n"
        "from marsad.enrich.topics.model import shipped_model\n"
        "shipped_tagger().analyse('قال الرئيس الفرنسي إيمانويل ماكرون في باريس')\n"
        "shipped_model().classify('مباراة', 'فاز الهلال على النصر في الدوري')\n"
        f"print(sorted(p for p in {TRAINING_PACKAGES!r} if p in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_marsad_train_without_the_training_packages_says_what_to_install(monkeypatch, capsys):
    import marsad.training
    from marsad.cli import main

    monkeypatch.setitem(marsad.training.TRAINING_PACKAGES, "marsad_absent_package", "absent")
    assert marsad.training.missing_packages() == ["absent"]
    assert main(["train", "--models", "unused"]) == 2
    assert "marsad train needs absent: install the training packages" in capsys.readouterr().err


def test_warehouse_docs_are_generated_from_the_schema():
    """docs/warehouse.md is what scripts/warehouse_docs.py writes from the schema's comments."""
    out = subprocess.run(
        [sys.executable, "scripts/warehouse_docs.py", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def test_the_readme_fits_on_a_screen_and_links_to_every_docs_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    for page in sorted((REPO / "docs").glob("*.md")):
        assert f"docs/{page.name}" in readme, f"README does not link docs/{page.name}"
