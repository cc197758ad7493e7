"""Blocks of README.md written from the course's own data, so they cannot drift.

    python -m tools.docs           rewrite the generated blocks in place
    python -m tools.docs --check   exit 1 (and say which) if a block is out of date

Each block sits between ``<!-- name:start ... -->`` and ``<!-- name:end -->``; the prose
around it is edited by hand. tests/test_docs.py fails when a committed block is stale.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TRACK_TITLES = {"domain": "Domain notebook", "genai": "GenAI-track notebook"}


def _coverage() -> list[dict]:
    folder = ROOT / "course" / "data" / "coverage"
    return [yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))]


def _order(maps: list[dict]) -> list[dict]:
    """Domain notebooks in the index's order, then the GenAI track in the order of its issues."""
    index = yaml.safe_load((ROOT / "course" / "data" / "notes_index.yaml").read_text())
    domains = list(index["all_domains"])
    genai = ["agents", "retrieval", "prompts_safety", "evaluation", "operations"]

    def key(c: dict) -> tuple[int, int, str]:
        name = c["domain"]
        if c["track"] == "domain":
            return (0, domains.index(name) if name in domains else len(domains), name)
        return (1, genai.index(name) if name in genai else len(genai), name)

    return sorted(maps, key=key)


def notebook_tables() -> str:
    """One table per track: each notebook and the services it teaches."""
    maps = _order(_coverage())
    out = []
    for track, title in TRACK_TITLES.items():
        rows = [c for c in maps if c["track"] == track]
        if not rows:
            continue
        out += [f"| {title} | Services |", "|---|---|"]
        out += [f"| `{c['domain']}` | {c['services']} |" for c in rows]
        out.append("")
    return "\n".join(out).rstrip("\n")


BLOCKS: dict[str, Callable[[], str]] = {"notebooks": notebook_tables}


def _pattern(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {name}:start[^>]*-->\n)(.*?)\n?(<!-- {name}:end -->)", re.S)


def render(text: str) -> str:
    for name, make in BLOCKS.items():
        pattern = _pattern(name)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> block")
        body = make()
        text = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(3), text)
    return text


def stale() -> list[str]:
    """Names of the README blocks whose committed text differs from a fresh rendering."""
    text = README.read_text()
    return [n for n, make in BLOCKS.items() if (m := _pattern(n).search(text)) is None or m.group(2) != make()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report stale blocks")
    args = parser.parse_args(argv)
    if args.check:
        names = stale()
        if names:
            print(f"README.md: out-of-date blocks {names}: run `python -m tools.docs`")
            return 1
        return 0
    README.write_text(render(README.read_text()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
