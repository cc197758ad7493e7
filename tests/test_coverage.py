"""Every service section of the study notes is indexed, and those of built domains are taught."""

from __future__ import annotations

import re

import pytest

from tests.course_files import NOTES, ROOT, assignments, coverage, notes_index

INDEX = notes_index()
COVERAGE = coverage()
pytestmark = pytest.mark.skipif(
    not NOTES.exists(), reason="the study notes (../shared/notes) are not beside this checkout"
)


def notes_text(key: str) -> str:
    return (NOTES / INDEX["notes_files"][key]).read_text()


def file000_headings() -> list[str]:
    """Every ### heading of file 000 that is not inside a code block."""
    out, fenced = [], False
    for line in notes_text("000").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("### "):
            out.append(line[4:].strip())
    return out


def exists_in_notes(entry: dict) -> bool:
    # A section without a heading of its own (most of file 003, a list inside a ## part of
    # file 000) is found by `match`, a phrase that stands in it.
    if "match" in entry:
        return re.search(re.escape(entry["match"]), notes_text(entry["file"])) is not None
    if entry["file"] == "000":
        return entry["heading"] in file000_headings()
    return re.search(re.escape(entry["heading"]), notes_text(entry["file"])) is not None


def test_index_lists_every_file000_section():
    """Is every ### section of the first notes file in the index, with a domain?"""
    indexed = {s["heading"] for s in INDEX["sections"] if s["file"] == "000"}
    missing = [h for h in file000_headings() if h not in indexed]
    assert not missing, f"add these notes sections to course/data/notes_index.yaml: {missing}"


def test_indexed_sections_exist_in_the_notes():
    """Does every indexed section really stand in its notes file (no typos, no stale entries)?"""
    stale = [s for s in INDEX["sections"] if not exists_in_notes(s)]
    assert not stale, stale


def test_index_domains_are_known():
    """Does every indexed section belong to one of the course's domains?"""
    assert {s["domain"] for s in INDEX["sections"]} <= set(INDEX["all_domains"])
    assert set(COVERAGE) <= set(INDEX["all_domains"])


def test_every_assignment_has_a_coverage_map():
    """Does every domain notebook say which notes sections it teaches?"""
    assert set(assignments()) <= set(COVERAGE)


@pytest.mark.parametrize("domain", sorted(COVERAGE))
def test_every_section_of_the_domain_is_taught(domain):
    """Does the domain's map name a notebook section for every indexed notes section of that domain?"""
    taught = {(s["file"], s["heading"]) for s in COVERAGE[domain]["sections"] if s.get("taught_in")}
    missing = [
        f"{s['file']}: {s['heading']}"
        for s in INDEX["sections"]
        if s["domain"] == domain and (s["file"], s["heading"]) not in taught
    ]
    assert not missing, f"{domain}: notes sections not mapped to a notebook section: {missing}"


@pytest.mark.parametrize("domain", sorted(COVERAGE))
def test_map_entries_exist_and_anchors_resolve(domain):
    """Is every mapped section in the notes, and every notebook#anchor a real anchor?"""
    for s in COVERAGE[domain]["sections"]:
        assert exists_in_notes(s), s
        name, anchor = s["taught_in"].split("#")
        text = (ROOT / "source" / name / f"{name}.py").read_text()
        assert f'<a id="{anchor}"></a>' in text, s


def file003_titles() -> list[tuple[int, str]]:
    """(line number, text) of every title line of file 003: short, not indented, not a sentence."""
    lines = notes_text("003").splitlines()
    return [
        (n, line.strip())
        for n, line in enumerate(lines, 1)
        if line.strip() and not line[0].isspace() and len(line.strip()) < 60 and not line.strip().endswith(".")
    ]


def test_every_file003_section_is_taught():
    """Is every section title of the second notes file mapped, by its name or by a phrase inside it?"""
    text = notes_text("003")
    titles = file003_titles()
    entries = [s for c in COVERAGE.values() for s in c["sections"] if s["file"] == "003"]
    named = {s["heading"].lower() for s in entries} | {s["match"].lower() for s in entries if "match" in s}
    phrase_lines = [text.count("\n", 0, text.find(s["match"])) + 1 for s in entries if "match" in s]
    groups = set(INDEX["group_titles_003"])
    missing = []
    for i, (line, title) in enumerate(titles):
        end = titles[i + 1][0] if i + 1 < len(titles) else line + 10_000
        if title in groups or title.lower() in named or any(line <= p < end for p in phrase_lines):
            continue
        missing.append(f"line {line}: {title}")
    assert not missing, f"sections of the second notes file that no notebook teaches: {missing}"
