"""Every question bank is valid data: schema, answers, explanations, formats, and where it is taught."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from course import bank
from tests.course_files import ROOT, assignments, coverage, graded_key

DOMAINS = bank.available()
MINI = yaml.safe_load((Path(__file__).parent / "fixtures" / "mini_bank.yaml").read_text())


def test_there_is_a_bank_for_every_assignment():
    """Does every nbgrader assignment have a question bank of the same name?"""
    assert set(assignments()) <= set(DOMAINS)


@pytest.mark.parametrize("domain", DOMAINS)
def test_bank_is_valid(domain):
    """Does the bank pass the schema and the cross-field rules (answers exist, ids unique)?"""
    assert bank.load(domain)["domain"] == domain


@pytest.mark.parametrize("domain", DOMAINS)
def test_bank_has_enough_questions_in_every_format(domain):
    """Are there at least 20 self-check questions covering all five formats, and a graded quiz of 5+?"""
    data = bank.load(domain)
    assert sum(1 for _ in bank.iter_questions(data)) >= 20
    kinds = {q["type"] for q in data["questions"]} | {q["type"] for q in bank.iter_questions(data)}
    assert kinds == set(bank.FORMATS)
    assert len(data.get("graded", [])) >= 5


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_question_points_at_a_real_section(domain):
    """Does every taught_in anchor exist in its notebook, and every notes_section in the coverage map?"""
    data = bank.load(domain)
    anchors = {}
    for name in assignments():
        text = (ROOT / "source" / name / f"{name}.py").read_text()
        anchors[name] = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', text))
    headings = {s["heading"] for c in coverage().values() for s in c["sections"]}
    for q in bank.iter_all(data):
        if q["type"] == "case_study":
            continue
        nb, anchor = q["taught_in"].split("#")
        assert anchor in anchors.get(nb, set()), f"{q['id']}: no anchor {anchor!r} in {nb}"
        assert q["notes_section"] in headings, (
            f"{q['id']}: notes section {q['notes_section']!r} is not in coverage.yaml"
        )


@pytest.mark.parametrize("domain", [d for d in DOMAINS if d in assignments()])
def test_graded_key_matches_the_bank(domain):
    """Does the instructor's key answer every graded question, with an explanation for every choice?"""
    assert bank.validate_key(bank.load(domain), graded_key(domain)) == []


def test_mini_bank_is_valid():
    """Does the test bank itself pass (so the negative tests below start from valid data)?"""
    assert bank.validate(MINI) == []


def broken(edit):
    data = copy.deepcopy(MINI)
    edit(data)
    return bank.validate(data)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["questions"][0]["options"][0].pop("why"), "must contain ['why'] properties"),
        (lambda d: d["questions"][0].update(answer="z"), "not an option id"),
        (lambda d: d["questions"][1].update(answer=["a"]), "at least 2 items"),
        (lambda d: d["questions"][1].update(answer=["a", "b", "c", "d", "e"]), "every option is correct"),
        (lambda d: d["questions"][2].update(answer=["a", "b", "z"]), "every item id exactly once"),
        (lambda d: d["questions"][3].update(answer={"p1": "r1", "p2": "r2", "p9": "r3"}), "pair every prompt"),
        (lambda d: d["questions"][3]["answer"].update(p3="r9"), "unknown response ids"),
        (lambda d: d["questions"][4]["questions"][0]["options"].pop(), "at least 4 items"),
        (lambda d: d["questions"][0].update(exam_task="6.1"), "must be one of"),
        (lambda d: d["questions"][1].update(id="m-single"), "duplicate question id"),
        (lambda d: d["graded"][0].update(answer="b"), "must not contain {'answer'}"),
        (lambda d: d["graded"][0]["options"][0].update(why="a leaked explanation"), "must not contain {'why'}"),
        (lambda d: d["questions"][0].update(taught_in="nowhere"), "must match pattern"),
    ],
)
def test_schema_rejects_broken_banks(edit, message):
    """Is each kind of broken question caught, with a message naming the problem?"""
    problems = broken(edit)
    assert any(message in p for p in problems), problems


def test_key_validation_catches_gaps():
    """Does key validation report a missing key, a bad answer and a missing explanation?"""
    assert any("has no key" in p for p in bank.validate_key(MINI, {}))
    bad = {"m-g1": {"answer": "z", "why": {"a": "x" * 20}}}
    problems = bank.validate_key(MINI, bad)
    assert any("not an option id" in p for p in problems)
    assert any("no explanation for" in p for p in problems)


def test_loading_an_unknown_domain_names_the_known_ones():
    """Does asking for a bank that does not exist say which ones do?"""
    with pytest.raises(bank.BankError, match="Known domains"):
        bank.load("no-such-domain")


def graded_multi(**extra):
    options = [{"id": k, "text": f"option {k}"} for k in "abcde"]
    q = {
        "id": "m-g2",
        "type": "multi",
        "exam_task": "3.2",
        "notes_section": "Amazon Macie",
        "taught_in": "mini#macie",
        "stem": "Which TWO? Choose TWO.",
        "options": options,
        "skills": ["3.2.2"],
        "genai": False,
        "sources": ["https://docs.aws.amazon.com/macie/"],
        "reviewed": "2026-12-07",
    }
    data = copy.deepcopy(MINI)
    data["graded"].append({**q, **extra})
    return data


def test_graded_multi_says_how_many_to_pick():
    """Must a graded multiple-response question carry 'choose', matching its key's answer size?"""
    assert any("'choose'" in p for p in bank.validate(graded_multi()))
    data = graded_multi(choose=2)
    assert bank.validate(data) == []
    why = {k: "an explanation long enough" for k in "abcde"}
    tags = {"sources": ["https://docs.aws.amazon.com/macie/"], "reviewed": "2026-12-07"}
    key = {"m-g1": {"answer": "b", "why": {k: "an explanation long enough" for k in "abcd"}, **tags}}
    assert bank.validate_key(data, {**key, "m-g2": {"answer": ["a", "b"], "why": why, **tags}}) == []
    problems = bank.validate_key(data, {**key, "m-g2": {"answer": ["a", "b", "c"], "why": why, **tags}})
    assert any("says choose 2" in p for p in problems)


# Blueprint tags and sources -------------------------------------------------------------------
# Banks whose questions (and graded key entries) do not all carry skills, genai, sources and
# reviewed yet. Remove a bank as soon as it is converted (the test below says when); when the
# list is empty, set course.bank.TAGS_REQUIRED = True so that the schema requires the fields.
PENDING_BANKS: set[str] = set()


def untagged(domain: str) -> list[str]:
    """Every question of the bank still lacking a tag field, and every key entry lacking its own."""
    data = bank.load(domain)
    key = graded_key(domain)
    out = [
        f"{q['id']}: no {', '.join(m)}"
        for q in bank.iter_all(data)
        if q["type"] != "case_study" and (m := bank.missing_tags(q))
    ]
    out += [
        f"{qid} (graded key): no {', '.join(m)}"
        for qid, entry in key.items()
        if isinstance(entry, dict) and (m := bank.missing_tags(entry, bank.KEY_TAG_FIELDS))
    ]
    return out


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_question_has_skills_genai_sources_and_review_date(domain):
    """Does every question carry skills, genai, sources and reviewed (and every graded key entry sources and reviewed)?"""
    missing = untagged(domain)
    if domain in PENDING_BANKS:
        assert missing, f"{domain} is fully tagged: remove it from PENDING_BANKS in tests/test_banks.py"
    else:
        assert not missing, f"{domain}: {len(missing)} item(s) to tag:\n  " + "\n  ".join(missing)


def test_pending_banks_exist_and_the_switch_follows_them():
    """Are the pending banks real banks, and is the schema switch on exactly when none is left?"""
    assert not PENDING_BANKS - set(DOMAINS), f"not banks: {sorted(PENDING_BANKS - set(DOMAINS))}"
    if PENDING_BANKS:
        assert not bank.TAGS_REQUIRED, "TAGS_REQUIRED is on while banks are still pending"
    else:
        assert bank.TAGS_REQUIRED, "every bank is tagged: set course.bank.TAGS_REQUIRED = True"


def test_the_switch_makes_the_tags_required(monkeypatch):
    """With TAGS_REQUIRED on, is a question or a key entry without the tags rejected, naming the field?"""
    monkeypatch.setattr(bank, "TAGS_REQUIRED", True)
    assert bank.validate(MINI) == []
    for field in bank.TAG_FIELDS:
        data = copy.deepcopy(MINI)
        data["questions"][0].pop(field)
        assert any(field in p for p in bank.validate(data)), field
    data = copy.deepcopy(MINI)
    data["graded"][0].pop("sources")
    assert any("sources" in p for p in bank.validate(data))
    entry = {"answer": "b", "why": {k: "an explanation long enough" for k in "abcd"}}
    assert any("'sources'" in p for p in bank.validate_key(MINI, {"m-g1": entry}))
    tagged = {**entry, "sources": ["https://docs.aws.amazon.com/kms/"], "reviewed": "2026-12-07"}
    assert bank.validate_key(MINI, {"m-g1": tagged}) == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["questions"][0].update(skills=["1.2.1"]), "belongs to task 1.2"),
        (lambda d: d["questions"][0].update(skills=["3.2.9"]), "not in course/data/blueprint.yaml"),
        (lambda d: d["questions"][0].update(skills=[]), "must contain at least 1 items"),
        (lambda d: d["questions"][0].update(skills="3.2.1"), "must be array"),
        (lambda d: d["questions"][0].update(genai="yes"), "must be boolean"),
        (lambda d: d["questions"][0].update(sources=["http://example.com"]), "must match pattern"),
        (lambda d: d["questions"][0].update(sources=[]), "must contain at least 1 items"),
        (lambda d: d["questions"][0].update(reviewed="7 Dec 2026"), "must match pattern"),
        (lambda d: d["graded"][0].update(skills=["2.1.1"]), "belongs to task 2.1"),
    ],
)
def test_tags_are_checked(edit, message):
    """Is a wrong tag caught with a message that names the problem (e.g. exam_task and first skill disagree)?"""
    problems = broken(edit)
    assert any(message in p for p in problems), problems


def test_graded_key_tags_are_checked_and_built():
    """Are a key entry's sources and reviewed checked, and does the build still write its quiz cell?"""
    from tools.build import quiz_cell_source

    why = {k: "an explanation long enough" for k in "abcd"}
    bad = {"m-g1": {"answer": "b", "why": why, "sources": ["ftp://x"], "reviewed": "2026/12/07"}}
    problems = bank.validate_key(MINI, bad)
    assert any("https://" in p for p in problems) and any("YYYY-MM-DD" in p for p in problems)
    assert any("may have sources" in p for p in bank.validate_key(MINI, {"m-g1": {"answer": "b", "why": why, "x": 1}}))
    good = {"answer": "b", "why": why, "sources": ["https://docs.aws.amazon.com/kms/"], "reviewed": "2026-12-07"}
    cell = quiz_cell_source("m-g1", good)
    assert "grading.check_answer(" in cell and "'b'" in cell and "docs.aws.amazon.com" not in cell
