"""The apps depend on each other in one direction only, no module imports itself back (not even
lazily, inside a function), and no signal handler calls a service.

    accelerator (core) → cohorts (tenancy) → agenda (the program calendar)
        → convening, coaching, strategy, announcements → completion → dashboards
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYER = {"accelerator": 0, "cohorts": 1, "agenda": 2, "convening": 3, "coaching": 3, "strategy": 3,
         "announcements": 3, "completion": 4,
         "dashboards": 5}

# The project's composition layer: it assembles every app (URLs, the role-aware home page, the
# demo loader) and so may import any of them.
COMPOSITION = {"accelerator.urls", "accelerator.views", "accelerator.management.commands.seed_demo",
               # A person's data, exported and erased across every app (through the app registry).
               "accelerator.people_data", "accelerator.management.commands.person_export",
               "accelerator.management.commands.person_erase"}

# Deliberate exceptions, each with its reason.
ALLOWED = {
    # A team, coach or participation change re-derives invitations to the sessions ahead in the
    # same transaction, called explicitly where the change is made rather than by a signal.
    ("cohorts.services.teams", "agenda.services.session_invitations"),
    ("cohorts.services.cities", "agenda.services.session_invitations"),
    # A copied cohort's people are invited to its copied sessions in the copy's transaction.
    ("cohorts.services.cohort_copy", "agenda.services.session_invitations"),
}


def project_modules():
    modules = {}
    for app in LAYER:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or "tests" in rel.parts:
                continue
            name = ".".join(rel.with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def imports_of(name, path, modules):
    """Every project module `name` imports, at module level or inside a function."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            # `from package import module` imports the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph():
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_apps_depend_downward_only():
    wrong = []
    for source, targets in import_graph().items():
        if source in COMPOSITION:
            continue
        for target in targets:
            src_app, dst_app = source.split(".")[0], target.split(".")[0]
            if src_app == dst_app or (source, target) in ALLOWED:
                continue
            if LAYER[dst_app] >= LAYER[src_app]:
                wrong.append(f"{source} imports {target}")
    assert not wrong, "Imports against the dependency order:\n" + "\n".join(sorted(wrong))


def test_no_import_cycle():
    graph = import_graph()
    index, low, on_stack, stack, cycles = {}, {}, set(), [], []

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, f"Modules that import each other (directly or through others): {cycles}"


# Signal handlers that only set log context (the request id on Celery tasks), never business rules.
LOG_CONTEXT_ONLY = {"accelerator.logs"}


def test_no_signal_handlers():
    """Services call each other explicitly; a model save never runs business rules behind the
    caller's back."""
    offenders = []
    for name, path in project_modules().items():
        text = path.read_text()
        if name in LOG_CONTEXT_ONLY:
            # Its Celery signal handlers only carry the request id into task logs; it may
            # import no app's models or services.
            assert "services" not in text and ".models" not in text, name
            continue
        if "signals" in text and (".connect(" in text or "@receiver" in text):
            offenders.append(name)
    assert not offenders, f"Signal handlers in: {offenders}"
