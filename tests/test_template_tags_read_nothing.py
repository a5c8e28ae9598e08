"""Template tags render what the view read; they never ask the database or the rule book themselves
(issue 12: "no selector calls in template tags"), so every read of a page is in its view, where
query counts, shared reads and the rule book can see it."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# The shared fragment tag reads the cache (never the database): that is what it is for.
CACHE_TAGS = {"portal/templatetags/shared_fragments.py"}
FORBIDDEN_MODULE_ENDINGS = ("selectors", "services", "access", "models", "readcache")


def _tag_modules() -> list[Path]:
    return sorted(
        path
        for path in BASE_DIR.glob("*/**/templatetags/*.py")
        # Hidden folders hold virtual environments (.venv, .venv-own), not the portal.
        if not path.relative_to(BASE_DIR).parts[0].startswith(".") and path.name != "__init__.py"
    )


def _reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            names = []
        for name in names:
            last = name.split(".")[-1]
            # also the split read modules, named like groups.selectors_questions
            if last in FORBIDDEN_MODULE_ENDINGS or last.startswith(("selectors_", "services_")):
                found.append(f"line {node.lineno}: imports {name}")
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"line {node.lineno}: queries a model's manager")
        if isinstance(node, ast.Attribute) and node.attr == "user":
            found.append(f"line {node.lineno}: reads for the person (their reads belong in the view)")
    return found


def test_the_guard_finds_template_tag_modules():
    assert len(_tag_modules()) >= 4


def test_no_template_tag_reads_the_database_or_asks_the_rule_book():
    problems = [
        f"{path.relative_to(BASE_DIR)}: {problem}"
        for path in _tag_modules()
        if str(path.relative_to(BASE_DIR)) not in CACHE_TAGS
        for problem in _reads(path)
    ]
    assert problems == []


def test_the_guard_sees_a_selector_call(tmp_path):
    module = tmp_path / "tags.py"
    module.write_text(
        "from meetings import selectors\nfrom groups.models import Space\nSpace.objects.all()\n"
    )
    assert len(_reads(module)) == 3


def test_the_guard_sees_a_split_read_module(tmp_path):
    module = tmp_path / "tags.py"
    module.write_text(
        "from groups import selectors_questions\nfrom groups.selectors_information import draft_list\n"
    )
    assert len(_reads(module)) == 2
