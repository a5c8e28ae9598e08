"""Statements compiled once per process for each shape they come in.

Building and compiling a queryset of many subqueries costs Django tens of
milliseconds of CPU (the portal-wide search unites 13 of them), while its SQL
text only changes with what the caller puts into the key. A caller keys a
statement by everything it is built from, and fills in the values that only
change its parameters (the words searched for) itself.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

Statement = tuple[str, tuple]


class CompiledStatements:
    """The most recently used `kept` statements, by key; safe to share between threads."""

    def __init__(self, *, kept: int):
        self.kept = kept
        self._statements: OrderedDict[Hashable, Statement] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compile_statement: Callable[[], Statement]) -> Statement:
        with self._lock:
            statement = self._statements.get(key)
            if statement is not None:
                self._statements.move_to_end(key)
                return statement
        statement = compile_statement()
        with self._lock:
            self._statements[key] = statement
            while len(self._statements) > self.kept:
                self._statements.popitem(last=False)
        return statement

    def clear(self) -> None:
        with self._lock:
            self._statements.clear()

    def __len__(self) -> int:
        return len(self._statements)
