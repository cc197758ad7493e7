"""Mutants of an exercise's solution cell: small, plausible mistakes made by editing its source.

Each operator makes one change at one place inside ``### BEGIN SOLUTION`` ... ``### END
SOLUTION`` (the ``def`` line and docstring stay), by splicing the original text, so a mutant's
diff shows only the lines it changed:

==================  ===========================================================================
drop-keyword        a keyword argument left out of a call (``Description=...``, ``**kwargs``)
drop-key            an entry left out of a dict literal (a policy's ``Condition``, a request key)
literal             a constant changed: a number plus one, a string with ``X`` added, a bool flipped
                    (also the text parts of an f-string; not a dict key: drop-key covers it)
delete-statement    a statement replaced by ``pass`` (a call, an assignment, an ``if``, a ``raise``)
one-pass            ``break`` at the end of a loop body: the loop stops after its first pass
return-constant     ``return <value>`` becomes ``return None``
comparison          ``==``/``!=``, ``in``/``not in``, ``is``/``is not`` swapped; ``<`` becomes ``<=``
                    and ``>`` (and so on for each ordering)
boolean             ``and``/``or`` swapped; ``not x`` becomes ``x``
condition           an ``if`` (or conditional expression) always taken, or never
arithmetic          ``+``/``-`` and ``*``/``/`` swapped (also in ``+=``), ``//`` becomes ``/``
no-handler          an ``except`` block re-raises instead of handling the error
==================  ===========================================================================

Messages are not behaviour: the strings inside ``print(...)``, ``raise X(...)`` and logging
calls are not mutated. Every other mutant is graded; one that cannot be told apart from the
solution goes into ``benchmarks/equivalent_mutants.yaml`` with the reason.

A mutant's id is a hash of its operator and the lines it changes, so it stays the same when
other parts of the solution are edited.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MESSAGE_CALLS = {"print", "debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
SWAPS: dict[type, tuple[type, ...]] = {
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.Lt: (ast.LtE, ast.Gt),
    ast.LtE: (ast.Lt, ast.GtE),
    ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt, ast.LtE),
}
ARITHMETIC: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
}


@dataclass(frozen=True)
class Mutant:
    operator: str
    source: str  # the whole mutated cell
    diff: str  # the changed lines, "- old" / "+ new"
    id: str  # stable: operator + changed lines
    line: int  # first changed line of the cell (1-based)


class _Text:
    """The cell's source with (line, byte column) positions, as ``ast`` reports them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = source.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, line: int, col: int) -> int:
        text = self.lines[line - 1].encode()[:col].decode(errors="ignore")
        return self.starts[line - 1] + len(text)

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)

    def splice(self, begin: int, end: int, new: str) -> str:
        return self.source[:begin] + new + self.source[end:]

    def replace(self, node: ast.AST, new: str) -> str:
        return self.splice(self.start(node), self.end(node), new)

    def indent(self, node: ast.AST) -> str:
        line = self.lines[node.lineno - 1]
        return line[: len(line) - len(line.lstrip())]


def solution_lines(source: str) -> tuple[int, int]:
    """First and last line (1-based) that may be mutated: inside the solution markers, else everything."""
    lines = source.split("\n")
    begin = next((i for i, line in enumerate(lines, 1) if BEGIN in line), 0)
    end = next((i for i, line in enumerate(lines, 1) if END in line), len(lines) + 1)
    return begin + 1, end - 1


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_message(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside print(...), raise X(...) or a logging call: text for people, not behaviour."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in MESSAGE_CALLS:
                return True
        if isinstance(node, ast.stmt):
            return False
    return False


def _is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    expr = parents.get(node)
    owner = parents.get(expr) if isinstance(expr, ast.Expr) else None
    body = getattr(owner, "body", None)
    return bool(body) and body[0] is expr and isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module))


def _changed(value: object) -> object | None:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value * 2 if value else 1.0
    if isinstance(value, str):
        return value + "X"
    if isinstance(value, bytes):
        return value + b"X"
    return None


def _unparse_with(node: ast.AST, change: Callable[[ast.AST], None]) -> str:
    """``node`` as source after ``change`` was applied to a copy of it."""
    import copy

    clone = copy.deepcopy(node)
    change(clone)
    return ast.unparse(clone)


def _sites(source: str) -> Iterator[tuple[str, str]]:
    """(operator, mutated source) for every mutation site in the solution lines."""
    tree = ast.parse(source)
    text = _Text(source)
    first, last = solution_lines(source)
    parents = _parents(tree)

    def inside(node: ast.AST) -> bool:
        return hasattr(node, "lineno") and first <= node.lineno and node.end_lineno <= last

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and inside(node):
            siblings = [*node.args, *node.keywords]
            for kw in node.keywords:
                at = siblings.index(kw)
                if at + 1 < len(siblings):
                    yield "drop-keyword", text.splice(text.start(kw), text.start(siblings[at + 1]), "")
                elif at > 0:
                    yield "drop-keyword", text.splice(text.end(siblings[at - 1]), text.end(kw), "")
                else:
                    yield "drop-keyword", text.replace(kw, "")
        elif isinstance(node, ast.Dict) and inside(node) and node.keys:
            for at, (key, value) in enumerate(zip(node.keys, node.values, strict=True)):
                start = text.start(key) if key is not None else text.start(value) - 2  # "**"
                if at + 1 < len(node.keys):
                    nxt = node.keys[at + 1] if node.keys[at + 1] is not None else node.values[at + 1]
                    nxt_start = text.start(nxt) - (2 if node.keys[at + 1] is None else 0)
                    yield "drop-key", text.splice(start, nxt_start, "")
                elif at > 0:
                    yield "drop-key", text.splice(text.end(node.values[at - 1]), text.end(value), "")
                else:
                    yield "drop-key", text.replace(node, "{}")
        elif isinstance(node, ast.Constant) and inside(node) and not isinstance(parents.get(node), ast.JoinedStr):
            new = _changed(node.value)
            if new is None or _is_docstring(node, parents) or _is_message(node, parents):
                continue
            owner = parents.get(node)
            if isinstance(owner, ast.Dict) and any(k is node for k in owner.keys):
                continue  # a key spelt wrong is the same mistake as a key left out (drop-key)
            if isinstance(parents.get(node), ast.FormattedValue):  # a format spec
                continue
            yield "literal", text.replace(node, repr(new))
        elif isinstance(node, ast.JoinedStr) and inside(node) and not _is_message(node, parents):
            if isinstance(parents.get(node), ast.FormattedValue):
                continue
            for at, part in enumerate(node.values):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):

                    def change(clone: ast.AST, at: int = at) -> None:
                        clone.values[at].value += "X"

                    yield "literal", text.replace(node, _unparse_with(node, change))
        elif isinstance(node, ast.Compare) and inside(node):
            for at, op in enumerate(node.ops):
                for swap in SWAPS.get(type(op), ()):

                    def change(clone: ast.AST, at: int = at, swap: type = swap) -> None:
                        clone.ops[at] = swap()

                    yield "comparison", text.replace(node, _unparse_with(node, change))
        elif isinstance(node, ast.BoolOp) and inside(node):
            other = ast.Or if isinstance(node.op, ast.And) else ast.And
            yield "boolean", text.replace(node, _unparse_with(node, lambda c, other=other: setattr(c, "op", other())))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and inside(node):
            yield "boolean", text.replace(node, ast.unparse(node.operand))
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and inside(node) and type(node.op) in ARITHMETIC:
            if isinstance(node, ast.BinOp) and any(_is_text(side) for side in (node.left, node.right)):
                continue  # "a" + b: swapping only breaks the types
            swap = ARITHMETIC[type(node.op)]
            yield "arithmetic", text.replace(node, _unparse_with(node, lambda c, swap=swap: setattr(c, "op", swap())))
        elif isinstance(node, ast.IfExp) and inside(node):
            for forced in (True, False):
                yield "condition", text.replace(node.test, repr(forced))
        if isinstance(node, ast.If) and inside(node):
            for forced in (True, False):
                yield "condition", text.replace(node.test, repr(forced))
        returns_value = isinstance(node, ast.Return) and node.value is not None
        if returns_value and inside(node) and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield "return-constant", text.replace(node, "return None")
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and inside(node):
            body_end = node.body[-1]
            at = text.starts[body_end.end_lineno]  # the line after the body's last line
            yield "one-pass", text.splice(at, at, text.indent(node.body[0]) + "break\n")
        if isinstance(node, ast.Try) and inside(node):
            for handler in node.handlers:
                body = handler.body
                begin = text.offset(body[0].lineno, 0)
                end = text.end(body[-1])
                yield "no-handler", text.splice(begin, end, text.indent(body[0]) + "raise")
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            for stmt in body if isinstance(body, list) else []:
                if not isinstance(stmt, ast.stmt) or not inside(stmt) or _skip_deletion(stmt, parents):
                    continue
                yield "delete-statement", text.replace(stmt, "pass")


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _skip_deletion(stmt: ast.stmt, parents: dict[ast.AST, ast.AST]) -> bool:
    if isinstance(stmt, (ast.Pass, ast.Return, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True  # returns have their own operator; a missing helper is a NameError
    if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal)):
        return True
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)  # a docstring


def diff_lines(original: str, mutated: str) -> list[str]:
    out = []
    for line in difflib.unified_diff(original.split("\n"), mutated.split("\n"), n=0, lineterm=""):
        if line.startswith(("---", "+++", "@@")):
            continue
        out.append(f"{line[0]} {line[1:].strip()}")
    return out


def mutants(source: str) -> list[Mutant]:
    """Every distinct mutant of ``source`` (a solution cell) that still parses."""
    found: dict[str, Mutant] = {}
    seen_ids: dict[str, int] = {}
    for operator, mutated in _sites(source):
        if mutated == source or mutated in found:
            continue
        try:
            ast.parse(mutated)
        except SyntaxError:
            continue
        changed = diff_lines(source, mutated)
        if not changed:
            continue
        digest = hashlib.sha1(("\n".join([operator, *changed])).encode()).hexdigest()[:8]
        seen_ids[digest] = seen_ids.get(digest, 0) + 1
        mutant_id = digest if seen_ids[digest] == 1 else f"{digest}-{seen_ids[digest]}"
        line = next(
            i
            for i, (a, b) in enumerate(zip(source.split("\n") + [""], mutated.split("\n") + [""], strict=False), 1)
            if a != b
        )
        found[mutated] = Mutant(operator, mutated, "\n".join(changed), mutant_id, line)
    return sorted(found.values(), key=lambda m: (m.line, m.operator, m.id))


# Broken answers: what a learner's unfinished or confused function can hand the tests.
BROKEN: tuple[tuple[str, str], ...] = (
    ("None", "return None"),
    ("empty string", 'return ""'),
    ("a string", 'return "not-what-was-asked"'),
    ("zero", "return 0"),
    ("a float", "return 0.5"),
    ("True", "return True"),
    ("empty list", "return []"),
    ("list of strings", 'return ["not-what-was-asked"]'),
    ("empty dict", "return {}"),
    ("unexpected dict", 'return {"unexpected": "not-what-was-asked"}'),
    ("raises", 'raise ValueError("not finished")'),
)


def broken_answers(source: str) -> list[tuple[str, str]]:
    """``(key, cell source)`` for each function of the cell with its body replaced by a broken answer.

    The other functions of the cell keep their solution; the ``def`` line and docstring stay.
    """
    tree = ast.parse(source)
    text = _Text(source)
    out = []
    for func in tree.body:
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = (
            func.body[1:]
            if isinstance(func.body[0], ast.Expr) and isinstance(func.body[0].value, ast.Constant)
            else func.body
        )
        if not body:
            continue
        indent = text.indent(body[0])
        begin, end = text.offset(body[0].lineno, 0), text.end(body[-1])
        for label, statement in BROKEN:
            out.append((f"{func.name}: {label}", text.splice(begin, end, indent + statement)))
    return out
