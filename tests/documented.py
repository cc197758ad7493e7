"""The shell commands the documentation shows, so tests can run exactly what a reader would type.

A command is a line of a ```bash block (continuation lines joined, comments dropped) or an
inline code span that starts with a command word (``./course.sh``, ``nbgrader``, ``python``,
...). Tests that run a documented command look it up here by its text (``command()``), so a
changed document changes what the test runs, and a command that is no longer documented fails
the lookup. tests/test_docs.py checks that every documented command is run by some test or is
listed with the reason it cannot be.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from tests.course_files import ROOT

DOCS = ("README.md", "docs/*.md", "deploy/README.md")
FENCE = re.compile(r"^( *)```(?:bash|sh|shell)\n(.*?)^\1```", re.S | re.M)
INLINE = re.compile(r"(?<!`)`((?:\./course\.sh|make|nbgrader|python|pip|conda|jupyter|npm) [^`\n]*)`(?!`)")


@dataclass(frozen=True)
class Command:
    path: str  # relative to the repository
    text: str  # as a reader would type it, without a trailing comment

    def argv(self) -> list[str]:
        return shlex.split(self.text)


def _strip_comment(line: str) -> str:
    tokens = shlex.shlex(line, posix=True, punctuation_chars=False)
    tokens.whitespace_split = True
    tokens.commenters = "#"
    try:
        kept = list(tokens)
    except ValueError:
        return line.strip()
    # Rebuild from the original text: cut at the first ' #' that is outside quotes.
    cut, quote = len(line), None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            cut = i
            break
    return line[:cut].strip() if kept else ""


def _is_command(span: str) -> bool:
    """An inline span is a command to type, not a mention of a tool or a pattern of one."""
    words = span.split()
    if "<" in span or "..." in span:
        return False
    return len(words) >= (2 if words[0] in ("./course.sh", "make") else 3)


def doc_files() -> list[Path]:
    files: list[Path] = []
    for pattern in DOCS:
        files += sorted(ROOT.glob(pattern))
    return files


def commands() -> list[Command]:
    """Every command the documentation shows, in document order, without duplicates."""
    found: list[Command] = []
    for path in doc_files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text()
        for block in FENCE.finditer(text):
            body = re.sub(r"\\\n\s*", " ", block.group(2))
            for line in body.splitlines():
                line = _strip_comment(line)
                if line:
                    found.append(Command(rel, line))
        prose = FENCE.sub("", text)
        found += [Command(rel, m.group(1).strip()) for m in INLINE.finditer(prose) if _is_command(m.group(1))]
    unique: dict[tuple[str, str], Command] = {}
    for c in found:
        unique.setdefault((c.path, c.text), c)
    return list(unique.values())


def command(path: str, text: str) -> Command:
    """The documented command ``text`` of ``path``; fails if that document no longer shows it."""
    for c in commands():
        if c.path == path and c.text == text:
            return c
    shown = [c.text for c in commands() if c.path == path]
    raise AssertionError(f"{path} no longer shows `{text}`; it shows: {shown}")
