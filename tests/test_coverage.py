"""Every service section of the study notes is indexed, and every indexed section is taught.

The index (course/data/notes_index.yaml) is the course's own record of the notes' sections,
so coverage is checked against it in any checkout. The index itself is compared with the
notes files only where they are present (beside a developer's checkout, ../shared/notes): a
fresh clone has no notes, and those comparisons are then not collected at all.
"""

from __future__ import annotations

import re

import pytest

from tests.course_files import NOTES, ROOT, assignments, coverage, notes_index

INDEX = notes_index()
COVERAGE = coverage()
TRACKS = {"domain", "genai"}


def entries(c: dict) -> list[dict]:
    """Every notes section a notebook's map names: its own and those it teaches in more depth."""
    return [*c["sections"], *c.get("also", [])]


def indexed(entry: dict) -> bool:
    return any(s["file"] == entry["file"] and s["heading"] == entry["heading"] for s in INDEX["sections"])


def anchors(name: str) -> set[str]:
    return set(re.findall(r'<a id="([a-z0-9-]+)"></a>', (ROOT / "source" / name / f"{name}.py").read_text()))


def test_every_assignment_has_a_coverage_map():
    """Does every notebook have a map, and every map a notebook?"""
    assert set(assignments()) == set(COVERAGE)


def test_index_domains_are_known():
    """Does every indexed section belong to one of the course's domain notebooks?"""
    assert {s["domain"] for s in INDEX["sections"]} <= set(INDEX["all_domains"])


@pytest.mark.parametrize("name", sorted(COVERAGE))
def test_map_names_its_track_and_services(name):
    """Does the map say which track the notebook belongs to and which services it teaches?"""
    c = COVERAGE[name]
    assert c["domain"] == name, f"{name}.yaml: domain should be {name!r}"
    assert c.get("track") in TRACKS, f"{name}.yaml: track must be one of {sorted(TRACKS)}"
    assert isinstance(c.get("services"), str) and len(c["services"]) > 10, f"{name}.yaml: list its services"
    if c["track"] == "domain":
        assert name in INDEX["all_domains"], f"{name}: a domain notebook needs an entry in notes_index all_domains"


@pytest.mark.parametrize("domain", sorted(INDEX["all_domains"]))
def test_every_section_of_the_domain_is_taught(domain):
    """Does the domain's map name a notebook section for every indexed notes section of that domain?"""
    taught = {(s["file"], s["heading"]) for s in COVERAGE.get(domain, {}).get("sections", []) if s.get("taught_in")}
    missing = [
        f"{s['file']}: {s['heading']}"
        for s in INDEX["sections"]
        if s["domain"] == domain and (s["file"], s["heading"]) not in taught
    ]
    assert not missing, f"{domain}: notes sections not mapped to a notebook section: {missing}"


@pytest.mark.parametrize("name", sorted(COVERAGE))
def test_map_entries_are_indexed_and_anchors_resolve(name):
    """Is every mapped section in the index, and every notebook#anchor a real anchor?"""
    for s in entries(COVERAGE[name]):
        assert indexed(s), f"{name}.yaml: {s['heading']!r} ({s['file']}) is not in notes_index.yaml"
        notebook, anchor = s["taught_in"].split("#")
        assert anchor in anchors(notebook), f"{name}.yaml: no anchor {anchor!r} in {notebook}"
    for s in COVERAGE[name]["sections"]:
        domain = next(i["domain"] for i in INDEX["sections"] if (i["file"], i["heading"]) == (s["file"], s["heading"]))
        assert domain == name, f"{name}.yaml: {s['heading']!r} is indexed under {domain}; list it under also:"


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


def file003_titles() -> list[tuple[int, str]]:
    """(line number, text) of every title line of file 003: short, not indented, not a sentence."""
    lines = notes_text("003").splitlines()
    return [
        (n, line.strip())
        for n, line in enumerate(lines, 1)
        if line.strip() and not line[0].isspace() and len(line.strip()) < 60 and not line.strip().endswith(".")
    ]


if NOTES.exists():
    # Only beside the notes: is the index a faithful record of them?

    def test_index_lists_every_file000_section():
        """Is every ### section of the first notes file in the index, with a domain?"""
        listed = {s["heading"] for s in INDEX["sections"] if s["file"] == "000"}
        missing = [h for h in file000_headings() if h not in listed]
        assert not missing, f"add these notes sections to course/data/notes_index.yaml: {missing}"

    def test_indexed_sections_exist_in_the_notes():
        """Does every indexed section really stand in its notes file (no typos, no stale entries)?"""
        stale = [s for s in INDEX["sections"] if not exists_in_notes(s)]
        assert not stale, stale

    def test_every_file003_section_is_indexed():
        """Is every section title of the second notes file indexed, by its name or by a phrase inside it?"""
        text = notes_text("003")
        titles = file003_titles()
        listed = [s for s in INDEX["sections"] if s["file"] == "003"]
        named = {s["heading"].lower() for s in listed} | {s["match"].lower() for s in listed if "match" in s}
        phrase_lines = [text.count("\n", 0, text.find(s["match"])) + 1 for s in listed if "match" in s]
        groups = set(INDEX["group_titles_003"])
        missing = []
        for i, (line, title) in enumerate(titles):
            end = titles[i + 1][0] if i + 1 < len(titles) else line + 10_000
            if title in groups or title.lower() in named or any(line <= p < end for p in phrase_lines):
                continue
            missing.append(f"line {line}: {title}")
        assert not missing, f"sections of the second notes file missing from the index: {missing}"
