"""One rule book: no module outside `groups/access.py` decides who may see or do what.

The ring rules (audiences, roles, staff status, the walk through the space tree) are written once,
in the rule book; everything else asks it. This test reads the source of every portal module (AST,
no import) and fails on a spot that writes such a rule itself:

- an ORM lookup (a keyword argument of filter, exclude, get, Q, ...) whose path has a segment
  `audience`, `role`, `is_staff` or `parent` (`audience__isnull=True`, `memberships__role=...`);
- reading the tree's shape (`values_list("pk", "parent_id")`);
- following `.parent` inside a loop or comprehension (a walk up the tree);
- reading `.is_staff`;
- comparing a `.role` (`membership.role == Membership.Role.COORDINATOR`);
- such a lookup spelled as a dict key (`filter(**{"audience": ...})`, `Q(**{f"{prefix}role": ...})`:
  an f-string's fixed part is read as the path).

A spot that is not a ring rule stays where it is with a named exemption below, and one line why.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["api", "groups", "meetings", "portal", "privacy", "projects", "reports"]
RULE_SEGMENTS = frozenset({"audience", "audience_id", "role", "is_staff", "parent", "parent_id"})
LOOKUP_CALLS = frozenset(
    {"filter", "exclude", "get", "get_or_create", "update_or_create", "Q", "FilteredRelation", "Exists"}
)
SHAPE_CALLS = frozenset({"values", "values_list"})

# Whole modules (or folders) that are not application rules.
EXEMPT_MODULES = {
    "groups/access.py": "the rule book itself",
    "migrations/": "migrations freeze the schema and data of their day",
    "admin.py": "the admin is for staff and shows the fields as they are stored",
    "demo.py": "demo data builds the demo accounts and their roles",
    "demo_history.py": "demo data builds a year of history",
    "groups/models/": "models declare the fields and their managers",
}

# Single spots that are not ring rules: (module, enclosing function, what) -> why.
EXEMPT_SPOTS = {
    ("portal/status.py", "may_read_status", ".is_staff"): (
        "the status page is for operators (site staff, a token, a network), no ring rule"
    ),
}


def _modules():
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not any(
                relative == key or relative.startswith(key) or ("/" + key) in ("/" + relative)
                for key in EXEMPT_MODULES
            ):
                yield relative, path


def _segments(lookup: str) -> set[str]:
    """The names along a lookup path; an f-string's placeholder (`{prefix}`) ends a name too."""
    return set(re.split(r"__|\{[^{}]*\}", lookup))


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def _written_key(key: ast.expr | None) -> str | None:
    """A lookup spelled as a dict key (`**{"audience": ...}`, `**{f"{prefix}role": ...}`); an
    f-string's placeholders stay as written, so its fixed part is read as a path."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    if isinstance(key, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{" + ast.unparse(part.value) + "}"
            for part in key.values
        )
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self):
        self.spots: list[tuple[int, str, str]] = []  # (line, function, what)
        self._functions: list[str] = []
        self._loops = 0

    def _found(self, node, what: str) -> None:
        self.spots.append((node.lineno, self._functions[-1] if self._functions else "", what))

    def visit_FunctionDef(self, node):
        self._functions.append(node.name)
        loops, self._loops = self._loops, 0
        self.generic_visit(node)
        self._functions.pop()
        self._loops = loops

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 - ast.NodeVisitor's naming

    def _loop(self, node):
        self._loops += 1
        self.generic_visit(node)
        self._loops -= 1

    visit_While = visit_For = _loop  # noqa: N815 - ast.NodeVisitor's naming
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _loop  # noqa: N815

    def visit_Call(self, node):
        name = _call_name(node)
        if name in LOOKUP_CALLS:
            for keyword in node.keywords:
                if keyword.arg and _segments(keyword.arg) & RULE_SEGMENTS:
                    self._found(node, f"{name}({keyword.arg}=...)")
                elif keyword.arg is None and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        lookup = _written_key(key)
                        if lookup and _segments(lookup) & RULE_SEGMENTS:
                            self._found(node, f"{name}(**{{{lookup!r}: ...}})")
        if name in SHAPE_CALLS:
            for argument in node.args:
                text = argument.value if isinstance(argument, ast.Constant) else None
                if isinstance(text, str) and _segments(text) & {"parent", "parent_id"}:
                    self._found(node, f"{name}({text!r})")
        self.generic_visit(node)

    def visit_Compare(self, node):
        sides = [node.left, *node.comparators]
        if any(isinstance(side, ast.Attribute) and side.attr == "role" for side in sides):
            self._found(node, ".role compared")
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if isinstance(node.ctx, ast.Load):
            if node.attr == "is_staff":
                self._found(node, ".is_staff")
            elif node.attr in ("parent", "parent_id") and self._loops:
                self._found(node, f".{node.attr} in a loop")
        self.generic_visit(node)


def rule_spots(source: str) -> list[tuple[int, str, str]]:
    finder = _Finder()
    finder.visit(ast.parse(source))
    return finder.spots


def test_no_ring_rule_outside_the_rule_book():
    found = []
    for relative, path in _modules():
        for line, function, what in rule_spots(path.read_text()):
            if (relative, function, what) not in EXEMPT_SPOTS:
                found.append(f"{relative}:{line} in {function or '<module>'}: {what}")
    assert not found, "Ring rules outside groups/access.py (ask the rule book):\n" + "\n".join(found)


def test_every_exempt_spot_still_exists():
    """An exemption whose spot is gone is removed, so the list stays the list of real exceptions."""
    present = set()
    for relative, path in _modules():
        present |= {(relative, function, what) for _line, function, what in rule_spots(path.read_text())}
    assert set(EXEMPT_SPOTS) <= present, set(EXEMPT_SPOTS) - present


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("Thread.objects.filter(audience__isnull=True)", "filter(audience__isnull=...)"),
        ("Q(memberships__role='coordinator')", "Q(memberships__role=...)"),
        ("User.objects.exclude(is_staff=True)", "exclude(is_staff=...)"),
        ("Space.objects.values_list('pk', 'parent_id')", "values_list('parent_id')"),
        ("def f(space):\n    while space:\n        space = space.parent", ".parent in a loop"),
        ("def f(user):\n    return user.is_staff", ".is_staff"),
        ("membership.role == Membership.Role.COORDINATOR", ".role compared"),
        ("[m for m in memberships if m.role != 'member']", ".role compared"),
        ("Event.objects.filter(**{'audience': 'ring'})", "filter(**{'audience': ...})"),
        ("Q(**{f'{prefix}role': 'coordinator'})", "Q(**{'{prefix}role': ...})"),
        ("Q(**{f'{via}__space__parent_id': space.pk})", "Q(**{'{via}__space__parent_id': ...})"),
    ],
)
def test_the_guard_names_each_kind_of_rule(source, what):
    assert [spot[2] for spot in rule_spots(source)] == [what]


@pytest.mark.parametrize(
    "source",
    [
        "Thread.objects.create(space=space, audience=space)",  # writing an item's audience is no rule
        "Path(__file__).resolve().parent.parent",  # a file's folder, no tree walk
        "Space.objects.select_related('parent')",  # showing the parent's name
        "person.is_staff = False",  # the erasure takes the staff flag away
        "membership.role = Membership.Role.COORDINATOR",  # a promotion writes the role
        "Q(**{f'{field}__icontains': word})",  # a search over fields named by the caller
        "Thread.objects.filter(**{f'{via}__in': meetings})",  # the path's fixed part is no rule
    ],
)
def test_the_guard_leaves_what_is_no_rule(source):
    assert rule_spots(source) == []
