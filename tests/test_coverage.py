"""Every service section of the study notes is taught, and every pointer lands on a real section."""

from __future__ import annotations

import re

import pytest

from tests.course_files import NOTES, ROOT, coverage

MAP = coverage()
pytestmark = pytest.mark.skipif(
    not NOTES.exists(), reason="the study notes (../shared/notes) are not beside this checkout"
)


def notes_text(key: str) -> str:
    return (NOTES / MAP["notes_files"][key]).read_text()


def file000_service_sections() -> dict[str, str]:
    """### headings of file 000, with the domain of the part (# heading) they sit in."""
    parts = MAP["file000_parts"]
    skip = set(MAP.get("not_services", []))
    domain, out = None, {}
    for line in notes_text("000").splitlines():
        if line.startswith("# "):
            domain = next((d for prefix, d in parts.items() if line[2:].startswith(prefix)), None)
        elif line.startswith("### ") and domain and line[4:].strip() not in skip:
            out[line[4:].strip()] = domain
    return out


def taught_domains() -> set[str]:
    return set(MAP["domains"])


def test_every_file000_section_of_a_taught_domain_is_mapped():
    """Is every ### service section in a part whose domain has a notebook mapped to a notebook section?"""
    mapped = {(s["file"], s["heading"]) for s in MAP["sections"] if s.get("taught_in")}
    missing = [h for h, d in file000_service_sections().items() if d in taught_domains() and ("000", h) not in mapped]
    assert not missing, f"unmapped notes sections: {missing}"


def test_mapped_headings_exist_in_the_notes():
    """Is every heading in the map really in its notes file (no typos, no stale entries)?"""
    for s in MAP["sections"]:
        text = notes_text(s["file"])
        pattern = rf"^\s*(###\s+)?{re.escape(s['heading'])}\s*$"
        assert re.search(pattern, text, re.M), f"{s['heading']!r} not found in notes file {s['file']}"


def test_sections_of_taught_domains_have_a_notebook_section():
    """Does every indexed notes section of a domain with a notebook say where it is taught?"""
    missing = [s["heading"] for s in MAP["sections"] if s["domain"] in taught_domains() and not s.get("taught_in")]
    assert not missing, f"not taught yet: {missing}"


def test_every_taught_in_anchor_exists():
    """Does every notebook#anchor in the map exist as an anchor in that notebook?"""
    for s in MAP["sections"]:
        if not s.get("taught_in"):
            continue
        name, anchor = s["taught_in"].split("#")
        text = (ROOT / "source" / name / f"{name}.py").read_text()
        assert f'<a id="{anchor}"></a>' in text, s
