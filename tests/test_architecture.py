"""The code follows the pipeline (ARCHITECTURE.md): packages by stage, data flowing one way, no import circles,
no module much over 400 lines. Read from the source with ``ast``, every import counted: at the top, inside a
function, or under ``TYPE_CHECKING`` (a type-only import is still a dependency of the design)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "casefile"
# From the ground up: a module may import its own layer and those below, never one above.
LAYERS = [
    (
        "casefile.diagnostics",
        "casefile.settings",
        "casefile.interrupt",
        "casefile.workers",
        "casefile.text",
        "casefile.messages",
    ),
    ("casefile.content",),
    ("casefile.investigation",),
    ("casefile.exports",),
    ("casefile.pages",),
    ("casefile.output",),
    ("casefile.pipeline",),
    ("casefile.dev", "casefile.commands"),
]
MOST_LINES = 420  # "no module over about 400 lines"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(name: str) -> set[str]:
    """The casefile modules ``name`` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


GRAPH = {name: imports(name) for name in MODULES}


def layer(name: str) -> int:
    if name == "casefile":  # the package itself holds only __version__: below everything
        return 0
    return next(i for i, prefixes in enumerate(LAYERS) for p in prefixes if name == p or name.startswith(p + "."))


def test_every_module_belongs_to_a_layer() -> None:
    unplaced = []
    for name in MODULES:
        if name == "casefile":
            continue
        try:
            layer(name)
        except StopIteration:
            unplaced.append(name)
    assert not unplaced, f"add these to LAYERS and to ARCHITECTURE.md: {unplaced}"


def test_data_flows_one_way_between_the_stages() -> None:
    """content never imports pages or output; investigation never pages; nothing below dev and commands imports them."""
    upward = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name != "casefile"
        for target in targets
        if layer(target) > layer(name)
    ]
    assert not upward, "\n".join(sorted(upward))


def test_no_module_imports_itself_through_others() -> None:
    circles, state, stack = [], dict.fromkeys(GRAPH, 0), []

    def visit(name: str) -> None:  # depth-first; 1 = on the stack, 2 = done
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if state[target] == 1:
                circles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif state[target] == 0:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if state[name] == 0:
            visit(name)
    assert not circles, "\n".join(circles)


def test_no_module_is_much_over_four_hundred_lines() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert not long, long


def test_the_checks_here_see_a_circle_and_an_upward_import() -> None:
    """The graph is read right: a known import is found, in both spellings."""
    assert "casefile.content.model" in GRAPH["casefile.content.loader"]
    assert "casefile.pipeline" in GRAPH["casefile.commands.cli"]  # imported inside a function
